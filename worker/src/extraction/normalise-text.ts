/**
 * Collapses runs of spaces and tabs, trims every line and keeps at most one blank line in a row, so paragraph
 * breaks survive as blank lines while layout whitespace (PDF columns, HTML indentation) disappears.
 */
export function normaliseWhitespace(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Squeezes text that must stay on one line (a heading, a title) into single-spaced words. */
export function singleLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

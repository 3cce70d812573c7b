/**
 * Finds paragraphs, sentences and lines in a text, as [start, end) offsets into it, so the pieces can be cut
 * out exactly (whitespace between them included) without copying the text around.
 */

/** A [start, end) range of a text, with no whitespace at either end. */
export interface Span {
  start: number;
  end: number;
}

/** Paragraphs: the text between blank lines. */
export function paragraphSpans(text: string, start = 0, end = text.length): Span[] {
  return splitSpans(text, start, end, /\n[^\S\n]*\n/g);
}

/** Lines: the text between line breaks. */
export function lineSpans(text: string, start = 0, end = text.length): Span[] {
  return splitSpans(text, start, end, /\n/g);
}

function splitSpans(text: string, start: number, end: number, separator: RegExp): Span[] {
  const spans: Span[] = [];
  const part = text.slice(start, end);
  let from = 0;
  for (const match of part.matchAll(separator)) {
    pushTrimmed(spans, text, start + from, start + match.index);
    from = match.index + match[0].length;
  }
  pushTrimmed(spans, text, start + from, end);
  return spans;
}

function pushTrimmed(spans: Span[], text: string, start: number, end: number): void {
  while (start < end && isSpace(text, start)) start++;
  while (end > start && isSpace(text, end - 1)) end--;
  if (start < end) spans.push({ start, end });
}

const SPACE = /\s/;

function isSpace(text: string, index: number): boolean {
  return SPACE.test(text.charAt(index));
}

let segmenter: Intl.Segmenter | undefined;

// Intl.Segmenter slows down with the length of the string it walks (each step costs time proportional to the
// whole string: 100 KB takes ~0.3 s, 1 MB four minutes), so long paragraphs are segmented a window at a time.
// 2,000 characters measured fastest.
const WINDOW = 2000;

// ICU splits after abbreviations it cannot tell from a full stop ("Mr. | Smith"), and V8 ignores the locale
// option that would suppress that; these common ones are glued back to the following sentence.
const ABBREVIATION = /(?:^|[^\p{L}.])(?:mrs?|ms|dr|prof|sr|jr|st|mt|vs|cf|fig|approx|e\.g|i\.e)\.$/iu;

/**
 * Sentences, found by Intl.Segmenter. A single line break does not end a sentence here (ICU would end one at
 * every line break, and PDF text is hard-wrapped); lines are the fallback for a "sentence" too big to fit,
 * which is how lists and tables without full stops come out.
 */
export function sentenceSpans(text: string, start = 0, end = text.length): Span[] {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'sentence' });
  const spans: Span[] = [];
  // Start of a sentence longer than a window, still being read.
  let pending: number | undefined;
  let position = start;
  while (position < end) {
    const windowEnd = safeCut(text, Math.min(position + WINDOW, end), position);
    const isLast = windowEnd === end;
    // Line breaks become spaces (same length, so offsets still hold) to keep hard-wrapped lines together.
    const window = text.slice(position, windowEnd).replace(/[\r\n]/g, ' ');
    const starts: number[] = [];
    for (const segment of segmenter.segment(window)) starts.push(segment.index);
    if (!isLast && starts.length === 1) {
      // One sentence fills the whole window: remember where it began and read on.
      pending ??= position;
      position = windowEnd;
      continue;
    }
    // The window's last sentence may be cut short by the window's end; it is read again from its start.
    const complete = isLast ? starts.length : starts.length - 1;
    for (let i = 0; i < complete; i++) {
      const sentenceStart = i === 0 && pending !== undefined ? pending : position + (starts[i] ?? 0);
      const sentenceEnd = position + (starts[i + 1] ?? window.length);
      if (i === 0) pending = undefined;
      const before = spans.length;
      pushTrimmed(spans, text, sentenceStart, sentenceEnd);
      const previous = spans[before - 1];
      const added = spans[before];
      if (
        previous &&
        added &&
        ABBREVIATION.test(text.slice(Math.max(previous.start, previous.end - 12), previous.end))
      ) {
        previous.end = added.end;
        spans.pop();
      }
    }
    if (isLast) break;
    position += starts[complete] ?? window.length;
  }
  return spans;
}

/** Moves a cut that would separate a surrogate pair back by one. */
function safeCut(text: string, cut: number, floor: number): number {
  const before = text.charCodeAt(cut - 1);
  return cut - 1 > floor && before >= 0xd800 && before <= 0xdbff ? cut - 1 : cut;
}

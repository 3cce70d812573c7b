import { normaliseWhitespace, singleLine } from './normalise-text';
import type { Section } from './types';

/**
 * Turns a stream of headings and paragraphs (from Markdown or HTML) into sections: the paragraphs under a
 * heading become one section whose headingPath is that heading and its parents.
 */
export class SectionBuilder {
  private readonly sections: Section[] = [];
  private readonly path: { level: number; text: string }[] = [];
  private paragraphs: string[] = [];
  private firstTopHeading: string | undefined;

  /** Opens a heading of the given level (1–6); deeper headings nest under it until one of its level or higher. */
  heading(level: number, text: string): void {
    const title = singleLine(text);
    if (!title) return;
    this.flush(level);
    while ((this.path.at(-1)?.level ?? 0) >= level) this.path.pop();
    this.path.push({ level, text: title });
    if (level === 1) this.firstTopHeading ??= title;
  }

  /** Adds a paragraph (or list item, table row, code block) under the current heading. */
  paragraph(text: string): void {
    const normalised = normaliseWhitespace(text);
    if (normalised) this.paragraphs.push(normalised);
  }

  /** The first level-1 heading, which is the document's title when it has no other. */
  get title(): string | undefined {
    return this.firstTopHeading;
  }

  /** Closes the last section and returns them all, empty ones left out. */
  finish(): Section[] {
    this.flush(0);
    return this.sections;
  }

  /** Ends the current section because a heading of `nextLevel` starts (0 at the end of the document). */
  private flush(nextLevel: number): void {
    const current = this.path.at(-1);
    let text = this.paragraphs.join('\n\n');
    // A heading with nothing under it and no subheadings (say a document written entirely in heading styles)
    // would otherwise vanish: it becomes its own text. A parent heading lives on in its children's paths.
    if (!text && current && nextLevel <= current.level) text = current.text;
    if (text) {
      this.sections.push(
        this.path.length > 0 ? { text, headingPath: this.path.map((h) => h.text) } : { text },
      );
    }
    this.paragraphs = [];
  }
}

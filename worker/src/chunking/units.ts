/**
 * Turns a section into paragraphs of counted units — sentences, or pieces of a sentence too big for any
 * chunk — that the packer lays into chunks.
 */
import { countTokens, splitByTokens } from '@chatbot/shared/platform';
import { lineSpans, paragraphSpans, sentenceSpans } from './sentences';
import type { Span } from './sentences';
import type { Section } from './types';

/**
 * A sentence (or piece of one) with the whitespace that came before it. The whitespace leads rather than
 * trails because cl100k_base joins a space to the next word (" word" is one token), so a unit counted with
 * its leading space costs what it costs inside a chunk; a trailing space would cost a token extra.
 */
export interface Unit {
  text: string;
  /** Its count inside a chunk, after the unit before it. */
  tokens: number;
  /** Its count when it opens a chunk; see headTokens. */
  head?: number;
  page: number | undefined;
}

/**
 * A unit's count when it opens a chunk, where its leading whitespace is trimmed. That can cost tokens
 * (" ipsum" is one token, "ipsum" two), so the opening unit is re-counted: lazily, as few units open a chunk.
 */
export function headTokens(unit: Unit): number {
  if (unit.head === undefined) {
    const trimmed = unit.text.trimStart();
    unit.head = trimmed.length === unit.text.length ? unit.tokens : countTokens(trimmed);
  }
  return unit.head;
}

/** A paragraph's units, kept together when the paragraph fits. */
export interface Paragraph {
  units: Unit[];
  tokens: number;
}

/** How big a unit may be, and how big the token-cut pieces of a bigger sentence are. */
export interface UnitLimits {
  maxTokens: number;
  pieceTokens: number;
}

// Paragraphs are joined by one blank line, whatever separated them in the source.
const PARAGRAPH_BREAK = '\n\n';

// A unit this close to maxTokens has its opening count checked up front, so it fits in a chunk either way.
const HEAD_SLACK = 16;

/**
 * The section's paragraphs, as units no bigger than `limits.maxTokens`. `previous` is the unit before the
 * section when it continues a chunk group (it then opens with a paragraph break).
 */
export function sectionParagraphs(
  section: Section,
  limits: UnitLimits,
  previous: Unit | undefined,
): Paragraph[] {
  const builder = new UnitBuilder(section, limits, previous);
  const paragraphs: Paragraph[] = [];
  for (const paragraph of paragraphSpans(section.text)) {
    const units = builder.paragraph(paragraph, previous !== undefined || paragraphs.length > 0);
    paragraphs.push({ units, tokens: units.reduce((sum, unit) => sum + unit.tokens, 0) });
  }
  return paragraphs;
}

class UnitBuilder {
  private units: Unit[] = [];

  constructor(
    private readonly section: Section,
    private readonly limits: UnitLimits,
    private previous: Unit | undefined,
  ) {}

  paragraph(span: Span, afterBreak: boolean): Unit[] {
    const { text } = this.section;
    this.units = [];
    let previousEnd: number | undefined;
    for (const sentence of sentenceSpans(text, span.start, span.end)) {
      const lead =
        previousEnd !== undefined
          ? text.slice(previousEnd, sentence.start)
          : afterBreak
            ? PARAGRAPH_BREAK
            : '';
      this.sentence(sentence, lead);
      previousEnd = sentence.end;
    }
    return this.units;
  }

  private sentence(span: Span, lead: string): void {
    const { text } = this.section;
    const unit = this.unit(lead, text.slice(span.start, span.end));
    if (this.fitsAlone(unit)) return this.push(unit);
    // Too big for any chunk. Lists and tables often have no full stops, so their lines come next; token cuts
    // are the last resort.
    const lines = lineSpans(text, span.start, span.end);
    if (lines.length < 2) return this.pieces(unit.text);
    let previousEnd = span.start;
    for (const [i, line] of lines.entries()) {
      const lineUnit = this.unit(
        i === 0 ? lead : text.slice(previousEnd, line.start),
        text.slice(line.start, line.end),
      );
      if (this.fitsAlone(lineUnit)) this.push(lineUnit);
      else this.pieces(lineUnit.text);
      previousEnd = line.end;
    }
  }

  private unit(lead: string, body: string): Unit {
    const text = lead + body;
    return {
      text,
      tokens: countTokens(text) - joinSaving(this.previous?.text, lead),
      page: this.section.page,
    };
  }

  private fitsAlone(unit: Unit): boolean {
    const { maxTokens } = this.limits;
    if (unit.tokens > maxTokens) return false;
    return unit.tokens <= maxTokens - HEAD_SLACK || headTokens(unit) <= maxTokens;
  }

  private pieces(text: string): void {
    for (const piece of splitByTokens(text, this.limits.pieceTokens)) {
      this.push({ text: piece.text, tokens: piece.tokens, head: piece.headTokens, page: this.section.page });
    }
  }

  private push(unit: Unit): void {
    this.units.push(unit);
    this.previous = unit;
  }
}

// What a pre-tokenizer piece ending in punctuation looks like: cl100k_base's pattern takes a run of symbols
// together with the line breaks right after it (` ?[^\s\p{L}\p{N}]+[\r\n]*`).
const TRAILING_SYMBOLS = / ?[^\s\p{L}\p{N}]+$/u;
const LINE_BREAKS = /^[\r\n]+$/;
const savings = new Map<string, number>();

/**
 * Tokens saved when a lead of line breaks follows `previous` in a chunk rather than being counted on its
 * own: ".\n\n" is one token, not "." plus "\n\n". Exact for such leads (the next piece starts afresh), and
 * it keeps a chunk's summed count from drifting a token high at every paragraph break.
 */
function joinSaving(previous: string | undefined, lead: string): number {
  if (!previous || !LINE_BREAKS.test(lead)) return 0;
  // The tail is enough and keeps the regex from scanning a long sentence; a longer symbol run is rare.
  const symbols = TRAILING_SYMBOLS.exec(previous.slice(-16))?.[0];
  if (!symbols || symbols.length >= 15) return 0;
  const key = `${symbols}\u0000${lead}`;
  let saving = savings.get(key);
  if (saving === undefined) {
    saving = countTokens(symbols) + countTokens(lead) - countTokens(symbols + lead);
    // Keys are short punctuation runs; the bound only guards against odd documents.
    if (savings.size > 10_000) savings.clear();
    savings.set(key, saving);
  }
  return saving;
}

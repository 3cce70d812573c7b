/**
 * Packs sections into retrieval chunks: sentences laid greedily up to maxTokens, whole paragraphs kept together
 * where they fit, each chunk opening with the last sentences of the one before.
 */
import { resolveChunkOptions } from './options';
import type { Chunk, ChunkOptions, Section } from './types';
import { headTokens, sectionParagraphs } from './units';
import type { Paragraph, Unit, UnitLimits } from './units';

/**
 * Splits extracted sections into chunks of `minTokens`–`maxTokens` cl100k_base tokens (defaults 500–1,000).
 *
 * - Sentences (Intl.Segmenter) are never cut, except one longer than maxTokens: it is split at its line
 *   breaks, then by tokens. A paragraph (text between blank lines) that fits in the chunk is kept whole; one
 *   that does not fit starts the next chunk if this one has reached minTokens and the paragraph fits there
 *   after the overlap, and is split at sentences otherwise.
 * - Each chunk starts with the trailing whole sentences of the previous chunk, at most `overlapTokens` of
 *   them (0 disables), and only as many as leave room for the text that follows.
 * - A chunk never mixes sections with different heading paths: a new heading path starts a new chunk, with no
 *   overlap from the previous heading. Sections that share a heading path (the pages of a PDF, which has no
 *   headings) flow into each other, so a chunk may run across pages; it carries the page it starts on.
 * - Only the last chunk of a heading group (and a chunk followed by a unit too big to join it) can be below
 *   minTokens, and never when it would fit into the previous chunk; a short document is one short chunk.
 *   Blank sections are skipped.
 * - A lone surrogate, which is not text, becomes U+FFFD (as the tokenizer and the embedding model read it).
 *
 * Every sentence is tokenized once and a chunk's size is the sum of its sentences' counts: re-encoding every
 * candidate chunk would multiply the tokenizer's work. The sum accounts for what is known to change at the
 * joins (whitespace leads the next sentence, ".\n\n" is one token, the opening sentence loses its leading
 * space), but the joined text can still tokenize a token or two apart from it; the tests re-count real chunks
 * to check they stay within maxTokens.
 *
 * @throws RangeError for invalid options (see resolveChunkOptions)
 */
export function chunkSections(sections: readonly Section[], options: Partial<ChunkOptions> = {}): Chunk[] {
  const resolved = resolveChunkOptions(options);
  const limits: UnitLimits = {
    maxTokens: resolved.maxTokens,
    // An oversized sentence is cut into overlap-sized pieces so its chunks can overlap like any others.
    pieceTokens: resolved.overlapTokens > 0 ? resolved.overlapTokens : resolved.maxTokens,
  };
  const chunks: Chunk[] = [];
  // The heading group being packed, and its last unit (the next section's text follows on from it).
  let group: { packer: Packer; headingPath: string[] | undefined; last: Unit | undefined } | undefined;
  const closeGroup = () => {
    if (!group) return;
    for (const draft of group.packer.finish()) {
      const text = draft.units
        .map((unit) => unit.text)
        .join('')
        .trim();
      // Only possible when a chunk holds nothing but slices of a huge whitespace run.
      if (!text) continue;
      const page = draft.units[0]?.page;
      chunks.push({
        index: chunks.length,
        text,
        tokenCount: draft.tokens,
        ...(page !== undefined && { page }),
        ...(group.headingPath !== undefined && { headingPath: [...group.headingPath] }),
      });
    }
    group = undefined;
  };
  for (const extracted of sections) {
    // A lone surrogate (from a broken extraction) is no character: the tokenizer reads it as U+FFFD, so no token
    // cut matched the text again and the rest of the section became one chunk far over maxTokens.
    const section = { ...extracted, text: extracted.text.toWellFormed() };
    if (!/\S/.test(section.text)) continue;
    if (group && !sameHeadingPath(group.headingPath, section.headingPath)) closeGroup();
    group ??= { packer: new Packer(resolved), headingPath: section.headingPath, last: undefined };
    for (const paragraph of sectionParagraphs(section, limits, group.last)) {
      group.packer.addParagraph(paragraph);
      group.last = paragraph.units.at(-1) ?? group.last;
    }
  }
  closeGroup();
  return chunks;
}

/** No heading path and an empty one both mean "no heading". */
function sameHeadingPath(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const left = a ?? [];
  const right = b ?? [];
  return left.length === right.length && left.every((heading, i) => heading === right[i]);
}

/**
 * A chunk being built: its units, its size (the opening unit counted as it reads there, with its leading
 * whitespace trimmed; see headTokens) and how many of the units are new rather than overlap.
 */
interface Draft {
  units: Unit[];
  tokens: number;
  fresh: number;
}

function emptyDraft(): Draft {
  return { units: [], tokens: 0, fresh: 0 };
}

/** What `unit` adds to `draft`: its own count, or its opening count if the draft is empty. */
function cost(draft: Draft, unit: Unit): number {
  return draft.units.length === 0 ? headTokens(unit) : unit.tokens;
}

/** Packs the paragraphs of one heading group into drafts. */
class Packer {
  private readonly drafts: Draft[] = [];
  private current = emptyDraft();

  constructor(private readonly options: ChunkOptions) {}

  addParagraph(paragraph: Paragraph): void {
    const { minTokens, maxTokens } = this.options;
    if (this.current.tokens + paragraphCost(this.current, paragraph) <= maxTokens) {
      this.append(paragraph.units);
      return;
    }
    // This chunk is big enough to let go, and the paragraph fits whole in the next one after the overlap:
    // start the next chunk. (Otherwise the paragraph is split at sentences, as overlap is not given up for it.)
    if (
      this.current.fresh > 0 &&
      this.current.tokens >= minTokens &&
      draftTokens(trailingUnits(this.current, this.options.overlapTokens)) + paragraph.tokens <= maxTokens
    ) {
      this.startNext(paragraph.tokens);
      if (this.current.tokens + paragraphCost(this.current, paragraph) <= maxTokens) {
        this.append(paragraph.units);
        return;
      }
    }
    for (const unit of paragraph.units) {
      if (this.current.tokens + cost(this.current, unit) > maxTokens) this.startNext(unit.tokens);
      this.append([unit]);
    }
  }

  /**
   * The group's drafts. A short last chunk is never one that could have been merged into the previous chunk
   * within maxTokens: packing is greedy, so the previous chunk was closed only because the first new unit
   * after it (which the last chunk holds) did not fit.
   */
  finish(): Draft[] {
    // Nothing new since the last chunk, only overlap: no chunk.
    if (this.current.fresh > 0) this.drafts.push(this.current);
    this.current = emptyDraft();
    return this.drafts;
  }

  private append(units: readonly Unit[]): void {
    for (const unit of units) {
      this.current.tokens += cost(this.current, unit);
      this.current.units.push(unit);
      this.current.fresh++;
    }
  }

  /** Closes the current chunk and opens the next with overlap, leaving room for `nextTokens` more. */
  private startNext(nextTokens: number): void {
    const { overlapTokens, maxTokens } = this.options;
    const previous = this.current;
    if (previous.fresh === 0) {
      // Only overlap so far, and what comes next does not fit beside it: drop overlap, oldest sentence first.
      while (previous.units.length > 0 && previous.tokens + nextTokens > maxTokens) {
        previous.units.shift();
        previous.tokens = draftTokens(previous.units);
      }
      return;
    }
    this.drafts.push(previous);
    const overlap = trailingUnits(previous, Math.min(overlapTokens, maxTokens - nextTokens));
    // Overlap never counts as progress (`fresh`), so every chunk adds at least one new unit.
    this.current = { units: overlap, tokens: draftTokens(overlap), fresh: 0 };
  }
}

/** What a whole paragraph adds to `draft`. */
function paragraphCost(draft: Draft, paragraph: Paragraph): number {
  const first = paragraph.units[0];
  if (!first || draft.units.length > 0) return paragraph.tokens;
  return paragraph.tokens - first.tokens + headTokens(first);
}

/**
 * The longest run of whole units at the end of `draft` within `budget` tokens, taken only from its new units
 * (repeating what the draft itself repeated would creep backwards) and never all of its units (the next
 * chunk would then contain this one).
 */
function trailingUnits(draft: Draft, budget: number): Unit[] {
  const floor = Math.max(draft.units.length - draft.fresh, 1);
  let start = draft.units.length;
  // Units after the candidate, counted in place; the candidate would open the chunk, so counts as a head.
  let rest = 0;
  while (start > floor) {
    const unit = draft.units[start - 1];
    if (!unit || headTokens(unit) + rest > budget) break;
    rest += unit.tokens;
    start--;
  }
  return draft.units.slice(start);
}

function draftTokens(units: readonly Unit[]): number {
  const [first, ...rest] = units;
  return first ? headTokens(first) + sumTokens(rest) : 0;
}

function sumTokens(units: readonly Unit[]): number {
  return units.reduce((sum, unit) => sum + unit.tokens, 0);
}

/**
 * Property tests of chunkSections: for any text, the chunks cover it in order (no text lost but whitespace,
 * which is normalised), stay within maxTokens by a real recount, are short only where chunkSections says
 * they may be, overlap by at most overlapTokens, come out the same every time, and come out quickly even
 * for pathological text (one endless "sentence", no spaces, only punctuation, RTL, combining marks, emoji).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100kBase from 'js-tiktoken/ranks/cl100k_base';
import { chunkSections, DEFAULT_CHUNK_OPTIONS } from './index';
import type { Chunk, ChunkOptions, Section } from './index';

// The tests' own encoder, so "real" counts don't go through the code under test.
let reference: Tiktoken | undefined;
function realCount(text: string): number {
  reference ??= new Tiktoken(cl100kBase);
  return reference.encode(text, [], []).length;
}

// Fixed seed and bounded runs, so a failure reproduces and the file stays within seconds; shrinking a big
// counterexample is cut short (and fails) rather than left to run for minutes.
const runs = (numRuns: number) => ({
  seed: 0xc4a2c,
  numRuns,
  interruptAfterTimeLimit: 20_000,
  markInterruptAsFailure: true,
});

/** The heading path as chunkSections compares it: none and an empty one are the same. */
const pathKey = (path: readonly string[] | undefined) => JSON.stringify(path ?? []);

/** Consecutive non-blank sections under the same heading path: the text one run of chunks comes from. */
function headingGroups(sections: readonly Section[]): Section[][] {
  const groups: Section[][] = [];
  for (const section of sections) {
    if (!/\S/.test(section.text)) continue;
    const last = groups.at(-1);
    if (last && pathKey(last[0]!.headingPath) === pathKey(section.headingPath)) last.push(section);
    else groups.push([section]);
  }
  return groups;
}

/** Chunks split where their heading path changes (two neighbouring groups never share one). */
function chunkGroups(chunks: readonly Chunk[]): Chunk[][] {
  const groups: Chunk[][] = [];
  for (const chunk of chunks) {
    const last = groups.at(-1);
    if (last && pathKey(last[0]!.headingPath) === pathKey(chunk.headingPath)) last.push(chunk);
    else groups.push([chunk]);
  }
  return groups;
}

const squeeze = (text: string) => text.replace(/\s+/g, '');

/**
 * Where each chunk can sit in its group's text, all whitespace removed (chunkSections normalises
 * whitespace between paragraphs and sections, and lone surrogates to U+FFFD, nothing else): the start offsets at which every chunk is found
 * such that the first chunk starts the text, each starts after the one before and no later than where it
 * ends (nothing skipped), each reaches further than the one before (something new), and the last ends the
 * text. Repetitive text can fit several ways; all are followed. Fails if none fits.
 */
function placeChunks(groupText: string, chunks: readonly Chunk[]): number[][] {
  const text = squeeze(groupText.toWellFormed());
  const bodies = chunks.map((chunk) => squeeze(chunk.text));
  let feasible = text.startsWith(bodies[0]!) ? [0] : [];
  const placements = [feasible];
  for (let i = 1; i < bodies.length && feasible.length > 0; i++) {
    const previousLength = bodies[i - 1]!.length;
    const body = bodies[i]!;
    const next: number[] = [];
    const highest = feasible.at(-1)! + previousLength;
    for (
      let at = text.indexOf(body, feasible[0]! + 1);
      at !== -1 && at <= highest;
      at = text.indexOf(body, at + 1)
    ) {
      // A previous start p fits if p < at <= p + previousLength < at + body.length.
      const lowest = firstAtLeast(feasible, at - previousLength);
      if (lowest !== undefined && lowest <= Math.min(at - 1, at + body.length - previousLength - 1))
        next.push(at);
    }
    feasible = next;
    placements.push(feasible);
  }
  assert.ok(feasible.length > 0, `chunk ${placements.length - 1} cannot follow the one before in the text`);
  const lastLength = bodies.at(-1)!.length;
  assert.ok(
    feasible.some((start) => start + lastLength === text.length),
    'the last chunk does not end the text',
  );
  return placements;
}

/** The smallest of the sorted `values` that is at least `floor`. */
function firstAtLeast(values: readonly number[], floor: number): number | undefined {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (values[middle]! < floor) low = middle + 1;
    else high = middle;
  }
  return values[low];
}

/** What every chunking must satisfy, whatever the text. */
function assertSound(sections: readonly Section[], options: ChunkOptions, chunks: readonly Chunk[]) {
  chunks.forEach((chunk, i) => {
    assert.equal(chunk.index, i, 'indexes are dense');
    assert.ok(
      chunk.text.length > 0 && chunk.text === chunk.text.trim(),
      `chunk ${i} is trimmed and not empty`,
    );
    const real = realCount(chunk.text);
    assert.ok(real <= options.maxTokens, `chunk ${i} has ${real} tokens, over ${options.maxTokens}`);
    assert.ok(chunk.tokenCount <= options.maxTokens, `chunk ${i} counted ${chunk.tokenCount}`);
    // chunkSections sums its sentences' counts, and the joined text may tokenize a token or two apart;
    // countTokens reads a long unbroken run in slices of 32 characters, each at most a token high.
    const slack = 2 + Math.ceil(chunk.text.length / 32);
    assert.ok(
      chunk.tokenCount >= real - 2 && chunk.tokenCount <= real + slack,
      `chunk ${i}: counted ${chunk.tokenCount}, really ${real}`,
    );
  });
  for (const chunk of chunks) assert.ok(chunk.text.isWellFormed(), `chunk ${chunk.index} cuts a character`);
  const groups = headingGroups(sections);
  const byGroup = chunkGroups(chunks);
  assert.equal(byGroup.length, groups.length, 'one run of chunks per heading group');
  groups.forEach((group, g) => {
    const groupChunks = byGroup[g]!;
    assert.equal(pathKey(groupChunks[0]!.headingPath), pathKey(group[0]!.headingPath));
    const pages = new Set(group.map((section) => section.page));
    for (const chunk of groupChunks)
      assert.ok(pages.has(chunk.page), `chunk ${chunk.index} has page ${chunk.page}`);
    placeChunks(group.map((section) => section.text).join('\n'), groupChunks);
    // A chunk below minTokens is the group's last, or one the next chunk's first new sentence did not fit
    // into, by chunkSections' own count (which reads long runs a little high, never low).
    groupChunks.slice(0, -1).forEach((chunk, i) => {
      if (chunk.tokenCount >= options.minTokens) return;
      const next = groupChunks[i + 1]!;
      assert.ok(
        chunk.tokenCount + next.tokenCount + 2 > options.maxTokens,
        `chunk ${chunk.index} has ${chunk.tokenCount} tokens, yet the ${next.tokenCount} after it would fit in it`,
      );
    });
  });
}

/** Chunks the sections, timing it, and checks it is deterministic. */
function chunkTimed(sections: readonly Section[], options: ChunkOptions, budgetMs: number): Chunk[] {
  const started = performance.now();
  const chunks = chunkSections(sections, options);
  const elapsed = performance.now() - started;
  assert.ok(elapsed < budgetMs, `chunking took ${Math.round(elapsed)} ms`);
  assert.deepEqual(chunkSections(sections, options), chunks, 'the same input chunks the same way');
  return chunks;
}

// --- Options ---------------------------------------------------------------------------------------------

/**
 * The product defaults, and sizes kept small so the runs stay fast. maxTokens is at least 4: a chunk holds at
 * least one character, which is up to 4 tokens (one per UTF-8 byte); a bot's is at least 200 anyway.
 */
const options: fc.Arbitrary<ChunkOptions> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ ...DEFAULT_CHUNK_OPTIONS }) },
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 300 }),
        fc.double({ min: 0, max: 0.9, noNaN: true }),
      )
      .map(([minTokens, extra, overlapShare]) => ({
        minTokens,
        maxTokens: Math.max(4, minTokens + extra),
        overlapTokens: Math.floor((minTokens - 1) * overlapShare),
      })),
  },
);

const headingPath = fc.option(fc.constantFrom(['Guide'], ['Guide', 'Setup'], ['FAQ'], [] as string[]), {
  nil: undefined,
});
const page = fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined });

// --- Pathological text -----------------------------------------------------------------------------------

const awkward = [
  'a',
  'Z',
  '7',
  ' ',
  '  ',
  '\n',
  '\n\n',
  '\r\n',
  '\t',
  '\u00a0',
  '\u2028',
  '\u3000',
  '.',
  '!',
  '?',
  '…',
  '。',
  '-',
  '|',
  '<|endoftext|>',
  'مرحبا',
  'ا',
  'שלום',
  '\u200f',
  '\u202e',
  '\u0301',
  'e\u0301',
  'Z\u0335\u0321\u0334\u0489',
  '漢',
  '東京タワー',
  '😀',
  '👩‍👩‍👧',
  '🇯🇵',
  '\u200d',
  '\ufeff',
  '\u0000',
  '\ud83d',
  '\ude00',
];

/** A run of one awkward piece repeated `min`..`max` times: one endless "sentence". */
const runOf = (min: number, max: number) =>
  fc
    .tuple(
      fc.constantFrom('a', '.', '!?', '漢', '😀', 'e\u0301', 'ا', '-', ' .', '\u0301', 'ab ', '\n'),
      fc.integer({ min, max }),
    )
    .map(([piece, times]) => piece.repeat(times));
// The reference encoder takes quadratic time on an unbroken run, so the runs it recounts stay short.
const giantRun = runOf(200, 1000);

const awkwardText = fc.oneof(
  fc.string({ unit: fc.constantFrom(...awkward), maxLength: 800 }),
  fc.string({ unit: 'binary', maxLength: 1500 }),
  giantRun,
  fc
    .array(fc.oneof(giantRun, fc.string({ unit: fc.constantFrom(...awkward), maxLength: 200 })), {
      maxLength: 3,
    })
    .map((parts) => parts.join('')),
);

const awkwardSections = fc.array(
  fc.record({ text: awkwardText, page, headingPath }, { requiredKeys: ['text'] }),
  {
    minLength: 1,
    maxLength: 4,
  },
);

// --- Prose with unique words, where every chunk's place is certain ---------------------------------------

interface Prose {
  sections: Section[];
  /** The longest sentence, in tokens. */
  longestSentence: number;
}

const sentenceShape = fc.record({
  words: fc.integer({ min: 1, max: 30 }),
  // Always ended, so that each generated sentence is one sentence to Intl.Segmenter too.
  end: fc.constantFrom('.', '.', '?', '!'),
  wrap: fc.boolean(),
});
const paragraphShape = fc.array(sentenceShape, { minLength: 1, maxLength: 25 });
const sectionShape = fc.record({
  paragraphs: fc.array(paragraphShape, { minLength: 1, maxLength: 6 }),
  separator: fc.constantFrom('\n\n', '\n \n', '\n\n\n', '\r\n\r\n'),
  page,
  headingPath,
});

/** Builds text from shapes with words numbered through the document, so no two sentences are alike. */
const prose: fc.Arbitrary<Prose> = fc.array(sectionShape, { minLength: 1, maxLength: 4 }).map((shapes) => {
  let word = 0;
  let longestSentence = 0;
  const sections = shapes.map(({ paragraphs, separator, page, headingPath }) => {
    const text = paragraphs
      .map((sentences) =>
        sentences
          .map(({ words, end, wrap }) => {
            const sentence =
              Array.from({ length: words }, (_, i) => `${i === 0 ? 'W' : 'w'}${word++}`).join(
                wrap ? '\n' : ' ',
              ) + end;
            longestSentence = Math.max(longestSentence, realCount(` ${sentence}`));
            return sentence;
          })
          .join(' '),
      )
      .join(separator);
    return { text, ...(page !== undefined && { page }), ...(headingPath !== undefined && { headingPath }) };
  });
  return { sections, longestSentence };
});

describe('chunkSections (property-based)', () => {
  it('chunks pathological text soundly, quickly and the same way every time', () => {
    fc.assert(
      fc.property(awkwardSections, options, (sections, chunkOptions) => {
        assertSound(sections, chunkOptions, chunkTimed(sections, chunkOptions, 5000));
      }),
      runs(30),
    );
  });

  it('gets through runs of tens of thousands of characters quickly, losing nothing', () => {
    fc.assert(
      fc.property(runOf(8000, 25_000), options, (text, chunkOptions) => {
        // Linear, if slow for text like this (some 10,000 emoji a second): the budget catches a hang or worse.
        const started = performance.now();
        const chunks = chunkSections([{ text }], chunkOptions);
        assert.ok(performance.now() - started < 15_000, `${text.length} characters took too long`);
        for (const chunk of chunks) {
          assert.ok(
            chunk.tokenCount <= chunkOptions.maxTokens,
            `chunk ${chunk.index} counted ${chunk.tokenCount}`,
          );
          assert.ok(chunk.text.isWellFormed(), `chunk ${chunk.index} cuts a character`);
        }
        if (/\S/.test(text)) placeChunks(text, chunks);
        else assert.deepEqual(chunks, []);
      }),
      runs(5),
    );
  });

  it('packs prose soundly, overlapping neighbours by whole sentences within overlapTokens', () => {
    fc.assert(
      fc.property(prose, options, ({ sections, longestSentence }, chunkOptions) => {
        const chunks = chunkTimed(sections, chunkOptions, 5000);
        assertSound(sections, chunkOptions, chunks);
        const { overlapTokens, maxTokens } = chunkOptions;
        for (const [g, group] of headingGroups(sections).entries()) {
          const groupChunks = chunkGroups(chunks)[g]!;
          const placements = placeChunks(group.map((section) => section.text).join('\n'), groupChunks);
          // Words are unique: every chunk has one place.
          assert.ok(placements.every((starts) => starts.length === 1));
          for (let i = 1; i < groupChunks.length; i++) {
            const previous = groupChunks[i - 1]!.text;
            const shared = placements[i - 1]![0]! + squeeze(previous).length - placements[i]![0]!;
            if (shared <= 0) {
              // Overlap is given up only when it is off or the longest sentence would not fit it.
              assert.ok(
                overlapTokens === 0 ||
                  longestSentence + 2 > Math.min(overlapTokens, maxTokens - longestSentence),
                `chunk ${groupChunks[i]!.index} does not overlap the one before`,
              );
              continue;
            }
            assert.ok(overlapTokens > 0, 'overlap 0 repeats nothing');
            // The overlap is the end of the previous chunk: whole sentences, within the budget.
            const next = groupChunks[i]!.text;
            let cut = 0;
            for (let seen = 0; seen < shared; cut++) if (!/\s/.test(next[cut]!)) seen++;
            const overlap = next.slice(0, cut);
            assert.ok(previous.endsWith(overlap), 'the overlap is the end of the previous chunk');
            // Sentences that fit a chunk are never cut (HEAD_SLACK in units.ts keeps 16 tokens spare).
            if (longestSentence + 16 < maxTokens)
              assert.match(overlap, /^W\d+/, 'the overlap starts a sentence');
            assert.ok(realCount(overlap) <= overlapTokens + 2, `overlap of ${realCount(overlap)} tokens`);
          }
        }
      }),
      runs(40),
    );
  });
});

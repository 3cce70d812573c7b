import assert from 'node:assert/strict';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100kBase from 'js-tiktoken/ranks/cl100k_base';
import { chunkSections, countTokens, DEFAULT_CHUNK_OPTIONS } from './index';
import type { Chunk, ChunkOptions, Section } from './index';
import { sentenceSpans } from './sentences';

// The tests' own encoder, so "real" counts don't go through the code under test (nor its slicing of long runs).
let reference: Tiktoken | undefined;
function realCount(text: string): number {
  reference ??= new Tiktoken(cl100kBase);
  return reference.encode(text, [], []).length;
}

/** A seeded generator (mulberry32), so every run packs the same text. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function between(rnd: () => number, low: number, high: number): number {
  return low + Math.floor(rnd() * (high - low + 1));
}

function pick<T>(rnd: () => number, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)]!;
}

const WORDS = (
  'the of and to in is was for on that with as by at from this are be or it an not have which has but were ' +
  'their been its more other some into than after these first new most only over such about when while also ' +
  'between during under system process customer support document policy account payment invoice shipping ' +
  'return refund warranty product service feature setting option request response message answer question ' +
  'knowledge retrieval embedding vector database chunk token sentence paragraph heading page section bot ' +
  'widget tenant administrator configuration integration webhook summary report analysis performance ' +
  'security encryption password network latency throughput reliability availability deployment container ' +
  'internationalisation accessibility 2024 17 3.5 99.9 percent customers'
).split(' ');

/** An English-looking sentence: capitalised, 4–28 words, some commas, a full stop, question or exclamation mark. */
function englishSentence(rnd: () => number): string {
  const words = Array.from(
    { length: between(rnd, 4, 28) },
    (_, i) => pick(rnd, WORDS) + (i > 2 && rnd() < 0.08 ? ',' : ''),
  );
  const text = words.join(' ').replace(/,$/, '');
  return text.charAt(0).toUpperCase() + text.slice(1) + pick(rnd, ['.', '.', '.', '.', '?', '!']);
}

interface Span {
  start: number;
  end: number;
}

interface Doc {
  text: string;
  sentences: Span[];
  paragraphs: Span[];
}

/**
 * Builds a document from generated sentences, remembering where each sentence and paragraph is. Paragraphs are
 * separated by a blank line; with `wrap`, lines break near 80 characters as in PDF text.
 */
function makeDocument(options: {
  seed: number;
  paragraphs: number;
  sentencesPerParagraph: (rnd: () => number) => number;
  sentence?: (rnd: () => number) => string;
  separator?: string;
  wrap?: boolean;
}): Doc {
  const rnd = random(options.seed);
  const { sentence = englishSentence, separator = ' ' } = options;
  let text = '';
  const sentences: Span[] = [];
  const paragraphs: Span[] = [];
  for (let p = 0; p < options.paragraphs; p++) {
    if (p > 0) text += '\n\n';
    const paragraphStart = text.length;
    let lineStart = text.length;
    const count = options.sentencesPerParagraph(rnd);
    for (let s = 0; s < count; s++) {
      if (s > 0) text += separator;
      const start = text.length;
      for (const [i, word] of sentence(rnd).split(' ').entries()) {
        if (i > 0) {
          const wrapHere = options.wrap && text.length - lineStart > 76;
          text += wrapHere ? '\n' : ' ';
          if (wrapHere) lineStart = text.length;
        }
        text += word;
      }
      sentences.push({ start, end: text.length });
    }
    paragraphs.push({ start: paragraphStart, end: text.length });
  }
  return { text, sentences, paragraphs };
}

/** Where each chunk sits in `text` (chunks are exact substrings, in order, overlapping). */
function locate(text: string, chunks: readonly Chunk[]): Span[] {
  let from = 0;
  return chunks.map((chunk) => {
    const start = text.indexOf(chunk.text, from);
    assert.ok(start >= 0, `chunk ${chunk.index} is not a substring of the document`);
    from = start + 1;
    return { start, end: start + chunk.text.length };
  });
}

/** Checks the properties every packing must have; returns the chunks' positions. */
function assertWellPacked(text: string, chunks: readonly Chunk[], options: ChunkOptions): Span[] {
  const spans = locate(text, chunks);
  chunks.forEach((chunk, i) => {
    assert.equal(chunk.index, i);
    const real = realCount(chunk.text);
    assert.ok(real <= options.maxTokens, `chunk ${i} has ${real} tokens, over ${options.maxTokens}`);
    assert.ok(chunk.tokenCount <= options.maxTokens);
    assert.ok(
      Math.abs(real - chunk.tokenCount) <= 2,
      `chunk ${i}: counted ${chunk.tokenCount}, really ${real}`,
    );
    assert.ok(!chunk.text.includes('\uFFFD'), `chunk ${i} has a broken character`);
  });
  for (let i = 1; i < spans.length; i++) {
    const previous = spans[i - 1]!;
    const next = spans[i]!;
    // Nothing lost between chunks, and overlap within budget.
    assert.ok(
      !/\S/.test(text.slice(previous.end, Math.max(previous.end, next.start))),
      `gap before chunk ${i}`,
    );
    if (next.start < previous.end) {
      const overlap = text.slice(next.start, previous.end);
      assert.ok(
        realCount(overlap) <= options.overlapTokens,
        `overlap into chunk ${i} is too long: ${overlap}`,
      );
    }
  }
  assert.ok(!/\S/.test(text.slice(0, spans[0]?.start ?? text.length)));
  assert.ok(!/\S/.test(text.slice(spans.at(-1)?.end ?? 0)));
  return spans;
}

const DEFAULTS: ChunkOptions = { ...DEFAULT_CHUNK_OPTIONS };

describe('chunking', () => {
  describe('countTokens', () => {
    it('counts cl100k_base tokens', () => {
      assert.equal(countTokens(''), 0);
      assert.equal(countTokens('tiktoken is great!'), 6);
      assert.equal(countTokens('hello world'), 2);
      const mixed =
        'Prices rose 3.5% in 2024 — café, naïve, 東京タワー, 我们的产品, مرحبا, 👩‍👩‍👧 🇯🇵!\n\n  Done.';
      assert.equal(countTokens(mixed), realCount(mixed));
    });

    it('reads special-token markers as plain text', () => {
      assert.equal(countTokens('a <|endoftext|> b'), realCount('a <|endoftext|> b'));
      assert.ok(countTokens('<|endoftext|>') > 1);
    });

    it('counts long unbroken runs quickly, and never below the real count', () => {
      for (const run of [
        'a'.repeat(300),
        '我们的产品支持多种语言和文档格式'.repeat(20),
        '😀🎉'.repeat(100),
        '-'.repeat(300),
      ]) {
        const counted = countTokens(run);
        const real = realCount(run);
        // Runs are encoded in slices of 32 characters, each costing at most about one token extra.
        const slices = Math.ceil(run.length / 32);
        assert.ok(counted >= real && counted <= real + slices, `counted ${counted}, really ${real}`);
      }
      const started = performance.now();
      countTokens('a'.repeat(50_000) + '漢'.repeat(50_000) + '😀'.repeat(20_000));
      assert.ok(performance.now() - started < 10_000);
    });
  });

  describe('sentenceSpans', () => {
    const sentences = (text: string) => sentenceSpans(text).map(({ start, end }) => text.slice(start, end));

    it('keeps hard-wrapped lines and common abbreviations inside their sentence', () => {
      assert.deepEqual(
        sentences('The invoice is sent\nat the end of the month. Mr. Smith pays it, e.g. By card.\nDone!'),
        ['The invoice is sent\nat the end of the month.', 'Mr. Smith pays it, e.g. By card.', 'Done!'],
      );
    });

    it('reads a long paragraph in windows without moving a boundary', () => {
      const rnd = random(7);
      const parts = Array.from({ length: 300 }, () => englishSentence(rnd));
      // One sentence longer than a window, to cross windows in the middle of it.
      parts.splice(150, 0, `A${' very'.repeat(1500)} long sentence.`);
      const text = parts.join(' ');
      const expected = [...new Intl.Segmenter(undefined, { granularity: 'sentence' }).segment(text)].map(
        (s) => s.segment.trim(),
      );
      assert.deepEqual(sentences(text), expected);
    });
  });

  describe('chunkSections', () => {
    it('gives a short document one chunk carrying its page and heading path', () => {
      const headingPath = ['Guide', 'Refunds'];
      const text = '  Refunds take five days.\nAsk support if it takes longer.\n\nKeep your receipt!  ';
      const chunks = chunkSections([{ text, page: 3, headingPath }]);
      assert.equal(chunks.length, 1);
      const [chunk] = chunks;
      assert.deepEqual(chunk, {
        index: 0,
        text: text.trim(),
        tokenCount: realCount(text.trim()),
        page: 3,
        headingPath,
      });
      assert.notEqual(chunk!.headingPath, headingPath, 'the heading path is a copy');
    });

    it('returns no chunks for no text, and skips blank sections', () => {
      assert.deepEqual(chunkSections([]), []);
      assert.deepEqual(chunkSections([{ text: ' \n\n\t ' }, { text: '' }]), []);
      const chunks = chunkSections([
        { text: 'One.', page: 1 },
        { text: '   ', page: 2 },
        { text: 'Two.', page: 3 },
      ]);
      assert.deepEqual(
        chunks.map((c) => [c.text, c.page]),
        [['One.\n\nTwo.', 1]],
      );
    });

    it('packs a long document into chunks of minTokens–maxTokens by a real recount, overlapping at sentences', () => {
      const doc = makeDocument({
        seed: 1,
        paragraphs: 120,
        // Mostly short paragraphs, some longer than maxTokens.
        sentencesPerParagraph: (rnd) => (rnd() < 0.15 ? between(rnd, 40, 70) : between(rnd, 1, 8)),
        wrap: true,
      });
      const chunks = chunkSections([{ text: doc.text }]);
      assert.ok(chunks.length > 20, `only ${chunks.length} chunks`);
      const spans = assertWellPacked(doc.text, chunks, DEFAULTS);
      const starts = new Set(doc.sentences.map((s) => s.start));
      const ends = new Set(doc.sentences.map((s) => s.end));
      chunks.forEach((chunk, i) => {
        if (i < chunks.length - 1) {
          const real = realCount(chunk.text);
          assert.ok(real >= DEFAULTS.minTokens, `chunk ${i} has ${real} tokens, under ${DEFAULTS.minTokens}`);
        }
        // No sentence is cut: every chunk starts and ends on a sentence boundary.
        assert.ok(starts.has(spans[i]!.start), `chunk ${i} starts inside a sentence`);
        assert.ok(ends.has(spans[i]!.end), `chunk ${i} ends inside a sentence`);
      });
      for (let i = 1; i < spans.length; i++) {
        // Every chunk opens with the end of the previous one (all sentences here are shorter than the overlap).
        if (!(spans[i]!.start < spans[i - 1]!.end))
          console.log(
            i,
            chunks[i - 1]!.tokenCount,
            JSON.stringify(chunks[i - 1]!.text.slice(-400)),
            '\n---\n',
            JSON.stringify(chunks[i]!.text.slice(0, 300)),
            chunks[i]!.tokenCount,
          );
        const overlap = doc.text.slice(spans[i]!.start, spans[i - 1]!.end);
        assert.ok(chunks[i - 1]!.text.endsWith(overlap) && chunks[i]!.text.startsWith(overlap));
      }
    });

    it('keeps paragraphs whole when they fit', () => {
      // Paragraphs up to maxTokens − minTokens always fit whole in the chunk or the next one.
      const doc = makeDocument({
        seed: 2,
        paragraphs: 60,
        sentencesPerParagraph: (rnd) => between(rnd, 6, 18),
      });
      const sizes = doc.paragraphs.map(({ start, end }) => realCount(doc.text.slice(start, end)));
      assert.ok(Math.max(...sizes) <= DEFAULTS.maxTokens - DEFAULTS.minTokens && Math.max(...sizes) > 300);
      const chunks = chunkSections([{ text: doc.text }]);
      assertWellPacked(doc.text, chunks, DEFAULTS);
      for (const { start, end } of doc.paragraphs) {
        const paragraph = doc.text.slice(start, end);
        assert.ok(
          chunks.some((chunk) => chunk.text.includes(paragraph)),
          `paragraph at ${start} was split`,
        );
      }
    });

    it('falls back to the lines of a long list without full stops', () => {
      const list = Array.from(
        { length: 250 },
        (_, i) => `- item ${i + 1}: ${WORDS[i % WORDS.length]} configuration`,
      ).join('\n');
      const chunks = chunkSections([{ text: `Our options:\n\n${list}` }]);
      const spans = assertWellPacked(`Our options:\n\n${list}`, chunks, DEFAULTS);
      assert.ok(chunks.length > 1);
      for (const [i, chunk] of chunks.entries()) {
        assert.match(chunk.text, /^(Our options:|- item \d+)/);
        assert.match(chunk.text, /configuration$/);
        if (i > 0) assert.ok(spans[i]!.start < spans[i - 1]!.end, 'list chunks overlap by whole lines');
      }
    });

    it('starts a new chunk, without overlap, whenever the heading path changes', () => {
      const long = makeDocument({ seed: 3, paragraphs: 12, sentencesPerParagraph: () => 6 }).text;
      const sections: Section[] = [
        { text: long, headingPath: ['Manual', 'Setup'] },
        { text: 'Billing is monthly.', headingPath: ['Manual', 'Billing'] },
        { text: 'Setup again, briefly.', headingPath: ['Manual', 'Setup'] },
        { text: 'No heading here.' },
        { text: 'Nor here: an empty path is no heading.', headingPath: [] },
        { text: 'Deeper.', headingPath: ['Manual', 'Setup', 'Linux'] },
      ];
      const chunks = chunkSections(sections);
      const setup = chunks.slice(0, -4);
      assert.ok(setup.length > 1);
      // The long section's chunks hold only its own text; the short sections after it are never merged in.
      assertWellPacked(long, setup, DEFAULTS);
      for (const chunk of setup) assert.deepEqual(chunk.headingPath, ['Manual', 'Setup']);
      assert.deepEqual(
        chunks.slice(-4).map((c) => [c.index, c.text, c.headingPath]),
        [
          [setup.length, 'Billing is monthly.', ['Manual', 'Billing']],
          [setup.length + 1, 'Setup again, briefly.', ['Manual', 'Setup']],
          [setup.length + 2, 'No heading here.\n\nNor here: an empty path is no heading.', undefined],
          [setup.length + 3, 'Deeper.', ['Manual', 'Setup', 'Linux']],
        ],
      );
    });

    it('lets a chunk run across pages of one heading, carrying the page it starts on', () => {
      const pages = Array.from({ length: 6 }, (_, i) => ({
        text: makeDocument({
          seed: 10 + i,
          paragraphs: 3,
          sentencesPerParagraph: (rnd) => between(rnd, 3, 6),
        }).text,
        page: i + 1,
      }));
      const joined = pages.map((p) => p.text).join('\n\n');
      const pageStarts = pages.map((_, i) =>
        pages.slice(0, i).reduce((sum, p) => sum + p.text.length + 2, 0),
      );
      const chunks = chunkSections(pages);
      const spans = assertWellPacked(joined, chunks, DEFAULTS);
      let crossesPages = false;
      chunks.forEach((chunk, i) => {
        const { start, end } = spans[i]!;
        const startPage = pageStarts.findLastIndex((offset) => offset <= start) + 1;
        const endPage = pageStarts.findLastIndex((offset) => offset < end) + 1;
        assert.equal(chunk.page, startPage, `chunk ${i} starts on page ${startPage}`);
        crossesPages ||= endPage > startPage;
      });
      assert.ok(crossesPages, 'some chunk spans two pages');
    });

    it('cuts a 5,000-word sentence by tokens, within maxTokens and losing nothing', () => {
      const rnd = random(4);
      const blob = Array.from({ length: 5000 }, () => pick(rnd, WORDS)).join(' ');
      for (const options of [DEFAULTS, { ...DEFAULTS, overlapTokens: 0 }]) {
        const chunks = chunkSections([{ text: blob }], options);
        const spans = assertWellPacked(blob, chunks, options);
        assert.ok(chunks.length >= 5);
        for (const [i, chunk] of chunks.entries()) {
          if (i < chunks.length - 1) assert.ok(realCount(chunk.text) >= options.minTokens);
          if (i > 0 && options.overlapTokens > 0)
            assert.ok(spans[i]!.start < spans[i - 1]!.end, 'pieces overlap');
        }
      }
    });

    it('handles Chinese and Japanese without spaces, and emoji', () => {
      const clauses = [
        '我们的产品支持多种语言',
        '文档会被自动切分',
        '客服机器人可以回答问题',
        '日本語の文章も扱えます',
        'このボットは質問に答えます',
        '東京タワーは高いです',
        '价格是九十九元😀',
        '家族👩‍👩‍👧と旅行🇯🇵しました',
      ];
      const cjkSentence = (rnd: () => number) =>
        Array.from({ length: between(rnd, 1, 4) }, () => pick(rnd, clauses)).join(pick(rnd, ['，', '、'])) +
        pick(rnd, ['。', '。', '！', '？']);
      const doc = makeDocument({
        seed: 5,
        paragraphs: 40,
        sentencesPerParagraph: (rnd) => between(rnd, 2, 25),
        sentence: cjkSentence,
        separator: '',
      });
      const chunks = chunkSections([{ text: doc.text, page: 1 }]);
      const spans = assertWellPacked(doc.text, chunks, DEFAULTS);
      assert.ok(chunks.length > 3);
      const starts = new Set(doc.sentences.map((s) => s.start));
      const ends = new Set(doc.sentences.map((s) => s.end));
      for (const [i, span] of spans.entries()) {
        assert.ok(starts.has(span.start) && ends.has(span.end), `chunk ${i} cuts a sentence`);
        if (i < chunks.length - 1) assert.ok(realCount(chunks[i]!.text) >= DEFAULTS.minTokens);
        if (i > 0) assert.ok(span.start < spans[i - 1]!.end, `chunk ${i} has no overlap`);
      }
    });

    it('cuts a long run of Chinese without punctuation at characters, not bytes', () => {
      const rnd = random(11);
      const characters = Array.from(
        '我们的产品支持多种语言和文档格式在线客服系统人工智能回答问题价格是九十元东京塔很高😀🎉',
      );
      const run = Array.from({ length: 3000 }, () => pick(rnd, characters)).join('');
      const options = { minTokens: 100, maxTokens: 200, overlapTokens: 20 };
      const started = performance.now();
      const chunks = chunkSections([{ text: run }], options);
      assert.ok(performance.now() - started < 10_000);
      const spans = assertWellPacked(run, chunks, options);
      assert.ok(chunks.length > 10);
      for (let i = 1; i < spans.length; i++) assert.ok(spans[i]!.start < spans[i - 1]!.end, 'pieces overlap');
    });

    it('repeats nothing when overlap is 0', () => {
      const doc = makeDocument({
        seed: 6,
        paragraphs: 40,
        sentencesPerParagraph: (rnd) => between(rnd, 2, 12),
      });
      const chunks = chunkSections([{ text: doc.text }], { overlapTokens: 0 });
      const spans = assertWellPacked(doc.text, chunks, { ...DEFAULTS, overlapTokens: 0 });
      for (let i = 1; i < spans.length; i++) assert.ok(spans[i]!.start >= spans[i - 1]!.end);
    });

    it('honours per-bot sizes, down to one token per chunk', () => {
      const doc = makeDocument({
        seed: 8,
        paragraphs: 20,
        sentencesPerParagraph: (rnd) => between(rnd, 2, 12),
      });
      const small = { minTokens: 100, maxTokens: 200, overlapTokens: 30 };
      assertWellPacked(doc.text, chunkSections([{ text: doc.text }], small), small);
      const tiny = { minTokens: 1, maxTokens: 1, overlapTokens: 0 };
      const chunks = chunkSections([{ text: 'Hello there, world. Bye.' }], tiny);
      assertWellPacked('Hello there, world. Bye.', chunks, tiny);
      // "Bye" opening a chunk is two tokens, so it is cut by characters.
      assert.deepEqual(
        chunks.map((c) => c.text),
        ['Hello', 'there', ',', 'world', '.', 'By', 'e', '.'],
      );
    });

    it('validates options', () => {
      for (const bad of [
        { minTokens: 0 },
        { maxTokens: 0 },
        { minTokens: 600, maxTokens: 500 },
        { overlapTokens: -1 },
        { overlapTokens: 500 },
        { minTokens: 100, maxTokens: 200, overlapTokens: 150 },
        { minTokens: 1.5 },
        { maxTokens: Number.NaN },
        { maxTokens: Number.POSITIVE_INFINITY },
      ]) {
        assert.throws(() => chunkSections([{ text: 'Hi.' }], bad), RangeError, JSON.stringify(bad));
      }
      // Unset and undefined values fall back to the defaults.
      assert.equal(chunkSections([{ text: 'Hi.' }], { minTokens: undefined, overlapTokens: 0 }).length, 1);
    });

    it('chunks about 1 MB of text in reasonable time', function () {
      countTokens('warm up'); // builds the encoder, which is not chunking work
      const doc = makeDocument({
        seed: 9,
        paragraphs: 1150,
        sentencesPerParagraph: (rnd) => (rnd() < 0.1 ? between(rnd, 20, 60) : between(rnd, 1, 8)),
        wrap: true,
      });
      const started = performance.now();
      const chunks = chunkSections([{ text: doc.text }]);
      const seconds = (performance.now() - started) / 1000;
      const tokens = realCount(doc.text);
      console.log(
        `      chunked ${(doc.text.length / 1e6).toFixed(2)} MB (${tokens} tokens) into ${chunks.length} chunks ` +
          `in ${seconds.toFixed(2)} s: ${Math.round(tokens / seconds)} tokens/s`,
      );
      assert.ok(doc.text.length > 1_000_000);
      assert.ok(seconds < 20);
      assertWellPacked(doc.text, chunks, DEFAULTS);
    });
  });
});

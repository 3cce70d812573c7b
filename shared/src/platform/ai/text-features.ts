/**
 * Turns text into hashed lexical features for the offline embedder: whole (lightly stemmed) words,
 * character trigrams inside words, and character bigrams across runs of Chinese/Japanese script.
 */

/** Content words (stemmed): the strongest signal. */
export const WORD = 0;
/** Very common English words: kept so that a query made only of them still matches, but weighted low. */
export const STOP_WORD = 1;
/** Trigrams inside words and bigrams across CJK runs: "indexing" meets "index", typos still match. */
export const GRAM = 2;
export type FeatureKind = typeof WORD | typeof STOP_WORD | typeof GRAM;

/** Receives each distinct feature of a text once: a 30-bit hash, its kind and how often it occurs. */
export type FeatureVisitor = (hash: number, kind: FeatureKind, tf: number) => void;

// Pinned rather than the process default (`undefined`): the default follows LANG, and vectors already
// stored must not change because a server started with another locale. ICU's word rules are the same
// for almost all locales anyway, and its dictionaries for CJK/Thai are chosen by script.
const segmenter = new Intl.Segmenter('en', { granularity: 'word' });

// V8 before 12.3 (so Node 20) makes Intl.Segmenter quadratic in the length of the string it iterates
// (crbug.com/326176949): one 134 KB string took a minute. Windows of a few hundred characters, cut where
// no word can continue, keep it linear; 256 was the fastest size measured (5.5 MB/s, 3.3 at 2 KB).
const WINDOW = 256;
const MAX_WINDOW = 1024;

// Non-ASCII spans closer than this go to the segmenter together.
const MERGE_GAP = 32;

// Beyond this, a "word" is usually an identifier, a hash or base64: its trigrams would swamp the vector.
const MAX_GRAM_WORD = 32;

const SEED_WORD = 0x811c9dc5; // FNV-1a offset basis
const SEED_STOP = 0x2f6b1a37;
const SEED_GRAM = 0x5bd1e995;
const SEED_CJK = 0x27d4eb2f;
const FNV_PRIME = 0x01000193;
const WORD_START = 0x02; // padding around words for trigrams, so prefixes and suffixes are features too
const WORD_END = 0x03;

const STOP_WORDS = new Set(
  (
    'a an and are as at be been but by can do does for from had has have he her his how i if in into is it ' +
    'its me my no not of on or our she so than that the their them then there these they this to was we ' +
    'were what when where which who why will with would you your'
  ).split(' '),
);

/** Calls `visit` for every distinct feature of `text` (normalised with NFKC and lower-cased first). */
export function forEachFeature(text: string, visit: FeatureVisitor): void {
  length = 0;
  cjkEnd = -1;
  forEachWord(text.normalize('NFKC').toLowerCase(), addWord);

  // Count by sorting the keys: no Map entries to allocate and collect for every text.
  const keys = buffer.subarray(0, length).sort();
  for (let i = 0; i < keys.length;) {
    const key = keys[i]!;
    let j = i + 1;
    while (j < keys.length && keys[j] === key) j++;
    visit(key >>> 2, (key & 3) as FeatureKind, j - i);
    i = j;
  }
}

/**
 * Calls `visit` with each word of `text` and its position, in order: the word-like segments of
 * `Intl.Segmenter`. Whitespace-delimited spans that are pure ASCII are cut by {@link forEachAsciiWord}
 * instead, which applies the same rules (UAX #29) several times faster; whitespace always separates
 * words, so the words are the same (embedders.test.ts checks it against Intl.Segmenter).
 */
export function forEachWord(text: string, visit: (word: string, at: number) => void): void {
  for (let start = 0; start < text.length;) {
    const end = windowEnd(text, start);
    for (let at = start; at < end;) {
      let first = at;
      while (first < end && text.charCodeAt(first) < 0x80) first++;
      if (first === end) {
        forEachAsciiWord(text, at, end, visit);
        break;
      }
      // From the start of the span holding non-ASCII to its end, and on to the end of the next such span
      // if it starts soon after: every call to the segmenter has a fixed cost.
      while (first > at && !isAsciiSpace(text.charCodeAt(first - 1))) first--;
      let last = first;
      for (;;) {
        while (last < end && !isAsciiSpace(text.charCodeAt(last))) last++;
        const limit = Math.min(end, last + MERGE_GAP);
        let next = last;
        while (next < limit && text.charCodeAt(next) < 0x80) next++;
        if (next === limit) break;
        last = next;
      }
      forEachAsciiWord(text, at, first, visit);
      for (const segment of segmenter.segment(text.slice(first, last))) {
        if (segment.isWordLike) visit(segment.segment, first + segment.index);
      }
      at = last;
    }
    start = end;
  }
}

// Word_Break classes of ASCII characters (UAX #29): what joins in a word and on which conditions.
const OTHER = 0;
const LETTER = 1;
const DIGIT = 2;
const UNDERSCORE = 3; // ExtendNumLet: joins anything word-like
const MID_LETTER = 4; // ':' between letters
const MID_NUM_LET = 5; // '.' and "'" between letters or between digits
const MID_NUM = 6; // ',' and ';' between digits
const ASCII_CLASS = new Uint8Array(128);
for (let c = 0x61; c <= 0x7a; c++) ASCII_CLASS[c] = ASCII_CLASS[c - 0x20] = LETTER;
for (let c = 0x30; c <= 0x39; c++) ASCII_CLASS[c] = DIGIT;
ASCII_CLASS[0x5f] = UNDERSCORE;
ASCII_CLASS[0x3a] = MID_LETTER;
ASCII_CLASS[0x2e] = ASCII_CLASS[0x27] = MID_NUM_LET;
ASCII_CLASS[0x2c] = ASCII_CLASS[0x3b] = MID_NUM;

/** The words of `text[start, end)`, which is pure ASCII, exactly as Intl.Segmenter cuts them. */
function forEachAsciiWord(
  text: string,
  start: number,
  end: number,
  visit: (word: string, at: number) => void,
) {
  for (let i = start; i < end;) {
    let previous = ASCII_CLASS[text.charCodeAt(i)]!;
    if (previous === OTHER || previous > UNDERSCORE) {
      i++;
      continue;
    }
    const from = i++;
    while (i < end) {
      const current = ASCII_CLASS[text.charCodeAt(i)]!;
      if (current !== OTHER && current <= UNDERSCORE) {
        previous = current;
        i++;
        continue;
      }
      const next = i + 1 < end ? ASCII_CLASS[text.charCodeAt(i + 1)]! : OTHER;
      const joins =
        current === MID_LETTER
          ? previous === LETTER && next === LETTER
          : current === MID_NUM_LET
            ? (previous === LETTER || previous === DIGIT) && next === previous
            : current === MID_NUM && previous === DIGIT && next === DIGIT;
      if (!joins) break;
      previous = next;
      i += 2;
    }
    // ICU's quirk, kept for equality: "__" is a word, a lone "_" is not.
    if (i - from > 1 || previous !== UNDERSCORE) visit(text.slice(from, i), from);
  }
}

function isAsciiSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d);
}

// State of the text being processed; forEachFeature is synchronous, so module state is safe. `buffer`
// holds each feature's key: the mixed hash with its two low bits replaced by the feature kind.
let buffer = new Uint32Array(4096);
let length = 0;
// Where the last CJK word ended and its last code point, to add the bigram bridging two adjacent CJK
// words: the dictionary may cut a run differently in another sentence, its bigrams do not change.
let cjkEnd = -1;
let cjkLast = 0;

function addWord(word: string, at: number): void {
  if (isCjk(word.charCodeAt(0))) {
    push(hashString(word, SEED_WORD), WORD);
    cjkLast = cjkBigrams(word, at === cjkEnd ? cjkLast : -1);
    cjkEnd = at + word.length;
  } else if (STOP_WORDS.has(word)) {
    push(hashString(word, SEED_STOP), STOP_WORD);
  } else {
    push(hashString(stem(word), SEED_WORD), WORD);
    if (word.length >= 3) trigrams(word);
  }
}

function push(hash: number, kind: FeatureKind): void {
  if (length === buffer.length) {
    const grown = new Uint32Array(buffer.length * 2);
    grown.set(buffer);
    buffer = grown;
  }
  buffer[length++] = (fmix(hash) & ~3) | kind;
}

/** End of the window starting at `start`: after WINDOW characters, at the next whitespace or CJK stop. */
function windowEnd(text: string, start: number): number {
  if (text.length - start <= MAX_WINDOW) return text.length;
  const limit = start + MAX_WINDOW;
  let end = start + WINDOW;
  while (end < limit && !isBreak(text.charCodeAt(end))) end++;
  // A hard cut (a kilobyte without a space) must not split a surrogate pair.
  if (end === limit && isLowSurrogate(text.charCodeAt(end))) end--;
  return end;
}

function isBreak(code: number): boolean {
  return code <= 0x20 || code === 0x3000 || code === 0x3001 || code === 0x3002 || code === 0xff0c;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Han, Hiragana and Katakana: scripts written without spaces, where words alone are too brittle. */
function isCjk(code: number): boolean {
  return (
    (code >= 0x3040 && code <= 0x30ff) || // Hiragana, Katakana
    (code >= 0x31f0 && code <= 0x31ff) || // Katakana phonetic extensions
    (code >= 0x3400 && code <= 0x4dbf) || // Han extension A
    (code >= 0x4e00 && code <= 0x9fff) || // Han
    (code >= 0xf900 && code <= 0xfaff) || // Han compatibility
    (code >= 0xd840 && code <= 0xd8bf) // high surrogates of Han extensions B.. (U+20000-U+3FFFF)
  );
}

/** Adds the code-point bigrams of a CJK word (and the one joining it to `previous`); returns its last. */
function cjkBigrams(word: string, previous: number): number {
  let last = previous;
  for (let i = 0; i < word.length;) {
    const code = word.codePointAt(i)!;
    if (last >= 0) {
      push(Math.imul(Math.imul(SEED_CJK ^ last, FNV_PRIME) ^ code, FNV_PRIME), GRAM);
    }
    last = code;
    i += code > 0xffff ? 2 : 1;
  }
  return last;
}

/** Adds the trigrams of `^word$` (at most MAX_GRAM_WORD characters of it). */
function trigrams(word: string): void {
  const length = Math.min(word.length, MAX_GRAM_WORD);
  let a = WORD_START;
  let b = word.charCodeAt(0);
  for (let i = 1; i <= length; i++) {
    const c = i < length ? word.charCodeAt(i) : WORD_END;
    push(Math.imul(Math.imul(Math.imul(SEED_GRAM ^ a, FNV_PRIME) ^ b, FNV_PRIME) ^ c, FNV_PRIME), GRAM);
    a = b;
    b = c;
  }
}

/**
 * The content words of `text` in order, repeats kept: NFKC, lower-cased, stop words and contractions
 * ("don't", "what's") left out, possessives cut ("multer's" is "multer"), inflections stemmed. The one
 * notion of "the same word" shared by lexical search, answer extraction and confidence.
 */
export function searchTerms(text: string): string[] {
  const terms: string[] = [];
  forEachWord(text.normalize('NFKC').toLowerCase(), (word) => {
    const term = contentTerm(word);
    if (term) terms.push(term);
  });
  return terms;
}

/**
 * The words of a document's name or URL, to search by: "pricing-2024.pdf" is "pricing 2024", a URL its host
 * and path words (a "." between letters would otherwise join them into one word).
 */
export function sourceWords(source: string): string {
  return source
    .replace(/\.[a-z0-9]{1,5}$/i, '')
    .replace(/^https?:\/\//i, '')
    .replace(/[-_./:?=&#]+/g, ' ');
}

function contentTerm(word: string): string | null {
  const plain = word.replace(/’/g, "'").replace(/'s$/, '');
  if (STOP_WORDS.has(plain) || CONTRACTION.test(plain)) return null;
  // A final "e" goes too, so "prorate" meets "prorated" once the stemmer has taken the "ed".
  return stem(plain).replace(/(?<=...)e$/, '');
}
const CONTRACTION = /^[a-z]+(?:n't|'d|'ll|'re|'ve|'m)$/;

/**
 * Strips the commonest English inflections so "documents", "indexed" and "indexing" count as the same
 * word as "document" and "index" (`word` lower-cased). Deliberately crude; trigrams make up for its mistakes.
 */
export function stem(word: string): string {
  const n = word.length;
  if (n < 4 || !ASCII_WORD.test(word)) return word;
  if (n > 4 && word.endsWith('ies')) return word.slice(0, -3) + 'y';
  if (n > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (n > 4 && word.endsWith('ed')) return word.slice(0, -2);
  if (n > 4 && /(?:ch|sh|x|ss|z)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !/(?:ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}
const ASCII_WORD = /^[a-z]+$/;

/** 32-bit FNV-1a of a string's UTF-16 code units. */
function hashString(text: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

/** murmur3's finaliser: FNV's low bits are weak, and bucket and sign are both taken from the result. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

// After the stemmer and its tables, which building this set runs.
/**
 * Words that shape a question rather than say what it is about ("is there a way to get…", "how much",
 * "what can I use instead"): as search terms (stemmed) they count for little in how well a passage answers,
 * and a passage lacking them misses nothing. English only, like the stemmer.
 */
const GENERIC_TERMS = new Set(
  searchTerms(
    'able about actually again all allow also any anything anyone around bye everything goodbye hello hey hi back best better can could do does ' +
      'each else even ever every exactly give get go going good got happen help here instead just keep kind ' +
      'know let like long look lot make many may maybe mean might more most much must need new now often ' +
      'ok okay one only other own please possible put rather really right said say see seem should show ' +
      'so some something sort still sure take tell thank thanks thing think though try turn use using want ' +
      'way well work yet',
  ),
);

/**
 * Whether `text` names something to look up: a word besides stop words and {@link GENERIC_TERMS}. "hello"
 * or "tell me more" does not: small talk, not a question the documents could fail to answer.
 */
export function namesSubject(text: string): boolean {
  return searchTerms(text).some((term) => !GENERIC_TERMS.has(term));
}

/** How much a search term says about what is asked: 1, or 0.2 for the words of {@link GENERIC_TERMS}. */
export function termSalience(term: string): number {
  return GENERIC_TERMS.has(term) ? 0.2 : 1;
}

/**
 * Token counts in cl100k_base, the encoding of OpenAI text-embedding-3-small, so chunk budgets are measured in
 * the same tokens the embedding API counts and limits. Chat models also count with it when the provider
 * reports no usage: an estimate there (the gpt-4o family encodes with o200k_base, within a few percent).
 */
import { Tiktoken } from 'js-tiktoken/lite';
import cl100kBase from 'js-tiktoken/ranks/cl100k_base';

// The lite entry point plus one ranks file rather than getEncoding() from the package root: the root bundles
// every encoding (5.6 MB of JavaScript parsed by each worker) to use one. The ranks ship inside the package,
// so nothing is downloaded.
let encoder: Tiktoken | undefined;

/** The process-wide encoder. Building its rank tables takes about a second, so it happens once, on first use. */
function getEncoder(): Tiktoken {
  encoder ??= new Tiktoken(cl100kBase);
  return encoder;
}

// js-tiktoken's byte-pair merge is quadratic or worse in the length of one pre-tokenizer piece: 4,000 Chinese
// characters without punctuation take ~20 s, a page of emoji several seconds. Pieces only grow that long from
// an unbroken run of letters, of symbols or of whitespace, so such runs are encoded in short slices instead.
// Slicing only stops merges across the cuts (≈ one extra token per slice, so counts err high, not low);
// ordinary text never meets this and is encoded exactly, in one call.
const LONG_RUN = /\p{L}{64,}|[^\s\p{L}\p{N}]{64,}|\s{64,}/u;
const LONG_RUNS = new RegExp(LONG_RUN.source, 'gu');
const RUN_SLICE = 32;

function encodeExact(text: string): number[] {
  // No special tokens: a document that contains "<|endoftext|>" is encoded as the plain text it is, rather
  // than rejected (js-tiktoken's default) or given a control token.
  return text ? getEncoder().encode(text, [], []) : [];
}

function appendTo(target: number[], tokens: readonly number[]): void {
  // A loop, not push(...tokens): spreading a long array overflows the call stack.
  for (const token of tokens) target.push(token);
}

/** The cl100k_base tokens of `text`, with unbroken runs of 64+ letters, symbols or spaces encoded in slices. */
export function encode(text: string): number[] {
  if (!LONG_RUN.test(text)) return encodeExact(text);
  const tokens: number[] = [];
  let position = 0;
  for (const run of text.matchAll(LONG_RUNS)) {
    appendTo(tokens, encodeExact(text.slice(position, run.index)));
    const runEnd = run.index + run[0].length;
    for (let start = run.index; start < runEnd;) {
      const end = safeCut(text, Math.min(start + RUN_SLICE, runEnd), start);
      appendTo(tokens, encodeExact(text.slice(start, end)));
      start = end;
    }
    position = runEnd;
  }
  appendTo(tokens, encodeExact(text.slice(position)));
  return tokens;
}

/** Moves a cut that would separate a surrogate pair (an emoji, a rare CJK character) back by one. */
function safeCut(text: string, cut: number, floor: number): number {
  const before = text.charCodeAt(cut - 1);
  return cut - 1 > floor && before >= 0xd800 && before <= 0xdbff ? cut - 1 : cut;
}

/**
 * The number of cl100k_base tokens in `text` (the encoding of text-embedding-3-small). Exact for ordinary
 * text; runs of 64+ letters, symbols or spaces without a break are counted in slices and may count a little high.
 */
export function countTokens(text: string): number {
  return encode(text).length;
}

/** A piece of text with its token counts. */
export interface TokenSlice {
  text: string;
  tokens: number;
  /** The count once leading whitespace is trimmed, as when the piece opens a chunk (" word" → "word"). */
  headTokens: number;
}

/**
 * Splits `text` into consecutive pieces of at most `limit` tokens each, cutting between tokens — the last
 * resort for a sentence too long for any chunk. Pieces are exact substrings (they join back to `text`): a cut
 * that would fall inside a character (an emoji spans several tokens) moves back, and a piece whose own
 * re-count exceeds `limit` (with or without its leading space) is shortened, by characters if need be.
 */
export function splitByTokens(text: string, limit: number): TokenSlice[] {
  const tokens = encode(text);
  const slices: TokenSlice[] = [];
  let first = 0;
  let offset = 0;
  while (first < tokens.length) {
    const slice = nextSlice(text, offset, tokens, first, limit);
    if (!slice) {
      // Unreachable for valid UTF-16 input; keeps the remainder rather than loop or lose text.
      slices.push(measure(text.slice(offset)));
      break;
    }
    if (fits(slice, limit)) {
      slices.push({ text: slice.text, tokens: slice.tokens, headTokens: slice.headTokens });
    } else {
      // No cut between tokens fits: the limit is below one word's tokens ("Bye" opening a chunk is two).
      for (const piece of splitByCharacters(slice.text, limit)) slices.push(piece);
    }
    first = slice.end;
    offset += slice.text.length;
  }
  return slices;
}

/** Counts `text` as it is and as it would open a chunk. */
export function measure(text: string): TokenSlice {
  const tokens = countTokens(text);
  const trimmed = text.trimStart();
  return { text, tokens, headTokens: trimmed.length === text.length ? tokens : countTokens(trimmed) };
}

function fits(slice: TokenSlice, limit: number): boolean {
  return Math.max(slice.tokens, slice.headTokens) <= limit;
}

/**
 * Cuts a short text into the longest character runs that fit `limit`, for limits below a word's tokens. A
 * single character is never cut, so one that needs more tokens than the limit (an emoji at a limit of 1)
 * stays over it.
 */
function splitByCharacters(text: string, limit: number): TokenSlice[] {
  const pieces: TokenSlice[] = [];
  let characters = Array.from(text);
  while (characters.length > 0) {
    let length = characters.length;
    let piece = measure(characters.join(''));
    while (length > 1 && !fits(piece, limit)) {
      length--;
      piece = measure(characters.slice(0, length).join(''));
    }
    pieces.push(piece);
    characters = characters.slice(length);
  }
  return pieces;
}

const MAX_CUT_ATTEMPTS = 8;

function nextSlice(
  text: string,
  offset: number,
  tokens: readonly number[],
  first: number,
  limit: number,
): (TokenSlice & { end: number }) | undefined {
  const encoder = getEncoder();
  const preferred = Math.min(first + limit, tokens.length);
  let fallback: (TokenSlice & { end: number }) | undefined;
  // The longest slice first, then shorter ones; longer only when the limit is smaller than one character's
  // tokens (a 1-token limit and a 3-token emoji).
  const candidates: number[] = [];
  for (let end = preferred; end > first && candidates.length < MAX_CUT_ATTEMPTS; end--) candidates.push(end);
  for (let end = preferred + 1; end <= Math.min(preferred + 4, tokens.length); end++) candidates.push(end);
  for (const end of candidates) {
    const piece = encoder.decode(tokens.slice(first, end));
    if (!piece || !text.startsWith(piece, offset)) continue; // cut inside a character
    const slice = { ...measure(piece), end };
    if (fits(slice, limit)) return slice;
    fallback ??= slice;
  }
  return fallback;
}

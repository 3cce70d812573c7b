import {
  ChatModelError,
  type ChatCompletion,
  type ChatModel,
  type ChatRequest,
  type ContextPassage,
} from './chat-model';
import { searchTerms, sourceWords, termSalience } from './text-features';
import { countTokens } from './tokenizer';

/** What the offline answerer says when no sentence of the context shares a word with the question. */
export const OFFLINE_NO_ANSWER =
  "I couldn't find that in the documents I have. Could you rephrase, or ask to talk to a person?";

/** The `model` of the offline answerer's completions (priced at 0). */
export const OFFLINE_MODEL = 'offline-extractive';

const MAX_SENTENCES = 5;
// An answer stops growing past this many characters: a quote, not a copy of the page.
const MAX_ANSWER_LENGTH = 900;
// The best sentence is quoted with this many that follow it: the fact asked for often comes right after
// the sentence that names the subject ("The parameterLimit option controls… It defaults to 1000.").
const FOLLOWING = 2;
// A question word found in the passage's heading or document name, not in the sentence itself, counts
// this much: "Auto-pipelining > Benchmarks" says what its sentences are about without repeating it.
const FRAME_SHARE = 0.4;
// Each place further down the retrieval's order costs a passage's sentences this share of their score.
const RANK_DISCOUNT = 0.04;
// Sentences scoring below this share of the best one are mostly noise around it.
const KEEP_SHARE = 0.5;
// Beyond this a "sentence" is usually a list or a table without full stops: it is cut into its lines,
// and a line still longer is shortened, so that one of them cannot fill the whole answer.
const MAX_SENTENCE_LENGTH = 400;
// Hand the event loop back after this many deltas, so a long answer never holds up other visitors.
const YIELD_EVERY = 20;

// Pinned to 'en' like the offline embedder's segmenter: ICU's rules hardly differ by locale, and the
// answer must not depend on the server's LANG.
const sentences = new Intl.Segmenter('en', { granularity: 'sentence' });

/** A sentence of the context that shares words with the question. */
interface Candidate {
  text: string;
  passage: ContextPassage;
  /** Position of the sentence in its passage, and of its paragraph. */
  position: number;
  paragraph: number;
  /** The question's words it contains, weighted (see extractAnswer). */
  score: number;
}

/**
 * Answers without any model or network, for bots without an OpenAI key and as the fallback when OpenAI
 * fails: it quotes the sentences of the retrieved passages that best cover the question's words (each
 * weighted by `request.termWeight`, else by salience alone), with the sentence that follows the best one
 * (where answers tend to continue), each followed by its passage's citation; and says
 * {@link OFFLINE_NO_ANSWER} when no sentence shares a word with the question. It does not understand the
 * question and never pretends to: every word it says comes from the documents.
 */
export class OfflineAnswerer implements ChatModel {
  readonly provider = 'offline';

  async complete(request: ChatRequest, onDelta: (text: string) => void): Promise<ChatCompletion> {
    throwIfAborted(request.signal);
    const content = extractAnswer(request.question, request.context, request.termWeight ?? termSalience);
    const pieces = content.match(/\s*\S+/g) ?? [];
    for (let i = 0; i < pieces.length; i++) {
      if (i > 0 && i % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
      throwIfAborted(request.signal);
      onDelta(pieces[i]!);
    }
    // Counted after streaming: the first count in a process builds the tokenizer's tables (about a second).
    const promptTokens = request.context.reduce(
      (sum, passage) => sum + countTokens(passage.text),
      countTokens(request.question),
    );
    return {
      content,
      model: OFFLINE_MODEL,
      usage: { promptTokens, completionTokens: countTokens(content), source: 'estimated' },
    };
  }
}

/**
 * The best sentences of `context` for `question`, in the order of the documents (passage, then position),
 * each followed by `[index]`; or {@link OFFLINE_NO_ANSWER}. A sentence scores the weights of the question's
 * words it contains, plus a share of those only its passage's heading or title holds, less a little for
 * each place its passage ranks lower. The best sentence is quoted with the next one of its paragraph, then
 * others close to it in score, within MAX_SENTENCES and MAX_ANSWER_LENGTH.
 */
function extractAnswer(
  question: string,
  context: ContextPassage[],
  weightOf: (term: string) => number,
): string {
  const weights = new Map(searchTerms(question).map((term) => [term, weightOf(term)]));
  const candidates: Candidate[] = [];
  const byPlace = new Map<string, Candidate>();
  // Chunks overlap, so neighbouring passages repeat sentences: each is quoted once, from its best passage.
  const seen = new Set<string>();
  context.forEach((passage, rank) => {
    const frame = new Set(searchTerms(`${sourceWords(passage.title)} ${passage.heading ?? ''}`));
    sentencesOf(passage.text).forEach(({ text, paragraph }, position) => {
      if (seen.has(text)) return;
      seen.add(text);
      const terms = termsOf(text);
      let direct = 0;
      let framed = 0;
      for (const [term, weight] of weights) {
        if (terms.has(term)) direct += weight;
        else if (frame.has(term)) framed += weight;
      }
      const candidate = {
        text,
        passage,
        position,
        paragraph,
        score: (direct + FRAME_SHARE * framed) * (1 - RANK_DISCOUNT * rank),
      };
      byPlace.set(`${passage.index}:${position}`, candidate);
      if (direct > 0) candidates.push(candidate);
    });
  });
  if (candidates.length === 0) return OFFLINE_NO_ANSWER;

  candidates.sort((a, b) => b.score - a.score);
  const best = candidates[0]!;
  const chosen = [best];
  for (let after = 1; after <= FOLLOWING; after++) {
    const next = byPlace.get(`${best.passage.index}:${best.position + after}`);
    // Into the next paragraph only after a sentence that announces it ("…, set these options:").
    const continues = next && (next.paragraph === best.paragraph || best.text.endsWith(':'));
    if (!continues) break;
    chosen.push(next);
  }
  let length = chosen.reduce((sum, c) => sum + c.text.length, 0);
  for (const candidate of candidates.slice(1)) {
    if (chosen.length >= MAX_SENTENCES || candidate.score < KEEP_SHARE * best.score) break;
    if (chosen.includes(candidate) || length + candidate.text.length > MAX_ANSWER_LENGTH) continue;
    chosen.push(candidate);
    length += candidate.text.length;
  }
  chosen.sort((a, b) => a.passage.index - b.passage.index || a.position - b.position);
  return chosen.map((c) => `${c.text} [${c.passage.index}]`).join(' ');
}

/** The distinct content words of `text`. */
function termsOf(text: string): Set<string> {
  return new Set(searchTerms(text));
}

/** The sentences of a passage, trimmed, none longer than MAX_SENTENCE_LENGTH, with their paragraph's number. */
function sentencesOf(text: string): { text: string; paragraph: number }[] {
  const result: { text: string; paragraph: number }[] = [];
  for (const [number, paragraph] of text.split(/\n\s*\n/).entries()) {
    // A single line break does not end a sentence (ICU would end one there, and PDF text is hard-wrapped);
    // replaced by a space of the same length, offsets into `paragraph` still hold.
    const flat = paragraph.replace(/[\r\n]/g, ' ');
    for (const { segment, index } of sentences.segment(flat)) {
      const sentence = segment.trim();
      if (!sentence) continue;
      if (sentence.length <= MAX_SENTENCE_LENGTH) {
        result.push({ text: sentence, paragraph: number });
        continue;
      }
      for (const line of paragraph.slice(index, index + segment.length).split(/\r?\n/)) {
        const trimmed = line.trim();
        if (trimmed) result.push({ text: shorten(trimmed), paragraph: number });
      }
    }
  }
  return result;
}

/** `text` cut at the last space before MAX_SENTENCE_LENGTH, with an ellipsis, if it is longer. */
function shorten(text: string): string {
  if (text.length <= MAX_SENTENCE_LENGTH) return text;
  let cut = text.lastIndexOf(' ', MAX_SENTENCE_LENGTH);
  if (cut <= 0) {
    // No space to cut at (CJK, a URL): cut anywhere but inside a surrogate pair.
    cut = MAX_SENTENCE_LENGTH;
    if (/[\uD800-\uDBFF]/.test(text.charAt(cut - 1))) cut--;
  }
  return `${text.slice(0, cut).trimEnd()}…`;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw ChatModelError.aborted(signal.reason);
}

import {
  ChatModelError,
  type ChatCompletion,
  type ChatModel,
  type ChatRequest,
  type ContextPassage,
} from './chat-model';
import { searchTerms } from './text-features';
import { countTokens } from './tokenizer';

/** What the offline answerer says when no sentence of the context shares a word with the question. */
export const OFFLINE_NO_ANSWER =
  "I couldn't find that in the documents I have. Could you rephrase, or ask to talk to a person?";

/** The `model` of the offline answerer's completions (priced at 0). */
export const OFFLINE_MODEL = 'offline-extractive';

const MAX_SENTENCES = 3;
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
  /** Position of its passage in the context (the retrieval's order) and of the sentence in it. */
  rank: number;
  position: number;
  /** How many of the question's words it contains. */
  score: number;
}

/**
 * Answers without any model or network, for bots without an OpenAI key and as the fallback when OpenAI
 * fails: it quotes the sentences of the retrieved passages that share the most words with the question
 * (stop words left out, inflections lightly stemmed), each followed by its passage's citation, and says
 * {@link OFFLINE_NO_ANSWER} when none does. It does not understand the question and never pretends to:
 * every word it says comes from the documents.
 */
export class OfflineAnswerer implements ChatModel {
  readonly provider = 'offline';

  async complete(request: ChatRequest, onDelta: (text: string) => void): Promise<ChatCompletion> {
    throwIfAborted(request.signal);
    const content = extractAnswer(request.question, request.context);
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
 * The best sentences of `context` for `question`, at most three, in the order of the documents (passage,
 * then position), each followed by `[index]`; or {@link OFFLINE_NO_ANSWER}.
 */
function extractAnswer(question: string, context: ContextPassage[]): string {
  const wanted = termsOf(question);
  const candidates: Candidate[] = [];
  // Chunks overlap, so neighbouring passages repeat sentences: each is quoted once, from its best passage.
  const seen = new Set<string>();
  context.forEach((passage, rank) => {
    sentencesOf(passage.text).forEach((text, position) => {
      if (seen.has(text)) return;
      seen.add(text);
      let score = 0;
      for (const term of termsOf(text)) if (wanted.has(term)) score++;
      if (score > 0) candidates.push({ text, passage, rank, position, score });
    });
  });
  if (candidates.length === 0) return OFFLINE_NO_ANSWER;

  // Sentences matching less than half as well as the best one are mostly noise around it.
  const best = Math.max(...candidates.map((c) => c.score));
  const chosen = candidates
    .filter((c) => c.score * 2 >= best)
    .sort((a, b) => b.score - a.score || a.rank - b.rank || a.position - b.position)
    .slice(0, MAX_SENTENCES)
    .sort((a, b) => a.passage.index - b.passage.index || a.position - b.position);
  return chosen.map((c) => `${c.text} [${c.passage.index}]`).join(' ');
}

/** The distinct content words of `text`. */
function termsOf(text: string): Set<string> {
  return new Set(searchTerms(text));
}

/** The sentences of a passage, trimmed, none longer than MAX_SENTENCE_LENGTH. */
function sentencesOf(text: string): string[] {
  const result: string[] = [];
  for (const paragraph of text.split(/\n\s*\n/)) {
    // A single line break does not end a sentence (ICU would end one there, and PDF text is hard-wrapped);
    // replaced by a space of the same length, offsets into `paragraph` still hold.
    const flat = paragraph.replace(/[\r\n]/g, ' ');
    for (const { segment, index } of sentences.segment(flat)) {
      const sentence = segment.trim();
      if (!sentence) continue;
      if (sentence.length <= MAX_SENTENCE_LENGTH) {
        result.push(sentence);
        continue;
      }
      for (const line of paragraph.slice(index, index + segment.length).split(/\r?\n/)) {
        const trimmed = line.trim();
        if (trimmed) result.push(shorten(trimmed));
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

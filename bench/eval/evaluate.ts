/**
 * Scores a running platform on an evaluation set through its real path: the documents uploaded to a new
 * bot over the REST API and indexed by the worker; every question asked in a fresh conversation over the
 * `/widget` socket; retrieval ranks read from the retrieval-test endpoint. Beside it, plain BM25
 * (MiniSearch's defaults) over the very chunks the platform stored, as the baseline.
 */
import type { MessageDone, RetrievalTestView } from '@chatbot/shared';
import MiniSearch from 'minisearch';
import { openChat } from '../../server/src/testing/chat-clients';
import { upload, waitForStatus } from '../../server/src/testing/documents';
import { buildBot, buildTenant } from '../../server/src/testing/factories';
import type { TestServer } from '../../server/src/testing/test-server';
import type { AnswerableQuestion, EvalSet } from './eval-set';

export interface HitRates {
  hitAt1: number;
  hitAt5: number;
}

/** One answer as scored. */
export interface ScoredAnswer {
  id: string;
  question: string;
  expected?: string;
  answer: string;
  cited: string[];
  /** The answer phrase is in the answer and the expected document among its sources. */
  correct: boolean;
  refused: boolean;
  latencyMs: number;
}

export interface EvalReport {
  counts: { documents: number; chunks: number; answerable: number; unanswerable: number; followUps: number };
  retrieval: { platform: HitRates; bm25: HitRates; phraseRetrieved: number };
  /** Shares of the answerable questions. */
  answers: { stated: number; statedAndCited: number; falseRefusals: number };
  /** Share of the unanswerable questions the bot said it could not answer. */
  abstentions: number;
  /** Follow-ups answered right in their conversation, and asked alone in a new one. */
  followUps: { inConversation: number; alone: number };
  latencyMs: { p50: number; p95: number };
  indexingSeconds: number;
  /** Every answer that was not right, and every unanswerable question that was answered. */
  misses: ScoredAnswer[];
  /** The retrieval confidence of every question, for calibrating the threshold. */
  confidences: { answerable: number[]; unanswerable: number[] };
}

export async function evaluate(server: TestServer, set: EvalSet): Promise<EvalReport> {
  const owner = await buildTenant(server.api);
  const bot = await buildBot(server.api, owner.accessToken, {
    name: 'Evaluation bot',
    status: 'published',
    rateLimits: { perMinute: 10_000, perIpPerMinute: 1000 },
  });

  const indexingStarted = performance.now();
  const documentIds = new Map<string, string>();
  for (const document of set.documents) {
    const response = await upload(server, owner.accessToken, bot.id, [
      { name: document.name, bytes: document.bytes, type: document.type },
    ]);
    if (response.status !== 202)
      throw new Error(`upload of ${document.name}: ${JSON.stringify(response.body)}`);
    documentIds.set(document.source, response.body.documents[0].id);
  }
  for (const [source, id] of documentIds) {
    const indexed = await waitForStatus(server, owner.accessToken, id, ['completed', 'failed'], 300_000);
    if (indexed.status !== 'completed') throw new Error(`${source} failed to index: ${indexed.error}`);
  }
  const indexingSeconds = (performance.now() - indexingStarted) / 1000;
  const idOf = (source: string) => documentIds.get(source)!;

  const bm25 = await bm25Baseline(server, bot.id);
  const confidences = { answerable: [] as number[], unanswerable: [] as number[] };
  let phraseRetrieved = 0;
  const platformRanks: string[][] = [];
  const baselineRanks: string[][] = [];
  for (const q of set.answerable) {
    const found = await retrievalTest(server, owner.accessToken, bot.id, q.question);
    confidences.answerable.push(found.confidence);
    platformRanks.push(found.passages.map((passage) => passage.documentId));
    if (found.passages.some((passage) => states(passage.text, q.answer))) phraseRetrieved++;
    baselineRanks.push(bm25(q.question));
  }
  for (const q of set.unanswerable) {
    confidences.unanswerable.push(
      (await retrievalTest(server, owner.accessToken, bot.id, q.question)).confidence,
    );
  }
  const expected = set.answerable.map((q) => idOf(q.document));

  const answered: ScoredAnswer[] = [];
  for (const q of set.answerable) answered.push(score(q, await ask(server, bot.id, [q.question]), idOf));
  const unanswered: ScoredAnswer[] = [];
  for (const q of set.unanswerable) {
    unanswered.push({
      ...score({ ...q, document: '', answer: '' }, await ask(server, bot.id, [q.question]), idOf),
      expected: undefined,
    });
  }
  const followUps: ScoredAnswer[] = [];
  const alone: ScoredAnswer[] = [];
  for (const q of set.followUps) {
    followUps.push(score(q, await ask(server, bot.id, [q.first, q.question]), idOf));
    alone.push(score(q, await ask(server, bot.id, [q.question]), idOf));
  }

  const share = (items: ScoredAnswer[], test: (answer: ScoredAnswer) => boolean) =>
    items.length ? items.filter(test).length / items.length : 0;
  const latencies = [...answered, ...unanswered].map((a) => a.latencyMs).sort((a, b) => a - b);
  return {
    counts: {
      documents: set.documents.length,
      chunks: bm25.chunks,
      answerable: set.answerable.length,
      unanswerable: set.unanswerable.length,
      followUps: set.followUps.length,
    },
    retrieval: {
      platform: hitRates(platformRanks, expected),
      bm25: hitRates(baselineRanks, expected),
      phraseRetrieved: phraseRetrieved / set.answerable.length,
    },
    answers: {
      stated: share(answered, (a) => states(a.answer, a.expected!)),
      statedAndCited: share(answered, (a) => a.correct),
      falseRefusals: share(answered, (a) => a.refused),
    },
    abstentions: share(unanswered, (a) => a.refused),
    followUps: {
      inConversation: share(followUps, (a) => a.correct),
      alone: share(alone, (a) => a.correct),
    },
    latencyMs: { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95) },
    indexingSeconds,
    misses: [
      ...answered.filter((a) => !a.correct),
      ...unanswered.filter((a) => !a.refused),
      ...followUps.filter((a) => !a.correct),
    ],
    confidences,
  };
}

/** Asks `questions` in order in one new conversation; the last answer and how long it took. */
async function ask(server: TestServer, botId: string, questions: string[]) {
  const chat = await openChat(server.api, botId);
  try {
    let done: MessageDone | undefined;
    let latencyMs = 0;
    for (const question of questions) {
      const started = performance.now();
      done = await chat.ask(question);
      latencyMs = performance.now() - started;
    }
    return { done: done!, latencyMs };
  } finally {
    chat.socket.close();
  }
}

function score(
  q: Pick<AnswerableQuestion, 'id' | 'question' | 'document' | 'answer'>,
  { done, latencyMs }: { done: MessageDone; latencyMs: number },
  idOf: (source: string) => string,
): ScoredAnswer {
  const cited = done.sources.map((source) => source.documentId);
  return {
    id: q.id,
    question: q.question,
    expected: q.answer,
    answer: done.content,
    cited: done.sources.map((source) => source.title),
    correct: Boolean(q.answer) && states(done.content, q.answer) && cited.includes(idOf(q.document)),
    refused: done.unanswered === true,
    latencyMs,
  };
}

/** Whether `answer` contains `phrase`, ignoring case, spacing and Markdown marks (the PDFs lose them). */
export function states(answer: string, phrase: string): boolean {
  const normal = (text: string) =>
    text
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[`*_]/g, '')
      .replace(/[‘’]/g, "'")
      .replace(/[“”]/g, '"')
      .replace(/\s+/g, ' ')
      .trim();
  return normal(answer).includes(normal(phrase));
}

async function retrievalTest(server: TestServer, token: string, botId: string, query: string) {
  const response = await server.api.post<RetrievalTestView>(
    `/api/chatbots/${botId}/retrieval-test`,
    { query, limit: 5 },
    token,
  );
  if (response.status !== 200) throw new Error(`retrieval-test: ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Plain BM25 over the bot's stored chunks: the documents of the best five chunks for a question. */
async function bm25Baseline(server: TestServer, botId: string) {
  const search = new MiniSearch<{ id: string; text: string; documentId: string }>({
    fields: ['text'],
    storeFields: ['documentId'],
  });
  for await (const page of server.platform.vectors.chunks(botId)) {
    search.addAll(page.map((chunk) => ({ id: chunk.id, text: chunk.text, documentId: chunk.documentId })));
  }
  const ranks = (question: string) =>
    search
      .search(question)
      .slice(0, 5)
      .map((result) => String(result.documentId));
  return Object.assign(ranks, { chunks: search.documentCount });
}

function hitRates(ranks: string[][], expected: string[]): HitRates {
  const hits = (k: number) => ranks.filter((ranked, i) => ranked.slice(0, k).includes(expected[i]!)).length;
  return { hitAt1: hits(1) / ranks.length, hitAt5: hits(5) / ranks.length };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]! : 0;
}

/**
 * d. Vector searches at a steady rate: `searchRate` a second for `searchSeconds` (open loop, paced.ts)
 * through the platform's search, `POST /api/chatbots/:id/retrieval-test` (what the dashboard's retrieval
 * test and the evaluation call: the question embedded through the fake OpenAI server, the vector search
 * in Chroma and BM25 over the bot's chunks, fused), over a bot taught `documents` generated documents
 * (bench/corpus.ts prose, indexed by the worker, or by the server in embedded mode). Baseline: the raw
 * chromadb client querying the bot's own collection at the same rate, for as many candidates as the
 * platform asks Chroma for, with the questions embedded beforehand by the same offline embedder the fake
 * uses, so the ratio is everything the platform adds to one Chroma query (HTTP, auth, embedding, BM25,
 * fusion).
 */
import { ChromaClient } from 'chromadb';
import type { RetrievalTestView } from '@chatbot/shared';
import { OfflineEmbedder, collectionName } from '@chatbot/shared/platform';
import { startFakeOpenAI } from '@chatbot/shared/testing';
import { summarise } from '../chat-harness';
import { rawCollection } from '../chroma';
import { publishBot, startDeployment, teachBot } from './deployment';
import { searchCorpus, searchQuestions } from './load-fixtures';
import type { LoadSettings } from './load-options';
import { driverLine, formatCounts, ratioLine, row, usageLine, usageRatio } from './load-report';
import { CallError, paced, type PacedResult } from './paced';
import { watchProcesses, type ProcessUsage, type WatchedProcess } from './process-usage';

/** The fake embeds as OpenAI's default model would: 1536 dimensions (text-embedding-3-small). */
const DIMENSION = 1536;
/** The platform asks Chroma for max(20, 4 × top-k) candidates (retrieval.ts); top-k is 5 by default. */
const CANDIDATES = 20;
const QUESTIONS = 500;
const WARM_UP = 50;

/** Runs scenario d and prints its figures. */
export async function searchScenario(settings: LoadSettings): Promise<void> {
  const fake = await startFakeOpenAI();
  const deployment = await startDeployment({
    mode: settings.mode,
    openaiUrl: fake.url,
    worker: true,
    profileDir: settings.profileDir,
  });
  try {
    const bot = await publishBot(deployment, { name: 'Search bot' });
    const indexing = performance.now();
    const documents = await teachBot(deployment, bot.id, searchCorpus(settings.documents));
    const indexingSeconds = (performance.now() - indexing) / 1000;
    const chunks = documents.reduce((sum, document) => sum + document.chunkCount, 0);

    const questions = searchQuestions(QUESTIONS);
    const embedder = new OfflineEmbedder({ dimension: DIMENSION });
    const vectors = questions.map((question) => embedder.embedOne(question));
    const chroma = new URL(deployment.chromaUrl);
    const client = new ChromaClient({ host: chroma.hostname, port: Number(chroma.port), ssl: false });
    const collection = await rawCollection(client, collectionName(bot.id));

    let asked = 0;
    const rawQuery = async () => {
      await collection.query({ queryEmbeddings: [vectors[asked++ % vectors.length]!], nResults: CANDIDATES });
    };
    const url = `${deployment.url}/api/chatbots/${bot.id}/retrieval-test`;
    const headers = {
      authorization: `Bearer ${deployment.owner.accessToken}`,
      'content-type': 'application/json',
    };
    let passages = 0;
    const platformSearch = async (signal?: AbortSignal) => {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query: questions[asked++ % questions.length] }),
        signal,
      });
      if (response.status !== 200) throw new CallError(`HTTP ${response.status}`);
      passages += ((await response.json()) as RetrievalTestView).passages.length;
    };
    // The first search builds the bot's BM25 index from its chunks; Chroma's index pages warm too.
    for (let i = 0; i < WARM_UP; i++) await platformSearch();
    for (let i = 0; i < WARM_UP; i++) await rawQuery();
    passages = 0;

    const watchedChroma = deployment.processes.filter((watched) => watched.name.startsWith('Chroma'));
    const raw = await at(settings, rawQuery, [
      { name: 'driver (raw client)', pid: process.pid },
      ...watchedChroma,
    ]);
    const driverFrom = process.cpuUsage();
    const platform = await at(settings, platformSearch, deployment.processes);
    const driver = driverLine(driverFrom, platform.result.seconds);

    console.log(
      `\nd. search: ${settings.searchRate} searches/s for ${settings.searchSeconds} s (open loop) over ` +
        `${documents.length} documents, ${chunks} chunks (${DIMENSION} dims, indexed ` +
        `${deployment.mode === 'scaled' ? 'by the worker' : 'by the server'} in ` +
        `${indexingSeconds.toFixed(1)} s); platform: POST /api/chatbots/:id/retrieval-test (top 5), ` +
        `baseline: raw chromadb collection.query of the same collection, ${CANDIDATES} results (${deployment.mode} mode)`,
    );
    const latency = ({ samples, seconds }: PacedResult) =>
      summarise(
        samples.map((sample) => sample.ms),
        seconds,
      );
    const [rawLatency, platformLatency] = [latency(raw.result), latency(platform.result)];
    console.log(row('baseline: raw collection.query', rawLatency));
    console.log(row('platform: retrieval-test', platformLatency));
    console.log(ratioLine('platform/baseline', platformLatency, rawLatency));
    console.log(
      `errors: platform ${formatCounts(platform.result.errors)}, baseline ${formatCounts(raw.result.errors)}; ` +
        `most in flight: platform ${platform.result.maxInFlight}, baseline ${raw.result.maxInFlight}; ` +
        `passages per platform answer ${(passages / Math.max(1, platform.result.samples.length)).toFixed(1)}`,
    );
    console.log(
      `target: API p95 under 500 ms -> ${platformLatency.p95 < 500 ? 'met' : 'NOT met'} (${platformLatency.p95.toFixed(1)} ms)`,
    );
    console.log(`platform: ${usageLine(platform.usage)}`);
    console.log(`baseline: ${usageLine(raw.usage)}`);
    const chromaUsage = platform.usage.find((usage) => usage.name.startsWith('Chroma'))!;
    console.log(usageRatio(chromaUsage, raw.usage[1]!, 'Chroma, platform run/baseline run'));
    console.log(`platform run: ${driver}`);
  } finally {
    await deployment.stop();
    await fake.stop();
  }
}

async function at(
  settings: LoadSettings,
  call: (signal: AbortSignal) => Promise<void>,
  watched: WatchedProcess[],
): Promise<{ result: PacedResult; usage: ProcessUsage[] }> {
  const stopWatching = watchProcesses(watched);
  const result = await paced(settings.searchRate, settings.searchSeconds, call);
  return { result, usage: stopWatching() };
}

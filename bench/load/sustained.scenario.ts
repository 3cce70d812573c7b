/**
 * c. A sustained rate: `rate` requests a second for `seconds`, all kinds at once, of a realistic mix: page
 * views reading the bot's config (40%), visitors starting a conversation (20%), visitors chatting over
 * REST, each request waiting for the whole answer of the fake model (20%, over a pool of conversations
 * started beforehand), and agents' dashboard list calls (conversations, bots, leads, documents: 20%).
 * The quick kinds run in autocannon (`overallRate`, one instance per kind, a request a second per
 * connection); the chat runs open loop (paced.ts), because an answer takes longer than a second and
 * autocannon paces each connection by whole requests a second, so it would send fewer than asked.
 * Reported per kind: the rate reached, p50/p95/p99, errors, and whether latency stays flat: p95 of the
 * first third of the run against the last third (the conversations table grows all along). Baseline: the
 * same mix at the same rate on the raw server of baseline-node.ts, answering the same JSON (the chat
 * after as long as the fake model streams).
 */
import type { Request } from 'autocannon';
import { startFakeOpenAI } from '@chatbot/shared/testing';
import type { StartConversationResponse } from '@chatbot/shared';
import { clientMessageId } from '../../server/src/testing/chat-clients';
import { freshQuestion, nextAddress, summarise } from '../chat-harness';
import { startBaseline, streamingMs, type BaselineRoute } from './baseline';
import { publishBot, startDeployment, teachBot, type Deployment } from './deployment';
import { jsonRequest, runHttpLoad } from './http-load';
import { ANSWER, POLICY_DOCUMENT } from './load-fixtures';
import type { LoadSettings } from './load-options';
import {
  driverLine,
  formatCounts,
  httpErrors,
  ratioLine,
  row,
  usageLine,
  usageRatio,
  type Counts,
} from './load-report';
import { CallError, paced } from './paced';
import { watchProcesses, type ProcessUsage, type WatchedProcess } from './process-usage';

/** Conversations the chat requests take turns in: each gets a message every POOL / chat-rate seconds. */
const POOL = 200;
/** The baseline runs at most this long: its figures are flat by construction. */
const BASELINE_SECONDS = 20;
/** Each side first runs the mix this long, unreported: JIT, pools and caches warm, as on a server up for a while. */
const WARM_UP_SECONDS = 5;
/** Above this rise of p95 from the first third to the last, latency is not called flat. */
const FLAT_RATIO = 1.25;
const MIX = [
  ['config', 0.4],
  ['start', 0.2],
  ['chat', 0.2],
  ['dashboard', 0.2],
] as const;
type Kind = (typeof MIX)[number][0];

interface Pooled {
  conversationId: string;
  visitorToken: string;
  address: string;
}

/** One kind's answers: each success's time and latency (ms), and the failures by kind. */
interface KindResult {
  samples: Array<{ at: number; ms: number }>;
  seconds: number;
  errors: Counts;
}

interface MixResult {
  byKind: Map<Kind, KindResult>;
  seconds: number;
  usage: ProcessUsage[];
}

/** Runs scenario c and prints its figures. */
export async function sustainedScenario(settings: LoadSettings): Promise<void> {
  const fake = await startFakeOpenAI({ streamDelayMs: settings.streamDelayMs });
  fake.replyWith(ANSWER);
  const deployment = await startDeployment({
    mode: settings.mode,
    openaiUrl: fake.url,
    worker: true,
    // 40% of the mix spends visitor limits: more than the default 1000 a minute at 50 req/s.
    env: { RATE_LIMIT_GLOBAL_PER_MINUTE: '1000000' },
    profileDir: settings.profileDir,
  });
  try {
    const bot = await publishBot(deployment, { rateLimits: { perMinute: 10_000, perIpPerMinute: 20 } });
    await teachBot(deployment, bot.id, [POLICY_DOCUMENT]);
    const pool: Pooled[] = [];
    for (let i = 0; i < POOL; i++) {
      const address = nextAddress();
      const started = await deployment.api.request<StartConversationResponse>(
        'POST',
        `/api/public/conversation/${bot.id}/start`,
        { headers: { 'x-forwarded-for': address } },
      );
      if (started.status !== 201) throw new Error(`start answered ${started.status}`);
      pool.push({ ...started.body, address });
    }
    const requests = mixRequests(deployment, bot.id, pool);
    const baseline = await startBaseline({
      routes: await recordRoutes(deployment, requests, streamingMs(ANSWER, settings.streamDelayMs)),
      answer: { pieces: [], delayMs: 0 },
    });
    let raw: MixResult;
    try {
      await runMix(baseline.url, settings, WARM_UP_SECONDS, requests, []);
      raw = await runMix(baseline.url, settings, Math.min(settings.seconds, BASELINE_SECONDS), requests, [
        { name: 'baseline', pid: baseline.pid },
      ]);
    } finally {
      await baseline.stop();
    }
    await runMix(deployment.url, settings, WARM_UP_SECONDS, requests, []);
    const driverFrom = process.cpuUsage();
    const platform = await runMix(deployment.url, settings, settings.seconds, requests, deployment.processes);
    const driver = driverLine(driverFrom, platform.seconds);

    console.log(
      `\nc. sustained: ${settings.rate} req/s for ${settings.seconds} s (baseline ${raw.seconds.toFixed(0)} s), ` +
        `${MIX.map(([kind, share]) => `${kind} ${rateOf(settings.rate, share)}/s`).join(', ')}; chat is REST ` +
        `(the whole answer, ${streamingMs(ANSWER, settings.streamDelayMs)} ms of fake model streaming), ` +
        `dashboard cycles conversations, bots, leads and documents lists (${deployment.mode} mode)`,
    );
    for (const [kind, share] of MIX) {
      const p = platform.byKind.get(kind)!;
      const b = raw.byKind.get(kind)!;
      const platformLatency = latency(p);
      const baselineLatency = latency(b);
      console.log(row(`baseline: ${kind}`, baselineLatency));
      console.log(row(`platform: ${kind}`, platformLatency));
      console.log(
        `  target ${rateOf(settings.rate, share)}/s, platform reached ${(p.samples.length / p.seconds).toFixed(1)}/s; ` +
          `${flatness(p)}; ${ratioLine('platform/baseline', platformLatency, baselineLatency)}; ` +
          `errors: platform ${formatCounts(p.errors)}, baseline ${formatCounts(b.errors)}`,
      );
    }
    const apiLatency = latency({
      samples: (['config', 'start', 'dashboard'] as const).flatMap(
        (kind) => platform.byKind.get(kind)!.samples,
      ),
      seconds: platform.seconds,
      errors: new Map(),
    });
    console.log(row('platform: API (all but chat)', apiLatency));
    console.log(
      `target: API p95 under 500 ms -> ${apiLatency.p95 < 500 ? 'met' : 'NOT met'} (${apiLatency.p95.toFixed(1)} ms)`,
    );
    console.log(`platform: ${usageLine(platform.usage)}`);
    console.log(`baseline: ${usageLine(raw.usage)}`);
    console.log(usageRatio(platform.usage[0]!, raw.usage[0]!));
    console.log(driver);
  } finally {
    await deployment.stop();
    await fake.stop();
  }
}

const rateOf = (rate: number, share: number) => Math.max(1, Math.round(rate * share));
const latency = (result: KindResult) =>
  summarise(
    result.samples.map((sample) => sample.ms),
    result.seconds,
  );

/** The requests of each kind; chat and start vary per request (conversation, address, question). */
function mixRequests(deployment: Deployment, botId: string, pool: Pooled[]) {
  const auth = { authorization: `Bearer ${deployment.owner.accessToken}` };
  const withAddress = (request: Request): Request => ({
    ...request,
    setupRequest: (built) => ({ ...built, headers: { ...built.headers, 'x-forwarded-for': nextAddress() } }),
  });
  return new Map<Kind, Request[]>([
    ['config', [withAddress(jsonRequest('GET', `/api/public/bot/${botId}/config`))]],
    ['start', [withAddress(jsonRequest('POST', `/api/public/conversation/${botId}/start`, {}))]],
    ['chat', [chatRequest(botId, pool)]],
    [
      'dashboard',
      [
        jsonRequest('GET', '/api/conversations?limit=20', undefined, auth),
        jsonRequest('GET', '/api/chatbots', undefined, auth),
        jsonRequest('GET', '/api/leads', undefined, auth),
        jsonRequest('GET', `/api/documents?botId=${botId}`, undefined, auth),
      ],
    ],
  ]);
}

/** A visitor's message over REST, in the next conversation of the pool, as that visitor. */
function chatRequest(botId: string, pool: Pooled[]): Request {
  let turn = 0;
  return {
    ...jsonRequest('POST', `/api/public/chat/${botId}`, {}),
    setupRequest: (built) => {
      const visitor = pool[turn++ % pool.length]!;
      return {
        ...built,
        headers: {
          ...built.headers,
          authorization: `Bearer ${visitor.visitorToken}`,
          'x-forwarded-for': visitor.address,
        },
        body: JSON.stringify({
          conversationId: visitor.conversationId,
          message: freshQuestion(),
          clientMessageId: clientMessageId(),
        }),
      };
    },
  };
}

/** What the platform answers each request of the mix, once, for the baseline to answer the same. */
async function recordRoutes(
  deployment: Deployment,
  requests: Map<Kind, Request[]>,
  chatMs: number,
): Promise<BaselineRoute[]> {
  const routes: BaselineRoute[] = [];
  for (const [kind, list] of requests) {
    for (const request of list) {
      const built = setUp(request);
      const response = await deployment.api.request(built.method!, built.path!, {
        headers: built.headers as Record<string, string>,
        rawBody: typeof built.body === 'string' ? built.body : undefined,
      });
      if (response.status >= 400)
        throw new Error(`${built.method} ${built.path} answered ${response.status}`);
      routes.push({
        method: built.method as 'GET' | 'POST',
        path: built.path!.split('?')[0]!.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id'),
        status: response.status,
        body: response.body,
        ...(kind === 'chat' ? { delayMs: chatMs } : {}),
      });
    }
  }
  return routes;
}

/** Every kind's autocannon at its share of the rate, all at once, for `seconds`. */
async function runMix(
  url: string,
  settings: LoadSettings,
  seconds: number,
  requests: Map<Kind, Request[]>,
  watched: WatchedProcess[],
): Promise<MixResult> {
  const stopWatching = watchProcesses(watched);
  const started = performance.now();
  const results = await Promise.all(
    MIX.map(async ([kind, share]): Promise<[Kind, KindResult]> => {
      const rate = rateOf(settings.rate, share);
      const [request] = requests.get(kind)!;
      if (kind === 'chat') return [kind, await paced(rate, seconds, (signal) => send(url, request!, signal))];
      // One request a second per connection: the rate is spread evenly, and a connection is never paced to 0.
      const result = await runHttpLoad({
        url,
        requests: requests.get(kind)!,
        connections: rate,
        overallRate: rate,
        seconds,
      });
      return [
        kind,
        {
          samples: result.samples.filter((sample) => sample.status < 400),
          seconds: result.seconds,
          errors: httpErrors(result),
        },
      ];
    }),
  );
  return { byKind: new Map(results), seconds: (performance.now() - started) / 1000, usage: stopWatching() };
}

/** Sends one autocannon request (set up afresh) with fetch; fails with its status unless it is a success. */
async function send(url: string, request: Request, signal: AbortSignal): Promise<void> {
  const built = setUp(request);
  const response = await fetch(url + built.path, {
    method: built.method,
    headers: built.headers as Record<string, string>,
    body: built.body,
    signal,
  });
  await response.arrayBuffer();
  if (response.status >= 400)
    throw new CallError(response.status === 429 ? '429' : `HTTP ${response.status}`);
}

const setUp = (request: Request) =>
  typeof request.setupRequest === 'function' ? request.setupRequest({ ...request }, {}) : request;

/** `p95 12.0 ms first third -> 13.1 ms last third (1.09x): flat`. */
function flatness(result: KindResult): string {
  const third = (result.seconds * 1000) / 3;
  const p95 = (from: number, to: number) =>
    latency({
      samples: result.samples.filter((sample) => sample.at >= from && sample.at < to),
      seconds: result.seconds / 3,
      errors: new Map(),
    });
  const [first, last] = [p95(0, third), p95(2 * third, Infinity)];
  if (!first.requests || !last.requests) return 'too few answers to compare the thirds';
  const rise = last.p95 / first.p95;
  return (
    `p95 ${first.p95.toFixed(1)} ms first third -> ${last.p95.toFixed(1)} ms last third ` +
    `(${rise.toFixed(2)}x): ${rise <= FLAT_RATIO ? 'flat' : 'RISING'}`
  );
}

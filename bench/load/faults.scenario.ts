/**
 * e. Faults under load: a modest steady mix, visitor conversations over `/widget` (each message waits for
 * its answer) and API reads (the bot's public config, the dashboard's lists), runs while faults happen one
 * after another, each followed by a quiet period: (a) Redis stops and starts again from its append-only
 * file, (b) the model provider answers 500 to every request, then (c) 429 with a short retry-after-ms,
 * (d) one of the two server nodes is killed (SIGKILL) and started again. The clients behave as the widget
 * and a load balancer do (fault-clients.ts). A window without faults at the start, in the same run, is the
 * baseline. Per fault: attempts, error rate and errors by kind during the fault, p95 against the
 * baseline's, and the recovery times of fault-windows.ts. Scaled mode (two server nodes, a worker, a
 * private Redis); in embedded mode, one node and no Redis, only the model faults run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFakeOpenAI, type FakeOpenAI } from '@chatbot/shared/testing';
import { startPrivateRedis, type PrivateRedis } from '../../server/src/testing/private-redis';
import { nextAddress } from '../chat-harness';
import { FailoverVisitor, readWithFailover, type Attempt, type SentMessage } from './fault-clients';
import {
  figures,
  recovery,
  TOLERANCE,
  type Period,
  type Recovery,
  type WindowFigures,
} from './fault-windows';
import { publishBot, startDeployment, teachBot, type Deployment } from './deployment';
import { ANSWER, POLICY_DOCUMENT } from './load-fixtures';
import type { LoadSettings } from './load-options';
import { formatCounts } from './load-report';
import { kindOf, paced } from './paced';

/** Share of the rate that is visitor messages; the rest are API reads. */
const VISITOR_SHARE = 0.3;
/** A visitor message not answered (nor refused) within this long counts as lost. */
const VISITOR_TIMEOUT_MS = 30_000;
const API_TIMEOUT_MS = 10_000;
/** Unreported start of the mix: pools, JIT and caches warm. */
const WARM_UP_MS = 3_000;
/** Faults the model is told to serve during its fault window: more than the window can use. */
const MODEL_FAULTS = 100_000;
const RETRY_AFTER_MS = 200;
const DASHBOARD_LISTS = ['/api/conversations?limit=20', '/api/chatbots', '/api/leads'];

/** How the report names a visitor message's outcome that is not the model's answer. */
const OUTCOME_ERRORS: Record<string, string> = {
  fallback: 'offline fallback answer',
  abstained: 'abstained',
  failed: 'answer failed',
};

type Kind = Attempt['kind'];
const KINDS: Array<[Kind, string]> = [
  ['visitor', 'visitor messages'],
  ['api', 'API reads'],
];

export interface FaultResult {
  name: string;
  /** While the fault lasted. */
  period: Period;
  /** The quiet period after it ends here. */
  quietTo: number;
  byKind: Record<Kind, { during: WindowFigures; quiet: WindowFigures; recovery: Recovery }>;
}

export interface FaultsRun {
  mode: Deployment['mode'];
  nodes: number;
  rates: Record<Kind, number>;
  baseline: { period: Period; byKind: Record<Kind, WindowFigures> };
  faults: FaultResult[];
  /** Every visitor message of the run, warm-up included, with what its visitor was told. */
  messages: Array<SentMessage & { at: number }>;
  conversationIds: string[];
  /** Visitors' reconnections, and API reads that went to the other node after a connection error. */
  reconnects: number;
  failovers: number;
}

interface Fault {
  name: string;
  inject(): Promise<void>;
}

/** Runs scenario e and prints its figures. */
export async function faultsScenario(settings: LoadSettings): Promise<void> {
  printFaults(await runFaults(settings), settings);
}

/**
 * Runs the mix and the faults; `inspect` sees the deployment, still running, and the result (a test's
 * checks against the database and the processes).
 */
export async function runFaults(
  settings: LoadSettings,
  inspect?: (deployment: Deployment, run: FaultsRun) => Promise<void>,
): Promise<FaultsRun> {
  const scaled = settings.mode === 'scaled';
  const redisDir = mkdtempSync(join(tmpdir(), 'bench-faults-redis-'));
  let redis: PrivateRedis | null = null;
  let fake: FakeOpenAI | null = null;
  let deployment: Deployment | null = null;
  const pool: FailoverVisitor[] = [];
  try {
    redis = scaled ? await startPrivateRedis({ persistDir: redisDir }) : null;
    fake = await startFakeOpenAI({ streamDelayMs: settings.streamDelayMs });
    fake.replyWith(ANSWER);
    deployment = await startDeployment({
      mode: settings.mode,
      openaiUrl: fake.url,
      worker: true,
      servers: 2,
      redisUrl: redis?.url,
      // The limits are not under test here: the mix should never meet them.
      env: { RATE_LIMIT_GLOBAL_PER_MINUTE: '1000000' },
      profileDir: settings.profileDir,
    });
    const bot = await publishBot(deployment, { rateLimits: { perMinute: 10_000, perIpPerMinute: 1000 } });
    await teachBot(deployment, bot.id, [POLICY_DOCUMENT]);
    const nodes = deployment.servers.map((server) => server.url);
    const visitorRate = Math.max(1, Math.round(settings.faultRate * VISITOR_SHARE));
    const apiRate = settings.faultRate - visitorRate;
    // Enough that visitors waiting a whole timeout each still leave idle ones at the rate.
    for (let i = 0; i < Math.ceil((visitorRate * VISITOR_TIMEOUT_MS) / 1000) + 5; i++)
      pool.push(await FailoverVisitor.start(nodes, i % nodes.length, bot.id));

    const attempts: Attempt[] = [];
    const messages: FaultsRun['messages'] = [];
    let failovers = 0;
    const started = performance.now();
    const now = () => performance.now() - started;
    const stop = new AbortController();
    let nextVisitor = 0;
    const visitorLoad = paced(
      visitorRate,
      Infinity, // until stop aborts
      async (signal) => {
        const at = now();
        const visitor = [...pool.slice(nextVisitor), ...pool.slice(0, nextVisitor)].find((v) => !v.busy);
        if (!visitor) return void attempts.push({ kind: 'visitor', at, ms: 0, error: 'no idle visitor' });
        nextVisitor = (pool.indexOf(visitor) + 1) % pool.length;
        visitor.busy = true;
        try {
          const sent = await visitor.ask(signal);
          messages.push({ ...sent, at });
          const error = sent.outcome === 'complete' ? null : (OUTCOME_ERRORS[sent.outcome] ?? sent.outcome);
          attempts.push({ kind: 'visitor', at, ms: now() - at, error });
        } finally {
          visitor.busy = false;
        }
      },
      VISITOR_TIMEOUT_MS,
      stop.signal,
    );
    const auth = { authorization: `Bearer ${deployment.owner.accessToken}` };
    let read = 0;
    const apiLoad = paced(
      apiRate,
      Infinity, // until stop aborts
      async (signal) => {
        const at = now();
        const turn = read++;
        // Page views (config) and an agent's lists in turn, spread over the nodes.
        const [path, headers] =
          turn % 2
            ? [`/api/public/bot/${bot.id}/config`, { 'x-forwarded-for': nextAddress() }]
            : [DASHBOARD_LISTS[(turn / 2) % DASHBOARD_LISTS.length]!, auth];
        try {
          if (await readWithFailover(nodes, turn % nodes.length, path, headers, signal)) failovers++;
          attempts.push({ kind: 'api', at, ms: now() - at, error: null });
        } catch (error) {
          attempts.push({ kind: 'api', at, ms: now() - at, error: kindOf(error) });
        }
      },
      API_TIMEOUT_MS,
      stop.signal,
    );

    const quiet = () => sleep(settings.quietSeconds * 1000);
    const faulty = settings.faultSeconds * 1000;
    const healModel = () => {
      fake!.reset();
      fake!.replyWith(ANSWER);
    };
    const plan: Fault[] = [
      ...(redis
        ? [
            {
              name: `(a) Redis stopped (SIGKILL) for ${settings.faultSeconds} s, then started again from its append-only file`,
              inject: async () => {
                await redis!.stop();
                await sleep(faulty);
                await redis!.restart();
              },
            },
          ]
        : []),
      {
        name: `(b) the model provider answering 500 to every request (chat and embeddings) for ${settings.faultSeconds} s`,
        inject: async () => {
          fake!.failNext(MODEL_FAULTS, 500);
          await sleep(faulty);
          healModel();
        },
      },
      {
        name: `(c) the model provider answering 429 with retry-after-ms ${RETRY_AFTER_MS} for ${settings.faultSeconds} s`,
        inject: async () => {
          fake!.failNext(MODEL_FAULTS, 429, { retryAfterMs: RETRY_AFTER_MS });
          await sleep(faulty);
          healModel();
        },
      },
      ...(deployment.servers.length > 1
        ? [
            {
              name: '(d) server node 2 of 2 killed (SIGKILL) and started again at once (the fault ends when it listens)',
              inject: async () => {
                await deployment!.servers[1]!.kill();
                await deployment!.servers[1]!.start();
              },
            },
          ]
        : []),
    ];

    await sleep(WARM_UP_MS);
    const baselineFrom = now();
    await quiet();
    const baselinePeriod = { from: baselineFrom, to: now() };
    const windows: Array<{ name: string; period: Period; quietTo: number }> = [];
    for (const fault of plan) {
      const from = now();
      await fault.inject();
      const to = now();
      await quiet();
      windows.push({ name: fault.name, period: { from, to }, quietTo: now() });
    }
    stop.abort();
    await Promise.all([visitorLoad, apiLoad]);

    const of = (kind: Kind) => attempts.filter((attempt) => attempt.kind === kind);
    // An attempt still running when the next fault begins meets that fault: a quiet period (and the
    // baseline) counts only the attempts that also ended in it.
    const endedBy = (kind: Kind, to: number) => of(kind).filter((attempt) => attempt.at + attempt.ms <= to);
    const baseline = {
      period: baselinePeriod,
      byKind: {
        visitor: figures(endedBy('visitor', baselinePeriod.to), baselinePeriod),
        api: figures(endedBy('api', baselinePeriod.to), baselinePeriod),
      },
    };
    const run: FaultsRun = {
      mode: deployment.mode,
      nodes: nodes.length,
      rates: { visitor: visitorRate, api: apiRate },
      baseline,
      faults: windows.map(({ name, period, quietTo }) => {
        const byKind = (kind: Kind) => ({
          during: figures(of(kind), period),
          quiet: figures(endedBy(kind, quietTo), { from: period.to, to: quietTo }),
          recovery: recovery(endedBy(kind, quietTo), period.to, quietTo, baseline.byKind[kind].errorRate),
        });
        return { name, period, quietTo, byKind: { visitor: byKind('visitor'), api: byKind('api') } };
      }),
      messages,
      conversationIds: pool.map((visitor) => visitor.conversationId),
      reconnects: pool.reduce((sum, visitor) => sum + visitor.reconnects, 0),
      failovers,
    };
    await inspect?.(deployment, run);
    return run;
  } finally {
    for (const visitor of pool) visitor.close();
    await deployment?.stop();
    await fake?.stop();
    await redis?.stop();
    rmSync(redisDir, { recursive: true, force: true });
  }
}

const seconds = (ms: number | null) =>
  ms === null ? 'not within the quiet period' : `${(ms / 1000).toFixed(1)} s`;
const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;
const p95 = (ms: number | null) => (ms === null ? 'p95 n/a (no success)' : `p95 ${ms.toFixed(1)} ms`);

function windowLine(label: string, window: WindowFigures): string {
  return (
    `${label.padEnd(18)} ${String(window.attempted).padStart(4)} attempted, ${window.errors} errors ` +
    `(${percent(window.errorRate)}): ${formatCounts(window.byKind)}`
  );
}

export function printFaults(run: FaultsRun, settings: LoadSettings): void {
  console.log(
    `\ne. faults: ${settings.faultRate} req/s steady (open loop): visitor messages ${run.rates.visitor}/s over ` +
      `/widget, each waiting for its answer (the fake model streams ${settings.streamDelayMs} ms apart), and ` +
      `API reads ${run.rates.api}/s (the bot's public config, the dashboard's lists in turn); ${run.nodes} ` +
      `server node(s), ${run.mode} mode; each fault is followed by ${settings.quietSeconds} s quiet; the ` +
      `baseline is ${settings.quietSeconds} s without faults at the start (after ${WARM_UP_MS / 1000} s unreported)`,
  );
  console.log(
    'the quiet periods and the baseline count the attempts that started and ended in them. ' +
      'recovery is measured from the fault\'s end. "first success": until the first attempt started after the ' +
      'end that succeeded had finished. "at baseline": to the start of the first 1-s bin (attempts by start ' +
      `time) from which every bin to the quiet period's end has an error rate within ${TOLERANCE * 100} ` +
      "points of the baseline's. An error (not fully successful): an HTTP status of 400 or more, a timeout, " +
      'a connection error, a message refused at its ack, an answer that ended failed, or an answer of the ' +
      "offline answerer (the bot's fallback when the model fails) or an abstention instead of the model's " +
      '(every question asked is one the taught document answers).',
  );
  const { period } = run.baseline;
  console.log(`baseline, no fault (${((period.to - period.from) / 1000).toFixed(1)} s):`);
  for (const [kind, label] of KINDS) {
    const window = run.baseline.byKind[kind];
    console.log(`  ${windowLine(label, window)}; ${p95(window.p95)}`);
  }
  for (const fault of run.faults) {
    console.log(`${fault.name}: fault window ${((fault.period.to - fault.period.from) / 1000).toFixed(1)} s`);
    for (const [kind, label] of KINDS) {
      const { during, quiet, recovery: recovered } = fault.byKind[kind];
      const base = run.baseline.byKind[kind].p95;
      const ratio = during.p95 !== null && base ? ` (${(during.p95 / base).toFixed(1)}x baseline)` : '';
      console.log(`  ${windowLine(label, during)}; ${p95(during.p95)}${ratio}`);
      console.log(
        `    after: ${quiet.attempted} attempted, ${quiet.errors} errors (${formatCounts(quiet.byKind)}); ` +
          `recovery: first success ${seconds(recovered.firstSuccess)}, at baseline ${seconds(recovered.atBaseline)}`,
      );
    }
  }
  const outcomes = new Map<string, number>();
  for (const message of run.messages) outcomes.set(message.outcome, (outcomes.get(message.outcome) ?? 0) + 1);
  console.log(
    `visitor messages, whole run: ${run.messages.length}, ${formatCounts(outcomes)}; visitors reconnected ` +
      `${run.reconnects} times; API reads sent to the other node after a connection error: ${run.failovers}`,
  );
}

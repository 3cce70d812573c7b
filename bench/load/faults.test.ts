import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { Attempt } from './fault-clients';
import { recovery } from './fault-windows';
import type { Deployment } from './deployment';
import { runFaults, type FaultsRun } from './faults.scenario';
import { loadSettings } from './load-options';

interface StoredMessage {
  conversation_id: string;
  seq: number;
  role: string;
  state: string;
  client_message_id: string;
}

/** How long answers still being written when the load stops may take to settle in the database. */
const SETTLE_MS = 15_000;

/**
 * The faults scenario of bench:load, short (5 s per fault, 10 s quiet after each): Redis stopped and
 * started again, the model answering 500s and then 429s, one of two server nodes killed and started
 * again, under a steady mix of visitor messages and API reads.
 */
describe('bench:load faults, short: a steady mix through Redis, model and node failures', function () {
  this.timeout(300_000);
  let run: FaultsRun;
  let stored: StoredMessage[];
  let dead: string[];

  before(async () => {
    const settings = loadSettings([
      'faults',
      '--fault-seconds',
      '5',
      '--quiet-seconds',
      '10',
      '--fault-rate',
      '6',
    ]);
    run = await runFaults(settings, async (deployment, result) => {
      stored = await settledMessages(deployment, result.conversationIds);
      dead = deadProcesses(deployment);
    });
  });

  it('tells every visitor how each message ended: answered, failed or refused, none lost', () => {
    const lost = run.messages.filter(
      (message) => !/^(complete|fallback|abstained|failed|refused: )/.test(message.outcome),
    );
    assert.deepEqual(lost, []);
    assert.ok(run.messages.length > 50, `only ${run.messages.length} visitor messages`);
  });

  it('stores each message once, answered as its visitor was told: at most one complete answer, none streaming', () => {
    assert.deepEqual(mismatches(run, stored), []);
  });

  it("meets the faults: answers are not the model's while it fails, and visitors lose their node", () => {
    // The SDK's retries (0.5, 1 and 2 s apart after a 500) outlast part of an outage, so a fallback may
    // come after the window: those count too, over both model faults.
    const modelFaults = run.faults.filter((fault) => fault.name.includes('model'));
    const notTheModels = modelFaults.map(
      ({ byKind: { visitor } }) => visitor.during.errors + visitor.quiet.errors,
    );
    assert.ok(
      notTheModels.reduce((a, b) => a + b) > 0,
      "every answer around the model faults was the model's",
    );
    assert.equal(run.faults.length, 4);
    assert.ok(run.reconnects > 0, 'no visitor had to reconnect after the node was killed');
  });

  it('recovers within the quiet period after each fault: a success, then errors back at the baseline rate', () => {
    for (const fault of run.faults) {
      for (const [kind, { recovery, quiet }] of Object.entries(fault.byKind)) {
        const figures = `${quiet.errors} errors of ${quiet.attempted}: ${[...quiet.byKind].join('; ')}`;
        assert.ok(recovery.firstSuccess !== null, `${kind}: no success after ${fault.name} (${figures})`);
        assert.ok(
          recovery.atBaseline !== null,
          `${kind}: errors above the baseline to the end of the quiet period after ${fault.name} (${figures})`,
        );
      }
    }
  });

  it('keeps every process alive, the restarted node included', () => {
    assert.deepEqual(dead, []);
  });
});

describe('faults scenario: recovery times from attempts', () => {
  // Two attempts a second from the fault's end (at 10 s) to the quiet period's end (at 20 s).
  const attempts = (failing: (at: number) => boolean): Attempt[] =>
    Array.from({ length: 20 }, (_, i) => {
      const at = 10_000 + i * 500;
      return { kind: 'api', at, ms: 100, error: failing(at) ? 'HTTP 503' : null };
    });

  it('counts from the end to the first success, and to the bin from which errors stay at the baseline', () => {
    // Failing until 13 s, then one error at 14 s: at the baseline from the bin starting at 15 s.
    const after = attempts((at) => at < 13_000 || at === 14_000);
    assert.deepEqual(recovery(after, 10_000, 20_000, 0), { firstSuccess: 3_100, atBaseline: 5_000 });
    // Within 5 points of a baseline of 50%, the bin with one error of two has recovered: from 13 s on.
    assert.equal(recovery(after, 10_000, 20_000, 0.5).atBaseline, 3_000);
  });

  it('says so when the errors last to the end of the quiet period, or nothing succeeds', () => {
    assert.equal(
      recovery(
        attempts((at) => at >= 19_500),
        10_000,
        20_000,
        0,
      ).atBaseline,
      null,
    );
    assert.deepEqual(
      recovery(
        attempts(() => true),
        10_000,
        20_000,
        0,
      ),
      {
        firstSuccess: null,
        atBaseline: null,
      },
    );
  });
});

/** The visitors' conversations' messages once none is still `streaming` (or SETTLE_MS passed). */
async function settledMessages(deployment: Deployment, conversationIds: string[]): Promise<StoredMessage[]> {
  const client = new pg.Client({ connectionString: deployment.databaseUrl });
  await client.connect();
  try {
    const deadline = Date.now() + SETTLE_MS;
    for (;;) {
      const { rows } = await client.query<StoredMessage>(
        `select conversation_id, seq, role, state, client_message_id from messages
         where conversation_id = any($1::uuid[]) order by conversation_id, seq`,
        [conversationIds],
      );
      if (!rows.some((row) => row.state === 'streaming') || Date.now() > deadline) return rows;
      await sleep(250);
    }
  } finally {
    await client.end();
  }
}

/** The processes of the deployment that are not running: every server node, the worker, Chroma. */
function deadProcesses(deployment: Deployment): string[] {
  const servers = deployment.servers.flatMap((server, i) => (server.alive() ? [] : [`server ${i + 1}`]));
  // Server nodes' pids are those of their first start: a restarted node is checked through alive().
  const others = deployment.processes
    .filter((watched) => !watched.name.startsWith('server'))
    .filter((watched) => {
      try {
        process.kill(watched.pid, 0);
        return false;
      } catch {
        return true;
      }
    })
    .map((watched) => watched.name);
  return [...servers, ...others];
}

/**
 * Where the database and the visitors disagree: a message stored other than once (or stored though its
 * visitor was told it was refused), an answer left streaming, a question answered twice, or a last answer
 * in another state than the visitor was told. Every visitor message stored is one a visitor sent.
 */
function mismatches(run: FaultsRun, rows: StoredMessage[]): string[] {
  const stored = storedQuestions(rows);
  const found: string[] = [];
  const problem = (message: FaultsRun['messages'][number], what: string) =>
    found.push(
      `${message.clientMessageId}: ${what} (sent ${when(run, message.at)}, told ${message.outcome}, ` +
        `${message.reconnects} reconnects; answers stored: ${stored.get(message.clientMessageId)?.answers.join(', ') || 'none'})`,
    );
  for (const message of run.messages) {
    const question = stored.get(message.clientMessageId);
    if (message.outcome.startsWith('refused: ')) {
      if (question) problem(message, 'refused, yet stored');
      continue;
    }
    if (question?.count !== 1) {
      problem(message, `stored ${question?.count ?? 0} times`);
      continue;
    }
    const { answers } = question;
    if (answers.includes('streaming')) problem(message, 'an answer left streaming');
    if (answers.filter((state) => state === 'complete').length > 1) problem(message, 'answered twice');
    // The offline answerer's fallback and an abstention are stored as complete answers.
    const told = ['fallback', 'abstained'].includes(message.outcome) ? 'complete' : message.outcome;
    if (answers.at(-1) !== told) problem(message, 'the last answer stored is not what the visitor was told');
  }
  const sent = new Set(run.messages.map((message) => message.clientMessageId));
  for (const id of stored.keys()) if (!sent.has(id)) found.push(`${id}: stored, yet no visitor sent it`);
  return found;
}

/** Each visitor message stored, by clientMessageId: how many times, and the states of the bot's answers after it. */
function storedQuestions(rows: StoredMessage[]) {
  const questions = new Map<string, { count: number; answers: string[] }>();
  let current: { answers: string[] } | null = null;
  let conversation = '';
  for (const row of rows) {
    if (row.conversation_id !== conversation) [conversation, current] = [row.conversation_id, null];
    if (row.role === 'visitor') {
      const question = questions.get(row.client_message_id) ?? { count: 0, answers: [] };
      question.count++;
      questions.set(row.client_message_id, question);
      current = question;
    } else if (row.role === 'bot' && current) current.answers.push(row.state);
  }
  return questions;
}

/** `at 53.2 s, during (d) …` or `after (d) …`: where in the run a moment falls. */
function when(run: FaultsRun, at: number): string {
  const fault = run.faults.find((fault) => at >= fault.period.from && at < fault.quietTo);
  const where = !fault
    ? 'outside the faults'
    : `${at < fault.period.to ? 'during' : 'after'} ${fault.name.slice(0, 3)}`;
  return `at ${(at / 1000).toFixed(1)} s, ${where}`;
}

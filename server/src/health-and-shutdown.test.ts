import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthResponse, BotView, DocumentView, HealthResponse, MessageDone } from '@chatbot/shared';
import { BullMqQueue, createLogger } from '@chatbot/shared/platform';
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeOpenAI } from '@chatbot/shared/testing';
import { drainingRefusal } from './features/health/draining';
import { ApiClient } from './testing/api-client';
import {
  clientMessageId,
  connectAdmin,
  connectWidget,
  follow,
  nextEvent,
  requestOk,
  startConversation,
  type WidgetSocket,
} from './testing/chat-clients';
import { longProse, upload, waitForStatus } from './testing/documents';
import { buildBot, buildTenant } from './testing/factories';
import { startPrivateRedis } from './testing/private-redis';
import { exitOf, waitForOutput } from './testing/process-exit';
import { startServerProcess, stopProcess, type NodeProcess } from './testing/processes';
import { startScaledServices, startWorkerProcess, type ScaledServices } from './testing/scaled-deployment';

type ServerNode = Awaited<ReturnType<typeof startServerProcess>>;

/** Two hundred words, streamed one every 25 ms: five seconds during which node A is asked to stop. */
const longAnswer = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');

/** Prose that takes seconds to index here: long enough to stop a process in the middle of it. */
const handbook = longProse(40_000);

/** Uploads one text file and returns its document, as the dashboard sees it right after. */
async function uploadText(api: ApiClient, token: string, botId: string, name: string, bytes: Buffer) {
  const files = [{ name, bytes, type: 'text/plain' }];
  const response = await upload({ url: api.baseUrl, api }, token, botId, files);
  assert.equal(response.status, 202, JSON.stringify(response.body));
  return response.body.documents[0] as DocumentView;
}

/** The last lines a process printed, for the message of an assertion about it. */
const tail = (node: NodeProcess) => node.output().split('\n').slice(-12).join('\n');

/** Asks `ask` every 50 ms until its answer passes `done`. */
async function pollUntil<T>(ask: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await ask();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('health probes and graceful shutdown (server and worker processes, scaled mode)', function () {
  this.timeout(120_000);
  let services: ScaledServices;
  /** Processes a test started; they go when it ends, whatever it left them doing. */
  const processes: NodeProcess[] = [];
  const started = <P extends NodeProcess>(node: P) => (processes.push(node), node);

  before(async () => {
    services = await startScaledServices();
  });
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((node) => stopProcess(node.child, 'SIGKILL')));
  });
  after(() => services?.stop());

  it('answers liveness with Redis down, unlogged, while readiness answers 503 degraded', async () => {
    const redis = await startPrivateRedis();
    try {
      const node = started(await startServerProcess({ ...services.env, REDIS_URL: redis.url }));
      const api = new ApiClient(node.url);
      assert.equal((await api.get('/api/health')).status, 200, 'ready while Redis is up');
      await redis.stop();

      const ready = await api.get<HealthResponse>('/api/health');
      assert.equal(ready.status, 503);
      assert.equal(ready.body.status, 'degraded');
      assert.equal(ready.body.checks.cache.status, 'down');
      for (let probe = 0; probe < 3; probe++) {
        const live = await fetch(`${node.url}/api/health/live?probe=${probe}`);
        assert.equal(live.status, 200);
        assert.equal(live.headers.get('cache-control'), 'no-store');
        assert.deepEqual(await live.json(), { status: 'ok' });
      }
      const head = await fetch(`${node.url}/api/health/live`, { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(await head.text(), '');
      assert.equal((await api.post('/api/health/live')).status, 404, 'only GET and HEAD');

      assert.match(node.output(), /"url":"\/api\/health"/, 'requests are logged');
      assert.doesNotMatch(node.output(), /\/api\/health\/live/, 'but not the liveness probes');
    } finally {
      await redis.stop();
    }
  });

  describe('two server nodes on one Redis', () => {
    let fake: FakeOpenAI;
    let nodes: [ServerNode, ServerNode];
    let owner: AuthResponse;
    let bot: BotView;

    before(async () => {
      fake = await startFakeOpenAI({ streamDelayMs: 25 });
      const env = {
        ...services.env,
        OPENAI_API_KEY: FAKE_OPENAI_KEY,
        OPENAI_BASE_URL: fake.url,
        SHUTDOWN_TIMEOUT_MS: '30000',
      };
      // One after the other: the first migrates the database.
      const a = await startServerProcess(env);
      nodes = [a, await startServerProcess(env)];
      owner = await buildTenant(new ApiClient(a.url));
      bot = await buildBot(new ApiClient(a.url), owner.accessToken, {
        status: 'published',
        rateLimits: { perIpPerMinute: 1000, perMinute: 1000 },
      });
    });
    after(async () => {
      await Promise.all((nodes ?? []).map((node) => stopProcess(node.child)));
      await fake?.stop();
    });

    it('on SIGTERM, node A finishes the answer it is writing, turns new work away, lets go of its sockets and exits 0', async () => {
      const [a, b] = nodes;
      const apiA = new ApiClient(a.url);
      fake.replyWith(longAnswer);
      const conversation = await startConversation(apiA, bot.id);
      const auth = { botId: bot.id, visitorToken: conversation.visitorToken };
      const visitor = await connectWidget(a.url, auth);
      const transcript = follow(visitor);
      await requestOk(visitor, 'conversation:join', { conversationId: conversation.conversationId });
      // A dashboard on node B: node A's shutdown must not reach B's sockets.
      const dashboard = await connectAdmin(b.url, owner.accessToken);
      const heard: string[] = [];
      visitor.on('message:done', () => heard.push('message:done'));
      visitor.on('disconnect', (reason) => heard.push(`disconnect: ${reason}`));
      let deltas = 0;
      const midAnswer = new Promise<void>((resolve) =>
        visitor.on('message:delta', () => ++deltas === 8 && resolve()),
      );
      const answered = nextEvent<MessageDone>(visitor, 'message:done', undefined, 30_000);
      const dropped = nextEvent<string>(visitor, 'disconnect', undefined, 30_000);
      await requestOk(visitor, 'message:send', {
        conversationId: conversation.conversationId,
        text: 'Tell me everything',
        clientMessageId: clientMessageId(),
      });
      await midAnswer;

      const exited = exitOf(a.child);
      a.child.kill('SIGTERM');
      const draining = await pollUntil(
        () => apiA.get<HealthResponse>('/api/health'),
        (health) => health.body.status === 'draining',
      );
      assert.equal(draining.status, 503);
      assert.equal(draining.body.checks.database.status, 'ok', 'the checks still come with it');
      assert.equal((await fetch(`${a.url}/api/health/live`)).status, 200, 'alive while draining');
      const polling = await fetch(`${a.url}/socket.io/?EIO=4&transport=polling`);
      assert.equal(polling.status, 403);
      assert.equal(((await polling.json()) as { message: string }).message, drainingRefusal);
      await assert.rejects(connectWidget(a.url, auth), 'a new WebSocket is refused too');
      assert.equal(transcript.messages.at(-1)!.state, 'streaming', 'all while the answer was being written');

      assert.equal((await answered).content, longAnswer);
      assert.equal(await dropped, 'io server disconnect');
      assert.deepEqual(heard, ['message:done', 'disconnect: io server disconnect'], 'done, then let go');
      assert.deepEqual(await exited, { code: 0, signal: null }, tail(a));
      assert.ok(dashboard.connected, "node B's sockets stay connected");
      dashboard.close();

      // The widget comes back, through the balancer, to the node that is left.
      const onB: WidgetSocket = await connectWidget(b.url, auth);
      const replay = await requestOk<{ messages: [] }>(onB, 'conversation:join', {
        conversationId: conversation.conversationId,
        sinceSeq: transcript.resumeFrom,
      });
      assert.deepEqual(replay.messages, [], 'nothing was missed');
      onB.close();
      const stored = await new ApiClient(b.url).get(
        `/api/conversations/${conversation.conversationId}`,
        owner.accessToken,
      );
      const rows = (messages: Array<{ seq: number; role: string; content: string; state: string }>) =>
        messages.map((m) => [m.seq, m.role, m.content, m.state]);
      assert.deepEqual(rows(stored.body.messages), [
        [1, 'visitor', 'Tell me everything', 'complete'],
        [2, 'bot', longAnswer, 'complete'],
      ]);
      assert.deepEqual(rows(transcript.messages), rows(stored.body.messages));
    });
  });

  describe('a worker', () => {
    let server: ServerNode;
    let api: ApiClient;
    let owner: AuthResponse;
    let bot: BotView;
    let jobs: BullMqQueue;
    const target = () => ({ url: server.url, api });
    /**
     * Short, so that a job left behind is taken over soon, but not so short that a worker busy indexing
     * (its event loop held for a second or more at a time on a loaded machine) misses renewing its lock.
     */
    const stallAfter = { JOB_STALL_TIMEOUT_MS: '10000' };
    const uploadOne = (name: string, bytes: Buffer) =>
      uploadText(api, owner.accessToken, bot.id, name, bytes);
    const documentNow = async (id: string) =>
      (await api.get<DocumentView>(`/api/documents/${id}`, owner.accessToken)).body;
    /** The BullMQ job that indexes a document, with how often it was started and found stalled. */
    const jobOf = async (documentId: string) => {
      const queue = jobs.allQueues().find((candidate) => candidate.name === 'document.index')!;
      const all = await queue.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed']);
      const job = all.find((candidate) => candidate.data.documentId === documentId)!;
      return {
        state: await job.getState(),
        attemptsStarted: job.attemptsStarted,
        stalledCounter: job.stalledCounter,
      };
    };

    before(async () => {
      server = await startServerProcess(services.env);
      api = new ApiClient(server.url);
      owner = await buildTenant(api);
      bot = await buildBot(api, owner.accessToken);
      jobs = new BullMqQueue(
        services.env.REDIS_URL,
        `${services.env.REDIS_PREFIX}:bull`,
        createLogger({ level: 'silent', name: 'test' }),
      );
    });
    after(async () => {
      await jobs?.close();
      if (server) await stopProcess(server.child);
    });

    it('on SIGTERM, finishes the document it is indexing, once, takes no new job and exits 0', async () => {
      const env = { ...services.env, ...stallAfter, SHUTDOWN_TIMEOUT_MS: '60000' };
      const first = started(await startWorkerProcess(env));
      const baseline = await uploadOne('baseline.txt', handbook);
      const expected = await waitForStatus(
        target(),
        owner.accessToken,
        baseline.id,
        ['completed', 'failed'],
        60_000,
      );
      assert.equal(expected.status, 'completed', expected.error ?? '');

      const document = await uploadOne('handbook.txt', handbook);
      await waitForStatus(target(), owner.accessToken, document.id, ['processing'], 60_000);
      const exited = exitOf(first.child);
      first.child.kill('SIGTERM');
      await waitForOutput(first, /"msg":"shutting down"/);
      assert.equal((await documentNow(document.id)).status, 'processing', 'stopped in the middle of a job');
      const later = await uploadOne('later.txt', Buffer.from('Queued while the worker was stopping.'));

      assert.deepEqual(await exited, { code: 0, signal: null }, tail(first));
      const finished = await documentNow(document.id);
      assert.equal(finished.status, 'completed', finished.error ?? '');
      assert.equal(finished.chunkCount, expected.chunkCount, 'the whole document, as without a shutdown');
      assert.deepEqual(await jobOf(document.id), {
        state: 'completed',
        attemptsStarted: 1,
        stalledCounter: 0,
      });
      assert.equal((await documentNow(later.id)).status, 'pending', 'the stopping worker took no new job');
      assert.deepEqual(await jobOf(later.id), { state: 'waiting', attemptsStarted: 0, stalledCounter: 0 });

      started(await startWorkerProcess(env));
      const done = await waitForStatus(
        target(),
        owner.accessToken,
        later.id,
        ['completed', 'failed'],
        60_000,
      );
      assert.equal(done.status, 'completed', done.error ?? '');
    });

    it('leaves a job it could not finish within SHUTDOWN_TIMEOUT_MS to another worker, which completes it', async () => {
      const env = { ...services.env, ...stallAfter };
      const hasty = started(await startWorkerProcess({ ...env, SHUTDOWN_TIMEOUT_MS: '300' }));
      const document = await uploadOne('manual.txt', handbook);
      await waitForStatus(target(), owner.accessToken, document.id, ['processing'], 60_000);
      const signalled = Date.now();
      hasty.child.kill('SIGTERM');
      assert.deepEqual(await exitOf(hasty.child), { code: 1, signal: null }, tail(hasty));
      assert.ok(Date.now() - signalled < 5_000, `forced out after ${Date.now() - signalled} ms`);
      assert.match(hasty.output(), /shutdown timed out/);
      assert.equal((await documentNow(document.id)).status, 'processing', 'cut off mid-way');

      started(await startWorkerProcess({ ...env, SHUTDOWN_TIMEOUT_MS: '60000' }));
      const done = await waitForStatus(
        target(),
        owner.accessToken,
        document.id,
        ['completed', 'failed'],
        60_000,
      );
      assert.equal(done.status, 'completed', done.error ?? '');
      assert.ok(done.chunkCount > 1);
      const job = await jobOf(document.id);
      assert.equal(job.state, 'completed');
      assert.equal(job.stalledCounter, 1, 'handed over by the stalled-job check');
    });
  });

  it('embedded: on SIGTERM, finishes the in-process job it is running before it exits 0', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'embedded-shutdown-'));
    const { MASTER_KEY, JWT_SECRET, CHROMA_URL } = services.env;
    const env = { DATA_DIR: dataDir, MASTER_KEY, JWT_SECRET, CHROMA_URL, SHUTDOWN_TIMEOUT_MS: '60000' };
    try {
      const first = started(await startServerProcess(env));
      const api = new ApiClient(first.url);
      const owner = await buildTenant(api);
      const bot = await buildBot(api, owner.accessToken);
      const document = await uploadText(api, owner.accessToken, bot.id, 'handbook.txt', handbook);
      await waitForStatus({ url: first.url, api }, owner.accessToken, document.id, ['processing'], 60_000);
      const signalledAt = Date.now();
      first.child.kill('SIGTERM');
      assert.deepEqual(await exitOf(first.child), { code: 0, signal: null }, tail(first));

      // The same data directory again: what the first process left is what it had finished.
      const again = started(await startServerProcess(env));
      const indexed = (
        await new ApiClient(again.url).get<DocumentView>(`/api/documents/${document.id}`, owner.accessToken)
      ).body;
      assert.equal(indexed.status, 'completed', indexed.error ?? '');
      assert.ok(indexed.chunkCount > 1);
      assert.ok(new Date(indexed.indexedAt!).getTime() > signalledAt, 'finished after the signal');
      assert.doesNotMatch(again.output(), /re-queued unfinished documents/, 'nothing was left to do');
    } finally {
      await Promise.all(processes.splice(0).map((node) => stopProcess(node.child, 'SIGKILL')));
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

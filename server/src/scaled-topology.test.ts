import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type {
  AdminServerToClientEvents,
  AuthResponse,
  BotView,
  ChatMessage,
  DocumentView,
  MessageDone,
} from '@chatbot/shared';
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeOpenAI } from '@chatbot/shared/testing';
import { ApiClient } from './testing/api-client';
import {
  clientMessageId,
  follow,
  nextEvent,
  requestOk,
  startConversation,
  type AdminSocket,
  type WidgetSocket,
} from './testing/chat-clients';
import { longProse, upload, waitForStatus } from './testing/documents';
import { buildBot, buildTenant } from './testing/factories';
import { freePort } from './testing/free-port';
import { startNginx, upstreamFor, type RunningNginx } from './testing/nginx';
import { startPrivateRedis, type PrivateRedis } from './testing/private-redis';
import { startServerProcess, stopProcess, type NodeProcess } from './testing/processes';
import { startScaledServices, startWorkerProcess, type ScaledServices } from './testing/scaled-deployment';

type StatusEvent = Parameters<AdminServerToClientEvents['document:status']>[0];

/** A hundred words, streamed one every 25 ms: long enough to kill a node in the middle. */
const longAnswer = Array.from({ length: 100 }, (_, i) => `word${i}`).join(' ');

/**
 * The production topology without Docker: PostgreSQL, Redis (append-only file on) and a Chroma server as
 * separate processes, two server nodes behind Debian's nginx running the shipped template, one worker.
 * Every client goes through nginx with Socket.IO's default transports (long-polling, then WebSocket), so
 * sticky routing is exercised; clients pick their node by their source address, as visitors do by theirs.
 */
describe('the scaled topology behind nginx: two servers, a worker, PostgreSQL, Redis and Chroma', function () {
  this.timeout(120_000);
  let services: ScaledServices;
  let redis: PrivateRedis;
  let redisDir: string;
  let fake: FakeOpenAI;
  let nginx: RunningNginx;
  let env: Record<string, string>;
  const ports: number[] = [];
  const nodes: NodeProcess[] = [];
  let worker: NodeProcess;
  let api: ApiClient;
  let owner: AuthResponse;
  let bot: BotView;
  /** A source address whose requests nginx sends to node 0, and one for node 1. */
  const addressOf: string[] = [];
  const sockets: Socket[] = [];

  const startNode = async (index: number) => {
    nodes[index] = await startServerProcess({ ...env, PORT: String(ports[index]) });
  };
  const startWorker = async () => {
    worker = await startWorkerProcess(env);
  };
  /** A socket through nginx from `localAddress`, reconnecting on its own as the widget and dashboard do. */
  const connect = <S extends Socket>(namespace: string, auth: object, localAddress: string): Promise<S> => {
    const socket = io(`${nginx.url}${namespace}`, {
      auth,
      forceNew: true,
      agent: new Agent({ localAddress }) as never,
      localAddress,
      reconnectionDelay: 100,
      reconnectionDelayMax: 500,
    } as never) as unknown as S;
    sockets.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });
  };

  /** Until every node's health answers 200 again (30 s at most). */
  const healthy = async () => {
    const deadline = Date.now() + 30_000;
    for (const port of ports) {
      for (;;) {
        const response = await fetch(`http://127.0.0.1:${port}/api/health`);
        if (response.status === 200) break;
        assert.ok(Date.now() < deadline, `node :${port} still unhealthy: ${await response.text()}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  };

  /**
   * A visitor in a new conversation, through nginx from an address it sends to `node`, joined as the
   * widget joins: again after every reconnection, asking for what its transcript lacks.
   */
  const visitorOn = async (node: number) => {
    const { conversationId, visitorToken } = await startConversation(api, bot.id);
    const visitor = await connect<WidgetSocket>('/widget', { botId: bot.id, visitorToken }, addressOf[node]!);
    const transcript = follow(visitor);
    const join = () =>
      requestOk<{ messages: ChatMessage[] }>(visitor, 'conversation:join', {
        conversationId,
        sinceSeq: transcript.resumeFrom,
      }).then((joined) => joined.messages.forEach((message) => transcript.add(message)));
    await join();
    visitor.io.on('reconnect', () => void join());
    return { visitor, transcript, conversationId };
  };
  /** The transport a socket settles on: the upgrade from long-polling follows the handshake. */
  const settledTransport = async (socket: Socket) => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    return socket.io.engine.transport.name;
  };

  before(async () => {
    fake = await startFakeOpenAI({ streamDelayMs: 25 });
    redisDir = mkdtempSync(join(tmpdir(), 'topology-redis-'));
    redis = await startPrivateRedis({ persistDir: redisDir });
    services = await startScaledServices({ redisUrl: redis.url });
    ports.push(await freePort(), await freePort());
    env = {
      ...services.env,
      OPENAI_API_KEY: FAKE_OPENAI_KEY,
      OPENAI_BASE_URL: fake.url,
      JOB_STALL_TIMEOUT_MS: '10000',
      TRUST_PROXY: 'loopback',
    };
    await startNode(0); // the first node migrates the database
    await startNode(1);
    await startWorker();
    nginx = await startNginx([`127.0.0.1:${ports[0]}`, `127.0.0.1:${ports[1]}`]);
    for (let i = 1; addressOf[0] === undefined || addressOf[1] === undefined; i++) {
      assert.ok(i < 64, 'nginx sends every loopback address to one node');
      const address = `127.0.0.${i}`;
      const node = ports.indexOf(Number((await upstreamFor(nginx.url, address)).split(':')[1]));
      addressOf[node] ??= address;
    }
    api = new ApiClient(nginx.url);
    owner = await buildTenant(api);
    bot = await buildBot(api, owner.accessToken, {
      status: 'published',
      rateLimits: { perIpPerMinute: 1000, perMinute: 1000 },
    });
  });
  // A test that killed a node leaves the next one both nodes again.
  beforeEach(async () => {
    for (const [index, node] of nodes.entries()) {
      if (node.child.exitCode !== null || node.child.signalCode !== null) await startNode(index);
    }
  });
  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));
  after(async () => {
    await nginx?.stop();
    await Promise.all([...nodes, worker].filter(Boolean).map((node) => stopProcess(node.child)));
    await redis?.stop();
    await services?.stop();
    await fake?.stop();
    rmSync(redisDir, { recursive: true, force: true });
  });

  it('indexes an upload in the worker and shows its live status to an admin connected through nginx', async () => {
    const admin = await connect<AdminSocket>('/admin', { token: owner.accessToken }, addressOf[1]!);
    assert.equal(
      await settledTransport(admin),
      'websocket',
      'long-polling upgraded to WebSocket through nginx',
    );
    const events: StatusEvent[] = [];
    admin.on('document:status', (event) => events.push(event));
    const sent = await upload({ url: nginx.url, api }, owner.accessToken, bot.id, [
      { name: 'refunds.txt', bytes: Buffer.from('Refunds are paid within five working days of the return.') },
    ]);
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    const id = sent.body.documents[0].id as string;
    const done = await waitForStatus({ url: nginx.url, api }, owner.accessToken, id, ['completed', 'failed']);
    assert.equal(done.status, 'completed', done.error ?? '');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const seen = events.filter((event) => event.documentId === id).map((event) => event.status);
    assert.equal(seen.at(-1), 'completed', `statuses seen: ${seen.join(', ')}`);
    assert.ok(seen.includes('processing'), `statuses seen: ${seen.join(', ')}`);
  });

  it('streams an answer to a visitor on one node while an admin on the other node watches it live', async () => {
    const { visitor, conversationId } = await visitorOn(0);
    const admin = await connect<AdminSocket>('/admin', { token: owner.accessToken }, addressOf[1]!);
    await requestOk(admin, 'conversation:watch', { conversationId });
    fake.replyWith('Refunds take five working days.');
    const deltas: string[] = [];
    admin.on('message:delta', (delta) => deltas.push(delta.delta));
    const heard = nextEvent<ChatMessage>(admin, 'message:new', (message) => message.role === 'visitor');
    const watched = nextEvent<MessageDone>(admin, 'message:done');
    const answered = nextEvent<MessageDone>(visitor, 'message:done');
    await requestOk(visitor, 'message:send', {
      conversationId,
      text: 'How long do refunds take?',
      clientMessageId: clientMessageId(),
    });
    assert.equal((await heard).content, 'How long do refunds take?');
    assert.equal((await answered).content, 'Refunds take five working days.');
    assert.equal((await watched).content, 'Refunds take five working days.');
    assert.equal(deltas.join(''), 'Refunds take five working days.', 'the admin saw it grow');
  });

  it('a node killed mid-answer: the visitor reconnects through nginx to the other node and loses nothing', async () => {
    const { visitor, transcript, conversationId } = await visitorOn(0);

    fake.replyWith(longAnswer);
    let received = 0;
    const midAnswer = new Promise<void>((resolve) =>
      visitor.on('message:delta', () => ++received === 10 && resolve()),
    );
    const question = 'Tell me everything about refunds';
    await requestOk(visitor, 'message:send', {
      conversationId,
      text: question,
      clientMessageId: clientMessageId(),
    });
    await midAnswer;
    const cut = nextEvent(visitor, 'disconnect');
    await stopProcess(nodes[0]!.child, 'SIGKILL');
    await cut;

    // The answer the dead node was writing is finished by the node still standing.
    fake.replyWith('Refunds are paid within five working days.');
    const finished = await nextEvent<MessageDone>(
      visitor,
      'message:done',
      (done) => done.state === 'complete',
      30_000,
    );
    assert.equal(finished.content, 'Refunds are paid within five working days.');
    const after = nextEvent<MessageDone>(visitor, 'message:done', (done) => done.state === 'complete');
    fake.replyWith('You are welcome.');
    await requestOk(visitor, 'message:send', {
      conversationId,
      text: 'Thanks!',
      clientMessageId: clientMessageId(),
    });
    assert.equal((await after).content, 'You are welcome.');

    const stored = await api.get(`/api/conversations/${conversationId}`, owner.accessToken);
    const messages = stored.body.messages as ChatMessage[];
    assert.deepEqual(
      transcript.messages.map((m) => [m.seq, m.role, m.content, m.state]),
      messages.map((m) => [m.seq, m.role, m.content, m.state]),
      'the visitor has exactly what is stored, each message once',
    );
    assert.deepEqual(
      messages.filter((m) => m.role === 'visitor').map((m) => m.content),
      [question, 'Thanks!'],
    );
    assert.equal(messages.filter((m) => m.state === 'complete' && m.role === 'bot').length, 2);
  });

  it('a worker killed mid-job: the document still completes once a worker runs again', async () => {
    const sent = await upload({ url: nginx.url, api }, owner.accessToken, bot.id, [
      { name: 'handbook.txt', bytes: longProse(40_000) },
    ]);
    const id = sent.body.documents[0].id as string;
    const target = { url: nginx.url, api };
    await waitForStatus(target, owner.accessToken, id, ['processing'], 60_000);
    await stopProcess(worker.child, 'SIGKILL');
    await startWorker();
    const done = await waitForStatus(target, owner.accessToken, id, ['completed', 'failed'], 90_000);
    assert.equal(done.status, 'completed', done.error ?? '');
    assert.ok(done.chunkCount > 1);
  });

  // After the worker's test: nginx has stopped avoiding the node killed two tests ago (fail_timeout).
  it('a node killed before its answer began: the question is answered by the other node', async () => {
    const { visitor, conversationId } = await visitorOn(0);

    // The node's model call for the question (its query embedding) never answers: it is still
    // retrieving, with no answer row stored, when it dies.
    fake.reset();
    fake.hangNext(1);
    const question = 'How many working days until refunds are paid after a return?';
    await requestOk(visitor, 'message:send', {
      conversationId,
      text: question,
      clientMessageId: clientMessageId(),
    });
    while (fake.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    const cut = nextEvent(visitor, 'disconnect');
    await stopProcess(nodes[0]!.child, 'SIGKILL');
    await cut;

    fake.replyWith('Gifts are refunded as store credit.');
    const done = await nextEvent<MessageDone>(visitor, 'message:done', (d) => d.state === 'complete', 30_000);
    assert.equal(done.content, 'Gifts are refunded as store credit.');
    const stored = await api.get(`/api/conversations/${conversationId}`, owner.accessToken);
    assert.deepEqual(
      (stored.body.messages as ChatMessage[]).map((m) => [m.role, m.state]),
      [
        ['visitor', 'complete'],
        ['bot', 'complete'],
      ],
      'the question once, answered once',
    );
  });

  it('Redis restarts: cross-node delivery, the queue and health recover without restarting anything', async () => {
    await redis.restart();
    // Clients connected meanwhile are served; the platform reconnects to Redis in the background.
    await healthy();

    const { visitor, conversationId } = await visitorOn(0);
    const admin = await connect<AdminSocket>('/admin', { token: owner.accessToken }, addressOf[1]!);
    await requestOk(admin, 'conversation:watch', { conversationId });
    fake.replyWith('Still here after the restart.');
    const watched = nextEvent<MessageDone>(admin, 'message:done');
    await requestOk(visitor, 'message:send', {
      conversationId,
      text: 'Are you there?',
      clientMessageId: clientMessageId(),
    });
    assert.equal((await watched).content, 'Still here after the restart.');

    const statuses: StatusEvent[] = [];
    admin.on('document:status', (event) => statuses.push(event));
    const sent = await upload({ url: nginx.url, api }, owner.accessToken, bot.id, [
      { name: 'after-restart.txt', bytes: Buffer.from('Orders ship within two days.') },
    ]);
    const id = sent.body.documents[0].id as string;
    const done = await waitForStatus(
      { url: nginx.url, api },
      owner.accessToken,
      id,
      ['completed', 'failed'],
      60_000,
    );
    assert.equal(done.status, 'completed', done.error ?? '');
    const document = (await api.get<DocumentView>(`/api/documents/${id}`, owner.accessToken)).body;
    assert.equal(document.status, 'completed');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(statuses.filter((event) => event.documentId === id).at(-1)?.status, 'completed');
  });

  it('Redis down mid-conversation and mid-job: visitors are answered while it is down, the worker carries on, nothing is lost', async () => {
    const target = { url: nginx.url, api };
    const sent = await upload(target, owner.accessToken, bot.id, [
      { name: 'outage.txt', bytes: longProse(20_000) },
    ]);
    const id = sent.body.documents[0].id as string;
    await waitForStatus(target, owner.accessToken, id, ['processing'], 60_000);
    const { visitor, conversationId } = await visitorOn(0);
    const admin = await connect<AdminSocket>('/admin', { token: owner.accessToken }, addressOf[0]!);
    await requestOk(admin, 'conversation:watch', { conversationId });
    // Another tenant's admin on each node: what the outage drops or delays must reach neither of them.
    const stranger = await buildTenant(api);
    const heardByStranger: unknown[] = [];
    for (const address of addressOf) {
      const other = await connect<AdminSocket>('/admin', { token: stranger.accessToken }, address!);
      other.onAny((event: string, ...args: unknown[]) => heardByStranger.push([event, ...args]));
    }

    await redis.stop();
    const downAt = performance.now();
    try {
      // Neither the answer nor a page's config read waits for Redis: its caches read as misses and the
      // rate limits fall back to memory. Events reach the sockets of the node that emits them.
      fake.replyWith('Answered while Redis was down.');
      const answered = nextEvent<MessageDone>(visitor, 'message:done');
      const watched = nextEvent<MessageDone>(admin, 'message:done');
      await requestOk(visitor, 'message:send', {
        conversationId,
        text: 'Is anyone there?',
        clientMessageId: clientMessageId(),
      });
      assert.equal((await answered).content, 'Answered while Redis was down.');
      assert.equal((await watched).content, 'Answered while Redis was down.');
      const answerMs = Math.round(performance.now() - downAt);
      const config = await fetch(`${nginx.url}/api/public/bot/${bot.id}/config`);
      assert.equal(config.status, 200, await config.text());
      const health = await fetch(`http://127.0.0.1:${ports[0]}/api/health`);
      assert.equal(health.status, 503, 'health tells the balancer Redis is down');
      console.log(`      Redis down: answered ${answerMs} ms after it stopped`);
    } finally {
      await redis.restart();
    }
    await healthy();
    const done = await waitForStatus(target, owner.accessToken, id, ['completed', 'failed'], 90_000);
    assert.equal(done.status, 'completed', done.error ?? '');
    for (const process of [...nodes, worker]) {
      assert.equal(process.child.exitCode ?? process.child.signalCode, null, 'a process died');
    }
    const stored = await api.get(`/api/conversations/${conversationId}`, owner.accessToken);
    assert.deepEqual(
      (stored.body.messages as ChatMessage[]).map((m) => [m.role, m.state]),
      [
        ['visitor', 'complete'],
        ['bot', 'complete'],
      ],
    );
    await new Promise((resolve) => setTimeout(resolve, 500)); // anything late has arrived by now
    const heard = JSON.stringify(heardByStranger);
    for (const secret of [conversationId, id, bot.id])
      assert.ok(!heard.includes(secret), `another tenant heard ${heard}`);
  });
});

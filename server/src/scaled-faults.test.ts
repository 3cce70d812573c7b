import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import type {
  AckResponse,
  AuthResponse,
  BotView,
  ChatMessage,
  DocumentView,
  MessageDone,
} from '@chatbot/shared';
import { VectorStore } from '@chatbot/shared/platform';
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeOpenAI } from '@chatbot/shared/testing';
import { apologyText, searchDownText } from './features/chat/answer-engine';
import { ApiClient } from './testing/api-client';
import { clientMessageId, nextEvent, request, requestOk, type WidgetSocket } from './testing/chat-clients';
import { longProse, upload, waitForStatus } from './testing/documents';
import { buildBot, buildTenant } from './testing/factories';
import { startFaultProxy, targetOf, throughProxy, type FaultProxy } from './testing/fault-proxy';
import { freePort } from './testing/free-port';
import { startNginx, upstreamFor, type RunningNginx } from './testing/nginx';
import { startServerProcess, stopProcess, type NodeProcess } from './testing/processes';
import { startScaledServices, startWorkerProcess, type ScaledServices } from './testing/scaled-deployment';

const chat = '/v1/chat/completions';
const refundsAnswer = 'Refunds are paid within five working days of the return [1].';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Faults of the services the platform depends on, in the scaled topology: two server nodes behind nginx, a
 * worker, PostgreSQL, Redis, Chroma and the model provider, with each of them behind a fault-injecting proxy that a test takes down, brings back or slows. For every fault: what the
 * visitor and the admin see, that no process restarted, that no message, lead or document is lost or
 * doubled (counted in PostgreSQL and Chroma), and how long recovery took from the moment the service came
 * back to the first good answer.
 */
describe('faults in the scaled topology: the database, Redis, Chroma and the model provider going away', function () {
  this.timeout(60_000);
  let services: ScaledServices;
  let fake: FakeOpenAI;
  let database: FaultProxy;
  let chroma: FaultProxy;
  let model: FaultProxy;
  let redis: FaultProxy;
  let nginx: RunningNginx;
  let db: pg.Client;
  const nodes: NodeProcess[] = [];
  let worker: NodeProcess;
  let pids: number[];
  let api: ApiClient;
  let owner: AuthResponse;
  let bot: BotView;
  /** A source address whose requests nginx sends to node 0. */
  let nodeZeroAddress: string;
  const sockets: Socket[] = [];

  const rows = async (sql: string, values: unknown[]) => Number((await db.query(sql, values)).rows[0].count);
  const health = async (node: NodeProcess & { url?: string }) => {
    const response = await fetch(`${(node as { url: string }).url}/api/health`);
    return { status: response.status, body: (await response.json()) as any };
  };
  /** Polls every node's health until each answers `status`; resolves with how long that took. */
  const allHealth = async (status: number, timeoutMs = 15_000) => {
    const started = performance.now();
    for (const node of nodes) {
      for (;;) {
        const seen = await health(node);
        if (seen.status === status) break;
        assert.ok(performance.now() - started < timeoutMs, `health still ${JSON.stringify(seen)}`);
        await sleep(100);
      }
    }
    return Math.round(performance.now() - started);
  };
  /** The same processes as at the start, every one still running: nothing had to be restarted. */
  const assertNothingRestarted = () => {
    for (const process of [...nodes, worker]) {
      assert.equal(process.child.exitCode, null, process.output().slice(-2000));
      assert.equal(process.child.signalCode, null);
    }
    assert.deepEqual(
      [...nodes, worker].map((process) => process.child.pid),
      pids,
    );
  };
  /** No answer of the bot is left `streaming` for ever, nor any written twice. */
  const assertSettled = async (conversationId: string) => {
    assert.equal(
      await rows(`select count(*) from messages where conversation_id = $1 and state = 'streaming'`, [
        conversationId,
      ]),
      0,
    );
    const perQuestion = await db.query(
      `select q.content, count(*) from messages q join messages a
         on a.conversation_id = q.conversation_id and a.seq = q.seq + 1 and a.role = 'bot'
       where q.conversation_id = $1 and q.role = 'visitor' group by q.id, q.content`,
      [conversationId],
    );
    for (const row of perQuestion.rows) assert.equal(Number(row.count), 1, `answers to ${row.content}`);
  };

  /** A visitor with the widget open, through nginx to node 0, reconnecting on its own as the widget does. */
  const openChat = async () => {
    const started = await api.request('POST', `/api/public/conversation/${bot.id}/start`);
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const { conversationId, visitorToken } = started.body as { conversationId: string; visitorToken: string };
    const socket = io(`${nginx.url}/widget`, {
      auth: { botId: bot.id, visitorToken },
      forceNew: true,
      agent: new Agent({ localAddress: nodeZeroAddress }) as never,
      reconnectionDelay: 100,
      reconnectionDelayMax: 500,
    } as never) as unknown as WidgetSocket;
    sockets.push(socket);
    await new Promise<void>((resolve, reject) =>
      socket.once('connect', () => resolve()).once('connect_error', reject),
    );
    await requestOk(socket, 'conversation:join', { conversationId });
    const send = (text: string, id = clientMessageId()) =>
      request<{ messageId: string }>(
        socket,
        'message:send',
        { conversationId, text, clientMessageId: id },
        15_000,
      );
    /** Sends a question and resolves with the bot's finished answer to it, and how long it took. */
    const ask = async (text: string, timeoutMs = 20_000) => {
      const started = performance.now();
      const done = nextEvent<MessageDone>(
        socket,
        'message:done',
        (d) => d.conversationId === conversationId,
        timeoutMs,
      );
      const ack = await send(text);
      assert.ok(ack.ok, JSON.stringify(ack));
      const answer = await done;
      return { ...answer, ms: Math.round(performance.now() - started) };
    };
    return { conversationId, visitorToken, socket, send, ask };
  };
  /** The conversation as the admin's inbox lists it, and its messages as the admin reads them. */
  const adminView = async (conversationId: string) => {
    const inbox = await api.get(`/api/conversations?botId=${bot.id}`, owner.accessToken);
    const listed = inbox.body.conversations.find((c: { id: string }) => c.id === conversationId);
    const opened = await api.get(`/api/conversations/${conversationId}`, owner.accessToken);
    return { listed, messages: opened.body.messages as (ChatMessage & { error?: string | null })[] };
  };

  before(async function () {
    this.timeout(120_000);
    fake = await startFakeOpenAI({ streamDelayMs: 5 });
    services = await startScaledServices();
    database = await startFaultProxy(targetOf(services.env.DATABASE_URL));
    chroma = await startFaultProxy(targetOf(services.env.CHROMA_URL));
    model = await startFaultProxy(targetOf(fake.url));
    redis = await startFaultProxy(targetOf(services.env.REDIS_URL));
    db = new pg.Client({ connectionString: services.env.DATABASE_URL });
    await db.connect();
    const env = {
      ...services.env,
      DATABASE_URL: throughProxy(services.env.DATABASE_URL, database),
      CHROMA_URL: throughProxy(services.env.CHROMA_URL, chroma).replace(/\/$/, ''),
      OPENAI_API_KEY: FAKE_OPENAI_KEY,
      OPENAI_BASE_URL: throughProxy(fake.url, model),
      REDIS_URL: throughProxy(services.env.REDIS_URL, redis),
      // Recorded work not queued (Redis out of reach) is queued again by the worker's sweep after 2 s.
      REQUEUE_AFTER_MS: '2000',
      // A model silent this long is given up on: short, so that a hang costs the test little.
      MODEL_IDLE_TIMEOUT_MS: '1500',
      TRUST_PROXY: 'loopback',
    };
    const ports = [await freePort(), await freePort()];
    nodes[0] = await startServerProcess({ ...env, PORT: String(ports[0]) }); // migrates the database
    nodes[1] = await startServerProcess({ ...env, PORT: String(ports[1]) });
    worker = await startWorkerProcess(env);
    pids = [...nodes, worker].map((process) => process.child.pid!);
    nginx = await startNginx([`127.0.0.1:${ports[0]}`, `127.0.0.1:${ports[1]}`]);
    for (let i = 1; ; i++) {
      assert.ok(i < 64, 'nginx sends no loopback address to node 0');
      const upstream = await upstreamFor(nginx.url, `127.0.0.${i}`);
      if (upstream === `127.0.0.1:${ports[0]}`) {
        nodeZeroAddress = `127.0.0.${i}`;
        break;
      }
    }
    api = new ApiClient(nginx.url);
    owner = await buildTenant(api);
    bot = await buildBot(api, owner.accessToken, {
      status: 'published',
      rateLimits: { perIpPerMinute: 1000, perMinute: 1000 },
      leadCapture: { enabled: true },
    });
    const sent = await upload({ url: nginx.url, api }, owner.accessToken, bot.id, [
      { name: 'refunds.txt', bytes: Buffer.from('Refunds are paid within five working days of the return.') },
    ]);
    const taught = await waitForStatus(
      { url: nginx.url, api },
      owner.accessToken,
      sent.body.documents[0].id,
      ['completed', 'failed'],
    );
    assert.equal(taught.status, 'completed', taught.error ?? '');
    assert.ok(
      database.accepted() && chroma.accepted() && model.accepted() && redis.accepted(),
      'every service is reached through its proxy',
    );
  });
  beforeEach(() => {
    fake.reset();
    fake.replyWith(refundsAnswer);
  });
  afterEach(() => {
    sockets.splice(0).forEach((socket) => socket.close());
    for (const proxy of [database, chroma, model, redis]) {
      proxy.up();
      proxy.delay(0);
    }
  });
  after(async () => {
    await nginx?.stop();
    await Promise.all([...nodes, worker].filter(Boolean).map((process) => stopProcess(process.child)));
    await db?.end();
    await Promise.all([database, chroma, model, redis].filter(Boolean).map((proxy) => proxy.stop()));
    await services?.stop();
    await fake?.stop();
  });

  it('Chroma stopped then started: the visitor is told the documents cannot be searched, uploads retry, answers are grounded again', async () => {
    chroma.down();
    const down = await health(nodes[0]!);
    assert.equal(down.status, 503);
    assert.equal(down.body.checks.vectorStore.status, 'down', JSON.stringify(down.body));

    const visitor = await openChat();
    const degraded = await visitor.ask('How long do refunds take?');
    assert.equal(degraded.content, searchDownText);
    assert.deepEqual(degraded.sources, []);
    assert.equal(degraded.unanswered, undefined, 'not a gap in the documents: they could not be searched');

    const target = { url: nginx.url, api };
    const sent = await upload(target, owner.accessToken, bot.id, [
      { name: 'warranty.txt', bytes: Buffer.from('The warranty lasts two years from the day of delivery.') },
    ]);
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    const documentId = sent.body.documents[0].id as string;
    // The worker keeps trying (the queue's three attempts, a second and then two apart): once the second
    // attempt has begun, Chroma comes back before the third.
    for (;;) {
      const [document] = (
        await db.query(`select status, attempts from documents where id = $1`, [documentId])
      ).rows;
      if (document.attempts >= 2) break;
      assert.notEqual(document.status, 'failed');
      await sleep(50);
    }
    chroma.up();
    const back = performance.now();

    // Without restarting anything, the same question is answered from the documents again.
    const later = await openChat();
    const grounded = await later.ask('How long do refunds take?');
    const recoveryMs = Math.round(performance.now() - back);
    assert.equal(grounded.content, refundsAnswer);
    assert.equal(grounded.sources[0]?.title, 'refunds.txt');
    assert.equal(grounded.unanswered, undefined);
    console.log(`      Chroma: first grounded answer ${recoveryMs} ms after it came back`);
    await allHealth(200);

    const indexed = await waitForStatus(
      target,
      owner.accessToken,
      documentId,
      ['completed', 'failed'],
      20_000,
    );
    assert.equal(indexed.status, 'completed', indexed.error ?? '');
    // Every chunk once in Chroma, none of a document that does not exist.
    const chunks = [];
    for await (const page of new VectorStore(services.env.CHROMA_URL).chunks(bot.id)) chunks.push(...page);
    const documents = (await db.query(`select id, chunk_count from documents where bot_id = $1`, [bot.id]))
      .rows;
    assert.equal(new Set(chunks.map((chunk) => chunk.id)).size, chunks.length);
    for (const document of documents) {
      assert.equal(chunks.filter((chunk) => chunk.documentId === document.id).length, document.chunk_count);
    }
    assert.equal(
      chunks.length,
      documents.reduce((sum, document) => sum + document.chunk_count, 0),
    );
    assert.equal(
      await rows(`select count(*) from documents where bot_id = $1 and name = 'warranty.txt'`, [bot.id]),
      1,
    );

    // The admin reads the degraded answer as the visitor did, with why it was degraded.
    const { listed, messages } = await adminView(visitor.conversationId);
    assert.ok(listed, 'the conversation is in the inbox');
    assert.deepEqual(
      messages.map((m) => [m.role, m.content, m.state]),
      [
        ['visitor', 'How long do refunds take?', 'complete'],
        ['bot', searchDownText, 'failed'],
      ],
    );
    assert.match(messages[1]!.error ?? '', /documents could not be searched/i);
    await assertSettled(visitor.conversationId);
    await assertSettled(later.conversationId);
    assertNothingRestarted();
  });

  it('the model slow, then silent mid-answer: the slow answer arrives whole, the silent one ends with an apology', async () => {
    model.delay(150);
    const visitor = await openChat();
    const slow = await visitor.ask('When are refunds paid?');
    assert.equal(slow.content, refundsAnswer);
    assert.equal(slow.state, 'complete');
    console.log(`      model 150 ms a chunk: answered in ${slow.ms} ms`);
    model.delay(0);

    fake.hangNext(1, { afterDeltas: 2, path: chat });
    const cut = await visitor.ask('Are refunds paid within five working days?');
    assert.equal(cut.state, 'failed');
    assert.ok(cut.content.endsWith(apologyText), cut.content);
    const recovered = await visitor.ask('Are refunds paid after the return?');
    assert.equal(recovered.content, refundsAnswer);

    const { listed, messages } = await adminView(visitor.conversationId);
    assert.ok(listed);
    assert.deepEqual(
      messages.filter((m) => m.role === 'bot').map((m) => m.state),
      ['complete', 'failed', 'complete'],
    );
    assert.match(messages[3]!.error ?? '', /.+/, 'the admin is told why the answer broke off');
    await assertSettled(visitor.conversationId);
    assertNothingRestarted();
  });

  it('the model failing (500) or rate-limiting (429): answers after the retries, else the offline answer from the documents', async () => {
    const visitor = await openChat();
    const chatRequests = () => fake.requests.filter((r) => r.path === chat).length;

    fake.failNext(2, 429, { retryAfterMs: 100, path: chat });
    const limited = await visitor.ask('How many working days until refunds are paid?');
    assert.equal(limited.content, refundsAnswer, 'answered once the rate limit let it through');
    assert.equal(chatRequests(), 3, 'two refused, the third answered');

    fake.failNext(1, 500, { path: chat });
    const retried = await visitor.ask('Are refunds of a return paid in five days?');
    assert.equal(retried.content, refundsAnswer);

    // Still failing after every retry (the SDK's three) and out of quota: the bot answers from the documents.
    fake.failNext(4, 500, { path: chat });
    const failing = await visitor.ask('When is a refund paid after a return?');
    fake.failNext(1, 429, { code: 'insufficient_quota', path: chat });
    const noQuota = await visitor.ask('Refunds are paid within how many working days?');
    for (const offline of [failing, noQuota]) {
      assert.equal(offline.state, 'complete');
      assert.match(offline.content, /five working days/);
      assert.equal(offline.sources[0]?.title, 'refunds.txt', 'the offline answer cites the document');
    }
    console.log(
      `      model failing 500 four times: offline answer after ${failing.ms} ms; out of quota: ${noQuota.ms} ms`,
    );

    const { listed, messages } = await adminView(visitor.conversationId);
    assert.ok(listed);
    const answers = messages.filter((m) => m.role === 'bot');
    assert.deepEqual(
      answers.map((m) => [m.state, Boolean(m.error)]),
      [
        ['complete', false],
        ['complete', false],
        ['complete', true],
        ['complete', true],
      ],
    );
    await assertSettled(visitor.conversationId);
    assertNothingRestarted();
  });

  it('the model provider unreachable, then back: the SDK retries through it and the visitor gets the answer', async () => {
    const visitor = await openChat();
    model.down();
    const answered = visitor.ask('Do refunds take five working days?');
    await sleep(800);
    model.up();
    const back = performance.now();
    const answer = await answered;
    assert.equal(answer.content, refundsAnswer, 'the model answered once reachable again');
    console.log(
      `      model unreachable 0.8 s: answered ${Math.round(performance.now() - back)} ms after it came back`,
    );
    await assertSettled(visitor.conversationId);
    assertNothingRestarted();
  });

  it('the database unreachable for 2.5 s: clear refusals meanwhile, nothing doubled, health 503 then 200, everything recovers', async () => {
    const visitor = await openChat();
    const target = { url: nginx.url, api };
    const sent = await upload(target, owner.accessToken, bot.id, [
      { name: 'handbook.txt', bytes: longProse(20_000) },
    ]);
    const documentId = sent.body.documents[0].id as string;
    await waitForStatus(target, owner.accessToken, documentId, ['processing'], 20_000);

    database.down();
    const [cutJob] = (await db.query(`select status from documents where id = $1`, [documentId])).rows;
    assert.equal(cutJob.status, 'processing', 'the database went away in the middle of the job');
    const cutAt = performance.now();
    const question = 'How long do refunds take for returns?';
    const questionId = clientMessageId();
    const sentMeanwhile: AckResponse<unknown> = await visitor.send(question, questionId);
    const leadMeanwhile = await api.request(
      'POST',
      `/api/public/conversation/${visitor.conversationId}/capture-lead`,
      {
        body: { email: 'dana@example.com', name: 'Dana' },
        token: visitor.visitorToken,
      },
    );
    // Refused as `unavailable` with a Retry-After, which the client acts on by sending it again; or stored
    // (then only once, below). Never a 500.
    assert.ok(
      sentMeanwhile.ok ||
        (sentMeanwhile.error.code === 'unavailable' && sentMeanwhile.error.retryAfterSeconds === 3),
      JSON.stringify(sentMeanwhile),
    );
    if (leadMeanwhile.status === 503) {
      assert.equal(leadMeanwhile.body.error.code, 'unavailable');
      assert.equal(leadMeanwhile.headers.get('retry-after'), '3');
    } else {
      assert.ok([200, 201].includes(leadMeanwhile.status), JSON.stringify(leadMeanwhile.body));
    }
    const unhealthy = await health(nodes[0]!);
    assert.equal(unhealthy.status, 503);
    assert.equal(unhealthy.body.checks.database.status, 'down');
    console.log(
      `      database down: message ack ${JSON.stringify(sentMeanwhile)}; lead ${leadMeanwhile.status}`,
    );
    // Shorter than the queue's retries take (its third and last attempt comes 3 s after the first failed):
    // an outage that outlasts them fails the job for good, which is not what this test is about.
    await sleep(2500 - (performance.now() - cutAt));
    database.up();
    const back = performance.now();
    const healthyMs = await allHealth(200);

    // A refused message or lead is sent again by the client, as the widget does: stored once either way.
    const answered = nextEvent<MessageDone>(
      visitor.socket,
      'message:done',
      (d) => d.conversationId === visitor.conversationId,
    );
    const resent = await visitor.send(question, questionId);
    assert.ok(resent.ok, JSON.stringify(resent));
    if (sentMeanwhile.ok) assert.equal((resent as any).data.messageId, (sentMeanwhile as any).data.messageId);
    const answer = await answered;
    const recoveryMs = Math.round(performance.now() - back);
    assert.equal(answer.content, refundsAnswer);
    const lead = await api.request(
      'POST',
      `/api/public/conversation/${visitor.conversationId}/capture-lead`,
      {
        body: { email: 'dana@example.com', name: 'Dana' },
        token: visitor.visitorToken,
      },
    );
    assert.ok([200, 201].includes(lead.status), JSON.stringify(lead.body));
    console.log(
      `      database: healthy ${healthyMs} ms and first answer ${recoveryMs} ms after it came back`,
    );

    assert.equal(
      await rows(`select count(*) from messages where conversation_id = $1 and role = 'visitor'`, [
        visitor.conversationId,
      ]),
      1,
    );
    assert.equal(
      await rows(`select count(*) from leads where conversation_id = $1`, [visitor.conversationId]),
      1,
    );
    await assertSettled(visitor.conversationId);
    const indexed = await waitForStatus(
      target,
      owner.accessToken,
      documentId,
      ['completed', 'failed'],
      30_000,
    );
    assert.equal(indexed.status, 'completed', indexed.error ?? '');
    const [job] = (await db.query(`select attempts from documents where id = $1`, [documentId])).rows;
    console.log(`      database: the document cut mid-job completed on attempt ${job.attempts}`);
    const { listed } = await adminView(visitor.conversationId);
    assert.ok(listed);
    assertNothingRestarted();
  });

  it('Redis out of reach: uploads and leads are taken at once and done once it is back, none doubled; a crawl is refused as unavailable', async () => {
    const visitor = await openChat();
    const target = { url: nginx.url, api };
    redis.down();
    const cutAt = performance.now();
    const sent = await upload(target, owner.accessToken, bot.id, [
      { name: 'gift-cards.txt', bytes: Buffer.from('Gift cards never expire and can be used online.') },
    ]);
    const uploadMs = Math.round(performance.now() - cutAt);
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    const documentId = sent.body.documents[0].id as string;
    const leadAt = performance.now();
    const lead = await api.request(
      'POST',
      `/api/public/conversation/${visitor.conversationId}/capture-lead`,
      { body: { email: 'lee@example.com', name: 'Lee' }, token: visitor.visitorToken },
    );
    const leadMs = Math.round(performance.now() - leadAt);
    assert.equal(lead.status, 201, JSON.stringify(lead.body));
    // Nothing records a crawl but its job: it is refused, for the admin to start again.
    const crawl = await api.request('POST', '/api/documents/url', {
      body: { botId: bot.id, url: 'https://docs.example.com/', crawl: { mode: 'links', maxPages: 5 } },
      token: owner.accessToken,
    });
    assert.equal(crawl.status, 503, JSON.stringify(crawl.body));
    assert.equal(crawl.body.error.code, 'unavailable');
    assert.equal(crawl.headers.get('retry-after'), '3');
    // Not held until Redis returns (they waited for it before): taken in the time a healthy request takes.
    assert.ok(uploadMs < 2000 && leadMs < 2000, `upload ${uploadMs} ms, lead ${leadMs} ms`);
    assert.equal(
      (await api.get<DocumentView>(`/api/documents/${documentId}`, owner.accessToken)).body.status,
      'pending',
    );
    console.log(`      Redis down: upload answered in ${uploadMs} ms, lead in ${leadMs} ms`);
    await sleep(3000); // the worker's sweep comes by meanwhile, and cannot queue either
    redis.up();
    const back = performance.now();

    const indexed = await waitForStatus(target, owner.accessToken, documentId, ['completed', 'failed']);
    const indexedMs = Math.round(performance.now() - back);
    assert.equal(indexed.status, 'completed', indexed.error ?? '');
    const summaryOf = async () =>
      (await db.query(`select summary from leads where conversation_id = $1`, [visitor.conversationId])).rows;
    for (const deadline = Date.now() + 15_000; (await summaryOf())[0]?.summary == null; await sleep(200)) {
      assert.ok(Date.now() < deadline, 'the lead was never summarised');
    }
    console.log(`      Redis back: the upload indexed ${indexedMs} ms later, the lead summarised`);
    assert.match(worker.output(), /re-queued unfinished work/);
    assert.equal((await summaryOf()).length, 1, 'one lead');
    // Indexed at the first attempt of the job the sweep queued: nothing failed on the way.
    const [row] = (await db.query(`select attempts from documents where id = $1`, [documentId])).rows;
    assert.equal(row.attempts, 1);
    assertNothingRestarted();
  });
});

import assert from 'node:assert/strict';
import type {
  AuthResponse,
  BotView,
  ChatMessage,
  MessageDelta,
  MessageDone,
  TypingEvent,
} from '@chatbot/shared';
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeOpenAI } from '@chatbot/shared/testing';
import { ApiClient } from './testing/api-client';
import {
  clientMessageId,
  connectAdmin,
  connectWidget,
  follow,
  nextEvent,
  requestOk,
  startConversation,
  type AdminSocket,
  type WidgetSocket,
} from './testing/chat-clients';
import { buildBot, buildTenant } from './testing/factories';
import { startServerProcess, stopProcess } from './testing/processes';
import { startScaledServices, type ScaledServices } from './testing/scaled-deployment';

/** A hundred words, streamed one every 25 ms: long enough to cut the visitor off in the middle. */
const longAnswer = Array.from({ length: 100 }, (_, i) => `word${i}`).join(' ');

describe('chat across two server processes on one Redis (scaled mode)', function () {
  this.timeout(60_000);
  let fake: FakeOpenAI;
  let services: ScaledServices;
  const nodes: Awaited<ReturnType<typeof startServerProcess>>[] = [];
  let apiA: ApiClient;
  let owner: AuthResponse;
  let bot: BotView;
  const sockets: Array<WidgetSocket | AdminSocket> = [];
  const track = <S extends WidgetSocket | AdminSocket>(socket: S) => (sockets.push(socket), socket);

  before(async () => {
    fake = await startFakeOpenAI({ streamDelayMs: 25 });
    services = await startScaledServices();
    const env = { ...services.env, OPENAI_API_KEY: FAKE_OPENAI_KEY, OPENAI_BASE_URL: fake.url };
    // One after the other: the first migrates the database.
    nodes.push(await startServerProcess(env));
    nodes.push(await startServerProcess(env));
    apiA = new ApiClient(nodes[0]!.url);
    owner = await buildTenant(apiA);
    bot = await buildBot(apiA, owner.accessToken, {
      status: 'published',
      rateLimits: { perIpPerMinute: 1000, perMinute: 1000 },
    });
  });
  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));
  after(async () => {
    await Promise.all(nodes.map((node) => stopProcess(node.child)));
    await services.stop();
    await fake.stop();
  });

  it('a visitor on node A and an admin on node B see each other’s messages, deltas and typing', async () => {
    const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
    const started = await startConversation(apiA, bot.id);
    const visitor = track(await connectWidget(a.url, { botId: bot.id, visitorToken: started.visitorToken }));
    await requestOk(visitor, 'conversation:join', { conversationId: started.conversationId });
    const admin = track(await connectAdmin(b.url, owner.accessToken));
    await requestOk(admin, 'conversation:watch', { conversationId: started.conversationId });

    fake.replyWith('Hello from the model, streamed in pieces.');
    const adminDeltas: MessageDelta[] = [];
    admin.on('message:delta', (delta) => adminDeltas.push(delta));
    const heard = nextEvent<ChatMessage>(admin, 'message:new', (m) => m.role === 'visitor');
    const done = nextEvent<MessageDone>(admin, 'message:done');
    await requestOk(visitor, 'message:send', {
      conversationId: started.conversationId,
      text: 'Hello?',
      clientMessageId: clientMessageId(),
    });
    assert.equal((await heard).content, 'Hello?');
    assert.equal((await done).content, 'Hello from the model, streamed in pieces.');
    assert.equal(
      adminDeltas.map((delta) => delta.delta).join(''),
      'Hello from the model, streamed in pieces.',
    );

    const visitorTyping = nextEvent<TypingEvent>(admin, 'typing', (event) => event.role === 'visitor');
    visitor.emit('typing', { conversationId: started.conversationId, isTyping: true });
    assert.equal((await visitorTyping).isTyping, true);

    const joined = nextEvent(visitor, 'agent:joined');
    await requestOk(admin, 'conversation:takeover', { conversationId: started.conversationId });
    await joined;
    const agentTyping = nextEvent<TypingEvent>(visitor, 'typing', (event) => event.role === 'agent');
    admin.emit('typing', { conversationId: started.conversationId, isTyping: true });
    await agentTyping;
    const reply = nextEvent<ChatMessage>(visitor, 'message:new', (m) => m.role === 'agent');
    await requestOk(admin, 'message:send', {
      conversationId: started.conversationId,
      text: 'An agent on the other node.',
      clientMessageId: clientMessageId(),
    });
    assert.equal((await reply).content, 'An agent on the other node.');
  });

  it('a visitor cut off mid-answer on node A reconnects to node B and ends with every message once, in order', async () => {
    const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
    fake.replyWith(longAnswer);
    const started = await startConversation(apiA, bot.id);
    const auth = { botId: bot.id, visitorToken: started.visitorToken };
    const onA = track(await connectWidget(a.url, auth));
    const transcript = follow(onA);
    await requestOk(onA, 'conversation:join', { conversationId: started.conversationId });
    const send = (socket: WidgetSocket, text: string) =>
      requestOk(socket, 'message:send', {
        conversationId: started.conversationId,
        text,
        clientMessageId: clientMessageId(),
      });

    const firstDone = nextEvent<MessageDone>(onA, 'message:done');
    await send(onA, 'Tell me more');
    await firstDone;
    let received = 0;
    const midAnswer = new Promise<void>((resolve) =>
      onA.on('message:delta', () => ++received === 8 && resolve()),
    );
    await send(onA, 'Go on, please');
    await midAnswer;
    onA.close(); // the network drops
    const partial = transcript.messages.at(-1)!;
    assert.equal(partial.state, 'streaming');
    assert.ok(partial.content.length < longAnswer.length);
    await new Promise((resolve) => setTimeout(resolve, 400)); // the answer goes on meanwhile

    const onB = track(await connectWidget(b.url, auth));
    let builtLive = false;
    onB.on('message:new', (message) => transcript.add(message));
    onB.on('message:delta', (delta) => transcript.addDelta(delta));
    onB.on('message:done', (done) => {
      // Before the final text replaces it: did the replayed text plus the live deltas make it whole?
      builtLive ||= transcript.messages.find((m) => m.id === done.messageId)?.content === done.content;
      transcript.done(done);
    });
    const secondDone = nextEvent<MessageDone>(onB, 'message:done', (done) => done.messageId === partial.id);
    const replay = await requestOk<{ messages: ChatMessage[] }>(onB, 'conversation:join', {
      conversationId: started.conversationId,
      sinceSeq: transcript.resumeFrom,
    });
    assert.ok(
      replay.messages.some((message) => message.id === partial.id),
      'the answer in progress is replayed',
    );
    const resumed = replay.messages.find((message) => message.id === partial.id)!;
    assert.equal(resumed.state, 'streaming', 'still streaming when the visitor is back');
    assert.ok(resumed.content.length > partial.content.length, 'the replay has what was said meanwhile');
    assert.ok(longAnswer.startsWith(resumed.content));
    replay.messages.forEach((message) => transcript.add(message));
    await secondDone;
    assert.ok(builtLive, 'the answer was whole before message:done');

    const thirdDone = nextEvent<MessageDone>(onB, 'message:done');
    await send(onB, 'Thanks, one more');
    await thirdDone;

    const stored = await apiA.get(`/api/conversations/${started.conversationId}`, owner.accessToken);
    const expected = stored.body.messages.map((m: ChatMessage) => [m.seq, m.role, m.content, m.state]);
    assert.deepEqual(
      transcript.messages.map((m) => [m.seq, m.role, m.content, m.state]),
      expected,
    );
    assert.deepEqual(
      expected.map(([seq, role]: [number, string]) => [seq, role]),
      [
        [1, 'visitor'],
        [2, 'bot'],
        [3, 'visitor'],
        [4, 'bot'],
        [5, 'visitor'],
        [6, 'bot'],
      ],
    );
    assert.equal(transcript.messages[3]!.content, longAnswer);
  });
  it('an agent taking over on node B stops the answer node A is writing', async () => {
    const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
    fake.replyWith(longAnswer);
    const started = await startConversation(apiA, bot.id);
    const visitor = track(await connectWidget(a.url, { botId: bot.id, visitorToken: started.visitorToken }));
    await requestOk(visitor, 'conversation:join', { conversationId: started.conversationId });
    const admin = track(await connectAdmin(b.url, owner.accessToken));
    let deltas = 0;
    const midAnswer = new Promise<void>((resolve) =>
      visitor.on('message:delta', () => ++deltas === 5 && resolve()),
    );
    const done = nextEvent<MessageDone>(visitor, 'message:done');
    await requestOk(visitor, 'message:send', {
      conversationId: started.conversationId,
      text: 'Tell me everything',
      clientMessageId: clientMessageId(),
    });
    await midAnswer;
    await requestOk(admin, 'conversation:takeover', { conversationId: started.conversationId });
    const stopped = await done;
    assert.equal(stopped.state, 'failed');
    assert.ok(stopped.content.length < longAnswer.length / 2, stopped.content);
  });
});

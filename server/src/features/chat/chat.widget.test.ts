import assert from 'node:assert/strict';
import type { AuthResponse, BotView, ChatMessage, MessageDone } from '@chatbot/shared';
import { Conversation, Lead, UsageDaily, runAsSystem } from '@chatbot/shared/platform';
import { buildBot, buildTenant } from '../../testing/factories';
import {
  clientMessageId,
  connectAdmin,
  connectWidget,
  nextEvent,
  openChat,
  request,
  requestOk,
  startConversation,
  type AdminSocket,
  type WidgetSocket,
} from '../../testing/chat-clients';
import { teach } from '../../testing/documents';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { forEachDialect } from '@chatbot/shared/testing';

const policy = [
  'Refunds are accepted within 30 days of delivery when the item is unused.',
  'Shipping to Canada takes five to seven business days.',
  'Our support team answers emails on weekdays between 9 and 17 CET.',
].join(' ');

forEachDialect('chat over the /widget socket (embedded, offline answers)', (dialect) => {
  let server: TestServer;
  let owner: AuthResponse;
  let bot: BotView;
  const sockets: Array<WidgetSocket | AdminSocket> = [];
  const track = <S extends WidgetSocket | AdminSocket>(socket: S) => (sockets.push(socket), socket);

  before(async () => {
    server = await startTestServer({ dialect });
    owner = await buildTenant(server.api);
    // Every visitor of these tests comes from one address: the per-IP limit is tested on a bot of its own.
    bot = await buildBot(server.api, owner.accessToken, {
      status: 'published',
      rateLimits: { perIpPerMinute: 1000, perMinute: 1000 },
    });
    await teach(server, owner.accessToken, bot.id, 'policies.txt', policy);
  });
  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));
  after(() => server.stop());

  const visitor = async (botId = bot.id) => {
    const chat = await openChat(server.api, botId);
    track(chat.socket);
    return chat;
  };

  it('answers from the documents, streamed, with the cited source, persisted in order', async () => {
    const chat = await visitor();
    assert.deepEqual(chat.joined.messages, []);
    assert.equal(chat.joined.mode, 'bot');
    let deltas = 0;
    chat.socket.on('message:delta', () => deltas++);
    const typing: boolean[] = [];
    chat.socket.on('typing', (event) => event.role === 'bot' && typing.push(event.isTyping));
    const done = nextEvent<MessageDone>(chat.socket, 'message:done');

    const ack = await requestOk<{ messageId: string; seq: number }>(chat.socket, 'message:send', {
      conversationId: chat.conversationId,
      text: 'How many days do I have to return an item for a refund?',
      clientMessageId: clientMessageId(),
    });
    assert.equal(ack.seq, 1);
    const answer = await done;
    assert.match(answer.content, /30 days/);
    assert.match(answer.content, /\[1\]/);
    assert.equal(answer.state, 'complete');
    assert.equal(answer.sources.length, 1);
    assert.equal(answer.sources[0]!.title, 'policies.txt');
    assert.match(answer.sources[0]!.snippet, /Refunds/);
    assert.ok(deltas > 3, `streamed in ${deltas} pieces`);
    assert.equal(answer.usage.costUsd, 0);
    assert.ok(answer.usage.completionTokens > 0);
    assert.deepEqual(typing, [true, false]);

    assert.deepEqual(
      chat.transcript.messages.map((message) => [message.seq, message.role, message.state]),
      [
        [1, 'visitor', 'complete'],
        [2, 'bot', 'complete'],
      ],
    );
    assert.equal(chat.transcript.messages[1]!.content, answer.content);
    const detail = await server.api.get(`/api/conversations/${chat.conversationId}`, owner.accessToken);
    assert.equal(detail.status, 200);
    assert.deepEqual(
      detail.body.messages.map((message: ChatMessage) => message.content),
      chat.transcript.messages.map((message) => message.content),
    );
    assert.equal(detail.body.conversation.messageCount, 2);
  });

  it('stores a message sent twice once and answers it once', async () => {
    const chat = await visitor();
    const payload = {
      conversationId: chat.conversationId,
      text: 'Shipping to Canada?',
      clientMessageId: clientMessageId(),
    };
    const done = nextEvent<MessageDone>(chat.socket, 'message:done');
    const [first, second] = await Promise.all([
      requestOk<{ messageId: string }>(chat.socket, 'message:send', payload),
      requestOk<{ messageId: string }>(chat.socket, 'message:send', payload),
    ]);
    assert.equal(first.messageId, second.messageId);
    await done;
    const again = await requestOk<{ messageId: string }>(chat.socket, 'message:send', payload);
    assert.equal(again.messageId, first.messageId);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const replay = await requestOk<{ messages: ChatMessage[] }>(chat.socket, 'conversation:join', {
      conversationId: chat.conversationId,
    });
    assert.deepEqual(
      replay.messages.map((message) => message.role),
      ['visitor', 'bot'],
    );
  });

  it('numbers messages sent at the same moment without gaps or repeats', async () => {
    const chat = await visitor();
    const answers = new Promise<void>((resolve) => {
      let done = 0;
      chat.socket.on('message:done', () => ++done === 10 && resolve());
    });
    const acks = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        requestOk<{ seq: number }>(chat.socket, 'message:send', {
          conversationId: chat.conversationId,
          text: `Question ${i} about refunds`,
          clientMessageId: clientMessageId(),
        }),
      ),
    );
    assert.equal(new Set(acks.map((ack) => ack.seq)).size, 10);
    await answers;
    const replay = await requestOk<{ messages: ChatMessage[] }>(chat.socket, 'conversation:join', {
      conversationId: chat.conversationId,
    });
    assert.deepEqual(
      replay.messages.map((message) => message.seq),
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
  });

  it('drops a flood of events with rate_limited and keeps the socket', async () => {
    const chat = await visitor();
    const errors: string[] = [];
    chat.socket.on('error', (error) => errors.push(error.code));
    for (let i = 0; i < 80; i++)
      chat.socket.emit('typing', { conversationId: chat.conversationId, isTyping: i % 2 === 0 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.ok(
      errors.length >= 25 && errors.every((code) => code === 'rate_limited'),
      `${errors.length} errors`,
    );
    assert.ok(chat.socket.connected);
  });

  it('replays what a client missed after sinceSeq', async () => {
    const chat = await visitor();
    for (const text of ['Refund window?', 'Support hours?']) await chat.ask(text);
    const replay = await requestOk<{ messages: ChatMessage[] }>(chat.socket, 'conversation:join', {
      conversationId: chat.conversationId,
      sinceSeq: 2,
    });
    assert.deepEqual(
      replay.messages.map((message) => [message.seq, message.role]),
      [
        [3, 'visitor'],
        [4, 'bot'],
      ],
    );
  });

  it('tells the open widgets of a bot, and only of that bot, when its settings change', async () => {
    const chat = await visitor();
    const otherBot = await buildBot(server.api, owner.accessToken, { status: 'published' });
    const other = await visitor(otherBot.id);
    const heard: string[] = [];
    other.socket.on('bot:updated', ({ botId }) => heard.push(botId));
    const updated = nextEvent<{ botId: string }>(chat.socket, 'bot:updated');
    const patched = await server.api.patch(
      `/api/chatbots/${bot.id}`,
      { welcomeMessage: 'Hello again!' },
      owner.accessToken,
    );
    assert.equal(patched.status, 200);
    assert.equal((await updated).botId, bot.id);
    const config = await server.api.get(`/api/public/bot/${bot.id}/config`);
    assert.equal(config.body.welcomeMessage, 'Hello again!', 'the cached settings were dropped');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(heard, []);
  });

  it('keeps HTML in messages as the text it is', async () => {
    const chat = await visitor();
    const text = '<img src=x onerror="alert(1)"> <script>alert(2)</script> & refunds?';
    await chat.ask(text);
    assert.equal(chat.transcript.messages[0]!.content, text);
    const detail = await server.api.get(`/api/conversations/${chat.conversationId}`, owner.accessToken);
    assert.equal(detail.body.messages[0].content, text);
  });

  it('answers bad events with a clear error and stays up', async () => {
    const chat = await visitor();
    const send = (payload: unknown) => request(chat.socket, 'message:send', payload);
    const tooLong = await send({
      conversationId: chat.conversationId,
      text: 'x'.repeat(4001),
      clientMessageId: clientMessageId(),
    });
    assert.deepEqual([tooLong.ok, !tooLong.ok && tooLong.error.code], [false, 'validation_failed']);
    const empty = await send({
      conversationId: chat.conversationId,
      text: '   ',
      clientMessageId: clientMessageId(),
    });
    assert.equal(!empty.ok && empty.error.code, 'validation_failed');
    const shape = await send('not an object');
    assert.equal(!shape.ok && shape.error.code, 'validation_failed');
    const extra = await send({
      conversationId: chat.conversationId,
      text: 'hi',
      clientMessageId: clientMessageId(),
      role: 'agent',
    });
    assert.equal(!extra.ok && extra.error.code, 'validation_failed');

    const other = await startConversation(server.api, bot.id);
    const foreign = await send({
      conversationId: other.conversationId,
      text: 'hi',
      clientMessageId: clientMessageId(),
    });
    assert.equal(!foreign.ok && foreign.error.code, 'not_found');
    const unknown = await request(chat.socket, 'conversation:join', {
      conversationId: '00000000-0000-4000-8000-000000000000',
    });
    assert.equal(!unknown.ok && unknown.error.code, 'not_found');

    // Without an ack, the error comes as an event.
    const errorEvent = nextEvent(chat.socket, 'error');
    const raw = chat.socket as unknown as { emit(event: string, ...args: unknown[]): void };
    raw.emit('message:send', { nonsense: true });
    assert.equal((await errorEvent).code, 'validation_failed');
    raw.emit('no:such-event');
    raw.emit('typing', 'garbage');

    assert.ok(chat.socket.connected);
    const replay = await request<{ messages: ChatMessage[] }>(chat.socket, 'conversation:join', {
      conversationId: chat.conversationId,
    });
    assert.ok(replay.ok);
    assert.deepEqual(replay.data.messages, []);
  });

  it('refuses handshakes without a valid visitor token of this bot, from other sites, or to a draft bot', async () => {
    const own = await startConversation(server.api, bot.id);
    const otherBot = await buildBot(server.api, owner.accessToken, { status: 'published' });
    const refusal = (auth: { botId: string; visitorToken: string }, origin?: string) =>
      connectWidget(server.url, auth, { origin }).then(
        (socket) => (socket.close(), 'connected'),
        (error: { data?: { code: string } }) => error.data?.code,
      );
    assert.equal(await refusal({ botId: otherBot.id, visitorToken: own.visitorToken }), 'unauthenticated');
    assert.equal(await refusal({ botId: bot.id, visitorToken: owner.accessToken }), 'unauthenticated');
    assert.equal(await refusal({ botId: bot.id, visitorToken: `${own.visitorToken}x` }), 'unauthenticated');

    await server.api.patch(
      `/api/chatbots/${bot.id}`,
      { allowedOrigins: ['https://shop.example'] },
      owner.accessToken,
    );
    try {
      assert.equal(
        await refusal({ botId: bot.id, visitorToken: own.visitorToken }, 'https://evil.example'),
        'forbidden',
      );
      assert.equal(
        await refusal({ botId: bot.id, visitorToken: own.visitorToken }, 'https://shop.example'),
        'connected',
      );
      const start = await server.api.request('POST', `/api/public/conversation/${bot.id}/start`, {
        headers: { origin: 'https://evil.example' },
      });
      assert.equal(start.status, 403);
    } finally {
      await server.api.patch(`/api/chatbots/${bot.id}`, { allowedOrigins: [] }, owner.accessToken);
    }

    const draft = await buildBot(server.api, owner.accessToken);
    const config = await server.api.get(`/api/public/bot/${draft.id}/config`);
    assert.equal(config.status, 404);
  });

  it('limits messages per IP with rate_limited and the retry delay, over the socket and REST', async () => {
    const limited = await buildBot(server.api, owner.accessToken, {
      status: 'published',
      rateLimits: { perIpPerMinute: 3 },
    });
    const started = await startConversation(server.api, limited.id); // the first of three
    const socket = track(
      await connectWidget(server.url, { botId: limited.id, visitorToken: started.visitorToken }),
    );
    await requestOk(socket, 'conversation:join', { conversationId: started.conversationId });
    const send = () =>
      request(socket, 'message:send', {
        conversationId: started.conversationId,
        text: 'hello',
        clientMessageId: clientMessageId(),
      });
    assert.ok((await send()).ok);
    assert.ok((await send()).ok);
    const errorEvent = nextEvent(socket, 'error');
    const refused = await send();
    assert.equal(!refused.ok && refused.error.code, 'rate_limited');
    assert.ok(!refused.ok && refused.error.retryAfterSeconds! > 0);
    assert.equal((await errorEvent).code, 'rate_limited');

    const rest = await server.api.request('POST', `/api/public/conversation/${limited.id}/start`);
    assert.equal(rest.status, 429);
    assert.equal(rest.body.error.code, 'rate_limited');
    assert.ok(Number(rest.headers.get('retry-after')) > 0);
    assert.equal(rest.headers.get('ratelimit-limit'), '3');
    assert.equal(rest.headers.get('ratelimit-remaining'), '0');
  });

  it('chats over public REST, as JSON and as a server-sent event stream', async () => {
    const started = await startConversation(server.api, bot.id);
    const chat = (body: unknown, accept = 'application/json') =>
      fetch(`${server.url}/api/public/chat/${bot.id}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${started.visitorToken}`,
          'content-type': 'application/json',
          accept,
        },
        body: JSON.stringify(body),
      });
    const json = await chat({
      conversationId: started.conversationId,
      message: 'When does the support team answer emails?',
    });
    assert.equal(json.status, 200);
    const reply = (await json.json()) as { reply: string; sources: unknown[] };
    assert.match(reply.reply, /weekdays/);
    assert.equal(reply.sources.length, 1);

    const stream = await chat(
      { conversationId: started.conversationId, message: 'How long is shipping to Canada?' },
      'text/event-stream',
    );
    assert.equal(stream.status, 200);
    assert.match(stream.headers.get('content-type')!, /text\/event-stream/);
    assert.equal(stream.headers.get('x-accel-buffering'), 'no');
    const events = [...(await stream.text()).matchAll(/^event: (\w+)\ndata: (.*)$/gm)].map((m) => [
      m[1],
      JSON.parse(m[2]!),
    ]);
    const names = events.map(([name]) => name);
    assert.deepEqual([names[0], names[1], names.at(-1)], ['message', 'start', 'done']);
    assert.ok(names.filter((name) => name === 'delta').length > 3);
    const deltas = events
      .filter(([name]) => name === 'delta')
      .map(([, data]) => data.delta)
      .join('');
    assert.equal(events.at(-1)![1].reply, deltas);
    assert.match(deltas, /five to seven/);

    const wrongToken = await fetch(`${server.url}/api/public/chat/${bot.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId: started.conversationId, message: 'hi' }),
    });
    assert.equal(wrongToken.status, 401);
  });

  it('refuses public calls whose visitor token names another conversation, bot or tenant', async () => {
    const mine = await startConversation(server.api, bot.id);
    const stranger = await buildTenant(server.api);
    const theirBot = await buildBot(server.api, stranger.accessToken, { status: 'published' });
    const theirs = await startConversation(server.api, theirBot.id);
    const call = (path: string, token: string, body: unknown) =>
      server.api.request('POST', path, { body, headers: { authorization: `Bearer ${token}` } });
    const attempts = [
      // Another tenant's conversation, with a token of mine.
      call(`/api/public/chat/${theirBot.id}`, mine.visitorToken, {
        conversationId: theirs.conversationId,
        message: 'hi',
      }),
      call(`/api/public/chat/${bot.id}`, mine.visitorToken, {
        conversationId: theirs.conversationId,
        message: 'hi',
      }),
      call(`/api/public/conversation/${theirs.conversationId}/capture-lead`, mine.visitorToken, {
        email: 'x@example.com',
      }),
      call(`/api/public/conversation/${theirs.conversationId}/end`, mine.visitorToken, undefined),
      // My conversation, with a token of theirs.
      call(`/api/public/chat/${bot.id}`, theirs.visitorToken, {
        conversationId: mine.conversationId,
        message: 'hi',
      }),
      call(`/api/public/conversation/${mine.conversationId}/end`, theirs.visitorToken, undefined),
    ];
    const answers = await Promise.all(attempts);
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [401, 404, 404, 404, 401, 404],
      JSON.stringify(answers.map((answer) => answer.body)),
    );
    const untouched = await server.api.get(
      `/api/conversations/${theirs.conversationId}`,
      stranger.accessToken,
    );
    assert.deepEqual([untouched.body.conversation.mode, untouched.body.messages], ['bot', []]);
    const leads = await runAsSystem('test', () =>
      server.platform.orm.em.fork().count(Lead, { conversation: theirs.conversationId }),
    );
    assert.equal(leads, 0);
  });

  it('resumes an open conversation with its visitor token and starts a new one after it ended', async () => {
    const started = await startConversation(server.api, bot.id);
    const resumed = await startConversation(server.api, bot.id, { visitorToken: started.visitorToken });
    assert.equal(resumed.resumed, true);
    assert.equal(resumed.conversationId, started.conversationId);
    const end = await server.api.request('POST', `/api/public/conversation/${started.conversationId}/end`, {
      headers: { authorization: `Bearer ${started.visitorToken}` },
    });
    assert.equal(end.status, 200);
    const fresh = await startConversation(server.api, bot.id, { visitorToken: started.visitorToken });
    assert.equal(fresh.resumed, false);
    assert.notEqual(fresh.conversationId, started.conversationId);
    const conversations = await runAsSystem('test', () =>
      server.platform.orm.em
        .fork()
        .find(Conversation, { id: { $in: [started.conversationId, fresh.conversationId] } }),
    );
    assert.equal(new Set(conversations.map((conversation) => conversation.visitorId)).size, 1);
  });

  it('records a lead once per conversation, merging later captures', async () => {
    const chat = await visitor();
    const admin = track(await connectAdmin(server.url, owner.accessToken));
    const leadNew = nextEvent(admin, 'lead:new');
    const capture = (body: unknown) =>
      server.api.request('POST', `/api/public/conversation/${chat.conversationId}/capture-lead`, {
        body,
        headers: { authorization: `Bearer ${chat.visitorToken}` },
      });
    assert.equal((await capture({ email: 'not an email' })).status, 400);
    const first = await capture({ email: 'Ada@Example.com', consent: true });
    assert.equal(first.status, 201);
    assert.equal((await leadNew).conversationId, chat.conversationId);
    const second = await capture({ email: 'ada@example.com', company: 'Analytical Engines' });
    assert.equal(second.body.leadId, first.body.leadId);
    assert.equal(second.body.created, false);
    const search = await server.api.get(`/api/conversations?search=ada%40example`, owner.accessToken);
    assert.deepEqual(
      search.body.conversations.map((c: { id: string }) => c.id),
      [chat.conversationId],
    );
  });

  it('adds conversations, messages and leads to the bot’s usage of the day', async () => {
    const usage = await runAsSystem('test', () =>
      server.platform.orm.em.fork().findOne(UsageDaily, { bot: bot.id }),
    );
    assert.ok(usage);
    assert.ok(usage.conversations >= 8, `conversations ${usage.conversations}`);
    assert.ok(usage.messages >= 10, `messages ${usage.messages}`);
    assert.ok(usage.tokensOut > 0);
    assert.equal(usage.leads, 1);
  });
});

import assert from 'node:assert/strict';
import type { AuthResponse, BotView, ChatMessage, ConversationSummary, MessageDone } from '@chatbot/shared';
import { Conversation, Message, runAsSystem, runInTenant } from '@chatbot/shared/platform';
import { appendMessage } from './conversation-messages';
import { buildBot, buildTenant } from '../../testing/factories';
import {
  clientMessageId,
  connectAdmin,
  nextEvent,
  openChat,
  request,
  requestOk,
  type AdminSocket,
  type WidgetSocket,
} from '../../testing/chat-clients';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { notices } from './conversations.service';

type Summary = { conversation: ConversationSummary };

describe('human takeover and handoff', () => {
  let server: TestServer;
  let owner: AuthResponse;
  let agent: AuthResponse;
  let bot: BotView;
  const sockets: Array<WidgetSocket | AdminSocket> = [];
  const track = <S extends WidgetSocket | AdminSocket>(socket: S) => (sockets.push(socket), socket);

  before(async () => {
    server = await startTestServer({ env: { CHAT_SWEEP_MS: '100' } });
    owner = await buildTenant(server.api);
    bot = await buildBot(server.api, owner.accessToken, {
      status: 'published',
      rateLimits: { perIpPerMinute: 1000, perMinute: 1000 },
      handoff: { enabled: true, waitSeconds: 10 },
    });
    const invite = await server.api.post(
      '/api/users/invitations',
      { email: 'agent-alex@example.com', role: 'agent' },
      owner.accessToken,
    );
    const accepted = await server.api.post('/api/auth/accept-invitation', {
      token: invite.body.token,
      name: 'Alex',
      password: 'correct horse battery staple',
    });
    assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
    agent = accepted.body;
  });
  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));
  after(() => server.stop());

  const visitor = async () => {
    const chat = await openChat(server.api, bot.id);
    track(chat.socket);
    return chat;
  };

  it('an agent takes over: the bot stops, agent and visitor chat live, the agent hands back', async () => {
    const chat = await visitor();
    const alex = track(await connectAdmin(server.url, agent.accessToken));
    const other = track(await connectAdmin(server.url, owner.accessToken));
    const watched = await requestOk<{ messages: ChatMessage[] }>(alex, 'conversation:watch', {
      conversationId: chat.conversationId,
    });
    assert.deepEqual(watched.messages, []);

    const joined = nextEvent(chat.socket, 'agent:joined');
    const updated = nextEvent<ConversationSummary>(other, 'conversation:updated', (c) => c.mode === 'human');
    const taken = await requestOk<Summary>(alex, 'conversation:takeover', {
      conversationId: chat.conversationId,
    });
    assert.equal(taken.conversation.mode, 'human');
    assert.equal(taken.conversation.assignedAgentName, 'Alex');
    assert.equal((await joined).agentName, 'Alex');
    assert.equal((await updated).assignedAgentId, agent.user.id);

    // A second taker is refused, on the socket and over REST.
    const second = await request(other, 'conversation:takeover', { conversationId: chat.conversationId });
    assert.equal(!second.ok && second.error.code, 'conflict');
    assert.match(!second.ok ? second.error.message : '', /Alex/);
    const rest = await server.api.post(
      `/api/conversations/${chat.conversationId}/takeover`,
      undefined,
      owner.accessToken,
    );
    assert.equal(rest.status, 409);
    // Only the agent who has it may write in it.
    const intruder = await request(other, 'message:send', {
      conversationId: chat.conversationId,
      text: 'hi',
      clientMessageId: clientMessageId(),
    });
    assert.equal(!intruder.ok && intruder.error.code, 'conflict');

    const visitorTyping = nextEvent(alex, 'typing', (event) => event.role === 'visitor');
    chat.socket.emit('typing', { conversationId: chat.conversationId, isTyping: true });
    assert.equal((await visitorTyping).isTyping, true);
    const agentTyping = nextEvent(chat.socket, 'typing', (event) => event.role === 'agent');
    alex.emit('typing', { conversationId: chat.conversationId, isTyping: true });
    assert.equal((await agentTyping).isTyping, true);

    const heard = nextEvent<ChatMessage>(alex, 'message:new', (m) => m.role === 'visitor');
    await chat.say('Is anyone there?');
    assert.equal((await heard).content, 'Is anyone there?');
    const reply = nextEvent<ChatMessage>(chat.socket, 'message:new', (m) => m.role === 'agent');
    await requestOk(alex, 'message:send', {
      conversationId: chat.conversationId,
      text: 'Hi, Alex here.',
      clientMessageId: clientMessageId(),
    });
    const agentMessage = await reply;
    assert.equal(agentMessage.agentName, 'Alex');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.ok(!chat.transcript.messages.some((m) => m.role === 'bot'), 'the bot kept quiet');

    const left = nextEvent(chat.socket, 'agent:left');
    const released = await requestOk<Summary>(alex, 'conversation:release', {
      conversationId: chat.conversationId,
    });
    assert.equal(released.conversation.mode, 'bot');
    await left;
    await chat.ask('Thanks, and what about refunds?');

    assert.deepEqual(
      chat.transcript.messages.map((m) => [m.seq, m.role]),
      [
        [1, 'system'],
        [2, 'visitor'],
        [3, 'agent'],
        [4, 'system'],
        [5, 'visitor'],
        [6, 'bot'],
      ],
    );
    assert.equal(chat.transcript.messages[0]!.content, notices.joined('Alex'));
  });

  it('two agents taking over at once: exactly one wins', async () => {
    const chat = await visitor();
    const [a, b] = [
      track(await connectAdmin(server.url, agent.accessToken)),
      track(await connectAdmin(server.url, owner.accessToken)),
    ];
    const results = await Promise.all(
      [a, b].map((socket) =>
        request<Summary>(socket, 'conversation:takeover', { conversationId: chat.conversationId }),
      ),
    );
    assert.deepEqual(results.map((r) => r.ok).sort(), [false, true]);
  });

  it('a visitor asking for a person waits, agents are alerted, and the bot offers a callback when nobody comes', async () => {
    const chat = await visitor();
    const admin = track(await connectAdmin(server.url, agent.accessToken));
    const alerted = nextEvent(
      admin,
      'handoff:requested',
      (event) => event.conversationId === chat.conversationId,
    );
    const waiting = nextEvent<ChatMessage>(chat.socket, 'message:new', (m) => m.role === 'system');
    await chat.say('Can I talk to a human please?');
    assert.equal((await waiting).content, notices.waiting);
    await alerted;
    const inbox = await server.api.get('/api/conversations?waiting=true', agent.accessToken);
    assert.ok(inbox.body.conversations.some((c: ConversationSummary) => c.id === chat.conversationId));

    // The wait time passes (moved back in the database rather than waited out).
    const leadRequest = nextEvent(chat.socket, 'lead:request');
    const apology = nextEvent<ChatMessage>(chat.socket, 'message:new', (m) => m.role === 'bot');
    await runAsSystem('test', () =>
      server.platform.orm.em
        .fork()
        .nativeUpdate(
          Conversation,
          { id: chat.conversationId },
          { handoffRequestedAt: new Date(Date.now() - 11_000) },
        ),
    );
    assert.equal((await apology).content, notices.timedOut);
    await leadRequest;
    const state = await requestOk<{ handoffRequestedAt: string | null; mode: string }>(
      chat.socket,
      'conversation:join',
      {
        conversationId: chat.conversationId,
      },
    );
    assert.equal(state.handoffRequestedAt, null);
    assert.equal(state.mode, 'bot');
  });

  it('the widget button asks for a person too; with handoff off the bot says nobody is here', async () => {
    const chat = await visitor();
    const state = await requestOk<{ handoffRequestedAt: string | null }>(chat.socket, 'handoff:request', {
      conversationId: chat.conversationId,
    });
    assert.ok(state.handoffRequestedAt);

    await server.api.patch(`/api/chatbots/${bot.id}`, { handoff: { enabled: false } }, owner.accessToken);
    try {
      const other = await visitor();
      const said = nextEvent<ChatMessage>(other.socket, 'message:new', (m) => m.role === 'bot');
      const lead = nextEvent(other.socket, 'lead:request');
      const after = await requestOk<{ handoffRequestedAt: string | null }>(other.socket, 'handoff:request', {
        conversationId: other.conversationId,
      });
      assert.equal(after.handoffRequestedAt, null);
      assert.equal((await said).content, notices.unavailable);
      await lead;
    } finally {
      await server.api.patch(`/api/chatbots/${bot.id}`, { handoff: { enabled: true } }, owner.accessToken);
    }
  });

  it('marks an answer a dead node left streaming as failed, and tells the clients', async () => {
    const chat = await visitor();
    const orphan = await runInTenant(owner.tenant.id, async () => {
      const em = server.platform.orm.em.fork();
      const conversation = await em.findOneOrFail(Conversation, chat.conversationId);
      const { message } = await appendMessage(em, {
        conversation,
        role: 'bot',
        content: 'Half an ans',
        state: 'streaming',
      });
      await em.nativeUpdate(Message, { id: message.id }, { updatedAt: new Date(Date.now() - 4 * 60_000) });
      return message;
    });
    const done = await nextEvent<MessageDone>(chat.socket, 'message:done', (d) => d.messageId === orphan.id);
    assert.deepEqual([done.state, done.content], ['failed', 'Half an ans']);
    const detail = await server.api.get(`/api/conversations/${chat.conversationId}`, owner.accessToken);
    assert.equal(detail.body.messages[0].state, 'failed');
    assert.match(detail.body.messages[0].error, /stopped before the answer was finished/);
  });

  it('closing ends the chat for the visitor', async () => {
    const chat = await visitor();
    const closed = nextEvent(chat.socket, 'conversation:closed');
    const response = await server.api.post(
      `/api/conversations/${chat.conversationId}/close`,
      undefined,
      agent.accessToken,
    );
    assert.equal(response.status, 200);
    assert.equal(response.body.conversation.mode, 'closed');
    await closed;
    const refused = await request(chat.socket, 'message:send', {
      conversationId: chat.conversationId,
      text: 'hello?',
      clientMessageId: clientMessageId(),
    });
    assert.equal(!refused.ok && refused.error.code, 'conflict');
  });

  it('lists and filters conversations for the tenant, and nothing of them for another tenant', async () => {
    const chat = await visitor();
    await chat.ask('A question about pineapples');
    const list = await server.api.get(
      `/api/conversations?botId=${bot.id}&search=pineapple`,
      owner.accessToken,
    );
    assert.deepEqual(
      list.body.conversations.map((c: ConversationSummary) => c.id),
      [chat.conversationId],
    );
    const page = await server.api.get('/api/conversations?limit=2&offset=0', owner.accessToken);
    assert.equal(page.body.conversations.length, 2);
    assert.ok(page.body.total >= 5);
    const closed = await server.api.get('/api/conversations?mode=closed', owner.accessToken);
    assert.ok(closed.body.conversations.every((c: ConversationSummary) => c.mode === 'closed'));

    const stranger = await buildTenant(server.api);
    const strangerList = await server.api.get('/api/conversations', stranger.accessToken);
    assert.deepEqual([strangerList.body.total, strangerList.body.conversations], [0, []]);
    const searched = await server.api.get('/api/conversations?search=pineapple', stranger.accessToken);
    assert.equal(searched.body.total, 0);
    for (const path of ['', '/takeover', '/release', '/close']) {
      const method = path ? 'POST' : 'GET';
      const response = await server.api.request(method, `/api/conversations/${chat.conversationId}${path}`, {
        token: stranger.accessToken,
      });
      assert.equal(response.status, 404, `${method} ${path}`);
    }
    const message = await server.api.post(
      `/api/conversations/${chat.conversationId}/messages`,
      { text: 'hi' },
      stranger.accessToken,
    );
    assert.equal(message.status, 404);

    const spy = track(await connectAdmin(server.url, stranger.accessToken));
    const heard: unknown[] = [];
    for (const event of ['message:new', 'message:delta', 'message:done', 'conversation:updated', 'typing']) {
      (spy as unknown as { on(e: string, f: (p: unknown) => void): void }).on(event, (p) => heard.push(p));
    }
    for (const event of [
      'conversation:watch',
      'conversation:takeover',
      'conversation:release',
      'conversation:close',
    ]) {
      const response = await request(spy, event, { conversationId: chat.conversationId });
      assert.equal(!response.ok && response.error.code, 'not_found', event);
    }
    // Bad payloads on the admin namespace get a clear error and leave the socket up.
    const garbage = await request(spy, 'conversation:watch', 'garbage');
    assert.equal(!garbage.ok && garbage.error.code, 'validation_failed');
    const tooLong = await request(spy, 'message:send', {
      conversationId: chat.conversationId,
      text: 'x'.repeat(4001),
      clientMessageId: clientMessageId(),
    });
    assert.equal(!tooLong.ok && tooLong.error.code, 'validation_failed');
    assert.ok(spy.connected);
    const typed = await request(spy, 'message:send', {
      conversationId: chat.conversationId,
      text: 'x',
      clientMessageId: clientMessageId(),
    });
    assert.equal(!typed.ok && typed.error.code, 'not_found');
    await chat.ask('And what about bananas?');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(heard, []);
  });
});

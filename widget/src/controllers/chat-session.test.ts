import { startCutProxy } from '../../test/cut-proxy';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, connect, type AddressInfo, type Server, type Socket as TcpSocket } from 'node:net';
import type { AuthResponse, BotView, ChatMessage, ConversationDetail } from '@chatbot/shared';
import type { Socket } from 'socket.io-client';
import { buildBot, buildTenant } from '../../../server/src/testing/factories';
import {
  clientMessageId,
  connectAdmin,
  requestOk,
  type AdminSocket,
} from '../../../server/src/testing/chat-clients';
import { teach } from '../../../server/src/testing/documents';
import { startTestServer, type TestServer } from '../../../server/src/testing/test-server';
import { ChatSession, type ChatSessionOptions, type PendingMessage } from './chat-session';
import type { SavedSession } from './saved-session';

const policy = [
  'Refunds are accepted within 30 days of delivery when the item is unused.',
  'Shipping to Canada takes five to seven business days.',
  'Our support team answers emails on weekdays between 9 and 17 CET.',
].join(' ');
const refundQuestion = 'How many days do I have to return an item for a refund?';
const shippingQuestion = 'How long does shipping to Canada take?';

/** The page's localStorage as the widget uses it; one object shared by two sessions is one browser. */
class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, String(value));
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

/** Polls `condition` until it holds; fails with `what` (and the state, when given) after `timeoutMs`. */
async function waitFor(
  condition: () => boolean,
  timeoutMs = 10_000,
  what = 'condition',
  state?: () => unknown,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}` + (state ? `: ${JSON.stringify(state())}` : ''),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The socket.io socket inside a session, reached for cutting its transport as a network failure does. */
const socketOf = (session: ChatSession) => (session as unknown as { socket: Socket | null }).socket!;

/** The bot's name as loaded (a function, so an earlier `assert.equal(config, null)` does not narrow it). */
const nameOf = (session: ChatSession) => session.config?.name;

/** What a session holds, for failure messages. */
const describeSession = (session: ChatSession) => ({
  status: session.status,
  connection: session.connection,
  mode: session.mode,
  transcript: session.transcript.messages.map((m) => [m.seq, m.role, m.state, m.content.slice(0, 40)]),
  pending: [...session.pending.values()],
});

describe('ChatSession against a real platform server', () => {
  let server: TestServer;
  let owner: AuthResponse;
  let bot: BotView;
  const sessions: ChatSession[] = [];
  const admins: AdminSocket[] = [];
  const cleanups: Array<() => Promise<void> | void> = [];

  before(async () => {
    server = await startTestServer();
    owner = await buildTenant(server.api);
    bot = await buildBot(server.api, owner.accessToken, {
      name: 'Refund helper',
      status: 'published',
      rateLimits: { perIpPerMinute: 1000, perMinute: 1000 },
    });
    await teach(server, owner.accessToken, bot.id, 'policies.txt', policy);
  });
  afterEach(async () => {
    for (const session of sessions.splice(0)) session.dispose();
    for (const socket of admins.splice(0)) socket.close();
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  after(() => server?.stop());

  /** A session as the chat window makes one, recording what it reports. */
  const open = (storage: MemoryStorage | null, options: Partial<ChatSessionOptions> = {}) => {
    const heard: ChatMessage[] = [];
    const statuses: string[] = [];
    const session: ChatSession = new ChatSession({
      botId: bot.id,
      server: server.url,
      storage,
      onChange: () => {
        if (statuses.at(-1) !== session.status) statuses.push(session.status);
      },
      onMessage: (message) => heard.push(structuredClone(message)),
      ...options,
    });
    sessions.push(session);
    return { session, heard, statuses };
  };

  const savedIn = (storage: MemoryStorage, botId = bot.id): SavedSession | null => {
    const raw = storage.getItem(`chat-bot:${botId}`);
    return raw === null ? null : (JSON.parse(raw) as SavedSession);
  };

  const admin = async () => {
    const socket = await connectAdmin(server.url, owner.accessToken);
    admins.push(socket);
    return socket;
  };

  const serverMessages = async (conversationId: string): Promise<ChatMessage[]> => {
    const detail = await server.api.get<ConversationDetail>(
      `/api/conversations/${conversationId}`,
      owner.accessToken,
    );
    assert.equal(detail.status, 200, JSON.stringify(detail.body));
    return detail.body.messages;
  };

  /** Every message of the transcript is finished and nothing waits to be confirmed. */
  const settled = (session: ChatSession, count: number) =>
    session.pending.size === 0 &&
    session.transcript.messages.length === count &&
    session.transcript.messages.every((m) => m.state === 'complete');

  const waitSettled = (session: ChatSession, count: number, timeoutMs = 10_000) =>
    waitFor(
      () => settled(session, count),
      timeoutMs,
      `${count} settled messages`,
      () => describeSession(session),
    );

  /** A loaded session that has asked one question and has its answer (a conversation of 2 messages). */
  const chatting = async (storage = new MemoryStorage(), options: Partial<ChatSessionOptions> = {}) => {
    const opened = open(storage, options);
    await opened.session.load();
    opened.session.send(refundQuestion);
    await waitSettled(opened.session, 2);
    return { ...opened, storage, conversationId: savedIn(storage)!.conversationId };
  };

  const seqs = (messages: ChatMessage[]) => messages.map((m) => m.seq);
  const ids = (messages: ChatMessage[]) => messages.map((m) => m.id);

  it('loads the settings: ready with the config, unavailable for an unknown bot, unreachable until the server answers again', async () => {
    const { session, statuses } = open(new MemoryStorage());
    assert.equal(session.status, 'loading');
    await session.load();
    assert.equal(session.status, 'ready');
    assert.equal(session.config?.id, bot.id);
    assert.equal(session.config?.name, 'Refund helper');
    assert.equal(session.connection, 'idle', 'opening the window opens no socket');
    assert.deepEqual(statuses, ['ready']);

    const unknown = open(new MemoryStorage(), { botId: randomUUID() });
    await unknown.session.load();
    assert.equal(unknown.session.status, 'unavailable');
    assert.equal(unknown.session.config, null);

    // A port nothing listens on (yet): the platform is down.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const down = open(new MemoryStorage(), { server: `http://127.0.0.1:${port}` });
    await down.session.load();
    assert.equal(down.session.status, 'unreachable');
    assert.equal(down.session.config, null);

    // Trying again while it is still down: loading, then unreachable again.
    down.session.resync();
    assert.equal(down.session.status, 'loading');
    await waitFor(() => down.session.status !== 'loading', 5000, 'the second load');
    assert.equal(down.session.status, 'unreachable');

    // The platform comes back on that port (a TCP relay to the test server): the next resync loads it.
    const target = Number(new URL(server.url).port);
    const connections = new Set<TcpSocket>();
    const relay: Server = createServer((client) => {
      const upstream = connect(target, '127.0.0.1');
      for (const end of [client, upstream]) {
        connections.add(end);
        end.on('close', () => connections.delete(end));
        end.on('error', () => end.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => relay.listen(port, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const end of connections) end.destroy();
          relay.close(() => resolve());
        }),
    );
    down.session.resync();
    await waitFor(
      () => down.session.status === 'ready',
      5000,
      'the load through the relay',
      () => describeSession(down.session),
    );
    assert.equal(nameOf(down.session), 'Refund helper');
    assert.deepEqual(down.statuses, ['unreachable', 'loading', 'unreachable', 'loading', 'ready']);
  });

  it('starts the conversation with the first message: saved, confirmed, answered from the documents', async () => {
    const storage = new MemoryStorage();
    const { session, heard } = open(storage, { language: 'fr-CH' });
    await session.load();
    assert.equal(session.hasConversation, false);
    assert.equal(storage.items.size, 0, 'nothing is saved before the first message');

    session.send(`  ${refundQuestion}  `);
    assert.equal(session.pending.size, 1);
    const [pending] = [...session.pending.values()] as [PendingMessage];
    assert.equal(pending.state, 'sending');
    assert.equal(pending.text, refundQuestion, 'the text is trimmed');
    assert.deepEqual(session.messages, [pending], 'shown at once, before the server has it');

    await waitSettled(session, 2);
    const saved = savedIn(storage);
    assert.ok(saved, 'the conversation is saved');
    assert.deepEqual(Object.keys(saved).sort(), ['conversationId', 'lastSeenSeq', 'visitorToken']);
    assert.match(saved.conversationId, /^[0-9a-f-]{36}$/);
    assert.ok(saved.visitorToken.length > 20);
    assert.equal(saved.lastSeenSeq, 0);
    assert.equal(session.hasConversation, true);
    assert.equal(session.connection, 'online');
    assert.equal(session.mode, 'bot');

    const [question, answer] = session.transcript.messages as [ChatMessage, ChatMessage];
    assert.deepEqual(
      [question.seq, question.role, question.state, question.content, question.clientMessageId],
      [1, 'visitor', 'complete', refundQuestion, pending.clientMessageId],
    );
    assert.deepEqual([answer.seq, answer.role, answer.state], [2, 'bot', 'complete']);
    assert.match(answer.content, /30 days/);
    assert.equal(answer.sources.length, 1);
    assert.equal(answer.sources[0]!.title, 'policies.txt');
    for (const message of [question, answer]) assert.equal(message.conversationId, saved.conversationId);
    assert.deepEqual(session.messages, session.transcript.messages, 'no pending copy left beside it');

    assert.deepEqual(
      heard.map((m) => [m.id, m.role, m.state]),
      [
        [question.id, 'visitor', 'complete'],
        [answer.id, 'bot', 'complete'],
      ],
    );
    assert.equal(heard[1]!.content, answer.content, 'onMessage has the finished text');

    const stored = await serverMessages(saved.conversationId);
    assert.deepEqual(ids(stored), [question.id, answer.id]);
    assert.equal(stored[1]!.content, answer.content);
    // Node's fetch says `Accept-Language: *`: the language can only have come with the start request.
    const detail = await server.api.get<ConversationDetail>(
      `/api/conversations/${saved.conversationId}`,
      owner.accessToken,
    );
    assert.equal(detail.body.conversation.visitorLanguage, 'fr-CH');
  });

  it('continues the conversation after a reload or in a second tab, and both tabs hear each other', async () => {
    const first = await chatting();
    const second = open(first.storage);
    assert.equal(second.session.hasConversation, true);
    await second.session.load();
    await waitFor(() => second.session.connection === 'online', 5000, 'the second tab online');
    await waitSettled(second.session, 2);

    const snapshot = (session: ChatSession) =>
      session.transcript.messages.map((m) => [m.id, m.seq, m.role, m.state, m.content]);
    assert.deepEqual(snapshot(second.session), snapshot(first.session));
    assert.deepEqual(seqs(second.session.transcript.messages), [1, 2]);
    assert.equal(second.heard.length, 0, 'history replayed on joining is not news');
    assert.equal(savedIn(first.storage)?.conversationId, first.conversationId);

    second.session.send(shippingQuestion);
    await waitSettled(second.session, 4);
    await waitSettled(first.session, 4);
    assert.deepEqual(snapshot(first.session), snapshot(second.session));
    const messages = first.session.transcript.messages;
    assert.deepEqual(seqs(messages), [1, 2, 3, 4]);
    assert.equal(new Set(ids(messages)).size, 4);
    assert.deepEqual(
      messages.map((m) => m.role),
      ['visitor', 'bot', 'visitor', 'bot'],
    );
    assert.equal(messages[2]!.content, shippingQuestion);
    assert.match(messages[3]!.content, /five to seven business days/);
    assert.equal(first.session.pending.size, 0);
    assert.deepEqual(
      first.heard.map((m) => m.id),
      ids(messages),
      'the first tab heard the second tab’s message and its answer live',
    );
    assert.deepEqual(ids(await serverMessages(first.conversationId)), ids(messages));
  });

  it('catches up after a network cut: reconnects by itself, gets the agent’s takeover and message once', async () => {
    const { session, conversationId, heard } = await chatting();
    const agentSocket = await admin();
    const socket = socketOf(session);
    socket.io.engine.close();
    await waitFor(() => session.connection === 'reconnecting', 2000, 'reconnecting');

    // While the visitor is away, an agent takes over and writes.
    await requestOk(agentSocket, 'conversation:takeover', { conversationId });
    const sent = await requestOk<{ messageId: string; seq: number }>(agentSocket, 'message:send', {
      conversationId,
      text: 'Hi, a person from the team here.',
      clientMessageId: clientMessageId(),
    });
    assert.equal(session.connection, 'reconnecting', 'socket.io has not come back yet (back-off ≥ 0.5 s)');
    assert.equal(session.transcript.messages.length, 2, 'nothing was heard while cut off');
    assert.equal(session.mode, 'bot');

    await waitFor(
      () => session.connection === 'online' && session.transcript.messages.length === 4,
      5000,
      'reconnected and caught up',
      () => describeSession(session),
    );
    assert.equal(socketOf(session), socket, 'the same socket, reconnected by socket.io');
    await sleep(200);
    const messages = session.transcript.messages;
    assert.deepEqual(
      messages.map((m) => [m.seq, m.role]),
      [
        [1, 'visitor'],
        [2, 'bot'],
        [3, 'system'],
        [4, 'agent'],
      ],
    );
    assert.equal(new Set(ids(messages)).size, 4);
    const agentMessages = messages.filter((m) => m.role === 'agent');
    assert.equal(agentMessages.length, 1);
    assert.equal(agentMessages[0]!.id, sent.messageId);
    assert.equal(agentMessages[0]!.content, 'Hi, a person from the team here.');
    assert.equal(session.mode, 'human');
    assert.equal(session.agentName, owner.user.name);
    assert.equal(session.waitingForAgent, false);
    assert.deepEqual(ids(await serverMessages(conversationId)), ids(messages));
    // What the catch-up brought is news to the page, announced like live messages.
    assert.deepEqual(
      heard.map((m) => m.role),
      ['visitor', 'bot', 'system', 'agent'],
    );
  });

  it('resync() when the network returns reconnects at once instead of waiting out the back-off', async () => {
    const proxy = await startCutProxy(Number(new URL(server.url).port));
    cleanups.push(() => proxy.close());
    const { session } = await chatting(new MemoryStorage(), { server: proxy.url });
    proxy.cut();
    await waitFor(() => session.connection === 'reconnecting', 2000, 'reconnecting');
    // Long enough for socket.io's attempts to back off to seconds apart.
    await sleep(3500);
    proxy.restore();
    const started = performance.now();
    session.resync();
    await waitFor(() => session.connection === 'online', 5000, 'online again');
    const took = performance.now() - started;
    assert.ok(took < 500, `online ${Math.round(took)} ms after resync()`);
  });

  it('keeps a message typed while disconnected as sending and delivers it once after reconnecting', async () => {
    const { session, conversationId, heard } = await chatting();
    socketOf(session).io.engine.close();
    await waitFor(() => session.connection === 'reconnecting', 2000, 'reconnecting');

    session.send(shippingQuestion);
    const [pending] = [...session.pending.values()] as [PendingMessage];
    assert.equal(pending.state, 'sending');
    assert.equal(pending.text, shippingQuestion);
    assert.equal(session.messages.at(-1), pending, 'shown after the transcript');
    assert.equal(session.connection, 'reconnecting');

    await waitSettled(session, 4);
    assert.equal(session.connection, 'online');
    const messages = session.transcript.messages;
    assert.deepEqual(seqs(messages), [1, 2, 3, 4]);
    const copies = messages.filter((m) => m.content === shippingQuestion);
    assert.equal(copies.length, 1);
    assert.equal(copies[0]!.clientMessageId, pending.clientMessageId);
    assert.equal(copies[0]!.role, 'visitor');
    assert.match(messages[3]!.content, /five to seven business days/);

    const stored = await serverMessages(conversationId);
    const storedCopies = stored.filter((m) => m.role === 'visitor' && m.content === shippingQuestion);
    assert.equal(storedCopies.length, 1, 'the server has it once');
    assert.equal(storedCopies[0]!.clientMessageId, pending.clientMessageId);
    assert.deepEqual(ids(stored), ids(messages));
    assert.deepEqual(
      heard.map((m) => m.id),
      ids(messages),
      'each message reported once',
    );
  });

  it('shows a rate-limited message as failed, and retry() sends it again with the same id, stored once', async () => {
    // Two requests a minute from one address: starting the conversation and the first message.
    const limited = await buildBot(server.api, owner.accessToken, {
      name: 'Strict bot',
      status: 'published',
      rateLimits: { perIpPerMinute: 2, perMinute: 1000 },
    });
    const storage = new MemoryStorage();
    const { session } = open(storage, { botId: limited.id });
    await session.load();
    session.send('First question');
    await waitSettled(session, 2);

    session.send('Second question');
    const [pending] = [...session.pending.values()] as [PendingMessage];
    await waitFor(
      () => pending.state === 'failed',
      5000,
      'the refusal',
      () => describeSession(session),
    );
    assert.equal(pending.error?.code, 'rate_limited');
    assert.ok(
      pending.error!.retryAfterSeconds! >= 1 && pending.error!.retryAfterSeconds! <= 60,
      JSON.stringify(pending.error),
    );
    assert.equal(session.retryAfterSeconds, pending.error!.retryAfterSeconds);
    assert.equal(session.messages.at(-1), pending, 'still shown, as not sent');
    assert.equal(session.transcript.messages.length, 2);
    const { conversationId } = savedIn(storage, limited.id)!;
    assert.equal((await serverMessages(conversationId)).length, 2, 'the server stored nothing');

    // The limit's minute passes (a new limit starts a fresh budget, without waiting a minute).
    const patched = await server.api.patch(
      `/api/chatbots/${limited.id}`,
      { rateLimits: { perIpPerMinute: 1000, perMinute: 1000 } },
      owner.accessToken,
    );
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    session.retry('w-not-a-message-of-this-session');
    assert.equal(pending.state, 'failed', 'an unknown id is ignored');

    const failedId = pending.clientMessageId;
    session.retry(failedId);
    assert.equal(pending.state, 'sending');
    assert.equal(pending.error, undefined);
    assert.deepEqual([...session.pending.keys()], [failedId]);
    await waitSettled(session, 4);
    const messages = session.transcript.messages;
    assert.deepEqual(seqs(messages), [1, 2, 3, 4]);
    assert.equal(messages[2]!.content, 'Second question');
    assert.equal(messages[2]!.clientMessageId, failedId, 'sent again with the same id');

    const stored = await serverMessages(conversationId);
    assert.deepEqual(ids(stored), ids(messages));
    assert.deepEqual(
      stored.filter((m) => m.content === 'Second question').map((m) => m.clientMessageId),
      [failedId],
    );
  });

  it('fails a message the server could not get within the send timeout, keeps it failed on reconnect, and retry() delivers it once', async () => {
    const { session, conversationId } = await chatting(new MemoryStorage(), { sendTimeoutMs: 1500 });
    const socket = socketOf(session);
    // A cut longer than the timeout: socket.io does not come back by itself this time.
    socket.io.reconnection(false);
    socket.io.engine.close();
    await waitFor(() => session.connection === 'reconnecting', 2000, 'reconnecting');
    const sentAt = Date.now();
    session.send(shippingQuestion);
    const [pending] = [...session.pending.values()] as [PendingMessage];
    await waitFor(
      () => pending.state === 'failed',
      4000,
      'the timeout',
      () => describeSession(session),
    );
    const waited = Date.now() - sentAt;
    assert.ok(waited >= 1400 && waited < 3000, `failed after ${waited} ms`);
    assert.deepEqual(pending.error, { code: 'timeout' });

    // The network comes back: the session joins again but does not resend a failed message by itself.
    socket.io.reconnection(true);
    session.resync();
    await waitFor(() => session.connection === 'online', 5000, 'online again');
    await sleep(300);
    assert.equal(pending.state, 'failed');
    assert.equal(session.transcript.messages.length, 2);
    assert.equal((await serverMessages(conversationId)).length, 2);

    const failedId = pending.clientMessageId;
    session.retry(failedId);
    await waitSettled(session, 4);
    const messages = session.transcript.messages;
    assert.deepEqual(
      messages.map((m) => [m.seq, m.role]),
      [
        [1, 'visitor'],
        [2, 'bot'],
        [3, 'visitor'],
        [4, 'bot'],
      ],
    );
    assert.equal(messages[2]!.clientMessageId, failedId, 'sent again with the same id');
    const stored = await serverMessages(conversationId);
    const copies = stored.filter((m) => m.content === shippingQuestion);
    assert.deepEqual(
      copies.map((m) => m.clientMessageId),
      [failedId],
    );
    assert.deepEqual(ids(stored), ids(messages));
  });

  it('resync() while connected joins again and fetches what it missed, without duplicates', async () => {
    const { session, conversationId } = await chatting();
    const socket = socketOf(session);
    // The page was frozen in the background: the live events of the conversation did not reach it.
    const events = ['message:new', 'message:delta', 'message:done'] as const;
    const muted = events.map((event) => [event, socket.listeners(event)] as const);
    for (const event of events) socket.off(event);

    const taken = await server.api.post(
      `/api/conversations/${conversationId}/takeover`,
      undefined,
      owner.accessToken,
    );
    assert.equal(taken.status, 200, JSON.stringify(taken.body));
    const posted = await server.api.post<{ messageId: string; seq: number }>(
      `/api/conversations/${conversationId}/messages`,
      { text: 'An agent wrote this while the page slept.' },
      owner.accessToken,
    );
    assert.equal(posted.status, 201, JSON.stringify(posted.body));
    await waitFor(() => session.mode === 'human', 3000, 'agent:joined (not muted)');
    await sleep(200);
    assert.equal(session.transcript.messages.length, 2, 'the messages were missed');

    for (const [event, listeners] of muted) for (const listener of listeners) socket.on(event, listener);
    session.resync();
    await waitSettled(session, 4);
    const messages = session.transcript.messages;
    assert.deepEqual(seqs(messages), [1, 2, 3, 4]);
    assert.equal(messages[3]!.id, posted.body.messageId);
    assert.equal(messages[3]!.role, 'agent');
    assert.equal(session.connection, 'online');

    session.resync();
    await sleep(300);
    assert.deepEqual(ids(session.transcript.messages), ids(messages), 'joining again adds nothing');
    assert.deepEqual(ids(await serverMessages(conversationId)), ids(messages));
  });

  it('startOver() after the conversation was closed clears the saved session; the next message starts a new one', async () => {
    const { session, storage, conversationId } = await chatting();
    const oldToken = savedIn(storage)!.visitorToken;
    const agentSocket = await admin();
    await requestOk(agentSocket, 'conversation:close', { conversationId });
    await waitFor(() => session.mode === 'closed', 3000, 'conversation:closed');
    await waitSettled(session, 3);
    assert.equal(session.transcript.messages[2]!.role, 'system');

    session.startOver();
    assert.equal(storage.getItem(`chat-bot:${bot.id}`), null);
    assert.equal(session.hasConversation, false);
    assert.deepEqual(session.messages, []);
    assert.equal(session.mode, 'bot');
    assert.equal(session.connection, 'idle');
    assert.equal(socketOf(session), null, 'the old socket is gone');

    session.send(shippingQuestion);
    await waitSettled(session, 2);
    const saved = savedIn(storage)!;
    assert.notEqual(saved.conversationId, conversationId);
    assert.notEqual(saved.visitorToken, oldToken);
    const messages = session.transcript.messages;
    assert.deepEqual(seqs(messages), [1, 2]);
    assert.ok(messages.every((m) => m.conversationId === saved.conversationId));
    assert.equal(messages[0]!.content, shippingQuestion);
    assert.match(messages[1]!.content, /five to seven business days/);

    const old = await server.api.get<ConversationDetail>(
      `/api/conversations/${conversationId}`,
      owner.accessToken,
    );
    assert.equal(old.body.conversation.mode, 'closed');
    assert.equal(old.body.messages.length, 3, 'nothing more went to the closed conversation');
    assert.deepEqual(ids(await serverMessages(saved.conversationId)), ids(messages));
  });

  it('recovers from an invalid visitor token in storage by starting a conversation, and chats on', async () => {
    const storage = new MemoryStorage();
    const staleConversation = randomUUID();
    storage.setItem(
      `chat-bot:${bot.id}`,
      JSON.stringify({ conversationId: staleConversation, visitorToken: 'not.a.token', lastSeenSeq: 7 }),
    );
    const { session, statuses } = open(storage);
    assert.equal(session.hasConversation, true);
    await session.load();
    await waitFor(
      () => session.connection === 'online',
      5000,
      'online with a new token',
      () => describeSession(session),
    );
    assert.equal(session.status, 'ready');
    assert.deepEqual(statuses, ['ready']);
    const saved = savedIn(storage)!;
    assert.notEqual(saved.visitorToken, 'not.a.token');
    assert.notEqual(saved.conversationId, staleConversation);
    assert.equal(saved.lastSeenSeq, 0);

    session.send(refundQuestion);
    await waitSettled(session, 2);
    const messages = session.transcript.messages;
    assert.deepEqual(
      messages.map((m) => [m.seq, m.role, m.conversationId]),
      [
        [1, 'visitor', saved.conversationId],
        [2, 'bot', saved.conversationId],
      ],
    );
    assert.match(messages[1]!.content, /30 days/);
    assert.deepEqual(savedIn(storage), saved, 'the new session stays saved');
    assert.deepEqual(ids(await serverMessages(saved.conversationId)), ids(messages));
  });

  it('delivers a message typed while the session recovers from an invalid token to the new conversation', async () => {
    const storage = new MemoryStorage();
    const staleConversation = randomUUID();
    storage.setItem(
      `chat-bot:${bot.id}`,
      JSON.stringify({ conversationId: staleConversation, visitorToken: 'not.a.token', lastSeenSeq: 0 }),
    );
    const { session, heard } = open(storage);
    await session.load();
    // Typed at once (or sent by the page through the JS API): the socket's handshake has not failed yet.
    session.send(refundQuestion);
    const [pending] = [...session.pending.values()] as [PendingMessage];
    assert.equal(pending.state, 'sending');

    await waitSettled(session, 2);
    const saved = savedIn(storage)!;
    assert.notEqual(saved.conversationId, staleConversation);
    const messages = session.transcript.messages;
    assert.deepEqual(
      messages.map((m) => [m.seq, m.role, m.conversationId]),
      [
        [1, 'visitor', saved.conversationId],
        [2, 'bot', saved.conversationId],
      ],
    );
    assert.equal(messages[0]!.clientMessageId, pending.clientMessageId);
    assert.deepEqual(
      heard.map((m) => m.id),
      ids(messages),
    );
    const stored = await serverMessages(saved.conversationId);
    assert.deepEqual(
      stored.filter((m) => m.role === 'visitor').map((m) => m.clientMessageId),
      [pending.clientMessageId],
    );
  });
});

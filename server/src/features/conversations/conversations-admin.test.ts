import assert from 'node:assert/strict';
import type {
  AuthResponse,
  BotView,
  ConversationDeletion,
  ConversationDetail,
  ConversationsResponse,
  LiveCounts,
} from '@chatbot/shared';
import {
  AuditLog,
  Conversation,
  Lead,
  LeadEvent,
  Message,
  runAsSystem,
  runInTenant,
} from '@chatbot/shared/platform';
import { buildBot, buildTenant } from '../../testing/factories';
import {
  connectAdmin,
  connectWidget,
  nextEvent,
  openChat,
  requestOk,
  type AdminSocket,
  type WidgetSocket,
} from '../../testing/chat-clients';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { appendMessage } from './conversation-messages';
import { invite, visit } from './conversations.fixtures';

describe('conversations for the dashboard: rows, search, deletion and live counts', function () {
  this.timeout(60_000);
  let server: TestServer;
  let owner: AuthResponse;
  let agent: AuthResponse;
  let stranger: AuthResponse;
  let bot: BotView;
  let strangerBot: BotView;
  /** Ada's conversation: a question answered from the returns policy, her details, a failed answer. */
  let ada: string;
  const sockets: Array<WidgetSocket | AdminSocket> = [];
  const track = <S extends WidgetSocket | AdminSocket>(socket: S) => (sockets.push(socket), socket);
  const limits = { status: 'published', rateLimits: { perIpPerMinute: 1000, perMinute: 1000 } } as const;
  const db = () => server.platform.orm.em.fork();
  const list = (query: string, token = owner.accessToken) =>
    server.api.get<ConversationsResponse>(`/api/conversations?${query}`, token);
  /** The visitor's last words: longer than a row's preview. */
  const lastWords = `Still waiting for order 1111. ${'Please help. '.repeat(20)}`;

  before(async () => {
    server = await startTestServer();
    owner = await buildTenant(server.api);
    agent = await invite(server.api, owner.accessToken, 'agent', 'Sam');
    bot = await buildBot(server.api, owner.accessToken, { ...limits, name: 'Returns helper' });
    ada = await visit(server.api, bot.id, {
      text: 'How many days do I have for returns?',
      lead: { email: 'ada@example.com', name: 'Ada Lovelace' },
    });
    await runInTenant(owner.tenant.id, async () => {
      const em = db();
      const conversation = await em.findOneOrFail(Conversation, ada);
      await appendMessage(em, { conversation, role: 'visitor', content: lastWords });
    });
    stranger = await buildTenant(server.api);
    strangerBot = await buildBot(server.api, stranger.accessToken, { ...limits, name: 'Stranger bot' });
    await visit(server.api, strangerBot.id, {
      text: 'Returns at the other shop?',
      lead: { email: 'ada@example.com', name: 'Ada Elsewhere' },
    });
  });
  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));
  after(() => server.stop());

  it('lists rows with the bot name, the lead and the newest message; another tenant sees none of them', async () => {
    const { status, body } = await list('');
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.total, 1);
    const [row] = body.conversations;
    assert.equal(row!.id, ada);
    assert.equal(row!.botName, 'Returns helper');
    assert.deepEqual(row!.lead && { name: row!.lead.name, email: row!.lead.email }, {
      name: 'Ada Lovelace',
      email: 'ada@example.com',
    });
    assert.deepEqual(row!.lastMessage && [row!.lastMessage.role, row!.lastMessage.seq], [
      'visitor',
      row!.messageCount,
    ]);
    assert.equal(
      row!.lastMessage!.content,
      lastWords.slice(0, 140),
      'the preview is the start of the newest message',
    );
    const theirs = await list('', stranger.accessToken);
    assert.deepEqual(
      theirs.body.conversations.map((c) => c.botName),
      ['Stranger bot'],
    );
  });

  it('searches message text and the lead’s email and name, within the tenant only', async () => {
    for (const search of ['days do I have', 'ADA@example', 'lovelace']) {
      const { body } = await list(`search=${encodeURIComponent(search)}`);
      assert.deepEqual(
        body.conversations.map((c) => c.id),
        [ada],
        search,
      );
    }
    assert.equal((await list('search=nothing-like-this')).body.total, 0);
    assert.equal((await list('search=Elsewhere')).body.total, 0, 'the other tenant’s lead is not searched');
  });

  it('filters open conversations active since a time; contradictory filters match nothing', async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    assert.equal((await list(`open=true&activeSince=${encodeURIComponent(since)}`)).body.total, 1);
    assert.equal(
      (await list(`activeSince=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).body
        .total,
      0,
    );
    assert.equal((await list('open=false')).body.total, 0);
    assert.equal((await list('mode=closed&open=true')).body.total, 0);
    assert.equal((await list('mode=bot&open=true')).body.total, 1);
    assert.equal((await list('open=maybe')).status, 400);
  });

  it('counts visitors connected now and active conversations, per tenant', async () => {
    const live = (token: string) => server.api.get<LiveCounts>('/api/conversations/live', token);
    const before = await live(owner.accessToken);
    assert.equal(before.status, 200, JSON.stringify(before.body));
    assert.deepEqual(before.body, { visitorsOnline: 0, activeConversations: 1 });

    const first = track((await openChat(server.api, bot.id)).socket);
    const second = await openChat(server.api, bot.id);
    track(second.socket);
    // The same visitor in a second tab counts once.
    track(await connectWidget(server.url, { botId: bot.id, visitorToken: second.visitorToken }));
    track((await openChat(server.api, strangerBot.id)).socket);
    // A conversation quiet for eleven minutes and a closed one are not active.
    await runAsSystem('test', async () => {
      await db().nativeUpdate(
        Conversation,
        { id: ada },
        { lastMessageAt: new Date(Date.now() - 11 * 60_000) },
      );
    });
    await server.api.post(`/api/conversations/${second.conversationId}/close`, undefined, owner.accessToken);

    assert.deepEqual((await live(owner.accessToken)).body, { visitorsOnline: 2, activeConversations: 1 });
    assert.deepEqual((await live(stranger.accessToken)).body, { visitorsOnline: 1, activeConversations: 2 });
    assert.deepEqual((await live(agent.accessToken)).body.visitorsOnline, 2);

    first.close();
    const deadline = Date.now() + 5000;
    while ((await live(owner.accessToken)).body.visitorsOnline !== 1) {
      assert.ok(Date.now() < deadline, 'the visitor who left is still counted');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal((await server.api.get('/api/conversations/live')).status, 401);
  });

  it('deletes a conversation with its messages and lead (GDPR), with an audit record; only owners and admins', async () => {
    const detail = (await server.api.get<ConversationDetail>(`/api/conversations/${ada}`, owner.accessToken))
      .body;
    const leadId = detail.conversation.lead!.id;
    await runInTenant(owner.tenant.id, async () => {
      const em = db();
      em.create(LeadEvent, { lead: leadId, kind: 'note', author: owner.user.id, text: 'Called back' });
      await em.flush();
    });
    const stored = () =>
      runAsSystem('test', async () => {
        const em = db();
        return {
          conversations: await em.count(Conversation, { id: ada }),
          messages: await em.count(Message, { conversation: ada }),
          leads: await em.count(Lead, { id: leadId }),
          leadEvents: await em.count(LeadEvent, { lead: leadId }),
        };
      });
    const held = await stored();
    assert.ok(held.messages >= 3 && held.leadEvents >= 1, JSON.stringify(held));

    const refusedAgent = await server.api.delete(`/api/conversations/${ada}`, agent.accessToken);
    assert.equal(refusedAgent.status, 403);
    const refusedStranger = await server.api.delete(`/api/conversations/${ada}`, stranger.accessToken);
    assert.equal(refusedStranger.status, 404);
    assert.deepEqual(await stored(), held, 'nothing was deleted by the refused requests');

    const inbox = track(await connectAdmin(server.url, owner.accessToken));
    const strangerInbox = track(await connectAdmin(server.url, stranger.accessToken));
    let strangerHeard = false;
    strangerInbox.on('conversation:deleted', () => (strangerHeard = true));
    const dropped = nextEvent<{ conversationId: string }>(inbox, 'conversation:deleted');
    await requestOk(inbox, 'conversation:watch', { conversationId: ada });

    const deleted = await server.api.delete<ConversationDeletion>(
      `/api/conversations/${ada}`,
      owner.accessToken,
    );
    assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
    assert.deepEqual(deleted.body, { ...held, conversations: 1 });
    assert.deepEqual(await stored(), { conversations: 0, messages: 0, leads: 0, leadEvents: 0 });
    assert.equal((await dropped).conversationId, ada);
    assert.equal(strangerHeard, false);
    assert.equal((await server.api.get(`/api/conversations/${ada}`, owner.accessToken)).status, 404);
    assert.equal((await server.api.delete(`/api/conversations/${ada}`, owner.accessToken)).status, 404);

    const audit = await runInTenant(owner.tenant.id, () =>
      db().find(AuditLog, { action: 'conversation.deleted' }),
    );
    assert.equal(audit.length, 1);
    assert.deepEqual(
      [audit[0]!.actor?.id, audit[0]!.subjectType, audit[0]!.subjectId],
      [owner.user.id, 'conversation', ada],
    );
    assert.deepEqual(audit[0]!.details, { ...held, conversations: 1, botId: bot.id });
    assert.ok(
      !JSON.stringify(audit[0]).includes('ada@example.com'),
      'the audit record keeps no personal data',
    );
  });

  it('tells the visitor of a deleted conversation that it ended', async () => {
    const chat = await openChat(server.api, bot.id);
    track(chat.socket);
    const ended = nextEvent(chat.socket, 'conversation:closed');
    const deleted = await server.api.delete(`/api/conversations/${chat.conversationId}`, owner.accessToken);
    assert.equal(deleted.status, 200);
    assert.equal((await ended).conversationId, chat.conversationId);
  });
});

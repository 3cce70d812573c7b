import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type {
  AuthResponse,
  BotView,
  StartConversationResponse,
  VisitorDataExport,
  VisitorErasure,
} from '@chatbot/shared';
import {
  AuditLog,
  Conversation,
  Lead,
  LeadEvent,
  Message,
  UsageDaily,
  runAsSystem,
  runInTenant,
} from '@chatbot/shared/platform';
import { forEachDialect } from '@chatbot/shared/testing';
import { buildBot, buildTenant } from '../../testing/factories';
import { startTestServer, type TestServer } from '../../testing/test-server';

forEachDialect('visitor privacy: export and erasure', (dialect) => {
  let server: TestServer;
  let owner: AuthResponse;
  let admin: AuthResponse;
  let agent: AuthResponse;
  let stranger: AuthResponse;
  let bot: BotView;
  /** Ada's two conversations (the second started again with her visitor token), Bob's, and the stranger's Ada. */
  let ada: string[];
  let bob: string;
  let strangersAda: string;
  let adaLead: string;
  const limits = { status: 'published', rateLimits: { perIpPerMinute: 1000, perMinute: 1000 } } as const;
  const db = () => server.platform.orm.em.fork();
  /** How many of these conversations, or of their messages or leads, the database still holds. */
  const count = (what: 'conversations' | 'messages' | 'leads', ids: string[]) =>
    runAsSystem('test', () => {
      const em = db();
      if (what === 'conversations') return em.count(Conversation, { id: { $in: ids } });
      if (what === 'messages') return em.count(Message, { conversation: { $in: ids } });
      return em.count(Lead, { conversation: { $in: ids } });
    });
  const eventsOf = (leadId: string) => runAsSystem('test', () => db().count(LeadEvent, { lead: leadId }));
  const exportOf = <T = VisitorDataExport>(query: string, token = owner.accessToken) =>
    server.api.get<T>(`/api/privacy/export?${query}`, token);
  const erase = (body: unknown, token = owner.accessToken) =>
    server.api.post<VisitorErasure>('/api/privacy/erase', body, token);

  async function member(role: 'admin' | 'agent') {
    const invite = await server.api.post(
      '/api/users/invitations',
      { email: `${role}-${Date.now()}@example.com`, role },
      owner.accessToken,
    );
    const accepted = await server.api.post<AuthResponse>('/api/auth/accept-invitation', {
      token: invite.body.token,
      name: role,
      password: 'correct horse battery staple',
    });
    assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
    return accepted.body;
  }

  /** A visitor over REST: starts (or starts again with a token), says something, may leave an email. */
  async function visit(
    botId: string,
    options: { text: string; userAgent: string; token?: string; referrer?: string; email?: string },
  ) {
    const headers: Record<string, string> = { 'user-agent': options.userAgent };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const started = await server.api.request<StartConversationResponse>(
      'POST',
      `/api/public/conversation/${botId}/start`,
      { headers, body: options.referrer ? { referrer: options.referrer } : undefined },
    );
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const { conversationId, visitorToken } = started.body;
    const as = { headers: { authorization: `Bearer ${visitorToken}` } };
    const chat = await server.api.request('POST', `/api/public/chat/${botId}`, {
      ...as,
      body: { conversationId, message: options.text },
    });
    assert.equal(chat.status, 200, JSON.stringify(chat.body));
    if (options.email) {
      const lead = await server.api.request(
        'POST',
        `/api/public/conversation/${conversationId}/capture-lead`,
        {
          ...as,
          body: { email: options.email, name: 'Ada Lovelace', phone: '+44 20 7946 0000', consent: true },
        },
      );
      assert.equal(lead.status, 201, JSON.stringify(lead.body));
    }
    return { conversationId, visitorToken, as };
  }

  before(async function () {
    this.timeout(60_000);
    server = await startTestServer({ dialect });
    owner = await buildTenant(server.api);
    admin = await member('admin');
    agent = await member('agent');
    bot = await buildBot(server.api, owner.accessToken, limits);
    const first = await visit(bot.id, {
      text: 'Ada here: order 1111 never arrived',
      userAgent: 'AdaBrowser/1.0',
      referrer: 'https://shop.example/orders',
      email: 'Ada@Example.com',
    });
    await server.api.request('POST', `/api/public/conversation/${first.conversationId}/end`, first.as);
    const again = await visit(bot.id, {
      text: 'Ada again: still waiting for 1111',
      userAgent: 'AdaBrowser/1.0',
      token: first.visitorToken,
    });
    ada = [first.conversationId, again.conversationId];
    bob = (
      await visit(bot.id, {
        text: 'Bob here: order 2222',
        userAgent: 'BobBrowser/2.0',
        email: 'bob@example.com',
      })
    ).conversationId;
    stranger = await buildTenant(server.api);
    const strangerBot = await buildBot(server.api, stranger.accessToken, limits);
    strangersAda = (
      await visit(strangerBot.id, {
        text: 'Ada at another shop: order 3333',
        userAgent: 'AdaBrowser/1.0',
        email: 'ada@example.com',
      })
    ).conversationId;
    // The lead's history: its capture, and a note the team wrote about her.
    await runInTenant(owner.tenant.id, async () => {
      const em = db();
      const lead = await em.findOneOrFail(Lead, { conversation: ada[0] });
      adaLead = lead.id;
      em.create(LeadEvent, { lead, kind: 'note', author: owner.user.id, text: 'Called Ada back about 1111' });
      await em.flush();
    });
  });
  after(() => server.stop());

  it('exports everything about a visitor, found by one of their conversations, and nothing of others', async () => {
    const { status, headers, body } = await exportOf(`conversationId=${ada[1]}`);
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(headers.get('cache-control'), 'no-store');
    assert.ok(Math.abs(Date.parse(body.generatedAt) - Date.now()) < 60_000);
    assert.deepEqual(body.subject, { conversationId: ada[1] });
    assert.deepEqual(
      body.conversations.map((c) => c.id),
      ada,
    );
    const [first, second] = body.conversations;
    assert.equal(first!.userAgent, 'AdaBrowser/1.0');
    assert.equal(first!.referrer, 'https://shop.example/orders');
    assert.match(first!.visitorIp ?? '', /127\.0\.0\.1|::1/);
    assert.equal(first!.botName, bot.name);
    assert.equal(first!.visitorId, second!.visitorId);
    assert.ok(first!.closedAt);
    assert.deepEqual(
      first!.messages.filter((m) => m.role === 'visitor').map((m) => m.content),
      ['Ada here: order 1111 never arrived'],
    );
    assert.ok(
      first!.messages.some((m) => m.role === 'bot'),
      'the answers are hers too',
    );
    assert.equal(first!.messages.length + second!.messages.length, await count('messages', ada));
    assert.deepEqual(
      second!.messages.filter((m) => m.role === 'visitor').map((m) => m.content),
      ['Ada again: still waiting for 1111'],
    );
    assert.equal(body.leads.length, 1);
    const [lead] = body.leads;
    assert.deepEqual(
      [lead!.id, lead!.conversationId, lead!.email, lead!.name, lead!.phone, lead!.consent],
      [adaLead, ada[0], 'ada@example.com', 'Ada Lovelace', '+44 20 7946 0000', true],
    );
    assert.equal(lead!.history.length, await eventsOf(adaLead));
    assert.ok(lead!.history.some((event) => event.text === 'Called Ada back about 1111'));
    const text = JSON.stringify(body);
    for (const other of [bob, strangersAda, 'Bob', '2222', '3333', 'bob@example.com']) {
      assert.ok(!text.includes(other), `${other} leaked into Ada's export`);
    }
  });

  it('finds the same visitor by email, in any case; an unknown email has nothing stored', async () => {
    const byConversation = (await exportOf(`conversationId=${ada[0]}`)).body;
    const byEmail = await exportOf(`email=${encodeURIComponent('ADA@example.COM')}`);
    assert.equal(byEmail.status, 200);
    assert.deepEqual(byEmail.body.subject, { email: 'ada@example.com' });
    assert.deepEqual(
      { conversations: byEmail.body.conversations, leads: byEmail.body.leads },
      { conversations: byConversation.conversations, leads: byConversation.leads },
    );
    const nobody = await exportOf('email=nobody%40example.com');
    assert.deepEqual([nobody.status, nobody.body.conversations, nobody.body.leads], [200, [], []]);
  });

  it('needs exactly one of conversationId and email, and a conversation of the tenant', async () => {
    for (const query of [
      '',
      `conversationId=${ada[0]}&email=ada%40example.com`,
      'conversationId=1',
      'email=x',
    ]) {
      const refused = await exportOf<any>(query);
      assert.equal(refused.status, 400, query);
      assert.equal(refused.body.error.code, 'validation_failed');
    }
    assert.equal((await erase({})).status, 400);
    assert.equal((await erase({ email: 'ada@example.com', extra: 1 })).status, 400);
    const unknown = await exportOf('conversationId=00000000-0000-4000-8000-000000000000');
    assert.equal(unknown.status, 404);
  });

  it('is for owners and admins: an agent may neither export nor erase', async () => {
    assert.equal((await exportOf(`conversationId=${ada[0]}`, admin.accessToken)).status, 200);
    const asAgent = await exportOf(`conversationId=${ada[0]}`, agent.accessToken);
    assert.equal(asAgent.status, 403);
    assert.equal((await erase({ conversationId: ada[0] }, agent.accessToken)).status, 403);
    assert.equal((await server.api.get('/api/privacy/export?email=ada%40example.com')).status, 401);
    assert.equal(await count('conversations', ada), 2);
  });

  it("keeps tenants apart: another tenant can neither export nor erase this tenant's visitor", async () => {
    const foreign = await exportOf(`conversationId=${ada[0]}`, stranger.accessToken);
    assert.equal(foreign.status, 404);
    assert.doesNotMatch(JSON.stringify(foreign.body), /Ada|1111/);
    assert.equal((await erase({ conversationId: ada[0] }, stranger.accessToken)).status, 404);
    // The same email at the other tenant is another data subject: only that tenant's own record.
    const theirs = await exportOf('email=ada%40example.com', stranger.accessToken);
    assert.deepEqual(
      theirs.body.conversations.map((c) => c.id),
      [strangersAda],
    );
    assert.ok(!JSON.stringify(theirs.body).includes('1111'));
    const erased = await erase({ email: 'ada@example.com' }, stranger.accessToken);
    assert.deepEqual(erased.body, { conversations: 1, messages: 2, leads: 1, leadEvents: 1 });
    assert.equal(await count('conversations', [strangersAda]), 0);
    assert.equal(await count('conversations', ada), 2, "this tenant's Ada is untouched");
    assert.equal(await count('leads', ada), 1);
  });

  it('erases a visitor by email: conversations, messages, leads and history go, one audit record stays', async () => {
    const usage = () =>
      runInTenant(owner.tenant.id, () => db().find(UsageDaily, {}, { orderBy: { id: 'asc' } }));
    const usageBefore = await usage();
    const expected = {
      conversations: 2,
      messages: await count('messages', ada),
      leads: 1,
      leadEvents: await eventsOf(adaLead),
    };
    assert.ok(expected.messages >= 4 && expected.leadEvents >= 2, JSON.stringify(expected));
    const bobBefore = await count('messages', [bob]);

    const { status, body } = await erase({ email: 'ADA@example.com' });
    assert.equal(status, 200, JSON.stringify(body));
    assert.deepEqual(body, expected);
    assert.deepEqual(
      [
        await count('conversations', ada),
        await count('messages', ada),
        await count('leads', ada),
        await eventsOf(adaLead),
      ],
      [0, 0, 0, 0],
    );
    assert.deepEqual([await count('conversations', [bob]), await count('messages', [bob])], [1, bobBefore]);
    assert.deepEqual(await usage(), usageBefore, 'the roll-ups hold no personal data and stay');

    const audits = await runInTenant(owner.tenant.id, () =>
      db().find(AuditLog, { action: 'visitor.erased' }),
    );
    assert.equal(audits.length, 1);
    const [audit] = audits;
    assert.equal(audit!.actor?.id, owner.user.id);
    assert.equal(audit!.subjectType, 'email-sha256');
    assert.equal(audit!.subjectId, createHash('sha256').update('ada@example.com').digest('hex'));
    assert.deepEqual(audit!.details, { ...expected, conversationIds: ada });
    // Case-sensitive on purpose: ids are lowercase hex, and "ada" turns up in them by chance.
    assert.doesNotMatch(JSON.stringify(audit), /ada@example\.com|Ada/);

    assert.deepEqual((await exportOf('email=ada%40example.com')).body.conversations, []);
    const again = await erase({ email: 'ada@example.com' });
    assert.deepEqual(again.body, { conversations: 0, messages: 0, leads: 0, leadEvents: 0 });
  });

  it('erases a visitor by a conversation of theirs, naming that conversation in the audit', async () => {
    const messages = await count('messages', [bob]);
    const { body } = await erase({ conversationId: bob }, admin.accessToken);
    assert.deepEqual(body, { conversations: 1, messages, leads: 1, leadEvents: 1 });
    assert.equal(await count('conversations', [bob]), 0);
    const audit = await runInTenant(owner.tenant.id, () =>
      db().findOneOrFail(AuditLog, { action: 'visitor.erased', subjectId: bob }),
    );
    assert.deepEqual(
      [audit.subjectType, audit.actor?.id, audit.details.conversationIds],
      ['conversation', admin.user.id, [bob]],
    );
  });
});

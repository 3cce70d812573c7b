import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AuthResponse, BotView, StartConversationResponse } from '@chatbot/shared';
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

const dayMs = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(Date.now() - days * dayMs);

forEachDialect('conversation retention', (dialect) => {
  let server: TestServer;
  let owner: AuthResponse;
  let admin: AuthResponse;
  let agent: AuthResponse;
  let keepsAll: AuthResponse;
  let bot: BotView;
  let keepsAllBot: BotView;
  const limits = { status: 'published', rateLimits: { perIpPerMinute: 1000, perMinute: 1000 } } as const;
  const db = () => server.platform.orm.em.fork();
  const retention = (body: unknown, token = owner.accessToken) =>
    server.api.patch('/api/privacy/retention', body, token);
  /** Which of these conversations are still stored, sorted. */
  const existing = (ids: string[]) =>
    runAsSystem('test', async () =>
      (await db().find(Conversation, { id: { $in: ids } }, { fields: ['id'] })).map((c) => c.id).sort(),
    );
  const audits = (tenantId: string) =>
    runInTenant(tenantId, () =>
      db().find(AuditLog, { action: 'retention.deleted' }, { orderBy: { createdAt: 'asc' } }),
    );

  async function member(role: 'admin' | 'agent') {
    const invite = await server.api.post(
      '/api/users/invitations',
      { email: `${role}-${Date.now()}@example.com`, role },
      owner.accessToken,
    );
    return (
      await server.api.post<AuthResponse>('/api/auth/accept-invitation', {
        token: invite.body.token,
        name: role,
        password: 'correct horse battery staple',
      })
    ).body;
  }

  /** A real conversation (a question, an answer, maybe a lead), then aged in the database. */
  async function conversation(
    tenant: AuthResponse,
    botId: string,
    age: { started: number; lastMessage: number | null },
    email?: string,
  ): Promise<string> {
    const started = await server.api.post<StartConversationResponse>(
      `/api/public/conversation/${botId}/start`,
    );
    const { conversationId, visitorToken } = started.body;
    const headers = { authorization: `Bearer ${visitorToken}` };
    await server.api.request('POST', `/api/public/chat/${botId}`, {
      headers,
      body: { conversationId, message: 'Where is my order?' },
    });
    if (email) {
      const lead = await server.api.request(
        'POST',
        `/api/public/conversation/${conversationId}/capture-lead`,
        {
          headers,
          body: { email },
        },
      );
      assert.equal(lead.status, 201, JSON.stringify(lead.body));
    }
    await runInTenant(tenant.tenant.id, () =>
      db().nativeUpdate(
        Conversation,
        { id: conversationId },
        {
          createdAt: daysAgo(age.started),
          lastMessageAt: age.lastMessage === null ? null : daysAgo(age.lastMessage),
        },
      ),
    );
    return conversationId;
  }

  /** Old conversations written straight to the database: more than one batch of the sweep. */
  async function manyOld(count: number): Promise<string[]> {
    return runInTenant(owner.tenant.id, async () => {
      const em = db();
      const rows = Array.from({ length: count }, () =>
        em.create(Conversation, {
          bot: bot.id,
          visitorId: randomUUID(),
          visitorIp: null,
          userAgent: null,
          referrer: null,
        }),
      );
      await em.flush();
      const ids = rows.map((row) => row.id);
      await em.nativeUpdate(
        Conversation,
        { id: { $in: ids } },
        { createdAt: daysAgo(90), lastMessageAt: daysAgo(90) },
      );
      return ids;
    });
  }

  /** Runs the daily job under a day's job id, as the scheduler does, and waits for the audit it writes. */
  async function sweep(day: string, auditsAfter: number) {
    await server.platform.queue.enqueue('retention.sweep', { day }, { jobId: `retention-${day}` });
    const deadline = Date.now() + 20_000;
    while ((await audits(owner.tenant.id)).length < auditsAfter) {
      if (Date.now() > deadline) throw new Error(`no audit of the sweep of ${day}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  before(async function () {
    this.timeout(60_000);
    server = await startTestServer({ dialect });
    owner = await buildTenant(server.api);
    admin = await member('admin');
    agent = await member('agent');
    bot = await buildBot(server.api, owner.accessToken, limits);
    keepsAll = await buildTenant(server.api);
    keepsAllBot = await buildBot(server.api, keepsAll.accessToken, limits);
  });
  after(() => server.stop());

  it('keeps conversations for ever until an owner sets a retention of 1 to 3650 days', async () => {
    const read = (token: string) => server.api.get('/api/privacy/retention', token);
    assert.deepEqual((await read(owner.accessToken)).body, { retentionDays: null });
    for (const [body, message] of [
      [{}, 'must be a number of days'],
      [{ retentionDays: 0 }, 'must be at least 1 day'],
      [{ retentionDays: 3651 }, 'must be at most 3650 days (ten years)'],
      [{ retentionDays: 1.5 }, 'must be a whole number of days'],
      [{ retentionDays: '30' }, 'must be a number of days'],
    ] as const) {
      const refused = await retention(body);
      assert.equal(refused.status, 400, JSON.stringify(body));
      // The dashboard shows these beside the field, as the server words them.
      assert.deepEqual(
        refused.body.error.fields.map((field: { path: string; message: string }) => [
          field.path,
          field.message,
        ]),
        [['retentionDays', message]],
        JSON.stringify(body),
      );
    }
    assert.equal((await retention({ retentionDays: 30 }, admin.accessToken)).status, 403);
    assert.equal((await read(agent.accessToken)).status, 403);
    assert.deepEqual((await retention({ retentionDays: 3650 })).body, { retentionDays: 3650 });
    assert.deepEqual((await retention({ retentionDays: null })).body, { retentionDays: null });
    assert.deepEqual((await retention({ retentionDays: 30 })).body, { retentionDays: 30 });
    assert.deepEqual((await read(admin.accessToken)).body, { retentionDays: 30 });
    assert.deepEqual((await read(keepsAll.accessToken)).body, { retentionDays: null }, 'set per tenant');
  });

  it('deletes, in batches, conversations last active before the retention, with their messages and leads', async () => {
    const old = await conversation(owner, bot.id, { started: 40, lastMessage: 31 }, 'old@example.com');
    const neverWrote = await conversation(owner, bot.id, { started: 40, lastMessage: null });
    const many = await manyOld(205);
    const stillActive = await conversation(owner, bot.id, { started: 40, lastMessage: 29 });
    const fresh = await conversation(owner, bot.id, { started: 0, lastMessage: 0 });
    const elsewhere = await conversation(keepsAll, keepsAllBot.id, { started: 400, lastMessage: 400 });
    const expired = [old, neverWrote, ...many];
    const [messages, leads] = await runAsSystem('test', async () => [
      await db().count(Message, { conversation: { $in: [old, neverWrote] } }),
      await db().count(Lead, { conversation: old }),
    ]);
    const leadEvents = await runAsSystem('test', () =>
      db().count(LeadEvent, { lead: { conversation: old } }),
    );
    assert.ok(
      messages >= 4 && leads === 1 && leadEvents >= 1,
      JSON.stringify({ messages, leads, leadEvents }),
    );
    const usage = () => runInTenant(owner.tenant.id, () => db().find(UsageDaily, {}));
    const usageBefore = await usage();

    await sweep('2099-01-01', 1);
    const kept = [stillActive, fresh, elsewhere].sort();
    assert.deepEqual(await existing([...expired, ...kept]), kept);
    assert.deepEqual(
      await runAsSystem('test', async () => [
        await db().count(Message, { conversation: { $in: [old, neverWrote] } }),
        await db().count(Lead, { conversation: old }),
        await db().count(LeadEvent, { lead: { email: 'old@example.com' } }),
      ]),
      [0, 0, 0],
    );
    const [audit] = await audits(owner.tenant.id);
    assert.equal(audit!.actor, null);
    assert.deepEqual([audit!.subjectType, audit!.subjectId], ['tenant', owner.tenant.id]);
    const { lastActivityBefore, ...details } = audit!.details as { lastActivityBefore: string };
    assert.deepEqual(details, {
      day: '2099-01-01',
      retentionDays: 30,
      conversations: expired.length,
      messages,
      leads,
    });
    assert.ok(Math.abs(Date.parse(lastActivityBefore) - daysAgo(30).getTime()) < 60_000);
    assert.deepEqual(await audits(keepsAll.tenant.id), [], 'a tenant without retention is not touched');
    assert.deepEqual(await usage(), usageBefore, 'the daily roll-ups stay');
  });

  it("runs a day's sweep once, however often it is queued; the next day's runs again", async () => {
    const late = await conversation(owner, bot.id, { started: 60, lastMessage: 60 });
    await sweep('2099-01-01', 1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(await existing([late]), [late], 'the day had been swept already');
    assert.equal((await audits(owner.tenant.id)).length, 1);
    await sweep('2099-01-02', 2);
    assert.deepEqual(await existing([late]), []);
    const last = (await audits(owner.tenant.id))[1]!;
    assert.equal((last.details as { conversations: number }).conversations, 1);
  });
});

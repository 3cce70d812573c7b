import assert from 'node:assert/strict';
import type { AuthResponse, BotView, CaptureLeadResponse, LeadDetail } from '@chatbot/shared';
import { Lead, LeadEvent, UsageDaily, runAsSystem } from '@chatbot/shared/platform';
import { forEachDialect } from '@chatbot/shared/testing';
import { buildBot, buildTenant } from '../../testing/factories';
import {
  connectAdmin,
  nextEvent,
  openChat,
  request,
  requestOk,
  startConversation,
  type AdminSocket,
  type WidgetSocket,
} from '../../testing/chat-clients';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { captureOverRest, sayOverRest, stored, waitForLead } from './lead-fixtures';

forEachDialect('lead capture over the widget socket and REST, and the summary job', (dialect) => {
  let server: TestServer;
  let owner: AuthResponse;
  let bot: BotView;
  const sockets: Array<WidgetSocket | AdminSocket> = [];

  before(async () => {
    server = await startTestServer({ dialect });
    owner = await buildTenant(server.api);
    bot = await buildBot(server.api, owner.accessToken, {
      status: 'published',
      rateLimits: { perIpPerMinute: 1000, perMinute: 1000 },
    });
  });
  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));
  after(() => server.stop());

  const visitor = async (botId = bot.id) => {
    const chat = await openChat(server.api, botId);
    sockets.push(chat.socket);
    return chat;
  };
  const countAll = () =>
    runAsSystem('test', async () => {
      const em = server.platform.orm.em.fork();
      return { leads: await em.count(Lead, {}), events: await em.count(LeadEvent, {}) };
    });
  const usageLeads = async () =>
    (await runAsSystem('test', () => server.platform.orm.em.fork().findOne(UsageDaily, { bot: bot.id })))
      ?.leads ?? 0;

  it('merges a capture over the socket and one over REST into one lead, with consent time and history', async () => {
    const chat = await visitor();
    const admin = await connectAdmin(server.url, owner.accessToken);
    sockets.push(admin);
    const announced: unknown[] = [];
    admin.on('lead:new', (payload) => announced.push(payload));
    const leadNew = nextEvent(admin, 'lead:new');
    const usageBefore = await usageLeads();

    const first = await requestOk<CaptureLeadResponse>(chat.socket, 'lead:capture', {
      conversationId: chat.conversationId,
      email: 'Ada@Example.com',
      name: 'Ada',
      consent: true,
    });
    assert.equal(first.created, true);
    assert.deepEqual(await leadNew, {
      leadId: first.leadId,
      botId: bot.id,
      conversationId: chat.conversationId,
    });
    const afterFirst = await stored(server, chat.conversationId);
    const consentAt = afterFirst.lead!.consentAt!;
    assert.ok(consentAt instanceof Date);

    const second = await captureOverRest(server, chat, {
      email: 'ada@example.com',
      phone: '+44 20 7946 0000',
      company: 'Analytical Engines',
    });
    assert.equal(second.status, 200);
    assert.deepEqual(second.body, { leadId: first.leadId, created: false });

    const { lead, events } = await stored(server, chat.conversationId);
    assert.deepEqual(
      [lead!.email, lead!.name, lead!.phone, lead!.company, lead!.consent],
      ['ada@example.com', 'Ada', '+44 20 7946 0000', 'Analytical Engines', true],
    );
    assert.equal(lead!.consentAt!.getTime(), consentAt.getTime(), 'a later capture moved the consent time');
    assert.deepEqual(
      events.map((event) => event.kind),
      ['captured', 'captured'],
    );
    const detail = await server.api.get<LeadDetail>(`/api/leads/${first.leadId}`, owner.accessToken);
    assert.deepEqual(
      detail.body.history.map((entry) => entry.changes),
      [
        [
          { field: 'email', from: null, to: 'ada@example.com' },
          { field: 'name', from: null, to: 'Ada' },
          { field: 'consent', from: null, to: 'true' },
        ],
        [
          { field: 'phone', from: null, to: '+44 20 7946 0000' },
          { field: 'company', from: null, to: 'Analytical Engines' },
        ],
      ],
    );
    assert.equal(await usageLeads(), usageBefore + 1, 'a merge counted as a new lead');
    assert.equal(announced.length, 1);
  });

  it('makes one lead of two first captures sent at once', async () => {
    const chat = await visitor();
    const usageBefore = await usageLeads();
    const [overRest, overSocket] = await Promise.all([
      captureOverRest(server, chat, { email: 'twice@example.com', name: 'Twice' }),
      request<CaptureLeadResponse>(chat.socket, 'lead:capture', {
        conversationId: chat.conversationId,
        email: 'twice@example.com',
        phone: '+1 555 0199',
      }),
    ]);
    assert.ok(overSocket.ok, JSON.stringify(overSocket));
    assert.equal(overRest.body.leadId, overSocket.data.leadId);
    assert.deepEqual([overRest.body.created, overSocket.data.created].sort(), [false, true]);
    const { lead, events } = await stored(server, chat.conversationId);
    assert.deepEqual([lead!.name, lead!.phone], ['Twice', '+1 555 0199']);
    assert.equal(events.length, 2);
    assert.equal(await usageLeads(), usageBefore + 1);
  });

  it('refuses a malformed email over the socket and REST, writing nothing', async () => {
    const chat = await visitor();
    const before = await countAll();
    const overSocket = await request(chat.socket, 'lead:capture', {
      conversationId: chat.conversationId,
      email: 'not an email',
    });
    assert.equal(overSocket.ok ? null : overSocket.error.code, 'validation_failed');
    const overRest = await captureOverRest(server, chat, { email: 'not an email', name: 'X' });
    assert.equal(overRest.status, 400);
    assert.equal(overRest.body.error.code, 'validation_failed');
    assert.equal(overRest.body.error.fields[0].path, 'email');
    const unknownField = await request(chat.socket, 'lead:capture', {
      conversationId: chat.conversationId,
      email: 'ok@example.com',
      score: 100,
    });
    assert.equal(unknownField.ok ? null : unknownField.error.code, 'validation_failed');
    assert.deepEqual(await countAll(), before);
  });

  it('refuses a lead for a conversation of another bot or tenant, writing nothing', async () => {
    const mine = await visitor();
    const otherBot = await buildBot(server.api, owner.accessToken, { status: 'published' });
    const sibling = await startConversation(server.api, otherBot.id);
    const stranger = await buildTenant(server.api);
    const theirBot = await buildBot(server.api, stranger.accessToken, { status: 'published' });
    const theirs = await startConversation(server.api, theirBot.id);
    const before = await countAll();

    const attempts = await Promise.all([
      captureOverRest(
        server,
        { conversationId: theirs.conversationId, visitorToken: mine.visitorToken },
        {
          email: 'x@example.com',
        },
      ),
      captureOverRest(
        server,
        { conversationId: sibling.conversationId, visitorToken: mine.visitorToken },
        {
          email: 'x@example.com',
        },
      ),
      captureOverRest(
        server,
        { conversationId: mine.conversationId, visitorToken: theirs.visitorToken },
        {
          email: 'x@example.com',
        },
      ),
    ]);
    assert.deepEqual(
      attempts.map((attempt) => attempt.status),
      [404, 404, 404],
      JSON.stringify(attempts.map((attempt) => attempt.body)),
    );
    const forged = await captureOverRest(
      server,
      { conversationId: mine.conversationId, visitorToken: 'not-a-token' },
      { email: 'x@example.com' },
    );
    assert.equal(forged.status, 401);
    for (const conversationId of [theirs.conversationId, sibling.conversationId]) {
      const overSocket = await request(mine.socket, 'lead:capture', {
        conversationId,
        email: 'x@example.com',
      });
      assert.equal(overSocket.ok ? null : overSocket.error.code, 'not_found');
    }
    assert.deepEqual(await countAll(), before);
  });

  it('refuses captures for a bot that does not collect contact details', async () => {
    const closed = await buildBot(server.api, owner.accessToken, {
      status: 'published',
      leadCapture: { enabled: false, triggerWords: [] },
    });
    const chat = await visitor(closed.id);
    const refused = await request(chat.socket, 'lead:capture', {
      conversationId: chat.conversationId,
      email: 'x@example.com',
    });
    assert.equal(refused.ok ? null : refused.error.code, 'forbidden');
    assert.equal((await captureOverRest(server, chat, { email: 'x@example.com' })).status, 403);
    assert.equal((await stored(server, chat.conversationId)).lead, null);
  });

  it('writes an extractive summary and an explained score offline', async () => {
    const chat = await visitor();
    await sayOverRest(server, bot.id, chat, 'Hello there');
    await sayOverRest(server, bot.id, chat, 'We want to book a demo for 20 people next week.');
    await sayOverRest(server, bot.id, chat, 'Does it work offline?');
    const captured = await requestOk<CaptureLeadResponse>(chat.socket, 'lead:capture', {
      conversationId: chat.conversationId,
      email: 'grace@example.com',
      name: 'Grace',
      phone: '+1 555 0100',
      company: 'Navy',
      consent: true,
    });
    const lead = await waitForLead(server, captured.leadId, (row) => row.summary !== null);
    assert.equal(
      lead.summary,
      'Stated need: “We want to book a demo for 20 people next week.”\nAlso asked: “Does it work offline?”',
    );
    assert.deepEqual(lead.scoreReasons, [
      '+40 wants to act: “book a demo”',
      '+10 sent 3 messages',
      '+10 left an email address',
      '+5 gave a name',
      '+10 gave a phone number',
      '+5 named a company',
      '+5 agreed to be contacted',
    ]);
    assert.equal(lead.score, 85);

    // A visitor who only left an email, without a word, is worth little and said nothing to quote.
    const silent = await startConversation(server.api, bot.id);
    const bare = await captureOverRest(server, silent, { email: 'quiet@example.com' });
    const quiet = await waitForLead(server, bare.body.leadId, (row) => row.summary !== null);
    assert.equal(quiet.summary, 'The visitor left contact details without writing a message.');
    assert.deepEqual([quiet.score, quiet.scoreReasons], [10, ['+10 left an email address']]);
  });
});

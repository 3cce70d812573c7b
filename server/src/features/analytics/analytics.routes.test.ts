import assert from 'node:assert/strict';
import {
  addUtcDays,
  utcDayOf,
  type AnalyticsCounters,
  type AnalyticsSummary,
  type AnalyticsTimeseries,
  type AuthResponse,
  type BotView,
  type ChatMessage,
  type ConversationSummary,
  type LeadsByStatusResponse,
  type UnansweredQuestionsResponse,
} from '@chatbot/shared';
import { UsageDaily, runInTenant } from '@chatbot/shared/platform';
import { forEachDialect } from '@chatbot/shared/testing';
import { nextEvent, openChat } from '../../testing/chat-clients';
import { teach } from '../../testing/documents';
import { buildBot, buildTenant } from '../../testing/factories';
import { startTestServer, type TestServer } from '../../testing/test-server';

const zero: AnalyticsCounters = {
  conversations: 0,
  messages: 0,
  tokensIn: 0,
  tokensOut: 0,
  costUsd: 0,
  leads: 0,
  unanswered: 0,
  handoffs: 0,
};
const names = Object.keys(zero) as (keyof AnalyticsCounters)[];
const plus = (...all: AnalyticsCounters[]) => {
  const sum = { ...zero };
  for (const counters of all) for (const name of names) sum[name] += counters[name];
  return sum;
};
/** The ratios as the contract defines them: per conversation, 0 without any. */
const rated = (c: AnalyticsCounters) => ({
  ...c,
  conversionRate: c.conversations ? c.leads / c.conversations : 0,
  averageMessagesPerConversation: c.conversations ? c.messages / c.conversations : 0,
});

forEachDialect('analytics', (dialect) => {
  let server: TestServer;
  let owner: AuthResponse;
  let agent: AuthResponse;
  let stranger: AuthResponse;
  let support: BotView;
  let sales: BotView;
  let strangerBot: BotView;
  /** What the visitors did today, per bot, as the inbox counts it and as the test did it. */
  const live: Record<string, AnalyticsCounters> = {};
  let jacketAgainAt: string;
  let leadId: string;
  const today = utcDayOf();
  const day = (offset: number) => addUtcDays(today, offset);
  const pastSales = {
    ...zero,
    conversations: 3,
    messages: 11,
    tokensIn: 900,
    tokensOut: 300,
    costUsd: 0.25,
    leads: 2,
  };
  const oldSupport = { ...zero, conversations: 5, messages: 20, leads: 1, unanswered: 4, handoffs: 2 };
  const limits = { status: 'published', rateLimits: { perIpPerMinute: 1000, perMinute: 1000 } } as const;
  const get = <T = any>(path: string, token = owner.accessToken) =>
    server.api.get<T>(`/api/analytics${path}`, token);

  /** A visitor's conversation: questions asked and answered, then whatever `then` does. */
  async function visit(bot: BotView, questions: string[], then?: (chat: Chat) => Promise<void>) {
    const chat = await openChat(server.api, bot.id);
    try {
      for (const question of questions) await chat.ask(question);
      await then?.(chat);
    } finally {
      chat.socket.close();
    }
    return chat;
  }
  type Chat = Awaited<ReturnType<typeof openChat>>;

  /** The inbox's own counts (messages, tokens, cost of each conversation), summed per bot. */
  async function inbox(bot: BotView, token: string, counted: Partial<AnalyticsCounters>) {
    const { body } = await server.api.get<{ conversations: ConversationSummary[]; total: number }>(
      `/api/conversations?botId=${bot.id}&limit=100`,
      token,
    );
    const sum = (pick: (c: ConversationSummary) => number) =>
      body.conversations.reduce((s, c) => s + pick(c), 0);
    live[bot.id] = {
      ...zero,
      conversations: body.total,
      messages: sum((c) => c.messageCount),
      tokensIn: sum((c) => c.tokensIn),
      tokensOut: sum((c) => c.tokensOut),
      costUsd: sum((c) => c.costUsd),
      ...counted,
    };
  }

  before(async function () {
    this.timeout(120_000);
    server = await startTestServer({ dialect });
    owner = await buildTenant(server.api);
    support = await buildBot(server.api, owner.accessToken, { name: 'Support, EU', ...limits });
    // A name a spreadsheet would run as a formula: the export must keep it text.
    sales = await buildBot(server.api, owner.accessToken, { name: '=Sales', ...limits });
    await teach(
      server,
      owner.accessToken,
      support.id,
      'refunds.txt',
      'Refunds are paid back within ten days.',
    );
    await teach(
      server,
      owner.accessToken,
      sales.id,
      'shipping.txt',
      'Parcels ship within two business days.',
    );
    const invite = await server.api.post(
      '/api/users/invitations',
      { email: `agent-${Date.now()}@example.com`, role: 'agent' },
      owner.accessToken,
    );
    agent = (
      await server.api.post('/api/auth/accept-invitation', {
        token: invite.body.token,
        name: 'Agent',
        password: 'correct horse battery staple',
      })
    ).body;
    stranger = await buildTenant(server.api);
    strangerBot = await buildBot(server.api, stranger.accessToken, { name: 'Stranger bot', ...limits });

    const answerable = 'How many days until refunds are paid back?';
    const lead = await visit(support, [answerable, answerable]);
    const captured = await server.api.request(
      'POST',
      `/api/public/conversation/${lead.conversationId}/capture-lead`,
      {
        body: { email: 'ada@example.com', consent: true },
        headers: { authorization: `Bearer ${lead.visitorToken}` },
      },
    );
    assert.equal(captured.status, 201, JSON.stringify(captured.body));
    leadId = captured.body.leadId;
    await visit(support, ['Which colours does the jacket come in?']);
    const handoff = await visit(support, ['  which colours does the   JACKET come in? '], async (chat) => {
      const waiting = nextEvent<ChatMessage>(chat.socket, 'message:new', (m) => m.role === 'system');
      await chat.say('Can I talk to a human, please?');
      await waiting;
    });
    await visit(sales, ['How many business days until parcels ship?', 'Do you deliver pizza to Mars?']);
    await visit(strangerBot, ['Where is the secret vault of Atlantis?']);

    await inbox(support, owner.accessToken, { leads: 1, unanswered: 2, handoffs: 1 });
    await inbox(sales, owner.accessToken, { unanswered: 1 });
    await inbox(strangerBot, stranger.accessToken, { unanswered: 1 });
    assert.equal(live[support.id]!.conversations, 3);
    assert.equal(live[sales.id]!.conversations, 1);
    const detail = await server.api.get(`/api/conversations/${handoff.conversationId}`, owner.accessToken);
    jacketAgainAt = detail.body.messages.find((m: ChatMessage) => m.role === 'visitor').createdAt;

    // Earlier days, as the roll-ups would hold them: one inside the default 30 days, one before.
    await runInTenant(owner.tenant.id, async () => {
      const em = server.platform.orm.em.fork();
      em.create(UsageDaily, { bot: sales.id, day: day(-2), ...pastSales });
      em.create(UsageDaily, { bot: support.id, day: day(-40), ...oldSupport });
      await em.flush();
    });
  });
  after(() => server.stop());

  it('sums the last 30 days, in total and per bot (busiest first), as the visitors made them', async () => {
    const { status, body } = await get<AnalyticsSummary>('/summary');
    assert.equal(status, 200, JSON.stringify(body));
    const salesTotal = plus(live[sales.id]!, pastSales);
    assert.deepEqual(body, {
      from: day(-29),
      to: today,
      botId: null,
      totals: rated(plus(live[support.id]!, salesTotal)),
      bots: [
        { botId: sales.id, botName: '=Sales', ...rated(salesTotal) },
        { botId: support.id, botName: 'Support, EU', ...rated(live[support.id]!) },
      ],
    });
    assert.equal(body.bots[1]!.conversionRate, 1 / 3);
    assert.equal(body.bots[1]!.handoffs, 1);
  });

  it('narrows to one bot and to any range of up to 366 days, both ends included', async () => {
    const { body } = await get<AnalyticsSummary>(`/summary?botId=${support.id}&from=${day(-40)}&to=${today}`);
    const supportTotal = rated(plus(live[support.id]!, oldSupport));
    assert.deepEqual(body, {
      from: day(-40),
      to: today,
      botId: support.id,
      totals: supportTotal,
      bots: [{ botId: support.id, botName: 'Support, EU', ...supportTotal }],
    });
    const before = await get<AnalyticsSummary>(`/summary?from=${day(-40)}&to=${day(-40)}`);
    assert.deepEqual(before.body.totals, rated(oldSupport));
    const idle = await get<AnalyticsSummary>(`/summary?from=${day(-10)}&to=${day(-3)}`);
    assert.deepEqual(idle.body.totals, rated(zero));
    assert.deepEqual(
      idle.body.bots.map((bot) => [bot.botName, bot.conversations]),
      [
        ['=Sales', 0],
        ['Support, EU', 0],
      ],
    );
  });

  it('gives one row per day, with zeros for days without traffic', async () => {
    const { body } = await get<AnalyticsTimeseries>(`/timeseries?from=${day(-3)}&to=${today}`);
    assert.deepEqual(body, {
      from: day(-3),
      to: today,
      botId: null,
      days: [
        { day: day(-3), ...rated(zero) },
        { day: day(-2), ...rated(pastSales) },
        { day: day(-1), ...rated(zero) },
        { day: today, ...rated(plus(live[support.id]!, live[sales.id]!)) },
      ],
    });
    const one = await get<AnalyticsTimeseries>(`/timeseries?botId=${support.id}`);
    assert.equal(one.body.days.length, 30);
    assert.deepEqual(one.body.days.at(-1), { day: today, ...rated(live[support.id]!) });
    assert.deepEqual(
      one.body.days.slice(0, -1).filter((row) => row.conversations || row.messages),
      [],
      'no other day of the support bot had traffic',
    );
  });

  it('exports the daily rows per bot as RFC 4180 CSV, with formula-looking text defused', async () => {
    const response = await fetch(`${server.url}/api/analytics/export.csv?from=${day(-40)}&to=${today}`, {
      headers: { authorization: `Bearer ${owner.accessToken}` },
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/csv; charset=utf-8/);
    assert.equal(
      response.headers.get('content-disposition'),
      `attachment; filename=analytics-${day(-40)}-${today}.csv`,
    );
    const line = (d: string, bot: BotView, name: string, c: AnalyticsCounters) => {
      const r = rated(c);
      return [
        d,
        bot.id,
        name,
        ...names.map((n) => r[n]),
        r.conversionRate,
        r.averageMessagesPerConversation,
      ].join(',');
    };
    const todays = [
      [support, '"Support, EU"', live[support.id]!],
      [sales, "'=Sales", live[sales.id]!],
    ] as const;
    const expected = [
      `day,botId,botName,${names.join(',')},conversionRate,averageMessagesPerConversation`,
      line(day(-40), support, '"Support, EU"', oldSupport),
      line(day(-2), sales, "'=Sales", pastSales),
      ...[...todays]
        .sort((a, b) => a[0].id.localeCompare(b[0].id))
        .map(([bot, name, c]) => line(today, bot, name, c)),
    ];
    assert.equal(await response.text(), expected.map((row) => `${row}\r\n`).join(''));
  });

  it('lists unanswered questions grouped by their normalised text, most asked first', async () => {
    const { status, body } = await get<UnansweredQuestionsResponse>('/unanswered');
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.from, day(-29));
    const mars = body.questions[1]!;
    assert.deepEqual(body.questions, [
      {
        question: 'which colours does the   JACKET come in?',
        normalized: 'which colours does the jacket come in?',
        count: 2,
        lastAskedAt: jacketAgainAt,
        botId: support.id,
        botName: 'Support, EU',
      },
      {
        question: 'Do you deliver pizza to Mars?',
        normalized: 'do you deliver pizza to mars?',
        count: 1,
        lastAskedAt: mars.lastAskedAt,
        botId: sales.id,
        botName: '=Sales',
      },
    ]);
    const salesOnly = await get<UnansweredQuestionsResponse>(`/unanswered?botId=${sales.id}`);
    assert.deepEqual(salesOnly.body.questions, [mars]);
    const first = await get<UnansweredQuestionsResponse>('/unanswered?limit=1');
    assert.equal(first.body.questions.length, 1);
    assert.equal(first.body.questions[0]!.count, 2);
    const earlier = await get<UnansweredQuestionsResponse>(`/unanswered?from=${day(-5)}&to=${day(-1)}`);
    assert.deepEqual(earlier.body.questions, []);
  });

  it('counts the leads of the range by the status each has now', async () => {
    const none = { new: 0, contacted: 0, qualified: 0, converted: 0 };
    const { status, body } = await get<LeadsByStatusResponse>('/leads');
    assert.equal(status, 200, JSON.stringify(body));
    assert.deepEqual(body, {
      from: day(-29),
      to: today,
      botId: null,
      total: 1,
      byStatus: { ...none, new: 1 },
    });
    const moved = await server.api.patch(`/api/leads/${leadId}`, { status: 'qualified' }, owner.accessToken);
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    const after = await get<LeadsByStatusResponse>(`/leads?botId=${support.id}&from=${today}&to=${today}`);
    assert.deepEqual(after.body, {
      from: today,
      to: today,
      botId: support.id,
      total: 1,
      byStatus: { ...none, qualified: 1 },
    });
    const otherBot = await get<LeadsByStatusResponse>(`/leads?botId=${sales.id}`);
    assert.deepEqual([otherBot.body.total, otherBot.body.byStatus], [0, none]);
    const earlier = await get<LeadsByStatusResponse>(`/leads?from=${day(-40)}&to=${day(-1)}`);
    assert.deepEqual([earlier.body.total, earlier.body.byStatus], [0, none]);
  });

  it('is for owners and admins: an agent is refused, and nobody without a token', async () => {
    for (const path of ['/summary', '/timeseries', '/export.csv', '/unanswered', '/leads']) {
      const refused = await get(path, agent.accessToken);
      assert.equal(refused.status, 403, path);
      assert.equal(refused.body.error.code, 'forbidden');
      assert.equal((await server.api.get(`/api/analytics${path}`)).status, 401);
    }
  });

  it('refuses ranges backwards, over 366 days, badly written, and unknown parameters', async () => {
    const refused = async (query: string, path = '/summary') => {
      const response = await get(`${path}?${query}`);
      assert.equal(response.status, 400, query);
      assert.equal(response.body.error.code, 'validation_failed');
      return response.body.error.fields;
    };
    assert.match(JSON.stringify(await refused(`from=${today}&to=${day(-1)}`)), /must not be after to/);
    assert.match(JSON.stringify(await refused(`from=${day(-366)}&to=${today}`)), /at most 366 days/);
    assert.equal((await get(`/summary?from=${day(-365)}&to=${today}`)).status, 200);
    await refused('from=2026-02-30');
    await refused('to=yesterday');
    await refused('botId=42');
    await refused('bot=x');
    await refused('limit=101', '/unanswered');
    await refused('limit=5', '/summary');
  });

  it("keeps tenants apart: another tenant's bot is not found, and its figures are its own", async () => {
    for (const path of ['/summary', '/timeseries', '/export.csv', '/unanswered', '/leads']) {
      const foreign = await get(`${path}?botId=${support.id}`, stranger.accessToken);
      assert.equal(foreign.status, 404, path);
      assert.equal(foreign.body.error.code, 'not_found');
      assert.doesNotMatch(JSON.stringify(foreign.body), /Support/);
    }
    const own = await get<AnalyticsSummary>(`/summary?from=${day(-40)}`, stranger.accessToken);
    assert.deepEqual(own.body.totals, rated(live[strangerBot.id]!));
    assert.deepEqual(
      own.body.bots.map((bot) => bot.botId),
      [strangerBot.id],
    );
    const series = await get<AnalyticsTimeseries>(`/timeseries?from=${day(-40)}`, stranger.accessToken);
    assert.deepEqual(
      series.body.days.filter((row) => row.conversations),
      [{ day: today, ...rated(live[strangerBot.id]!) }],
    );
    const csv = await fetch(`${server.url}/api/analytics/export.csv?from=${day(-40)}`, {
      headers: { authorization: `Bearer ${stranger.accessToken}` },
    }).then((response) => response.text());
    assert.equal(csv.trim().split('\r\n').length, 2);
    for (const leaked of [support.id, sales.id, 'Support', 'Sales']) assert.ok(!csv.includes(leaked), leaked);
    const leads = await get<LeadsByStatusResponse>('/leads', stranger.accessToken);
    assert.equal(leads.body.total, 0);
    const questions = await get<UnansweredQuestionsResponse>('/unanswered', stranger.accessToken);
    assert.deepEqual(
      questions.body.questions.map((q) => [q.question, q.botId]),
      [['Where is the secret vault of Atlantis?', strangerBot.id]],
    );
  });
});

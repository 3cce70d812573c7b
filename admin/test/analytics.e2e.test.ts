import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  addUtcDays,
  utcDayOf,
  type AnalyticsSummary,
  type AuthResponse,
  type BotView,
} from '@chatbot/shared';
import type { Page } from 'playwright-core';
import { openChat } from '../../server/src/testing/chat-clients';
import { teach } from '../../server/src/testing/documents';
import { buildBot, buildTenant } from '../../server/src/testing/factories';
import { drawn, PASSWORD, shot, signIn, startDashboard, type Dashboard } from './dashboard';

/** The value of the stat card named exactly `label`. */
const card = (page: Page, label: string) =>
  page
    .locator('app-stat-card')
    .filter({ has: page.locator('.label').getByText(label, { exact: true }) })
    .locator('.value');

const blue: [number, number, number] = [37, 99, 235];
const violet: [number, number, number] = [124, 58, 237];
const green: [number, number, number] = [22, 163, 74];

describe('dashboard: overview and analytics', function () {
  this.timeout(120_000);
  let dashboard: Dashboard;
  let owner: AuthResponse;
  let support: BotView;
  let sales: BotView;
  const today = utcDayOf();

  /** A visitor asks the questions, leaves their details if given some, and goes. */
  async function visit(bot: BotView, questions: string[], email?: string) {
    const chat = await openChat(dashboard.server.api, bot.id);
    try {
      for (const question of questions) await chat.ask(question);
      if (!email) return null;
      const captured = await dashboard.server.api.request<{ leadId: string }>(
        'POST',
        `/api/public/conversation/${chat.conversationId}/capture-lead`,
        { body: { email, consent: true }, headers: { authorization: `Bearer ${chat.visitorToken}` } },
      );
      assert.equal(captured.status, 201, JSON.stringify(captured.body));
      return captured.body.leadId;
    } finally {
      chat.socket.close();
    }
  }

  before(async () => {
    dashboard = await startDashboard();
    const { api } = dashboard.server;
    owner = await buildTenant(api);
    const limits = { status: 'published', rateLimits: { perIpPerMinute: 1000, perMinute: 1000 } } as const;
    support = await buildBot(api, owner.accessToken, { name: 'Support', ...limits });
    sales = await buildBot(api, owner.accessToken, { name: 'Sales', ...limits });
    await teach(
      dashboard.server,
      owner.accessToken,
      support.id,
      'refunds.txt',
      'Refunds are paid back within ten days.',
    );
    await teach(
      dashboard.server,
      owner.accessToken,
      sales.id,
      'shipping.txt',
      'Parcels ship within two business days.',
    );
    const refunds = 'How many days until refunds are paid back?';
    await visit(support, [refunds], 'ada@example.com');
    const grace = await visit(support, [refunds], 'grace@example.com');
    await visit(support, [refunds]);
    await visit(sales, ['How many business days until parcels ship?', 'Do you deliver pizza to Mars?']);
    const qualified = await api.patch(`/api/leads/${grace}`, { status: 'qualified' }, owner.accessToken);
    assert.equal(qualified.status, 200, JSON.stringify(qualified.body));
  });
  after(() => dashboard?.stop());

  it("shows on the overview today's figures as the visitors made them", async () => {
    const { context, page } = await dashboard.newPage();
    await signIn(page, owner);
    const { body: todays } = await dashboard.server.api.get<AnalyticsSummary>(
      `/api/analytics/summary?from=${today}&to=${today}`,
      owner.accessToken,
    );
    await card(page, 'Conversations').filter({ hasText: '4' }).waitFor();
    assert.equal(await card(page, 'Leads').textContent(), '2');
    assert.equal(await card(page, 'Messages').textContent(), String(todays.totals.messages));
    assert.ok(todays.totals.messages >= 10, 'each question and its answer');
    const tokens = todays.totals.tokensIn + todays.totals.tokensOut;
    assert.equal(await card(page, 'Tokens').textContent(), tokens.toLocaleString('en-US'));
    const leads = page.getByRole('region', { name: 'Newest leads' });
    await leads.getByRole('link', { name: 'grace@example.com' }).waitFor();
    assert.equal(await leads.getByText('qualified').count(), 1);
    assert.match(
      (await page.getByRole('region', { name: 'Waiting for a person' }).textContent())!,
      /Nobody is waiting/,
    );

    await shot(page, 'overview');
    await context.close();
  });

  it('draws the charts of the last 30 days with the totals and the unanswered questions', async () => {
    const { context, page } = await dashboard.newPage();
    await signIn(page, owner, '/admin/analytics');
    await page.getByRole('heading', { name: 'Analytics' }).waitFor();
    await card(page, 'Conversations').filter({ hasText: '4' }).waitFor();
    assert.equal(await card(page, 'Leads').textContent(), '2');
    assert.equal(await card(page, 'Unanswered questions').textContent(), '1');
    assert.equal(await page.getByRole('button', { name: '30 days' }).getAttribute('aria-pressed'), 'true');

    const activity = page.getByRole('img', { name: 'Conversations, messages and tokens per day' });
    const bots = page.getByRole('img', { name: 'Conversations per bot' });
    const leads = page.getByRole('img', { name: 'Leads by status' });
    await drawn(activity, blue, 20);
    await drawn(activity, green, 20);
    const supportBar = await drawn(bots, blue);
    await drawn(leads, blue);
    await drawn(leads, violet);
    assert.ok(supportBar > 1000, `the bars cover ${supportBar} pixels`);
    const unanswered = page.getByRole('region', { name: 'Unanswered questions' });
    assert.match(
      (await unanswered.getByRole('row').nth(1).textContent())!,
      /Do you deliver pizza to Mars\?.*Sales.*1×/,
    );
    await shot(page, 'analytics');
    await context.close();
  });

  it('fetches again for another range or bot, and draws what it got', async () => {
    const { context, page } = await dashboard.newPage();
    await signIn(page, owner, '/admin/analytics');
    await card(page, 'Conversations').filter({ hasText: '4' }).waitFor();
    const summaryOf = (check: (url: URL) => boolean) =>
      page.waitForResponse((response) => {
        const url = new URL(response.url());
        return url.pathname === '/api/analytics/summary' && check(url);
      });

    const week = summaryOf((url) => url.searchParams.get('from') === addUtcDays(today, -6));
    await page.getByRole('button', { name: '7 days' }).click();
    assert.equal((await week).status(), 200);
    assert.equal(await page.getByRole('button', { name: '7 days' }).getAttribute('aria-pressed'), 'true');

    const before = summaryOf((url) => url.searchParams.get('to') === addUtcDays(today, -1));
    await page.getByLabel('To', { exact: true }).fill(addUtcDays(today, -1));
    await before;
    await card(page, 'Conversations').filter({ hasText: /^0$/ }).waitFor();
    await page.getByText('No leads in this range').waitFor();

    const salesOnly = summaryOf((url) => url.searchParams.get('botId') === sales.id);
    await page.getByRole('button', { name: '90 days' }).click();
    await page.getByLabel('Bot', { exact: true }).selectOption({ label: 'Sales' });
    await salesOnly;
    await card(page, 'Conversations').filter({ hasText: /^1$/ }).waitFor();
    await drawn(page.getByRole('img', { name: 'Conversations per bot' }), blue);
    await context.close();
  });

  it('downloads the CSV of the range as the server exports it', async () => {
    const { context, page } = await dashboard.newPage();
    await signIn(page, owner, '/admin/analytics');
    await card(page, 'Conversations').filter({ hasText: '4' }).waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const file = await download;
    const from = addUtcDays(today, -29);
    assert.equal(file.suggestedFilename(), `analytics-${from}-${today}.csv`);
    const csv = await readFile((await file.path())!, 'utf8');
    const lines = csv.trim().split('\r\n');
    assert.match(lines[0]!, /^day,botId,botName,conversations,messages/);
    const rows = lines.slice(1).map((line) => line.split(','));
    assert.deepEqual(rows.map(([day, , name, conversations]) => [day, name, conversations]).sort(), [
      [today, 'Sales', '1'],
      [today, 'Support', '3'],
    ]);
    const served = await fetch(`${dashboard.server.url}/api/analytics/export.csv?from=${from}&to=${today}`, {
      headers: { authorization: `Bearer ${owner.accessToken}` },
    });
    assert.equal(csv, await served.text());
    await context.close();
  });

  it('fits a phone', async () => {
    const { context, page } = await dashboard.newPage({ width: 375, height: 800 });
    await signIn(page, owner, '/admin/analytics');
    await card(page, 'Conversations').filter({ hasText: '4' }).waitFor();
    await drawn(page.getByRole('img', { name: 'Leads by status' }), blue);
    await shot(page, 'analytics-phone');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than the phone`);
    await page.goto('/admin/');
    await card(page, 'Conversations').filter({ hasText: '4' }).waitFor();
    await shot(page, 'overview-phone');
    await context.close();
  });

  it('shows a new account how to start, and an agent no figures it may not read', async () => {
    const { api } = dashboard.server;
    const newcomer = await buildTenant(api);
    const { context, page } = await dashboard.newPage();
    await signIn(page, newcomer);
    const steps = page.getByRole('region', { name: 'Get your first bot live' });
    await steps.waitFor();
    assert.equal(await steps.getByText('(done)').count(), 0);
    assert.equal(
      await steps.getByRole('link', { name: 'Create a bot' }).getAttribute('href'),
      '/admin/bots/new',
    );
    await page.getByText('No leads yet').waitFor();
    await shot(page, 'overview-onboarding');
    await context.close();

    const invite = await api.post(
      '/api/users/invitations',
      { email: `agent-${Date.now()}@example.com`, role: 'agent' },
      owner.accessToken,
    );
    const agent = await api.post<AuthResponse>('/api/auth/accept-invitation', {
      token: invite.body.token,
      name: 'Agent',
      password: PASSWORD,
    });
    assert.equal(agent.status, 201, JSON.stringify(agent.body));
    const asAgent = await dashboard.newPage();
    const analytics: string[] = [];
    asAgent.page.on('request', (request) => {
      if (request.url().includes('/api/analytics')) analytics.push(request.url());
    });
    await signIn(asAgent.page, agent.body);
    await card(asAgent.page, 'Active conversations').waitFor();
    await asAgent.page.getByRole('link', { name: 'grace@example.com' }).waitFor();
    assert.equal(await asAgent.page.getByRole('heading', { name: 'Today' }).count(), 0);
    assert.equal(await asAgent.page.getByRole('region', { name: 'Get your first bot live' }).count(), 0);
    assert.deepEqual(analytics, []);
    await asAgent.context.close();
  });

  // Last: the visitor it brings online starts a conversation, which the other tests do not count.
  it('counts on the overview the visitors who come online', async () => {
    const { context, page } = await dashboard.newPage();
    await signIn(page, owner);
    assert.equal(await card(page, 'Visitors chatting now').textContent(), '0');
    const chat = await openChat(dashboard.server.api, sales.id);
    try {
      // Within one poll (15 s), or sooner when the new conversation's update arrives on the socket.
      await card(page, 'Visitors chatting now').filter({ hasText: /^1$/ }).waitFor({ timeout: 20_000 });
    } finally {
      chat.socket.close();
    }
    await context.close();
  });
});

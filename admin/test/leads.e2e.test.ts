import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { AuthResponse, BotView, LeadDetail } from '@chatbot/shared';
import type { Page } from 'playwright-core';
import { captureOverRest, sayOverRest, waitForLead } from '../../server/src/features/leads/lead-fixtures';
import { openChat, requestOk, startConversation } from '../../server/src/testing/chat-clients';
import { buildBot, buildTenant } from '../../server/src/testing/factories';
import { PASSWORD, shot, signIn, startDashboard, type Dashboard } from './dashboard';

describe('dashboard: leads', function () {
  this.timeout(90_000);
  let dashboard: Dashboard;
  let owner: AuthResponse;
  let agent: AuthResponse;
  let bot: BotView;
  let adaId: string;
  const sockets: Array<{ close(): unknown }> = [];

  before(async () => {
    dashboard = await startDashboard();
    const { server } = dashboard;
    owner = await buildTenant(server.api);
    const invited = await server.api.post<{ token: string }>(
      '/api/users/invitations',
      { email: 'dana.agent@example.com', role: 'agent' },
      owner.accessToken,
    );
    const accepted = await server.api.post<AuthResponse>('/api/auth/accept-invitation', {
      token: invited.body.token,
      name: 'Dana Agent',
      password: PASSWORD,
    });
    assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
    agent = accepted.body;
    bot = await buildBot(server.api, owner.accessToken, {
      name: 'Sales bot',
      status: 'published',
      rateLimits: { perIpPerMinute: 1000, perMinute: 1000 },
    });

    // Ada leaves her details through the widget's socket, as the widget's lead form sends them.
    const chat = await openChat(server.api, bot.id);
    sockets.push(chat.socket);
    await chat.ask('I would like to book a demo for 30 seats');
    const captured = await requestOk<{ leadId: string }>(chat.socket, 'lead:capture', {
      conversationId: chat.conversationId,
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      company: 'Analytical Engines',
      phone: '+44 20 7946 0000',
      consent: true,
    });
    adaId = captured.leadId;
    await waitForLead(server, adaId, (lead) => lead.summary !== null);
    // Bob leaves his over REST, without a name.
    const bob = await startConversation(server.api, bot.id);
    await sayOverRest(server, bot.id, bob, 'What does it cost?');
    const bobLead = await captureOverRest(server, bob, { email: 'bob@example.com', company: 'Babbage & Co' });
    assert.equal(bobLead.status, 201, JSON.stringify(bobLead.body));
  });
  after(async () => {
    sockets.forEach((socket) => socket.close());
    await dashboard?.stop();
  });

  const row = (page: Page, email: string) => page.getByRole('row').filter({ hasText: email });
  const lead = async (id: string) =>
    (await dashboard.server.api.get<LeadDetail>(`/api/leads/${id}`, owner.accessToken)).body.lead;

  it('lists the captured leads and shows a new one arriving live', async () => {
    const { context, page } = await dashboard.newPage();
    await signIn(page, owner, '/admin/leads');
    await page.getByRole('heading', { name: 'Leads' }).waitFor();
    const ada = row(page, 'ada@example.com');
    await ada.waitFor();
    for (const text of ['Ada Lovelace', 'Analytical Engines', 'Sales bot']) {
      assert.ok((await ada.textContent())!.includes(text), `the row shows ${text}`);
    }
    assert.equal(await ada.getByRole('combobox', { name: 'Status of ada@example.com' }).inputValue(), 'new');
    assert.ok(Number(await ada.locator('.badge').last().textContent()) > 0, 'Ada is scored');
    await row(page, 'bob@example.com').getByText('No name given').waitFor();

    const visitor = await startConversation(dashboard.server.api, bot.id);
    const captured = await captureOverRest(dashboard.server, visitor, {
      email: 'cy@example.com',
      name: 'Cy Live',
    });
    assert.equal(captured.status, 201);
    await page.getByRole('status').filter({ hasText: 'New lead: Cy Live (cy@example.com)' }).waitFor();
    const fresh = row(page, 'cy@example.com');
    await fresh.and(page.locator('tr.fresh')).waitFor();
    assert.equal(
      await page
        .getByRole('row')
        .nth(1)
        .textContent()
        .then((text) => text!.includes('cy@')),
      true,
    );
    await shot(page, 'leads-table');
    await context.close();
  });

  it('filters by status and by search, and keeps a quick status change across a reload', async () => {
    const { context, page } = await dashboard.newPage();
    await signIn(page, owner, '/admin/leads');
    const status = row(page, 'ada@example.com').getByRole('combobox', { name: 'Status of ada@example.com' });
    await status.selectOption('qualified');
    await page.getByRole('status').filter({ hasText: 'Ada Lovelace is now qualified.' }).waitFor();
    assert.equal((await lead(adaId)).status, 'qualified');
    await page.reload();
    assert.equal(await status.inputValue(), 'qualified');

    await page.getByRole('search').getByLabel('Status').selectOption('qualified');
    await page.waitForURL(/status=qualified/);
    await page.getByRole('row').filter({ hasText: 'bob@example.com' }).waitFor({ state: 'detached' });
    assert.equal(await page.locator('tbody tr').count(), 1);
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await row(page, 'bob@example.com').waitFor();

    await page.getByLabel('Search').fill('babbage');
    await page.waitForURL(/search=babbage/);
    await row(page, 'ada@example.com').waitFor({ state: 'detached' });
    assert.deepEqual(await page.locator('tbody tr td.email').allTextContents(), ['bob@example.com']);
    await page.getByLabel('Search').fill('nobody-like-this');
    await page.getByRole('heading', { name: 'No leads match these filters' }).waitFor();
    await context.close();
  });

  it('exports what the filters select as a CSV file', async () => {
    const { context, page } = await dashboard.newPage();
    await signIn(page, owner, '/admin/leads?status=qualified');
    await row(page, 'ada@example.com').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^leads-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readFile((await download.path())!, 'utf8');
    const [header, ...lines] = csv.trim().split('\r\n');
    assert.match(header!, /^id,created_at,bot_id,bot_name,conversation_id,email,name,phone,company/);
    assert.equal(lines.length, 1, csv);
    assert.ok(lines[0]!.startsWith(`${adaId},`), csv);
    assert.ok(lines[0]!.includes('ada@example.com,Ada Lovelace'), csv);
    assert.ok(lines[0]!.includes('qualified'), csv);
    await context.close();
  });

  it('shows the detail: summary, transcript and history, and keeps a note and an assignee', async () => {
    const { context, page } = await dashboard.newPage();
    await signIn(page, owner, '/admin/leads');
    await row(page, 'ada@example.com').getByRole('link', { name: 'Ada Lovelace' }).click();
    await page.waitForURL(new RegExp(`/admin/leads/${adaId}$`));
    await page.getByRole('heading', { name: 'Ada Lovelace', level: 1 }).waitFor();
    const summary = page.getByRole('region', { name: 'Summary' });
    await summary.getByText(/^Stated need: .*book a demo/).waitFor();
    await page
      .getByRole('log', { name: 'Transcript' })
      .getByText('I would like to book a demo for 30 seats')
      .waitFor();
    await page.getByRole('list', { name: 'History' }).getByText('The visitor left their email').waitFor();
    const conversation = page.getByRole('link', { name: 'Open the conversation' });
    assert.match((await conversation.getAttribute('href'))!, /\/admin\/conversations\/[0-9a-f-]{36}$/);

    await page.getByLabel('Add a note').fill('Called her: wants a quote for 30 seats.');
    await page.getByRole('button', { name: 'Add note' }).click();
    const notes = page.getByRole('list', { name: 'Notes' });
    await notes.getByText('Called her: wants a quote for 30 seats.').waitFor();
    assert.ok((await notes.textContent())!.includes(owner.user.name));
    assert.equal(await page.getByLabel('Add a note').inputValue(), '');

    await page.getByLabel('Assignee').selectOption({ label: 'Dana Agent' });
    await page.getByRole('status').filter({ hasText: 'Assigned to Dana Agent.' }).waitFor();
    await page
      .getByRole('list', { name: 'History' })
      .getByText(`${owner.user.name} assigned the lead to Dana Agent.`)
      .waitFor();
    await shot(page, 'lead-detail');

    await page.reload();
    await notes.getByText('Called her: wants a quote for 30 seats.').waitFor();
    assert.equal(await page.getByLabel('Assignee').inputValue(), agent.user.id);
    const saved = await lead(adaId);
    assert.equal(saved.assigneeId, agent.user.id);
    await context.close();
  });

  it('lets an agent see the leads and give one to a colleague, without the users API or the webhooks', async () => {
    const { context, page } = await dashboard.newPage();
    const usersAsked: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/api/users')) usersAsked.push(request.url());
    });
    await signIn(page, agent, '/admin/leads');
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: 'Leads' }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Webhooks' }).count(), 0);
    await row(page, 'bob@example.com').getByRole('link', { name: 'No name given' }).click();
    await page.getByRole('heading', { name: 'bob@example.com', level: 1 }).waitFor();
    const assignee = page.getByLabel('Assignee');
    await assignee.getByRole('option', { name: owner.user.name }).waitFor({ state: 'attached' });
    assert.deepEqual(
      (await assignee.locator('option').allTextContents()).map((option) => option.trim()).sort(),
      ['Dana Agent (me)', 'Nobody', owner.user.name].sort(),
    );
    await assignee.selectOption({ label: owner.user.name });
    await page
      .getByRole('status')
      .filter({ hasText: `Assigned to ${owner.user.name}.` })
      .waitFor();
    await page
      .getByRole('list', { name: 'History' })
      .getByText(`Dana Agent assigned the lead to ${owner.user.name}.`)
      .waitFor();
    await assignee.selectOption({ label: 'Dana Agent (me)' });
    await page.getByRole('list', { name: 'History' }).getByText('Dana Agent took the lead.').waitFor();
    assert.deepEqual(usersAsked, [], 'the page asked the users API');
    await page.goto('/admin/settings/webhooks');
    await page.getByRole('heading', { name: "You don't have access to this page" }).waitFor();
    await context.close();
  });

  it('fits a phone', async () => {
    const { context, page } = await dashboard.newPage({ width: 375, height: 812 });
    await signIn(page, owner, '/admin/leads');
    await row(page, 'ada@example.com').waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 375, `the page is ${width} px wide`);
    await shot(page, 'leads-phone');
    await page.goto(`/admin/leads/${adaId}`);
    await page.getByRole('heading', { name: 'Ada Lovelace', level: 1 }).waitFor();
    const detailWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(detailWidth <= 375, `the detail is ${detailWidth} px wide`);
    await shot(page, 'lead-detail-phone');
    await context.close();
  });
});

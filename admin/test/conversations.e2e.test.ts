import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { AuthResponse, BotView } from '@chatbot/shared';
import { Conversation, runInTenant } from '@chatbot/shared/platform';
import type { Page } from 'playwright-core';
import { appendMessage } from '../../server/src/features/conversations/conversation-messages';
import { invite, pdfText, visit } from '../../server/src/features/conversations/conversations.fixtures';
import { openChat, requestOk, type WidgetSocket } from '../../server/src/testing/chat-clients';
import { teach } from '../../server/src/testing/documents';
import { buildBot, buildTenant } from '../../server/src/testing/factories';
import { shot, signIn, startDashboard, type Dashboard } from './dashboard';

describe('dashboard: conversations (table, filters, search, detail, PDF, deletion)', function () {
  this.timeout(120_000);
  let dashboard: Dashboard;
  let owner: AuthResponse;
  let agent: AuthResponse;
  let returnsBot: BotView;
  let salesBot: BotView;
  let ada: string;
  let bob: string;
  const sockets: WidgetSocket[] = [];
  const limits = { status: 'published', rateLimits: { perIpPerMinute: 1000, perMinute: 1000 } } as const;

  before(async () => {
    dashboard = await startDashboard();
    const { api } = dashboard.server;
    owner = await buildTenant(api);
    agent = await invite(api, owner.accessToken, 'agent', 'Sam');
    returnsBot = await buildBot(api, owner.accessToken, { ...limits, name: 'Returns helper' });
    salesBot = await buildBot(api, owner.accessToken, { ...limits, name: 'Sales bot' });
    await teach(
      dashboard.server,
      owner.accessToken,
      returnsBot.id,
      'returns-policy.txt',
      'Returns are accepted within 30 days of delivery with the receipt.',
    );
    // Enough conversations for a second page of 50.
    for (let i = 0; i < 52; i++) await visit(api, returnsBot.id);
    bob = await visit(api, salesBot.id, { text: 'Do you ship to Canada?' });
    const waiting = await openChat(api, returnsBot.id);
    sockets.push(waiting.socket);
    await requestOk(waiting.socket, 'handoff:request', { conversationId: waiting.conversationId });
    ada = await visit(api, returnsBot.id, {
      text: 'How many days do I have for returns?',
      lead: { email: 'ada@example.com', name: 'Ada Lovelace' },
    });
    await runInTenant(owner.tenant.id, async () => {
      const em = dashboard.server.platform.orm.em.fork();
      const conversation = await em.findOneOrFail(Conversation, ada);
      await appendMessage(em, {
        conversation,
        role: 'bot',
        content: 'Sorry, something went wrong on our side.',
        state: 'failed',
      });
    });
  });
  after(async () => {
    sockets.forEach((socket) => socket.close());
    await dashboard?.stop();
  });

  const table = (page: Page) => page.getByRole('table');
  const rowsOf = (page: Page) => table(page).locator('tbody tr');

  it('lists conversations 50 a page with the total, and filters them by bot, mode, waiting and dates', async () => {
    const { context, page } = await dashboard.newPage();
    await signIn(page, owner, '/admin/conversations');
    await page.getByText('1–50 of 55').waitFor();
    assert.equal(await rowsOf(page).count(), 50);
    const first = rowsOf(page).first();
    assert.match(await first.innerText(), /Ada Lovelace/);
    assert.match(await first.innerText(), /Returns helper/);
    await page.getByRole('columnheader', { name: 'Duration' }).waitFor();
    await shot(page, 'conversations-table');

    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('51–55 of 55').waitFor();
    assert.match(page.url(), /page=2/);
    await page.getByRole('button', { name: 'Previous' }).click();
    await page.getByText('1–50 of 55').waitFor();

    await page.getByLabel('Bot', { exact: true }).selectOption({ label: 'Sales bot' });
    await page.getByText('1–1 of 1').waitFor();
    assert.match(await rowsOf(page).first().innerText(), /Sales bot/);
    await page.getByLabel('Bot', { exact: true }).selectOption({ label: 'All bots' });
    await page.getByText('1–50 of 55').waitFor();

    await page.getByLabel('Waiting for a human').check();
    await page.getByText('1–1 of 1').waitFor();
    assert.match(await rowsOf(page).first().innerText(), /Waiting for a person/);
    await page.getByLabel('Waiting for a human').uncheck();

    await dashboard.server.api.post(`/api/conversations/${bob}/takeover`, undefined, owner.accessToken);
    await page.getByLabel('Mode').selectOption('human');
    await page.getByText('1–1 of 1').waitFor();
    assert.match(await rowsOf(page).first().innerText(), /Human · Owner/);
    await page.getByLabel('Mode').selectOption('');

    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const today = new Date().toISOString().slice(0, 10);
    await page.getByLabel('From').fill(tomorrow);
    await page.getByRole('heading', { name: 'No conversation matches these filters' }).waitFor();
    await page.getByLabel('To', { exact: true }).fill(today);
    await page.getByRole('alert').filter({ hasText: 'The start date is after the end date.' }).waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await page.getByText('1–50 of 55').waitFor();
    await context.close();
  });

  it('searches by the visitor’s email and by message text', async () => {
    const { context, page } = await dashboard.newPage();
    await signIn(page, agent, '/admin/conversations');
    await page.getByText('1–50 of 55').waitFor();
    await page.getByLabel('Search').fill('ada@example');
    await page.getByText('1–1 of 1').waitFor();
    assert.match(await rowsOf(page).first().innerText(), /Ada Lovelace/);
    await page.getByLabel('Search').fill('ship to canada');
    await page.waitForURL(/q=ship/);
    await page.getByText('1–1 of 1').waitFor();
    assert.match(await rowsOf(page).first().innerText(), /Sales bot/);
    await page.getByLabel('Search').fill('nobody wrote this');
    await page.getByRole('heading', { name: 'No conversation matches these filters' }).waitFor();
    await context.close();

    const phone = await dashboard.newPage({ width: 375, height: 800 });
    await signIn(phone.page, agent, '/admin/conversations?q=lovelace');
    await phone.page.getByText('1–1 of 1').waitFor();
    await shot(phone.page, 'conversations-table-phone');
    await phone.context.close();
  });

  it('shows the transcript with its sources and failures beside the visitor panel, and exports the PDF', async () => {
    const { context, page } = await dashboard.newPage();
    await signIn(page, agent, '/admin/conversations');
    await page.getByRole('link', { name: 'Ada Lovelace' }).click();
    await page.waitForURL(new RegExp(`/conversations/${ada}$`));
    const transcript = page.getByRole('log', { name: 'Transcript' });
    await transcript.getByText('How many days do I have for returns?').waitFor();
    await transcript.getByText('returns-policy.txt').first().waitFor();
    await transcript.getByText('Answer failed').waitFor();
    const panel = page.getByRole('region', { name: 'Visitor' });
    for (const text of [
      'ada@example.com',
      'AdaBrowser/1.0',
      'https://shop.example/returns',
      'Swiss French (fr-CH)',
    ]) {
      await panel.getByText(text).waitFor();
    }
    assert.match((await panel.getByText(/127\.0\.0\.1|::1/).innerText()).trim(), /127\.0\.0\.1|::1/);
    const { body: detail } = await dashboard.server.api.get(`/api/conversations/${ada}`, owner.accessToken);
    assert.equal(
      await panel.getByRole('link', { name: 'View the lead' }).getAttribute('href'),
      `/admin/leads/${detail.conversation.lead.id}`,
    );
    assert.equal(await page.getByRole('button', { name: 'Delete' }).count(), 0, 'agents cannot delete');
    await shot(page, 'conversations-detail');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export PDF' }).click();
    const file = await download;
    assert.equal(file.suggestedFilename(), `conversation-${ada}.pdf`);
    const text = await pdfText(new Uint8Array(await readFile((await file.path())!)));
    for (const expected of [
      'Conversation with Ada Lovelace',
      'AdaBrowser/1.0',
      'Swiss French (fr-CH)',
      'returns-policy.txt',
    ]) {
      assert.ok(text.includes(expected), `${expected} is not in the PDF`);
    }

    await context.close();

    const phone = await dashboard.newPage({ width: 375, height: 800 });
    await signIn(phone.page, agent, `/admin/conversations/${ada}`);
    await phone.page
      .getByRole('log', { name: 'Transcript' })
      .getByText('returns-policy.txt')
      .first()
      .waitFor();
    await shot(phone.page, 'conversations-detail-phone');
    await phone.context.close();
  });

  it('deletes a conversation after a confirmation (owners and admins)', async () => {
    const { context, page } = await dashboard.newPage();
    await signIn(page, owner, `/admin/conversations/${ada}`);
    await page.getByRole('log', { name: 'Transcript' }).getByText('How many days').waitFor();
    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this conversation?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(
      (await dashboard.server.api.get(`/api/conversations/${ada}`, owner.accessToken)).status,
      200,
    );

    await page.getByRole('button', { name: 'Delete' }).click();
    await dialog.getByRole('button', { name: 'Delete conversation' }).click();
    await page.getByRole('status').filter({ hasText: 'The conversation was deleted.' }).waitFor();
    await page.waitForURL(/\/admin\/conversations$/);
    await page.getByText('1–50 of 54').waitFor();
    assert.equal(await page.getByRole('link', { name: 'Ada Lovelace' }).count(), 0);
    assert.equal(
      (await dashboard.server.api.get(`/api/conversations/${ada}`, owner.accessToken)).status,
      404,
    );

    await page.goto(`/admin/conversations/${ada}`);
    await page.getByRole('alert').filter({ hasText: 'does not exist, or it was deleted' }).waitFor();
    await context.close();
  });
});

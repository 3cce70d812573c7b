import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { AuthResponse } from '@chatbot/shared';
import type { Page } from 'playwright-core';
import { buildTenant } from '../../server/src/testing/factories';
import { drawn, shot, signIn, startDashboard, type Dashboard } from './dashboard';

const HOURS = [
  'Opening hours.',
  'The support desk answers from 8 to 18 on weekdays.',
  'On Saturdays it opens from 10 to 14, and it is closed on Sundays.',
].join('\n');

const blue: [number, number, number] = [37, 99, 235];

/** The widget inside the bot form's live preview (its shadow DOM is open, so locators reach into it). */
const preview = (page: Page) => page.locator('app-bot-preview chat-bot');

/** What the page has been through: a marker that a reload or a navigation away would lose. */
const markPage = (page: Page) => page.evaluate(() => ((window as { mark?: number }).mark = 1));
const stillSamePage = (page: Page) => page.evaluate(() => (window as { mark?: number }).mark === 1);

/**
 * The dashboard's whole way, as issue 8's "Done when" lists it, in one browser and one tenant: a new
 * owner signs in, makes a bot, teaches it a document and watches it complete, chats with it in the live
 * preview while a second tab's inbox shows the conversation arrive, takes it over and answers, sees the
 * visitor's lead and exports it, and finds the analytics charts drawn. Each page leaves a screenshot.
 */
describe('dashboard: the whole journey', function () {
  this.timeout(120_000);
  let dashboard: Dashboard;
  let owner: AuthResponse;

  before(async () => {
    dashboard = await startDashboard();
    owner = await buildTenant(dashboard.server.api);
  });
  after(() => dashboard?.stop());

  it('signs in, builds and teaches a bot, chats, takes over, captures a lead and reads the analytics', async () => {
    const { context, page: admin } = await dashboard.newPage();
    await signIn(admin, owner);
    await shot(admin, 'journey-overview');

    // A bot, created from the list.
    const nav = admin.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: 'Chatbots' }).click();
    await admin.getByRole('link', { name: 'New chatbot' }).click();
    await admin.getByLabel('Name', { exact: true }).fill('Front desk');
    await admin.getByRole('button', { name: 'Create chatbot' }).click();
    await admin.waitForURL(/\/admin\/bots\/[0-9a-f-]{36}$/);
    const botId = admin.url().split('/').pop()!;

    // A document, followed to "Completed" without a reload.
    await admin.getByRole('link', { name: 'Documents', exact: true }).click();
    await admin.waitForURL(new RegExp(`/admin/bots/${botId}/documents$`));
    await markPage(admin);
    await admin
      .getByLabel('Choose files')
      .setInputFiles({ name: 'hours.txt', mimeType: 'text/plain', buffer: Buffer.from(HOURS) });
    const row = admin.getByRole('row').filter({ hasText: 'hours.txt' });
    await row.getByText('Completed').waitFor({ timeout: 60_000 });
    assert.equal(await stillSamePage(admin), true, 'the status changed without a reload');
    await shot(admin, 'journey-documents');

    // A second tab on the live inbox, signed in by the first tab's session.
    const inbox = await context.newPage();
    await inbox.goto('/admin/inbox');
    await inbox.getByRole('heading', { name: 'No active conversations' }).waitFor();
    const activeList = inbox.getByRole('navigation', { name: 'Active conversations' });

    // The bot, still a draft, answers in the preview; the conversation appears in the inbox meanwhile.
    await admin.getByRole('link', { name: 'Front desk' }).click();
    await admin.waitForURL(new RegExp(`/admin/bots/${botId}$`));
    const message = preview(admin).getByRole('textbox', { name: 'Message' });
    await message.fill('When are you open on Saturdays?');
    await message.press('Enter');
    await preview(admin)
      .locator('[data-role="bot"]')
      .filter({ hasText: '10 to 14' })
      .waitFor({ timeout: 20_000 });
    await shot(admin, 'journey-bot-preview');
    const conversationRow = activeList.getByRole('link').first();
    await conversationRow.waitFor();
    assert.match((await conversationRow.textContent())!, /When are you open on Saturdays\?|10 to 14/);

    // An agent's answer, typed in the inbox, reaches the visitor in the preview.
    await conversationRow.click();
    await inbox.getByRole('button', { name: 'Take over' }).click();
    await inbox.getByLabel('Your message').fill('Hello, this is the front desk team. How can we help?');
    await inbox.getByRole('button', { name: 'Send' }).click();
    await preview(admin).getByText('Hello, this is the front desk team. How can we help?').waitFor();
    await shot(inbox, 'journey-inbox-takeover');
    await inbox.getByRole('button', { name: 'Hand back to the bot' }).click();
    await inbox.getByRole('button', { name: 'Take over' }).waitFor();

    // The visitor leaves their details in the widget's lead form.
    await preview(admin).locator('[part~="lead-button"]').click();
    const form = preview(admin).locator('[part~="lead-form"]');
    await form.locator('input[name="email"]').fill('grace@example.com');
    await form.locator('input[name="name"]').fill('Grace Hopper');
    await form.locator('button[type="submit"]').click();
    await preview(admin).getByText("Thanks! We'll be in touch.").waitFor();

    // The lead, in the leads table, exported as CSV.
    await inbox
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Leads' })
      .click();
    await inbox.getByRole('row').filter({ hasText: 'grace@example.com' }).waitFor();
    await shot(inbox, 'journey-leads');
    const [download] = await Promise.all([
      inbox.waitForEvent('download'),
      inbox.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = await readFile((await download.path())!, 'utf8');
    assert.match(csv, /grace@example\.com/);
    assert.match(csv, /Grace Hopper/);

    // Analytics: today's conversation and lead, drawn.
    await inbox
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Analytics' })
      .click();
    await inbox.getByRole('heading', { name: 'Analytics' }).waitFor();
    await drawn(inbox.getByRole('img', { name: 'Conversations, messages and tokens per day' }), blue, 20);
    await drawn(inbox.getByRole('img', { name: 'Conversations per bot' }), blue);
    await drawn(inbox.getByRole('img', { name: 'Leads by status' }), blue);
    await shot(inbox, 'journey-analytics');
    await context.close();
  });
});

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type {
  AuthResponse,
  BotView,
  RetentionSettings,
  StartConversationResponse,
  VisitorDataExport,
} from '@chatbot/shared';
import type { Page } from 'playwright-core';
import { captureOverRest, sayOverRest } from '../../server/src/features/leads/lead-fixtures';
import { startConversation } from '../../server/src/testing/chat-clients';
import { buildBot, buildTenant } from '../../server/src/testing/factories';
import { PASSWORD, shot, signIn, startDashboard, type Dashboard } from './dashboard';

const ADA = 'ada@example.com';

describe('dashboard: privacy settings', function () {
  this.timeout(90_000);
  let dashboard: Dashboard;
  let owner: AuthResponse;
  let admin: AuthResponse;
  let bot: BotView;
  let ada: StartConversationResponse;
  let bob: StartConversationResponse;
  /** What the export said about Ada: the erasure must delete exactly that. */
  let exported: VisitorDataExport;

  before(async () => {
    dashboard = await startDashboard();
    const { server } = dashboard;
    owner = await buildTenant(server.api);
    const invited = await server.api.post<{ token: string }>(
      '/api/users/invitations',
      { email: 'adam.admin@example.com', role: 'admin' },
      owner.accessToken,
    );
    const accepted = await server.api.post<AuthResponse>('/api/auth/accept-invitation', {
      token: invited.body.token,
      name: 'Adam Admin',
      password: PASSWORD,
    });
    assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
    admin = accepted.body;
    bot = await buildBot(server.api, owner.accessToken, {
      status: 'published',
      rateLimits: { perIpPerMinute: 1000, perMinute: 1000 },
    });
    ada = await startConversation(server.api, bot.id);
    await sayOverRest(server, bot.id, ada, 'Do you ship to Lisbon?');
    const lead = await captureOverRest(server, ada, { email: ADA, name: 'Ada Lovelace' });
    assert.equal(lead.status, 201, JSON.stringify(lead.body));
    bob = await startConversation(server.api, bot.id);
    await sayOverRest(server, bot.id, bob, 'What does it cost?');
  });
  after(() => dashboard?.stop());

  const retention = async () =>
    (await dashboard.server.api.get<RetentionSettings>('/api/privacy/retention', owner.accessToken)).body;
  const conversation = (id: string) =>
    dashboard.server.api.get(`/api/conversations/${id}`, owner.accessToken);
  const days = (page: Page) => page.getByLabel('Days to keep conversations');

  it('sets the retention period, after a confirmation, and reads it back', async () => {
    const { context, page } = await dashboard.newPage();
    await signIn(page, owner, '/admin/settings/privacy');
    await page.getByRole('heading', { name: 'Privacy' }).waitFor();
    const forever = page.getByRole('radio', { name: 'Until they are deleted by hand' });
    await forever.waitFor();
    assert.equal(await forever.isChecked(), true);
    await page.getByRole('radio', { name: 'For a number of days after their last message' }).check();
    await days(page).fill('0');
    await page.getByRole('button', { name: 'Save retention' }).click();
    await page.getByText('must be at least 1 day').waitFor();
    assert.equal(await days(page).getAttribute('aria-invalid'), 'true');
    await days(page).fill('90');
    await page.getByRole('button', { name: 'Save retention' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'Delete conversations older than 90 days?' }).waitFor();
    await dialog.getByRole('button', { name: 'Set retention' }).click();
    await page.getByText('Conversations are now kept for 90 days after their last message.').waitFor();
    assert.deepEqual(await retention(), { retentionDays: 90 });
    await page.reload();
    await days(page).waitFor();
    assert.equal(await days(page).inputValue(), '90');
    assert.equal(await page.getByRole('button', { name: 'Save retention' }).isDisabled(), true);
    await shot(page, 'privacy-page');
    await context.close();
  });

  it('shows an admin the retention without letting them change it', async () => {
    const { context, page } = await dashboard.newPage();
    await signIn(page, admin, '/admin/settings/privacy');
    await page.getByText('Only an owner can change the retention period.').waitFor();
    assert.equal(await days(page).inputValue(), '90');
    assert.equal(await days(page).isDisabled(), true);
    assert.equal(await page.getByRole('button', { name: 'Save retention' }).count(), 0);
    await context.close();
  });

  it("exports a visitor's data as a JSON file", async () => {
    const { context, page } = await dashboard.newPage();
    await signIn(page, admin, '/admin/settings/privacy');
    await page.getByLabel("Visitor's email").fill(ADA);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export data (JSON)' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `visitor-data-${ADA}.json`);
    exported = JSON.parse(await readFile((await download.path())!, 'utf8')) as VisitorDataExport;
    assert.deepEqual(exported.subject, { email: ADA });
    assert.deepEqual(
      exported.conversations.map((item) => item.id),
      [ada.conversationId],
    );
    assert.ok(
      exported.conversations[0]!.messages.some((message) => message.content === 'Do you ship to Lisbon?'),
      'the transcript is in the export',
    );
    assert.deepEqual(
      exported.leads.map((lead) => [lead.email, lead.name]),
      [[ADA, 'Ada Lovelace']],
    );
    assert.ok(!JSON.stringify(exported).includes('What does it cost?'), "another visitor's chat stays out");
    await page.getByText(`Everything stored about ${ADA} was downloaded.`).waitFor();
    await context.close();
  });

  it("erases a visitor's data after a confirmation naming the email, and shows what went", async () => {
    assert.ok(exported, 'the export ran first');
    const { context, page } = await dashboard.newPage();
    await signIn(page, admin, '/admin/settings/privacy');
    await page.getByLabel("Visitor's email").fill(ADA);
    await page.getByRole('button', { name: 'Erase data' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: `Erase everything about ${ADA}?` }).waitFor();
    const message = (await dialog.textContent())!;
    for (const words of ['messages', 'leads', 'cannot be undone']) {
      assert.ok(message.includes(words), `the confirmation says ${words}`);
    }
    await shot(page, 'privacy-erase-confirmation');
    await dialog.getByRole('button', { name: 'Erase data' }).click();
    const messages = exported.conversations[0]!.messages.length;
    const history = exported.leads[0]!.history.length;
    const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
    await page
      .getByRole('status')
      .filter({
        hasText:
          `Erased for ${ADA}: 1 conversation, ${plural(messages, 'message', 'messages')}, 1 lead and ` +
          `${plural(history, 'lead history entry', 'lead history entries')}.`,
      })
      .waitFor();
    assert.equal((await conversation(ada.conversationId)).status, 404, "Ada's conversation is gone");
    assert.equal((await conversation(bob.conversationId)).status, 200, "Bob's stays");
    await shot(page, 'privacy-erased');

    // Asked again, there is nothing left to erase.
    await page.getByRole('button', { name: 'Erase data' }).click();
    await dialog.getByRole('button', { name: 'Erase data' }).click();
    await page.getByText(`Nothing was stored about ${ADA}: nothing was erased.`).waitFor();
    await context.close();
  });

  it('fits a phone', async () => {
    const { context, page } = await dashboard.newPage({ width: 375, height: 740 });
    await signIn(page, owner, '/admin/settings/privacy');
    await days(page).waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 375, `nothing sticks out sideways (${width}px)`);
    await shot(page, 'privacy-phone');
    await context.close();
  });
});

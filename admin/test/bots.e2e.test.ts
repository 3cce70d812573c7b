import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { AuthResponse, BotView } from '@chatbot/shared';
import type { BrowserContext, Page } from 'playwright-core';
import { teach } from '../../server/src/testing/documents';
import { buildTenant } from '../../server/src/testing/factories';
import { ARTIFACTS, shot, signIn, startDashboard, type Dashboard } from './dashboard';

/** A 1×1 PNG. */
const PIXEL = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

const HOURS = 'The support desk answers from 8 to 18 on weekdays. On Saturdays it opens from 10 to 14.';

/** The widget inside the live preview (its shadow DOM is open, so locators reach into it). */
const previewWidget = (page: Page) => page.locator('app-bot-preview chat-bot');

/** The launcher's background colour, as the browser draws it. */
const launcherColour = (page: Page) =>
  previewWidget(page)
    .locator('.launcher')
    .evaluate((launcher) => getComputedStyle(launcher).backgroundColor);

/**
 * What the screen shows (not the full page: the form's sticky save bar and the sticky preview would be
 * drawn mid-page in a full-page capture).
 */
const view = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });

/** The bot's id, from the settings page's address. */
const botIdOf = (page: Page) => new URL(page.url()).pathname.split('/').at(-1)!;

describe('dashboard: chatbots', function () {
  this.timeout(90_000);
  let dashboard: Dashboard;
  let owner: AuthResponse;
  let context: BrowserContext;
  let page: Page;
  let botId: string;

  before(async () => {
    dashboard = await startDashboard();
    owner = await buildTenant(dashboard.server.api);
    ({ context, page } = await dashboard.newPage());
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await signIn(page, owner, '/admin/bots');
  });
  after(async () => {
    await context?.close();
    await dashboard?.stop();
  });

  it('shows an empty list that says what to do, and creates a bot', async () => {
    await page.getByRole('heading', { name: 'No chatbots yet' }).waitFor();
    await shot(page, 'bots-list-empty');
    await page.getByRole('link', { name: 'New chatbot' }).click();
    await page.waitForURL(/\/admin\/bots\/new$/);
    await page.getByLabel('Name', { exact: true }).fill('Support desk');
    await page.getByRole('button', { name: 'Create chatbot' }).click();
    await page.waitForURL(/\/admin\/bots\/[0-9a-f-]{36}$/);
    await page.getByText('Support desk was created as a draft.').waitFor();
    botId = botIdOf(page);
    const created = await dashboard.server.api.get<BotView>(`/api/chatbots/${botId}`, owner.accessToken);
    assert.equal(created.body.name, 'Support desk');
    assert.equal(created.body.status, 'draft');
  });

  it('shows validation errors beside their fields before sending anything', async () => {
    const colour = page.getByLabel('Primary colour', { exact: true });
    await colour.fill('#12');
    await colour.blur();
    await page.getByText('must be a colour such as #2563eb').waitFor();
    assert.equal(await colour.getAttribute('aria-invalid'), 'true');

    const origins = page.getByLabel('Allowed origins');
    await origins.fill('https://shop.example.com\nnot a website');
    await origins.blur();
    await page.getByText('Origin 2: must be an origin such as https://example.com').waitFor();

    let patched = false;
    page.on('request', (request) => {
      if (request.method() === 'PATCH') patched = true;
    });
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Some settings need fixing').waitFor();
    assert.equal(patched, false);
    await origins.fill('https://shop.example.com');
  });

  it('shows the typed colour in the live preview before saving, then saves the changes', async () => {
    await previewWidget(page).locator('.launcher').waitFor();
    assert.equal(await launcherColour(page), 'rgb(37, 99, 235)');
    await page.getByLabel('Primary colour', { exact: true }).fill('#ff0000');
    await page.waitForFunction(
      () => {
        const launcher = document
          .querySelector('app-bot-preview chat-bot')
          ?.shadowRoot?.querySelector('.launcher');
        return launcher && getComputedStyle(launcher).backgroundColor === 'rgb(255, 0, 0)';
      },
      undefined,
      { timeout: 5000 },
    );
    await page.getByLabel('Welcome message').fill('Welcome to the support desk!');
    await previewWidget(page).getByText('Welcome to the support desk!').waitFor();
    await page.getByText('Unsaved changes').waitFor();
    const saved = await dashboard.server.api.get<BotView>(`/api/chatbots/${botId}`, owner.accessToken);
    assert.equal(saved.body.appearance.primaryColor, '#2563eb');

    await page.getByLabel('Description').fill('Answers questions about opening hours');
    await page.getByLabel('Model tokens per day').fill('250000');
    await page
      .locator('.group', { has: page.getByLabel('Model tokens per day') })
      .screenshot({ path: join(ARTIFACTS, 'bots-edit-limits.png') });
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Changes saved.').waitFor();
    const after = await dashboard.server.api.get<BotView>(`/api/chatbots/${botId}`, owner.accessToken);
    assert.equal(after.body.appearance.primaryColor, '#ff0000');
    assert.equal(after.body.welcomeMessage, 'Welcome to the support desk!');
    assert.deepEqual(after.body.allowedOrigins, ['https://shop.example.com']);
    assert.equal(after.body.rateLimits.tokensPerDay, 250_000);
    await page.getByText('All changes saved').waitFor();
  });

  it('uploads an avatar, which the preview shows', async () => {
    await page
      .getByLabel('Avatar')
      .setInputFiles({ name: 'avatar.png', mimeType: 'image/png', buffer: PIXEL });
    await page.getByText('Avatar updated.').waitFor();
    await page.getByRole('img', { name: 'Current avatar' }).waitFor();
    const avatar = previewWidget(page).locator('img.avatar');
    await avatar.waitFor();
    assert.match(
      (await avatar.getAttribute('src')) ?? '',
      new RegExp(`/api/public/bot/${botId}/avatar\\?v=`),
    );
    assert.equal(await avatar.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), 1);
  });

  it('chats with the draft bot in the preview and gets an answer', async () => {
    await teach(dashboard.server, owner.accessToken, botId, 'hours.txt', HOURS);
    const input = previewWidget(page).getByRole('textbox', { name: 'Message' });
    await input.fill('When does the support desk open on Saturdays?');
    await input.press('Enter');
    await previewWidget(page)
      .locator('[data-role="bot"]')
      .filter({ hasText: '10 to 14' })
      .waitFor({ timeout: 20_000 });
    // The toasts of the steps before would cover the preview in the picture.
    await page.evaluate(() =>
      document.querySelectorAll<HTMLButtonElement>('app-toasts button').forEach((button) => button.click()),
    );
    await page.evaluate(() => scrollTo(0, 0));
    await view(page, 'bots-form-preview');
  });

  it('publishes the bot and copies its embed code', async () => {
    const embed = page.getByRole('region', { name: 'Embed on your website' });
    await embed.getByText('the code shows nothing on your site until you publish it').waitFor();
    await page.getByRole('button', { name: 'Publish', exact: true }).first().click();
    await page.getByText('Support desk is published.').waitFor();
    await page.getByText('Published', { exact: true }).first().waitFor();
    assert.equal(await embed.getByText('until you publish it').count(), 0);

    await embed.getByRole('button', { name: 'Copy the one line code' }).click();
    await embed
      .getByRole('button', { name: 'Copy the one line code' })
      .filter({ hasText: 'Copied' })
      .waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(
      copied,
      `<script src="${dashboard.server.url}/widget/chat-bot.js" data-bot-id="${botId}" defer></script>`,
    );
    await embed.scrollIntoViewIfNeeded();
    await embed.screenshot({ path: join(ARTIFACTS, 'bots-embed.png') });
  });

  it('asks before leaving a form with unsaved changes', async () => {
    await page.getByLabel('Name', { exact: true }).fill('Support desk 2');
    await page.getByRole('link', { name: '← Chatbots' }).click();
    const dialog = page.getByRole('dialog', { name: 'Leave without saving?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.match(page.url(), new RegExp(`/bots/${botId}$`));
    await page.getByLabel('Name', { exact: true }).fill('Support desk');
    await page.getByRole('link', { name: '← Chatbots' }).click();
    await page.waitForURL(/\/admin\/bots$/);
  });

  it('lists, searches and filters the bots', async () => {
    await page.getByRole('link', { name: 'Support desk' }).waitFor();
    await page.getByText('Showing 1 of 1').waitFor();
    await shot(page, 'bots-list');
    await page.getByLabel('Status').selectOption('draft');
    await page.getByRole('heading', { name: 'No chatbot matches' }).waitFor();
    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Search').fill('support');
    await page.getByRole('link', { name: 'Support desk' }).waitFor();
    await page.getByLabel('Search').fill('');
  });

  it('looks right at a phone width', async () => {
    const phone = await dashboard.newPage({ width: 375, height: 812 });
    await signIn(phone.page, owner, `/admin/bots/${botId}`);
    await phone.page.getByLabel('Name', { exact: true }).waitFor();
    await previewWidget(phone.page).locator('.launcher').waitFor({ state: 'attached' });
    await view(phone.page, 'bots-form-phone');
    await previewWidget(phone.page).scrollIntoViewIfNeeded();
    await view(phone.page, 'bots-preview-phone');
    await phone.page.goto('/admin/bots');
    await phone.page.getByRole('link', { name: 'Support desk' }).waitFor();
    await shot(phone.page, 'bots-list-phone');
    await phone.context.close();
  });

  it('deletes a bot after a confirmation that says what goes with it', async () => {
    await page.getByRole('button', { name: 'Delete Support desk' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete Support desk?' });
    await dialog.getByText(/documents and their files, the vectors of its knowledge base/).waitFor();
    await dialog.getByText(/all its conversations/).waitFor();
    await dialog.getByRole('button', { name: 'Delete chatbot' }).click();
    await page.getByText('Support desk was deleted.').waitFor();
    await page.getByRole('heading', { name: 'No chatbots yet' }).waitFor();
    assert.equal((await dashboard.server.api.get(`/api/chatbots/${botId}`, owner.accessToken)).status, 404);
  });
});

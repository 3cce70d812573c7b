import assert from 'node:assert/strict';
import type { AuthResponse, BotView, WebhooksResponse, WebhookWithSecret } from '@chatbot/shared';
import type { Page } from 'playwright-core';
import { captureOverRest } from '../../server/src/features/leads/lead-fixtures';
import {
  assertSigned,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../server/src/features/webhooks/testing/webhook-receiver';
import { startConversation } from '../../server/src/testing/chat-clients';
import { buildBot, buildTenant } from '../../server/src/testing/factories';
import { shot, signIn, startDashboard, type Dashboard } from './dashboard';

const DISABLE_AFTER = 2;

describe('dashboard: webhook settings', function () {
  this.timeout(90_000);
  let dashboard: Dashboard;
  let owner: AuthResponse;
  let bot: BotView;
  let crm: WebhookReceiver;

  before(async () => {
    dashboard = await startDashboard({
      // The receivers listen on loopback, which webhooks may not reach outside tests.
      allowImportAddress: (address) => address === '127.0.0.1',
      env: { WEBHOOK_RETRY_BASE_MS: '100', WEBHOOK_DISABLE_AFTER_FAILURES: String(DISABLE_AFTER) },
    });
    owner = await buildTenant(dashboard.server.api);
    bot = await buildBot(dashboard.server.api, owner.accessToken, {
      status: 'published',
      rateLimits: { perIpPerMinute: 1000, perMinute: 1000 },
    });
    crm = await startWebhookReceiver(() => ({ status: 200, body: 'thanks from the CRM' }));
  });
  after(async () => {
    await crm?.close();
    await dashboard?.stop();
  });

  const webhooks = async () =>
    (await dashboard.server.api.get<WebhooksResponse>('/api/webhooks', owner.accessToken)).body.webhooks;
  const card = (page: Page, url: string) => page.getByRole('article', { name: `Webhook ${url}` });

  it('refuses an address webhooks may not reach, beside the field', async () => {
    const { context, page } = await dashboard.newPage();
    await signIn(page, owner, '/admin/settings/webhooks');
    await page.getByRole('heading', { name: 'No webhooks yet' }).waitFor();
    await page.getByRole('button', { name: 'Create a webhook' }).click();
    await page.getByLabel('Endpoint URL').fill('http://localhost:9/hooks');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await page.getByText('must not point to localhost').waitFor();
    await shot(page, 'webhooks-form');
    assert.equal(await page.getByLabel('Endpoint URL').getAttribute('aria-invalid'), 'true');
    assert.deepEqual(await webhooks(), []);
    await context.close();
  });

  it('creates a webhook, shows its secret once, and a test reaches the receiver and the log', async () => {
    const { context, page } = await dashboard.newPage();
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await signIn(page, owner, '/admin/settings/webhooks');
    await page.getByRole('button', { name: 'New webhook' }).click();
    await page.getByLabel('Endpoint URL').fill(crm.url);
    await page.getByLabel('Description (optional)').fill('CRM sync');
    await page.getByRole('checkbox', { name: /lead\.updated/ }).check();
    await page.getByRole('button', { name: 'Create webhook' }).click();

    const secretField = page.getByRole('textbox', { name: 'Signing secret' });
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    assert.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/);
    await page.getByText('it is shown only this once').waitFor();
    await page.getByText(/HMAC-SHA256 of <timestamp>\.<raw body>/).waitFor();
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
    const [saved] = await webhooks();
    assert.deepEqual(saved!.events, ['lead.created', 'lead.updated']);
    await shot(page, 'webhooks-secret');
    await page.getByRole('button', { name: 'I have saved it' }).click();
    await secretField.waitFor({ state: 'detached' });
    await page.reload();
    await card(page, crm.url).waitFor();
    assert.ok(!(await page.content()).includes(secret), 'the secret is never shown again');

    const hook = card(page, crm.url);
    await hook.getByText('Nothing sent yet').waitFor();
    await hook.getByRole('button', { name: 'Send test' }).click();
    await hook.getByText('Test delivered: the receiver answered HTTP 200').waitFor();
    await hook.getByText('thanks from the CRM').waitFor();
    const [request] = await crm.waitFor(1);
    assertSigned(request!, secret);
    assert.equal(request!.headers['x-webhook-event'], 'webhook.test');
    await hook.locator('.health').getByText('Succeeded').waitFor();

    await hook.getByRole('button', { name: 'Delivery log' }).click();
    const log = page.getByRole('region', { name: `Delivery log of ${crm.url}` });
    const entry = log.getByRole('row').filter({ hasText: 'webhook.test' });
    await entry.waitFor();
    for (const text of ['Succeeded', '200', 'thanks from the CRM']) {
      assert.ok((await entry.textContent())!.includes(text), `the log shows ${text}`);
    }
    await shot(page, 'webhooks-delivery-log');
    await context.close();
  });

  it('rotates the secret after a confirmation and shows the new one once', async () => {
    const { context, page } = await dashboard.newPage();
    await signIn(page, owner, '/admin/settings/webhooks');
    await card(page, crm.url).getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate secret' }).click();
    const secret = await page.getByRole('textbox', { name: 'Signing secret' }).inputValue();
    assert.match(secret, /^whsec_/);
    await page.getByText('The old secret no longer works.').waitFor();
    await card(page, crm.url).getByRole('button', { name: 'Send test' }).click();
    await card(page, crm.url).getByText('Test delivered').waitFor();
    const requests = await crm.waitFor(2);
    assertSigned(requests[1]!, secret);
    await context.close();
  });

  it('shows a webhook the platform disabled after failing, as a toast and in the list', async () => {
    const broken = await startWebhookReceiver(() => ({ status: 500, body: 'down for maintenance' }));
    try {
      const created = await dashboard.server.api.post<WebhookWithSecret>(
        '/api/webhooks',
        { url: broken.url, events: ['lead.created'] },
        owner.accessToken,
      );
      assert.equal(created.status, 201);
      const { context, page } = await dashboard.newPage();
      await signIn(page, owner, '/admin/settings/webhooks');
      await card(page, broken.url).waitFor();
      const visitor = await startConversation(dashboard.server.api, bot.id);
      const captured = await captureOverRest(dashboard.server, visitor, { email: 'ada@example.com' });
      assert.equal(captured.status, 201);
      await broken.waitFor(DISABLE_AFTER);
      await page
        .getByRole('alert')
        .filter({ hasText: `${broken.url} was disabled` })
        .waitFor();
      const hook = card(page, broken.url);
      await hook.getByText('The platform switched this webhook off').waitFor();
      assert.equal(await hook.getByRole('checkbox', { name: /^Enabled/ }).isChecked(), false);
      await hook.locator('.health').getByText('Failed').waitFor();
      await shot(page, 'webhooks-list');
      await context.close();
    } finally {
      await broken.close();
    }
  });

  it('disables and deletes a webhook, deleting only after confirmation', async () => {
    const { context, page } = await dashboard.newPage();
    await signIn(page, owner, '/admin/settings/webhooks');
    const hook = card(page, crm.url);
    await hook.getByRole('checkbox', { name: /^Enabled/ }).uncheck();
    await page.getByRole('status').filter({ hasText: 'Webhook disabled' }).waitFor();
    assert.equal((await webhooks()).find((webhook) => webhook.url === crm.url)!.enabled, false);
    await page.reload();
    assert.equal(await hook.getByRole('checkbox', { name: /^Enabled/ }).isChecked(), false);

    await hook.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Delete this webhook?').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.ok(
      (await webhooks()).some((webhook) => webhook.url === crm.url),
      'kept after Cancel',
    );
    await hook.getByRole('button', { name: 'Delete' }).click();
    await dialog.getByRole('button', { name: 'Delete webhook' }).click();
    await hook.waitFor({ state: 'detached' });
    assert.ok(!(await webhooks()).some((webhook) => webhook.url === crm.url), 'deleted');
    await context.close();
  });

  it('fits a phone', async () => {
    const { context, page } = await dashboard.newPage({ width: 375, height: 812 });
    await signIn(page, owner, '/admin/settings/webhooks');
    await page.getByRole('article').first().waitFor();
    await page.getByRole('article').first().getByRole('button', { name: 'Delivery log' }).click();
    await page
      .getByRole('region', { name: /^Delivery log of/ })
      .getByRole('table')
      .waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 375, `the page is ${width} px wide`);
    await shot(page, 'webhooks-phone');
    await context.close();
  });
});

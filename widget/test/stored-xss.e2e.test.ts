import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AuthResponse, BotView, ConversationDetail } from '@chatbot/shared';
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeOpenAI } from '@chatbot/shared/testing';
import type { Browser, Page } from 'playwright-core';
import {
  clientMessageId,
  connectAdmin,
  requestOk,
  type AdminSocket,
} from '../../server/src/testing/chat-clients';
import { teach } from '../../server/src/testing/documents';
import { buildBot, buildTenant } from '../../server/src/testing/factories';
import { startTestServer, type TestServer } from '../../server/src/testing/test-server';
import {
  ALL_PAYLOADS,
  JAVASCRIPT_URL,
  XSS_PAYLOADS,
  type XssPayload,
} from '../../server/src/testing/xss-payloads';
import { launchBrowser } from './browser';
import { assertNoXss, watchPage } from './xss-marker';

/** The agent's name holds payloads too: the widget shows it in its header and above each reply. */
const AGENT_NAME = `${XSS_PAYLOADS[1]!.text}${XSS_PAYLOADS[6]!.text}`;

/**
 * What a Markdown-rendered message shows of the payloads: the characters of every plain one. Markdown
 * syntax becomes markup (a link with an unsafe target reads as its text alone), and `__` is Markdown's
 * strong emphasis, so the comparison is made without underscores.
 */
const markdownShown = (payloads: readonly XssPayload[]) =>
  payloads.filter((p) => !p.markdown).map((p) => p.text.replaceAll('_', ''));

const RETURNS = 'Customers can return any product within 30 days of delivery for a full refund.';

describe('stored XSS: the widget shows hostile settings and messages as text', function () {
  this.timeout(60_000);
  let fake: FakeOpenAI;
  let server: TestServer;
  let site: Server;
  let siteUrl: string;
  let browser: Browser;
  let owner: AuthResponse;
  let bot: BotView;
  let admin: AdminSocket;

  before(async () => {
    fake = await startFakeOpenAI();
    server = await startTestServer({
      env: { OPENAI_API_KEY: FAKE_OPENAI_KEY, OPENAI_BASE_URL: fake.url },
    });
    owner = await buildTenant(server.api, { name: AGENT_NAME });
    bot = await buildBot(server.api, owner.accessToken, {
      name: XSS_PAYLOADS[0]!.text,
      status: 'published',
      welcomeMessage: ALL_PAYLOADS,
      appearance: { botName: XSS_PAYLOADS[0]!.text },
      rateLimits: { perIpPerMinute: 1000, perMinute: 1000 },
    });
    // Without a document that matches, the bot says it does not know instead of asking the model.
    await teach(server, owner.accessToken, bot.id, 'returns.txt', RETURNS);
    const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"></head>
<body><h1>Tenant site</h1><script src="${server.url}/widget/chat-bot.js" data-bot-id="${bot.id}" defer></script></body></html>`;
    site = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page));
    await new Promise<void>((resolve) => site.listen(0, 'localhost', resolve));
    siteUrl = `http://localhost:${(site.address() as { port: number }).port}/`;
    browser = await launchBrowser();
    admin = await connectAdmin(server.url, owner.accessToken);
  });
  after(async () => {
    admin?.disconnect();
    await browser?.close();
    await new Promise((resolve) => site?.close(resolve));
    await server?.stop();
    await fake?.stop();
  });

  const chat = (page: Page) => page.locator('chat-bot');
  const header = (page: Page) => chat(page).locator('h2#chat-title');
  const finished = (page: Page, role: string) => chat(page).locator(`[role="log"] [data-role="${role}"]`);

  it('has a marker that catches each payload rendered as HTML, in a shadow root too', async () => {
    const context = await browser.newContext();
    try {
      for (const { text, markdown } of XSS_PAYLOADS) {
        if (markdown || text.startsWith('{{')) continue;
        const page = await context.newPage();
        const watched = watchPage(page);
        const html = text === JAVASCRIPT_URL ? `<a href="${text}">x</a>` : text;
        await page.setContent('<div id="host"></div>');
        await page.evaluate((markup) => {
          const root = document.getElementById('host')!.attachShadow({ mode: 'open' });
          root.innerHTML = markup;
        }, html);
        await assert.rejects(assertNoXss(watched, text), /ran|script-running markup/, text);
        await page.close();
      }
    } finally {
      await context.close();
    }
  });

  it('refuses a colour or an avatar that is not one, so no CSS or URL payload is ever stored', async () => {
    for (const appearance of [
      { primaryColor: `red;background:url(${JAVASCRIPT_URL})` },
      { primaryColor: '#0f766e;background-image:url(javascript:window.__xss=4)' },
      { avatarUrl: JAVASCRIPT_URL },
      { avatarUrl: 'data:image/svg+xml,<svg onload="window.__xss=3">' },
    ]) {
      const response = await server.api.patch(`/api/chatbots/${bot.id}`, { appearance }, owner.accessToken);
      assert.equal(response.status, 400, JSON.stringify({ appearance, body: response.body }));
    }
    const { body } = await server.api.get<BotView>(`/api/chatbots/${bot.id}`, owner.accessToken);
    assert.deepEqual([body.appearance.primaryColor, body.appearance.avatarUrl], ['#2563eb', null]);
  });

  it('shows the bot name, welcome message, answers, agent messages and the visitor’s own, and runs none', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      const watched = watchPage(page);
      await page.goto(siteUrl);
      await chat(page).locator('[part~="launcher"]').click();
      await chat(page).locator('[data-role="welcome"]').waitFor();
      // The welcome message is plain text: every payload shows as the characters it is.
      await assertNoXss(watched, 'welcome message', [...XSS_PAYLOADS.map((p) => p.text)]);

      // The model answers a question the documents cover with every payload, streamed; then the visitor
      // sends every payload (which the bot cannot answer).
      fake.replyWith(ALL_PAYLOADS);
      const input = chat(page).locator('textarea[part~="input"]');
      await input.fill('How many days do I have to return a product?');
      await input.press('Enter');
      await finished(page, 'bot').last().waitFor();
      await input.fill(ALL_PAYLOADS);
      await input.press('Enter');
      await finished(page, 'bot').nth(1).waitFor();
      await assertNoXss(watched, 'visitor message and streamed answer', [
        ...XSS_PAYLOADS.map((p) => p.text),
        ...markdownShown(XSS_PAYLOADS),
      ]);

      // Each payload as the bot's name in the header: changed live (over the socket the
      // first message opened), as a tenant edits it.
      for (const { text } of XSS_PAYLOADS) {
        const patched = await server.api.patch(
          `/api/chatbots/${bot.id}`,
          { appearance: { botName: text } },
          owner.accessToken,
        );
        assert.equal(patched.status, 200, JSON.stringify(patched.body));
        await page.waitForFunction(
          (name) =>
            document
              .querySelector('chat-bot')
              ?.shadowRoot?.querySelector('chat-bot-window')
              ?.shadowRoot?.querySelector('#chat-title')?.textContent === name,
          text,
        );
        await assertNoXss(watched, `bot name ${text}`, [text]);
      }

      // An agent takes over (their name holds payloads) and sends every payload.
      const saved = await page.evaluate(
        (key) => JSON.parse(localStorage.getItem(key)!),
        `chat-bot:${bot.id}`,
      );
      const conversationId: string = saved.conversationId;
      await requestOk(admin, 'conversation:takeover', { conversationId });
      await requestOk(admin, 'message:send', {
        conversationId,
        text: ALL_PAYLOADS,
        clientMessageId: clientMessageId(),
      });
      await finished(page, 'agent').last().waitFor();
      await header(page).filter({ hasText: AGENT_NAME }).waitFor();
      await assertNoXss(watched, 'agent name and message', [AGENT_NAME, ...markdownShown(XSS_PAYLOADS)]);

      // After a reload the transcript comes back from the server: stored content, shown again.
      await page.reload();
      await chat(page).locator('[part~="launcher"]').click();
      await finished(page, 'agent').last().waitFor();
      await assertNoXss(watched, 'transcript after a reload', [
        AGENT_NAME,
        ...XSS_PAYLOADS.map((p) => p.text),
        ...markdownShown(XSS_PAYLOADS),
      ]);
      const { body } = await server.api.get<ConversationDetail>(
        `/api/conversations/${conversationId}`,
        owner.accessToken,
      );
      assert.deepEqual(
        body.messages.filter((m) => m.content === ALL_PAYLOADS).map((m) => m.role),
        ['bot', 'visitor', 'agent'],
        'a payload was changed or dropped when stored',
      );
      assert.deepEqual(errors, []);
      await requestOk(admin, 'conversation:release', { conversationId });
    } finally {
      await context.close();
    }
  });
});

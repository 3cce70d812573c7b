import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AuthResponse, BotView, StartConversationResponse } from '@chatbot/shared';
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeOpenAI } from '@chatbot/shared/testing';
import type { Page } from 'playwright-core';
import { teach, upload, waitForStatus } from '../../server/src/testing/documents';
import { buildBot, buildTenant } from '../../server/src/testing/factories';
import {
  ALL_PAYLOADS,
  FILE_NAME_PAYLOADS,
  JAVASCRIPT_URL,
  XSS_PAYLOADS,
} from '../../server/src/testing/xss-payloads';
import { assertNoXss, watchPage } from '../../widget/test/xss-marker';
import { PASSWORD, signIn, startDashboard, type Dashboard } from './dashboard';

const TEXTS = XSS_PAYLOADS.map((p) => p.text);
const RETURNS = 'Customers can return any product within 30 days of delivery for a full refund.';
const QUESTION = 'How many days do I have to return a product?';

/**
 * Hostile content stored by visitors (messages, names, companies, referrers, browsers), by members of
 * the team (their names, bot settings, document names, webhooks, lead notes) and by the model (answers,
 * the assistant's), then viewed by the owner in the dashboard: shown as text, never run.
 */
describe('stored XSS: the dashboard shows hostile content as text', function () {
  this.timeout(120_000);
  let fake: FakeOpenAI;
  let dashboard: Dashboard;
  let site: Server;
  let importUrl: string;
  let owner: AuthResponse;
  const bots: BotView[] = [];
  /** A visitor per payload: it is their referrer, browser, question, name and company. */
  const visitors: Array<StartConversationResponse & { leadId: string }> = [];

  before(async () => {
    fake = await startFakeOpenAI();
    fake.replyWith(ALL_PAYLOADS);
    site = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<title>Returns</title><p>${RETURNS}</p>`),
    );
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    // The URL a member imports: the document is named after it.
    importUrl = `http://127.0.0.1:${(site.address() as { port: number }).port}/?q=${XSS_PAYLOADS[1]!.text}`;
    dashboard = await startDashboard({
      env: { OPENAI_API_KEY: FAKE_OPENAI_KEY, OPENAI_BASE_URL: fake.url },
      allowImportAddress: () => true,
    });
    const { api } = dashboard.server;
    owner = await buildTenant(api, { name: 'Olive Owner' });
    const token = owner.accessToken;

    for (const [i, text] of TEXTS.entries()) {
      const invitation = await api.post(
        '/api/users/invitations',
        { email: `agent-${i}@example.com`, role: 'agent' },
        token,
      );
      assert.equal(invitation.status, 201, JSON.stringify(invitation.body));
      const accepted = await api.post('/api/auth/accept-invitation', {
        token: invitation.body.token,
        name: text,
        password: PASSWORD,
      });
      assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
      bots.push(
        await buildBot(api, token, {
          name: text,
          description: ALL_PAYLOADS,
          // Not the bot that answers: an answer repeating its instructions is withheld as a disclosure.
          instructions: i === 0 ? 'Answer from the documents.' : ALL_PAYLOADS,
          welcomeMessage: ALL_PAYLOADS,
          appearance: { botName: text },
          status: 'published',
          rateLimits: { perIpPerMinute: 1000, perMinute: 1000 },
        }),
      );
      const webhook = await api.post(
        '/api/webhooks',
        { url: `https://hooks.example.com/in?from=${text}`, description: text, events: ['lead.created'] },
        token,
      );
      assert.equal(webhook.status, 201, JSON.stringify(webhook.body));
    }
    const bot = bots[0]!;
    // A document the visitors' first question matches, so the model (answering with payloads) is asked.
    await teach(dashboard.server, token, bot.id, 'returns.txt', RETURNS);

    for (const [i, text] of TEXTS.entries()) {
      const started = await api.request<StartConversationResponse>(
        'POST',
        `/api/public/conversation/${bot.id}/start`,
        {
          headers: { 'user-agent': text },
          body: { referrer: text },
        },
      );
      assert.equal(started.status, 201, JSON.stringify(started.body));
      const headers = { authorization: `Bearer ${started.body.visitorToken}` };
      const { conversationId } = started.body;
      for (const message of i === 0 ? [QUESTION, ALL_PAYLOADS] : [text]) {
        const chat = await api.request('POST', `/api/public/chat/${bot.id}`, {
          headers,
          body: { conversationId, message },
        });
        assert.equal(chat.status, 200, JSON.stringify(chat.body));
      }
      const lead = await api.request<{ leadId: string }>(
        'POST',
        `/api/public/conversation/${conversationId}/capture-lead`,
        {
          headers,
          body: { email: `visitor-${i}@example.com`, name: text, company: text, consent: true },
        },
      );
      assert.equal(lead.status, 201, JSON.stringify(lead.body));
      visitors.push({ ...started.body, leadId: lead.body.leadId });
    }
    const note = await api.post(`/api/leads/${visitors[0]!.leadId}/notes`, { text: ALL_PAYLOADS }, token);
    assert.equal(note.status, 201, JSON.stringify(note.body));

    const files = FILE_NAME_PAYLOADS.map((p) => ({
      name: `${p.text}.txt`,
      bytes: Buffer.from(RETURNS),
      type: 'text/plain',
    }));
    const uploaded = await upload(dashboard.server, token, bot.id, files);
    assert.equal(uploaded.status, 202, JSON.stringify(uploaded.body));
    const imported = await api.post('/api/documents/url', { botId: bot.id, url: importUrl }, token);
    assert.equal(imported.status, 202, JSON.stringify(imported.body));
    for (const document of [...uploaded.body.documents, imported.body]) {
      await waitForStatus(dashboard.server, token, document.id, ['completed', 'failed']);
    }
  });
  after(async () => {
    await dashboard?.stop();
    await fake?.stop();
    await new Promise((resolve) => site?.close(resolve));
  });

  /** The owner's browser at `path`, watched for anything a payload would do. */
  async function open(path: string) {
    const { context, page } = await dashboard.newPage();
    const watched = watchPage(page);
    await signIn(page, owner, path);
    return { context, page, watched };
  }
  /** Clicks every link of the page whose text is a payload: a stored `href` runs on a click, if at all. */
  async function clickPayloadLinks(page: Page) {
    const links = page.locator('a').filter({ hasText: /__xss|javascript:/ });
    for (const link of await links.all()) {
      await link.hover();
      await link.click();
    }
    return links.count();
  }

  it('serves the dashboard with a Content-Security-Policy that allows no inline script', async () => {
    const response = await fetch(`${dashboard.server.url}/admin/`);
    const policy = response.headers.get('content-security-policy') ?? '';
    const scripts = /(?:^|;)\s*script-src ([^;]*)/.exec(policy)?.[1] ?? '';
    assert.match(scripts, /'self'/, policy);
    assert.doesNotMatch(scripts, /'unsafe-inline'|'unsafe-eval'/, policy);
    assert.match(policy, /object-src 'none'/);
  });

  it('conversations: the list, and a transcript with the visitor’s details', async () => {
    const { context, page, watched } = await open('/admin/conversations');
    await assertNoXss(watched, 'conversation list', TEXTS);
    await page.goto(`/admin/conversations/${visitors[0]!.conversationId}`);
    await assertNoXss(watched, 'conversation detail', TEXTS);
    // Both the visitor's message and the model's answer hold every payload, as text.
    const bubbles = page.getByRole('log', { name: 'Transcript' }).locator('.bubble');
    assert.equal(await bubbles.filter({ hasText: ALL_PAYLOADS }).count(), 2);
    // The visitor whose referrer is a javascript: URL: its link is followed, and runs nothing.
    const javascript = visitors[TEXTS.indexOf(JAVASCRIPT_URL)]!;
    await page.goto(`/admin/conversations/${javascript.conversationId}`);
    await assertNoXss(watched, 'conversation detail with a javascript: referrer', [JAVASCRIPT_URL]);
    assert.ok((await clickPayloadLinks(page)) > 0, 'the referrer is not a link');
    await assertNoXss(watched, 'after clicking the referrer');
    await context.close();
  });

  it('live inbox: the active conversations and one of them', async () => {
    const { context, page, watched } = await open('/admin/inbox');
    await page.getByRole('navigation', { name: 'Active conversations' }).getByRole('link').first().waitFor();
    await assertNoXss(watched, 'inbox list');
    await page.goto(`/admin/inbox/${visitors[0]!.conversationId}`);
    await assertNoXss(watched, 'inbox conversation', TEXTS);
    await context.close();
  });

  it('leads: the table, and a lead’s detail with its note', async () => {
    const { context, page, watched } = await open('/admin/leads');
    await assertNoXss(watched, 'lead list', TEXTS);
    await page.goto(`/admin/leads/${visitors[0]!.leadId}`);
    await assertNoXss(watched, 'lead detail', TEXTS);
    await context.close();
  });

  it('documents: uploaded file names and an imported URL', async () => {
    const { context, watched } = await open(`/admin/bots/${bots[0]!.id}/documents`);
    await assertNoXss(watched, 'documents', [...FILE_NAME_PAYLOADS.map((p) => `${p.text}.txt`), importUrl]);
    await context.close();
  });

  it('chatbots: the list, and each bot’s settings with the live preview', async () => {
    const { context, page, watched } = await open('/admin/bots');
    await assertNoXss(watched, 'bot list', TEXTS);
    for (const bot of bots) {
      await page.goto(`/admin/bots/${bot.id}`);
      await assertNoXss(watched, `bot settings of ${bot.name}`, TEXTS);
    }
    await context.close();
  });

  it('settings: webhooks and the team', async () => {
    const { context, page, watched } = await open('/admin/settings/webhooks');
    await assertNoXss(watched, 'webhooks', [...TEXTS, `https://hooks.example.com/in?from=${TEXTS[0]}`]);
    await page.goto('/admin/settings/team');
    await assertNoXss(watched, 'team', TEXTS);
    await context.close();
  });

  it('analytics: the unanswered questions', async () => {
    const { context, watched } = await open('/admin/analytics');
    await assertNoXss(watched, 'analytics', TEXTS.slice(1));
    await context.close();
  });

  it('the assistant panel: a model answer made of payloads', async () => {
    const { context, page, watched } = await open('/admin/');
    await page.getByRole('button', { name: 'Assistant' }).click();
    const question = page.getByRole('textbox', { name: 'Ask the assistant' });
    await question.fill('How do I add a document?');
    await question.press('Enter');
    await page.locator('.answer .content:not(.streaming)').waitFor();
    await assertNoXss(watched, 'assistant answer', TEXTS);
    await context.close();
  });
});

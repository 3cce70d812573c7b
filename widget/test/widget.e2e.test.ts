import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { AuthResponse, BotView, ConversationDetail } from '@chatbot/shared';
import { Conversation, runAsSystem } from '@chatbot/shared/platform';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../../server/src/testing/test-server';
import { buildBot, buildTenant } from '../../server/src/testing/factories';
import { teach } from '../../server/src/testing/documents';
import {
  clientMessageId,
  connectAdmin,
  requestOk,
  type AdminSocket,
} from '../../server/src/testing/chat-clients';
import { launchBrowser } from './browser';
import { startCutProxy, type CutProxy } from './cut-proxy';

/** Screenshots of the open widget, kept after the run (git ignores them). */
const ARTIFACTS = join(import.meta.dirname, 'artifacts');

const POLICY = [
  'Returns and refunds.',
  'Customers can return any product within 30 days of delivery for a full refund.',
  'Refunds are paid back to the original card within 5 business days.',
  '',
  'Shipping.',
  'Orders placed before 2 pm ship the same day from our warehouse in Lyon.',
].join('\n');

/** The host pages: a tenant's site, on another origin than the platform. */
function hostPage(body: string, css = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<style>${css}</style></head><body><h1>Tenant site</h1><p>Some content.</p>${body}</body></html>`;
}

/** Global rules a careless site might have; none may reach the widget. */
const HOSTILE_CSS = `
  html { font-size: 62.5%; }
  * { margin: 0; padding: 0; box-sizing: content-box; font-family: "Comic Sans MS", cursive; line-height: 3; letter-spacing: 0.2em; }
  div, section, header, form, p, span { border: 3px dashed #7c3aed !important; color: #be185d !important; text-transform: uppercase !important; }
  button, input, textarea { all: unset; background: #000 !important; color: #0f0 !important; font-size: 8px !important; }
  svg { display: none; }
  [role="dialog"], [role="log"] { display: none !important; }
`;

describe('the <chat-bot> widget in Chromium', function () {
  this.timeout(60_000);
  let server: TestServer;
  let proxy: CutProxy;
  let site: Server;
  let siteUrl: string;
  let browser: Browser;
  let owner: AuthResponse;
  let bot: BotView;
  let elsewhereBot: BotView;
  let strictBot: BotView;
  let admin: AdminSocket;
  const contexts: BrowserContext[] = [];

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // The handoff sweep runs often, so a visitor's wait can end within the test.
    server = await startTestServer({ env: { CHAT_SWEEP_MS: '300' } });
    owner = await buildTenant(server.api, { name: 'Dana Agent' });
    bot = await buildBot(server.api, owner.accessToken, {
      name: 'Acme Help',
      status: 'published',
      welcomeMessage: 'Hello! Ask me about returns or shipping.',
      appearance: { botName: 'Acme Help', primaryColor: '#0f766e' },
      // Every visitor of these tests comes from 127.0.0.1: the default 20 a minute would run out.
      rateLimits: { perIpPerMinute: 1000, perMinute: 1000 },
    });
    await teach(server, owner.accessToken, bot.id, 'policies.txt', POLICY);
    elsewhereBot = await buildBot(server.api, owner.accessToken, {
      status: 'published',
      allowedOrigins: ['https://elsewhere.example'],
    });
    // Two requests a minute from one address: the start and the first message.
    strictBot = await buildBot(server.api, owner.accessToken, {
      status: 'published',
      rateLimits: { perIpPerMinute: 2, perMinute: 1000 },
    });
    proxy = await startCutProxy(Number(new URL(server.url).port));
    const loader = `${proxy.url}/widget/chat-bot.js`;
    const pages: Record<string, string> = {
      '/hostile': hostPage(`<script src="${loader}" data-bot-id="${bot.id}" defer></script>`, HOSTILE_CSS),
      '/element-ar': hostPage(
        `<script type="module" src="${loader}"></script><chat-bot bot-id="${bot.id}" lang="ar"></chat-bot>`,
      ),
      '/themed': hostPage(
        `<script src="${loader}" data-bot-id="${bot.id}" data-position="bottom-left" defer></script>`,
        'chat-bot { --chat-bot-primary: #7c2d12; } chat-bot::part(launcher) { border-radius: 8px; } chat-bot::part(header) { letter-spacing: 1px; }',
      ),
      '/strict': hostPage(`<script src="${loader}" data-bot-id="${strictBot.id}" defer></script>`),
      '/forbidden': hostPage(`<script src="${loader}" data-bot-id="${elsewhereBot.id}" defer></script>`),
      '/unknown': hostPage(`<script src="${loader}" data-bot-id="${randomUUID()}" defer></script>`),
      '/down': hostPage(
        `<script src="${loader}" data-bot-id="${bot.id}" data-server="http://127.0.0.1:9" defer></script>`,
      ),
    };
    site = createServer((req, res) => {
      const page = pages[req.url ?? ''];
      res
        .writeHead(page ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' })
        .end(page ?? 'not found');
    });
    await new Promise<void>((resolve) => site.listen(0, 'localhost', resolve));
    siteUrl = `http://localhost:${(site.address() as { port: number }).port}`;
    browser = await launchBrowser();
    admin = await connectAdmin(server.url, owner.accessToken);
  });

  after(async () => {
    admin?.disconnect();
    await browser?.close();
    await proxy?.close();
    await new Promise((resolve) => site?.close(resolve));
    await server?.stop();
  });

  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });

  /** A visitor's browser (its own localStorage) on a page of the tenant's site, with page errors collected. */
  async function visit(path: string, options: Parameters<Browser['newContext']>[0] = {}) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(siteUrl + path);
    return { context, page, errors };
  }

  const launcher = (page: Page) => page.locator('chat-bot [part~="launcher"]');
  const input = (page: Page) => page.locator('chat-bot textarea[part~="input"]');
  const log = (page: Page) => page.locator('chat-bot [role="log"]');
  const finished = (page: Page, role: string) => log(page).locator(`[data-role="${role}"]`);

  async function openAndAsk(page: Page, question: string) {
    await launcher(page).click();
    await input(page).fill(question);
    await input(page).press('Enter');
  }

  /** The conversation this page's widget saved, as the server has it. */
  async function serverTranscript(page: Page, botId = bot.id): Promise<ConversationDetail> {
    const saved = await page.evaluate(
      (key) => JSON.parse(localStorage.getItem(key) ?? 'null'),
      `chat-bot:${botId}`,
    );
    assert.ok(saved?.conversationId, 'the widget saved no conversation');
    const response = await server.api.get<ConversationDetail>(
      `/api/conversations/${saved.conversationId}`,
      owner.accessToken,
    );
    assert.equal(response.status, 200);
    return response.body;
  }

  it('embedded by the one-line loader on a hostile page: opens, streams a cited answer, and keeps its own look', async () => {
    const { page, errors } = await visit('/hostile');
    await launcher(page).waitFor();
    const box = await launcher(page).boundingBox();
    assert.deepEqual([box?.width, box?.height], [60, 60], 'the page resized the launcher');

    // Record what the transcript shows while the answer streams.
    await launcher(page).click();
    await input(page).waitFor();
    await page.evaluate(() => {
      const root = document
        .querySelector('chat-bot')!
        .shadowRoot!.querySelector('chat-bot-window')!.shadowRoot!;
      const trace = { draftLengths: [] as number[], streamingInLog: 0 };
      (window as unknown as { trace: typeof trace }).trace = trace;
      new MutationObserver(() => {
        const draft = root.querySelector('.draft [data-role="bot"]');
        if (draft) trace.draftLengths.push(draft.textContent!.length);
        if (root.querySelector('[role="log"] [data-state="streaming"]')) trace.streamingInLog++;
      }).observe(root, { subtree: true, childList: true, characterData: true });
    });
    await input(page).fill('How many days do I have to return a product for a refund?');
    await input(page).press('Enter');

    const answer = finished(page, 'bot').last();
    await answer.waitFor();
    assert.match(await answer.innerText(), /within 30 days of delivery/);
    assert.equal(await answer.locator('sup.citation').first().innerText(), '[1]');
    assert.match(await answer.locator('[part~="sources"]').innerText(), /policies\.txt/);
    const trace = await page.evaluate(
      () => (window as unknown as { trace: { draftLengths: number[]; streamingInLog: number } }).trace,
    );
    assert.ok(
      new Set(trace.draftLengths).size > 1,
      `the answer did not stream: ${JSON.stringify(trace.draftLengths)}`,
    );
    assert.equal(trace.streamingInLog, 0, 'a half-written answer reached the live region');

    // The page's CSS reached nothing inside: sizes, colours and visibility are the widget's own.
    const style = (selector: string, property: string) =>
      page
        .locator(`chat-bot ${selector}`)
        .first()
        .evaluate((element, name) => getComputedStyle(element).getPropertyValue(name), property);
    assert.deepEqual(
      {
        dialog: await style('[role="dialog"]', 'display'),
        log: await style('[role="log"]', 'display'),
        text: await style('.message.bot', 'font-size'),
        comicSans: /Comic/.test(await style('.message.bot', 'font-family')),
        input: await style('textarea', 'font-size'),
        header: await style('header', 'background-color'),
        icon: await style('.send svg', 'display'),
      },
      {
        dialog: 'flex',
        log: 'flex',
        text: '15px',
        comicSans: false,
        input: '16px',
        header: 'rgb(15, 118, 110)',
        icon: 'block',
      },
    );
    await page.screenshot({ path: join(ARTIFACTS, 'widget-desktop.png') });
    assert.deepEqual(errors, []);
  });

  it('continues the same conversation after a reload, without duplicates', async () => {
    // A browser in Brazilian Portuguese whose header says otherwise: the widget sends navigator.language.
    const { page } = await visit('/hostile', {
      locale: 'pt-BR',
      extraHTTPHeaders: { 'accept-language': 'en' },
    });
    await openAndAsk(page, 'When are refunds paid back to my card?');
    await finished(page, 'bot').last().filter({ hasText: '5 business days' }).waitFor();
    const before = await log(page)
      .locator('[data-seq]')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-seq')));

    await page.reload();
    await launcher(page).click();
    await finished(page, 'bot').last().filter({ hasText: '5 business days' }).waitFor();
    const after = await log(page)
      .locator('[data-seq]')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-seq')));
    assert.deepEqual(after, before);
    assert.deepEqual(before, ['1', '2']);
    assert.equal((await serverTranscript(page)).conversation.visitorLanguage, 'pt-BR');
  });

  it('survives a network cut: shows it, keeps what the visitor typed, and loses nothing on return', async () => {
    const { context, page } = await visit('/hostile');
    await openAndAsk(page, 'Where is your warehouse?');
    await finished(page, 'bot').last().filter({ hasText: 'Lyon' }).waitFor();
    const { conversation } = await serverTranscript(page);

    proxy.cut();
    await context.setOffline(true);
    await page.locator('chat-bot [part~="banner"]').first().waitFor();
    // While the visitor is away, an agent takes over and writes; the visitor writes too.
    await requestOk(admin, 'conversation:takeover', { conversationId: conversation.id });
    await requestOk(admin, 'message:send', {
      conversationId: conversation.id,
      text: 'Hi, Dana here. Anything else about your order?',
      clientMessageId: clientMessageId(),
    });
    await input(page).fill('Can I change my delivery address?');
    await input(page).press('Enter');
    await page.locator('chat-bot [data-role="visitor"]', { hasText: 'Sending…' }).waitFor();

    proxy.restore();
    await context.setOffline(false);
    await finished(page, 'agent').filter({ hasText: 'Dana here' }).waitFor();
    await finished(page, 'visitor').filter({ hasText: 'delivery address' }).waitFor();
    // Shown as soon as it is typed: it is stored (and numbered) only once its resend is acknowledged.
    await page
      .locator('chat-bot [data-role="visitor"]', { hasText: 'Sending…' })
      .waitFor({ state: 'detached' });
    await page.locator('chat-bot h2', { hasText: 'Dana Agent' }).waitFor();

    const shown = await log(page)
      .locator('[data-seq]')
      .evaluateAll((nodes) => nodes.map((n) => Number(n.getAttribute('data-seq'))));
    const stored = (await serverTranscript(page)).messages.map((m) => m.seq);
    assert.deepEqual(shown, stored, 'the widget and the server disagree on the transcript');
    assert.equal(new Set(shown).size, shown.length);
    const sent = (await serverTranscript(page)).messages.filter(
      (m) => m.content === 'Can I change my delivery address?',
    );
    assert.equal(sent.length, 1, 'the message typed offline was lost or doubled');
    await requestOk(admin, 'conversation:release', { conversationId: conversation.id });
  });

  it('fills the lead form with a validated email, and the tenant has the lead', async () => {
    const { page } = await visit('/hostile');
    await page.evaluate(() => {
      (window as unknown as { leads: unknown[] }).leads = [];
      document.addEventListener('chat-bot:lead', (event) =>
        (window as unknown as { leads: unknown[] }).leads.push((event as CustomEvent).detail),
      );
    });
    await openAndAsk(page, 'Do you ship the same day?');
    await finished(page, 'bot').last().waitFor();
    await page.locator('chat-bot [part~="lead-button"]').click();
    const form = page.locator('chat-bot [part~="lead-form"]');
    await form.locator('input[name="email"]').fill('not-an-email');
    await form.locator('button[type="submit"]').click();
    assert.equal(await form.locator('input[name="email"]').getAttribute('aria-invalid'), 'true');
    assert.match(await form.innerText(), /Enter an email address/);

    await form.locator('input[name="email"]').fill('lee@example.com');
    await form.locator('input[name="name"]').fill('Lee Visitor');
    await form.locator('input[name="company"]').fill('Lee & Co');
    await form.locator('input[name="consent"]').check();
    await form.locator('button[type="submit"]').click();
    await page.locator('chat-bot [role="log"]', { hasText: "Thanks! We'll be in touch." }).waitFor();
    assert.equal(await form.count(), 0);

    const found = await server.api.get('/api/conversations?search=lee@example.com', owner.accessToken);
    assert.equal(found.body.total, 1);
    const leads = await page.evaluate(() => (window as unknown as { leads: unknown[] }).leads);
    assert.deepEqual(leads, [
      { lead: { email: 'lee@example.com', name: 'Lee Visitor', company: 'Lee & Co', consent: true } },
    ]);
  });

  it('shows an agent taking over, typing, writing and handing back', async () => {
    const { page } = await visit('/hostile');
    await openAndAsk(page, 'I want to talk about my refund please');
    await finished(page, 'bot').last().waitFor();
    const { conversation } = await serverTranscript(page);

    await requestOk(admin, 'conversation:takeover', { conversationId: conversation.id });
    await page.locator('chat-bot h2', { hasText: 'Dana Agent' }).waitFor();
    admin.emit('typing', { conversationId: conversation.id, isTyping: true });
    await page.locator('chat-bot [data-role="typing"]').waitFor();
    await requestOk(admin, 'message:send', {
      conversationId: conversation.id,
      text: 'I can help with **that** refund.',
      clientMessageId: clientMessageId(),
    });
    const agent = finished(page, 'agent').last();
    await agent.waitFor();
    assert.equal(await agent.locator('.author').innerText(), 'Dana Agent');
    assert.equal(await agent.locator('strong').innerText(), 'that');
    await page.locator('chat-bot [data-role="typing"]').waitFor({ state: 'detached' });

    await requestOk(admin, 'conversation:release', { conversationId: conversation.id });
    await page.locator('chat-bot h2', { hasText: 'Acme Help' }).waitFor();
  });

  it('offers a person under an answer it could not give; when nobody comes, the lead form opens by itself', async () => {
    const { page } = await visit('/hostile');
    await openAndAsk(page, 'Do you sell gift cards for the holidays?');
    const reply = finished(page, 'bot').last();
    await reply.locator('.offer').waitFor();
    assert.match(await reply.innerText(), /I don't know/);
    await reply.locator('.offer button', { hasText: 'Talk to a person' }).click();
    await page.locator('chat-bot [role="log"]', { hasText: "We've asked a person to join" }).waitFor();
    assert.equal(
      await page.locator('chat-bot [part~="human-button"]').count(),
      0,
      'still offers a person while waiting',
    );

    // Nobody joins: the wait is moved back past the bot's wait time instead of waited out.
    const { conversation } = await serverTranscript(page);
    await runAsSystem('test', () =>
      server.platform.orm.em
        .fork()
        .nativeUpdate(
          Conversation,
          { id: conversation.id },
          { handoffRequestedAt: new Date(Date.now() - 3_600_000) },
        ),
    );
    await page.locator('chat-bot [part~="lead-form"]').waitFor();
    assert.match(await finished(page, 'bot').last().innerText(), /nobody from the team is free/);
    assert.equal(
      await page.locator('chat-bot [role="log"]', { hasText: "We've asked a person to join" }).count(),
      0,
    );
  });

  it('shows a refused message as not sent, says when to try again, and Retry sends it once', async () => {
    const { page } = await visit('/strict');
    await openAndAsk(page, 'Where is the warehouse?');
    await finished(page, 'bot').last().waitFor();
    await input(page).fill('And do you ship on Saturdays?');
    await input(page).press('Enter');
    const failed = page.locator('chat-bot .message.visitor.failed');
    await failed.waitFor();
    assert.match(await failed.innerText(), /Too many messages\. Try again in \d+ s\./);

    // The minute passes: a new limit gives a fresh budget without waiting for it.
    const patched = await server.api.patch(
      `/api/chatbots/${strictBot.id}`,
      { rateLimits: { perIpPerMinute: 1000, perMinute: 1000 } },
      owner.accessToken,
    );
    assert.equal(patched.status, 200);
    await failed.locator('button', { hasText: 'Retry' }).click();
    await finished(page, 'visitor').filter({ hasText: 'Saturdays' }).waitFor();
    assert.equal(await failed.count(), 0);
    const stored = (await serverTranscript(page, strictBot.id)).messages.filter(
      (m) => m.content === 'And do you ship on Saturdays?',
    );
    assert.equal(stored.length, 1);
  });

  it('works with the keyboard alone: Tab to the launcher, Enter opens, Escape closes and focus returns', async () => {
    const { page } = await visit('/hostile');
    await launcher(page).waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await launcher(page).evaluate((button) => button.matches(':focus-visible')), true);
    assert.equal(await launcher(page).getAttribute('aria-label'), 'Open chat');
    await page.keyboard.press('Enter');
    await input(page).waitFor();
    await page.waitForFunction(() => {
      const root = document
        .querySelector('chat-bot')!
        .shadowRoot!.querySelector('chat-bot-window')!.shadowRoot!;
      return root.activeElement?.tagName === 'TEXTAREA';
    });
    assert.equal(await launcher(page).getAttribute('aria-expanded'), 'true');
    await page.keyboard.type('Where is the warehouse?');
    await page.keyboard.press('Enter');
    await finished(page, 'bot').last().filter({ hasText: 'Lyon' }).waitFor();

    // Every control in the window is reachable by Tab and at least 24 px square.
    const targets = await page.evaluate(() => {
      const root = document
        .querySelector('chat-bot')!
        .shadowRoot!.querySelector('chat-bot-window')!.shadowRoot!;
      return [...root.querySelectorAll('button, textarea, input, a')].map((element) => {
        const { width, height } = element.getBoundingClientRect();
        return { name: element.textContent?.trim() || element.getAttribute('aria-label'), width, height };
      });
    });
    for (const target of targets) {
      assert.ok(target.width >= 24 && target.height >= 24, `target too small: ${JSON.stringify(target)}`);
    }
    await page.keyboard.press('Escape');
    await page.locator('chat-bot [role="dialog"]').waitFor({ state: 'hidden' });
    assert.equal(
      await launcher(page).evaluate(
        (button) =>
          button.getRootNode() instanceof ShadowRoot &&
          (button.getRootNode() as ShadowRoot).activeElement === button,
      ),
      true,
    );
    assert.equal(await launcher(page).getAttribute('aria-expanded'), 'false');
  });

  it('shows a visitor message with markup as text, and runs no script from it', async () => {
    const { page, errors } = await visit('/hostile');
    await page.evaluate(() => ((window as unknown as { pwned: number }).pwned = 0));
    await openAndAsk(
      page,
      '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script> [x](javascript:window.pwned=3)',
    );
    const mine = finished(page, 'visitor').last();
    await mine.waitFor();
    assert.match(await mine.innerText(), /<img src=x onerror="window.pwned=1"><script>/);
    assert.equal(await mine.locator('img, script, a').count(), 0);
    await finished(page, 'bot').last().waitFor();
    assert.equal(await page.evaluate(() => (window as unknown as { pwned: number }).pwned), 0);
    assert.deepEqual(errors, []);
  });

  it('offers the JS API and events: open(), send(), close(), chat-bot:open and chat-bot:message', async () => {
    const { page } = await visit('/hostile');
    await page.waitForFunction(() => customElements.get('chat-bot'));
    const events = await page.evaluate(async () => {
      const seen: string[] = [];
      for (const name of ['chat-bot:open', 'chat-bot:close', 'chat-bot:message']) {
        document.addEventListener(name, (event) => {
          const detail = (event as CustomEvent).detail as { message?: { role: string } } | null;
          seen.push(detail?.message ? `${name}:${detail.message.role}` : name);
        });
      }
      const element = document.querySelector('chat-bot') as HTMLElement & {
        send(text: string): Promise<void>;
        close(): Promise<void>;
      };
      await element.send('Do orders ship from Lyon?');
      await new Promise<void>((resolve) => {
        document.addEventListener('chat-bot:message', (event) => {
          if ((event as CustomEvent).detail.message.role === 'bot') resolve();
        });
      });
      await element.close();
      return seen;
    });
    assert.deepEqual(events, [
      'chat-bot:open',
      'chat-bot:message:visitor',
      'chat-bot:message:bot',
      'chat-bot:close',
    ]);
  });

  it('as a custom element after a module script, in Arabic: right to left, strings from the catalogue', async () => {
    const { page } = await visit('/element-ar');
    await launcher(page).click();
    const dialog = page.locator('chat-bot [role="dialog"]');
    await dialog.waitFor();
    assert.equal(await dialog.getAttribute('dir'), 'rtl');
    assert.equal(await dialog.getAttribute('lang'), 'ar');
    assert.equal(await input(page).getAttribute('placeholder'), 'اكتب رسالتك…');
    assert.equal(
      await page.locator('chat-bot [part~="close-button"]').getAttribute('aria-label'),
      'إغلاق المحادثة',
    );
  });

  it('says so briefly when the bot does not exist or the platform is down, without errors on the page', async () => {
    const expected: Record<string, RegExp> = {
      '/unknown': /isn't available/,
      '/forbidden': /isn't available/,
      '/down': /can't reach/,
    };
    for (const [path, message] of Object.entries(expected)) {
      const { page, errors } = await visit(path);
      await launcher(page).click();
      const alert = page.locator('chat-bot [role="alert"]');
      await alert.waitFor();
      assert.match(await alert.innerText(), message);
      assert.deepEqual(errors, [], `${path}: ${errors.join('; ')}`);
    }
  });

  it("takes the page's theme through custom properties and ::part(), and the position from the embed", async () => {
    const { page } = await visit('/themed', { reducedMotion: 'reduce' });
    const css = (selector: string, property: string) =>
      page
        .locator(`chat-bot ${selector}`)
        .first()
        .evaluate((element, name) => getComputedStyle(element).getPropertyValue(name), property);
    await launcher(page).click();
    await input(page).waitFor();
    assert.equal(await css('[part~="launcher"]', 'border-radius'), '8px');
    assert.equal(await css('[part~="launcher"]', 'background-color'), 'rgb(124, 45, 18)');
    assert.equal(await css('header', 'background-color'), 'rgb(124, 45, 18)');
    assert.equal(await css('header', 'letter-spacing'), '1px');
    const box = await page.locator('chat-bot [role="dialog"]').boundingBox();
    assert.equal(box?.x, 24, 'the window is not on the left');
    assert.equal(await css('[role="dialog"]', 'animation-name'), 'none', 'prefers-reduced-motion is ignored');
  });

  it('fills a phone screen, keeps 16 px inputs (no zoom on focus), and fits the visual viewport', async () => {
    const { page } = await visit('/hostile', {
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
    });
    await openAndAsk(page, 'Where is the warehouse?');
    await finished(page, 'bot').last().filter({ hasText: 'Lyon' }).waitFor();
    const box = await page.locator('chat-bot [role="dialog"]').boundingBox();
    assert.deepEqual(box && [box.x, box.y, box.width, Math.round(box.height)], [0, 0, 390, 844]);
    assert.equal(await input(page).evaluate((element) => getComputedStyle(element).fontSize), '16px');
    await page.screenshot({ path: join(ARTIFACTS, 'widget-mobile.png') });
  });
});

import assert from 'node:assert/strict';
import type { AuthResponse, BotView, ChatMessage, ConversationDetail, TypingEvent } from '@chatbot/shared';
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeOpenAI } from '@chatbot/shared/testing';
import type { Page } from 'playwright-core';
import { invite } from '../../server/src/features/conversations/conversations.fixtures';
import { nextEvent, openChat, requestOk, type WidgetSocket } from '../../server/src/testing/chat-clients';
import { teach } from '../../server/src/testing/documents';
import { buildBot, buildTenant } from '../../server/src/testing/factories';
import { shot, signIn, startDashboard, type Dashboard } from './dashboard';

/** Forty words streamed one every 150 ms: six seconds in which to see the answer being written. */
const slowAnswer = Array.from({ length: 40 }, (_, i) => `part${i}`).join(' ');

/** Counts the tones the page plays: each note is one OscillatorNode started. */
const countTones = () => {
  const start = OscillatorNode.prototype.start;
  (window as unknown as { tones: number }).tones = 0;
  OscillatorNode.prototype.start = function (...args: [number?]) {
    (window as unknown as { tones: number }).tones++;
    return start.apply(this, args);
  };
};
const tones = (page: Page) => page.evaluate(() => (window as unknown as { tones: number }).tones);

describe('dashboard: the live inbox', function () {
  this.timeout(120_000);
  let fake: FakeOpenAI;
  let dashboard: Dashboard;
  let owner: AuthResponse;
  let agent: AuthResponse;
  let bot: BotView;
  const sockets: WidgetSocket[] = [];

  before(async () => {
    fake = await startFakeOpenAI({ streamDelayMs: 150 });
    dashboard = await startDashboard({ env: { OPENAI_BASE_URL: fake.url } });
    const { api } = dashboard.server;
    owner = await buildTenant(api);
    agent = await invite(api, owner.accessToken, 'agent', 'Sam');
    bot = await buildBot(api, owner.accessToken, {
      name: 'Shop assistant',
      status: 'published',
      openaiApiKey: FAKE_OPENAI_KEY,
      rateLimits: { perIpPerMinute: 1000, perMinute: 1000 },
      handoff: { enabled: true, waitSeconds: 600 },
    });
    await teach(
      dashboard.server,
      owner.accessToken,
      bot.id,
      'opening-hours.txt',
      'Our opening hours: the shop is open from 9 am to 6 pm, Monday to Saturday, and closed on Sunday.',
    );
    fake.replyWith(slowAnswer);
  });
  after(async () => {
    sockets.forEach((socket) => socket.close());
    await dashboard?.stop();
    await fake?.stop();
  });

  /** A visitor with the widget's socket, and the name the inbox gives them. */
  async function visitor() {
    const chat = await openChat(dashboard.server.api, bot.id);
    sockets.push(chat.socket);
    const { body } = await dashboard.server.api.get<ConversationDetail>(
      `/api/conversations/${chat.conversationId}`,
      owner.accessToken,
    );
    return { ...chat, name: `Visitor ${body.conversation.visitorId.slice(0, 6)}` };
  }
  const list = (page: Page) => page.getByRole('navigation', { name: 'Active conversations' });
  const rowOf = (page: Page, name: string) => list(page).getByRole('link', { name: new RegExp(name) });
  const transcript = (page: Page) => page.getByRole('log', { name: 'Transcript' });

  it('shows conversations live, streams the answer, alerts on a request for a person, and lets an agent take over', async () => {
    const { context, page } = await dashboard.newPage();
    await page.addInitScript(countTones);
    await signIn(page, agent);
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Live inbox' })
      .click();
    await page.getByRole('heading', { name: 'No active conversations' }).waitFor();

    // A visitor starts chatting: the row appears without a reload, and opening it follows the answer live.
    const ada = await visitor();
    await rowOf(page, ada.name).waitFor();
    await rowOf(page, ada.name).click();
    await page.getByRole('button', { name: 'Take over' }).waitFor();
    await ada.say('What are your opening hours?');
    await transcript(page).getByText('What are your opening hours?').waitFor();
    const streaming = transcript(page).locator('[data-state="streaming"] .bubble');
    await streaming.getByText('part3', { exact: false }).waitFor();
    const early = await streaming.innerText();
    await streaming.getByText('part12', { exact: false }).waitFor();
    const later = await streaming.innerText();
    assert.ok(later.length > early.length && later.startsWith(early), `${early} → ${later}`);
    await shot(page, 'inbox-streaming');
    await transcript(page)
      .locator('[data-state="complete"]')
      .getByText(slowAnswer)
      .waitFor({ timeout: 20_000 });
    await list(page).getByText('part0 part1 part2').waitFor();

    // Another visitor asks for a person: a tone, the title badge, and their row on top, highlighted.
    const bob = await visitor();
    await bob.say('I need help with my order');
    await requestOk(bob.socket, 'handoff:request', { conversationId: bob.conversationId });
    await page.waitForFunction(() => document.title === '(1) Live inbox');
    assert.equal(await tones(page), 2, 'a two-note tone played');
    const top = list(page).getByRole('link').first();
    assert.match(await top.innerText(), new RegExp(bob.name));
    assert.match(await top.innerText(), /Waiting \d+ s/);
    assert.match((await top.getAttribute('class')) ?? '', /waiting/);
    await shot(page, 'inbox-waiting');

    // Opening it clears the badge; the agent takes over and both sides see each other typing.
    await top.click();
    await page.waitForFunction(() => document.title === 'Live inbox');
    const joined = nextEvent(bob.socket, 'agent:joined');
    await page.getByRole('button', { name: 'Take over' }).click();
    assert.equal((await joined).agentName, 'Sam');
    const composer = page.getByLabel('Your message');
    await composer.waitFor();
    bob.socket.emit('typing', { conversationId: bob.conversationId, isTyping: true });
    await page.getByText('The visitor is typing…').waitFor();
    const agentTyping = nextEvent<TypingEvent>(bob.socket, 'typing', (event) => event.role === 'agent');
    await composer.pressSequentially('Hi, Sam here. ');
    assert.equal((await agentTyping).isTyping, true);
    await composer.pressSequentially('Let me look at your order.');
    await shot(page, 'inbox-takeover');
    const reply = nextEvent<ChatMessage>(bob.socket, 'message:new', (message) => message.role === 'agent');
    await page.getByRole('button', { name: 'Send' }).click();
    const agentMessage = await reply;
    assert.equal(agentMessage.content, 'Hi, Sam here. Let me look at your order.');
    assert.equal(agentMessage.agentName, 'Sam');
    await transcript(page).getByText('Hi, Sam here. Let me look at your order.').waitFor();
    assert.equal(await composer.inputValue(), '');

    // Handing back: the visitor is told, and the bot answers again.
    const left = nextEvent(bob.socket, 'agent:left');
    await page.getByRole('button', { name: 'Hand back to the bot' }).click();
    await left;
    await page.getByRole('button', { name: 'Take over' }).waitFor();
    await page.getByText('The bot is answering.').waitFor();
    await context.close();
  });

  it('keeps the mute choice, and alerts with the badge only while muted', async () => {
    const { context, page } = await dashboard.newPage();
    await page.addInitScript(countTones);
    await signIn(page, agent, '/admin/inbox');
    await page.getByRole('button', { name: 'Mute alerts' }).click();
    await page.reload();
    const mute = page.getByRole('button', { name: 'Alerts muted' });
    assert.equal(await mute.getAttribute('aria-pressed'), 'true');
    const cleo = await visitor();
    await rowOf(page, cleo.name).waitFor();
    await requestOk(cleo.socket, 'handoff:request', { conversationId: cleo.conversationId });
    await page.waitForFunction(() => document.title === '(1) Live inbox');
    assert.equal(await tones(page), 0);
    await mute.click();
    await page.getByRole('button', { name: 'Mute alerts' }).waitFor();
    await context.close();
  });

  it('fits a phone: the list, then the conversation with a way back', async () => {
    const { context, page } = await dashboard.newPage({ width: 375, height: 800 });
    await signIn(page, agent, '/admin/inbox');
    const first = list(page).getByRole('link').first();
    await first.waitFor();
    await shot(page, 'inbox-phone');
    await first.click();
    await page.getByRole('link', { name: '← All active conversations' }).waitFor();
    assert.equal(await list(page).isVisible(), false);
    await transcript(page).waitFor();
    await shot(page, 'inbox-phone-conversation');
    await context.close();
  });
});

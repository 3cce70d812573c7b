import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  AssistantLimits,
  type AssistantDelta,
  type AssistantDone,
  type AuthResponse,
  type BotView,
} from '@chatbot/shared';
import type { Page } from 'playwright-core';
import { openChat } from '../../server/src/testing/chat-clients';
import { buildBot, buildTenant } from '../../server/src/testing/factories';
import { ARTIFACTS, signIn, startDashboard, type Dashboard } from './dashboard';

/** The viewport only: the panel is as tall as the window, not as the page (the whole-page shot cuts it). */
const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });

/** The assistant's answers as the page's socket received them (socket.io frames: `42/admin,[event, data]`). */
function answerFrames(page: Page) {
  const deltas: AssistantDelta[] = [];
  const dones: AssistantDone[] = [];
  page.on('websocket', (socket) => {
    socket.on('framereceived', ({ payload }) => {
      const text = String(payload);
      const match = /^42\/admin,(.*)$/s.exec(text);
      if (!match) return;
      const [event, data] = JSON.parse(match[1]!) as [string, unknown];
      if (event === 'assistant:delta') deltas.push(data as AssistantDelta);
      if (event === 'assistant:done') dones.push(data as AssistantDone);
    });
  });
  return { deltas, dones };
}

describe('dashboard: the admin assistant', function () {
  this.timeout(120_000);
  let dashboard: Dashboard;
  let owner: AuthResponse;
  let bot: BotView;
  const leads = ['ada@example.com', 'grace@example.com', 'linus@example.com'];

  before(async () => {
    dashboard = await startDashboard();
    const { api } = dashboard.server;
    owner = await buildTenant(api);
    bot = await buildBot(api, owner.accessToken, {
      name: 'Support',
      status: 'published',
      rateLimits: { perIpPerMinute: 1000, perMinute: 1000 },
    });
    for (const email of leads) {
      const chat = await openChat(api, bot.id);
      await chat.ask('Hello, I would like a quote.');
      const captured = await api.request(
        'POST',
        `/api/public/conversation/${chat.conversationId}/capture-lead`,
        { body: { email, consent: true }, headers: { authorization: `Bearer ${chat.visitorToken}` } },
      );
      assert.equal(captured.status, 201, JSON.stringify(captured.body));
      chat.socket.close();
    }
  });
  after(() => dashboard?.stop());

  const panel = (page: Page) => page.getByRole('complementary', { name: 'Assistant' });
  const question = (page: Page) => page.getByRole('textbox', { name: 'Ask the assistant' });

  it('answers "how many leads this month?" with the account’s number, streamed, with the figures it read', async () => {
    const { context, page } = await dashboard.newPage();
    const frames = answerFrames(page);
    await signIn(page, owner);
    await page.getByRole('button', { name: 'Assistant' }).click();
    await question(page).waitFor();
    assert.equal(await question(page).evaluate((input) => input === document.activeElement), true);
    await panel(page).getByRole('button', { name: 'How many leads this month?' }).waitFor();
    await shot(page, 'assistant-suggestions');

    await question(page).fill('How many leads this month?');
    await question(page).press('Enter');
    const answer = panel(page).locator('.answer .content');
    await answer.filter({ hasText: /^You have 3 leads this month/ }).waitFor();
    await page.waitForFunction(
      () => !document.querySelector('.answer[aria-busy="true"], .content.streaming'),
    );

    // It came in pieces, each at the offset where the text so far ended, and the whole replaced them.
    assert.equal(frames.dones.length, 1);
    const [done] = frames.dones;
    const pieces = frames.deltas.filter((delta) => delta.messageId === done!.messageId);
    assert.ok(pieces.length > 5, `${pieces.length} pieces`);
    let text = '';
    for (const piece of pieces) {
      assert.equal(piece.offset, text.length);
      text += piece.delta;
    }
    assert.equal(text, done!.content);
    assert.equal(await answer.textContent(), done!.content);
    assert.match(done!.content, /3 new, 0 contacted, 0 qualified and 0 converted/);

    await panel(page).getByText('Figures looked up (1)').click();
    const figures = panel(page).locator('.call');
    assert.equal(await figures.locator('strong').textContent(), 'leads this month');
    assert.match((await figures.textContent())!, /total3/);
    assert.match((await figures.textContent())!, /by statusnew 3, contacted 0, qualified 0, converted 0/);
    await shot(page, 'assistant-panel');

    // Escape closes it and gives the focus back; the conversation is still there when it opens again.
    await question(page).press('Escape');
    await panel(page).waitFor({ state: 'detached' });
    assert.equal(
      await page
        .getByRole('button', { name: 'Assistant' })
        .evaluate((button) => button === document.activeElement),
      true,
    );
    await page.getByRole('button', { name: 'Assistant' }).click();
    await answer.filter({ hasText: /^You have 3 leads this month/ }).waitFor();
    await context.close();
  });

  it('takes the whole width of a phone', async () => {
    const { context, page } = await dashboard.newPage({ width: 375, height: 800 });
    await signIn(page, owner);
    await page.getByRole('button', { name: 'Assistant' }).click();
    await question(page).waitFor();
    const box = (await panel(page).boundingBox())!;
    assert.deepEqual([box.x, box.width], [0, 375]);
    await panel(page).getByRole('button', { name: 'How many conversations today?' }).click();
    await panel(page)
      .locator('.answer .content')
      .filter({ hasText: /3 conversations today/ })
      .waitFor();
    await shot(page, 'assistant-phone');
    await panel(page).getByRole('button', { name: 'Close the assistant' }).click();
    await panel(page).waitFor({ state: 'detached' });
    await context.close();
  });

  // Last: it spends the user's questions of the minute.
  it('says when the user has asked too much, and when to try again', async () => {
    const { context, page } = await dashboard.newPage();
    await signIn(page, owner);
    const { api } = dashboard.server;
    let status = 200;
    for (let i = 0; i < AssistantLimits.questionsPerMinute && status === 200; i++) {
      status = (
        await api.post('/api/assistant/ask', { question: 'which bots are active?' }, owner.accessToken)
      ).status;
    }
    assert.equal(status, 429);
    await page.getByRole('button', { name: 'Assistant' }).click();
    await question(page).fill('How many leads this month?');
    await panel(page).getByRole('button', { name: 'Send' }).click();
    const alert = panel(page).getByRole('alert');
    await alert.waitFor();
    assert.match((await alert.textContent())!, /Too many requests\. Try again in \d+ s\./);
    await panel(page).getByRole('button', { name: 'Ask again' }).waitFor();
    await context.close();
  });
});

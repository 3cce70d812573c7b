import assert from 'node:assert/strict';
import type { AuthResponse, BotView, ChatMessage, RetrievalTestView } from '@chatbot/shared';
import { UsageDaily, runAsSystem } from '@chatbot/shared/platform';
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeOpenAI } from '@chatbot/shared/testing';
import { openChat } from '../../testing/chat-clients';
import { teach } from '../../testing/documents';
import { buildBot, buildTenant } from '../../testing/factories';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { abstentionText } from '../chat/abstention';
import { withoutNearDuplicates } from './near-duplicates';
import { fuseRankings } from './rank-fusion';

describe('retrieval pieces', () => {
  it('fuses rankings by rank: an id near the top of either list rises above ids low in both', () => {
    assert.deepEqual(
      fuseRankings([
        ['a', 'b', 'c'],
        ['c', 'd', 'a'],
      ]),
      ['a', 'c', 'b', 'd'],
    );
    assert.deepEqual(fuseRankings([[], ['x']]), ['x']);
    assert.deepEqual(fuseRankings([]), []);
  });

  it('collapses near-duplicate passages and keeps overlapping neighbours', () => {
    const text = 'Refunds are accepted within 30 days of delivery when the item is unused and in its box.';
    const next = 'The item is unused and in its box. Shipping to Canada takes five to seven business days.';
    const kept = withoutNearDuplicates([text, `  ${text.toUpperCase()}\n`, next, text], (t) => t);
    assert.deepEqual(kept, [text, next]);
  });

  it('reads candidates only until it has kept as many passages as asked for', () => {
    const read: string[] = [];
    const texts = [
      'alpha beta gamma delta',
      'ALPHA beta gamma delta',
      'epsilon zeta eta theta',
      'iota kappa',
    ];
    const kept = withoutNearDuplicates(texts, (t) => (read.push(t), t), 2);
    assert.deepEqual(kept, [texts[0], texts[2]]);
    assert.deepEqual(read, texts.slice(0, 3), 'the fourth candidate is never read');
  });
});

describe('retrieval and grounded answers (embedded)', () => {
  let server: TestServer;
  let fake: FakeOpenAI;
  let owner: AuthResponse;
  let bot: BotView;
  const limits = { rateLimits: { perIpPerMinute: 1000, perMinute: 1000 } };
  const search = (query: string, botId = bot.id, token = owner.accessToken) =>
    server.api.post<RetrievalTestView>(`/api/chatbots/${botId}/retrieval-test`, { query }, token);

  before(async () => {
    fake = await startFakeOpenAI();
    server = await startTestServer({ env: { OPENAI_BASE_URL: fake.url } });
    owner = await buildTenant(server.api);
    bot = await buildBot(server.api, owner.accessToken, { status: 'published', ...limits });
    const shipping = 'Shipping to Canada takes five to seven business days. Parcels are tracked.';
    await teach(server, owner.accessToken, bot.id, 'shipping.txt', shipping);
    await teach(server, owner.accessToken, bot.id, 'shipping-copy.txt', shipping);
    await teach(server, owner.accessToken, bot.id, 'refunds.txt', 'Refunds are paid back within ten days.');
  });
  after(async () => {
    await server.stop();
    await fake.stop();
  });

  it('ranks by meaning and by words, fused, with one passage of a document uploaded twice', async () => {
    const { status, body } = await search('How many days does shipping to Canada take?');
    assert.equal(status, 200);
    assert.equal(body.passages[0]!.title.startsWith('shipping'), true);
    assert.equal(body.passages.filter((p) => p.text.startsWith('Shipping to Canada')).length, 1);
    assert.ok(body.passages[0]!.vector && body.passages[0]!.lexical, 'found by both searches');
    assert.ok(body.answerable && body.confidence >= body.minConfidence, JSON.stringify(body));
    const unrelated = (await search('Which colours does the jacket come in?')).body;
    assert.equal(unrelated.answerable, false);
    assert.ok(unrelated.confidence < unrelated.minConfidence);
  });

  it('searches a new document as soon as it is indexed (the lexical index follows the knowledge version)', async () => {
    assert.equal((await search('gift vouchers')).body.answerable, false);
    await teach(server, owner.accessToken, bot.id, 'vouchers.txt', 'Gift vouchers never expire.');
    const { body } = await search('gift vouchers');
    assert.equal(body.passages[0]!.title, 'vouchers.txt');
    assert.equal(body.answerable, true);
  });

  it("answers 404 to another tenant's retrieval test and 401 without a token", async () => {
    const stranger = await buildTenant(server.api);
    const foreign = await search('shipping to Canada', bot.id, stranger.accessToken);
    assert.equal(foreign.status, 404);
    assert.doesNotMatch(JSON.stringify(foreign.body), /Canada/);
    assert.equal((await search('shipping', bot.id, '')).status, 401);
    const bad = await server.api.post(
      `/api/chatbots/${bot.id}/retrieval-test`,
      { query: '' },
      owner.accessToken,
    );
    assert.equal(bad.status, 400);
  });

  it('says it does not know, offers a person, and records the question as unanswered', async () => {
    const chat = await openChat(server.api, bot.id);
    const done = await chat.ask('Which colours does the jacket come in?');
    assert.equal(done.content, abstentionText(bot));
    assert.match(done.content, /talk to a person/);
    assert.equal(done.unanswered, true);
    assert.deepEqual(done.sources, []);
    await chat.ask('hello'); // small talk is no gap in the knowledge base
    chat.socket.close();
    const detail = await server.api.get(`/api/conversations/${chat.conversationId}`, owner.accessToken);
    const flags = detail.body.messages.map((m: ChatMessage) => [m.role, m.unanswered ?? false]);
    assert.deepEqual(flags.slice(0, 2), [
      ['visitor', true],
      ['bot', true],
    ]);
    assert.deepEqual(flags[2], ['visitor', false]);
    const usage = await runAsSystem('test', () =>
      server.platform.orm.em.fork().findOneOrFail(UsageDaily, { bot: bot.id }),
    );
    assert.equal(usage.unanswered, 1);
  });

  it('answers a follow-up from what it refers to, quoting the sentence with its citation', async () => {
    const chat = await openChat(server.api, bot.id);
    await chat.ask('Do you ship to Canada?');
    const done = await chat.ask('and how many days does that take?');
    chat.socket.close();
    assert.match(done.content, /five to seven business days\. \[1\]/);
    assert.match(done.sources[0]!.title, /^shipping/);
  });

  it('has the model rewrite a follow-up into a standalone question before searching, and counts its tokens', async () => {
    const modelBot = await buildBot(server.api, owner.accessToken, {
      status: 'published',
      openaiApiKey: FAKE_OPENAI_KEY,
      ...limits,
    });
    await teach(
      server,
      owner.accessToken,
      modelBot.id,
      'refunds.txt',
      'Refunds are paid back within ten days.',
    );
    await teach(server, owner.accessToken, modelBot.id, 'shipping.txt', 'Shipping to Canada takes a week.');
    const chat = await openChat(server.api, modelBot.id);
    fake.replyWith('Refunds are paid back within ten days [1].');
    await chat.ask('How are refunds paid back?');
    fake.reset();
    fake.replyWith('How long does shipping to Canada take?');
    const done = await chat.ask('and what about that for parcels?');
    chat.socket.close();
    const chats = fake.requests.filter((request) => request.path === '/v1/chat/completions');
    assert.equal(chats.length, 2);
    assert.match(chats[0]!.body.messages[0].content, /standalone question/);
    assert.match(chats[1]!.body.messages[0].content, /\[1\] shipping\.txt\nShipping to Canada/);
    assert.doesNotMatch(chats[1]!.body.messages[0].content, /Refunds/);
    // The fake counts 4 + a quarter of the characters per message: the usage is both calls', rewrite included.
    const promptTokensOf = (request: (typeof chats)[number]) =>
      request.body.messages.reduce(
        (sum: number, m: { content: string }) => sum + 4 + Math.max(1, Math.ceil(m.content.length / 4)),
        0,
      );
    assert.equal(done.usage.promptTokens, promptTokensOf(chats[0]!) + promptTokensOf(chats[1]!));
  });
});

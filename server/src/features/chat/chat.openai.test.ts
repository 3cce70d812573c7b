import assert from 'node:assert/strict';
import type { AuthResponse, BotView, ConversationSummary, MessageDone } from '@chatbot/shared';
import { Conversation, UsageDaily, priceUsd, runAsSystem } from '@chatbot/shared/platform';
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeOpenAI } from '@chatbot/shared/testing';
import { buildBot, buildTenant } from '../../testing/factories';
import {
  clientMessageId,
  connectAdmin,
  connectWidget,
  nextEvent,
  requestOk,
  startConversation,
  type WidgetSocket,
} from '../../testing/chat-clients';
import { teach } from '../../testing/documents';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { apologyText } from './answer-engine';

const chatPath = '/v1/chat/completions';

describe('answers through OpenAI (a fake server speaking its wire protocol to the real SDK)', () => {
  let fake: FakeOpenAI;
  let server: TestServer;
  let owner: AuthResponse;
  let bot: BotView;
  const sockets: WidgetSocket[] = [];

  before(async () => {
    fake = await startFakeOpenAI();
    server = await startTestServer({ env: { OPENAI_BASE_URL: fake.url, MODEL_IDLE_TIMEOUT_MS: '500' } });
    owner = await buildTenant(server.api);
    bot = await buildBot(server.api, owner.accessToken, {
      status: 'published',
      openaiApiKey: FAKE_OPENAI_KEY,
      model: 'gpt-4o-mini',
      instructions: 'Be cheerful.',
      rateLimits: { perIpPerMinute: 1000, perMinute: 1000 },
    });
    await teach(
      server,
      owner.accessToken,
      bot.id,
      'policies.txt',
      'Refunds are accepted within 30 days of delivery.',
    );
  });
  beforeEach(() => fake.reset());
  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));
  after(async () => {
    await server.stop();
    await fake.stop();
  });

  /** Asks in a fresh conversation and resolves with the finished answer and the time it took. */
  async function ask(text: string, botId = bot.id) {
    const started = await startConversation(server.api, botId);
    const socket = await connectWidget(server.url, { botId, visitorToken: started.visitorToken });
    sockets.push(socket);
    await requestOk(socket, 'conversation:join', { conversationId: started.conversationId });
    let deltas = 0;
    socket.on('message:delta', () => deltas++);
    const done = nextEvent<MessageDone>(socket, 'message:done');
    const sent = performance.now();
    await requestOk(socket, 'message:send', {
      conversationId: started.conversationId,
      text,
      clientMessageId: clientMessageId(),
    });
    const answer = await done;
    return { answer, deltas, ms: performance.now() - sent, conversationId: started.conversationId };
  }
  const chatRequests = () => fake.requests.filter((request) => request.path === chatPath);

  it('streams the model’s answer with the sources it cites and what it cost', async () => {
    // Longer than what the disclosure guard holds back until the end (63 letters and digits), so it streams.
    const more =
      ' Keep the receipt and the original box, and we will send you a free return label by email.' +
      ' The money is back on your card within a week of the parcel reaching our warehouse.';
    const reply = `You have 30 days to ask for a refund [1], as our policy says [7].${more}`;
    fake.replyWith(reply);
    const inbox = await connectAdmin(server.url, owner.accessToken);
    sockets.push(inbox as unknown as WidgetSocket);
    const answered = nextEvent<ConversationSummary>(inbox, 'conversation:updated', (row) => row.tokensIn > 0);
    const { answer, deltas, conversationId } = await ask('How long do I have for a refund?');
    // [7] names no passage: the stored answer drops it (the deltas had it; `message:done` replaces them).
    assert.equal(answer.content, `You have 30 days to ask for a refund [1], as our policy says.${more}`);
    assert.ok(deltas >= 10, `${deltas} deltas`);
    assert.deepEqual(
      answer.sources.map((source) => [source.index, source.title]),
      [[1, 'policies.txt']],
    );

    const [request] = chatRequests();
    assert.equal(request!.body.model, 'gpt-4o-mini');
    assert.equal(request!.body.stream, true);
    assert.equal(request!.body.stream_options.include_usage, true);
    const system = request!.body.messages[0];
    assert.equal(system.role, 'system');
    assert.match(system.content, /Be cheerful\./);
    assert.match(system.content, /\[1\] policies\.txt\nRefunds are accepted within 30 days/);
    assert.match(system.content, /say that you don't know/);
    assert.deepEqual(request!.body.messages.at(-1), {
      role: 'user',
      content: 'How long do I have for a refund?',
    });

    assert.ok(answer.usage.promptTokens > 50);
    assert.equal(answer.usage.completionTokens, reply.match(/\s*\S+/g)!.length);
    assert.equal(answer.usage.costUsd, priceUsd('gpt-4o-mini', answer.usage));
    assert.ok(answer.usage.costUsd > 0);
    const [conversation, usage] = await runAsSystem('test', () => {
      const em = server.platform.orm.em.fork();
      return Promise.all([
        em.findOneOrFail(Conversation, conversationId),
        em.findOneOrFail(UsageDaily, { bot: bot.id }),
      ]);
    });
    assert.equal(conversation.tokensIn, answer.usage.promptTokens);
    assert.equal(conversation.tokensOut, answer.usage.completionTokens);
    assert.ok(Math.abs(conversation.costUsd - answer.usage.costUsd) < 1e-9);
    assert.ok(usage.tokensIn >= answer.usage.promptTokens);
    // The inbox heard of the finished answer with the conversation's new totals.
    const row = await answered;
    assert.deepEqual(
      [row.id, row.tokensIn, row.tokensOut, row.messageCount],
      [conversationId, conversation.tokensIn, conversation.tokensOut, 2],
    );
  });

  it('counts tokens with tiktoken when the endpoint reports no usage', async () => {
    fake.omitUsage(true);
    fake.replyWith('Thirty days [1].');
    const { answer } = await ask('How many days for a refund, please?');
    assert.ok(answer.usage.promptTokens > 50);
    assert.ok(answer.usage.completionTokens > 0);
  });

  it('retries a 429 after the time Retry-After asks', async () => {
    fake.replyWith('Thirty days [1].');
    fake.failNext(1, 429, { retryAfterMs: 300, path: chatPath });
    const { answer } = await ask('Within how many days are refunds accepted, again?');
    assert.equal(answer.content, 'Thirty days [1].');
    const [first, second] = chatRequests();
    assert.ok(second!.receivedAt - first!.receivedAt >= 250, `${second!.receivedAt - first!.receivedAt} ms`);
  });

  it('answers offline from the documents when the key is rejected, and records why for the admin', async () => {
    fake.failNext(1, 401, { path: chatPath });
    const { answer, conversationId } = await ask('When are refunds accepted?');
    assert.equal(answer.state, 'complete');
    assert.match(answer.content, /within 30 days of delivery/);
    assert.equal(answer.sources.length, 1);
    assert.equal(chatRequests().length, 1, 'a rejected key is not retried');
    const detail = await server.api.get(`/api/conversations/${conversationId}`, owner.accessToken);
    assert.match(detail.body.messages[1].error, /key was rejected/);
    assert.equal(detail.body.messages[0].error, null);
  });

  it('cuts off a model that hangs and falls back within the timeout', async () => {
    fake.hangNext(1, { path: chatPath });
    const { answer, ms } = await ask('Do you accept refunds after delivery?');
    assert.match(answer.content, /30 days/);
    assert.ok(ms < 5000, `${ms} ms`);
  });

  it('apologises when the model fails and the bot does not allow the offline fallback', async () => {
    const strict = await buildBot(server.api, owner.accessToken, {
      status: 'published',
      openaiApiKey: FAKE_OPENAI_KEY,
      offlineFallback: false,
      rateLimits: { perIpPerMinute: 1000, perMinute: 1000 },
    });
    await teach(server, owner.accessToken, strict.id, 'policies.txt', 'Refunds are accepted within 30 days.');
    fake.failNext(1, 429, { code: 'insufficient_quota', path: chatPath });
    const { answer, conversationId } = await ask('When are refunds accepted?', strict.id);
    assert.equal(answer.state, 'failed');
    assert.equal(answer.content, apologyText);
    const detail = await server.api.get(`/api/conversations/${conversationId}`, owner.accessToken);
    assert.match(detail.body.messages[1].error, /credit/);
  });

  it('stops the answer being written when a person takes the conversation over', async () => {
    fake.setStreamDelay(30);
    fake.replyWith(Array.from({ length: 80 }, (_, i) => `w${i}`).join(' '));
    const started = await startConversation(server.api, bot.id);
    const socket = await connectWidget(server.url, { botId: bot.id, visitorToken: started.visitorToken });
    sockets.push(socket);
    await requestOk(socket, 'conversation:join', { conversationId: started.conversationId });
    let deltas = 0;
    const midAnswer = new Promise<void>((resolve) =>
      socket.on('message:delta', () => ++deltas === 5 && resolve()),
    );
    const done = nextEvent<MessageDone>(socket, 'message:done');
    await requestOk(socket, 'message:send', {
      conversationId: started.conversationId,
      text: 'Tell me everything about refunds',
      clientMessageId: clientMessageId(),
    });
    await midAnswer;
    const taken = await server.api.post(
      `/api/conversations/${started.conversationId}/takeover`,
      undefined,
      owner.accessToken,
    );
    assert.equal(taken.status, 200);
    const stopped = await done;
    assert.equal(stopped.state, 'failed');
    assert.ok(stopped.content.split(' ').length < 40, `${stopped.content.split(' ').length} words`);
    const afterDone = deltas;
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(deltas, afterDone, 'no piece after the stop');
    const detail = await server.api.get(`/api/conversations/${started.conversationId}`, owner.accessToken);
    const answer = detail.body.messages.find((m: { role: string }) => m.role === 'bot');
    assert.match(answer.error, /took the conversation over/);
    assert.equal(answer.content, stopped.content);
  });

  it('caches answers to the same first question until the documents or the bot change', async () => {
    fake.replyWith('Within 30 days [1].');
    const first = await ask('When are refunds accepted?');
    assert.equal(chatRequests().length, 1);
    const again = await ask('  when are REFUNDS accepted ');
    assert.equal(chatRequests().length, 1, 'served from the cache');
    assert.equal(again.answer.content, first.answer.content);
    assert.deepEqual(again.answer.sources, first.answer.sources);
    assert.equal(again.answer.usage.costUsd, 0);

    await teach(server, owner.accessToken, bot.id, 'more.txt', 'Gift cards cannot be refunded.');
    await ask('When are refunds accepted?');
    assert.equal(chatRequests().length, 2, 'a new document retires cached answers');

    // Another tenant's bot asked the same question gets nothing of this one's cached answer.
    const stranger = await buildTenant(server.api);
    const theirs = await buildBot(server.api, stranger.accessToken, {
      status: 'published',
      openaiApiKey: FAKE_OPENAI_KEY,
      instructions: 'Be cheerful.',
      rateLimits: { perIpPerMinute: 1000, perMinute: 1000 },
    });
    await teach(server, stranger.accessToken, theirs.id, 'returns.txt', 'Refunds are accepted by post.');
    fake.replyWith('By post [1].');
    const foreign = await ask('When are refunds accepted?', theirs.id);
    assert.equal(chatRequests().length, 3);
    assert.equal(foreign.answer.content, 'By post [1].');
    assert.deepEqual(
      foreign.answer.sources.map((source) => source.title),
      ['returns.txt'],
    );
    assert.doesNotMatch(chatRequests()[2]!.body.messages[0].content, /30 days|Gift cards/);
    fake.replyWith('Within 30 days [1].');

    const changed = await server.api.patch(
      `/api/chatbots/${bot.id}`,
      { instructions: 'Be formal.' },
      owner.accessToken,
    );
    assert.equal(changed.status, 200);
    await ask('When are refunds accepted?');
    assert.equal(chatRequests().length, 4, 'a changed bot retires cached answers');
    assert.match(chatRequests()[3]!.body.messages[0].content, /Be formal\./);
  });
});

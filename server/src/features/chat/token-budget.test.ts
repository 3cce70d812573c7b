import assert from 'node:assert/strict';
import type { AuthResponse, ConversationDetail } from '@chatbot/shared';
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeOpenAI } from '@chatbot/shared/testing';
import { openChat } from '../../testing/chat-clients';
import { teach } from '../../testing/documents';
import { buildBot, buildTenant } from '../../testing/factories';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { budgetNotes } from './token-budget';

const chatPath = '/v1/chat/completions';

describe('token budgets per conversation and per day (OWASP LLM10)', () => {
  let fake: FakeOpenAI;
  let server: TestServer;
  let owner: AuthResponse;
  const chats: Awaited<ReturnType<typeof openChat>>[] = [];

  before(async () => {
    fake = await startFakeOpenAI();
    server = await startTestServer({ env: { OPENAI_BASE_URL: fake.url } });
    owner = await buildTenant(server.api);
  });
  afterEach(() => chats.splice(0).forEach((chat) => chat.socket.close()));
  after(async () => {
    await server.stop();
    await fake.stop();
  });

  const modelCalls = () => fake.requests.filter((request) => request.path === chatPath).length;
  const botWith = async (budgets: { tokensPerConversation?: number; tokensPerDay?: number }) => {
    const bot = await buildBot(server.api, owner.accessToken, {
      status: 'published',
      openaiApiKey: FAKE_OPENAI_KEY,
      rateLimits: { perIpPerMinute: 1000, perMinute: 1000, ...budgets },
    });
    await teach(
      server,
      owner.accessToken,
      bot.id,
      'refunds.txt',
      'Refunds are paid within five working days.',
    );
    return bot;
  };
  const chat = async (botId: string) => {
    const opened = await openChat(server.api, botId);
    chats.push(opened);
    return opened;
  };
  const detail = (conversationId: string) =>
    server.api.get<ConversationDetail>(`/api/conversations/${conversationId}`, owner.accessToken);
  const stored = async (conversationId: string) => (await detail(conversationId)).body.messages;
  const tokensOf = async (conversationId: string) => {
    const { conversation } = (await detail(conversationId)).body;
    return conversation.tokensIn + conversation.tokensOut;
  };

  /** Asks until the conversation has spent `tokens`, each answer by the model while under budget. */
  const spendAtLeast = async (visitor: Awaited<ReturnType<typeof openChat>>, tokens: number) => {
    // Each model answer spends the prompt (instructions, passages, history) and the reply.
    for (let asked = 1; (await tokensOf(visitor.conversationId)) < tokens; asked++) {
      assert.ok(asked <= 10, 'the budget was never reached');
      const calls = modelCalls();
      await visitor.ask('How long do refunds take?');
      assert.equal(modelCalls(), calls + 1, 'under budget, the model answers');
    }
  };

  it('answers a conversation past its budget offline, without calling the model, and tells the admin why', async () => {
    const bot = await botWith({ tokensPerConversation: 1000 });
    const visitor = await chat(bot.id);
    fake.replyWith('Refunds take five working days.');
    await spendAtLeast(visitor, 1000);
    const calls = modelCalls();
    const offline = await visitor.ask('And how are refunds paid?');
    assert.equal(offline.state, 'complete');
    assert.ok(offline.content.length > 0, 'the visitor still gets an answer');
    assert.equal(modelCalls(), calls, 'past the budget, no model call');
    const last = (await stored(visitor.conversationId)).at(-1)!;
    assert.equal(last.error, budgetNotes.conversation);

    // Another conversation of the same bot has its own budget (a new question: not one the cache holds).
    const other = await chat(bot.id);
    await other.ask('When are refunds paid?');
    assert.equal(modelCalls(), calls + 1);
  });

  it("answers every conversation offline once the bot has spent the day's budget", async () => {
    const bot = await botWith({ tokensPerDay: 1000 });
    fake.replyWith('Refunds take five working days.');
    const first = await chat(bot.id);
    await spendAtLeast(first, 1000);
    const calls = modelCalls();
    const fresh = await chat(bot.id);
    const answer = await fresh.ask('Tell me how refunds are paid.');
    assert.equal(answer.state, 'complete');
    assert.equal(modelCalls(), calls, 'a new conversation does not reach the model either');
    assert.equal((await stored(fresh.conversationId)).at(-1)!.error, budgetNotes.day);
  });

  it('refuses budgets below the floor and keeps the default for bots that never set one', async () => {
    const refused = await server.api.post(
      '/api/chatbots',
      { name: 'Tiny', rateLimits: { tokensPerConversation: 10 } },
      owner.accessToken,
    );
    assert.equal(refused.status, 400);
    const bot = await buildBot(server.api, owner.accessToken);
    assert.deepEqual(
      [bot.rateLimits.tokensPerConversation, bot.rateLimits.tokensPerDay],
      [200_000, 5_000_000],
    );
  });
});

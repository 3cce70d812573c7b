import assert from 'node:assert/strict';
import type { AssistantAnswerResponse, AuthResponse, BotView, ConversationDetail } from '@chatbot/shared';
import { UsageDaily, runAsSystem } from '@chatbot/shared/platform';
import { forEachDialect } from '@chatbot/shared/testing';
import { nextEvent, openChat, type WidgetSocket } from '../../testing/chat-clients';
import { teach } from '../../testing/documents';
import { buildBot, buildTenant } from '../../testing/factories';
import { startTestServer, type TestServer } from '../../testing/test-server';

const generous = { rateLimits: { perIpPerMinute: 1000, perMinute: 1000 } };

forEachDialect('admin assistant, offline (no OpenAI key)', (dialect) => {
  let server: TestServer;
  let alpha: AuthResponse;
  let beta: AuthResponse;
  let alphaBot: BotView;
  let betaBot: BotView;
  const conversations: string[] = [];
  const sockets: WidgetSocket[] = [];

  /** A visitor's chat with a bot, closed after the test. */
  const chatWith = async (botId: string) => {
    const chat = await openChat(server.api, botId);
    sockets.push(chat.socket);
    if (botId === alphaBot.id) conversations.push(chat.conversationId);
    return chat;
  };
  /** A lead captured the way the widget's form does it. */
  const leaveLead = async (botId: string, email: string) => {
    const chat = await chatWith(botId);
    const response = await server.api.request(
      'POST',
      `/api/public/conversation/${chat.conversationId}/capture-lead`,
      {
        body: { email, consent: true },
        headers: { authorization: `Bearer ${chat.visitorToken}` },
      },
    );
    assert.equal(response.status, 201, JSON.stringify(response.body));
  };
  const ask = async (owner: AuthResponse, question: string) => {
    const response = await server.api.post<AssistantAnswerResponse>(
      '/api/assistant/ask',
      { question },
      owner.accessToken,
    );
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body;
  };

  before(async () => {
    server = await startTestServer({ dialect });
    alpha = await buildTenant(server.api);
    beta = await buildTenant(server.api);
    alphaBot = await buildBot(server.api, alpha.accessToken, {
      name: 'Alpha Helper',
      status: 'published',
      ...generous,
    });
    await buildBot(server.api, alpha.accessToken, { name: 'Draft Thing' });
    betaBot = await buildBot(server.api, beta.accessToken, {
      name: 'Beta Other',
      status: 'published',
      ...generous,
    });

    await leaveLead(alphaBot.id, 'first@alpha.example');
    await leaveLead(alphaBot.id, 'second@alpha.example');
    await leaveLead(betaBot.id, 'only@beta.example');
    await teach(
      server,
      alpha.accessToken,
      alphaBot.id,
      'refunds.txt',
      'Refunds are accepted within 30 days.',
    );
    // An answer from the documents costs tokens (counted, if not paid, offline); one they do not cover is
    // recorded as unanswered.
    const answered = await chatWith(alphaBot.id);
    await answered.ask('Within how many days are refunds accepted?');
    await answered.ask('Do you ship parcels to Canada?');
    const waiting = await chatWith(alphaBot.id);
    const asked = nextEvent(waiting.socket, 'message:new', (message) => message.role === 'system');
    await waiting.say('Can I talk to a human, please?');
    await asked;
  });
  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));
  after(() => server.stop());

  it('counts this month’s leads with the leads tool, each tenant its own', async () => {
    const answer = await ask(alpha, 'How many leads this month?');
    assert.match(answer.answer, /You have 2 leads this month \(\w+ \d{4}, UTC\): 2 new, 0 contacted/);
    assert.equal(answer.toolCalls.length, 1);
    assert.equal(answer.toolCalls[0]!.name, 'leads_this_month');
    assert.equal(answer.toolCalls[0]!.result.total, 2);
    assert.deepEqual(answer.sources, []);

    const other = await ask(beta, 'how many leads this month');
    assert.match(other.answer, /You have 1 lead this month/);
    assert.equal(other.toolCalls[0]!.result.total, 1);
  });

  it('lists the tenant’s published bots by name, and not another tenant’s', async () => {
    const answer = await ask(alpha, 'Which bots are active?');
    assert.match(answer.answer, /You have 1 published bot: Alpha Helper \(and 1 draft/);
    assert.doesNotMatch(answer.answer, /Beta Other|Draft Thing/);
    assert.deepEqual(answer.toolCalls[0]!.result.bots, [{ id: alphaBot.id, name: 'Alpha Helper' }]);

    const other = await ask(beta, 'which bots are active');
    assert.match(other.answer, /Beta Other/);
    assert.doesNotMatch(JSON.stringify(other), /Alpha Helper|Draft Thing/);
  });

  it('answers a how-to question from the platform’s documentation, citing it', async () => {
    const answer = await ask(alpha, 'How do I upload a document?');
    assert.ok(answer.sources.length >= 1, JSON.stringify(answer));
    for (const source of answer.sources) assert.match(source.title, /^(README\.md|docs\/[\w-]+\.md)$/);
    assert.match(answer.answer, /upload/i);
    assert.match(answer.answer, /\[\d\]/);
    assert.deepEqual(answer.toolCalls, []);
  });

  it('says what it can do when it cannot place a question', async () => {
    const answer = await ask(alpha, 'Purple elephants juggle quantum marmalade?');
    assert.match(answer.answer, /couldn't match/);
    for (const figure of [
      'leads captured this month',
      'which bots are published',
      'busiest hours',
      'waiting for a person',
    ])
      assert.ok(answer.answer.includes(figure), `${figure} in: ${answer.answer}`);
    assert.deepEqual([answer.sources, answer.toolCalls], [[], []]);
  });

  it('gives the other figures, from the tenant’s own data only', async () => {
    const details = await Promise.all(
      conversations.map(
        async (id) =>
          (await server.api.get<ConversationDetail>(`/api/conversations/${id}`, alpha.accessToken)).body,
      ),
    );
    const visitorMessages = details.flatMap((detail) => detail.messages.filter((m) => m.role === 'visitor'));
    const result = async (owner: AuthResponse, question: string, tool: string) => {
      const answer = await ask(owner, question);
      assert.equal(answer.toolCalls[0]?.name, tool, `${question} → ${JSON.stringify(answer)}`);
      return { text: answer.answer, ...answer.toolCalls[0]!.result } as Record<string, any>;
    };

    const hours = await result(alpha, 'What are our busiest hours over the last 7 days?', 'busiest_hours');
    assert.equal(hours.total, visitorMessages.length);
    const expectedHours = new Set(visitorMessages.map((m) => new Date(m.createdAt).getUTCHours()));
    assert.ok(expectedHours.has(hours.busiest[0].hour), JSON.stringify(hours));
    assert.match(hours.text, /the busiest hour was \d\d:00-\d\d:00 UTC/);
    // Beta's visitor left a lead without writing a message.
    assert.equal((await result(beta, 'busiest hours?', 'busiest_hours')).total, 0);

    const handoffs = await result(alpha, 'How many conversations are waiting for a person?', 'open_handoffs');
    assert.equal(handoffs.waiting, 1);
    assert.match(handoffs.text, /1 conversation is waiting for a person right now/);
    assert.equal((await result(beta, 'open handoffs', 'open_handoffs')).waiting, 0);

    const today = await result(alpha, 'How many conversations today?', 'conversations_today');
    assert.equal(today.conversations, conversations.length);
    assert.equal((await result(beta, 'conversations today', 'conversations_today')).conversations, 1);

    const gaps = await result(
      alpha,
      'How many questions went unanswered in the last 30 days?',
      'unanswered_questions',
    );
    assert.equal(gaps.unanswered, 1);
    assert.equal(gaps.latest[0].question, 'Do you ship parcels to Canada?');
    const betaGaps = await result(beta, 'unanswered questions', 'unanswered_questions');
    assert.equal(betaGaps.unanswered, 0);
    assert.doesNotMatch(betaGaps.text, /Canada/);

    const usage = await result(alpha, 'What did my bots cost this month?', 'token_usage');
    const rows = await runAsSystem('test', () =>
      server.platform.orm.em.fork().find(UsageDaily, { tenant: alpha.tenant.id, day: { $gte: usage.from } }),
    );
    assert.equal(
      usage.promptTokens,
      rows.reduce((sum, row) => sum + row.tokensIn, 0),
    );
    assert.equal(
      usage.completionTokens,
      rows.reduce((sum, row) => sum + row.tokensOut, 0),
    );
    assert.ok(usage.promptTokens > 0, 'the answer was counted');
    assert.match(usage.text, /your bots used [\d,]+ tokens .* costing \$0\./);
    assert.equal(usage.from.slice(8), '01');
  });
});

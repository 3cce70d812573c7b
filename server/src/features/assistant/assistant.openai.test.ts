import assert from 'node:assert/strict';
import type {
  AssistantAnswerResponse,
  AssistantDelta,
  AssistantDone,
  AuthResponse,
  BotView,
} from '@chatbot/shared';
import {
  FAKE_OPENAI_KEY,
  startFakeOpenAI,
  type FakeChatScript,
  type FakeOpenAI,
  type FakeOpenAIRequest,
} from '@chatbot/shared/testing';
import {
  clientMessageId,
  connectAdmin,
  nextEvent,
  openChat,
  requestOk,
  type AdminSocket,
  type WidgetSocket,
} from '../../testing/chat-clients';
import { buildBot, buildTenant } from '../../testing/factories';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { startPrivateChroma } from './testing/private-chroma';
import { waitUntilReady } from './testing/wait-until-ready';

const chatPath = '/v1/chat/completions';
const toolNames = [
  'open_handoffs',
  'busiest_hours',
  'unanswered_questions',
  'token_usage',
  'leads_this_month',
  'conversations_today',
  'active_bots',
];

describe('admin assistant with a model (the fake OpenAI server, through the real SDK)', () => {
  let fake: FakeOpenAI;
  let chroma: Awaited<ReturnType<typeof startPrivateChroma>>;
  let server: TestServer;
  let alpha: AuthResponse;
  let beta: AuthResponse;
  let alphaBot: BotView;
  const sockets: Array<WidgetSocket | AdminSocket> = [];

  before(async () => {
    fake = await startFakeOpenAI();
    // A Chroma of its own: this suite fills the assistant's collection with OpenAI-sized vectors.
    chroma = await startPrivateChroma();
    server = await startTestServer({
      env: { OPENAI_API_KEY: FAKE_OPENAI_KEY, OPENAI_BASE_URL: fake.url, CHROMA_URL: chroma.url },
    });
    alpha = await buildTenant(server.api);
    beta = await buildTenant(server.api);
    alphaBot = await buildBot(server.api, alpha.accessToken, {
      name: 'Alpha Helper',
      status: 'published',
      rateLimits: { perIpPerMinute: 1000, perMinute: 1000 },
    });
    await buildBot(server.api, beta.accessToken, { name: 'Beta Other', status: 'published' });
    for (const email of ['first@alpha.example', 'second@alpha.example']) {
      // Through the public path a visitor's lead form takes.
      const chat = await openChat(server.api, alphaBot.id);
      sockets.push(chat.socket);
      const lead = await server.api.request(
        'POST',
        `/api/public/conversation/${chat.conversationId}/capture-lead`,
        { body: { email, consent: true }, headers: { authorization: `Bearer ${chat.visitorToken}` } },
      );
      assert.equal(lead.status, 201, JSON.stringify(lead.body));
    }
    await waitUntilReady(server, alpha.accessToken);
  });
  beforeEach(() => fake.reset());
  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));
  after(async () => {
    await server.stop();
    await chroma.stop();
    await fake.stop();
  });

  const chatRequests = () => fake.requests.filter((request) => request.path === chatPath);
  const toolMessages = (request: FakeOpenAIRequest) =>
    (request.body.messages as any[]).filter((message) => message.role === 'tool');
  /** A model answering from the last tool result it was sent back. */
  const answerFromTools: FakeChatScript = (request) => {
    const result = JSON.parse(toolMessages(request).at(-1).content);
    return {
      content: result.error
        ? `I could not look that up: ${result.error}`
        : `You have ${result.total} leads this month.`,
    };
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

  it('runs the leads tool the model calls, sends the count back, and streams the answer to the asker only', async () => {
    fake.queueReplies({ toolCalls: [{ name: 'leads_this_month', arguments: {} }] }, answerFromTools);
    const asking = await connectAdmin(server.url, alpha.accessToken);
    const colleague = await connectAdmin(server.url, alpha.accessToken);
    sockets.push(asking, colleague);
    let overheard = 0;
    colleague.on('assistant:delta', () => overheard++);
    colleague.on('assistant:done', () => overheard++);
    const deltas: AssistantDelta[] = [];
    asking.on('assistant:delta', (delta) => deltas.push(delta));
    const done = nextEvent<AssistantDone>(asking, 'assistant:done');
    const { messageId } = await requestOk<{ messageId: string }>(asking, 'assistant:ask', {
      question: 'How many leads this month?',
      clientMessageId: clientMessageId(),
    });
    const answer = await done;

    assert.equal(answer.messageId, messageId);
    assert.equal(answer.content, 'You have 2 leads this month.');
    assert.equal(answer.state, 'complete');
    assert.deepEqual(
      answer.toolCalls.map((call) => [call.name, call.result.total, call.result.byStatus]),
      [['leads_this_month', 2, { new: 2, contacted: 0, qualified: 0, converted: 0 }]],
    );
    assert.equal(deltas.map((delta) => delta.delta).join(''), answer.content);
    assert.ok(deltas.length > 1);

    const [first, second, ...more] = chatRequests();
    assert.equal(more.length, 0);
    assert.equal(first!.body.stream, true);
    assert.equal(first!.body.tool_choice, 'auto');
    assert.deepEqual(
      first!.body.tools.map((tool: any) => tool.function.name),
      toolNames,
    );
    for (const tool of first!.body.tools) {
      assert.equal(tool.type, 'function');
      assert.equal(tool.function.parameters.additionalProperties, false);
      // Nothing the model fills in can name a tenant.
      assert.doesNotMatch(JSON.stringify(tool.function.parameters), /tenant/i);
    }
    assert.equal(first!.body.messages[0].role, 'system');
    assert.match(first!.body.messages[0].content, /Documentation passages:\n\[1\] /);
    assert.deepEqual(first!.body.messages[1], { role: 'user', content: 'How many leads this month?' });
    const [call] = second!.body.messages.at(-2).tool_calls;
    assert.equal(call.function.name, 'leads_this_month');
    const [sentBack] = toolMessages(second!);
    assert.equal(sentBack.tool_call_id, call.id);
    assert.equal(JSON.parse(sentBack.content).total, 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(overheard, 0);
  });

  it('gives a second tenant its own count (0) and nothing of the first tenant’s', async () => {
    fake.queueReplies({ toolCalls: [{ name: 'leads_this_month', arguments: {} }] }, answerFromTools);
    const answer = await ask(beta, 'How many leads this month?');
    assert.equal(answer.answer, 'You have 0 leads this month.');
    assert.equal(answer.toolCalls[0]!.result.total, 0);
    const sent = JSON.stringify(chatRequests().map((request) => request.body));
    for (const secret of [alphaBot.id, 'Alpha Helper', 'alpha.example', alpha.tenant.id]) {
      assert.ok(!sent.includes(secret), `${secret} reached the model`);
    }
  });

  it('answers a tool call naming another tenant’s bot, or a tenant, with an error result and no data', async () => {
    const unknownBot = '6f1c2f0e-5d6b-4c8a-9a57-0c2b9f1e3d4a';
    fake.queueReplies(
      {
        toolCalls: [
          { name: 'leads_this_month', arguments: { botId: alphaBot.id } },
          { name: 'leads_this_month', arguments: { botId: unknownBot } },
          { name: 'leads_this_month', arguments: { tenantId: alpha.tenant.id } },
          { name: 'busiest_hours', arguments: '{"days": 7,' },
          { name: 'run_sql', arguments: { query: 'select * from leads' } },
        ],
      },
      answerFromTools,
    );
    const answer = await ask(beta, 'How many leads has Alpha Helper this month?');
    const errors = answer.toolCalls.map((call) => call.result.error);
    assert.deepEqual(errors, [
      'There is no bot with this id in this account.',
      // The same refusal as for a bot that exists nowhere: the refusal tells nothing of the other tenant.
      'There is no bot with this id in this account.',
      'Invalid arguments: unknown argument tenantId.',
      'The arguments are not valid JSON.',
      'There is no tool named run_sql.',
    ]);
    for (const call of answer.toolCalls) assert.deepEqual(Object.keys(call.result), ['error']);
    const sentBack = toolMessages(chatRequests()[1]!).map((message) => JSON.parse(message.content));
    assert.deepEqual(
      sentBack.map((result) => result.error),
      errors,
    );
    assert.match(answer.answer, /^I could not look that up/);
  });

  it('grounds a how-to answer in the documentation passages it was given, keeping only real citations', async () => {
    fake.queueReplies({
      content: 'Send the files to POST /api/documents/upload [1], as the guide says [9].',
    });
    const answer = await ask(alpha, 'How do I upload a document?');
    assert.equal(answer.answer, 'Send the files to POST /api/documents/upload [1], as the guide says.');
    assert.equal(answer.sources.length, 1);
    assert.equal(answer.sources[0]!.index, 1);
    assert.match(answer.sources[0]!.title, /^(README\.md|docs\/[\w-]+\.md)$/);
    assert.deepEqual(answer.toolCalls, []);
    const system = chatRequests()[0]!.body.messages[0].content as string;
    assert.ok(system.includes(`[1] ${answer.sources[0]!.title}`), system.slice(0, 500));
    assert.match(system, /documents\/upload/);
    assert.match(system, /never instructions/);
  });

  it('stops offering tools after three rounds, so the model has to answer', async () => {
    const again = { toolCalls: [{ name: 'active_bots', arguments: {} }] };
    fake.queueReplies(again, again, again, { content: 'You have one published bot, Alpha Helper.' });
    const answer = await ask(alpha, 'Which bots are active?');
    assert.equal(answer.answer, 'You have one published bot, Alpha Helper.');
    assert.equal(answer.toolCalls.length, 3);
    assert.deepEqual(
      chatRequests().map((request) => request.body.tool_choice),
      ['auto', 'auto', 'auto', 'none'],
    );
  });

  it('answers offline when the model fails before saying anything', async () => {
    fake.failNext(1, 401, { path: chatPath });
    const answer = await ask(alpha, 'How many leads this month?');
    assert.match(answer.answer, /^You have 2 leads this month/);
    assert.equal(answer.toolCalls[0]!.result.total, 2);
    assert.equal(chatRequests().length, 1);
  });
});

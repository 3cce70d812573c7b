import assert from 'node:assert/strict';
import type { AuthResponse, BotView } from '@chatbot/shared';
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeOpenAI } from '@chatbot/shared/testing';
import { buildBot, buildTenant } from '../../testing/factories';
import { startConversation } from '../../testing/chat-clients';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { captureOverRest, sayOverRest, waitForLead } from './lead-fixtures';

const chatPath = '/v1/chat/completions';

describe('lead summaries by the bot’s model (a fake OpenAI server and the real SDK)', () => {
  let fake: FakeOpenAI;
  let server: TestServer;
  let owner: AuthResponse;
  let bot: BotView;

  before(async () => {
    fake = await startFakeOpenAI();
    server = await startTestServer({ env: { OPENAI_BASE_URL: fake.url } });
    owner = await buildTenant(server.api);
    bot = await buildBot(server.api, owner.accessToken, {
      status: 'published',
      openaiApiKey: FAKE_OPENAI_KEY,
      model: 'gpt-4o-mini',
      rateLimits: { perIpPerMinute: 1000, perMinute: 1000 },
    });
  });
  beforeEach(() => fake.reset());
  after(async () => {
    await server.stop();
    await fake.stop();
  });

  /** A conversation with a question, then the visitor's details: resolves with the lead's id. */
  async function leadWithChat(question: string) {
    const visitor = await startConversation(server.api, bot.id);
    await sayOverRest(server, bot.id, visitor, question);
    const captured = await captureOverRest(server, visitor, { email: 'lin@example.com', company: 'Lin Ltd' });
    assert.equal(captured.status, 201);
    return captured.body.leadId;
  }

  it('asks the model for a short summary of the transcript, and still scores the lead itself', async () => {
    const summary = 'Lin wants a demo for a team of 12 and asked about SSO. They seem ready to buy.';
    fake.replyWith(summary);
    const leadId = await leadWithChat('We would like to schedule a demo for 12 people. Do you support SSO?');
    const lead = await waitForLead(server, leadId, (row) => row.summary !== null);
    assert.equal(lead.summary, summary);
    const asked = fake.requests.filter(
      (request) =>
        request.path === chatPath && /notes for a sales team/.test(request.body.messages[0].content),
    );
    assert.equal(asked.length, 1);
    assert.equal(asked[0]!.body.model, 'gpt-4o-mini');
    assert.equal(asked[0]!.headers.authorization, `Bearer ${FAKE_OPENAI_KEY}`);
    assert.match(asked[0]!.body.messages[1].content, /^Visitor: We would like to schedule a demo/);
    assert.deepEqual(lead.scoreReasons, [
      '+40 wants to act: “schedule a demo”',
      '+5 sent 1 message',
      '+10 left an email address',
      '+5 named a company',
    ]);
    assert.equal(lead.score, 60);
  });

  it('quotes the transcript instead when the model refuses the key', async () => {
    // 401 is not retried: the job falls back at once.
    fake.validKeys.delete(FAKE_OPENAI_KEY);
    try {
      const leadId = await leadWithChat('How much does the Pro plan cost?');
      const lead = await waitForLead(server, leadId, (row) => row.summary !== null);
      assert.equal(lead.summary, 'Stated need: “How much does the Pro plan cost?”');
      assert.equal(
        fake.requests.filter((request) => request.path === chatPath).length,
        1,
        'the model was not asked first',
      );
    } finally {
      fake.validKeys.add(FAKE_OPENAI_KEY);
    }
  });
});

import assert from 'node:assert/strict';
import type {
  ApiErrorBody,
  AuthResponse,
  BotView,
  MessageDone,
  PreviewConversationResponse,
} from '@chatbot/shared';
import {
  clientMessageId,
  connectWidget,
  nextEvent,
  requestOk,
  startConversation,
} from '../../testing/chat-clients';
import { teach } from '../../testing/documents';
import { buildBot, buildTenant } from '../../testing/factories';
import { startTestServer, type TestServer } from '../../testing/test-server';

const HOURS = 'Our support desk is open from 9 to 17 on weekdays. Weekend questions are answered on Monday.';

/** An agent of the owner's tenant, invited and signed up through the API. */
async function buildAgent(server: TestServer, owner: AuthResponse): Promise<AuthResponse> {
  const invite = await server.api.post(
    '/api/users/invitations',
    { email: `agent-${Date.now()}@example.com`, role: 'agent' },
    owner.accessToken,
  );
  const agent = await server.api.post<AuthResponse>('/api/auth/accept-invitation', {
    token: invite.body.token,
    name: 'Agent',
    password: 'agent password 123',
  });
  assert.equal(agent.status, 201, JSON.stringify(agent.body));
  return agent.body;
}

describe('preview conversations (the dashboard chats with a draft)', () => {
  let server: TestServer;
  let owner: AuthResponse;
  let draft: BotView;
  const preview = (botId: string, token?: string) =>
    server.api.post<PreviewConversationResponse & ApiErrorBody>(
      `/api/chatbots/${botId}/preview-conversation`,
      {},
      token,
    );

  before(async () => {
    server = await startTestServer();
    owner = await buildTenant(server.api);
    draft = await buildBot(server.api, owner.accessToken, {
      name: 'Draft desk',
      welcomeMessage: 'Hello there',
    });
    await teach(server, owner.accessToken, draft.id, 'hours.txt', HOURS);
  });
  after(() => server.stop());

  it('starts a conversation with a draft bot that answers over the widget socket', async () => {
    const started = await preview(draft.id, owner.accessToken);
    assert.equal(started.status, 201, JSON.stringify(started.body));
    assert.equal(started.body.welcomeMessage, 'Hello there');
    assert.equal(started.body.resumed, false);

    // From the dashboard's origin, which is none of the bot's sites.
    const socket = await connectWidget(
      server.url,
      { botId: draft.id, visitorToken: started.body.visitorToken },
      { origin: 'https://dashboard.example' },
    );
    try {
      await requestOk(socket, 'conversation:join', { conversationId: started.body.conversationId });
      const done = nextEvent<MessageDone>(socket, 'message:done');
      await requestOk(socket, 'message:send', {
        conversationId: started.body.conversationId,
        text: 'When is the support desk open?',
        clientMessageId: clientMessageId(),
      });
      assert.match((await done).content, /9 to 17/);
    } finally {
      socket.close();
    }
    const listed = await server.api.get(`/api/conversations?botId=${draft.id}`, owner.accessToken);
    assert.ok(listed.body.conversations.some((c: { id: string }) => c.id === started.body.conversationId));
  });

  it('answers over the public REST chat with a preview token, for a draft', async () => {
    const started = await preview(draft.id, owner.accessToken);
    const reply = await server.api.request('POST', `/api/public/chat/${draft.id}`, {
      body: { conversationId: started.body.conversationId, message: 'Are you open on weekends?' },
      token: started.body.visitorToken,
    });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.match(reply.body.reply, /Monday/);
  });

  it('lets an agent of the tenant preview too', async () => {
    const agent = await buildAgent(server, owner);
    assert.equal((await preview(draft.id, agent.accessToken)).status, 201);
  });

  it('answers 404 to another tenant, as if the bot did not exist', async () => {
    const stranger = await buildTenant(server.api);
    const attempt = await preview(draft.id, stranger.accessToken);
    assert.equal(attempt.status, 404);
    assert.equal(attempt.body.error.code, 'not_found');
    assert.equal((await preview('00000000-0000-4000-8000-000000000000', owner.accessToken)).status, 404);
  });

  it('gives visitors no way into a draft', async () => {
    assert.equal((await preview(draft.id)).status, 401);
    const publicStart = await server.api.post(`/api/public/conversation/${draft.id}/start`, {});
    assert.equal(publicStart.status, 404);
    assert.equal((await server.api.get(`/api/public/bot/${draft.id}/config`)).status, 404);

    // A visitor's ordinary token, from when the bot was published, stops working once it is a draft.
    const bot = await buildBot(server.api, owner.accessToken, { status: 'published' });
    const visitor = await startConversation(server.api, bot.id);
    await server.api.patch(`/api/chatbots/${bot.id}`, { status: 'draft' }, owner.accessToken);
    await assert.rejects(
      connectWidget(server.url, { botId: bot.id, visitorToken: visitor.visitorToken }),
      (error: Error & { data?: { code?: string } }) => error.data?.code === 'not_found',
    );
    const chat = await server.api.request('POST', `/api/public/chat/${bot.id}`, {
      body: { conversationId: visitor.conversationId, message: 'Hello?' },
      token: visitor.visitorToken,
    });
    assert.equal(chat.status, 404);
  });

  it('keeps a preview token to its own bot', async () => {
    const started = await preview(draft.id, owner.accessToken);
    const other = await buildBot(server.api, owner.accessToken);
    await assert.rejects(
      connectWidget(server.url, { botId: other.id, visitorToken: started.body.visitorToken }),
      (error: Error & { data?: { code?: string } }) => error.data?.code === 'unauthenticated',
    );
  });
});

import assert from 'node:assert/strict';
import type { AssistantDelta, AssistantDone, AuthResponse } from '@chatbot/shared';
import { AssistantLimits } from '@chatbot/shared';
import {
  clientMessageId,
  connectAdmin,
  nextEvent,
  request,
  requestOk,
  type AdminSocket,
} from '../../testing/chat-clients';
import { buildBot, buildTenant } from '../../testing/factories';
import { startTestServer, type TestServer } from '../../testing/test-server';

describe('admin assistant on the /admin socket and over REST', () => {
  let server: TestServer;
  let alpha: AuthResponse;
  let beta: AuthResponse;
  const sockets: AdminSocket[] = [];

  before(async () => {
    server = await startTestServer();
    alpha = await buildTenant(server.api);
    beta = await buildTenant(server.api);
    await buildBot(server.api, alpha.accessToken, { name: 'Alpha Helper', status: 'published' });
  });
  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));
  after(() => server.stop());

  it('streams to the asking socket only, answers a resend once, and refuses bad payloads', async () => {
    const asking = await connectAdmin(server.url, alpha.accessToken);
    const colleague = await connectAdmin(server.url, alpha.accessToken);
    sockets.push(asking, colleague);
    let overheard = 0;
    colleague.on('assistant:delta', () => overheard++);
    colleague.on('assistant:done', () => overheard++);
    const deltas: AssistantDelta[] = [];
    asking.on('assistant:delta', (delta) => deltas.push(delta));
    const done = nextEvent<AssistantDone>(asking, 'assistant:done');
    const payload = { question: 'which bots are active?', clientMessageId: clientMessageId() };
    const { messageId } = await requestOk<{ messageId: string }>(asking, 'assistant:ask', payload);
    const answer = await done;
    assert.equal(answer.messageId, messageId);
    assert.equal(answer.state, 'complete');
    assert.match(answer.content, /Alpha Helper/);
    assert.equal(answer.toolCalls[0]!.name, 'active_bots');
    assert.ok(deltas.length > 3);
    let text = '';
    for (const delta of deltas) {
      assert.equal(delta.messageId, messageId);
      assert.equal(delta.offset, text.length);
      text += delta.delta;
    }
    assert.equal(text, answer.content);

    let answers = 0;
    asking.on('assistant:done', () => answers++);
    assert.deepEqual(await requestOk(asking, 'assistant:ask', payload), { messageId });
    const tooLong = await request(asking, 'assistant:ask', {
      question: 'x'.repeat(AssistantLimits.questionMaxLength + 1),
      clientMessageId: clientMessageId(),
    });
    const empty = await request(asking, 'assistant:ask', {
      question: '  ',
      clientMessageId: clientMessageId(),
    });
    const withTenant = await request(asking, 'assistant:ask', {
      question: 'leads?',
      clientMessageId: clientMessageId(),
      tenantId: beta.tenant.id,
    });
    for (const refused of [tooLong, empty, withTenant]) {
      assert.ok(!refused.ok && refused.error.code === 'validation_failed', JSON.stringify(refused));
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual([answers, overheard], [0, 0]);
  });

  it('limits each user’s questions a minute, over REST and the socket together', async () => {
    const owner = await buildTenant(server.api);
    const statuses = [];
    for (let i = 0; i < AssistantLimits.questionsPerMinute; i++) {
      const response = await server.api.post(
        '/api/assistant/ask',
        { question: 'which bots are active' },
        owner.accessToken,
      );
      statuses.push(response.status);
    }
    assert.deepEqual(new Set(statuses), new Set([200]));
    const refused = await server.api.post(
      '/api/assistant/ask',
      { question: 'which bots?' },
      owner.accessToken,
    );
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error.code, 'rate_limited');
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    const socket = await connectAdmin(server.url, owner.accessToken);
    sockets.push(socket);
    const ack = await request(socket, 'assistant:ask', {
      question: 'bots?',
      clientMessageId: clientMessageId(),
    });
    assert.ok(
      !ack.ok && ack.error.code === 'rate_limited' && ack.error.retryAfterSeconds! >= 1,
      JSON.stringify(ack),
    );
    // Another user of the platform still has all of theirs.
    assert.equal(
      (await server.api.post('/api/assistant/ask', { question: 'bots?' }, beta.accessToken)).status,
      200,
    );
  });

  it('refuses a caller without a valid sign-in, and a body it does not know', async () => {
    assert.equal((await server.api.post('/api/assistant/ask', { question: 'leads?' })).status, 401);
    const extra = await server.api.post(
      '/api/assistant/ask',
      { question: 'leads?', tenantId: beta.tenant.id },
      alpha.accessToken,
    );
    assert.equal(extra.status, 400);
    assert.equal((await server.api.get('/api/assistant/status')).status, 401);
  });

  it('disconnects the socket of a user removed since it connected, and refuses their questions', async () => {
    const invite = await server.api.post(
      '/api/users/invitations',
      { email: `agent-${clientMessageId()}@example.com`, role: 'agent' },
      alpha.accessToken,
    );
    const agent = await server.api.post<AuthResponse>('/api/auth/accept-invitation', {
      token: invite.body.token,
      name: 'Alex',
      password: 'correct horse battery staple',
    });
    assert.equal(agent.status, 201, JSON.stringify(agent.body));
    const socket = await connectAdmin(server.url, agent.body.accessToken);
    sockets.push(socket);
    const ok = await requestOk(socket, 'assistant:ask', {
      question: 'bots?',
      clientMessageId: clientMessageId(),
    });
    assert.ok(ok);
    const disconnected = new Promise((resolve) => socket.once('disconnect', resolve));
    const removed = await server.api.delete(`/api/users/${agent.body.user.id}`, alpha.accessToken);
    assert.equal(removed.status, 204, JSON.stringify(removed.body));
    // Dropped at once, before it asks anything more; its token is refused wherever it goes next.
    assert.equal(await disconnected, 'io server disconnect');
    const refused = await server.api.post(
      '/api/assistant/ask',
      { question: 'leads?' },
      agent.body.accessToken,
    );
    assert.equal(refused.status, 401);
  });
});

import assert from 'node:assert/strict';
import { buildBot, buildTenant } from './testing/factories';
import { clientMessageId, connectAdmin, openChat, request } from './testing/chat-clients';
import { startTestServerBehindDatabaseProxy, type ProxiedDatabaseServer } from './testing/test-server';
import type { AuthResponse, BotView } from '@chatbot/shared';

/**
 * The database out of reach, in one process on PostgreSQL behind a fault proxy: every way in (REST, a
 * socket event, a socket handshake) refuses with 503 / `unavailable` and a Retry-After the client can act
 * on, never a 500; once it is back the same requests succeed, and a message sent again is stored once.
 */
describe('the database out of reach: clear, retryable refusals', function () {
  this.timeout(60_000);
  let server: ProxiedDatabaseServer;
  let owner: AuthResponse;
  let bot: BotView;

  before(async () => {
    server = await startTestServerBehindDatabaseProxy();
    owner = await buildTenant(server.api);
    bot = await buildBot(server.api, owner.accessToken, { status: 'published' });
  });
  afterEach(() => server.database.up());
  after(async () => {
    await server?.stop();
  });

  it('REST requests answer 503 unavailable with Retry-After, then succeed', async () => {
    const chat = await openChat(server.api, bot.id);
    server.database.down();
    const listed = await server.api.get('/api/chatbots', owner.accessToken);
    const lead = await server.api.request(
      'POST',
      `/api/public/conversation/${chat.conversationId}/capture-lead`,
      { body: { email: 'dana@example.com', name: 'Dana' }, token: chat.visitorToken },
    );
    for (const refused of [listed, lead]) {
      assert.equal(refused.status, 503, JSON.stringify(refused.body));
      assert.equal(refused.body.error.code, 'unavailable');
      assert.equal(refused.headers.get('retry-after'), '3');
      assert.doesNotMatch(JSON.stringify(refused.body), /ECONNRESET|127\.0\.0\.1|select|postgres/i);
    }
    server.database.up();
    assert.equal((await server.api.get('/api/chatbots', owner.accessToken)).status, 200);
    chat.socket.close();
  });

  it('a socket event is refused as unavailable with retryAfterSeconds; sent again it is stored once', async () => {
    const chat = await openChat(server.api, bot.id);
    const id = clientMessageId();
    const payload = { conversationId: chat.conversationId, text: 'Is anyone there?', clientMessageId: id };
    server.database.down();
    const refused = await request(chat.socket, 'message:send', payload);
    assert.deepEqual(refused.ok ? null : refused.error, {
      code: 'unavailable',
      message: 'The service is briefly unavailable. Try again in 3 s.',
      retryAfterSeconds: 3,
    });
    server.database.up();
    const first = await request<{ messageId: string }>(chat.socket, 'message:send', payload);
    const again = await request<{ messageId: string }>(chat.socket, 'message:send', payload);
    assert.ok(first.ok && again.ok, JSON.stringify([first, again]));
    assert.equal(
      again.data.messageId,
      first.data.messageId,
      'the resend is answered with the stored message',
    );
    const conversation = await server.api.get<{ messages: { role: string }[] }>(
      `/api/conversations/${chat.conversationId}`,
      owner.accessToken,
    );
    assert.equal(conversation.body.messages.filter((m) => m.role === 'visitor').length, 1);
    chat.socket.close();
  });

  it('a handshake is refused as unavailable (the clients connect again), then admitted', async () => {
    server.database.down();
    const refused = await connectAdmin(server.url, owner.accessToken).then(
      (socket) => {
        socket.close();
        return null;
      },
      (error: Error & { data?: { code?: string } }) => error,
    );
    assert.equal(refused?.data?.code, 'unavailable', String(refused));
    server.database.up();
    (await connectAdmin(server.url, owner.accessToken)).close();
  });
});

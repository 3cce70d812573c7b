import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AuthResponse, BotView } from '@chatbot/shared';
import { runAsSystem, Session } from '@chatbot/shared/platform';
import { invite } from '../features/conversations/conversations.fixtures';
import type { ApiResponse } from '../testing/api-client';
import {
  connectAdmin,
  nextEvent,
  request,
  startConversation,
  type AdminSocket,
} from '../testing/chat-clients';
import { buildBot, buildTenant } from '../testing/factories';
import { startTestServer, type TestServer } from '../testing/test-server';
import { claimsOf } from './hostile-tokens';
import { adminProbes, type Refusal } from './token-probes';

/**
 * Access tokens whose session ended before they expired: after a logout, a refresh token's reuse or the
 * user's removal, the token is refused at once on REST, on the `/admin` handshake and on the next event of
 * a socket it had already opened (which is dropped), with the answer a forged token gets. A role read
 * from the database applies at once too.
 */
describe('revoked access tokens', () => {
  let server: TestServer;
  let owner: AuthResponse;
  let bot: BotView;
  let admin: ReturnType<typeof adminProbes>;
  let rejected: { rest: Refusal; handshake: Refusal };
  const sockets: AdminSocket[] = [];
  const connect = async (token: string) => {
    const socket = await connectAdmin(server.url, token);
    sockets.push(socket);
    return socket;
  };
  /** A harmless event: answered without touching any conversation. */
  const probe = (socket: AdminSocket) =>
    request(socket, 'conversation:unwatch', { conversationId: randomUUID() });

  before(async () => {
    server = await startTestServer({ dialect: 'postgresql' });
    admin = adminProbes(server);
    owner = await buildTenant(server.api);
    bot = await buildBot(server.api, owner.accessToken, { status: 'published' });
    rejected = { rest: await admin.rest('not-a-jwt'), handshake: await admin.handshake('not-a-jwt') };
  });
  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));
  after(() => server.stop());

  const signIn = async (email: string) => {
    const response = await server.api.post<AuthResponse>('/api/auth/login', {
      email,
      password: 'correct horse battery staple',
    });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body;
  };

  /**
   * Connects with the token, ends its session with `revoke`, then checks that the open socket is dropped
   * at once, though it sends nothing (a socket that only listens hears nothing more), and that REST and a
   * new handshake refuse the token.
   */
  async function assertRevokedEverywhere(accessToken: string, revoke: () => Promise<void>) {
    const socket = await connect(accessToken);
    assert.ok((await probe(socket)).ok);
    const dropped = nextEvent<string>(socket, 'disconnect', () => true, 2000);
    await revoke();
    assert.equal(await dropped, 'io server disconnect');
    assert.deepEqual(await admin.rest(accessToken), rejected.rest);
    assert.deepEqual(await admin.handshake(accessToken), rejected.handshake);
  }

  it('ends the token at logout', async () => {
    const session = await signIn(owner.user.email);
    await assertRevokedEverywhere(session.accessToken, async () => {
      assert.equal((await server.api.post('/api/auth/logout', undefined, session.accessToken)).status, 204);
    });
  });

  it('ends the newest token of a session whose spent refresh token is presented again', async () => {
    const session = await signIn(owner.user.email);
    const rotated = await server.api.post<AuthResponse>('/api/auth/refresh', {
      refreshToken: session.refreshToken,
    });
    assert.equal(rotated.status, 200);
    const refusals: ApiResponse[] = [];
    await assertRevokedEverywhere(rotated.body.accessToken, async () => {
      refusals.push(await server.api.post('/api/auth/refresh', { refreshToken: session.refreshToken }));
    });
    // Every refused refresh is answered alike: neither the reuse nor the revoked session's newest token
    // is told apart from a token never issued.
    refusals.push(await server.api.post('/api/auth/refresh', { refreshToken: rotated.body.refreshToken }));
    const unknown = await server.api.post('/api/auth/refresh', { refreshToken: 'x'.repeat(43) });
    assert.equal(unknown.body.error.code, 'unauthenticated');
    for (const refusal of refusals) {
      assert.equal(refusal.status, 401);
      assert.deepEqual({ ...refusal.body.error, requestId: 0 }, { ...unknown.body.error, requestId: 0 });
    }
  });

  it("ends a removed user's token, and their refresh token", async () => {
    const agent = await invite(server.api, owner.accessToken, 'agent', 'Removed');
    await assertRevokedEverywhere(agent.accessToken, async () => {
      assert.equal((await server.api.delete(`/api/users/${agent.user.id}`, owner.accessToken)).status, 204);
    });
    assert.equal(
      (await server.api.post('/api/auth/refresh', { refreshToken: agent.refreshToken })).status,
      401,
    );
  });

  it('refuses the next event of a socket whose session ended without a drop reaching it, and drops it', async () => {
    // As when the node holding the socket missed the drop (Redis was down at that moment).
    const session = await signIn(owner.user.email);
    const socket = await connect(session.accessToken);
    assert.ok((await probe(socket)).ok);
    const em = server.platform.orm.em.fork();
    await runAsSystem('test: end a session behind the server', () =>
      em.nativeUpdate(
        Session,
        { id: claimsOf(session.accessToken).sid as string },
        { revokedAt: new Date() },
      ),
    );
    const dropped = nextEvent<string>(socket, 'disconnect');
    const refused = await probe(socket);
    assert.deepEqual(!refused.ok && refused.error, {
      code: 'unauthenticated',
      message: rejected.rest.message,
    });
    assert.equal(await dropped, 'io server disconnect');
  });

  it('applies a lowered role at once, to the same token on REST and on its open socket', async () => {
    const demoted = await invite(server.api, owner.accessToken, 'admin', 'Demoted');
    const agent = await invite(server.api, owner.accessToken, 'agent', 'Holder');
    const { conversationId } = await startConversation(server.api, bot.id);
    const taken = await server.api.post(
      `/api/conversations/${conversationId}/takeover`,
      undefined,
      agent.accessToken,
    );
    assert.equal(taken.status, 200, JSON.stringify(taken.body));
    const socket = await connect(demoted.accessToken);
    assert.equal((await server.api.get('/api/users', demoted.accessToken)).status, 200);

    const lowered = await server.api.patch(
      `/api/users/${demoted.user.id}`,
      { role: 'agent' },
      owner.accessToken,
    );
    assert.equal(lowered.status, 200, JSON.stringify(lowered.body));
    assert.equal((await server.api.get('/api/users', demoted.accessToken)).status, 403);
    // An admin may hand back another agent's conversation; an agent may not.
    const release = await request(socket, 'conversation:release', { conversationId });
    assert.equal(!release.ok && release.error.code, 'forbidden');
    assert.ok(socket.connected);
  });
});

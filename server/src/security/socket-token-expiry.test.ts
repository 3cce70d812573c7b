import assert from 'node:assert/strict';
import type { AuthResponse, BotView } from '@chatbot/shared';
import { io } from 'socket.io-client';
import {
  connectAdmin,
  connectWidget,
  nextEvent,
  requestOk,
  startConversation,
  type AdminSocket,
} from '../testing/chat-clients';
import { buildBot, buildTenant } from '../testing/factories';
import { startTestServer, type TestServer } from '../testing/test-server';
import { CLOCK_LEEWAY_SECONDS } from '../tenancy/signed-tokens';
import { claimsOf, mint, nowSeconds, tokenKinds } from './hostile-tokens';
import { adminProbes } from './token-probes';

/**
 * Sockets outlive no token: each is dropped when the token it was admitted with expires, and comes back only
 * through the handshake, with a fresh one. The tokens are the server's own (its secret, a real session),
 * minted to expire within seconds rather than waiting out ACCESS_TOKEN_TTL_SECONDS (60 at the least).
 */
describe('sockets whose token expires', () => {
  let server: TestServer;
  let owner: AuthResponse;
  let bot: BotView;

  before(async () => {
    server = await startTestServer({ dialect: 'postgresql' });
    owner = await buildTenant(server.api);
    bot = await buildBot(server.api, owner.accessToken, { status: 'published' });
  });
  after(() => server.stop());

  /** A genuine token of `issued` that stops being accepted `seconds` from now (after the leeway). */
  const expiringIn = (issued: string, seconds: number, typ: string) => {
    const now = nowSeconds();
    return mint(
      server.env.JWT_SECRET!,
      { ...claimsOf(issued), iat: now - 10, exp: now + seconds - CLOCK_LEEWAY_SECONDS },
      { typ },
    );
  };

  const signIn = async () => {
    const response = await server.api.post<AuthResponse>('/api/auth/login', {
      email: owner.user.email,
      password: 'correct horse battery staple',
    });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body;
  };

  it('drops an admin socket at its token expiry and lets it back, through the handshake, with a fresh token', async () => {
    const session = await signIn();
    let token = await expiringIn(session.accessToken, 2, tokenKinds.access.type);
    // As admin/src/app/core/socket/admin-socket.ts: the token is read at every handshake, and a socket
    // the server let go of is connected again.
    const socket = io(`${server.url}/admin`, {
      auth: (callback) => callback({ token }),
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    }) as AdminSocket;
    try {
      await nextEvent(socket, 'connect');
      const started = Date.now();
      assert.equal(await nextEvent<string>(socket, 'disconnect', () => true, 5000), 'io server disconnect');
      const heldMs = Date.now() - started;
      assert.ok(heldMs > 1000 && heldMs < 3500, `dropped after ${heldMs} ms`);

      assert.equal((await adminProbes(server).handshake(token)).code, 'token_expired');
      const refreshed = await server.api.post<AuthResponse>('/api/auth/refresh', {
        refreshToken: session.refreshToken,
      });
      token = refreshed.body.accessToken;
      const back = nextEvent(socket, 'connect');
      socket.connect();
      await back;
      await requestOk(socket, 'conversation:unwatch', { conversationId: crypto.randomUUID() });
    } finally {
      socket.close();
    }
  });

  it('drops at expiry a socket whose session was revoked while it only listened', async () => {
    const session = await signIn();
    const token = await expiringIn(session.accessToken, 2, tokenKinds.access.type);
    const socket = await connectAdmin(server.url, token);
    try {
      const dropped = nextEvent<string>(socket, 'disconnect', () => true, 5000);
      assert.equal((await server.api.post('/api/auth/logout', undefined, session.accessToken)).status, 204);
      assert.equal(await dropped, 'io server disconnect');
    } finally {
      socket.close();
    }
  });

  it('drops a widget socket at its visitor token expiry', async () => {
    const visitor = await startConversation(server.api, bot.id);
    const token = await expiringIn(visitor.visitorToken, 2, tokenKinds.visitor.type);
    const socket = await connectWidget(server.url, { botId: bot.id, visitorToken: token });
    try {
      assert.equal(await nextEvent<string>(socket, 'disconnect', () => true, 5000), 'io server disconnect');
    } finally {
      socket.close();
    }
  });

  it('keeps a socket whose token lives longer than a timer can wait (a 30-day visitor token)', async () => {
    const visitor = await startConversation(server.api, bot.id);
    assert.ok(server.env.VISITOR_TOKEN_TTL_DAYS * 86_400_000 > 2 ** 31 - 1);
    const socket = await connectWidget(server.url, { botId: bot.id, visitorToken: visitor.visitorToken });
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.ok(socket.connected);
      await requestOk(socket, 'conversation:join', { conversationId: visitor.conversationId });
    } finally {
      socket.close();
    }
  });
});

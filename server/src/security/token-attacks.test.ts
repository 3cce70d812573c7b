import assert from 'node:assert/strict';
import type { AuthResponse, BotView, PreviewConversationResponse } from '@chatbot/shared';
import type { JWTPayload } from 'jose';
import { request, startConversation, connectWidget } from '../testing/chat-clients';
import { buildBot, buildTenant } from '../testing/factories';
import { startTestServer, type TestServer } from '../testing/test-server';
import {
  mint,
  nowSeconds,
  claimsOf,
  rsaConfused,
  tampered,
  tokenKinds,
  unsigned,
  wrongSecret,
} from './hostile-tokens';
import { adminProbes, visitorProbes, type Refusal } from './token-probes';

type Attack = [name: string, token: () => Promise<string> | string];

/**
 * Forged, altered, expired and misused tokens, against every place that accepts one: the dashboard's REST
 * API and `/admin` handshake, the visitor's REST routes and `/widget` handshake. Each is refused with the
 * very answer a token that is not a JWT at all gets (or `token_expired` for a genuine token that ran out),
 * so the answer never tells an attacker which check failed.
 */
describe('token attacks', () => {
  let server: TestServer;
  let secret: string;
  let owner: AuthResponse;
  let stranger: AuthResponse;
  let bot: BotView;
  let otherBot: BotView;
  let draft: BotView;
  let visitor: { conversationId: string; visitorToken: string };
  let otherConversationId: string;
  let preview: PreviewConversationResponse;
  let admin: ReturnType<typeof adminProbes>;
  let widget: ReturnType<typeof visitorProbes>;

  before(async () => {
    server = await startTestServer({ dialect: 'postgresql' });
    secret = server.env.JWT_SECRET!;
    admin = adminProbes(server);
    widget = visitorProbes(server);
    [owner, stranger] = await Promise.all([buildTenant(server.api), buildTenant(server.api)]);
    const open = { status: 'published' as const, rateLimits: { perIpPerMinute: 1000, perMinute: 1000 } };
    [bot, otherBot, draft] = await Promise.all([
      buildBot(server.api, owner.accessToken, open),
      buildBot(server.api, owner.accessToken, open),
      buildBot(server.api, owner.accessToken, { name: 'Draft' }),
    ]);
    visitor = await startConversation(server.api, bot.id);
    otherConversationId = (await startConversation(server.api, bot.id)).conversationId;
    const started = await server.api.post(
      `/api/chatbots/${draft.id}/preview-conversation`,
      {},
      owner.accessToken,
    );
    assert.equal(started.status, 201, JSON.stringify(started.body));
    preview = started.body;
  });
  after(() => server.stop());

  /** The owner's access token claims, as issued, with `extra` over them. */
  const ownerClaims = (extra: JWTPayload = {}) => ({ ...claimsOf(owner.accessToken), ...extra });
  const access = (extra: JWTPayload, typ: string = tokenKinds.access.type) =>
    mint(secret, ownerClaims(extra), { typ });

  describe('dashboard access tokens, on REST and the /admin handshake', () => {
    let rejected: { rest: Refusal; handshake: Refusal };
    before(async () => {
      rejected = { rest: await admin.rest('not-a-jwt'), handshake: await admin.handshake('not-a-jwt') };
      assert.deepEqual(rejected.rest, { ...rejected.rest, status: 401, code: 'unauthenticated' });
      assert.equal(rejected.handshake.code, 'unauthenticated');
    });

    const typ = tokenKinds.access.type;
    const attacks: Attack[] = [
      ['alg none, unsigned', () => unsigned(ownerClaims(), typ)],
      ['HS384 with the same secret', () => mint(secret, ownerClaims(), { alg: 'HS384', typ })],
      ['HS512 with the same secret', () => mint(secret, ownerClaims(), { alg: 'HS512', typ })],
      ['RS256 header, the secret as an RSA public key', () => rsaConfused(secret, ownerClaims(), typ)],
      ['signed with another key', () => mint(wrongSecret(), ownerClaims(), { typ })],
      [
        'the payload moved to another tenant, original signature',
        () => tampered(owner.accessToken, ownerClaims({ tid: stranger.tenant.id })),
      ],
      [
        'the payload made another user, original signature',
        () => tampered(owner.accessToken, ownerClaims({ sub: stranger.user.id })),
      ],
      ['not valid before an hour from now', () => access({ nbf: nowSeconds() + 3600 })],
      ['issued an hour from now', () => access({ iat: nowSeconds() + 3600, exp: nowSeconds() + 7200 })],
      ['the widget audience', () => access({ aud: tokenKinds.visitor.audience })],
      ['no audience', () => access({ aud: undefined })],
      ['another issuer', () => access({ iss: 'someone-else' })],
      ['a plain JWT type', () => access({}, 'JWT')],
      ['the visitor token type', () => access({}, tokenKinds.visitor.type)],
      ['no expiry', () => access({ exp: undefined })],
      ['a visitor token', () => visitor.visitorToken],
      ['a preview visitor token', () => preview.visitorToken],
      ['a refresh token', () => owner.refreshToken],
      ["the owner's ids in another tenant", () => access({ tid: stranger.tenant.id })],
      [
        "another tenant's session with the owner's ids",
        () => access({ sid: claimsOf(stranger.accessToken).sid }),
      ],
      ["another user's id on the owner's session", () => access({ sub: stranger.user.id })],
      ['a user id that is not a UUID', () => access({ sub: 'x' })],
      ['a tenant id that is not a UUID', () => access({ tid: 'y' })],
      ['a session id that is not a UUID', () => access({ sid: "z' OR '1'='1" })],
      ['a subject that is not a string', () => access({ sub: 42 as unknown as string })],
      ['a tenant id that is not a string', () => access({ tid: [stranger.tenant.id] })],
      ['no session id', () => access({ sid: undefined })],
    ];
    for (const [name, token] of attacks) {
      it(`refuses ${name}`, async () => {
        const forged = await token();
        assert.deepEqual(await admin.rest(forged), rejected.rest);
        assert.deepEqual(await admin.handshake(forged), rejected.handshake);
      });
    }

    it('answers token_expired, and nothing more, to a genuine token past its expiry', async () => {
      const lapsed = [
        await access({ iat: nowSeconds() - 600, exp: nowSeconds() - 300 }),
        // A lifetime longer than the server ever issues: expired once older than ACCESS_TOKEN_TTL_SECONDS.
        await access({
          iat: nowSeconds() - server.env.ACCESS_TOKEN_TTL_SECONDS - 60,
          exp: nowSeconds() + 86_400,
        }),
      ];
      for (const token of lapsed) {
        const rest = await admin.rest(token);
        assert.deepEqual({ status: rest.status, code: rest.code }, { status: 401, code: 'token_expired' });
        assert.equal((await admin.handshake(token)).code, 'token_expired');
      }
      // A forged token past its expiry is forged first: it gets the forged answer, not token_expired.
      const forgedLapsed = await mint(wrongSecret(), ownerClaims({ exp: nowSeconds() - 300 }), { typ });
      assert.deepEqual(await admin.rest(forgedLapsed), rejected.rest);
    });

    it('still accepts the token as issued, and one minted the same way (the attacks above are not refused for another reason)', async () => {
      assert.equal((await server.api.get('/api/me', owner.accessToken)).status, 200);
      assert.equal((await server.api.get('/api/me', await access({}))).status, 200);
    });
  });

  describe('visitor tokens, on REST and the /widget handshake', () => {
    let rejected: { rest: Refusal; handshake: Refusal };
    before(async () => {
      rejected = {
        rest: await widget.rest('not-a-jwt', visitor.conversationId),
        handshake: await widget.handshake('not-a-jwt', bot.id),
      };
      assert.deepEqual(rejected.rest, { ...rejected.rest, status: 401, code: 'unauthenticated' });
      assert.equal(rejected.handshake.code, 'unauthenticated');
    });

    const typ = tokenKinds.visitor.type;
    const visitorClaims = (extra: JWTPayload = {}) => ({ ...claimsOf(visitor.visitorToken), ...extra });
    const forge = (extra: JWTPayload, header: { typ?: string } = { typ }) =>
      mint(secret, visitorClaims(extra), header);
    const attacks: Attack[] = [
      ['alg none, unsigned', () => unsigned(visitorClaims(), typ)],
      ['HS512 with the same secret', () => mint(secret, visitorClaims(), { alg: 'HS512', typ })],
      ['RS256 header, the secret as an RSA public key', () => rsaConfused(secret, visitorClaims(), typ)],
      ['signed with another key', () => mint(wrongSecret(), visitorClaims(), { typ })],
      [
        'made a preview token, original signature',
        () => tampered(visitor.visitorToken, visitorClaims({ pv: '1' })),
      ],
      ['expired', () => forge({ iat: nowSeconds() - 600, exp: nowSeconds() - 300 })],
      ['not valid before an hour from now', () => forge({ nbf: nowSeconds() + 3600 })],
      ['issued an hour from now', () => forge({ iat: nowSeconds() + 3600, exp: nowSeconds() + 7200 })],
      ['the dashboard audience', () => forge({ aud: tokenKinds.access.audience })],
      ['the access token type', () => forge({}, { typ: tokenKinds.access.type })],
      ['another issuer', () => forge({ iss: 'someone-else' })],
      ['a dashboard access token', () => owner.accessToken],
      ['a refresh token', () => owner.refreshToken],
      ['a conversation id that is not a UUID', () => forge({ cid: "x' OR '1'='1" })],
      ['a tenant id that is not a UUID', () => forge({ tid: 'y' })],
      ['a subject that is not a string', () => forge({ sub: 7 as unknown as string })],
    ];
    for (const [name, token] of attacks) {
      it(`refuses ${name}`, async () => {
        const forged = await token();
        assert.deepEqual(await widget.rest(forged, visitor.conversationId), rejected.rest);
        assert.deepEqual(await widget.handshake(forged, bot.id), rejected.handshake);
      });
    }

    it("refuses a bot's visitor token, preview or not, on another bot's handshake", async () => {
      assert.deepEqual(await widget.handshake(visitor.visitorToken, otherBot.id), rejected.handshake);
      assert.deepEqual(await widget.handshake(preview.visitorToken, bot.id), rejected.handshake);
      assert.deepEqual(await widget.handshake(preview.visitorToken, otherBot.id), rejected.handshake);
    });

    it('refuses a preview token for a conversation it was not issued for, on REST and the socket', async () => {
      const previewClaims = claimsOf(preview.visitorToken);
      // Re-signed by someone holding the secret, for a published bot's visitor: still only its own chat.
      const rebound = await mint(secret, { ...previewClaims, bid: bot.id }, { typ });
      for (const token of [preview.visitorToken, rebound]) {
        const ended = await widget.rest(token, otherConversationId);
        assert.deepEqual({ status: ended.status, code: ended.code }, { status: 404, code: 'not_found' });
      }
      const socket = await connectWidget(server.url, { botId: draft.id, visitorToken: preview.visitorToken });
      try {
        const joined = await request(socket, 'conversation:join', { conversationId: otherConversationId });
        assert.equal(!joined.ok && joined.error.code, 'not_found');
        const own = await request(socket, 'conversation:join', { conversationId: preview.conversationId });
        assert.ok(own.ok, JSON.stringify(own));
      } finally {
        socket.close();
      }
    });

    it('lives an hour at most as a preview token, 30 days as a visitor token', () => {
      const lifetime = (token: string) => {
        const { iat, exp } = claimsOf(token);
        return exp! - iat!;
      };
      assert.equal(lifetime(preview.visitorToken), 3600);
      assert.equal(lifetime(visitor.visitorToken), server.env.VISITOR_TOKEN_TTL_DAYS * 86_400);
    });

    it('still accepts the token as issued and one minted the same way', async () => {
      const socket = await connectWidget(server.url, { botId: bot.id, visitorToken: await forge({}) });
      socket.close();
      const ended = await widget.rest(visitor.visitorToken, visitor.conversationId);
      assert.equal(ended.status, 200, JSON.stringify(ended));
    });
  });
});

import assert from 'node:assert/strict';
import type { AuthResponse } from '@chatbot/shared';
import { forEachDialect } from '@chatbot/shared/testing';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { buildTenant } from '../../testing/factories';

forEachDialect('auth', (dialect) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ dialect });
  });
  after(() => server.stop());

  it('registers a tenant with its owner and signs them in', async () => {
    const registered = await buildTenant(server.api, {
      email: 'Ada@Example.com',
      companyName: 'Analytical Engines',
    });
    assert.equal(registered.user.email, 'ada@example.com');
    assert.equal(registered.user.role, 'owner');
    assert.equal(registered.tenant.name, 'Analytical Engines');
    assert.ok(registered.accessToken && registered.refreshToken);
    assert.equal(JSON.stringify(registered).includes('passwordHash'), false);

    const me = await server.api.get('/api/me', registered.accessToken);
    assert.equal(me.status, 200);
    assert.deepEqual(me.body, { user: registered.user, tenant: registered.tenant });
  });

  it('refuses a second account with the same email', async () => {
    await buildTenant(server.api, { email: 'taken@example.com' });
    const again = await server.api.post('/api/auth/register', {
      email: 'TAKEN@example.com',
      password: 'another long password',
      name: 'X',
      companyName: 'Y',
    });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'conflict');
  });

  it('answers 400 with every field error for a bad registration', async () => {
    const response = await server.api.post('/api/auth/register', {
      email: 'nope',
      password: 'short',
      extra: 1,
    });
    assert.equal(response.status, 400);
    assert.equal(response.body.error.code, 'validation_failed');
    const paths = response.body.error.fields.map((field: { path: string }) => field.path).sort();
    assert.deepEqual(paths, ['companyName', 'email', 'name', 'password']);
  });

  it('logs in, and answers wrong email and wrong password alike', async () => {
    const owner = await buildTenant(server.api, {
      email: 'login@example.com',
      password: 'the right password',
    });
    const ok = await server.api.post<AuthResponse>('/api/auth/login', {
      email: 'login@example.com',
      password: 'the right password',
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.user.id, owner.user.id);
    assert.ok(ok.body.user.lastLoginAt);

    const wrongPassword = await server.api.post('/api/auth/login', {
      email: 'login@example.com',
      password: 'wrong one!',
    });
    const wrongEmail = await server.api.post('/api/auth/login', {
      email: 'nobody@example.com',
      password: 'wrong one!',
    });
    assert.equal(wrongPassword.status, 401);
    assert.deepEqual(
      { ...wrongPassword.body.error, requestId: undefined },
      { ...wrongEmail.body.error, requestId: undefined },
    );
    assert.equal(wrongPassword.body.error.code, 'invalid_credentials');
  });

  it('throttles repeated failed logins with 429 and Retry-After, even for the right password', async () => {
    await buildTenant(server.api, { email: 'guess@example.com', password: 'the right password' });
    for (let attempt = 0; attempt < 5; attempt++) {
      const response = await server.api.post('/api/auth/login', {
        email: 'guess@example.com',
        password: `wrong ${attempt}!!`,
      });
      assert.equal(response.status, 401);
    }
    const blocked = await server.api.post('/api/auth/login', {
      email: 'guess@example.com',
      password: 'the right password',
    });
    assert.equal(blocked.status, 429);
    assert.equal(blocked.body.error.code, 'rate_limited');
    assert.ok(Number(blocked.headers.get('retry-after')) > 0);
  });

  it('rotates refresh tokens and revokes the session when a spent one is reused', async () => {
    const owner = await buildTenant(server.api);
    const first = await server.api.post<AuthResponse>('/api/auth/refresh', {
      refreshToken: owner.refreshToken,
    });
    assert.equal(first.status, 200);
    assert.notEqual(first.body.refreshToken, owner.refreshToken);
    assert.equal((await server.api.get('/api/me', first.body.accessToken)).status, 200);

    const second = await server.api.post<AuthResponse>('/api/auth/refresh', {
      refreshToken: first.body.refreshToken,
    });
    assert.equal(second.status, 200);

    // The first token again: someone holds a copy. The whole family ends, including the newest tokens.
    const reuse = await server.api.post('/api/auth/refresh', { refreshToken: owner.refreshToken });
    assert.equal(reuse.status, 401);
    assert.equal(
      (await server.api.post('/api/auth/refresh', { refreshToken: second.body.refreshToken })).status,
      401,
    );
    assert.equal((await server.api.get('/api/me', second.body.accessToken)).status, 401);
  });

  it('lets exactly one of two concurrent refreshes with the same token win', async () => {
    const owner = await buildTenant(server.api);
    const results = await Promise.all([
      server.api.post('/api/auth/refresh', { refreshToken: owner.refreshToken }),
      server.api.post('/api/auth/refresh', { refreshToken: owner.refreshToken }),
    ]);
    assert.deepEqual(results.map((result) => result.status).sort(), [200, 401]);
  });

  it('ends the session on logout', async () => {
    const owner = await buildTenant(server.api);
    const logout = await server.api.post('/api/auth/logout', undefined, owner.accessToken);
    assert.equal(logout.status, 204);
    assert.equal((await server.api.get('/api/me', owner.accessToken)).status, 401);
    assert.equal(
      (await server.api.post('/api/auth/refresh', { refreshToken: owner.refreshToken })).status,
      401,
    );
  });

  it('refuses missing, malformed and forged access tokens', async () => {
    const owner = await buildTenant(server.api);
    assert.equal((await server.api.get('/api/me')).status, 401);
    assert.equal((await server.api.get('/api/me', 'not-a-jwt')).status, 401);
    const [header, payload] = owner.accessToken.split('.');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${payload}.`;
    assert.equal((await server.api.get('/api/me', unsigned)).status, 401);
    const tampered = `${header}.${payload}.${'A'.repeat(43)}`;
    assert.equal((await server.api.get('/api/me', tampered)).status, 401);
    // A refresh token is not an access token.
    assert.equal((await server.api.get('/api/me', owner.refreshToken)).status, 401);
  });
});

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startPrivateRedis, type PrivateRedis } from './testing/private-redis';
import { startTestServer, type TestServer } from './testing/test-server';
import type { AuthResponse } from '@chatbot/shared';
import { buildTenant } from './testing/factories';

const redisUrl = () => process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function failLogin(server: TestServer, email: string) {
  return server.api.post('/api/auth/login', { email, password: 'not the password' });
}

describe('scaled mode (REDIS_URL)', () => {
  describe('two server nodes on one Redis', () => {
    let nodes: TestServer[];
    before(async () => {
      const redisNamespace = `test:${randomBytes(6).toString('hex')}`;
      nodes = await Promise.all(
        [0, 1].map(() =>
          startTestServer({ dialect: 'postgresql', env: { REDIS_URL: redisUrl() }, redisNamespace }),
        ),
      );
    });
    after(() => Promise.all(nodes.map((node) => node.stop())));

    it('reports Redis in health', async () => {
      const health = await nodes[0]!.api.get('/api/health');
      assert.equal(health.status, 200);
      assert.equal(health.body.checks.cache.driver, 'redis');
      assert.equal(health.body.checks.cache.status, 'ok');
    });

    it('shares the login throttle: failures on one node block the pair on the other', async () => {
      const email = `shared-${randomBytes(4).toString('hex')}@example.com`;
      for (let attempt = 0; attempt < 5; attempt++) {
        assert.equal((await failLogin(nodes[attempt % 2]!, email)).status, 401);
      }
      const blocked = await failLogin(nodes[1]!, email);
      assert.equal(blocked.status, 429);
      assert.ok(Number(blocked.headers.get('retry-after')) > 0);
    });
  });

  describe('queue dashboard (bull-board)', () => {
    let server: TestServer;
    const operatorToken = randomBytes(32).toString('hex');
    let owner: AuthResponse;
    before(async () => {
      server = await startTestServer({
        env: { REDIS_URL: redisUrl(), OPERATOR_TOKEN: operatorToken },
      });
      owner = await buildTenant(server.api);
    });
    after(() => server.stop());

    it('opens with the operator token, through a path-scoped cookie in a browser, and is a 404 for any tenant', async () => {
      const page = await fetch(`${server.url}/api/operators/queues`, {
        headers: { authorization: `Bearer ${operatorToken}` },
      });
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<html/i);
      const session = await fetch(`${server.url}/api/operators/queues/session`, {
        method: 'POST',
        headers: { authorization: `Bearer ${operatorToken}` },
      });
      const cookie = session.headers.get('set-cookie')!;
      assert.match(cookie, /HttpOnly; SameSite=Strict; Path=\/api\/operators\/queues/);
      const api = await fetch(`${server.url}/api/operators/queues/api/queues`, {
        headers: { cookie: cookie.split(';')[0]! },
      });
      assert.equal(api.status, 200);
      assert.ok(JSON.stringify(await api.json()).includes('document.index'));

      const unknown = (await (await fetch(`${server.url}/api/operators/nothing`)).json()) as any;
      for (const token of [owner.accessToken, 'x'.repeat(64), undefined]) {
        const refused = await fetch(`${server.url}/api/operators/queues`, {
          headers: token ? { authorization: `Bearer ${token}` } : {},
        });
        assert.equal(refused.status, 404);
        const body = (await refused.json()) as any;
        assert.equal(
          body.error.message,
          unknown.error.message.replace('/nothing', '/queues'),
          'same as no route',
        );
      }
    });
  });

  describe('when Redis goes away', () => {
    let redis: PrivateRedis;
    let server: TestServer;
    before(async () => {
      redis = await startPrivateRedis();
      server = await startTestServer({ env: { REDIS_URL: redis.url } });
    });
    after(async () => {
      await server.stop();
      await redis.stop();
    });

    it('keeps serving requests and says it is degraded', async () => {
      const owner = await buildTenant(server.api);
      await redis.stop();
      const login = await failLogin(server, owner.user.email);
      assert.equal(login.status, 401, 'the in-memory insurance limiter takes over');
      assert.equal((await server.api.get('/api/me', owner.accessToken)).status, 200);
      const health = await server.api.get('/api/health');
      assert.equal(health.status, 503);
      assert.equal(health.body.status, 'degraded');
      assert.equal(health.body.checks.cache.status, 'down');
      assert.equal(health.body.checks.database.status, 'ok');
    });
  });
});

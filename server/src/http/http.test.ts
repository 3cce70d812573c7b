import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../testing/test-server';
import { buildTenant } from '../testing/factories';

describe('http edges', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  it('answers an unknown route with a JSON 404', async () => {
    for (const path of ['/api/nope', '/nope']) {
      const response = await server.api.get(path);
      assert.equal(response.status, 404);
      assert.equal(response.body.error.code, 'not_found');
    }
  });

  it('answers an oversized body with 413', async () => {
    const response = await server.api.request('POST', '/api/auth/login', {
      rawBody: JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(2 * 1024 * 1024) }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(response.status, 413);
    assert.equal(response.body.error.code, 'payload_too_large');
  });

  it('answers malformed JSON and wrong shapes with 400', async () => {
    const malformed = await server.api.request('POST', '/api/auth/login', {
      rawBody: '{"email":',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(malformed.status, 400);
    for (const body of [[], 'text', null, 42]) {
      const response = await server.api.post('/api/auth/login', body);
      assert.equal(response.status, 400, JSON.stringify(body));
    }
  });

  it('survives hostile input and keeps serving', async () => {
    const owner = await buildTenant(server.api);
    const bodies = [
      JSON.stringify({ name: "x'); drop table chatbots; --" }),
      JSON.stringify({ name: 'nul \u0000 and a lone surrogate \ud800' }),
      '{"name":"a","__proto__":{"status":"published"}}',
      '{"name":"a","constructor":{"prototype":{"status":"published"}}}',
    ];
    for (const rawBody of bodies) {
      const response = await server.api.request('POST', '/api/chatbots', {
        rawBody,
        token: owner.accessToken,
        headers: { 'content-type': 'application/json' },
      });
      assert.ok([201, 400].includes(response.status), `${response.status} for ${rawBody}`);
    }
    const list = await server.api.get('/api/chatbots', owner.accessToken);
    assert.equal(list.status, 200);
    assert.ok(list.body.chatbots.every((bot: { status: string }) => bot.status === 'draft'));
  });

  it('sends security headers and a request id', async () => {
    const response = await fetch(`${server.url}/api/health`, {
      headers: { 'x-request-id': 'trace-12345678' },
    });
    assert.equal(response.headers.get('x-request-id'), 'trace-12345678');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('x-powered-by'), null);
  });

  it('reports every dependency on /api/health', async () => {
    const response = await server.api.get('/api/health');
    assert.equal(response.status, 200);
    assert.equal(response.body.status, 'ok');
    assert.deepEqual(Object.keys(response.body.checks).sort(), [
      'ai',
      'cache',
      'database',
      'queue',
      'storage',
      'vectorStore',
    ]);
    assert.equal(response.body.checks.database.status, 'ok');
    assert.equal(response.body.checks.database.driver, 'sqlite');
    assert.equal((await server.api.get('/api/health?probe=lb')).status, 200);
  });
});

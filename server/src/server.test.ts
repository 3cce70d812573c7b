import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startTestServer } from './testing/test-server';

describe('graceful shutdown', () => {
  it('finishes a request in flight, then refuses new connections', async () => {
    const server = await startTestServer();
    const body = JSON.stringify({ email: 'slow@example.com', password: 'a password sent slowly' });
    const url = new URL('/api/auth/login', server.url);
    const answered = new Promise<number>((resolve, reject) => {
      const req = request(
        url,
        { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        },
      );
      req.on('error', reject);
      // Half the body now, the rest after shutdown has begun.
      req.write(body.slice(0, 10));
      setTimeout(() => req.end(body.slice(10)), 300);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopped = server.stop();
    assert.equal(await answered, 401, 'the in-flight login was answered, not cut off');
    await stopped;
    await assert.rejects(fetch(`${server.url}/api/health`));
  });
});

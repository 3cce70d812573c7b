import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { FetchRefusedError, isPublicAddress, safeFetch, type SafeFetchOptions } from './safe-fetch';

const loopbackOnly: SafeFetchOptions = {
  maxBytes: 64 * 1024,
  timeoutMs: 2000,
  allowAddress: (address) => address === '127.0.0.1',
};

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => assert.fail('expected a refusal'),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof FetchRefusedError, String(error));
  return error.reason;
}

describe('safeFetch (SSRF guard)', () => {
  let server: Server;
  let base: string;
  before(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      if (url.pathname === '/page')
        return res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Hello</h1>');
      if (url.pathname === '/redirect')
        return res.writeHead(302, { location: url.searchParams.get('to')! }).end();
      if (url.pathname === '/loop') return res.writeHead(302, { location: '/loop' }).end();
      if (url.pathname === '/endless') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        const timer = setInterval(() => res.write('x'.repeat(8192)), 1);
        res.on('close', () => clearInterval(timer));
        return;
      }
      if (url.pathname === '/silent') return; // never answers
      if (url.pathname === '/echo') {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        return req.on('end', () =>
          res.writeHead(503).end(`${req.method}:${Buffer.concat(chunks)}`.repeat(3)),
        );
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('classifies addresses', () => {
    for (const address of ['8.8.8.8', '2606:4700:4700::1111'])
      assert.equal(isPublicAddress(address), true, address);
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '0.0.0.0',
      '::1',
      '::ffff:127.0.0.1',
      'fd00::1',
      'fe80::1',
      '100.64.0.1',
      'nonsense',
    ]) {
      assert.equal(isPublicAddress(address), false, address);
    }
  });

  it('fetches an allowed page and follows a redirect that stays allowed', async () => {
    const page = await safeFetch(`${base}/redirect?to=${encodeURIComponent(`${base}/page`)}`, loopbackOnly);
    assert.equal(page.status, 200);
    assert.equal(page.url, `${base}/page`);
    assert.equal(page.body.toString(), '<h1>Hello</h1>');
  });

  it('refuses loopback, private, link-local and metadata addresses by default', async () => {
    const strict = { maxBytes: 1024, timeoutMs: 2000 };
    for (const url of [
      `${base}/page`,
      'http://localhost:1/',
      'http://10.0.0.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]:1/',
      'http://0.0.0.0:1/',
    ]) {
      assert.equal(await refusal(safeFetch(url, strict)), 'private_address', url);
    }
  });

  it('refuses a redirect to a private address', async () => {
    for (const target of ['http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/', 'http://[::1]/']) {
      const url = `${base}/redirect?to=${encodeURIComponent(target)}`;
      assert.equal(await refusal(safeFetch(url, loopbackOnly)), 'private_address', target);
    }
  });

  it('refuses other protocols, credentials, redirect loops, endless and silent pages', async () => {
    assert.equal(await refusal(safeFetch('file:///etc/passwd', loopbackOnly)), 'protocol');
    assert.equal(await refusal(safeFetch('ftp://example.com/', loopbackOnly)), 'protocol');
    assert.equal(await refusal(safeFetch('http://user:pw@example.com/', loopbackOnly)), 'invalid_url');
    assert.equal(await refusal(safeFetch('not a url', loopbackOnly)), 'invalid_url');
    assert.equal(await refusal(safeFetch(`${base}/loop`, loopbackOnly)), 'too_many_redirects');
    assert.equal(await refusal(safeFetch(`${base}/endless`, loopbackOnly)), 'too_large');
    assert.equal(await refusal(safeFetch(`${base}/silent`, { ...loopbackOnly, timeoutMs: 300 })), 'timeout');
    assert.equal(await refusal(safeFetch(`${base}/missing`, loopbackOnly)), 'http_status');
  });

  it('POSTs a body and, asked for any answer, returns it as it came, cut at maxBytes', async () => {
    const answer = await safeFetch(`${base}/echo`, {
      ...loopbackOnly,
      method: 'POST',
      body: 'hello',
      maxBytes: 12,
      anyAnswer: true,
    });
    assert.equal(answer.status, 503);
    assert.equal(answer.body.toString(), 'POST:helloPO');
    const redirect = await safeFetch(`${base}/redirect?to=${encodeURIComponent(`${base}/page`)}`, {
      ...loopbackOnly,
      anyAnswer: true,
    });
    assert.equal(redirect.status, 302, 'not followed');
    const strict = { maxBytes: 1024, timeoutMs: 2000, method: 'POST', body: '{}', anyAnswer: true } as const;
    assert.equal(await refusal(safeFetch(`${base}/echo`, strict)), 'private_address');
  });
});

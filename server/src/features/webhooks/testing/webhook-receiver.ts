import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';

/** One request as the receiver saw it, with when it arrived (ms). */
export interface Received {
  at: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** How to answer the nth request (from 0): a status and body, or `hang` to never answer. */
export type Respond = (
  request: Received,
  index: number,
) => Promise<{ status: number; body?: string } | 'hang'> | { status: number; body?: string } | 'hang';

export interface WebhookReceiver {
  url: string;
  received: Received[];
  /** Resolves once `count` requests have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

/** A real HTTP endpoint on 127.0.0.1 that records every delivery and answers as told. */
export async function startWebhookReceiver(
  respond: Respond = () => ({ status: 200, body: 'ok' }),
): Promise<WebhookReceiver> {
  const received: Received[] = [];
  const waiters = new Set<() => void>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const request = { at: Date.now(), headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      const index = received.push(request) - 1;
      waiters.forEach((wake) => wake());
      const answer = await respond(request, index);
      if (answer === 'hang') return;
      res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    waitFor(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (received.length < count) return;
          cleanup();
          resolve(received.slice(0, count));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`${received.length} of ${count} deliveries arrived within ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * Checks a delivery as a receiver should, independently of the platform's own signing code: the
 * signature is HMAC-SHA256 of `<timestamp>.<body>` with the secret, and the timestamp is recent.
 */
export function assertSigned(request: Received, secret: string): void {
  const timestamp = String(request.headers['x-webhook-timestamp']);
  assert.match(timestamp, /^\d+$/);
  assert.ok(Math.abs(Date.now() / 1000 - Number(timestamp)) < 300, 'the timestamp is recent');
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${request.body}`).digest('hex')}`;
  const signature = String(request.headers['x-webhook-signature']);
  assert.ok(
    signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected)),
    `signature ${signature} verifies`,
  );
}

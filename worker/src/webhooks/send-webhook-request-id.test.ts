import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runWithLogContext } from '@chatbot/shared/platform';
import { sendWebhook } from './send-webhook';

describe('webhook deliveries and correlation ids', () => {
  it('sends the id of the work that caused the delivery as X-Request-Id, and none outside any work', async () => {
    const received: IncomingHttpHeaders[] = [];
    const endpoint = createServer((req, res) => {
      received.push(req.headers);
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/hook`;
    const request = { url, secret: 'secret', deliveryId: 'd1', event: 'lead.created', body: '{}' };
    const options = { timeoutMs: 5000, allowAddress: () => true };
    try {
      await runWithLogContext({ requestId: 'req-webhook-1' }, () => sendWebhook(request, options));
      await sendWebhook(request, options);
    } finally {
      await new Promise((resolve) => endpoint.close(resolve));
    }
    assert.deepEqual(
      received.map((headers) => headers['x-request-id']),
      ['req-webhook-1', undefined],
    );
  });
});

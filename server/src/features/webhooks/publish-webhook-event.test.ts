import assert from 'node:assert/strict';
import type { AuthResponse, WebhookWithSecret } from '@chatbot/shared';
import { WebhookDelivery, publishWebhookEvent, runInTenant } from '@chatbot/shared/platform';
import { buildTenant } from '../../testing/factories';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { assertSigned, startWebhookReceiver, type WebhookReceiver } from './testing/webhook-receiver';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// PostgreSQL, where a job reads on another connection than the publishing transaction's.
describe('publishWebhookEvent [postgresql]', () => {
  let server: TestServer;
  let owner: AuthResponse;
  let endpoint: WebhookReceiver;
  let webhook: WebhookWithSecret;

  before(async () => {
    server = await startTestServer({
      dialect: 'postgresql',
      allowImportAddress: (address) => address === '127.0.0.1',
    });
    owner = await buildTenant(server.api);
    endpoint = await startWebhookReceiver();
    const created = await server.api.post<WebhookWithSecret>(
      '/api/webhooks',
      { url: endpoint.url, events: ['lead.created'] },
      owner.accessToken,
    );
    assert.equal(created.status, 201);
    webhook = created.body;
  });
  after(async () => {
    await endpoint.close();
    await server.stop();
  });

  const inTenant = <T>(fn: () => Promise<T>) => runInTenant(owner.tenant.id, fn);

  it('publishes to subscribed webhooks only, and refuses to run outside a tenant', async () => {
    await inTenant(() =>
      publishWebhookEvent(server.platform.orm.em.fork(), server.platform.queue, 'lead.updated', { n: 0 }),
    );
    await assert.rejects(
      publishWebhookEvent(server.platform.orm.em.fork(), server.platform.queue, 'lead.created', {}),
    );
    await inTenant(() =>
      publishWebhookEvent(server.platform.orm.em.fork(), server.platform.queue, 'lead.created', { n: 1 }),
    );
    const [request] = await endpoint.waitFor(1);
    assertSigned(request!, webhook.secret);
    const payload = JSON.parse(request!.body);
    assert.deepEqual(Object.keys(payload).sort(), ['createdAt', 'data', 'event', 'id']);
    assert.deepEqual([payload.event, payload.data], ['lead.created', { n: 1 }]);
    await sleep(200);
    assert.equal(endpoint.received.length, 1, 'lead.updated is not subscribed to');
  });

  it('inside a transaction, delivers once it commits, and nothing when it rolls back', async () => {
    const before = endpoint.received.length;
    await inTenant(() =>
      server.platform.orm.em.fork().transactional(async (tx) => {
        await publishWebhookEvent(tx, server.platform.queue, 'lead.created', { n: 2 });
        await sleep(300);
      }),
    );
    const delivered = await endpoint.waitFor(before + 1);
    assert.deepEqual(JSON.parse(delivered[before]!.body).data, { n: 2 });

    await assert.rejects(
      inTenant(() =>
        server.platform.orm.em.fork().transactional(async (tx) => {
          await publishWebhookEvent(tx, server.platform.queue, 'lead.created', { n: 3 });
          throw new Error('rolled back');
        }),
      ),
      /rolled back/,
    );
    await sleep(3500);
    assert.equal(endpoint.received.length, before + 1, 'nothing from the rolled-back transaction');
    const stored = await inTenant(() => server.platform.orm.em.fork().count(WebhookDelivery, {}));
    assert.equal(stored, before + 1);
  });
});

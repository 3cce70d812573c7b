import assert from 'node:assert/strict';
import type {
  AuthResponse,
  WebhookDeliveryView,
  WebhookView,
  WebhookWithSecret,
  WebhooksResponse,
} from '@chatbot/shared';
import { forEachDialect } from '@chatbot/shared/testing';
import { buildTenant } from '../../testing/factories';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { startWebhookReceiver, type WebhookReceiver } from './testing/webhook-receiver';

forEachDialect("webhooks API: each webhook's newest delivery", (dialect) => {
  let server: TestServer;
  let owner: AuthResponse;
  let other: AuthResponse;
  let up: WebhookReceiver;
  let down: WebhookReceiver;

  before(async () => {
    server = await startTestServer({ dialect, allowImportAddress: (address) => address === '127.0.0.1' });
    owner = await buildTenant(server.api);
    other = await buildTenant(server.api);
    up = await startWebhookReceiver(() => ({ status: 200, body: 'ok' }));
    down = await startWebhookReceiver(() => ({ status: 503, body: 'maintenance' }));
  });
  after(async () => {
    await Promise.all([up?.close(), down?.close()]);
    await server?.stop();
  });

  const create = async (url: string, token = owner.accessToken) => {
    const response = await server.api.post<WebhookWithSecret>(
      '/api/webhooks',
      { url, events: ['lead.created'] },
      token,
    );
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body;
  };
  const sendTest = async (id: string, token = owner.accessToken) => {
    const response = await server.api.post<WebhookDeliveryView>(`/api/webhooks/${id}/test`, undefined, token);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body;
  };
  const list = async (token: string) => {
    const response = await server.api.get<WebhooksResponse>('/api/webhooks', token);
    assert.equal(response.status, 200);
    return new Map(response.body.webhooks.map((webhook) => [webhook.id, webhook]));
  };

  it('lists and reads each webhook with its newest delivery, and none for a webhook never sent to', async () => {
    const healthy = await create(up.url);
    const failing = await create(down.url);
    const silent = await create(up.url);
    assert.equal(healthy.lastDelivery, null, 'a new webhook has sent nothing');

    await sendTest(healthy.id);
    const newest = await sendTest(healthy.id);
    const failed = await sendTest(failing.id);
    assert.equal(failed.status, 'failed');

    const listed = await list(owner.accessToken);
    const pick = ({ id, status, attempts, responseStatus, error }: WebhookDeliveryView) => ({
      id,
      status,
      attempts,
      responseStatus,
      error,
    });
    assert.deepEqual(
      listed.get(healthy.id)!.lastDelivery,
      {
        ...pick(newest),
        event: 'webhook.test',
        nextAttemptAt: null,
        createdAt: newest.createdAt,
        updatedAt: newest.updatedAt,
      },
      'the newest of two',
    );
    const lastFailed = listed.get(failing.id)!.lastDelivery!;
    assert.deepEqual(pick(lastFailed as WebhookDeliveryView), pick(failed));
    assert.equal(lastFailed.responseStatus, 503);
    assert.equal(listed.get(silent.id)!.lastDelivery, null);

    const read = await server.api.get<WebhookView>(`/api/webhooks/${failing.id}`, owner.accessToken);
    assert.deepEqual(read.body.lastDelivery, listed.get(failing.id)!.lastDelivery);
    const rotated = await server.api.post<WebhookWithSecret>(
      `/api/webhooks/${healthy.id}/rotate-secret`,
      undefined,
      owner.accessToken,
    );
    assert.equal(rotated.body.lastDelivery?.id, newest.id);
    const disabled = await server.api.patch<WebhookView>(
      `/api/webhooks/${failing.id}`,
      { enabled: false },
      owner.accessToken,
    );
    assert.equal(disabled.body.lastDelivery?.id, failed.id);
  });

  it("never shows another tenant's deliveries as a webhook's newest", async () => {
    const mine = await create(up.url);
    await sendTest(mine.id);
    const theirs = await create(up.url, other.accessToken);
    // Their delivery is newer than mine: it must not become the newest of anything of mine, nor mine of theirs.
    const theirTest = await sendTest(theirs.id, other.accessToken);

    const mineListed = await list(owner.accessToken);
    assert.ok(!mineListed.has(theirs.id));
    assert.notEqual(mineListed.get(mine.id)!.lastDelivery?.id, theirTest.id);
    const theirsListed = await list(other.accessToken);
    assert.deepEqual([...theirsListed.keys()], [theirs.id]);
    assert.equal(theirsListed.get(theirs.id)!.lastDelivery?.id, theirTest.id);
  });
});

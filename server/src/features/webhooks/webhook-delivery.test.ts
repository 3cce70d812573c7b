import assert from 'node:assert/strict';
import type {
  AuthResponse,
  BotView,
  DocumentView,
  WebhookDeliveriesResponse,
  WebhookDeliveryView,
  WebhookView,
  WebhookWithSecret,
} from '@chatbot/shared';
import { Webhook, WebhookDelivery, runAsSystem } from '@chatbot/shared/platform';
import { buildBot, buildTenant } from '../../testing/factories';
import { connectAdmin, nextEvent, openChat, requestOk, type AdminSocket } from '../../testing/chat-clients';
import { waitForStatus } from '../../testing/documents';
import { startTestServer, type TestServer } from '../../testing/test-server';
import {
  assertSigned,
  startWebhookReceiver,
  type Respond,
  type WebhookReceiver,
} from './testing/webhook-receiver';

const RETRY_BASE_MS = 250;
const TIMEOUT_MS = 700;
const DISABLE_AFTER = 4;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('webhook delivery', () => {
  let server: TestServer;
  let owner: AuthResponse;
  let other: AuthResponse;
  let bot: BotView;
  let otherBot: BotView;
  const receivers: WebhookReceiver[] = [];
  const sockets: Array<{ close(): unknown }> = [];

  before(async () => {
    server = await startTestServer({
      allowImportAddress: (address) => address === '127.0.0.1',
      env: {
        WEBHOOK_RETRY_BASE_MS: String(RETRY_BASE_MS),
        WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
        WEBHOOK_DISABLE_AFTER_FAILURES: String(DISABLE_AFTER),
      },
    });
    owner = await buildTenant(server.api);
    other = await buildTenant(server.api);
    const published = { status: 'published', rateLimits: { perIpPerMinute: 1000, perMinute: 1000 } } as const;
    bot = await buildBot(server.api, owner.accessToken, published);
    otherBot = await buildBot(server.api, other.accessToken, published);
  });
  afterEach(async () => {
    sockets.splice(0).forEach((socket) => socket.close());
    // Each test starts with no webhook, so no earlier one (its endpoint gone) fails alongside it.
    const { body } = await server.api.get<{ webhooks: WebhookView[] }>('/api/webhooks', owner.accessToken);
    for (const webhook of body.webhooks)
      await server.api.delete(`/api/webhooks/${webhook.id}`, owner.accessToken);
    await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
  });
  after(() => server.stop());

  const receiver = async (respond?: Respond) => {
    const started = await startWebhookReceiver(respond);
    receivers.push(started);
    return started;
  };
  const subscribe = async (url: string, events: string[], token = owner.accessToken) => {
    const response = await server.api.post<WebhookWithSecret>('/api/webhooks', { url, events }, token);
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body;
  };
  const deliveries = async (webhookId: string, token = owner.accessToken) => {
    const response = await server.api.get<WebhookDeliveriesResponse>(
      `/api/webhooks/${webhookId}/deliveries`,
      token,
    );
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body.deliveries;
  };
  /** Polls the delivery log until its newest delivery passes `done`. */
  const settled = async (webhookId: string, done: (delivery: WebhookDeliveryView) => boolean) => {
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await sleep(25)) {
      const [latest] = await deliveries(webhookId);
      if (latest && done(latest)) return latest;
    }
    assert.fail(`delivery of ${webhookId} did not settle: ${JSON.stringify(await deliveries(webhookId))}`);
  };
  const closeConversation = async (botId: string, token: string) => {
    const chat = await openChat(server.api, botId);
    sockets.push(chat.socket);
    const closed = await server.api.post(`/api/conversations/${chat.conversationId}/close`, undefined, token);
    assert.equal(closed.status, 200, JSON.stringify(closed.body));
    return chat.conversationId;
  };

  it('signs conversation.closed and handoff deliveries, sent through the real chat path', async () => {
    const endpoint = await receiver();
    const webhook = await subscribe(endpoint.url, ['conversation.closed', 'conversation.handoff_requested']);
    const handoffOnly = await receiver();
    await subscribe(handoffOnly.url, ['conversation.handoff_requested']);

    const chat = await openChat(server.api, bot.id);
    sockets.push(chat.socket);
    await requestOk(chat.socket, 'handoff:request', { conversationId: chat.conversationId });
    const agent = await connectAdmin(server.url, owner.accessToken);
    sockets.push(agent);
    await requestOk(agent, 'conversation:close', { conversationId: chat.conversationId });

    const [first, second] = await endpoint.waitFor(2);
    const byEvent = new Map(
      [first!, second!].map((request) => [request.headers['x-webhook-event'], request]),
    );
    const handoff = byEvent.get('conversation.handoff_requested')!;
    const closed = byEvent.get('conversation.closed')!;
    for (const request of [handoff, closed]) {
      assertSigned(request, webhook.secret);
      assert.equal(request.headers['content-type'], 'application/json');
      assert.equal(request.headers['user-agent'], 'chatbot-platform-webhooks');
      const payload = JSON.parse(request.body);
      assert.equal(request.headers['x-webhook-id'], payload.id);
      assert.equal(payload.event, request.headers['x-webhook-event']);
      assert.ok(Math.abs(Date.parse(payload.createdAt) - Date.now()) < 60_000);
    }
    assert.deepEqual(JSON.parse(closed.body).data, {
      conversationId: chat.conversationId,
      botId: bot.id,
      mode: 'closed',
      closedAt: JSON.parse(closed.body).data.closedAt,
      closedBy: 'staff',
    });
    assert.ok(Date.parse(JSON.parse(closed.body).data.closedAt) <= Date.now());
    const handoffData = JSON.parse(handoff.body).data;
    assert.equal(handoffData.conversationId, chat.conversationId);
    assert.equal(handoffData.botId, bot.id);
    assert.equal(handoffData.mode, 'bot');
    assert.ok(Date.parse(handoffData.requestedAt) <= Date.now());

    // A forged signature would not verify: the check above can fail.
    assert.throws(() => assertSigned(closed, 'whsec_not-the-secret'));
    const log = await settled(webhook.id, (delivery) => delivery.status === 'succeeded');
    assert.equal(log.responseStatus, 200);
    assert.equal(log.responseBody, 'ok');
    assert.equal(log.attempts, 1);
    assert.ok(log.deliveredAt);

    // Subscribed to the handoff only: it got that one and nothing else.
    await sleep(200);
    assert.deepEqual(
      handoffOnly.received.map((request) => request.headers['x-webhook-event']),
      ['conversation.handoff_requested'],
    );
  });

  it('sends webhook.test at once and keeps the first 2 KB of the answer', async () => {
    const endpoint = await receiver(() => ({ status: 202, body: 'é'.repeat(3000) }));
    const webhook = await subscribe(endpoint.url, ['lead.created']);
    const test = await server.api.post<WebhookDeliveryView>(
      `/api/webhooks/${webhook.id}/test`,
      undefined,
      owner.accessToken,
    );
    assert.equal(test.status, 200, JSON.stringify(test.body));
    assert.equal(test.body.status, 'succeeded');
    assert.equal(test.body.event, 'webhook.test');
    assert.equal(test.body.responseStatus, 202);
    assert.equal(test.body.error, null);
    assert.equal(test.body.attempts, 1);
    assert.equal(Buffer.byteLength(test.body.responseBody!), 2048);
    assert.equal(endpoint.received.length, 1);
    const [request] = endpoint.received;
    assertSigned(request!, webhook.secret);
    assert.equal(request!.headers['x-webhook-event'], 'webhook.test');
    assert.deepEqual(JSON.parse(request!.body), test.body.payload);
    assert.equal(test.body.payload.id, test.body.id);
    assert.deepEqual(
      (await deliveries(webhook.id)).map((delivery) => delivery.id),
      [test.body.id],
    );
  });

  it('retries a failing endpoint with growing delays, logging each answer, until it succeeds', async () => {
    const codes = [500, 502, 503, 200];
    let webhookId = '';
    const seen: Array<Pick<WebhookDeliveryView, 'status' | 'attempts' | 'responseStatus' | 'nextAttemptAt'>> =
      [];
    const endpoint = await receiver(async (_request, index) => {
      // While attempt n+1 waits for its answer, the log still shows how attempt n went.
      if (index > 0) {
        const [delivery] = await deliveries(webhookId);
        seen.push({
          status: delivery!.status,
          attempts: delivery!.attempts,
          responseStatus: delivery!.responseStatus,
          nextAttemptAt: delivery!.nextAttemptAt,
        });
      }
      return { status: codes[index] ?? 200, body: `answer ${index + 1}` };
    });
    webhookId = (await subscribe(endpoint.url, ['conversation.closed'])).id;
    await closeConversation(bot.id, owner.accessToken);
    const arrivals = (await endpoint.waitFor(4, 15_000)).map((request) => request.at);
    const done = await settled(webhookId, (delivery) => delivery.status === 'succeeded');

    const gaps = arrivals.slice(1).map((at, i) => at - arrivals[i]!);
    gaps.forEach((gap, i) => assert.ok(gap >= 0.8 * RETRY_BASE_MS * 2 ** i - 5, `gap ${i} is ${gap} ms`));
    assert.ok(gaps[0]! < gaps[1]! && gaps[1]! < gaps[2]!, `gaps grow: ${gaps.join(', ')}`);
    assert.deepEqual(
      seen.map(({ status, attempts, responseStatus }) => ({ status, attempts, responseStatus })),
      [
        { status: 'pending', attempts: 1, responseStatus: 500 },
        { status: 'pending', attempts: 2, responseStatus: 502 },
        { status: 'pending', attempts: 3, responseStatus: 503 },
      ],
    );
    seen.forEach(({ nextAttemptAt }, i) => {
      assert.ok(nextAttemptAt, 'the next attempt is scheduled');
      assert.ok(Math.abs(Date.parse(nextAttemptAt) - arrivals[i + 1]!) < 150, 'and happens then');
    });

    assert.deepEqual(
      { attempts: done.attempts, responseStatus: done.responseStatus, responseBody: done.responseBody },
      { attempts: 4, responseStatus: 200, responseBody: 'answer 4' },
    );
    assert.equal(done.nextAttemptAt, null);
    assert.equal(done.error, null);
    const webhook = await server.api.get<WebhookView>(`/api/webhooks/${webhookId}`, owner.accessToken);
    assert.equal(webhook.body.consecutiveFailures, 0, 'a success ends the failure streak');
    assert.equal(webhook.body.enabled, true);
  });

  it('gives up on a delivery 24 hours after its event', async () => {
    const endpoint = await receiver(() => ({ status: 500, body: 'down' }));
    const webhookId = (await subscribe(endpoint.url, ['conversation.closed'])).id;
    await closeConversation(bot.id, owner.accessToken);
    // Once the first retry is scheduled, a day goes by (as if every retry had failed until now).
    const em = server.platform.orm.em.fork();
    await runAsSystem('test', async () => {
      for (const deadline = Date.now() + 5000; Date.now() < deadline; await sleep(5)) {
        const delivery = await em.findOne(WebhookDelivery, { webhook: webhookId }, { refresh: true });
        if (delivery?.nextAttemptAt) break;
      }
      await em.nativeUpdate(
        WebhookDelivery,
        { webhook: webhookId },
        { createdAt: new Date(Date.now() - 24 * 3600_000 - 1000) },
      );
    });
    await endpoint.waitFor(2);
    const failed = await settled(webhookId, (delivery) => delivery.status === 'failed');
    assert.equal(failed.attempts, 2);
    assert.equal(failed.responseStatus, 500);
    assert.equal(failed.nextAttemptAt, null);
    assert.match(failed.error!, /HTTP 500.*24 hours/);
    await sleep(3 * RETRY_BASE_MS);
    assert.equal(endpoint.received.length, 2, 'no attempt after that');
  });

  it('cuts off an endpoint that does not answer at the timeout', async () => {
    const endpoint = await receiver(() => 'hang');
    const webhook = await subscribe(endpoint.url, ['conversation.closed']);
    const started = Date.now();
    const test = await server.api.post<WebhookDeliveryView>(
      `/api/webhooks/${webhook.id}/test`,
      undefined,
      owner.accessToken,
    );
    const took = Date.now() - started;
    assert.equal(endpoint.received.length, 1);
    assert.equal(test.body.status, 'failed');
    assert.equal(test.body.responseStatus, null);
    assert.equal(test.body.error, `The endpoint did not answer within ${TIMEOUT_MS / 1000} s.`);
    assert.ok(took >= TIMEOUT_MS - 50 && took < TIMEOUT_MS + 2000, `took ${took} ms`);
  });

  it('disables a webhook after repeated failures and tells the tenant, and only it', async () => {
    const endpoint = await receiver(() => ({ status: 500, body: 'down' }));
    const webhook = await subscribe(endpoint.url, ['conversation.closed']);
    const dashboard = await connectAdmin(server.url, owner.accessToken);
    const stranger: AdminSocket = await connectAdmin(server.url, other.accessToken);
    sockets.push(dashboard, stranger);
    const overheard: unknown[] = [];
    stranger.on('webhook:disabled', (event) => overheard.push(event));
    const told = nextEvent<{ webhookId: string; reason: string }>(
      dashboard,
      'webhook:disabled',
      (event) => event.webhookId === webhook.id,
    );

    await closeConversation(bot.id, owner.accessToken);
    const event = await told;
    assert.equal(event.webhookId, webhook.id);
    assert.match(event.reason, new RegExp(`after ${DISABLE_AFTER} failed delivery attempts.*HTTP 500`));

    const disabled = await server.api.get<WebhookView>(`/api/webhooks/${webhook.id}`, owner.accessToken);
    assert.equal(disabled.body.enabled, false);
    assert.equal(disabled.body.consecutiveFailures, DISABLE_AFTER);
    assert.ok(disabled.body.disabledAt);
    assert.equal(disabled.body.disabledReason, event.reason);
    const [delivery] = await deliveries(webhook.id);
    assert.equal(delivery!.status, 'failed');
    assert.equal(delivery!.attempts, DISABLE_AFTER);
    assert.match(delivery!.error!, /disabled/);
    await sleep(4 * RETRY_BASE_MS);
    assert.equal(endpoint.received.length, DISABLE_AFTER, 'nothing more is sent');
    assert.deepEqual(overheard, []);

    // Disabled, it gets no new events; enabled again, it does, with a clean record.
    await closeConversation(bot.id, owner.accessToken);
    await sleep(300);
    assert.equal(endpoint.received.length, DISABLE_AFTER);
    const enabled = await server.api.patch<WebhookView>(
      `/api/webhooks/${webhook.id}`,
      { enabled: true },
      owner.accessToken,
    );
    assert.deepEqual(
      [enabled.body.enabled, enabled.body.consecutiveFailures, enabled.body.disabledAt],
      [true, 0, null],
    );
    await closeConversation(bot.id, owner.accessToken);
    await endpoint.waitFor(DISABLE_AFTER + 1);
  });

  it('reports document.failed when a document fails for good', async () => {
    const endpoint = await receiver((request) =>
      request.headers['x-webhook-event'] ? { status: 200 } : { status: 404, body: 'no such page' },
    );
    const webhook = await subscribe(endpoint.url, ['document.failed']);
    const imported = await server.api.post<DocumentView>(
      '/api/documents/url',
      { botId: bot.id, url: endpoint.url.replace('/hooks', '/missing') },
      owner.accessToken,
    );
    assert.equal(imported.status, 202, JSON.stringify(imported.body));
    const document = await waitForStatus(server, owner.accessToken, imported.body.id, ['failed']);
    const [, delivery] = await endpoint.waitFor(2);
    assertSigned(delivery!, webhook.secret);
    assert.deepEqual(JSON.parse(delivery!.body).data, {
      documentId: document.id,
      botId: bot.id,
      name: document.name,
      error: document.error,
    });
  });

  it("keeps tenants apart: no delivery of another tenant's events, no view of the log", async () => {
    const endpoint = await receiver();
    const webhook = await subscribe(endpoint.url, ['conversation.closed']);
    await closeConversation(otherBot.id, other.accessToken);
    await sleep(300);
    assert.equal(endpoint.received.length, 0, "the other tenant's event is not sent to this tenant");

    await closeConversation(bot.id, owner.accessToken);
    await settled(webhook.id, (delivery) => delivery.status === 'succeeded');
    const foreign = await server.api.get(`/api/webhooks/${webhook.id}/deliveries`, other.accessToken);
    assert.equal(foreign.status, 404);
    assert.equal(JSON.stringify(foreign.body).includes(bot.id), false);
    const test = await server.api.post(`/api/webhooks/${webhook.id}/test`, undefined, other.accessToken);
    assert.equal(test.status, 404);
    assert.equal(endpoint.received.length, 1, 'the other tenant could not trigger a delivery');
    const theirs = await server.api.get<{ webhooks: WebhookView[] }>('/api/webhooks', other.accessToken);
    assert.deepEqual(theirs.body.webhooks, []);
  });
});

describe('webhook delivery without the test allowance (SSRF guard)', () => {
  let server: TestServer;
  let owner: AuthResponse;
  let endpoint: WebhookReceiver;

  before(async () => {
    server = await startTestServer();
    owner = await buildTenant(server.api);
    endpoint = await startWebhookReceiver();
  });
  after(async () => {
    await endpoint.close();
    await server.stop();
  });

  it('refuses a loopback URL at creation, and a delivery that would reach loopback', async () => {
    const refused = await server.api.post(
      '/api/webhooks',
      { url: endpoint.url, events: ['conversation.closed'] },
      owner.accessToken,
    );
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.fields[0].path, 'url');

    const created = await server.api.post<WebhookWithSecret>(
      '/api/webhooks',
      { url: 'https://hooks.example.com/in', events: ['conversation.closed'] },
      owner.accessToken,
    );
    assert.equal(created.status, 201);
    // The name now leads to loopback (a DNS change after creation): the guard stops the delivery.
    await runAsSystem('test', () =>
      server.platform.orm.em.fork().nativeUpdate(Webhook, { id: created.body.id }, { url: endpoint.url }),
    );
    const test = await server.api.post<WebhookDeliveryView>(
      `/api/webhooks/${created.body.id}/test`,
      undefined,
      owner.accessToken,
    );
    assert.equal(test.body.status, 'failed');
    assert.equal(test.body.responseStatus, null);
    assert.match(test.body.error!, /private or local address/);
    assert.equal(endpoint.received.length, 0);
  });
});

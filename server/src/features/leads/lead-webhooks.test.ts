import assert from 'node:assert/strict';
import type { AuthResponse, BotView, LeadView } from '@chatbot/shared';
import { buildBot, buildTenant } from '../../testing/factories';
import { nextEvent, openChat, requestOk, startConversation } from '../../testing/chat-clients';
import { startTestServer, type TestServer } from '../../testing/test-server';
import {
  assertSigned,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../webhooks/testing/webhook-receiver';
import { captureOverRest } from './lead-fixtures';

describe('lead webhooks: lead.created and lead.updated reach the tenant’s endpoint', () => {
  let server: TestServer;
  let receiver: WebhookReceiver;
  let owner: AuthResponse;
  let bot: BotView;
  let secret: string;

  before(async () => {
    // The receiver listens on loopback, which deliveries refuse unless a test admits it.
    server = await startTestServer({ allowImportAddress: (address) => address === '127.0.0.1' });
    receiver = await startWebhookReceiver();
    owner = await buildTenant(server.api);
    bot = await buildBot(server.api, owner.accessToken, {
      status: 'published',
      rateLimits: { perIpPerMinute: 1000, perMinute: 1000 },
    });
    const hook = await server.api.post(
      '/api/webhooks',
      { url: receiver.url, events: ['lead.created', 'lead.updated'] },
      owner.accessToken,
    );
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    secret = hook.body.secret;
  });
  after(async () => {
    await server.stop();
    await receiver.close();
  });

  const events = (count: number) =>
    receiver
      .waitFor(count)
      .then((received) =>
        received.map((request) => JSON.parse(request.body) as { event: string; data: { lead: LeadView } }),
      );

  it('sends a new lead, a merge that changed it, and a status change; a capture changing nothing sends nothing', async () => {
    const visitor = await startConversation(server.api, bot.id);
    const created = await captureOverRest(server, visitor, { email: 'ada@example.com' });
    assert.equal(created.status, 201);
    const [first] = await events(1);
    assert.equal(first!.event, 'lead.created');
    assert.deepEqual([first!.data.lead.id, first!.data.lead.email], [created.body.leadId, 'ada@example.com']);

    assert.equal((await captureOverRest(server, visitor, { email: 'ada@example.com' })).status, 200);
    await captureOverRest(server, visitor, { email: 'ada@example.com', company: 'Engines' });
    const second = (await events(2))[1]!;
    assert.deepEqual([second.event, second.data.lead.company], ['lead.updated', 'Engines']);

    const patched = await server.api.patch(
      `/api/leads/${created.body.leadId}`,
      { status: 'qualified' },
      owner.accessToken,
    );
    assert.equal(patched.status, 200);
    const third = (await events(3))[2]!;
    assert.deepEqual([third.event, third.data.lead.status], ['lead.updated', 'qualified']);
    assert.equal(receiver.received.length, 3, 'the capture that changed nothing was sent');
  });

  it('goes from buying intent to a signed lead.created: lead:request, capture over the socket, lead, webhook', async () => {
    const chat = await openChat(server.api, bot.id);
    const asked = nextEvent(chat.socket, 'lead:request');
    await chat.ask('I want to buy 20 seats, what is the price?');
    assert.deepEqual(await asked, { conversationId: chat.conversationId });
    const captured = await requestOk<{ leadId: string }>(chat.socket, 'lead:capture', {
      conversationId: chat.conversationId,
      email: 'grace@example.com',
      name: 'Grace Hopper',
      consent: true,
    });
    const [delivery] = await receiver.waitFor(receiver.received.length + 1).then((all) => all.slice(-1));
    assertSigned(delivery!, secret);
    const body = JSON.parse(delivery!.body) as { event: string; data: { lead: LeadView } };
    assert.equal(body.event, 'lead.created');
    assert.deepEqual([body.data.lead.id, body.data.lead.email], [captured.leadId, 'grace@example.com']);
    chat.socket.disconnect();
  });
});

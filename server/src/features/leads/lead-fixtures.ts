import assert from 'node:assert/strict';
import type { StartConversationResponse } from '@chatbot/shared';
import { Conversation, Lead, LeadEvent, runAsSystem } from '@chatbot/shared/platform';
import { request, type WidgetSocket } from '../../testing/chat-clients';
import type { TestServer } from '../../testing/test-server';

/** Test helpers of the leads feature: captures as a visitor makes them, and reads of what was stored. */

/** `POST …/capture-lead` with the visitor's token. */
export function captureOverRest(
  server: TestServer,
  visitor: Pick<StartConversationResponse, 'conversationId' | 'visitorToken'>,
  body: unknown,
) {
  // Untyped: the answer is a CaptureLeadResponse or an error body.
  return server.api.request('POST', `/api/public/conversation/${visitor.conversationId}/capture-lead`, {
    body,
    headers: { authorization: `Bearer ${visitor.visitorToken}` },
  });
}

/** Sends a visitor's message over REST, which answers once the bot's answer (and what follows it) is done. */
export async function sayOverRest(
  server: TestServer,
  botId: string,
  visitor: Pick<StartConversationResponse, 'conversationId' | 'visitorToken'>,
  message: string,
) {
  const response = await server.api.request('POST', `/api/public/chat/${botId}`, {
    body: { conversationId: visitor.conversationId, message },
    headers: { authorization: `Bearer ${visitor.visitorToken}` },
  });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body;
}

/**
 * A round trip on the visitor's socket: whatever the server emitted to it before has arrived once this
 * resolves (one connection keeps its order).
 */
export async function roundTrip(socket: WidgetSocket, conversationId: string): Promise<void> {
  const response = await request(socket, 'conversation:join', { conversationId, sinceSeq: 1_000_000 });
  assert.ok(response.ok, JSON.stringify(response));
}

/** What the database holds for a conversation: the conversation, its lead and the lead's history. */
export function stored(server: TestServer, conversationId: string) {
  return runAsSystem('test', async () => {
    const em = server.platform.orm.em.fork();
    const conversation = await em.findOneOrFail(Conversation, conversationId);
    const lead = await em.findOne(Lead, { conversation: conversationId });
    const events = lead ? await em.find(LeadEvent, { lead: lead.id }, { orderBy: { createdAt: 'asc' } }) : [];
    return { conversation, lead, events };
  });
}

/** Polls the lead until `done` holds (the summary job runs in the background). */
export async function waitForLead(
  server: TestServer,
  leadId: string,
  done: (lead: Lead) => boolean,
  timeoutMs = 15_000,
): Promise<Lead> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lead = await runAsSystem('test', () => server.platform.orm.em.fork().findOneOrFail(Lead, leadId));
    if (done(lead)) return lead;
    if (Date.now() > deadline) throw new Error(`lead ${leadId} not ready: ${JSON.stringify(lead)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

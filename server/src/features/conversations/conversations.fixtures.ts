/**
 * Test helpers for the conversation views (the server's tests and the dashboard's browser tests): a
 * visitor who arrives from a page, a team member invited by the owner, and a PDF read back as text.
 */
import assert from 'node:assert/strict';
import type { AuthResponse, Role, StartConversationResponse } from '@chatbot/shared';
import { PDFParse } from 'pdf-parse';
import type { ApiClient } from '../../testing/api-client';

/** What the visitor's browser says about itself in every test. */
export const visitorBrowser = {
  userAgent: 'AdaBrowser/1.0',
  referrer: 'https://shop.example/returns',
  language: 'fr-CH',
};

/** A visitor over REST: starts a conversation from a page, may ask something and leave their details. */
export async function visit(
  api: ApiClient,
  botId: string,
  options: { text?: string; lead?: { email: string; name: string } } = {},
): Promise<string> {
  const started = await api.request<StartConversationResponse>(
    'POST',
    `/api/public/conversation/${botId}/start`,
    {
      headers: { 'user-agent': visitorBrowser.userAgent },
      body: { referrer: visitorBrowser.referrer, language: visitorBrowser.language },
    },
  );
  assert.equal(started.status, 201, JSON.stringify(started.body));
  const headers = { authorization: `Bearer ${started.body.visitorToken}` };
  const { conversationId } = started.body;
  if (options.text) {
    const chat = await api.request('POST', `/api/public/chat/${botId}`, {
      headers,
      body: { conversationId, message: options.text },
    });
    assert.equal(chat.status, 200, JSON.stringify(chat.body));
  }
  if (options.lead) {
    const captured = await api.request('POST', `/api/public/conversation/${conversationId}/capture-lead`, {
      headers,
      body: { ...options.lead, consent: true },
    });
    assert.equal(captured.status, 201, JSON.stringify(captured.body));
  }
  return conversationId;
}

/** A member of the owner's team with this role, signed in. */
export async function invite(
  api: ApiClient,
  ownerToken: string,
  role: Role,
  name: string,
): Promise<AuthResponse> {
  const email = `${role}-${name.toLowerCase()}-${Date.now()}@example.com`;
  const invitation = await api.post('/api/users/invitations', { email, role }, ownerToken);
  assert.equal(invitation.status, 201, JSON.stringify(invitation.body));
  const accepted = await api.post<AuthResponse>('/api/auth/accept-invitation', {
    token: invitation.body.token,
    name,
    password: 'correct horse battery staple',
  });
  assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
  return accepted.body;
}

/** The text of a PDF, as the worker's extractor reads documents. */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  const parser = new PDFParse({ data: bytes });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}

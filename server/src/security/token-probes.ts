import assert from 'node:assert/strict';
import { connectAdmin, connectWidget } from '../testing/chat-clients';
import type { TestServer } from '../testing/test-server';

/** How a credential was answered: the status (REST) or nothing (a handshake), the code and the message. */
export interface Refusal {
  status?: number;
  code: string | undefined;
  message: string;
}

/** A handshake refusal (connect_error), or a failed assertion when the socket got in. */
async function handshakeRefusal(connecting: Promise<{ close(): unknown }>): Promise<Refusal> {
  const outcome = await connecting.then(
    (socket) => {
      socket.close();
      return null;
    },
    (error: Error & { data?: { code?: string } }) => ({ code: error.data?.code, message: error.message }),
  );
  assert.ok(outcome, 'the handshake let the token in');
  return outcome;
}

/** Dashboard credentials, tried on REST (`GET /api/me`) and on the `/admin` handshake. */
export function adminProbes(server: TestServer) {
  return {
    async rest(token: string): Promise<Refusal> {
      const response = await server.api.get('/api/me', token);
      return {
        status: response.status,
        code: response.body?.error?.code,
        message: response.body?.error?.message,
      };
    },
    handshake: (token: string) => handshakeRefusal(connectAdmin(server.url, token)),
  };
}

/**
 * Visitor credentials, tried on REST (ending the conversation, the one visitor route without a body to
 * validate first) and on the `/widget` handshake for `botId`.
 */
export function visitorProbes(server: TestServer) {
  return {
    async rest(token: string, conversationId: string): Promise<Refusal> {
      const response = await server.api.request('POST', `/api/public/conversation/${conversationId}/end`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return {
        status: response.status,
        code: response.body?.error?.code,
        message: response.body?.error?.message,
      };
    },
    handshake: (token: string, botId: string) =>
      handshakeRefusal(connectWidget(server.url, { botId, visitorToken: token })),
  };
}

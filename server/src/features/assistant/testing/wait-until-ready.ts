import type { AssistantStatusResponse } from '@chatbot/shared';
import type { TestServer } from '../../../testing/test-server';

/** Waits for the assistant to have learnt the documentation (it starts at server start-up). */
export async function waitUntilReady(server: TestServer, token: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await server.api.get<AssistantStatusResponse>('/api/assistant/status', token);
    if (body.knowledge.status === 'ready') return body.knowledge;
    if (body.knowledge.status === 'failed' || Date.now() > deadline) {
      throw new Error(`documentation not indexed: ${JSON.stringify(body)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

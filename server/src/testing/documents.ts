import type { DocumentView } from '@chatbot/shared';
import type { TestServer } from './test-server';

/** What these helpers need of a server: its address (direct, or through a load balancer) and a client. */
type Target = Pick<TestServer, 'url' | 'api'>;

/** Uploads files to a bot as the dashboard does (multipart). */
export function upload(
  server: Target,
  token: string,
  botId: string,
  files: Array<{ name: string; bytes: Buffer; type?: string }>,
) {
  const form = new FormData();
  form.append('botId', botId);
  for (const file of files)
    form.append(
      'file',
      new Blob([new Uint8Array(file.bytes)], { type: file.type ?? 'application/octet-stream' }),
      file.name,
    );
  return fetch(`${server.url}/api/documents/upload`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${token}` },
  }).then(async (response) => ({ status: response.status, body: (await response.json()) as any }));
}

/** Polls a document until its status is one of `statuses`. */
export async function waitForStatus(
  server: Target,
  token: string,
  id: string,
  statuses: string[],
  timeoutMs = 30_000,
): Promise<DocumentView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await server.api.get<DocumentView>(`/api/documents/${id}`, token);
    if (statuses.includes(body.status)) return body;
    if (Date.now() > deadline) throw new Error(`document ${id} still ${body.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Uploads one text file and waits until the bot has learnt it. */
export async function teach(server: TestServer, token: string, botId: string, name: string, text: string) {
  const response = await upload(server, token, botId, [
    { name, bytes: Buffer.from(text), type: 'text/plain' },
  ]);
  if (response.status !== 202) throw new Error(`upload failed: ${JSON.stringify(response.body)}`);
  const document = await waitForStatus(server, token, response.body.documents[0].id, ['completed', 'failed']);
  if (document.status !== 'completed') throw new Error(`indexing failed: ${document.error}`);
  return document;
}

/** Prose long enough (at `sentences` in the tens of thousands) that indexing it takes seconds here. */
export function longProse(sentences: number): Buffer {
  const words = [
    'warranty',
    'shipping',
    'refund',
    'account',
    'invoice',
    'delivery',
    'support',
    'order',
    'return',
    'store',
  ];
  const lines: string[] = [];
  for (let i = 0; i < sentences; i++) {
    lines.push(
      `Sentence ${i} says the ${words[i % 10]} policy ${words[(i * 7) % 10]} applies to item ${i * 13}.`,
    );
    if (i % 8 === 7) lines.push('');
  }
  return Buffer.from(lines.join(' '));
}

import type { DocumentView } from '@chatbot/shared';
import type { TestServer } from './test-server';

/** Uploads files to a bot as the dashboard does (multipart). */
export function upload(
  server: TestServer,
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
  server: TestServer,
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

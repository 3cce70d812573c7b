import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connect } from 'socket.io-client';
import type { AdminServerToClientEvents, AuthResponse, BotView, DocumentView } from '@chatbot/shared';
import { startEmbeddedChroma, type EmbeddedChroma } from '@chatbot/shared/platform';
import { createTestDatabase, type TestDatabase } from '@chatbot/shared/testing';
import { buildBot, buildTenant } from './testing/factories';
import { startNodeProcess, stopProcess } from './testing/processes';
import { startTestServer, type TestServer } from './testing/test-server';

type StatusEvent = Parameters<AdminServerToClientEvents['document:status']>[0];

const startWorker = (env: Record<string, string>) =>
  startNodeProcess('worker/src/main.ts', env, /worker ready/).then((worker) => worker.child);

async function upload(
  server: TestServer,
  token: string,
  botId: string,
  name: string,
  bytes: Buffer,
): Promise<DocumentView> {
  const form = new FormData();
  form.append('botId', botId);
  form.append('file', new Blob([bytes]), name);
  const response = await fetch(`${server.url}/api/documents/upload`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(response.status, 202);
  return ((await response.json()) as { documents: DocumentView[] }).documents[0]!;
}

async function waitFor(
  server: TestServer,
  token: string,
  id: string,
  done: (document: DocumentView) => boolean,
  timeoutMs = 60_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await server.api.get<DocumentView>(`/api/documents/${id}`, token);
    if (done(body)) return body;
    if (Date.now() > deadline) throw new Error(`document ${id} stuck at ${body.status} ${body.progress}%`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Prose long enough that indexing it takes a few seconds on this machine. */
function longText(sentences: number): Buffer {
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

describe('scaled mode: a server and separate worker processes on Redis, PostgreSQL and Chroma', () => {
  let database: TestDatabase;
  let dataDir: string;
  let chroma: EmbeddedChroma | null = null;
  let env: Record<string, string>;
  let server: TestServer;
  const workers: ChildProcess[] = [];
  let owner: AuthResponse;
  let bot: BotView;

  before(async () => {
    database = await createTestDatabase('postgresql');
    dataDir = mkdtempSync(join(tmpdir(), 'scaled-'));
    if (!process.env.TEST_CHROMA_URL) chroma = await startEmbeddedChroma({ dataDir });
    const prefix = `test-${randomBytes(6).toString('hex')}`;
    env = {
      DATABASE_URL: database.url,
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      CHROMA_URL: process.env.TEST_CHROMA_URL ?? chroma!.url,
      REDIS_PREFIX: prefix,
      DATA_DIR: dataDir,
      MASTER_KEY: randomBytes(32).toString('base64'),
      JOB_STALL_TIMEOUT_MS: '2000',
      LOG_LEVEL: 'info',
    };
    server = await startTestServer({
      dialect: 'postgresql',
      env: { ...env, LOG_LEVEL: 'silent' },
      redisNamespace: prefix,
    });
    workers.push(await startWorker(env));
    owner = await buildTenant(server.api);
    bot = await buildBot(server.api, owner.accessToken);
  });
  after(async () => {
    await Promise.all(workers.map((worker) => stopProcess(worker, 'SIGTERM')));
    await server.stop();
    await chroma?.stop();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('indexes an upload in the worker and pushes its live status to the dashboard through Redis', async () => {
    const socket = connect(`${server.url}/admin`, {
      auth: { token: owner.accessToken },
      transports: ['websocket'],
    });
    await new Promise<void>((resolve, reject) =>
      socket.once('connect', () => resolve()).once('connect_error', reject),
    );
    const events: StatusEvent[] = [];
    socket.on('document:status', (event: StatusEvent) => events.push(event));

    const document = await upload(
      server,
      owner.accessToken,
      bot.id,
      'policy.txt',
      Buffer.from('Refunds are paid within five working days.'),
    );
    const done = await waitFor(
      server,
      owner.accessToken,
      document.id,
      (current) => current.status !== 'pending' && current.status !== 'processing',
    );
    assert.equal(done.status, 'completed', done.error ?? '');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(events.filter((event) => event.documentId === document.id).at(-1)?.status, 'completed');
    socket.close();
  });

  it('finishes a document whose worker was killed mid-job, once another worker runs', async () => {
    const document = await upload(server, owner.accessToken, bot.id, 'handbook.txt', longText(40_000));
    await waitFor(server, owner.accessToken, document.id, (current) => current.status === 'processing');
    await stopProcess(workers[0]!, 'SIGKILL');
    const stuck = (await server.api.get<DocumentView>(`/api/documents/${document.id}`, owner.accessToken))
      .body;
    assert.equal(stuck.status, 'processing', 'the job was cut off mid-way');

    workers.push(await startWorker(env));
    const done = await waitFor(
      server,
      owner.accessToken,
      document.id,
      (current) => current.status === 'completed' || current.status === 'failed',
    );
    assert.equal(done.status, 'completed', done.error ?? '');
    assert.ok(done.chunkCount > 1);
    const stats = await server.platform.vectors.stats(bot.id);
    assert.ok(stats.vectors >= done.chunkCount);
  });
});

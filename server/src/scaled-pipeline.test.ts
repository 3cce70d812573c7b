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
import { longProse, upload, waitForStatus } from './testing/documents';

type StatusEvent = Parameters<AdminServerToClientEvents['document:status']>[0];

const startWorker = (env: Record<string, string>) =>
  startNodeProcess('worker/src/main.ts', env, /worker ready/).then((worker) => worker.child);

/** Uploads one file and returns its document, as the dashboard sees it right after. */
async function uploadOne(server: TestServer, token: string, botId: string, name: string, bytes: Buffer) {
  const response = await upload(server, token, botId, [{ name, bytes }]);
  assert.equal(response.status, 202);
  return response.body.documents[0] as DocumentView;
}

describe('scaled mode: a server and separate worker processes on Redis, PostgreSQL and Chroma', function () {
  // A killed worker's job waits out the stall timeout (10 s) before another worker takes it.
  this.timeout(90_000);
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
      JOB_STALL_TIMEOUT_MS: '10000',
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

    const document = await uploadOne(
      server,
      owner.accessToken,
      bot.id,
      'policy.txt',
      Buffer.from('Refunds are paid within five working days.'),
    );
    const done = await waitForStatus(server, owner.accessToken, document.id, ['completed', 'failed'], 60_000);
    assert.equal(done.status, 'completed', done.error ?? '');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(events.filter((event) => event.documentId === document.id).at(-1)?.status, 'completed');
    socket.close();
  });

  it('finishes a document whose worker was killed mid-job, once another worker runs', async () => {
    const document = await uploadOne(server, owner.accessToken, bot.id, 'handbook.txt', longProse(40_000));
    await waitForStatus(server, owner.accessToken, document.id, ['processing'], 60_000);
    await stopProcess(workers[0]!, 'SIGKILL');
    const stuck = (await server.api.get<DocumentView>(`/api/documents/${document.id}`, owner.accessToken))
      .body;
    assert.equal(stuck.status, 'processing', 'the job was cut off mid-way');

    workers.push(await startWorker(env));
    const done = await waitForStatus(server, owner.accessToken, document.id, ['completed', 'failed'], 60_000);
    assert.equal(done.status, 'completed', done.error ?? '');
    assert.ok(done.chunkCount > 1);
    const stats = await server.platform.vectors.stats(bot.id);
    assert.ok(stats.vectors >= done.chunkCount);
  });
});

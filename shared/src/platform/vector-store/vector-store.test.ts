import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  chunkId,
  collectionName,
  EmbeddedChromaStartError,
  EmbeddingModelMismatchError,
  startEmbeddedChroma,
  VectorStore,
  type ChromaExit,
  type ChunkRecord,
  type EmbeddedChroma,
} from './index';

const dimension = 8;
const spec = { model: 'test-embed-8', dimension };

/** A hand-made 8-dimensional vector with the given non-zero components. */
function vector(components: Record<number, number>): number[] {
  const values = new Array<number>(dimension).fill(0);
  for (const [index, value] of Object.entries(components)) values[Number(index)] = value;
  return values;
}

function chunk(
  documentId: string,
  chunkIndex: number,
  embedding: number[],
  text = `${documentId}#${chunkIndex}`,
) {
  return {
    id: chunkId(documentId, chunkIndex),
    documentId,
    chunkIndex,
    text,
    embedding,
    metadata: { source: `${documentId}.pdf`, page: chunkIndex + 1, headingPath: 'Intro > Setup' },
  } satisfies ChunkRecord;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

const dataDirs: string[] = [];
function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vector-store-test-'));
  dataDirs.push(dir);
  return dir;
}

describe('vector store (real embedded Chroma)', () => {
  let chroma: EmbeddedChroma;
  let store: VectorStore;
  const botA = randomUUID();
  const botB = randomUUID();
  const docA1 = randomUUID();
  const docA2 = randomUUID();
  const docB1 = randomUUID();

  before(async () => {
    chroma = await startEmbeddedChroma({ dataDir: tempDataDir() });
    store = new VectorStore(chroma.url);
    await store.heartbeat();
  });

  after(async () => {
    await chroma?.stop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('upserts chunks per bot and returns the nearest first with scores in [0, 1]', async () => {
    await store.ensureCollection(botA, spec);
    await store.ensureCollection(botA, spec); // idempotent
    await store.ensureCollection(botB, spec);
    await store.upsert(botA, [
      chunk(docA1, 0, vector({ 0: 1 })),
      chunk(docA1, 1, vector({ 0: 1, 1: 3 })),
      chunk(docA2, 0, vector({ 0: 1, 1: 1 })),
      { ...chunk(docA2, 1, vector({ 2: 1 })), metadata: { source: 'notes.md' } },
    ]);
    await store.upsert(botB, [
      chunk(docB1, 0, vector({ 0: 1 })),
      chunk(docB1, 1, vector({ 0: 0.9, 3: 0.1 })),
    ]);

    const hits = await store.query(botA, vector({ 0: 2 }), 3);
    assert.deepEqual(
      hits.map((hit) => hit.id),
      [chunkId(docA1, 0), chunkId(docA2, 0), chunkId(docA1, 1)],
    );
    const [best, second, third] = hits;
    assert.ok(best && second && third);
    assert.ok(Math.abs(best.score - 1) < 1e-6, `best score ${best.score}`);
    assert.ok(Math.abs(second.score - Math.SQRT1_2) < 1e-5, `second score ${second.score}`);
    assert.ok(Math.abs(third.score - 1 / Math.sqrt(10)) < 1e-5, `third score ${third.score}`);
    for (const hit of hits) assert.ok(hit.score >= 0 && hit.score <= 1, `score ${hit.score} out of [0, 1]`);
    assert.deepEqual(best, {
      id: chunkId(docA1, 0),
      documentId: docA1,
      chunkIndex: 0,
      text: `${docA1}#0`,
      score: best.score,
      metadata: { source: `${docA1}.pdf`, page: 1, headingPath: 'Intro > Setup' },
    });

    // Optional metadata that was never given is absent, not a placeholder.
    const [notes] = await store.query(botA, vector({ 2: 1 }), 1);
    assert.deepEqual(notes?.metadata, { source: 'notes.md' });
  });

  it("never returns another bot's chunks", async () => {
    // Bot B holds a vector identical to the query; bot A must still only see its own.
    const fromA = await store.query(botA, vector({ 0: 1 }), 10);
    assert.equal(fromA.length, 4);
    assert.ok(fromA.every((hit) => hit.documentId !== docB1));
    const fromB = await store.query(botB, vector({ 0: 1 }), 10);
    assert.deepEqual(fromB.map((hit) => hit.documentId).sort(), [docB1, docB1]);
    assert.notEqual(collectionName(botA), collectionName(botB));
  });

  it('re-upserting the same ids replaces instead of duplicating', async () => {
    const before = await store.stats(botA);
    await store.upsert(botA, [
      { ...chunk(docA1, 0, vector({ 0: 1 }), 'rewritten'), metadata: { source: 'v2.pdf' } },
      chunk(docA1, 1, vector({ 1: 1 })),
    ]);
    assert.deepEqual(await store.stats(botA), before);
    const [hit] = await store.query(botA, vector({ 0: 1 }), 1);
    assert.equal(hit?.text, 'rewritten');
    // Chroma merges metadata on upsert; the store must not let the old page and heading path survive.
    assert.deepEqual(hit?.metadata, { source: 'v2.pdf' });
  });

  it("deleteDocument removes only that document's vectors and returns how many", async () => {
    assert.equal(await store.deleteDocument(botA, docA1), 2);
    const left = await store.query(botA, vector({ 0: 1 }), 10);
    assert.deepEqual(left.map((hit) => hit.documentId).sort(), [docA2, docA2]);
    assert.equal(await store.deleteDocument(botA, docA1), 0);
    assert.equal(await store.deleteDocument(randomUUID(), docA1), 0);
    assert.equal((await store.query(botB, vector({ 0: 1 }), 10)).length, 2, "bot B's copy is untouched");
  });

  it('stats counts vectors and distinct documents, paging past 1000 records', async () => {
    assert.deepEqual(await store.stats(botA), { vectors: 2, documents: 1 });
    assert.deepEqual(await store.stats(randomUUID()), { vectors: 0, documents: 0 });
    const many = Array.from({ length: 1201 }, (_, index) =>
      chunk(
        `big-${index % 3}`,
        index,
        vector({ [index % dimension]: 1, [(index + 1) % dimension]: index / 1201 }),
      ),
    );
    await store.upsert(botB, many); // three batches of at most 500
    assert.deepEqual(await store.stats(botB), { vectors: 1203, documents: 4 });
    await store.upsert(botB, many);
    assert.deepEqual(await store.stats(botB), { vectors: 1203, documents: 4 });
  });

  it('chunks pages through every chunk of one bot, with texts and metadata and no other bot', async () => {
    const pages: number[] = [];
    const seen = new Map<string, { text: string; metadata: Record<string, unknown> }>();
    for await (const page of store.chunks(botB)) {
      pages.push(page.length);
      for (const stored of page) seen.set(stored.id, stored);
    }
    assert.deepEqual(pages, [1000, 203]);
    assert.equal(seen.size, (await store.stats(botB)).vectors, 'all of bot B, and nothing of bot A');
    const one = seen.get(chunkId('big-1', 7));
    assert.deepEqual(one, {
      id: chunkId('big-1', 7),
      documentId: 'big-1',
      chunkIndex: 7,
      text: 'big-1#7',
      metadata: { source: 'big-1.pdf', page: 8, headingPath: 'Intro > Setup' },
    });
    const none = [];
    for await (const page of store.chunks(randomUUID())) none.push(page);
    assert.deepEqual(none, []);
  });

  it('refuses another embedding model or dimension with EmbeddingModelMismatchError', async () => {
    await assert.rejects(store.ensureCollection(botA, { model: spec.model, dimension: 16 }), (error) => {
      assert.ok(error instanceof EmbeddingModelMismatchError);
      assert.equal(error.botId, botA);
      assert.deepEqual(error.actual, spec);
      assert.deepEqual(error.expected, { model: spec.model, dimension: 16 });
      assert.match(error.message, /re-index/);
      return true;
    });
    await assert.rejects(
      store.ensureCollection(botA, { model: 'other-model', dimension }),
      EmbeddingModelMismatchError,
    );
    await store.ensureCollection(botA, spec);
  });

  it('rejects embeddings of the wrong dimension and upserts before ensureCollection', async () => {
    await assert.rejects(store.upsert(botA, [chunk(docA1, 0, [1, 0, 0])]), RangeError);
    await assert.rejects(store.query(botA, [1, 0, 0], 1), RangeError);
    await assert.rejects(store.upsert(botA, [chunk(docA1, 0, vector({ 0: Number.NaN }))]), RangeError);
    await assert.rejects(store.upsert(randomUUID(), [chunk(docA1, 0, vector({ 0: 1 }))]), /ensureCollection/);
    const twice = chunk(docA1, 0, vector({ 0: 1 }));
    await assert.rejects(store.upsert(botA, [twice, twice]), /appears twice/);
  });

  it('deleteCollection drops everything; queries then return [] and a second delete is fine', async () => {
    await store.deleteCollection(botA);
    assert.deepEqual(await store.query(botA, vector({ 0: 1 }), 5), []);
    assert.deepEqual(await store.stats(botA), { vectors: 0, documents: 0 });
    await store.deleteCollection(botA);
    assert.deepEqual(await store.query(randomUUID(), vector({ 0: 1 }), 5), []);
    assert.equal((await store.query(botB, vector({ 0: 1 }), 2)).length, 2);
  });

  it('collectionName accepts only UUIDs; chunkId is deterministic', () => {
    const id = randomUUID();
    assert.equal(collectionName(id), `bot_${id}`);
    assert.equal(collectionName(id.toUpperCase()), `bot_${id}`);
    for (const bad of ['', 'bot', '../other', `${id}x`, `${id}_b`, 'not-a-uuid-at-all-00000000000000000']) {
      assert.throws(() => collectionName(bad), TypeError, bad);
    }
    assert.equal(chunkId('doc', 3), 'doc:3');
    assert.throws(() => chunkId('doc', -1), TypeError);
    assert.throws(() => chunkId('', 0), TypeError);
  });

  it('gives a readable error when the port is taken, and the running server is unaffected', async () => {
    const port = Number(new URL(chroma.url).port);
    await assert.rejects(startEmbeddedChroma({ dataDir: tempDataDir(), port }), (error) => {
      assert.ok(error instanceof EmbeddedChromaStartError);
      assert.match(error.message, new RegExp(`port ${port} .*already in use`));
      return true;
    });
    await store.heartbeat();
  });

  it('quotes the server output when it does not answer in time', async () => {
    await assert.rejects(startEmbeddedChroma({ dataDir: tempDataDir(), startupTimeoutMs: 1 }), (error) => {
      assert.ok(error instanceof EmbeddedChromaStartError);
      assert.match(error.message, /no heartbeat within 1 ms/);
      assert.match(error.message, /Last output:/);
      return true;
    });
  });

  it('quotes the server output when it exits during start-up', async () => {
    const dataDir = tempDataDir();
    // A directory where Chroma's SQLite file belongs makes the server panic after printing its banner.
    mkdirSync(join(dataDir, 'chroma', 'chroma.sqlite3'), { recursive: true });
    await assert.rejects(startEmbeddedChroma({ dataDir }), (error) => {
      assert.ok(error instanceof EmbeddedChromaStartError);
      assert.match(error.message, /exited .* before answering/);
      assert.match(error.message, /unable to open database file/);
      assert.ok(!error.message.includes(String.fromCharCode(27)), 'ANSI escapes are stripped');
      return true;
    });
  });

  it('stop() leaves no child process and is idempotent', async () => {
    const second = await startEmbeddedChroma({ dataDir: tempDataDir() });
    assert.ok(isRunning(second.pid));
    await second.stop();
    assert.throws(() => process.kill(second.pid, 0), { code: 'ESRCH' });
    await second.stop();
  });

  it('reports an exit it did not ask for', async () => {
    const exits: ChromaExit[] = [];
    const third = await startEmbeddedChroma({
      dataDir: tempDataDir(),
      onUnexpectedExit: (exit) => exits.push(exit),
    });
    process.kill(third.pid, 'SIGKILL');
    assert.ok(await waitUntil(() => exits.length === 1, 5_000));
    assert.equal(exits[0]?.signal, 'SIGKILL');
    await third.stop();
  });

  for (const ending of ['process.exit', 'SIGKILL'] as const) {
    it(`does not outlive a parent that ends by ${ending}`, async () => {
      const module = pathToFileURL(join(import.meta.dirname, 'embedded-chroma.ts')).href;
      const code = [
        `const { startEmbeddedChroma } = await import(${JSON.stringify(module)});`,
        `const chroma = await startEmbeddedChroma({ dataDir: ${JSON.stringify(tempDataDir())} });`,
        `console.log(String(chroma.pid));`,
        ending === 'process.exit' ? 'process.exit(0);' : 'setInterval(() => {}, 1000);',
      ].join('\n');
      const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const pid = await new Promise<number>((resolve, reject) => {
        parent.stdout.once('data', (data: Buffer) => resolve(Number(data.toString().trim())));
        parent.once('exit', (exitCode) => reject(new Error(`parent exited (${exitCode}) before printing`)));
      });
      assert.ok(pid > 0);
      if (ending === 'SIGKILL') parent.kill('SIGKILL');
      assert.ok(await waitUntil(() => !isRunning(pid), 5_000), `chroma ${pid} outlived its parent`);
    });
  }
});

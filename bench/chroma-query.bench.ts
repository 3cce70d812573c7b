/**
 * Retrieval latency of VectorStore.query (top 5, as the chat path asks) against the raw chromadb client's
 * collection.query on a collection holding the same records, per collection size, on one embedded Chroma.
 * Each size gets a fresh bot collection filled through VectorStore.upsert and a raw collection filled
 * through collection.add, batch by batch in turn; both are dropped before the next size.
 * Machines are shared and noisy: read the ratio, not the absolute numbers.
 *
 *   npm run bench:chroma [-- --sizes 10000,100000 --queries 500 --concurrency 8]
 *
 * The 100k size takes about 13 minutes on a shared 2-core machine, most of it Chroma indexing the chunk
 * texts of its two collections; pass --sizes 10000 for a quick run.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { OfflineEmbedder } from '../shared/src/platform/ai';
import { chunkId, type ChunkRecord } from '../shared/src/platform/vector-store';
import { rawCollection, rawRecordSet, withEmbeddedChroma } from './chroma';
import { Prose } from './corpus';
import { formatRow, measure } from './latency';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000' },
    queries: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '8' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const queries = Number(values.queries);
const concurrency = Number(values.concurrency);
if (![...sizes, queries, concurrency].every((n) => Number.isSafeInteger(n) && n > 0)) {
  throw new RangeError('--sizes (comma-separated), --queries and --concurrency must be positive integers');
}

const TOP_K = 5;
/** Chunks per generated document, about a 20-page PDF's worth. */
const CHUNKS_PER_DOCUMENT = 20;
/** Chunk text of 2,600-3,400 characters: roughly 500-650 tokens, the low end of the 500-1,000 default. */
const CHUNK_CHARACTERS = 2600;
const CHUNK_CHARACTER_SPREAD = 800;
/** VectorStore's own batch size, so each upsert call writes what one raw add writes. */
const BATCH = 500;
/** Insertion takes minutes at 100k; progress goes to stderr so stdout stays the report. */
const PROGRESS_EVERY = 10_000;
const WARM_UP_QUERIES = 100;

const embedder = new OfflineEmbedder();
const prose = new Prose(7);

function generateRecords(count: number): ChunkRecord[] {
  const texts = Array.from({ length: count }, () =>
    prose.text(CHUNK_CHARACTERS + prose.int(CHUNK_CHARACTER_SPREAD)),
  );
  const embeddings = texts.map((text) => embedder.embedOne(text));
  let documentId = '';
  return texts.map((text, i) => {
    const chunkIndex = i % CHUNKS_PER_DOCUMENT;
    if (chunkIndex === 0) documentId = randomUUID();
    return {
      id: chunkId(documentId, chunkIndex),
      documentId,
      chunkIndex,
      text,
      embedding: embeddings[i]!,
      metadata: { source: `${documentId}.pdf`, page: chunkIndex + 1 },
    };
  });
}

const seconds = (since: number) => (performance.now() - since) / 1000;

await withEmbeddedChroma(async ({ store, client }) => {
  // Questions from the same vocabulary, so the nearest neighbours are real matches, not ties at zero.
  const queryVectors = Array.from({ length: queries }, () => embedder.embedOne(prose.sentence()));
  const spec = { model: embedder.model, dimension: embedder.dimension };

  for (const size of sizes) {
    const generated = performance.now();
    const records = generateRecords(size);
    const generateSeconds = seconds(generated);

    const botId = randomUUID();
    await store.ensureCollection(botId, spec);
    const raw = await rawCollection(client, `raw_${botId}`);
    let platformInsert = 0;
    let rawInsert = 0;
    for (let start = 0; start < size; start += BATCH) {
      const batch = records.slice(start, start + BATCH);
      // Built before the clock starts: the baseline is the client's add alone.
      const rawSet = rawRecordSet(batch);
      const platformBatch = async () => {
        const began = performance.now();
        await store.upsert(botId, batch);
        platformInsert += seconds(began);
      };
      const rawBatch = async () => {
        const began = performance.now();
        await raw.add(rawSet);
        rawInsert += seconds(began);
      };
      // Alternating who goes first keeps either from always meeting a server still busy with the other.
      if ((start / BATCH) % 2 === 0) {
        await platformBatch();
        await rawBatch();
      } else {
        await rawBatch();
        await platformBatch();
      }
      const done = start + batch.length;
      if (done % PROGRESS_EVERY === 0 || done === size) {
        process.stderr.write(
          `  ${size}: ${done} inserted in each, ${(platformInsert + rawInsert).toFixed(0)} s\n`,
        );
      }
    }

    let next = 0;
    const nextVector = () => queryVectors[next++ % queryVectors.length]!;
    const platformQuery = async () => {
      await store.query(botId, nextVector(), TOP_K);
    };
    const rawQuery = async () => {
      await raw.query({ queryEmbeddings: [nextVector()], nResults: TOP_K });
    };
    // Warm both paths (JIT, the HNSW index's pages in memory) before measuring.
    await measure(WARM_UP_QUERIES, concurrency, platformQuery);
    await measure(WARM_UP_QUERIES, concurrency, rawQuery);
    const rawReport = await measure(queries, concurrency, rawQuery);
    const platformReport = await measure(queries, concurrency, platformQuery);

    console.log(
      `\n${size} chunks, ${embedder.dimension} dims: ${embedder.model} (OfflineEmbedder) vectors of generated ` +
        `text, ${CHUNK_CHARACTERS}-${CHUNK_CHARACTERS + CHUNK_CHARACTER_SPREAD} characters per chunk ` +
        `(generated and embedded in ${generateSeconds.toFixed(1)} s)`,
    );
    console.log(
      `insert, batches of ${BATCH} alternating: VectorStore.upsert ${platformInsert.toFixed(1)} s (${(size / platformInsert).toFixed(0)} chunks/s), ` +
        `raw add ${rawInsert.toFixed(1)} s (${(size / rawInsert).toFixed(0)} chunks/s), ` +
        `ratio ${(rawInsert / platformInsert).toFixed(2)}x throughput`,
    );
    console.log(`top ${TOP_K}, ${queries} queries, ${concurrency} concurrent clients`);
    console.log(formatRow('baseline: raw collection.query', rawReport));
    console.log(formatRow('platform: VectorStore.query', platformReport));
    console.log(
      `ratio platform/baseline: p50 ${(platformReport.p50 / rawReport.p50).toFixed(1)}x, ` +
        `p95 ${(platformReport.p95 / rawReport.p95).toFixed(1)}x, p99 ${(platformReport.p99 / rawReport.p99).toFixed(1)}x, ` +
        `throughput ${(platformReport.throughput / rawReport.throughput).toFixed(2)}x`,
    );

    // Dropped before the next size, so it neither competes for memory nor shares the server's caches.
    await store.deleteCollection(botId);
    await client.deleteCollection({ name: raw.name });
  }
});

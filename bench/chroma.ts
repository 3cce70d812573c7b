/**
 * The embedded Chroma the vector benchmarks run against, and the raw chromadb client that is their
 * baseline: both talk to the same server, so the ratio isolates what VectorStore adds on top of the client.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChromaClient, type Collection } from 'chromadb';
import { startEmbeddedChroma, VectorStore, type ChunkRecord } from '../shared/src/platform/vector-store';
// Internal on purpose: the baseline must write exactly the metadata VectorStore writes, not a lookalike.
import { toChromaMetadata } from '../shared/src/platform/vector-store/chunk-metadata';

export interface BenchChroma {
  store: VectorStore;
  client: ChromaClient;
}

/**
 * Runs `body` against an embedded Chroma in a fresh temp dir; the server is stopped and the dir removed
 * afterwards, whether `body` succeeds or throws.
 */
export async function withEmbeddedChroma<T>(body: (chroma: BenchChroma) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-chroma-'));
  try {
    const chroma = await startEmbeddedChroma({ dataDir });
    try {
      const url = new URL(chroma.url);
      const client = new ChromaClient({ host: url.hostname, port: Number(url.port), ssl: false });
      return await body({ store: new VectorStore(chroma.url), client });
    } finally {
      await chroma.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A collection configured as VectorStore configures a bot's: cosine space, no embedding function. */
export function rawCollection(client: ChromaClient, name: string): Promise<Collection> {
  return client.getOrCreateCollection({
    name,
    embeddingFunction: null,
    configuration: { hnsw: { space: 'cosine' } },
  });
}

/** `records` in the column layout of `collection.add`, with the metadata VectorStore would store. */
export function rawRecordSet(records: readonly ChunkRecord[]) {
  return {
    ids: records.map((record) => record.id),
    embeddings: records.map((record) => record.embedding),
    documents: records.map((record) => record.text),
    metadatas: records.map(toChromaMetadata),
  };
}

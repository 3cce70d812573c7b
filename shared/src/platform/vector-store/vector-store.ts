import { ChromaClient, ChromaNotFoundError, type Collection, type CollectionMetadata } from 'chromadb';
import { fromChromaMetadata, toChromaMetadata } from './chunk-metadata';
import { EmbeddingModelMismatchError, type EmbeddingSpec } from './errors';
import { collectionName } from './naming';
import type { ChunkRecord, QueryHit, StoredChunk } from './types';

export type { ChunkRecord, QueryHit, StoredChunk } from './types';

/** Well under the server's max batch (5461 on chromadb 3.5.0), and small enough to keep requests short. */
const upsertBatchSize = 500;
const readPageSize = 1000;

/**
 * The one repository every vector read and write goes through. Each bot has its own Chroma collection
 * (see `collectionName`), so every method takes the bot id and no call can reach another bot's vectors.
 * Embeddings are always passed in: collections are created without an embedding function.
 */
export class VectorStore {
  private readonly client: ChromaClient;

  /** @param chromaUrl e.g. `http://127.0.0.1:8000` (the embedded server's `url`, or CHROMA_URL). */
  constructor(chromaUrl: string) {
    const url = new URL(chromaUrl);
    const ssl = url.protocol === 'https:';
    this.client = new ChromaClient({ host: url.hostname, port: Number(url.port) || (ssl ? 443 : 80), ssl });
  }

  /**
   * Creates the bot's collection (cosine space) recording the embedding model and dimension, or checks an
   * existing one against them.
   * @throws EmbeddingModelMismatchError if the collection was made with another model or dimension.
   */
  async ensureCollection(botId: string, embedding: EmbeddingSpec): Promise<void> {
    if (!embedding.model || !Number.isSafeInteger(embedding.dimension) || embedding.dimension < 1) {
      throw new TypeError(`Invalid embedding spec ${JSON.stringify(embedding)}`);
    }
    const collection = await this.client.getOrCreateCollection({
      name: collectionName(botId),
      embeddingFunction: null,
      // Creation-only: an existing collection keeps its own configuration and metadata, compared below.
      configuration: { hnsw: { space: 'cosine' } },
      metadata: { botId, embeddingModel: embedding.model, embeddingDimension: embedding.dimension },
    });
    const actual = recordedSpec(collection.metadata);
    if (actual.model !== embedding.model || actual.dimension !== embedding.dimension) {
      throw new EmbeddingModelMismatchError(botId, embedding, actual);
    }
  }

  /**
   * Writes chunks, replacing any with the same ids, in batches of at most 500. Call `ensureCollection`
   * first. Batches are not one transaction: after a failure, re-running the whole call is safe.
   * @throws RangeError if an embedding's dimension differs from the collection's, or ids repeat.
   */
  async upsert(botId: string, chunks: ChunkRecord[]): Promise<void> {
    if (chunks.length === 0) return;
    const collection = await this.find(botId);
    if (!collection) throw new Error(`Bot ${botId} has no vector collection; call ensureCollection first`);
    const { dimension } = recordedSpec(collection.metadata);
    const ids = new Set<string>();
    for (const chunk of chunks) {
      if (ids.has(chunk.id)) throw new RangeError(`Chunk id ${chunk.id} appears twice in one upsert`);
      ids.add(chunk.id);
      checkEmbedding(chunk.embedding, dimension, `chunk ${chunk.id}`);
    }
    for (let start = 0; start < chunks.length; start += upsertBatchSize) {
      const batch = chunks.slice(start, start + upsertBatchSize);
      await collection.upsert({
        ids: batch.map((chunk) => chunk.id),
        embeddings: batch.map((chunk) => chunk.embedding),
        documents: batch.map((chunk) => chunk.text),
        metadatas: batch.map(toChromaMetadata),
      });
    }
  }

  /**
   * The `topK` chunks nearest to `embedding`, best first, scored by cosine similarity (1 - cosine
   * distance, clamped to [-1, 1] against rounding). A bot without a collection has no hits.
   */
  async query(botId: string, embedding: number[], topK: number): Promise<QueryHit[]> {
    if (!Number.isSafeInteger(topK) || topK < 0) throw new RangeError(`topK must be >= 0, got ${topK}`);
    const collection = await this.find(botId);
    if (!collection || topK === 0) return [];
    checkEmbedding(embedding, recordedSpec(collection.metadata).dimension, 'query embedding');
    const result = await absentAsUndefined(
      collection.query({
        queryEmbeddings: [embedding],
        nResults: topK,
        include: ['documents', 'metadatas', 'distances'],
      }),
    );
    return (result?.rows()[0] ?? []).map((row) => ({
      id: row.id,
      ...fromChromaMetadata(row.metadata),
      text: row.document ?? '',
      score: Math.min(1, Math.max(-1, 1 - (row.distance ?? 1))),
    }));
  }

  /**
   * Removes every vector of one document and returns how many there were. The ids are read first because
   * the local server answers a delete with `deleted: 0` whatever it removed; chunks upserted for the same
   * document while this runs may survive, so callers serialise work per document.
   */
  async deleteDocument(botId: string, documentId: string): Promise<number> {
    const collection = await this.find(botId);
    if (!collection) return 0;
    const { ids } = await collection.get({ where: { documentId }, include: [] });
    for (let start = 0; start < ids.length; start += upsertBatchSize) {
      await collection.delete({ ids: ids.slice(start, start + upsertBatchSize) });
    }
    return ids.length;
  }

  /** Drops the bot's collection and all its vectors; a bot without one is not an error. */
  async deleteCollection(botId: string): Promise<void> {
    await absentAsUndefined(this.client.deleteCollection({ name: collectionName(botId) }));
  }

  /**
   * Every chunk of the bot (texts and metadata, no vectors), a page at a time: what a lexical index of the
   * bot is built from. A bot without a collection has none.
   */
  async *chunks(botId: string): AsyncGenerator<StoredChunk[]> {
    const collection = await this.find(botId);
    if (!collection) return;
    for (let offset = 0; ; offset += readPageSize) {
      const page = await collection.get({ include: ['documents', 'metadatas'], limit: readPageSize, offset });
      yield page.ids.map((id, i) => ({
        id,
        ...fromChromaMetadata(page.metadatas[i]),
        text: page.documents[i] ?? '',
      }));
      if (page.ids.length < readPageSize) break;
    }
  }

  /** How many vectors the bot has, and from how many distinct documents (zeros if it has no collection). */
  async stats(botId: string): Promise<{ vectors: number; documents: number }> {
    const collection = await this.find(botId);
    if (!collection) return { vectors: 0, documents: 0 };
    const vectors = await collection.count();
    const documents = new Set<string>();
    // Paged so a large bot is never read in one response; metadata only, no vectors or texts.
    for (let offset = 0; ; offset += readPageSize) {
      const page = await collection.get({ include: ['metadatas'], limit: readPageSize, offset });
      for (const metadata of page.metadatas) {
        if (typeof metadata?.documentId === 'string') documents.add(metadata.documentId);
      }
      if (page.ids.length < readPageSize) break;
    }
    return { vectors, documents: documents.size };
  }

  /** Resolves if the Chroma server answers; rejects (ChromaConnectionError) otherwise. */
  async heartbeat(): Promise<void> {
    await this.client.heartbeat();
  }

  /**
   * The bot's collection, looked up on every call rather than cached: the server and the worker both
   * write, and a collection deleted and re-created by one would leave the other holding a stale id.
   */
  private find(botId: string): Promise<Collection | undefined> {
    return absentAsUndefined(this.client.getCollection({ name: collectionName(botId) }));
  }
}

/** What a collection records about its embeddings; fields are undefined for a collection made elsewhere. */
function recordedSpec(metadata: CollectionMetadata | undefined): Partial<EmbeddingSpec> {
  const model = metadata?.embeddingModel;
  const dimension = metadata?.embeddingDimension;
  return {
    model: typeof model === 'string' ? model : undefined,
    dimension: typeof dimension === 'number' ? dimension : undefined,
  };
}

function checkEmbedding(embedding: number[], dimension: number | undefined, what: string): void {
  if (dimension !== undefined && embedding.length !== dimension) {
    throw new RangeError(
      `The ${what} has dimension ${embedding.length}; the collection expects ${dimension}`,
    );
  }
  // NaN or Infinity would poison cosine distances without any error from the server.
  if (!embedding.every(Number.isFinite)) throw new RangeError(`The ${what} has a non-finite value`);
}

/** Chroma reports a missing collection by rejecting with ChromaNotFoundError; here that means "absent". */
async function absentAsUndefined<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof ChromaNotFoundError) return undefined;
    throw error;
  }
}

import { createHash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  bumpKnowledgeVersion,
  chunkId,
  EmbeddingModelMismatchError,
  type Cache,
  type Embedder,
  type Logger,
  type VectorStore,
} from '@chatbot/shared/platform';
import type { AssistantStatusResponse } from '@chatbot/shared';
// The worker's own chunking and Markdown extraction, so the documentation is cut exactly as a bot's
// documents are; `@chatbot/worker` does not export them (the benchmarks import them the same way).
import { chunkSections, extractDocument, type ChunkOptions } from '@chatbot/worker';
import { ASSISTANT_DOCS_COLLECTION_ID } from './docs-collection';
import type { DocsFile } from './docs-files';

/**
 * Smaller than a bot's default chunks (500-1000 tokens): the documentation is dense reference text, and an
 * extractive answer quotes from one passage, so a passage should hold one topic.
 */
const chunkOptions: ChunkOptions = { minTokens: 150, maxTokens: 400, overlapTokens: 40 };
/** Raised when the way files become chunks changes, so every file is indexed again. */
const indexVersion = 1;
/** Chunks per embedding call; the event loop gets a turn between calls (offline embedding is CPU work). */
const embedBatch = 32;

const collection = ASSISTANT_DOCS_COLLECTION_ID;

export interface DocsIndexerDeps {
  vectors: VectorStore;
  /** Where the collection's knowledge version lives: a change retires the lexical index on every node. */
  cache: Cache;
  logger: Logger;
  /** The platform's embedder: OpenAI's with OPENAI_API_KEY, else the offline one. */
  embedder: Embedder;
  files: () => Promise<DocsFile[]>;
}

type Status = AssistantStatusResponse['knowledge'];

/**
 * Keeps the platform's documentation in the assistant's collection. Each file is stored as a document
 * whose id carries the hash of its content (`docs/api.md@<hash>`), so what Chroma holds says what it was
 * built from: a start with unchanged files embeds nothing, a changed file replaces its old version, a
 * removed file is dropped. A file's first chunk is written last, and a file counts as stored only once it
 * is there, so a start cut off half-way finishes the file on the next start. A change of embedding model
 * (a key added or removed) rebuilds the collection. Servers starting together may index at the same time:
 * they write the same ids with the same content.
 */
export class DocsIndexer {
  private readonly abort = new AbortController();
  private run: Promise<void> | undefined;
  private current: Status;

  constructor(private readonly deps: DocsIndexerDeps) {
    this.current = { status: 'indexing', files: 0, chunks: 0, embeddingModel: deps.embedder.model };
  }

  /** Starts indexing in the background (once); failures are logged and shown by {@link status}. */
  start(): void {
    this.run ??= this.index().catch((error: unknown) => {
      if (this.abort.signal.aborted) return;
      this.current = { ...this.current, status: 'failed' };
      this.deps.logger.warn({ err: error }, 'the assistant could not index the documentation');
    });
  }

  /** Resolves when the indexing started by {@link start} has ended, whichever way. */
  ready(): Promise<void> {
    return this.run ?? Promise.resolve();
  }

  /** Stops between two steps, and resolves when the indexing has let go of the vector store. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.run;
  }

  status(): Status {
    return { ...this.current };
  }

  private async index(): Promise<void> {
    const { vectors, embedder, logger } = this.deps;
    const spec = { model: embedder.model, dimension: embedder.dimension };
    try {
      await vectors.ensureCollection(collection, spec);
    } catch (error) {
      if (!(error instanceof EmbeddingModelMismatchError)) throw error;
      logger.info({ from: error.actual, to: spec }, 'embedding model changed: re-indexing the documentation');
      await vectors.deleteCollection(collection);
      await vectors.ensureCollection(collection, spec);
    }
    const files = (await this.deps.files()).map((file) => ({ ...file, documentId: documentIdOf(file) }));
    const stored = await this.storedDocuments();
    const wanted = new Set(files.map((file) => file.documentId));
    let changed = false;
    try {
      for (const documentId of stored.all) {
        if (wanted.has(documentId)) continue;
        await vectors.deleteDocument(collection, documentId);
        changed = true;
      }
      let embedded = 0;
      for (const file of files) {
        if (stored.complete.has(file.documentId)) continue;
        changed = true;
        embedded += await this.indexFile(file);
      }
      this.current = {
        status: 'ready',
        files: files.length,
        chunks: (await vectors.stats(collection)).vectors,
        embeddingModel: embedder.model,
      };
      logger.info({ files: files.length, embedded }, 'assistant documentation ready');
    } finally {
      if (changed) await bumpKnowledgeVersion(this.deps.cache, collection);
    }
  }

  /** The documents in the collection, and those whose first chunk (written last) is there. */
  private async storedDocuments() {
    const all = new Set<string>();
    const complete = new Set<string>();
    for await (const page of this.deps.vectors.chunks(collection)) {
      for (const chunk of page) {
        all.add(chunk.documentId);
        if (chunk.chunkIndex === 0) complete.add(chunk.documentId);
      }
    }
    return { all, complete };
  }

  /** Replaces whatever a cut-off start left of the file with all its chunks; returns how many. */
  private async indexFile(file: DocsFile & { documentId: string }): Promise<number> {
    const { vectors, embedder } = this.deps;
    await vectors.deleteDocument(collection, file.documentId);
    const extracted = await extractDocument(Buffer.from(file.text), {
      fileName: file.path,
      contentType: 'text/markdown',
    });
    const chunks = chunkSections(extracted.sections, chunkOptions);
    const batches = [];
    for (let start = 0; start < chunks.length; start += embedBatch) {
      batches.push(chunks.slice(start, start + embedBatch));
    }
    // Last batch first: the first chunk, which marks the file as stored, is written at the very end.
    for (const batch of batches.reverse()) {
      await nextTurn();
      this.abort.signal.throwIfAborted();
      const embeddings = await embedder.embed(batch.map((chunk) => chunk.text));
      await vectors.upsert(
        collection,
        batch.map((chunk, i) => ({
          id: chunkId(file.documentId, chunk.index),
          documentId: file.documentId,
          chunkIndex: chunk.index,
          text: chunk.text,
          embedding: embeddings[i]!,
          metadata: { source: file.path, headingPath: chunk.headingPath?.join(' > ') },
        })),
      );
    }
    return chunks.length;
  }
}

/** `docs/api.md@<16 hex>`: the file and a hash of what it holds and of how it is cut. */
function documentIdOf(file: DocsFile): string {
  const hash = createHash('sha256')
    .update(`${indexVersion}\0${JSON.stringify(chunkOptions)}\0${file.text}`)
    .digest('hex');
  return `${file.path}@${hash.slice(0, 16)}`;
}

import { createHash } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { AdminServerToClientEvents, JobPayloads } from '@chatbot/shared';
import {
  bumpKnowledgeVersion,
  Chatbot,
  Document,
  EmbeddingError,
  FetchRefusedError,
  chunkId,
  createEmbedder,
  enqueueDocumentIndex,
  publishWebhookEvent,
  runInTenant,
  safeFetch,
  EmbeddingModelMismatchError,
  type BlobStorage,
  type Cache,
  type EmbeddingSpec,
  type JobContext,
  type JobQueue,
  type Logger,
  type SecretBox,
  type VectorStore,
} from '@chatbot/shared/platform';
import { chunkSections } from '../chunking';
import { ExtractionError, extractDocument } from '../extraction';

type DocumentStatusEvent = Parameters<AdminServerToClientEvents['document:status']>[0];

export interface IndexDocumentDeps {
  orm: MikroORM;
  storage: BlobStorage;
  vectors: VectorStore;
  /** To queue the bot's other documents again when its embedding model changes, and webhook deliveries. */
  queue: JobQueue;
  secretBox: SecretBox;
  /** Where cached answers live: a change to the bot's vectors makes them unreachable. */
  cache: Cache;
  logger: Logger;
  /** The platform's OpenAI settings: its key is used when the bot has none; the base URL for both. */
  openai: { apiKey?: string; baseURL?: string };
  /** Tells the tenant's admins how a document is doing (live status in the dashboard). */
  publishStatus: (tenantId: string, event: DocumentStatusEvent) => void;
  /** Web pages: bytes and time allowed, and (tests only) extra addresses to admit. */
  fetchLimits: { maxBytes: number; timeoutMs: number; allowAddress?: (address: string) => boolean };
}

/** Embedding requests carry at most this many chunks (OpenAI's batch guidance in the plan). */
const EMBEDDING_BATCH = 100;

/**
 * The `document.index` job: original (blob or fetched page) → text sections → chunks → embeddings →
 * the bot's Chroma collection, with progress recorded and pushed live. Problems the user must fix (an
 * unreadable file, a refused URL, a rejected API key) fail the document at once with the reason; anything
 * else is retried by the queue and fails the document only on the last attempt.
 */
export function indexDocumentJob(deps: IndexDocumentDeps) {
  return async (payload: JobPayloads['document.index'], context: JobContext): Promise<void> =>
    runInTenant(payload.tenantId, async () => {
      const em = deps.orm.em.fork();
      const document = await em.findOne(Document, payload.documentId, { populate: ['bot'] });
      if (!document) return; // deleted while queued
      const bot = await em.findOneOrFail(Chatbot, document.bot.id, { populate: ['openaiApiKeySealed'] });
      const publish = () =>
        deps.publishStatus(payload.tenantId, {
          documentId: document.id,
          status: document.status,
          progress: document.progress,
          chunkCount: document.chunkCount,
          error: document.error,
        });
      const progress = async (changes: Partial<Document>) => {
        Object.assign(document, changes);
        await em.flush();
        publish();
      };

      let vectorsTouched = false;
      try {
        await progress({ status: 'processing', progress: 5, error: null, attempts: context.attempt });
        const original = await readOriginal(document, deps);
        const embedder = createEmbedder({ apiKey: botApiKey(bot, deps), baseURL: deps.openai.baseURL });
        const fingerprint = createHash('sha256')
          .update(original.bytes)
          .update(`\0${embedder.model}\0${JSON.stringify(bot.retrieval)}`)
          .digest('hex');
        if (fingerprint === document.contentHash && document.indexedAt) {
          // Unchanged content, model and chunking: the vectors in Chroma are already right.
          return await progress({ status: 'completed', progress: 100 });
        }

        const extracted = await extractDocument(original.bytes, {
          fileName: document.name,
          contentType: original.contentType,
        });
        await progress({ progress: 15, sizeBytes: original.bytes.length });
        const chunks = chunkSections(extracted.sections, {
          minTokens: bot.retrieval.chunkMinTokens,
          maxTokens: bot.retrieval.chunkMaxTokens,
          overlapTokens: bot.retrieval.chunkOverlapTokens,
        });
        await progress({ progress: 20 });

        await ensureCollection(em, deps, document, { model: embedder.model, dimension: embedder.dimension });
        bot.embeddingModel = embedder.model;
        // Old chunks go first, so a shorter new version leaves no stale tail behind. From here on the bot's
        // knowledge changes, so its cached answers are dropped however this ends.
        vectorsTouched = true;
        await deps.vectors.deleteDocument(bot.id, document.id);
        const source = document.sourceUrl ?? document.name;
        for (let start = 0; start < chunks.length; start += EMBEDDING_BATCH) {
          const batch = chunks.slice(start, start + EMBEDDING_BATCH);
          const embeddings = await embedder.embed(batch.map((chunk) => chunk.text));
          await deps.vectors.upsert(
            bot.id,
            batch.map((chunk, i) => ({
              id: chunkId(document.id, chunk.index),
              documentId: document.id,
              chunkIndex: chunk.index,
              text: chunk.text,
              embedding: embeddings[i]!,
              metadata: { source, page: chunk.page, headingPath: chunk.headingPath?.join(' > ') },
            })),
          );
          const done = start + batch.length;
          await progress({ progress: 20 + Math.floor((75 * done) / chunks.length), chunkCount: done });
        }
        if (!(await em.fork().count(Document, { id: document.id }))) {
          // Deleted while being indexed: the delete removed the vectors written so far, not these.
          await deps.vectors.deleteDocument(bot.id, document.id);
          return;
        }
        await progress({
          status: 'completed',
          progress: 100,
          chunkCount: chunks.length,
          tokenCount: chunks.reduce((sum, chunk) => sum + chunk.tokenCount, 0),
          contentHash: fingerprint,
          indexedAt: new Date(),
          error: null,
        });
      } catch (error) {
        const permanent = userFacingReason(error);
        deps.logger.warn(
          { err: error, documentId: document.id, attempt: context.attempt },
          'indexing failed',
        );
        if (permanent === null && !context.isFinalAttempt) throw error;
        await progress({
          status: 'failed',
          error: permanent ?? finalReason(error),
        });
        // The document has failed for good; a webhook that cannot be told must not re-run the indexing.
        await publishWebhookEvent(em, deps.queue, 'document.failed', {
          documentId: document.id,
          botId: bot.id,
          name: document.name,
          error: document.error,
        }).catch((failure: unknown) =>
          deps.logger.error({ err: failure, documentId: document.id }, 'document.failed not published'),
        );
      } finally {
        if (vectorsTouched) await bumpKnowledgeVersion(deps.cache, bot.id);
      }
    });
}

/**
 * Makes sure the bot's collection holds vectors of this embedder. When the bot has changed model (a key
 * added or removed), old vectors cannot be compared with new ones: the collection is rebuilt and every
 * other document of the bot is queued again, so the whole bot ends up on the new model.
 */
async function ensureCollection(
  em: EntityManager,
  deps: IndexDocumentDeps,
  document: Document,
  spec: EmbeddingSpec,
) {
  const botId = document.bot.id;
  try {
    await deps.vectors.ensureCollection(botId, spec);
  } catch (error) {
    if (!(error instanceof EmbeddingModelMismatchError)) throw error;
    deps.logger.info({ botId, from: error.actual, to: spec }, 'embedding model changed: re-indexing the bot');
    await deps.vectors.deleteCollection(botId);
    await deps.vectors.ensureCollection(botId, spec);
    const others = await em.find(Document, {
      bot: botId,
      id: { $ne: document.id },
      status: { $ne: 'pending' },
    });
    for (const other of others)
      Object.assign(other, { status: 'pending', progress: 0, contentHash: null, chunkCount: 0 });
    await em.flush();
    for (const other of others) await enqueueDocumentIndex(deps.queue, other);
  }
}

async function readOriginal(document: Document, deps: IndexDocumentDeps) {
  if (document.sourceUrl) {
    const page = await safeFetch(document.sourceUrl, deps.fetchLimits);
    return { bytes: page.body, contentType: page.contentType };
  }
  if (!document.storageKey) throw new Error(`document ${document.id} has neither a blob nor a URL`);
  return { bytes: await deps.storage.get(document.storageKey), contentType: document.mimeType };
}

function botApiKey(bot: Chatbot, deps: IndexDocumentDeps): string | null {
  if (bot.openaiApiKeySealed)
    return deps.secretBox.decrypt(bot.openaiApiKeySealed, `chatbot:${bot.id}:openaiApiKey`);
  return deps.openai.apiKey ?? null;
}

/** Fetch refusals a later attempt may not meet: the network, the name service, a slow site. */
const transientRefusals = new Set(['network', 'dns', 'timeout']);

/** The message to show for errors retrying cannot fix; null for those worth another attempt. */
function userFacingReason(error: unknown): string | null {
  if (error instanceof ExtractionError) return error.message;
  if (error instanceof FetchRefusedError) return transientRefusals.has(error.reason) ? null : error.message;
  if (error instanceof EmbeddingError && !error.retryable) return error.message;
  return null;
}

/** What the user reads when the last attempt fails: the cause when it is worth telling. */
function finalReason(error: unknown): string {
  if (error instanceof FetchRefusedError || error instanceof EmbeddingError) return error.message;
  return 'Indexing failed after several attempts. Try again later.';
}

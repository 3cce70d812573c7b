import {
  DocumentFormats,
  type DocumentFormat,
  type DocumentView,
  type DocumentsResponse,
  type ImportUrlInput,
  type ListDocumentsQuery,
} from '@chatbot/shared';
import { sql, type EntityManager, type FilterQuery } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import {
  bumpKnowledgeVersion,
  Chatbot,
  Document,
  currentTenantId,
  documentBlobKey,
  enqueueDocumentIndex,
  type BlobStorage,
  type Cache,
  type JobQueue,
  type VectorStore,
} from '@chatbot/shared/platform';
import { containsText } from '../../http/contains-text';
import { findPage } from '../../http/find-page';
import { HttpError, notFound, validationFailed } from '../../http/http-error';
import { presentDocument } from './documents.presenter';

/** A file as multer hands it over. */
export interface UploadedFile {
  originalname: string;
  mimetype: string;
  buffer: Buffer;
}

export interface DocumentsDeps {
  storage: BlobStorage;
  queue: JobQueue;
  vectors: VectorStore;
  /** Cached answers, which a removed document invalidates. */
  cache: Cache;
  /** Checks a file's type by content; throws with a user-readable message when it cannot be indexed. */
  detectType: (
    bytes: Uint8Array,
    hint: { fileName?: string; contentType?: string },
  ) => Promise<DocumentFormat>;
  tenantQuotaBytes: number;
}

/** The documents a bot learns from: accepted here, indexed by the `document.index` job. */
export class DocumentsService {
  constructor(private readonly deps: DocumentsDeps) {}

  /**
   * Accepts files for a bot: every file is checked (content type, emptiness, the tenant's quota) before
   * anything is written; then blobs and records are written together, and one job per document is queued.
   */
  async upload(em: EntityManager, botId: string, files: UploadedFile[]): Promise<DocumentsResponse> {
    const bot = await this.findBot(em, botId);
    if (!files.length) {
      throw validationFailed([{ location: 'body', path: 'file', message: 'attach at least one file' }]);
    }
    const accepted = [];
    for (const [index, file] of files.entries())
      accepted.push({ file, type: await this.checkFile(file, index) });
    await this.assertQuota(
      em,
      files.reduce((sum, file) => sum + file.buffer.length, 0),
    );

    const documents = accepted.map(({ file, type }) =>
      em.create(Document, {
        bot,
        name: file.originalname.slice(0, 255) || 'untitled',
        mimeType: DocumentFormats[type].mimeType,
        sizeBytes: file.buffer.length,
        storageKey: null,
        sourceUrl: null,
      }),
    );
    const written: string[] = [];
    try {
      for (const [i, document] of documents.entries()) {
        const key = documentBlobKey({ tenantId: currentTenantId(), botId: bot.id, documentId: document.id });
        await this.deps.storage.put(key, accepted[i]!.file.buffer);
        written.push(key);
        document.storageKey = key;
      }
      await em.flush();
    } catch (error) {
      // No record without its blob, and no blob without its record.
      await Promise.allSettled(written.map((key) => this.deps.storage.delete(key)));
      throw error;
    }
    await this.enqueue(documents);
    return { documents: documents.map(presentDocument) };
  }

  /** Records a web page to import; the job fetches it (through the SSRF guard) and indexes it. */
  async importUrl(em: EntityManager, input: ImportUrlInput): Promise<DocumentView> {
    const bot = await this.findBot(em, input.botId);
    const existing = await em.findOne(Document, { bot: bot.id, sourceUrl: input.url });
    // Importing a URL again refreshes the same document instead of adding a duplicate.
    const document =
      existing ??
      em.create(Document, {
        bot,
        name: input.url.slice(0, 255),
        mimeType: 'text/html',
        sizeBytes: 0,
        storageKey: null,
        sourceUrl: input.url,
      });
    Object.assign(document, { status: 'pending', progress: 0, error: null });
    await em.flush();
    await this.enqueue([document]);
    if (input.crawl) {
      await this.deps.queue.enqueue('site.crawl', {
        tenantId: currentTenantId(),
        botId: bot.id,
        url: input.url,
        ...input.crawl,
      });
    }
    return presentDocument(document);
  }

  async list(em: EntityManager, query: ListDocumentsQuery): Promise<DocumentsResponse> {
    await this.findBot(em, query.botId);
    const where: FilterQuery<Document> = { bot: query.botId };
    if (query.status) where.status = query.status;
    if (query.search) Object.assign(where, containsText('name', query.search));
    const [documents, total] = await findPage(em, Document, where, query);
    return { documents: documents.map(presentDocument), total };
  }

  async get(em: EntityManager, id: string): Promise<DocumentView> {
    return presentDocument(await this.find(em, id));
  }

  async reindex(em: EntityManager, id: string): Promise<DocumentView> {
    const document = await this.find(em, id);
    Object.assign(document, { status: 'pending', progress: 0, error: null, contentHash: null });
    await em.flush();
    await this.enqueue([document]);
    return presentDocument(document);
  }

  /** Removes a document's vectors, then its original, then its record: a failure part-way can be retried. */
  async remove(em: EntityManager, id: string): Promise<void> {
    const document = await this.find(em, id);
    await this.deps.vectors.deleteDocument(document.bot.id, document.id);
    await bumpKnowledgeVersion(this.deps.cache, document.bot.id);
    if (document.storageKey) await this.deps.storage.delete(document.storageKey);
    await em.nativeDelete(Document, { id: document.id });
  }

  private async checkFile(file: UploadedFile, index: number): Promise<DocumentFormat> {
    const path = `file[${index}]`;
    if (!file.buffer.length)
      throw validationFailed([{ location: 'body', path, message: `${file.originalname} is empty` }]);
    try {
      return await this.deps.detectType(file.buffer, {
        fileName: file.originalname,
        contentType: file.mimetype,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : 'unsupported file';
      throw new HttpError(415, 'unsupported_media_type', `${file.originalname}: ${message}`, [
        { location: 'body', path, message },
      ]);
    }
  }

  private async assertQuota(em: EntityManager, incomingBytes: number) {
    // Query builders are not filtered by tenant on their own: applyFilters() adds the tenant condition.
    const qb = (em as SqlEntityManager)
      .createQueryBuilder(Document, 'd')
      .select(sql`coalesce(sum(d.size_bytes), 0)`.as('used'));
    await qb.applyFilters();
    const { used } = (await qb.execute('get')) as unknown as { used: number | string };
    if (Number(used) + incomingBytes > this.deps.tenantQuotaBytes) {
      const quotaMb = Math.round(this.deps.tenantQuotaBytes / 1024 / 1024);
      throw new HttpError(
        413,
        'payload_too_large',
        `This upload would exceed your storage quota of ${quotaMb} MB.`,
      );
    }
  }

  private async enqueue(documents: Document[]) {
    for (const document of documents) await enqueueDocumentIndex(this.deps.queue, document);
  }

  private async findBot(em: EntityManager, botId: string): Promise<Chatbot> {
    const bot = await em.findOne(Chatbot, botId);
    if (!bot) throw notFound('Chatbot');
    return bot;
  }

  private async find(em: EntityManager, id: string): Promise<Document> {
    const document = await em.findOne(Document, id);
    if (!document) throw notFound('Document');
    return document;
  }
}

import type { DocumentView } from '@chatbot/shared';
import type { Document } from '@chatbot/shared/platform';

export function presentDocument(document: Document): DocumentView {
  return {
    id: document.id,
    botId: document.bot.id,
    name: document.name,
    mimeType: document.mimeType,
    sizeBytes: document.sizeBytes,
    sourceUrl: document.sourceUrl,
    status: document.status,
    progress: document.progress,
    chunkCount: document.chunkCount,
    tokenCount: document.tokenCount,
    error: document.error,
    createdAt: document.createdAt.toISOString(),
    updatedAt: document.updatedAt.toISOString(),
    indexedAt: document.indexedAt?.toISOString() ?? null,
  };
}

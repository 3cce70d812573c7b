import { EntitySchema, type Ref } from '@mikro-orm/core';
import type { DocumentStatus } from '../../../socket/events';
import { TenantScopedSchema, type TenantScoped, type TenantScopedFields } from './base.entity';
import { LongTextType } from '../long-text.type';
import type { Chatbot } from './chatbot.entity';

const DocumentStatuses: DocumentStatus[] = ['pending', 'processing', 'completed', 'failed'];

/** A file or web page a bot learns from. The original lives in blob storage under `storageKey`. */
export interface Document extends TenantScoped<
  'status' | 'progress' | 'chunkCount' | 'tokenCount' | 'error' | 'attempts' | 'indexedAt' | 'contentHash'
> {
  bot: Ref<Chatbot>;
  name: string;
  mimeType: string;
  sizeBytes: number;
  storageKey: string | null;
  sourceUrl: string | null;
  contentHash: string | null;
  status: DocumentStatus;
  /** 0-100 while processing. */
  progress: number;
  chunkCount: number;
  tokenCount: number;
  error: string | null;
  attempts: number;
  indexedAt: Date | null;
}

export const Document = new EntitySchema<Document, TenantScopedFields>({
  name: 'Document',
  tableName: 'documents',
  extends: TenantScopedSchema,
  properties: {
    bot: { kind: 'm:1', updateRule: 'no action', entity: 'Chatbot', ref: true, deleteRule: 'cascade' },
    name: { type: 'string', length: 255 },
    mimeType: { type: 'string', length: 100 },
    sizeBytes: { type: 'integer' },
    storageKey: { type: 'string', length: 255, nullable: true },
    sourceUrl: { type: 'string', length: 2048, nullable: true },
    contentHash: { type: 'string', length: 64, nullable: true, onCreate: () => null },
    status: {
      enum: true,
      items: () => DocumentStatuses,
      type: 'string',
      length: 16,
      onCreate: () => 'pending',
    },
    progress: { type: 'integer', onCreate: () => 0 },
    chunkCount: { type: 'integer', onCreate: () => 0 },
    tokenCount: { type: 'integer', onCreate: () => 0 },
    error: { type: LongTextType, nullable: true, onCreate: () => null },
    attempts: { type: 'integer', onCreate: () => 0 },
    indexedAt: { type: 'Date', nullable: true, onCreate: () => null },
  },
  indexes: [
    { properties: ['bot', 'status'] },
    { properties: ['tenant', 'status'] },
    { properties: ['bot', 'createdAt'] },
  ],
});

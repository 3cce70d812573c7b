import { z } from 'zod';
import type { DocumentStatus } from '../socket/events';
import { idSchema, pageQuerySchema } from './common.schema';

export const DocumentStatuses = [
  'pending',
  'processing',
  'completed',
  'failed',
] as const satisfies DocumentStatus[];

/** The multipart fields that come with uploaded files. */
export const uploadDocumentsFieldsSchema = z.object({ botId: idSchema }).strict();

export const importUrlSchema = z
  .object({
    botId: idSchema,
    url: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).max(2048),
  })
  .strict();
export type ImportUrlInput = z.infer<typeof importUrlSchema>;

export const listDocumentsQuerySchema = pageQuerySchema
  .extend({
    botId: idSchema,
    status: z.enum(DocumentStatuses).optional(),
  })
  .strict();
export type ListDocumentsQuery = z.infer<typeof listDocumentsQuerySchema>;

export interface DocumentView {
  id: string;
  botId: string;
  name: string;
  mimeType: string;
  sizeBytes: number;
  sourceUrl: string | null;
  status: DocumentStatus;
  /** 0-100 while processing. */
  progress: number;
  chunkCount: number;
  tokenCount: number;
  /** Why indexing failed, in words for the user. */
  error: string | null;
  createdAt: string;
  updatedAt: string;
  indexedAt: string | null;
}

export interface DocumentsResponse {
  documents: DocumentView[];
  total?: number;
}

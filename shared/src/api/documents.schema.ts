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

/** Import more than the one page: the site's sitemap, or links followed to a depth; same site only. */
export const crawlSchema = z
  .object({
    mode: z.enum(['sitemap', 'links']),
    /** Pages imported in all, the given page included. */
    maxPages: z.number().int().min(1).max(100).default(20),
    /** For `links`: how many clicks away from the given page. */
    depth: z.number().int().min(1).max(3).default(1),
  })
  .strict();
export type CrawlOptions = z.infer<typeof crawlSchema>;

export const importUrlSchema = z
  .object({
    botId: idSchema,
    url: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).max(2048),
    crawl: crawlSchema.optional(),
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

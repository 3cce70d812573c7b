import { z } from 'zod';
import type { DocumentStatus } from '../socket/events';
import { fitsColumn, idSchema, pageQuerySchema } from './common.schema';

export const DocumentStatuses = [
  'pending',
  'processing',
  'completed',
  'failed',
] as const satisfies DocumentStatus[];

/**
 * The formats a bot can learn from, keyed by the kind the server detects from a file's content. The
 * server decides by content, never by name; the names and media types here let a client refuse a file
 * before sending it, and give the media type a document is recorded with.
 */
export const DocumentFormats = {
  pdf: { label: 'PDF', extensions: ['.pdf'], mimeType: 'application/pdf' },
  docx: {
    label: 'Word (.docx)',
    extensions: ['.docx'],
    mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  },
  html: { label: 'HTML', extensions: ['.html', '.htm'], mimeType: 'text/html' },
  markdown: { label: 'Markdown', extensions: ['.md', '.markdown'], mimeType: 'text/markdown' },
  text: { label: 'plain text', extensions: ['.txt'], mimeType: 'text/plain' },
} as const satisfies Record<string, { label: string; extensions: readonly string[]; mimeType: string }>;
export type DocumentFormat = keyof typeof DocumentFormats;

/** The multipart fields that come with uploaded files. */
export const uploadDocumentsFieldsSchema = z.object({ botId: idSchema }).strict();

/** A whole number in a range, with messages a form can show beside its field. */
function wholeNumber(min: number, max: number) {
  return z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
}

/** Import more than the one page: the site's sitemap, or links followed to a depth; same site only. */
export const crawlSchema = z
  .object({
    mode: z.enum(['sitemap', 'links']),
    /** Pages imported in all, the given page included. */
    maxPages: wholeNumber(1, 100).default(20),
    /** For `links`: how many clicks away from the given page. */
    depth: wholeNumber(1, 3).default(1),
  })
  .strict();
export type CrawlOptions = z.infer<typeof crawlSchema>;

export const importUrlSchema = z
  .object({
    botId: idSchema,
    url: z
      .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
      .max(2048, 'must be at most 2048 characters')
      .check(fitsColumn(2048)),
    crawl: crawlSchema.optional(),
  })
  .strict();
export type ImportUrlInput = z.infer<typeof importUrlSchema>;

export const listDocumentsQuerySchema = pageQuerySchema
  .extend({
    botId: idSchema,
    status: z.enum(DocumentStatuses).optional(),
    /** Part of the name, any case. */
    search: z.string().trim().max(255).optional(),
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

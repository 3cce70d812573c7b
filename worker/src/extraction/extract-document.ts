import { decodeText, detectEncoding } from './decode-text';
import { detectType } from './detect-type';
import { extractDocx } from './extract-docx';
import { extractHtml } from './extract-html';
import { extractMarkdown } from './extract-markdown';
import { extractPdf } from './extract-pdf';
import { ExtractionError } from './extraction-error';
import { normaliseWhitespace } from './normalise-text';
import type { Extracted, ExtractedText, ExtractionLimits, SupportedType, TypeHint } from './types';

const MIME_TYPES: Record<SupportedType, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  html: 'text/html',
  markdown: 'text/markdown',
  text: 'text/plain',
};

/**
 * Turns an uploaded file or fetched page into text sections for the chunker. The type comes from the
 * content (see detectType); the hint only tells HTML, Markdown and plain text apart and, for fetched pages,
 * may carry the charset.
 * @throws ExtractionError with a message that can be shown to the person who uploaded the file
 */
export async function extractDocument(
  bytes: Uint8Array,
  hint: TypeHint = {},
  limits: ExtractionLimits = {},
): Promise<Extracted> {
  const type = await detectType(bytes, hint);
  const { title, sections } = await extractText(type, bytes, hint, limits);
  const characters = sections.reduce((total, section) => total + section.text.length, 0);
  if (characters === 0) throw new ExtractionError('empty', 'The file has no text.');
  return { type, mimeType: MIME_TYPES[type], ...(title ? { title } : {}), sections, characters };
}

async function extractText(
  type: SupportedType,
  bytes: Uint8Array,
  hint: TypeHint,
  limits: ExtractionLimits,
): Promise<ExtractedText> {
  if (type === 'pdf') return extractPdf(bytes);
  if (type === 'docx') return extractDocx(bytes, limits);
  const text = decodeText(bytes, detectEncoding(bytes, hint.contentType));
  if (type === 'html') return extractHtml(text);
  if (type === 'markdown') return extractMarkdown(text);
  const body = normaliseWhitespace(text);
  return { sections: body ? [{ text: body }] : [] };
}

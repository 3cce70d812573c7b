import { fileTypeFromBuffer } from 'file-type';
import type { FileTypeResult } from 'file-type';
import { byteOrderMark, decodeText, detectEncoding } from './decode-text';
import { ACCEPTED_FORMATS, ExtractionError } from './extraction-error';
import type { SupportedType, TypeHint } from './types';

/** How much of a text-like file is checked for the marks of binary data. */
const TEXT_SAMPLE_BYTES = 8 * 1024;
/**
 * Characters text hardly ever contains but binary data decoded as text is full of: control codes other
 * than whitespace, replacement characters, lone surrogates (with the `u` flag a proper pair, an emoji say,
 * doesn't match) and private-use code points. Random bytes read as UTF-16 are about 13% these.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what it looks for
const UNLIKELY_IN_TEXT = /[\x01-\x08\x0e-\x1f\ufffd\ud800-\udfff\ue000-\uf8ff]/gu;
const MAX_UNLIKELY_SHARE = 0.05;

/** A document that can only be HTML: an XML declaration or comments may come first, then doctype/html/head/body. */
const HTML_START = /^(?:\s|<!--[\s\S]*?-->|<\?xml[^>]*>)*<(?:!doctype\s+html|html|head|body)[\s>]/i;
/** Tags that, in a file which opens with a tag, mark an HTML fragment rather than prose mentioning a tag. */
const COMMON_TAG =
  /<(?:p|div|span|a|br|hr|img|h[1-6]|ul|ol|li|table|tr|td|title|meta|link|article|section|main|header|script|style)[\s/>]/i;
const MARKDOWN_HEADING = /^#{1,6} /m;
const MARKDOWN_NAME = /\.(?:md|markdown)$/i;
const HTML_NAME = /\.x?html?$/i;

/** The stream a password-protected Word, Excel or PowerPoint file carries inside its compound-file wrapper. */
const ENCRYPTION_INFO = Buffer.from('EncryptionInfo', 'utf16le');

/** What file-type's names mean to someone who just uploaded the file. */
const DESCRIPTIONS: Partial<Record<string, string>> = {
  zip: 'a ZIP archive',
  elf: 'a Linux program',
  exe: 'a Windows program',
  cfb: 'an old-format Microsoft Office file (.doc, .xls or .ppt)',
  xlsx: 'an Excel spreadsheet',
  pptx: 'a PowerPoint presentation',
  docm: 'a macro-enabled Word document',
};

/**
 * Decides what kind of document `bytes` hold from their content. Binary formats are recognised by their
 * magic bytes alone, so a program renamed report.pdf is still refused; the hint only chooses between
 * HTML, Markdown and plain text. Async because file-type has no synchronous API.
 * @throws ExtractionError 'unsupported_type' for any binary that is not a PDF or DOCX ('encrypted' for a
 *   password-protected Office file, which is stored in a different container than a normal one)
 */
export async function detectType(bytes: Uint8Array, hint: TypeHint = {}): Promise<SupportedType> {
  // A byte-order mark means text: file-type would take UTF-16LE's FF FE for an MP3 frame. The check of the
  // decoded sample below still catches a binary that happens to start with one.
  const detected = byteOrderMark(bytes) ? undefined : await fileTypeFromBuffer(bytes);
  if (detected?.ext === 'pdf') return 'pdf';
  if (detected?.ext === 'docx') return 'docx';
  // file-type also names a few text formats (XML, vCard, WebVTT, …); those are read as the text they are.
  if (detected && !detected.mime.startsWith('text/') && detected.ext !== 'xml') {
    throw refuseBinary(bytes, detected);
  }

  const sample = decodeText(bytes.subarray(0, TEXT_SAMPLE_BYTES), detectEncoding(bytes, hint.contentType));
  if (!looksLikeText(sample)) {
    throw new ExtractionError(
      'unsupported_type',
      `This file contains binary data, and it is not a PDF or Word document, so we can't read it. ${ACCEPTED_FORMATS}`,
    );
  }
  return textKind(sample, hint);
}

/** Text has no NUL characters and few unlikely ones; a binary file decoded as text has both. */
function looksLikeText(sample: string): boolean {
  if (sample.includes('\0')) return false;
  return (sample.match(UNLIKELY_IN_TEXT)?.length ?? 0) <= sample.length * MAX_UNLIKELY_SHARE;
}

function textKind(sample: string, { fileName = '', contentType = '' }: TypeHint): SupportedType {
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase();
  if (HTML_START.test(sample)) return 'html';
  if (MARKDOWN_NAME.test(fileName)) return 'markdown';
  // A .md name is the uploader's own word; a markdown content type may be a server's default, so it only
  // counts with headings in the text to back it.
  if ((mediaType === 'text/markdown' || mediaType === 'text/x-markdown') && MARKDOWN_HEADING.test(sample)) {
    return 'markdown';
  }
  if (HTML_NAME.test(fileName) || mediaType === 'text/html' || mediaType === 'application/xhtml+xml') {
    return 'html';
  }
  const start = sample.slice(0, 1024);
  if (start.trimStart().startsWith('<') && COMMON_TAG.test(start)) return 'html';
  return 'text';
}

function refuseBinary(bytes: Uint8Array, { ext, mime }: FileTypeResult): ExtractionError {
  // Office wraps a password-protected .docx in the old compound format, so it would otherwise pass as a .doc.
  if (
    ext === 'cfb' &&
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(ENCRYPTION_INFO)
  ) {
    return new ExtractionError(
      'encrypted',
      'This Office file is password-protected; remove the password and upload it again.',
    );
  }
  return new ExtractionError(
    'unsupported_type',
    `This file looks like ${describe(ext, mime)} (${mime}), which we can't read. ${ACCEPTED_FORMATS}`,
  );
}

function describe(ext: string, mime: string): string {
  const known = DESCRIPTIONS[ext];
  if (known) return known;
  if (mime.startsWith('image/')) return 'an image';
  if (mime.startsWith('audio/')) return 'an audio file';
  if (mime.startsWith('video/')) return 'a video';
  return `a .${ext} file`;
}

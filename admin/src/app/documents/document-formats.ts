import { DocumentFormats, Limits, type DocumentView } from '@chatbot/shared';

const formats = Object.values(DocumentFormats);
const extensions: readonly string[] = formats.flatMap((format) => format.extensions);

/** For the file picker: the extensions the server reads, and any text. */
export const ACCEPT_ATTRIBUTE = [...extensions, 'text/*'].join(',');

/** "PDF, Word (.docx), HTML, Markdown or plain text", as every refusal and the empty state say it. */
export const FORMAT_NAMES = `${formats
  .slice(0, -1)
  .map((format) => format.label)
  .join(', ')} or ${formats.at(-1)!.label}`;

/** "25 MB": the largest file the server accepts. */
export const MAX_SIZE_TEXT = formatBytes(Limits.uploadBytes);

/**
 * Why a file cannot be uploaded, checked before it is sent, or null when it may go. The server decides by
 * content and has the last word; this catches what is certain to be refused: wrong kind, empty, too big.
 */
export function refusalOf(file: Pick<File, 'name' | 'size' | 'type'>): string | null {
  const extension = /\.[^.]+$/.exec(file.name.toLowerCase())?.[0] ?? '';
  if (!extensions.includes(extension) && !file.type.startsWith('text/')) {
    const kind = extension ? `${extension} files` : 'Files without an extension';
    return `${kind} can't be read. Upload ${FORMAT_NAMES} files.`;
  }
  if (file.size === 0) return 'The file is empty.';
  if (file.size > Limits.uploadBytes) {
    return `The file is too big: files can be at most ${MAX_SIZE_TEXT}, this one is ${formatBytes(file.size)}.`;
  }
  return null;
}

/** What the table calls a document's type: "Web page" for imports, else its format ("PDF", "Markdown"). */
export function typeOf(document: Pick<DocumentView, 'mimeType' | 'sourceUrl'>): string {
  if (document.sourceUrl) return 'Web page';
  const label = formats.find((format) => format.mimeType === document.mimeType)?.label ?? document.mimeType;
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/** 1536 → "1.5 KB"; 26214400 → "25 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number(value.toFixed(value < 10 ? 1 : 0))} ${units[unit]}`;
}

import chardet from 'chardet';
import iconv from 'iconv-lite';

/** Enough text for chardet to judge by; reading the whole of a large file would only slow it down. */
const SNIFF_BYTES = 64 * 1024;

/** Latin-1 labels decode as Windows-1252, as browsers do: identical for letters, and 0x80–0x9F become € “ ” … */
const FALLBACK_ENCODING = 'windows-1252';

/**
 * Works out how text bytes are encoded. A byte-order mark wins; then bytes that are valid UTF-8 are UTF-8
 * (chardet misreads short Latin-1 text such as "café" as UTF-8, and valid UTF-8 is almost never anything
 * else); then the charset the sender declared in `contentType`; then chardet's guess.
 */
export function detectEncoding(bytes: Uint8Array, contentType?: string): string {
  const bom = byteOrderMark(bytes);
  if (bom) return bom;
  const sample = bytes.subarray(0, SNIFF_BYTES);
  if (isUtf8(sample, sample.length < bytes.length)) return 'utf-8';
  const declared = /charset=["']?([\w.:-]+)/i.exec(contentType ?? '')?.[1];
  if (declared && !/^utf-?8$/i.test(declared) && iconv.encodingExists(declared)) return widenLatin1(declared);
  const guess = chardet.detect(sample);
  // A UTF-8 guess for bytes that just failed UTF-8 validation, or an encoding iconv lacks (ISO-2022-*), leaves
  // the most common legacy encoding of the web as the best bet.
  return guess && guess !== 'UTF-8' && iconv.encodingExists(guess) ? widenLatin1(guess) : FALLBACK_ENCODING;
}

/** Decodes bytes in the given encoding (see detectEncoding), dropping any byte-order mark. */
export function decodeText(bytes: Uint8Array, encoding: string): string {
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding);
}

function widenLatin1(encoding: string): string {
  return /^(?:iso-?8859-1|latin-?1)$/i.test(encoding) ? FALLBACK_ENCODING : encoding;
}

/** The encoding a UTF-8 or UTF-16 byte-order mark at the start of `bytes` announces, if there is one. */
export function byteOrderMark(bytes: Uint8Array): string | undefined {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return 'utf-8';
  if (startsWith(bytes, [0xff, 0xfe])) return 'utf-16le';
  if (startsWith(bytes, [0xfe, 0xff])) return 'utf-16be';
  return undefined;
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((byte, i) => bytes[i] === byte);
}

function isUtf8(sample: Uint8Array, truncated: boolean): boolean {
  try {
    // In a sample cut from a longer file, `stream` lets the character cut in two at its end pass.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: truncated });
    return true;
  } catch {
    return false;
  }
}

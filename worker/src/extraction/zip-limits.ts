import JSZip from 'jszip';
import { createInflateRaw } from 'node:zlib';
import { ExtractionError } from './extraction-error';

const MB = 1024 * 1024;
const DEFAULT_MAX_UNCOMPRESSED_BYTES = 100 * MB;
/** Text compresses well (XML around 10:1), so ratios are only judged once an archive unpacks to this much. */
const RATIO_FLOOR_BYTES = 10 * MB;
const MAX_COMPRESSION_RATIO = 100;
/** JSZip's marker for DEFLATE, the only compression besides "stored" that it (and so mammoth) reads. */
const DEFLATE = '\x08\x00';

/** JSZip's private record of a loaded entry: the sizes its central directory claims and the raw bytes. */
interface CompressedEntry {
  compressedSize: number;
  uncompressedSize: number;
  compression: { magic: string };
  compressedContent: Uint8Array;
}

/**
 * Refuses a zip bomb before anything unpacks it: the sizes the central directory declares must fit the
 * limit and look like a document rather than a bomb, and every deflated entry is then inflated and counted
 * (never kept) to prove it is no bigger than declared, since JSZip only checks that after unpacking it all.
 * @throws ExtractionError 'too_large' for a bomb, 'corrupt' for an archive that can't be read
 */
export async function assertZipWithinLimits(
  bytes: Uint8Array,
  maxUncompressedBytes = DEFAULT_MAX_UNCOMPRESSED_BYTES,
): Promise<void> {
  const entries = await readEntries(bytes);
  const declared = entries.reduce((total, entry) => total + entry.uncompressedSize, 0);
  const compressed = entries.reduce((total, entry) => total + entry.compressedSize, 0);
  if (declared > maxUncompressedBytes) {
    throw new ExtractionError(
      'too_large',
      `This Word file unpacks to ${megabytes(declared)} MB, more than the ${megabytes(maxUncompressedBytes)} MB we accept. Split it into smaller documents and upload them separately.`,
    );
  }
  if (declared > RATIO_FLOOR_BYTES && declared > MAX_COMPRESSION_RATIO * compressed) throw zipBomb();
  try {
    for (const entry of entries) {
      if (entry.compression.magic !== DEFLATE) continue;
      if ((await inflatedSize(entry.compressedContent, entry.uncompressedSize)) > entry.uncompressedSize) {
        throw zipBomb();
      }
    }
  } catch (error) {
    throw error instanceof ExtractionError ? error : damagedWordFile(error);
  }
}

async function readEntries(bytes: Uint8Array): Promise<CompressedEntry[]> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    throw damagedWordFile(error);
  }
  return Object.values(zip.files)
    .filter((file) => !file.dir)
    .map((file) => (file as unknown as { _data: CompressedEntry })._data);
}

/** Inflates raw DEFLATE data chunk by chunk, counting bytes and stopping as soon as there are more than `stopAfter`. */
async function inflatedSize(compressed: Uint8Array, stopAfter: number): Promise<number> {
  const inflater = createInflateRaw();
  inflater.end(compressed);
  let size = 0;
  for await (const chunk of inflater as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Leaving the loop destroys the stream, so the rest of a bomb is never inflated.
    if (size > stopAfter) break;
  }
  return size;
}

function zipBomb(): ExtractionError {
  return new ExtractionError(
    'too_large',
    "This Word file unpacks to far more data than its size suggests, the way malicious 'zip bombs' do, so we won't open it.",
  );
}

/** The refusal of a Word file that can't be read, whether its zip or the XML inside is broken. */
export function damagedWordFile(cause: unknown): ExtractionError {
  return new ExtractionError(
    'corrupt',
    "This Word file is damaged and can't be read. Open it in Word, save it again and upload the new copy.",
    { cause },
  );
}

function megabytes(bytes: number): string {
  return (bytes / MB).toFixed(1).replace(/\.0$/, '');
}

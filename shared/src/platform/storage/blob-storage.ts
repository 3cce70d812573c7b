import { randomUUID } from 'node:crypto';
import { access, constants, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';

/**
 * Where originals of uploaded documents are kept. The local store writes under DATA_DIR/blobs; an
 * S3-compatible store can implement the same interface. Keys are paths of `[A-Za-z0-9_-]` segments.
 */
export interface BlobStorage {
  readonly driver: string;
  /** Resolves when the store can take writes; rejects with the reason otherwise. */
  check(): Promise<void>;
  /** Writes the whole blob or nothing: a crash mid-write never leaves a partial blob under the key. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  get(key: string): Promise<Buffer>;
  /** Removes the blob; removing one that is not there is not an error. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}

const keyPattern = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;

/** The key of a document's original: grouped by tenant and bot, so a bot's files can be found together. */
export function documentBlobKey(ids: { tenantId: string; botId: string; documentId: string }): string {
  return `tenants/${ids.tenantId}/bots/${ids.botId}/documents/${ids.documentId}`;
}

export class LocalBlobStorage implements BlobStorage {
  readonly driver = 'local';
  readonly root: string;

  constructor(dataDir: string) {
    this.root = resolve(join(dataDir, 'blobs'));
  }

  async check(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    await access(this.root, constants.W_OK);
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const partial = `${path}.${randomUUID()}.partial`;
    try {
      await writeFile(partial, bytes);
      await rename(partial, path);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  get(key: string): Promise<Buffer> {
    return readFile(this.pathOf(key));
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async exists(key: string): Promise<boolean> {
    return stat(this.pathOf(key)).then(
      () => true,
      () => false,
    );
  }

  private pathOf(key: string): string {
    if (!keyPattern.test(key)) throw new Error(`invalid blob key: ${JSON.stringify(key)}`);
    const path = resolve(this.root, key);
    // The pattern already rules out `..`; this keeps the guarantee if the pattern is ever loosened.
    if (!path.startsWith(this.root + sep)) throw new Error('blob key escapes the storage root');
    return path;
  }
}

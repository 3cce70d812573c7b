import { access, constants, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/**
 * Where originals of uploaded documents are kept. The local store writes under DATA_DIR/blobs; the
 * knowledge pipeline adds reads and writes, and an S3-compatible store can implement the same interface.
 */
export interface BlobStorage {
  readonly driver: string;
  /** Resolves when the store can take writes; rejects with the reason otherwise. */
  check(): Promise<void>;
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
}

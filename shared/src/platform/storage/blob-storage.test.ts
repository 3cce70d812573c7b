import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalBlobStorage, documentBlobKey } from './blob-storage';

describe('local blob storage', () => {
  let dir: string;
  let storage: LocalBlobStorage;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'blobs-'));
    storage = new LocalBlobStorage(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stores, reads and deletes a blob, leaving no partial files', async () => {
    const key = documentBlobKey({ tenantId: 't1', botId: 'b1', documentId: 'd1' });
    await storage.put(key, Buffer.from('hello'));
    assert.equal((await storage.get(key)).toString(), 'hello');
    assert.equal(await storage.exists(key), true);
    assert.deepEqual(readdirSync(join(dir, 'blobs/tenants/t1/bots/b1/documents')), ['d1']);
    await storage.delete(key);
    await storage.delete(key);
    assert.equal(await storage.exists(key), false);
    await assert.rejects(storage.get(key), { code: 'ENOENT' });
  });

  it('refuses keys that could leave the storage root', async () => {
    for (const key of ['../etc/passwd', '/abs', 'a/../../b', 'a//b', '', 'a/b.c']) {
      await assert.rejects(storage.put(key, Buffer.from('x')), /invalid blob key/);
    }
  });
});

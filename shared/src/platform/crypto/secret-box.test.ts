import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

const key = () => randomBytes(32).toString('base64');

describe('SecretBox', () => {
  const v1 = key();
  const box = new SecretBox(1, new Map([[1, v1]]));

  it('round-trips a secret and never shows it in the ciphertext', () => {
    const sealed = box.encrypt('sk-live-secret', 'chatbot:1:openaiApiKey');
    assert.ok(sealed.startsWith('v1.'));
    assert.equal(sealed.includes('sk-live-secret'), false);
    assert.equal(box.decrypt(sealed, 'chatbot:1:openaiApiKey'), 'sk-live-secret');
    assert.notEqual(
      box.encrypt('sk-live-secret', 'c'),
      box.encrypt('sk-live-secret', 'c'),
      'fresh IV each time',
    );
  });

  it('refuses a ciphertext moved to another record or tampered with', () => {
    const sealed = box.encrypt('sk-live-secret', 'chatbot:1:openaiApiKey');
    assert.throws(() => box.decrypt(sealed, 'chatbot:2:openaiApiKey'));
    const parts = sealed.split('.');
    const data = Buffer.from(parts[3]!, 'base64url');
    data[0] = data[0]! ^ 1;
    parts[3] = data.toString('base64url');
    assert.throws(() => box.decrypt(parts.join('.'), 'chatbot:1:openaiApiKey'));
    assert.throws(() => box.decrypt('garbage', 'chatbot:1:openaiApiKey'), /malformed/);
  });

  it('decrypts under an older key version after rotation and marks it stale', () => {
    const old = box.encrypt('sk-old', 'ctx');
    const rotated = new SecretBox(
      2,
      new Map([
        [1, v1],
        [2, key()],
      ]),
    );
    assert.equal(rotated.decrypt(old, 'ctx'), 'sk-old');
    assert.equal(rotated.isStale(old), true);
    const resealed = rotated.encrypt('sk-old', 'ctx');
    assert.ok(resealed.startsWith('v2.'));
    assert.equal(rotated.isStale(resealed), false);
    const withoutOld = new SecretBox(2, new Map([[2, key()]]));
    assert.throws(() => withoutOld.decrypt(old, 'ctx'), /version 1/);
  });

  it('derives distinct data keys per version even from the same master key', () => {
    const same = key();
    const a = new SecretBox(1, new Map([[1, same]]));
    const b = new SecretBox(2, new Map([[2, same]]));
    const sealed = a.encrypt('x', 'ctx').replace(/^v1\./, 'v2.');
    assert.throws(() => b.decrypt(sealed, 'ctx'));
  });
});

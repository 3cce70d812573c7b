import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;

/**
 * Encrypts small secrets (tenants' API keys, webhook secrets) with AES-256-GCM. Each master key version
 * derives its own data key with HKDF, and every ciphertext names its version (`v2.<iv>.<tag>.<data>`), so a
 * new master key can be introduced while the old one still decrypts until `npm run keys:rotate` re-encrypts.
 * The context (for example `chatbot:<id>:openaiApiKey`) is bound as associated data: a ciphertext copied
 * into another record does not decrypt.
 */
export class SecretBox {
  private readonly keys = new Map<number, Buffer>();

  constructor(
    readonly currentVersion: number,
    masterKeys: ReadonlyMap<number, string>,
  ) {
    for (const [version, key] of masterKeys) this.keys.set(version, deriveKey(key, version));
    if (!this.keys.has(currentVersion)) throw new Error(`no master key for version ${currentVersion}`);
  }

  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.keys.get(this.currentVersion)!, iv);
    cipher.setAAD(Buffer.from(context));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v' + this.currentVersion, iv, cipher.getAuthTag(), data]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  decrypt(sealed: string, context: string): string {
    const { version, iv, tag, data } = parseSealed(sealed);
    const key = this.keys.get(version);
    if (!key)
      throw new Error(`secret is encrypted under master key version ${version}, which is not configured`);
    const decipher = createDecipheriv(ALGORITHM, key, iv);
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
  }

  /** Whether a ciphertext is under an older master key and should be re-encrypted. */
  isStale(sealed: string): boolean {
    return parseSealed(sealed).version !== this.currentVersion;
  }
}

function deriveKey(masterKey: string, version: number): Buffer {
  const ikm = Buffer.from(masterKey, 'base64');
  return Buffer.from(hkdfSync('sha256', ikm, 'chatbot-platform/secret-box', `data-key:v${version}`, 32));
}

function parseSealed(sealed: string) {
  const [versionPart, iv, tag, data] = sealed.split('.');
  const version = Number(versionPart?.slice(1));
  if (!versionPart?.startsWith('v') || !Number.isInteger(version) || !iv || !tag || data === undefined) {
    throw new Error('malformed sealed secret');
  }
  return {
    version,
    iv: Buffer.from(iv, 'base64url'),
    tag: Buffer.from(tag, 'base64url'),
    data: Buffer.from(data, 'base64url'),
  };
}

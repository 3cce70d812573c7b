import { hash, verify } from '@node-rs/argon2';

// argon2id (the library's default algorithm) with OWASP's recommended cost: 19 MiB, 2 passes, 1 lane.
// @node-rs/argon2 ships prebuilt N-API binaries and hashes on libuv's thread pool, off the event loop.
const cost = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, cost);
}

let dummyHash: Promise<string> | undefined;

/**
 * Verifies a password; with no hash (unknown email) it still spends the time of one verification, so the
 * answer time does not tell whether an account exists.
 */
export async function verifyPassword(storedHash: string | undefined, password: string): Promise<boolean> {
  if (!storedHash) {
    dummyHash ??= hashPassword('timing-equaliser-for-unknown-accounts');
    await verify(await dummyHash, password);
    return false;
  }
  return verify(storedHash, password);
}

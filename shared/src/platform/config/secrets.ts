import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './parse-env';

export interface PlatformSecrets {
  masterKey: string;
  jwtSecret: string;
}

/**
 * Returns the master key and JWT secret. In production both must come from the environment; elsewhere a
 * missing one is generated once and kept in DATA_DIR/secrets.json (mode 0600), so `npm start` needs no setup
 * and a restart keeps logins and encrypted keys valid.
 */
export function resolveSecrets(env: {
  NODE_ENV: string;
  DATA_DIR: string;
  MASTER_KEY?: string | undefined;
  JWT_SECRET?: string | undefined;
}): PlatformSecrets {
  if (env.MASTER_KEY && env.JWT_SECRET) return { masterKey: env.MASTER_KEY, jwtSecret: env.JWT_SECRET };
  if (env.NODE_ENV === 'production') {
    throw new ConfigError(
      'Invalid configuration: MASTER_KEY and JWT_SECRET are required when NODE_ENV=production',
    );
  }
  const file = join(env.DATA_DIR, 'secrets.json');
  const stored: Partial<PlatformSecrets> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const generated = { ...stored };
  if (!env.MASTER_KEY) generated.masterKey ??= randomBytes(32).toString('base64');
  if (!env.JWT_SECRET) generated.jwtSecret ??= randomBytes(48).toString('base64url');
  if (generated.masterKey !== stored.masterKey || generated.jwtSecret !== stored.jwtSecret) {
    mkdirSync(env.DATA_DIR, { recursive: true });
    writeFileSync(file, JSON.stringify(generated, null, 2), { mode: 0o600 });
  }
  return {
    masterKey: env.MASTER_KEY ?? generated.masterKey!,
    jwtSecret: env.JWT_SECRET ?? generated.jwtSecret!,
  };
}

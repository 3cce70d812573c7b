import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './parse-env';

const secrets = {
  masterKey: { variable: 'MASTER_KEY', generate: () => randomBytes(32).toString('base64') },
  jwtSecret: { variable: 'JWT_SECRET', generate: () => randomBytes(48).toString('base64url') },
} as const;

export type SecretName = keyof typeof secrets;

/**
 * Returns a platform secret. In production it must come from the environment; elsewhere a missing one is
 * generated once and kept in DATA_DIR/secrets.json (mode 0600), so `npm start` needs no setup and a
 * restart keeps logins and encrypted keys valid. A secret given in the environment is never written.
 */
export function resolveSecret(
  env: { NODE_ENV: string; DATA_DIR: string } & Partial<Record<'MASTER_KEY' | 'JWT_SECRET', string>>,
  name: SecretName,
): string {
  const { variable, generate } = secrets[name];
  const fromEnv = env[variable];
  if (fromEnv) return fromEnv;
  if (env.NODE_ENV === 'production') {
    throw new ConfigError(`Invalid configuration: ${variable} is required when NODE_ENV=production`);
  }
  const file = join(env.DATA_DIR, 'secrets.json');
  const stored: Partial<Record<SecretName, string>> = existsSync(file)
    ? JSON.parse(readFileSync(file, 'utf8'))
    : {};
  if (!stored[name]) {
    stored[name] = generate();
    mkdirSync(env.DATA_DIR, { recursive: true });
    writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  }
  return stored[name];
}

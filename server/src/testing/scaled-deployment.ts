import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedChroma, type EmbeddedChroma } from '@chatbot/shared/platform';
import { createTestDatabase, type TestDatabase } from '@chatbot/shared/testing';
import { startNodeProcess, type NodeProcess } from './processes';

/**
 * What every process of one deployment shares, as its environment: a PostgreSQL database of its own
 * (migrated by the first server to start), Redis under a prefix of its own, Chroma, a data directory and
 * the secrets.
 */
export type ScaledEnv = Record<
  | 'DATABASE_URL'
  | 'DATABASE_AUTO_MIGRATE'
  | 'REDIS_URL'
  | 'REDIS_PREFIX'
  | 'CHROMA_URL'
  | 'DATA_DIR'
  | 'MASTER_KEY'
  | 'JWT_SECRET',
  string
>;

export interface ScaledServices {
  env: ScaledEnv;
  database: TestDatabase;
  /** Stops Chroma (if started here) and drops the database and the data directory; stop the processes first. */
  stop(): Promise<void>;
}

/**
 * The shared services of a scaled deployment for tests that run its servers and workers as processes.
 * Chroma is TEST_CHROMA_URL's, or one started here; Redis is TEST_REDIS_URL's unless `redisUrl` names
 * another (a private one a test may kill).
 */
export async function startScaledServices(options: { redisUrl?: string } = {}): Promise<ScaledServices> {
  const database = await createTestDatabase('postgresql');
  const dataDir = mkdtempSync(join(tmpdir(), 'scaled-'));
  let chroma: EmbeddedChroma | null = null;
  try {
    if (!process.env.TEST_CHROMA_URL) chroma = await startEmbeddedChroma({ dataDir });
  } catch (error) {
    await database.drop();
    throw error;
  }
  return {
    database,
    env: {
      DATABASE_URL: database.url,
      DATABASE_AUTO_MIGRATE: 'true',
      REDIS_URL: options.redisUrl ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_PREFIX: `test-${randomBytes(6).toString('hex')}`,
      CHROMA_URL: process.env.TEST_CHROMA_URL ?? chroma!.url,
      DATA_DIR: dataDir,
      MASTER_KEY: randomBytes(32).toString('base64'),
      JWT_SECRET: randomBytes(32).toString('hex'),
    },
    async stop() {
      await chroma?.stop();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A worker process of the deployment, once it has logged that it is ready. */
export function startWorkerProcess(env: Record<string, string>): Promise<NodeProcess> {
  return startNodeProcess('worker/src/main.ts', { LOG_LEVEL: 'info', ...env }, /worker ready/);
}

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, createPlatform, type Platform } from '@chatbot/shared/platform';
import { loadServerEnv, type ServerEnv } from '../config/env';
import { startServer } from '../server';
import { createTestDatabase, testPostgresUrl, type TestDatabase } from '@chatbot/shared/testing';
import { startFaultProxy, targetOf, throughProxy, type FaultProxy } from './fault-proxy';
import { ApiClient } from './api-client';

export interface TestServer {
  url: string;
  dataDir: string;
  api: ApiClient;
  platform: Platform;
  env: ServerEnv;
  stop(): Promise<void>;
}

export interface TestServerOptions {
  dialect?: 'sqlite' | 'postgresql';
  /** Extra environment, as a deployment would set it (REDIS_URL, TTLs, …). */
  env?: Record<string, string>;
  /** Addresses URL import may fetch besides public ones: tests serve pages from loopback. */
  allowImportAddress?: (address: string) => boolean;
  /** Servers given the same namespace share Redis state (rate limits), as the nodes of one deployment do. */
  redisNamespace?: string;
  /** How the server reaches its database, given the created database's URL (through a fault proxy, say). */
  databaseUrl?: (created: string) => string;
}

/**
 * A real server on a free port with a database of its own, a temporary DATA_DIR, and fresh secrets;
 * `stop()` shuts it down and drops what it made.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const database: TestDatabase = await createTestDatabase(options.dialect ?? 'sqlite');
  const dataDir = mkdtempSync(join(tmpdir(), 'test-data-'));
  const env = loadServerEnv({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_URL: options.databaseUrl?.(database.url) ?? database.url,
    DATABASE_AUTO_MIGRATE: 'true',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    MASTER_KEY: randomBytes(32).toString('base64'),
    JWT_SECRET: randomBytes(32).toString('hex'),
    NODE_ENV: 'test',
    ...(process.env.TEST_CHROMA_URL ? { CHROMA_URL: process.env.TEST_CHROMA_URL } : {}),
    ...options.env,
  });
  const logger = createLogger({ level: env.LOG_LEVEL, name: 'test-server' });
  const platform = await createPlatform({
    env,
    masterKey: env.MASTER_KEY!,
    logger,
    redisNamespace: options.redisNamespace ?? `test:${randomBytes(6).toString('hex')}`,
  });
  const running = await startServer({
    env,
    platform,
    logger,
    jwtSecret: env.JWT_SECRET!,
    allowImportAddress: options.allowImportAddress,
  });
  return {
    url: running.url,
    dataDir,
    api: new ApiClient(running.url),
    platform,
    env,
    async stop() {
      await running.stop();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A test server on PostgreSQL reached through `database`, a fault proxy a test can take away. */
export type ProxiedDatabaseServer = TestServer & { database: FaultProxy };

export async function startTestServerBehindDatabaseProxy(): Promise<ProxiedDatabaseServer> {
  const database = await startFaultProxy(targetOf(testPostgresUrl()));
  const server = await startTestServer({
    dialect: 'postgresql',
    databaseUrl: (created) => throughProxy(created, database),
  });
  return {
    ...server,
    database,
    async stop() {
      await server.stop();
      await database.stop();
    },
  };
}

import type { MikroORM } from '@mikro-orm/core';
import type { Redis } from 'ioredis';
import type { HealthCheckName } from '../api/health.schema';
import type { PlatformEnv } from './config/platform-env';
import { createCache, type Cache } from './cache/cache';
import { SecretBox } from './crypto/secret-box';
import { describeTarget, resolveDatabaseTarget, type DatabaseTarget } from './db/database-url';
import { migrateToLatest, openOrm } from './db/orm';
import { inProcess, probe, type HealthCheck } from './health';
import type { Logger } from './logger/logger';
import { createLimiterFactory, type LimiterFactory } from './rate-limit/rate-limiters';
import { BullMqQueue } from './queue/bullmq-queue';
import { InProcessQueue } from './queue/in-process-queue';
import type { JobQueue } from './queue/job-queue';
import { LocalBlobStorage, type BlobStorage } from './storage/blob-storage';
import { startEmbeddedChroma, type EmbeddedChroma } from './vector-store/embedded-chroma';
import { VectorStore } from './vector-store/vector-store';
import { closeRedis, connectRedis, eventPublisher, eventSubscriber } from './redis/redis-connection';

/** The adapters a process runs on, chosen once at start-up from the environment. */
export interface Platform {
  mode: 'embedded' | 'scaled';
  database: DatabaseTarget;
  orm: MikroORM;
  redis: Redis | null;
  limiters: LimiterFactory;
  /** Bot configuration and answers: in memory, or in Redis shared by every node. */
  cache: Cache;
  secretBox: SecretBox;
  storage: BlobStorage;
  vectors: VectorStore;
  queue: JobQueue;
  /** Key of the Socket.IO Redis adapter and emitter, so servers and workers of one deployment meet. */
  socketKey: string;
  /**
   * A further Redis connection for Socket.IO's adapter or emitter (scaled mode only), closed with the
   * platform: `publish` drops events while Redis is down, `subscribe` subscribes again after it returns.
   */
  eventConnection(role: 'publish' | 'subscribe'): Redis;
  healthChecks: Record<HealthCheckName, HealthCheck>;
  close(): Promise<void>;
}

export interface PlatformOptions {
  env: PlatformEnv;
  masterKey: string;
  logger: Logger;
  /** Prefix of every Redis key this platform writes, so test runs and deployments can share a server. */
  redisNamespace?: string;
}

/** Starts Chroma from the npm package when no CHROMA_URL names a server (embedded mode). */
async function openVectorStore(env: PlatformEnv, logger: Logger) {
  if (env.CHROMA_URL) return { vectors: new VectorStore(env.CHROMA_URL), chroma: null };
  const chroma: EmbeddedChroma = await startEmbeddedChroma({
    dataDir: env.DATA_DIR,
    logger,
    onUnexpectedExit: (exit) => logger.error({ exit }, 'embedded Chroma stopped; vector search is down'),
  });
  return { vectors: new VectorStore(chroma.url), chroma };
}

export async function createPlatform({
  env,
  masterKey,
  logger,
  redisNamespace = env.REDIS_PREFIX,
}: PlatformOptions) {
  const database = resolveDatabaseTarget(env.DATABASE_URL, env.DATA_DIR);
  // Only at debug level: formatting every query for a logger that drops it costs real time.
  const logQuery = logger.isLevelEnabled('debug')
    ? (message: string) => logger.debug({ sql: message }, 'query')
    : undefined;
  const orm = await openOrm(database, {
    logQuery,
    logDriverWarning: (message) => logger.warn({ driver: message }, 'database driver warning'),
  });
  let redis: Redis | null = null;
  let opened: Awaited<ReturnType<typeof openVectorStore>>;
  try {
    // Embedded SQLite migrates itself; a shared server database migrates with `npm run db:migrate`
    // (one deploy step) unless DATABASE_AUTO_MIGRATE says otherwise.
    if (env.DATABASE_AUTO_MIGRATE ?? database.dialect === 'sqlite') {
      const applied = await migrateToLatest(orm);
      if (applied.length) logger.info({ migrations: applied }, 'database migrated');
    }
    logger.info({ database: describeTarget(database) }, 'database ready');
    if (env.REDIS_URL) redis = await connectRedis(env.REDIS_URL, logger);
    opened = await openVectorStore(env, logger);
  } catch (error) {
    // A process that fails to start must not keep connections (or a test's event loop) open.
    if (redis) await closeRedis(redis);
    await orm.close();
    throw error;
  }
  const { vectors, chroma } = opened;
  const queue: JobQueue = env.REDIS_URL
    ? new BullMqQueue(env.REDIS_URL, `${redisNamespace}:bull`, logger, env.JOB_STALL_TIMEOUT_MS)
    : new InProcessQueue(logger);

  const masterKeys = new Map(env.PREVIOUS_MASTER_KEYS ?? []);
  masterKeys.set(env.MASTER_KEY_VERSION, masterKey);
  const storage = new LocalBlobStorage(env.DATA_DIR);

  const eventConnections: Redis[] = [];

  const healthChecks: Record<HealthCheckName, HealthCheck> = {
    database: probe(database.dialect, () => orm.em.getConnection().execute('select 1')),
    cache: redis ? probe('redis', () => redis.ping()) : inProcess('memory'),
    queue: redis ? probe('bullmq', () => redis.ping()) : inProcess('in-process'),
    vectorStore: probe(chroma ? 'chroma (embedded)' : 'chroma', () => vectors.heartbeat()),
    ai: inProcess(env.OPENAI_API_KEY ? 'openai' : 'offline'),
    storage: probe(storage.driver, () => storage.check()),
  };

  return {
    mode: redis ? 'scaled' : 'embedded',
    database,
    orm,
    redis,
    limiters: createLimiterFactory(redis, redisNamespace),
    cache: createCache(redis, redisNamespace),
    secretBox: new SecretBox(env.MASTER_KEY_VERSION, masterKeys),
    storage,
    vectors,
    queue,
    socketKey: `${redisNamespace}:socket.io`,
    eventConnection(role) {
      if (!redis) throw new Error('Socket.IO event connections need REDIS_URL (scaled mode)');
      const connection = role === 'publish' ? eventPublisher(redis) : eventSubscriber(redis);
      eventConnections.push(connection);
      return connection;
    },
    healthChecks,
    async close() {
      await queue.close();
      await orm.close();
      await chroma?.stop();
      await Promise.all([...eventConnections, ...(redis ? [redis] : [])].map(closeRedis));
    },
  } satisfies Platform as Platform;
}

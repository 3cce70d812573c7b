import {
  ConfigError,
  createLogger,
  onShutdownSignal,
  createPlatform,
  redisAdminEvents,
  resolveSecret,
  startMetricsServer,
} from '@chatbot/shared/platform';
import { loadWorkerEnv } from './config/env';
import { registerJobs } from './index';

/**
 * A worker process of scaled mode: takes jobs from BullMQ, shares the database, Chroma and blob storage
 * with the servers, and reports progress to dashboards through Redis. (Embedded mode runs the same jobs
 * inside the server instead.)
 */
async function main() {
  const env = loadWorkerEnv();
  const missing = (['REDIS_URL', 'DATABASE_URL', 'CHROMA_URL'] as const).filter((name) => !env[name]);
  if (missing.length) {
    throw new ConfigError(
      `Invalid configuration: a worker shares its services with the servers, so it needs ${missing.join(', ')}.`,
    );
  }
  const logger = createLogger({ level: env.LOG_LEVEL, name: 'worker' });
  const platform = await createPlatform({ env, masterKey: resolveSecret(env, 'masterKey'), logger });
  await registerJobs({
    platform,
    env,
    logger,
    adminEvents: redisAdminEvents(platform.eventConnection('publish'), platform.socketKey),
  });
  startMetricsServer({ port: env.METRICS_PORT, token: env.METRICS_TOKEN, logger });
  // Closing the platform closes the queue first: BullMQ stops taking jobs and waits for the running ones
  // (their locks renewed meanwhile), then the database and Redis close. A job still running when
  // SHUTDOWN_TIMEOUT_MS forces the exit keeps its job in Redis; its lock lapses and another worker runs it.
  onShutdownSignal(logger, () => platform.close(), { timeoutMs: env.SHUTDOWN_TIMEOUT_MS });
  logger.info({ concurrency: env.WORKER_CONCURRENCY }, 'worker ready');
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error('The worker could not start:', error);
  process.exit(1);
});

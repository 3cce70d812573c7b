import {
  ConfigError,
  createLogger,
  onShutdownSignal,
  createPlatform,
  redisAdminEvents,
  resolveSecret,
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
  registerJobs({ platform, env, logger, adminEvents: redisAdminEvents(platform.redis!, platform.socketKey) });
  onShutdownSignal(logger, () => platform.close());
  logger.info({ concurrency: env.WORKER_CONCURRENCY }, 'worker ready');
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error('The worker could not start:', error);
  process.exit(1);
});

import { z } from 'zod';
import { metricsEnvShape, parseEnv, platformEnvSchema, shutdownTimeoutMs } from '@chatbot/shared/platform';

const workerEnvSchema = platformEnvSchema.extend({
  /** On SIGTERM/SIGINT, how long running jobs may take to finish before the worker leaves them to others. */
  SHUTDOWN_TIMEOUT_MS: shutdownTimeoutMs,
  ...metricsEnvShape,
  /** Port of the worker's own GET /metrics (it has no other HTTP server); 0 turns it off. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9100),
});

/**
 * The worker reads the platform's variables (services, WORKER_CONCURRENCY, URL import limits), its
 * shutdown timeout and its metrics endpoint, and no others.
 */
export type WorkerEnv = z.infer<typeof workerEnvSchema>;

/** Reads the worker's configuration; throws a ConfigError listing every bad variable. */
export function loadWorkerEnv(source: NodeJS.ProcessEnv = process.env): WorkerEnv {
  return parseEnv(workerEnvSchema, source);
}

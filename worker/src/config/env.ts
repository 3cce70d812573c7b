import type { z } from 'zod';
import { parseEnv, platformEnvSchema } from '@chatbot/shared/platform';

/** The worker reads the platform's variables (services, WORKER_CONCURRENCY, URL import limits) and no others. */
export type WorkerEnv = z.infer<typeof platformEnvSchema>;

/** Reads the worker's configuration; throws a ConfigError listing every bad variable. */
export function loadWorkerEnv(source: NodeJS.ProcessEnv = process.env): WorkerEnv {
  return parseEnv(platformEnvSchema, source);
}

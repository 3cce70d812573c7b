import type { z } from 'zod';
import { parseEnv, platformEnvSchema } from '@chatbot/shared/platform';

/** The worker reads the platform's variables; its own (concurrency, …) arrive with its first jobs. */
export type WorkerEnv = z.infer<typeof platformEnvSchema>;

/** Reads the worker's configuration; throws a ConfigError listing every bad variable. */
export function loadWorkerEnv(source: NodeJS.ProcessEnv = process.env): WorkerEnv {
  return parseEnv(platformEnvSchema, source);
}

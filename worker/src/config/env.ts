import { z } from 'zod';
import { parseEnv, platformEnvShape } from '@chatbot/shared/platform';

const workerEnvSchema = z.object({
  ...platformEnvShape,
  /** Jobs one worker process runs at once (the plan's ten concurrent workers). */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(10),
});

export type WorkerEnv = z.infer<typeof workerEnvSchema>;

/** Reads the worker's configuration; throws a ConfigError listing every bad variable. */
export function loadWorkerEnv(source: NodeJS.ProcessEnv = process.env): WorkerEnv {
  return parseEnv(workerEnvSchema, source);
}

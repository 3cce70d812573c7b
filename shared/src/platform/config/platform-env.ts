import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

const base64Key = z
  .string()
  .refine(
    (value) => Buffer.from(value, 'base64').length === 32,
    'must be 32 random bytes in base64 (openssl rand -base64 32)',
  );

/** `1:<base64>,2:<base64>`: master keys that older secrets may still be encrypted under. */
const previousKeys = z.string().transform((value, ctx) => {
  const keys = new Map<number, string>();
  for (const entry of value.split(',').map((part) => part.trim())) {
    const match = /^(\d+):(.+)$/.exec(entry);
    if (!match || Buffer.from(match[2]!, 'base64').length !== 32) {
      ctx.addIssue({ code: 'custom', message: 'must be a list such as 1:<base64 key>,2:<base64 key>' });
      return z.NEVER;
    }
    keys.set(Number(match[1]), match[2]!);
  }
  return keys;
});

/** Variables that every process (server and worker) reads: where the platform's data and services are. */
export const platformEnvShape = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(
      /^(sqlite:|postgres(ql)?:\/\/|mssql:\/\/|sqlserver:\/\/)/,
      'must start with sqlite:, postgres:// or mssql://',
    )
    .optional(),
  DATABASE_AUTO_MIGRATE: booleanFlag.optional(),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  /** Prefix of every Redis key (queues, rate limits, Socket.IO), so deployments can share one Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[\w.:-]{1,64}$/, 'must be 1-64 letters, digits, . : _ or -')
    .default('chatbot'),
  /** How long a job may go without its worker's heartbeat before another worker takes it over (scaled mode). */
  JOB_STALL_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /**
   * Recorded work not started this long after it was (a document still pending, a webhook delivery
   * overdue, a lead never summarised) is queued again, in case its job was never queued or was lost.
   */
  REQUEUE_AFTER_MS: z.coerce.number().int().min(1000).max(86_400_000).default(120_000),
  CHROMA_URL: z.url({ protocol: /^https?$/ }).optional(),
  MASTER_KEY: base64Key.optional(),
  MASTER_KEY_VERSION: z.coerce.number().int().min(1).max(65535).default(1),
  PREVIOUS_MASTER_KEYS: previousKeys.optional(),
  OPENAI_API_KEY: z.string().min(20).optional(),
  /** An OpenAI-compatible endpoint instead of api.openai.com (Azure, a proxy, a local server). */
  OPENAI_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Jobs a process runs at once: each worker, or the server itself in embedded mode. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(10),
  URL_IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  URL_IMPORT_TIMEOUT_MS: z.coerce.number().int().min(1000).max(120_000).default(20_000),
  /** How long a webhook endpoint may take to answer one delivery attempt. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Wait before a failed delivery's first retry; each later retry waits twice as long, up to an hour. */
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(60_000),
  /** Failed attempts in a row, over all of a webhook's deliveries, after which it is disabled. */
  WEBHOOK_DISABLE_AFTER_FAILURES: z.coerce.number().int().min(1).max(1000).default(20),
};

export const platformEnvSchema = z.object(platformEnvShape);
export type PlatformEnv = z.infer<typeof platformEnvSchema>;

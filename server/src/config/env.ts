import { z } from 'zod';
import { DefaultRateLimits, Limits } from '@chatbot/shared';
import { metricsEnvShape, parseEnv, platformEnvShape } from '@chatbot/shared/platform';

const serverEnvSchema = z.object({
  ...platformEnvShape,
  ...metricsEnvShape,
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** The address visitors and admins reach the platform at (behind a proxy); printed at boot. */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  TRUST_PROXY: z
    .string()
    .default('loopback')
    .refine(
      (value) => /^(true|false|\d+|[\w.:/, -]+)$/.test(value),
      'must be true, false, a hop count, or addresses',
    )
    // Express takes a boolean, a hop count, or a list of addresses and names (loopback, uniquelocal, …).
    .transform((value) =>
      /^\d+$/.test(value) ? Number(value) : value === 'true' ? true : value === 'false' ? false : value,
    ),
  DEMO_SEED: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
  MAX_UPLOAD_BYTES: z.coerce.number().int().min(1024).default(Limits.uploadBytes),
  /** Bytes of originals one tenant may keep, over all its bots. */
  TENANT_STORAGE_QUOTA_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024 * 1024),
  /**
   * The secret of the platform's operators (not a tenant's account): it opens the queue dashboard, which
   * shows every tenant's jobs. Unset, the dashboard is not mounted.
   */
  OPERATOR_TOKEN: z.string().min(32, 'must be at least 32 characters (openssl rand -hex 32)').optional(),
  /** How long a visitor may come back to the same conversation. */
  VISITOR_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** Visitor requests (starts, messages, leads) the whole platform takes a minute; bots set their own. */
  RATE_LIMIT_GLOBAL_PER_MINUTE: z.coerce.number().int().min(1).default(DefaultRateLimits.globalPerMinute),
  /** Longest silence of the model, before its first token or between two, before the answer is cut off. */
  MODEL_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(20_000),
  /**
   * How often each node looks for visitors who waited too long for an agent, and for answers a node that
   * died left unfinished.
   */
  CHAT_SWEEP_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
});

export type ServerEnv = z.infer<typeof serverEnvSchema>;

/** Reads the server's configuration; throws a ConfigError listing every bad variable. */
export function loadServerEnv(source: NodeJS.ProcessEnv = process.env): ServerEnv {
  return parseEnv(serverEnvSchema, source);
}

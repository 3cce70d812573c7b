import { z } from 'zod';
import { Limits } from '@chatbot/shared';
import { parseEnv, platformEnvShape } from '@chatbot/shared/platform';

const serverEnvSchema = z.object({
  ...platformEnvShape,
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** The address visitors and admins reach the platform at; printed at boot and used in embed codes. */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  TRUST_PROXY: z
    .string()
    .default('loopback')
    .transform((value) => (/^\d+$/.test(value) ? Number(value) : value === 'false' ? false : value)),
  DEMO_SEED: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
  MAX_UPLOAD_BYTES: z.coerce.number().int().min(1024).default(Limits.uploadBytes),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
});

export type ServerEnv = z.infer<typeof serverEnvSchema>;

/** Reads the server's configuration; throws a ConfigError listing every bad variable. */
export function loadServerEnv(source: NodeJS.ProcessEnv = process.env): ServerEnv {
  return parseEnv(serverEnvSchema, source);
}

import { pino, type Logger, type LevelWithSilent } from 'pino';

/**
 * Paths pino blanks in every log line: credentials, tokens, keys and visitors' and users' personal data.
 * Request and response bodies are never logged whole, so these catch what a handler logs by mistake.
 */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passwordHash',
  '*.accessToken',
  '*.refreshToken',
  '*.token',
  '*.visitorToken',
  '*.openaiApiKey',
  '*.apiKey',
  '*.secret',
  '*.masterKey',
  '*.email',
  '*.phone',
  '*.ip',
  'req.remoteAddress',
];

export function createLogger(options: { level: LevelWithSilent; name: string }): Logger {
  return pino({
    name: options.name,
    level: options.level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    base: { service: options.name },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

export type { Logger };

import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';

const logContext = new AsyncLocalStorage<Record<string, string>>();

/**
 * Runs `fn` so that every log line written during it, by any logger and at any depth (SQL, services,
 * later the queue), carries `fields`: the request id follows the work without being passed around.
 */
export function runWithLogContext<T>(fields: Record<string, string>, fn: () => T): T {
  return logContext.run({ ...logContext.getStore(), ...fields }, fn);
}

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

/** A JSON logger to standard output (or `destination`), with redaction and the log context on every line. */
export function createLogger(
  options: { level: LevelWithSilent; name: string },
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      name: options.name,
      level: options.level,
      redact: { paths: redactedPaths, censor: '[redacted]' },
      base: { service: options.name },
      timestamp: pino.stdTimeFunctions.isoTime,
      // A copy: pino merges each line's fields into what mixin returns.
      mixin: () => ({ ...logContext.getStore() }),
    },
    destination,
  );
}

export type { Logger };

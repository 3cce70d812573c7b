import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import { redactLogValue, redactText } from './redact-text';

/** Fields stamped on every line of a piece of work; `requestId` is the correlation id. */
export type LogContext = Record<string, string | number>;

const logContext = new AsyncLocalStorage<LogContext>();

/**
 * Runs `fn` so that every log line written during it, by any logger and at any depth (SQL, services,
 * the jobs it queues), carries `fields` on top of the current context: the request id follows the work
 * without being passed around.
 */
export function runWithLogContext<T>(fields: LogContext, fn: () => T): T {
  return logContext.run({ ...logContext.getStore(), ...fields }, fn);
}

/**
 * Runs `fn` in a context of `fields` alone. For work that starts a story of its own (a socket event, a job)
 * from wherever it was dispatched: the fields of whatever ran before must not stick to it.
 */
export function runInNewLogContext<T>(fields: LogContext, fn: () => T): T {
  return logContext.run({ ...fields }, fn);
}

/** The correlation id of the work running now (a request, a socket event, a job), if any. */
export function currentRequestId(): string | undefined {
  const id = logContext.getStore()?.requestId;
  return id === undefined ? undefined : String(id);
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

/**
 * The last line of defence, on the finished line: personal data and credentials inside any string (an
 * error message, a URL, a SQL statement) become placeholders, and message bodies go unless debugging.
 */
function redactLine(line: string, keepBodies: boolean): string {
  try {
    return `${JSON.stringify(redactLogValue(JSON.parse(line), keepBodies))}\n`;
  } catch {
    return redactText(line);
  }
}

/**
 * A JSON logger to standard output (or `destination`), with redaction and the log context on every line.
 * Message bodies are logged at `debug` and `trace` only.
 */
export function createLogger(
  options: { level: LevelWithSilent; name: string },
  destination?: DestinationStream,
): Logger {
  const keepBodies = options.level === 'debug' || options.level === 'trace';
  return pino(
    {
      name: options.name,
      level: options.level,
      redact: { paths: redactedPaths, censor: '[redacted]' },
      base: { service: options.name },
      timestamp: pino.stdTimeFunctions.isoTime,
      // A copy: pino merges each line's fields into what mixin returns.
      mixin: () => ({ ...logContext.getStore() }),
      hooks: { streamWrite: (line) => redactLine(line, keepBodies) },
    },
    destination,
  );
}

export type { Logger };

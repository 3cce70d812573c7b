/**
 * HTTP load through autocannon, with every response kept (time, latency, status) so that the figures can
 * be cut by kind and by time, and with the errors told apart: HTTP statuses, 429s by the limit that
 * refused them (its RateLimit-Limit) and whether they said when to retry, socket errors and timeouts.
 */
import autocannon, { type Request } from 'autocannon';

export interface HttpLoadOptions {
  /** Origin of the server, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** The requests each connection sends in turn (`setupRequest` may vary them). */
  requests: Request[];
  connections: number;
  /** Stop after this many responses (a burst). */
  amount?: number;
  /** Requests a second over all connections; autocannon spreads it, so each connection sends at most its share. */
  overallRate?: number;
  /** Run this long, when no `amount` is given. */
  seconds?: number;
  timeoutSeconds?: number;
}

export interface HttpSample {
  /** Milliseconds from the start of the run to the request. */
  at: number;
  ms: number;
  status: number;
}

export interface HttpLoadResult {
  samples: HttpSample[];
  /**
   * From the first request to the last answer. Not autocannon's own duration: it ends a run only at its next
   * one-second tick, which would cap a one-second burst's rate at its size.
   */
  seconds: number;
  /** 429 answers by the `RateLimit-Limit` they carried ('none' without one). */
  limited: Map<string, number>;
  /** 429 answers without a Retry-After header. */
  limitedWithoutRetryAfter: number;
  timeouts: number;
  /** Connection errors by code (ECONNRESET, …). */
  socketErrors: Map<string, number>;
}

const header = (headers: Record<string, unknown> | undefined, name: string) =>
  Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];

/** Runs one autocannon load to its end. */
export function runHttpLoad(options: HttpLoadOptions): Promise<HttpLoadResult> {
  if (options.overallRate && options.connections > options.overallRate) {
    // autocannon gives each connection `floor(rate / connections)` a second: a zero would mean no limit at all.
    throw new RangeError(
      `connections (${options.connections}) must not exceed the rate (${options.overallRate}/s)`,
    );
  }
  const result: HttpLoadResult = {
    samples: [],
    seconds: 0,
    limited: new Map(),
    limitedWithoutRetryAfter: 0,
    timeouts: 0,
    socketErrors: new Map(),
  };
  const onResponse = (status: number, _body: string, _context: object, headers?: Record<string, unknown>) => {
    if (status !== 429) return;
    const limit = String(header(headers, 'ratelimit-limit') ?? 'none');
    result.limited.set(limit, (result.limited.get(limit) ?? 0) + 1);
    if (header(headers, 'retry-after') === undefined) result.limitedWithoutRetryAfter++;
  };
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const instance = autocannon(
      {
        url: options.url,
        requests: options.requests.map((request) => ({ ...request, onResponse })),
        connections: options.connections,
        amount: options.amount,
        overallRate: options.overallRate,
        duration: options.seconds ?? 10,
        timeout: options.timeoutSeconds ?? 10,
      },
      (error) => {
        if (error) return reject(error);
        const first = Math.min(...result.samples.map((sample) => sample.at));
        const last = Math.max(...result.samples.map((sample) => sample.at + sample.ms));
        result.seconds = result.samples.length ? (last - first) / 1000 : (performance.now() - started) / 1000;
        resolve(result);
      },
    );
    instance.on('response', (_client, status, _bytes, ms) =>
      result.samples.push({ at: performance.now() - started - ms, ms, status }),
    );
    instance.on('reqError', (error: NodeJS.ErrnoException) => {
      if (error.message === 'request timed out') result.timeouts++;
      else
        result.socketErrors.set(
          error.code ?? error.message,
          (result.socketErrors.get(error.code ?? error.message) ?? 0) + 1,
        );
    });
  });
}

/** JSON body and headers of a request, for autocannon's `requests`. */
export function jsonRequest(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Request {
  return {
    method,
    path,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
}

import type { ClientOptions } from 'openai';
import { ChatModelError } from './chat-model';

type Fetch = NonNullable<ClientOptions['fetch']>;

/** Limits of {@link RequestGuard}. */
export interface RequestGuardOptions {
  /** Longest silence of the provider while an attempt is under way: before its headers or between chunks. */
  idleMs: number;
  /** Longest the whole request may take, the SDK's retries and their waits included. */
  totalMs: number;
  /** The caller's abort. */
  signal?: AbortSignal | undefined;
}

/**
 * Watches one streamed request so that a provider that hangs cannot hold a visitor's answer forever, and
 * keeps the SDK's retries within what the caller can wait.
 *
 * The SDK's own `timeout` only covers the wait for response headers: once a stream has started, a
 * provider that stops sending holds the request open indefinitely. Give the SDK {@link signal} and
 * {@link fetch}: the fetch marks each attempt, {@link touch} each chunk read, and silence beyond `idleMs`
 * during an attempt, the whole request beyond `totalMs`, or the caller's abort abort the request with
 * {@link failure} set. The SDK's waits between retries are not counted as silence (they are bounded by
 * the total): the provider told us to wait, it did not hang.
 */
export class RequestGuard {
  /** Aborts the request; pass it to the SDK. */
  readonly signal: AbortSignal;
  /** Why the request was cut off, once it was: `timeout` or `aborted`. */
  failure: ChatModelError | undefined;
  private readonly controller = new AbortController();
  private readonly deadline: number;
  private readonly totalTimer: NodeJS.Timeout;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: RequestGuardOptions) {
    this.signal = this.controller.signal;
    this.deadline = performance.now() + options.totalMs;
    this.totalTimer = setTimeout(
      () => this.cut(timedOut(`OpenAI took more than ${seconds(options.totalMs)} to answer`)),
      options.totalMs,
    );
    const caller = options.signal;
    if (caller?.aborted) this.onCallerAbort();
    else caller?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  /** The provider has just sent something, or an attempt starts: it has `idleMs` again for what comes next. */
  touch(): void {
    if (this.failure) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(
      () => this.cut(timedOut(`OpenAI sent nothing for ${seconds(this.options.idleMs)}`)),
      this.options.idleMs,
    );
  }

  /**
   * A fetch for the SDK (`fetch` of its client options) that counts each attempt's silence, and turns off
   * the SDK's retry of a failure that waiting cannot fix in time (see {@link adviseRetry}).
   */
  readonly fetch: Fetch = async (input, init) => {
    this.touch();
    let response: Response;
    try {
      response = await globalThis.fetch(input, init);
    } catch (error) {
      this.pause();
      throw error;
    }
    if (response.ok) {
      this.touch();
      return response;
    }
    this.pause();
    return adviseRetry(response, this.deadline - performance.now());
  };

  /**
   * Settles as `promise` does, or rejects with {@link failure} as soon as the request is cut off. The SDK
   * sleeps out its retry backoff without looking at the signal, so awaiting it alone could outlast an abort
   * by the whole of a Retry-After.
   */
  race<T>(promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onCut = () => reject(this.failure);
      if (this.failure) onCut();
      else this.signal.addEventListener('abort', onCut, { once: true });
      promise.then(resolve, reject).finally(() => this.signal.removeEventListener('abort', onCut));
    });
  }

  /** Stops the timers and lets go of the caller's signal; call it when the request is over. */
  dispose(): void {
    clearTimeout(this.totalTimer);
    this.pause();
    this.options.signal?.removeEventListener('abort', this.onCallerAbort);
  }

  private pause(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private readonly onCallerAbort = (): void => {
    this.cut(ChatModelError.aborted(this.options.signal?.reason));
  };

  private cut(failure: ChatModelError): void {
    if (this.failure) return;
    this.failure = failure;
    this.dispose();
    this.controller.abort(failure);
  }
}

function timedOut(what: string): ChatModelError {
  return new ChatModelError('timeout', `${what}, so the answer was cut off. Try again later.`);
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

/**
 * Tells the SDK not to retry (with `x-should-retry: false`, which it obeys before its own rules) a failure
 * that waiting will not fix in time: a 429 for a spent quota, which it would otherwise retry like a rate
 * limit, and a Retry-After longer than the time left, which it would sleep through for nothing.
 */
async function adviseRetry(response: Response, remainingMs: number): Promise<Response> {
  const wait = retryAfterMs(response.headers);
  let hopeless = wait !== undefined && wait > remainingMs;
  if (!hopeless && response.status === 429) {
    const body: unknown = await response
      .clone()
      .json()
      .catch(() => undefined);
    hopeless = (body as { error?: { code?: unknown } } | undefined)?.error?.code === 'insufficient_quota';
  }
  if (!hopeless) return response;
  const headers = new Headers(response.headers);
  headers.set('x-should-retry', 'false');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** The wait a response asks for, read as the SDK reads it (`retry-after-ms`, else `retry-after`). */
function retryAfterMs(headers: Headers): number | undefined {
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (!Number.isNaN(ms)) return ms;
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number.parseFloat(value);
  if (!Number.isNaN(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : date - Date.now();
}

/**
 * An open-loop load at a fixed rate: the i-th call starts at `i / rate` seconds whether or not the earlier
 * ones have finished, as independent users would, so a slow server shows as latency (and calls in
 * flight), not as a lower rate hiding it. For clients autocannon cannot drive (the chromadb client), and
 * for what is compared with them, so both sides are paced by the same code.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface PacedResult {
  /** Each call that succeeded: when it started (ms from the start of the run) and its latency (ms). */
  samples: Array<{ at: number; ms: number }>;
  seconds: number;
  /** Failed calls by kind: `HTTP 500`, `timeout`, a socket error's code. */
  errors: Map<string, number>;
  /** Most calls in flight at once. */
  maxInFlight: number;
}

/** A failed call, with the kind the report counts it under. */
export class CallError extends Error {
  constructor(readonly kind: string) {
    super(kind);
  }
}

const TICK_MS = 5;

/**
 * Calls `call` `rate` times a second for `seconds`, or until `until` is aborted, when a run lasts as long
 * as something else does; a call still running after `timeoutMs` counts as a timeout (its signal is
 * aborted).
 */
export async function paced(
  rate: number,
  seconds: number,
  call: (signal: AbortSignal) => Promise<void>,
  timeoutMs = 10_000,
  until?: AbortSignal,
): Promise<PacedResult> {
  const result: PacedResult = { samples: [], seconds: 0, errors: new Map(), maxInFlight: 0 };
  const total = Math.round(rate * seconds);
  const running = new Set<Promise<void>>();
  const started = performance.now();
  const one = async () => {
    const t0 = performance.now();
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      await Promise.race([
        call(signal),
        new Promise((_, reject) => signal.addEventListener('abort', () => reject(new CallError('timeout')))),
      ]);
      result.samples.push({ at: t0 - started, ms: performance.now() - t0 });
    } catch (error) {
      const kind = kindOf(error);
      result.errors.set(kind, (result.errors.get(kind) ?? 0) + 1);
    }
  };
  for (let sent = 0; sent < total && !until?.aborted;) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
    for (; sent < due; sent++) {
      const promise = one().finally(() => running.delete(promise));
      running.add(promise);
    }
    result.maxInFlight = Math.max(result.maxInFlight, running.size);
    await sleep(TICK_MS);
  }
  await Promise.all(running);
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

/** The kind a failed call is counted under: a CallError's, `timeout`, or the socket error's code. */
export function kindOf(error: unknown): string {
  if (error instanceof CallError) return error.kind;
  // fetch may see the abort before the race does.
  if (error instanceof DOMException && ['TimeoutError', 'AbortError'].includes(error.name)) return 'timeout';
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error as { code?: string }).code ?? String(error);
}

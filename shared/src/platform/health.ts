import type { HealthCheckName, HealthCheckResult, HealthResponse } from '../api/health.schema';

export type HealthCheck = () => Promise<HealthCheckResult>;

/** Times a probe and turns its outcome into a check result; a probe that throws or hangs is `down`. */
export function probe(driver: string, run: () => Promise<unknown>, timeoutMs = 2000): HealthCheck {
  return async () => {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        run(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      return { status: 'ok', driver, latencyMs: Math.round(performance.now() - started) };
    } catch (error) {
      return { status: 'down', driver, error: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  };
}

/** A dependency that lives inside the process and is up whenever the process is. */
export const inProcess =
  (driver: string): HealthCheck =>
  async () => ({ status: 'ok', driver });

/** Runs every check in parallel; the platform is `degraded` (and answers 503) when any check is down. */
export async function runHealthChecks(checks: Record<HealthCheckName, HealthCheck>): Promise<HealthResponse> {
  const names = Object.keys(checks) as HealthCheckName[];
  const results = await Promise.all(names.map((name) => checks[name]()));
  const byName = Object.fromEntries(names.map((name, i) => [name, results[i]!])) as HealthResponse['checks'];
  return { status: results.some((result) => result.status === 'down') ? 'degraded' : 'ok', checks: byName };
}

export const HealthCheckNames = ['database', 'vectorStore', 'queue', 'cache', 'ai', 'storage'] as const;
export type HealthCheckName = (typeof HealthCheckNames)[number];

export interface HealthCheckResult {
  /** `disabled` marks an optional dependency that is not configured; it never fails the check. */
  status: 'ok' | 'down' | 'disabled';
  /** Which adapter answered (sqlite, postgresql, redis, memory, …). */
  driver: string;
  latencyMs?: number;
  error?: string;
}

/** The readiness check (`GET /api/health`): whether this process should be sent new work. */
export interface HealthResponse {
  /**
   * `degraded` when a dependency is down; `draining` once the process is shutting down, whatever its
   * dependencies say (it finishes what it has and takes nothing new). Both answer 503.
   */
  status: 'ok' | 'degraded' | 'draining';
  checks: Record<HealthCheckName, HealthCheckResult>;
}

/** The liveness check (`GET /api/health/live`): the process runs and answers; no dependency is asked. */
export interface LivenessResponse {
  status: 'ok';
}

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

export interface HealthResponse {
  status: 'ok' | 'degraded';
  checks: Record<HealthCheckName, HealthCheckResult>;
}

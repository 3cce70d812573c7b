import { z } from 'zod';

/** The variables of /metrics that servers and workers both read. */
export const metricsEnvShape = {
  /**
   * When set, /metrics answers only `Authorization: Bearer <token>`; unset, it is open (the load balancer
   * keeps it from the public, and Prometheus scrapes each process on the internal network).
   */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters (openssl rand -hex 32)').optional(),
};

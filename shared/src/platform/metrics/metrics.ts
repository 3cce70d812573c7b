import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Every metric of the platform, defined once for the whole process: tests run several servers in one
 * process, and a metric registered twice throws. Labels hold nothing of a tenant's beyond bot ids (no
 * names, emails or questions) and only values from bounded sets (route patterns, job and event names).
 */
export const metricsRegistry = new Registry();

// CPU, memory, event-loop lag, GC, handles: the standard names (process_*, nodejs_*) dashboards expect.
collectDefaultMetrics({ register: metricsRegistry });

const registers = [metricsRegistry];

export const httpRequests = new Counter({
  name: 'chatbot_http_requests_total',
  help: 'HTTP requests answered, by method, route pattern and status code.',
  labelNames: ['method', 'route', 'status_code'] as const,
  registers,
});

export const httpRequestDuration = new Histogram({
  name: 'chatbot_http_request_duration_seconds',
  help: 'Time to answer an HTTP request, by method and route pattern (streamed answers excluded).',
  labelNames: ['method', 'route'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
  registers,
});

export const socketConnections = new Gauge({
  name: 'chatbot_socket_connections',
  help: 'Socket.IO connections open on this process, by namespace.',
  labelNames: ['namespace'] as const,
  registers,
});

export const socketEvents = new Counter({
  name: 'chatbot_socket_events_total',
  help: 'Socket.IO events received, by namespace, event and outcome (ok, an error code, or no_ack).',
  labelNames: ['namespace', 'event', 'outcome'] as const,
  registers,
});

export const jobDuration = new Histogram({
  name: 'chatbot_job_duration_seconds',
  help: 'Time one attempt of a background job took, by job name and outcome (completed or failed).',
  labelNames: ['job_name', 'outcome'] as const,
  buckets: [0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600],
  registers,
});

export const realtimeEventsDropped = new Counter({
  name: 'chatbot_realtime_events_dropped_total',
  help: 'Live events (Socket.IO adapter and emitter publishes) dropped because Redis was unreachable.',
  registers,
});

export const jobFailures = new Counter({
  name: 'chatbot_job_failures_total',
  help: 'Failed attempts of background jobs, by job name and whether the attempt was the last one.',
  labelNames: ['job_name', 'final'] as const,
  registers,
});

export const llmTokens = new Counter({
  name: 'chatbot_llm_tokens_total',
  help: 'Tokens spent on answers (question rewrites included), by bot and kind (prompt or completion).',
  labelNames: ['bot_id', 'kind'] as const,
  registers,
});

export const llmCost = new Counter({
  name: 'chatbot_llm_cost_usd_total',
  help: 'What answers cost at list prices, in US dollars, by bot.',
  labelNames: ['bot_id'] as const,
  registers,
});

export const timeToFirstToken = new Histogram({
  name: 'chatbot_time_to_first_token_seconds',
  help: 'From the start of an answer (retrieval included) to its first text, by source (model, cache or abstention).',
  labelNames: ['source'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 20],
  registers,
});

export const retrievalDuration = new Histogram({
  name: 'chatbot_retrieval_duration_seconds',
  help: 'Time of one hybrid search (vector and keyword) over a collection.',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
  registers,
});

export const cacheLookups = new Counter({
  name: 'chatbot_cache_lookups_total',
  help: 'Cache reads, by cache (the key prefix: bot-config, answer, kb-version) and result (hit or miss).',
  labelNames: ['cache', 'result'] as const,
  registers,
});

export const rateLimitRejections = new Counter({
  name: 'chatbot_rate_limit_rejections_total',
  help: 'Requests and socket events refused by a rate limiter, by limiter.',
  labelNames: ['limiter'] as const,
  registers,
});

/** Jobs waiting, delayed or running of one queue, by job name. */
export type QueueDepthSource = () => Promise<Record<string, number>>;

const depthSources = new Set<QueueDepthSource>();

/** Long enough for a healthy Redis, short enough that a scrape never hangs on one that is down. */
const depthTimeoutMs = 2000;

export const queueDepth = new Gauge({
  name: 'chatbot_queue_depth',
  help: 'Jobs waiting, delayed or running, by job name, read from the queue at scrape time.',
  labelNames: ['job_name'] as const,
  registers,
  async collect() {
    const totals = new Map<string, number>();
    for (const source of depthSources) {
      const depths = await withTimeout(source(), depthTimeoutMs).catch(() => null);
      // A queue that cannot be read now reports nothing this time, rather than a misleading zero.
      for (const [name, count] of Object.entries(depths ?? {})) {
        totals.set(name, (totals.get(name) ?? 0) + count);
      }
    }
    this.reset();
    for (const [name, count] of totals) this.set({ job_name: name }, count);
  },
});

/**
 * Makes a queue's depth part of every scrape (the queue calls it when it opens).
 * @returns the function that stops it (called when the queue closes).
 */
export function reportQueueDepth(source: QueueDepthSource): () => void {
  depthSources.add(source);
  return () => depthSources.delete(source);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

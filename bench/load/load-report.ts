/** How bench:load prints its figures: latency rows, counts of errors by kind, and process usage. */
import { mb, ratio } from '../chat-harness';
import { formatRow, type LatencyReport } from '../latency';
import type { HttpLoadResult } from './http-load';
import type { ProcessUsage } from './process-usage';

/** Counts by kind (errors, statuses), in the order first seen. */
export type Counts = Map<string, number>;

/** Adds `by` to the count of `kind`. */
export function count(counts: Counts, kind: string, by = 1): void {
  counts.set(kind, (counts.get(kind) ?? 0) + by);
}

/** `429 x12, timeout x1`, or `none`. */
export function formatCounts(counts: Counts): string {
  const entries = [...counts].filter(([, n]) => n > 0);
  return entries.length ? entries.map(([kind, n]) => `${kind} x${n}`).join(', ') : 'none';
}

/** A latency row, or a note for a row without samples (every request failed). */
export function row(name: string, latency: LatencyReport): string {
  return latency.requests ? formatRow(name, latency) : `${name.padEnd(34)} no successful samples`;
}

/** `p50 1.2x, p95 1.5x, throughput 0.800x` of the platform over the baseline. */
export const ratioLine = (label: string, platform: LatencyReport, baseline: LatencyReport) =>
  `ratio ${label}: ${platform.requests && baseline.requests ? ratio(platform, baseline) : 'n/a'}`;

/** Each process's CPU (percent of one core over the phase) and peak RSS. */
export function usageLine(usages: ProcessUsage[]): string {
  return usages
    .map((usage) => `${usage.name} ${usage.cpuPercent.toFixed(0)}% of a core, RSS peak ${mb(usage.peakRss)}`)
    .join('; ');
}

/** One process's CPU and memory over another's (the server's over the baseline's, by default). */
export function usageRatio(
  platform: ProcessUsage,
  baseline: ProcessUsage,
  label = 'server/baseline',
): string {
  return (
    `ratio ${label}: CPU ${(platform.cpuPercent / baseline.cpuPercent).toFixed(1)}x, ` +
    `RSS peak ${(platform.peakRss / baseline.peakRss).toFixed(1)}x`
  );
}

/** This process's share of a core since `since` (process.cpuUsage()): near 100%, the clients set the pace. */
export function driverLine(since: NodeJS.CpuUsage, seconds: number): string {
  const used = process.cpuUsage(since);
  return `driver (this process: clients, fake model) ${((used.user + used.system) / 10_000 / seconds).toFixed(0)}% of a core`;
}

/** Statuses, 429s by limit, socket errors and timeouts of an HTTP load. */
export function httpErrors(result: HttpLoadResult): Counts {
  const counts: Counts = new Map();
  for (const sample of result.samples)
    if (sample.status >= 400 && sample.status !== 429) count(counts, `HTTP ${sample.status}`);
  for (const [limit, n] of result.limited) count(counts, `429 (RateLimit-Limit ${limit})`, n);
  for (const [code, n] of result.socketErrors) count(counts, `socket ${code}`, n);
  count(counts, 'timeout', result.timeouts);
  return counts;
}

/** Latencies (ms) of the answers with `status` in `ok`. */
export const succeeded = (result: HttpLoadResult, ok = (status: number) => status < 400) =>
  result.samples.filter((sample) => ok(sample.status)).map((sample) => sample.ms);

/** Latency sampling shared by the benchmarks: a fixed number of requests from a pool of concurrent clients. */
export interface LatencyReport {
  requests: number;
  seconds: number;
  p50: number;
  p95: number;
  p99: number;
  throughput: number;
}

export async function measure(
  requests: number,
  concurrency: number,
  send: () => Promise<void>,
): Promise<LatencyReport> {
  const samples: number[] = [];
  let next = 0;
  const started = performance.now();
  const client = async () => {
    while (next < requests) {
      next++;
      const t0 = performance.now();
      await send();
      samples.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  const seconds = (performance.now() - started) / 1000;
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { requests, seconds, p50: at(0.5), p95: at(0.95), p99: at(0.99), throughput: requests / seconds };
}

export function formatRow(name: string, report: LatencyReport): string {
  const ms = (value: number) => `${value.toFixed(2).padStart(8)} ms`;
  return `${name.padEnd(34)} p50 ${ms(report.p50)}  p95 ${ms(report.p95)}  p99 ${ms(report.p99)}  ${report.throughput.toFixed(0).padStart(6)} req/s`;
}

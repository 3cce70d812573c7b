/**
 * CPU and memory of the processes under load, read from /proc while a phase runs: CPU as a share of one
 * core over the phase (utime + stime), memory as the highest resident set seen. Read from outside, so the
 * figures cost the measured process nothing and need nothing from it (no metrics endpoint, no IPC).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** A process to watch, by the name the report gives it. */
export interface WatchedProcess {
  name: string;
  pid: number;
}

/** What one process used over a phase. */
export interface ProcessUsage {
  name: string;
  /** CPU time over the phase as a share of one core, in percent (200 is both cores of this machine). */
  cpuPercent: number;
  cpuSeconds: number;
  /** Highest resident set size sampled during the phase, in bytes. */
  peakRss: number;
}

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user and system) a process has used so far; 0 once it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name, in parentheses, may hold spaces: count fields from after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of proc(5); fields[0] here is field 3 (the state).
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return 0;
  }
}

function rssBytes(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Number(kb ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/**
 * Starts watching `processes`; the returned function stops and reports each one's usage since the start,
 * CPU as a share of `seconds` when given (a load's active span, when the watch also covered idle time
 * around it), else of the time watched. Memory is sampled every `sampleMs`.
 */
export function watchProcesses(
  processes: WatchedProcess[],
  sampleMs = 250,
): (seconds?: number) => ProcessUsage[] {
  const started = performance.now();
  const from = processes.map((watched) => cpuSeconds(watched.pid));
  const peaks = processes.map((watched) => rssBytes(watched.pid));
  const sample = () =>
    processes.forEach((watched, i) => (peaks[i] = Math.max(peaks[i]!, rssBytes(watched.pid))));
  const timer = setInterval(sample, sampleMs);
  return (seconds = (performance.now() - started) / 1000) => {
    clearInterval(timer);
    sample();
    return processes.map((watched, i) => {
      const used = cpuSeconds(watched.pid) - from[i]!;
      return { name: watched.name, cpuPercent: (100 * used) / seconds, cpuSeconds: used, peakRss: peaks[i]! };
    });
  };
}

/** The process ids of `pid`'s children whose command line contains `name` (an embedded Chroma), from /proc. */
export function childrenOf(pid: number, name: string): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`)
      .flatMap((task) =>
        readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
      )
      .filter((child) => readFileSync(`/proc/${child}/cmdline`, 'utf8').includes(name));
  } catch {
    return [];
  }
}

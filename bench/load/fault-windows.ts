/**
 * The faults scenario's figures over a stretch of a run, from the attempts given that started in it (the
 * scenario gives a quiet period only those that also ended before the next fault): how many,
 * which failed and how, their p95; and, after a fault, how long recovery took, by two measures:
 *
 * - first success: from the fault's end until the first attempt that started after the end and
 *   succeeded had finished;
 * - at baseline: from the fault's end to the start of the first 1-second bin (attempts binned by start,
 *   from the end on) from which every bin up to the end of the quiet period after the fault has an error
 *   rate within 5 percentage points of the baseline window's; a bin without attempts counts as within.
 */
import { summarise } from '../chat-harness';
import type { Attempt } from './fault-clients';
import { count, type Counts } from './load-report';

export const BIN_MS = 1000;
/** Above the baseline's error rate by more than this, a bin has not recovered. */
export const TOLERANCE = 0.05;

/** A stretch of the run, in ms from its start: attempts with `from <= at < to` fall in it. */
export interface Period {
  from: number;
  to: number;
}

export interface WindowFigures {
  attempted: number;
  errors: number;
  errorRate: number;
  byKind: Counts;
  /** Of the successes' latency (ms); null without any success. */
  p95: number | null;
}

export interface Recovery {
  /** Ms, or null when no attempt started in the quiet period succeeded. */
  firstSuccess: number | null;
  /** Ms, or null when the quiet period's last bin was still above the baseline. */
  atBaseline: number | null;
}

const within = (attempts: Attempt[], { from, to }: Period) =>
  attempts.filter((attempt) => attempt.at >= from && attempt.at < to);

export function figures(attempts: Attempt[], period: Period): WindowFigures {
  const inside = within(attempts, period);
  const failed = inside.filter((attempt) => attempt.error !== null);
  const byKind: Counts = new Map();
  for (const attempt of failed) count(byKind, attempt.error!);
  const successes = inside.filter((attempt) => attempt.error === null).map((attempt) => attempt.ms);
  return {
    attempted: inside.length,
    errors: failed.length,
    errorRate: inside.length ? failed.length / inside.length : 0,
    byKind,
    p95: successes.length ? summarise(successes, 1).p95 : null,
  };
}

/** Recovery after a fault that ended at `end`, over the quiet period up to `until`. */
export function recovery(attempts: Attempt[], end: number, until: number, baselineRate: number): Recovery {
  const after = within(attempts, { from: end, to: until });
  const finished = after
    .filter((attempt) => attempt.error === null)
    .map((attempt) => attempt.at + attempt.ms);
  // Whole bins only: the last takes the remainder, so no sliver of a bin without attempts ends the run.
  const bins = Math.max(1, Math.floor((until - end) / BIN_MS));
  const recovered = Array.from({ length: bins }, (_, i) => {
    const bin = figures(after, {
      from: end + i * BIN_MS,
      to: i === bins - 1 ? until : end + (i + 1) * BIN_MS,
    });
    return bin.errorRate <= baselineRate + TOLERANCE;
  });
  const firstOfLastRun = recovered.lastIndexOf(false) + 1;
  return {
    firstSuccess: finished.length ? Math.min(...finished) - end : null,
    atBaseline: firstOfLastRun < bins ? firstOfLastRun * BIN_MS : null,
  };
}

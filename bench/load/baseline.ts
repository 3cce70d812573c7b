/** Starts bench/load/baseline-node.ts, the raw servers the platform's figures are compared with. */
import { fileURLToPath } from 'node:url';
import { startNodeProcess, stopProcess } from '../../server/src/testing/processes';
import { keepTail } from './output-tail';

/** One canned answer: `path` may name parameters (`/api/public/bot/:botId/config`). */
export interface BaselineRoute {
  method: 'GET' | 'POST';
  path: string;
  status: number;
  body: unknown;
  /** Wait this long before answering (the model's time, for a route that waits for a whole answer). */
  delayMs?: number;
}

export interface BaselineSpec {
  routes: BaselineRoute[];
  /** The reply `message:send` streams: its pieces, and the pause between the fake model's chunks. */
  answer: { pieces: string[]; delayMs: number };
}

export interface Baseline {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** The pieces the fake OpenAI server streams `text` in (a word with the spaces before it). */
export const streamedPieces = (text: string): string[] => text.match(/\s*\S+|\s+/g) ?? [];

/**
 * How long the fake model takes to stream `text` whole: its opening chunk, each piece and its closing
 * chunk, each followed by `delayMs`.
 */
export const streamingMs = (text: string, delayMs: number) => (streamedPieces(text).length + 2) * delayMs;

/** Starts the baseline process with `spec`; resolves once it listens. */
export async function startBaseline(spec: BaselineSpec): Promise<Baseline> {
  const node = await startNodeProcess(
    fileURLToPath(new URL('./baseline-node.ts', import.meta.url)),
    { BASELINE_SPEC: JSON.stringify(spec) },
    /baseline listening at http:\/\/\S+\n/,
  );
  const url = /baseline listening at (http:\/\/\S+)\n/.exec(node.output())![1]!;
  let stopping = false;
  keepTail('baseline', node.child, () => stopping);
  return {
    url,
    pid: node.child.pid!,
    stop() {
      stopping = true;
      return stopProcess(node.child);
    },
  };
}

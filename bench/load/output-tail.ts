import type { ChildProcess } from 'node:child_process';

const TAIL_CHARACTERS = 16_384;

/**
 * Once a process started by `startNodeProcess` is up, keeps only the end of what it prints. The start-up
 * listener keeps the whole output and tests its ready pattern against all of it on every chunk: fine for a
 * test, but a server under load logs a line per request, and that rescan would cost this process (the load
 * driver) more CPU than the clients. The output is still read, so the child never blocks on a full pipe.
 * A crash during the run prints the tail; `stopping()` says when an exit is expected.
 * @returns the tail so far, for error messages.
 */
export function keepTail(name: string, child: ChildProcess, stopping: () => boolean): () => string {
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-TAIL_CHARACTERS);
  };
  for (const stream of [child.stdout, child.stderr]) {
    stream?.removeAllListeners('data');
    stream?.on('data', keep);
  }
  child.removeAllListeners('exit');
  child.once('exit', (code, signal) => {
    if (!stopping())
      console.error(`${name} exited (${code ?? signal}) during the run; its last output:\n${tail}`);
  });
  return () => tail;
}

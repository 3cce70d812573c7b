import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './free-port';

export interface PrivateRedis {
  url: string;
  /** Kills it at once, as a crash would. */
  stop(): Promise<void>;
  /** Kills it and starts it again on the same port (and, when persistent, from its append-only file). */
  restart(): Promise<void>;
}

/**
 * A throwaway redis-server on a free port, for tests that stop Redis (never the shared one). With
 * `persistDir` it keeps an append-only file there, synced on every write as production's AOF would be at
 * its safest, so a restart loses nothing.
 */
export async function startPrivateRedis(options: { persistDir?: string } = {}): Promise<PrivateRedis> {
  const port = await freePort();
  const persistence = options.persistDir
    ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', options.persistDir]
    : ['--appendonly', 'no'];
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence];
  let child = await launch(args);
  const stop = () => kill(child);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop,
    async restart() {
      await stop();
      child = await launch(args);
    },
  };
}

async function launch(args: string[]): Promise<ChildProcess> {
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Ready to accept connections')) resolve();
    });
  });
  return child;
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

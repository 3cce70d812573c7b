import { spawn, type ChildProcess } from 'node:child_process';

export interface NodeProcess {
  child: ChildProcess;
  /** Everything it printed so far, for failure messages. */
  output(): string;
}

/**
 * Runs one of the platform's entry points (`server/src/main.ts`, `worker/src/main.ts`) as its own process
 * with only the given environment, and resolves once its output matches `ready`.
 */
export function startNodeProcess(
  entry: string,
  env: Record<string, string>,
  ready: RegExp,
): Promise<NodeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) resolve({ child, output: () => output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code}:\n${output}`)));
  });
}

/**
 * Signals a process and resolves once it has exited; one that is still running after `graceMs` is
 * killed, so a shutdown that hangs fails its own test instead of holding the run open.
 */
export function stopProcess(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 20_000,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/** A server node in its own process; its URL is read from its "server listening" log line. */
export async function startServerProcess(env: Record<string, string>) {
  const node = await startNodeProcess(
    'server/src/main.ts',
    { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', DEMO_SEED: 'false', ...env },
    /"msg":"server listening"/,
  );
  const port = /"url":"http:\/\/localhost:(\d+)"/.exec(node.output())?.[1];
  if (!port) throw new Error(`no port in the server's output:\n${node.output()}`);
  return { ...node, url: `http://127.0.0.1:${port}` };
}

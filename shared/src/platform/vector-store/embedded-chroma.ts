import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from '../logger/logger';
import { OutputTail } from './output-tail';

/** Loopback only: the embedded server has no authentication, so nothing off this machine may reach it. */
const host = '127.0.0.1';
const heartbeatPollMs = 50;
const killGraceMs = 5_000;

export interface EmbeddedChromaOptions {
  /** The platform's DATA_DIR; Chroma persists under `<dataDir>/chroma`. */
  dataDir: string;
  logger?: Pick<Logger, 'info' | 'error'>;
  /** A fixed port; by default a free loopback port is picked. */
  port?: number;
  /** How long to wait for the first heartbeat (default 20 s). */
  startupTimeoutMs?: number;
  /** Called if the server exits on its own after start-up (it is not restarted). */
  onUnexpectedExit?: (exit: ChromaExit) => void;
}

export interface ChromaExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines the server printed (ANSI stripped). */
  output: string;
}

export interface EmbeddedChroma {
  /** Base URL for `new VectorStore(url)`, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** The server process id. */
  pid: number;
  /** Stops the server: SIGTERM, then SIGKILL after 5 s. Idempotent. */
  stop(): Promise<void>;
}

/** Start-up failed; the message quotes the server's last output lines. */
export class EmbeddedChromaStartError extends Error {
  override readonly name = 'EmbeddedChromaStartError';
}

/**
 * Runs the Chroma server that ships in the `chromadb` npm package as a child process, so a single-machine
 * install needs no separate vector database. Resolves once the server answers its heartbeat.
 */
export async function startEmbeddedChroma(options: EmbeddedChromaOptions): Promise<EmbeddedChroma> {
  const timeoutMs = options.startupTimeoutMs ?? 20_000;
  // A fixed port is checked up front: otherwise the heartbeat would be answered by whoever holds the port
  // (often an older Chroma) and we would report success for a server that is about to exit.
  const port = options.port ?? (await reservePort(0));
  if (options.port !== undefined) await reservePort(port);
  const path = resolve(join(options.dataDir, 'chroma'));
  await mkdir(path, { recursive: true });

  const startedAt = performance.now();
  const args = ['run', '--path', path, '--host', host, '--port', String(port)];
  // Output goes to a ring buffer, not the parent's stdio: the server prints a banner and a line per request.
  const child = spawn(
    process.execPath,
    ['--input-type=module', '-e', launcherSource(chromaCliPath()), ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      // A Rust backtrace of the binding's glue would push the panic message itself out of the ring buffer.
      env: { ...process.env, RUST_BACKTRACE: '0' },
      windowsHide: true,
    },
  );
  const tail = new OutputTail();
  child.stdout?.on('data', (chunk: Buffer) => tail.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => tail.push(chunk));

  let exit: ChromaExit | undefined;
  let ready = false;
  let stopping = false;
  const exited = new Promise<ChromaExit>((resolveExit) => {
    const settle = (code: number | null, signal: NodeJS.Signals | null) => {
      exit ??= { code, signal, output: tail.text() };
      resolveExit(exit);
    };
    child.once('error', (error) => {
      tail.push(`${error.message}\n`);
      settle(null, null);
    });
    child.once('close', settle);
  });
  // 'exit' listeners must be synchronous, so the strongest signal is sent at once rather than escalated.
  const killOnParentExit = () => child.kill('SIGKILL');
  process.once('exit', killOnParentExit);
  void exited.then((info) => {
    process.off('exit', killOnParentExit);
    // Before readiness the start-up error below reports the exit; after stop() it was asked for.
    if (!ready || stopping) return;
    options.logger?.error({ ...info, pid: child.pid }, 'embedded chroma exited');
    options.onUnexpectedExit?.(info);
  });

  const stop = async () => {
    stopping = true;
    if (!exit) {
      child.kill('SIGTERM');
      const escalate = setTimeout(() => child.kill('SIGKILL'), killGraceMs);
      await exited;
      clearTimeout(escalate);
    }
  };

  const url = `http://${host}:${port}`;
  try {
    await waitForHeartbeat(url, timeoutMs, () => exit);
  } catch (error) {
    await stop();
    const reason = (error as Error).message;
    throw new EmbeddedChromaStartError(
      `Embedded Chroma did not start on ${url} (data in ${path}): ${reason}\n` +
        `Last output:\n${indent(tail.text() || '(none)')}`,
    );
  }
  ready = true;
  const ms = Math.round(performance.now() - startedAt);
  options.logger?.info({ url, pid: child.pid, path, ms }, 'embedded chroma ready');
  return { url, pid: child.pid ?? -1, stop };
}

/**
 * The child's entry point: the chromadb CLI, plus an orphan guard. `cli()` of the native binding blocks the
 * child's JS thread for the server's life, so only a worker thread can keep watch: if this process dies
 * without running 'exit' handlers (SIGKILL, OOM killer), the child is re-parented and kills itself rather
 * than keep holding the port and the data directory.
 */
function launcherSource(cli: string): string {
  const watchdog = `const p = ${process.pid}; setInterval(() => { if (process.ppid !== p) process.kill(process.pid, 'SIGKILL'); }, 1000);`;
  return [
    `import { Worker } from 'node:worker_threads';`,
    `new Worker(${JSON.stringify(watchdog)}, { eval: true });`,
    // The CLI reads process.argv.slice(2); under -e argv has no script entry, so the CLI's path is inserted.
    `process.argv.splice(1, 0, ${JSON.stringify(cli)});`,
    `await import(${JSON.stringify(pathToFileURL(cli).href)});`,
  ].join('\n');
}

/**
 * The `chroma` CLI of the installed package, read from its package.json `bin`. Resolved through
 * createRequire because `import.meta.resolve` is missing when this file is loaded as CommonJS (mocha under
 * tsx does that), and found from the package root because the exports map hides package.json itself.
 */
function chromaCliPath(): string {
  const entry = createRequire(import.meta.url).resolve('chromadb');
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; bin?: Record<string, string> };
    if (pkg.name !== 'chromadb') continue;
    const cli = join(dir, pkg.bin?.chroma ?? 'dist/cli.mjs');
    if (existsSync(cli)) return cli;
    break;
  }
  throw new EmbeddedChromaStartError(`The chromadb CLI was not found next to ${entry}`);
}

/** Binds and releases `port` (0 = any) on loopback, returning the port; rejects readably if it is taken. */
function reservePort(port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new EmbeddedChromaStartError(
          error.code === 'EADDRINUSE'
            ? `Embedded Chroma cannot use port ${port} on ${host}: it is already in use`
            : `Embedded Chroma cannot use port ${port} on ${host}: ${error.message}`,
        ),
      ),
    );
    server.listen(port, host, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      server.close(() => resolvePort(bound));
    });
  });
}

async function waitForHeartbeat(
  url: string,
  timeoutMs: number,
  exited: () => ChromaExit | undefined,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const exit = exited();
    if (exit)
      throw new Error(`the server exited (code ${exit.code}, signal ${exit.signal}) before answering`);
    if (await answers(`${url}/api/v2/heartbeat`)) {
      // If our child has exited meanwhile, whatever answered was another process on the port.
      const late = exited();
      if (!late) return;
      throw new Error(`the server exited (code ${late.code}, signal ${late.signal}) during start-up`);
    }
    if (performance.now() > deadline) throw new Error(`no heartbeat within ${timeoutMs} ms`);
    await new Promise((resolveSleep) => setTimeout(resolveSleep, heartbeatPollMs));
  }
}

async function answers(heartbeatUrl: string): Promise<boolean> {
  try {
    const response = await fetch(heartbeatUrl, { signal: AbortSignal.timeout(1_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

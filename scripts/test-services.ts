/**
 * Finds or starts the PostgreSQL and Redis that the test suite needs. The shared local services (or those
 * named by TEST_DATABASE_URL / TEST_REDIS_URL) are used when they answer; otherwise private throwaway
 * instances are started from the binaries on the machine; with neither, the run stops and says what to install.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, chownSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { startEmbeddedChroma } from '../shared/src/platform/vector-store/embedded-chroma';
import { freePort } from '../server/src/testing/free-port';

export interface TestServices {
  databaseUrl: string;
  redisUrl: string;
  /** One Chroma for the whole run: every test bot has its own collection, so suites never meet. */
  chromaUrl: string;
  stop(): Promise<void>;
}

async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not start within ${timeoutMs} ms`);
}

function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  const dir = versions
    .map((version) => join(root, version, 'bin'))
    .find((bin) => existsSync(join(bin, 'initdb')));
  return dir ?? null;
}

function which(command: string): string | null {
  try {
    return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** PostgreSQL refuses to run as root, so a private cluster runs as the `postgres` user when we are root. */
function asPostgresUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

async function startPrivatePostgres(children: ChildProcess[], cleanups: string[]): Promise<string> {
  const bin = postgresBinDir();
  if (!bin) {
    throw new Error(
      'No PostgreSQL answers at TEST_DATABASE_URL and none is installed: apt-get install postgresql (or set TEST_DATABASE_URL).',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'test-pg-'));
  cleanups.push(dir);
  if (process.getuid?.() === 0) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), 0);
  const port = await freePort();
  const [initCmd, initArgs] = asPostgresUser(join(bin, 'initdb'), [
    '-D',
    join(dir, 'data'),
    '-A',
    'trust',
    '-U',
    'postgres',
  ]);
  execFileSync(initCmd, initArgs, { stdio: 'ignore' });
  const [cmd, args] = asPostgresUser(join(bin, 'postgres'), [
    '-D',
    join(dir, 'data'),
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
  ]);
  children.push(spawn(cmd, args, { stdio: 'ignore' }));
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await waitFor(() => postgresAnswers(url), 'the private PostgreSQL');
  return url;
}

async function startPrivateRedis(children: ChildProcess[]): Promise<string> {
  const server = which('redis-server');
  if (!server) {
    throw new Error(
      'No Redis answers at TEST_REDIS_URL and none is installed: apt-get install redis-server (or set TEST_REDIS_URL).',
    );
  }
  const port = await freePort();
  children.push(
    spawn(server, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    }),
  );
  const url = `redis://127.0.0.1:${port}`;
  await waitFor(() => redisAnswers(url), 'the private Redis');
  return url;
}

export async function ensureTestServices(): Promise<TestServices> {
  const children: ChildProcess[] = [];
  const cleanups: string[] = [];
  let stopChroma = async () => {};
  const stop = async () => {
    for (const child of children) child.kill('SIGTERM');
    await stopChroma();
    for (const dir of cleanups) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const wantedDb = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
    const databaseUrl = (await postgresAnswers(wantedDb))
      ? wantedDb
      : await startPrivatePostgres(children, cleanups);
    const wantedRedis = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
    const redisUrl = (await redisAnswers(wantedRedis)) ? wantedRedis : await startPrivateRedis(children);
    const chromaDir = mkdtempSync(join(tmpdir(), 'test-chroma-'));
    cleanups.push(chromaDir);
    const chroma = await startEmbeddedChroma({ dataDir: chromaDir });
    stopChroma = () => chroma.stop();
    return { databaseUrl, redisUrl, chromaUrl: chroma.url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

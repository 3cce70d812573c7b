import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Booted {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  url: string;
}

/** Starts the real entry point, as `npm start` does, and waits for its banner. */
function boot(env: Record<string, string>): Promise<Booted> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', ...env },
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /API: +(http:\/\/\S+)\/api/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, output: () => output, url: match[1]! });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before its banner:\n${output}`));
    });
  });
}

/** How the process ended: its exit code, or the signal that ended it (a crash shows here). */
function exitOf(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? `exit ${code}`)));
}

describe('npm start (server/src/main.ts)', () => {
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'boot-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('boots embedded on an empty DATA_DIR, seeds a demo whose login works, and stops cleanly on SIGTERM', async () => {
    const started = Date.now();
    const server = await boot({ DATA_DIR: dataDir });
    const health = await fetch(`${server.url}/api/health`);
    assert.equal(health.status, 200);
    console.log(`      booted to healthy in ${Date.now() - started} ms`);

    const email = /email: +(\S+)/.exec(server.output())?.[1];
    const password = /password: +(\S+)/.exec(server.output())?.[1];
    assert.ok(email && password, server.output());
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    assert.equal(login.status, 200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const bots = (await (
      await fetch(`${server.url}/api/chatbots`, { headers: { authorization: `Bearer ${accessToken}` } })
    ).json()) as {
      chatbots: { name: string; status: string }[];
    };
    assert.deepEqual(
      bots.chatbots.map((bot) => [bot.name, bot.status]),
      [['Demo Assistant', 'published']],
    );

    const exited = exitOf(server.child);
    server.child.kill('SIGTERM');
    assert.equal(await exited, 'exit 0', server.output().slice(-2000));
    assert.match(server.output(), /shutting down/);
  });

  it('keeps its data across restarts and does not seed or print a password again', async () => {
    const server = await boot({ DATA_DIR: dataDir });
    assert.doesNotMatch(server.output(), /password:/);
    const exited = exitOf(server.child);
    server.child.kill('SIGTERM');
    assert.equal(await exited, 'exit 0', server.output().slice(-2000));
  });

  it('refuses to start with a readable message when the configuration is wrong', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      env: {
        PATH: process.env.PATH,
        DATA_DIR: dataDir,
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        NODE_ENV: 'production',
      },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    assert.equal(await exitOf(child as ChildProcessWithoutNullStreams), 'exit 1');
    assert.match(stderr, /Invalid configuration/);
    assert.match(stderr, /^ {2}PORT: /m);
    assert.match(stderr, /^ {2}DATABASE_URL: /m);
    assert.doesNotMatch(stderr, /at .*\.ts:\d+/, 'no stack trace for a configuration error');
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port';

/** Debian's nginx (`apt-get install nginx`); another binary in NGINX_PATH. */
export const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';

const template = fileURLToPath(new URL('../../../deploy/nginx/chatbot.conf.template', import.meta.url));

export interface RunningNginx {
  url: string;
  stop(): Promise<void>;
}

/**
 * Fills in the load balancer's template as the nginx image does at start-up (envsubst of the variables
 * that are set), so tests run the very configuration that ships.
 */
export function renderTemplate(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/**
 * Debian's nginx in front of `upstreams` (host:port each), with the shipped template, in a directory of
 * its own. Each response says which upstream served it (`X-Upstream`), so a test knows where a client landed.
 */
export async function startNginx(upstreams: [string, string]): Promise<RunningNginx> {
  if (!existsSync(NGINX)) {
    throw new Error(
      `The scaled-topology test needs nginx at ${NGINX}: apt-get install nginx (or set NGINX_PATH).`,
    );
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'test-nginx-'));
  // nginx's workers run as nobody: they must reach the temporary files of request bodies.
  chmodSync(dir, 0o755);
  for (const temp of ['body', 'proxy']) chmodSync((mkdirSync(join(dir, temp)), join(dir, temp)), 0o777);
  const site = renderTemplate(readFileSync(template, 'utf8'), {
    CHATBOT_SERVER_1: upstreams[0],
    CHATBOT_SERVER_2: upstreams[1],
    NGINX_PORT: `127.0.0.1:${port}`,
  });
  writeFileSync(
    join(dir, 'nginx.conf'),
    [
      'worker_processes 1;',
      `pid ${join(dir, 'nginx.pid')};`,
      'events { worker_connections 1024; }',
      'http {',
      '  access_log off;',
      `  client_body_temp_path ${join(dir, 'body')};`,
      `  proxy_temp_path ${join(dir, 'proxy')};`,
      '  add_header X-Upstream $upstream_addr always;',
      site,
      '}',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(
    NGINX,
    ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  while (!(await answers(url))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nginx did not start: ${errors || readLog(dir)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        const done = () => (rmSync(dir, { recursive: true, force: true }), resolve());
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGQUIT');
      }),
  };
}

/** The upstream that served a GET sent from `localAddress` (a loopback address of 127.0.0.0/8). */
export function upstreamFor(url: string, localAddress: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request(`${url}/api/health`, { localAddress }, (response) => {
      response.resume();
      resolve(String(response.headers['x-upstream'] ?? ''));
    })
      .on('error', reject)
      .end();
  });
}

function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    request(url, (response) => (response.resume(), resolve(true)))
      .on('error', () => resolve(false))
      .end();
  });
}

function readLog(dir: string): string {
  const log = join(dir, 'error.log');
  return existsSync(log) ? readFileSync(log, 'utf8') : '(no error log)';
}

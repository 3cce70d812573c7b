import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ScanTarget } from './scan-targets';

const run = promisify(execFile);

/** sqlmap's custom injection marker: it injects where the request file has one, and nowhere else. */
const mark = '*';

/** What one sqlmap run said about one target. */
export interface SqlmapResult {
  target: string;
  /** The injection points sqlmap tested, as it names them (`(custom) POST parameter 'JSON #1*'`). */
  tested: string[];
  /** The lines in which sqlmap reports an injection (or a database error it could build one on). */
  injections: string[];
  /** How many of its requests got each HTTP status, from its traffic log. */
  statuses: Record<number, number>;
  durationMs: number;
  /** The whole console output, to show when something is off. */
  output: string;
}

/**
 * Where sqlmap says it found something: its verdict after its own false-positive checks (a parameter
 * that only "appears to be injectable" first may still be dropped), or a database error in an answer.
 * `might not be injectable` and `do not appear` are its all-clear.
 */
const injectionLines = [
  /identified the following injection point/,
  /parameter '.+' is vulnerable/,
  /might be injectable/,
  /^Parameter: /,
];

/** The string values of a JSON body with the marker after each, so that each is an injection point. */
function marked(value: unknown): unknown {
  if (typeof value === 'string') return `${value}${mark}`;
  if (Array.isArray(value)) return value.map(marked);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, each]) => [key, marked(each)]));
  }
  return value;
}

/** The target as a raw HTTP request (sqlmap's `-r` file), with the marker after each value to inject into. */
export function requestFile(target: ScanTarget, host: string): string {
  const inject = !target.injectAuthorization && !target.pathOnly;
  let path = target.path;
  if (!target.injectAuthorization) {
    for (const value of target.pathValues) path = path.replace(value, `${value}${mark}`);
  }
  const query = Object.entries(target.query)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}${inject ? mark : ''}`)
    .join('&');
  const headers = [`${target.method} ${path}${query ? `?${query}` : ''} HTTP/1.1`, `Host: ${host}`];
  headers.push('Accept: application/json');
  if (target.token)
    headers.push(`Authorization: Bearer ${target.token}${target.injectAuthorization ? mark : ''}`);
  let body = '';
  if (target.body && 'json' in target.body) {
    headers.push('Content-Type: application/json');
    body = JSON.stringify(inject ? marked(target.body.json) : target.body.json);
  } else if (target.body) {
    const boundary = '----sqlmap-scan-boundary';
    headers.push(`Content-Type: multipart/form-data; boundary=${boundary}`);
    body =
      Object.entries(target.body.form)
        .map(
          ([name, value]) =>
            `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}${inject ? mark : ''}\r\n`,
        )
        .join('') + `--${boundary}--\r\n`;
  }
  return `${headers.join('\r\n')}\r\n\r\n${body}`;
}

export interface SqlmapOptions {
  /** `host:port` of the server. */
  host: string;
  /** A directory of this run's own: request files, sqlmap's session, its logs. */
  workDir: string;
  /** Time-based blind tests too (`T`), for the targets that ask for it. */
  timeSeconds?: number;
}

/**
 * Runs Debian's sqlmap once against one target, bounded: level 2, risk 1, boolean, error, union and
 * stacked queries (and time-based where the target asks), PostgreSQL's payloads, no retries, a fresh
 * session. The per-address limiters see a random X-Forwarded-For on each payload (its `xforwardedfor`
 * tamper, honoured from loopback as from the deployment's proxy), so the payloads reach the handlers.
 */
export async function sqlmap(target: ScanTarget, options: SqlmapOptions): Promise<SqlmapResult> {
  const slug = target.name.replace(/[^\w]+/g, '_');
  const dir = join(options.workDir, slug);
  mkdirSync(dir, { recursive: true });
  const requestPath = join(dir, 'request.txt');
  const trafficPath = join(dir, 'traffic.txt');
  writeFileSync(requestPath, requestFile(target, options.host));
  const started = performance.now();
  const stdout = await exitedWith(
    run(
      'sqlmap',
      [
        '-r',
        requestPath,
        '--batch',
        // Without it sqlmap reads targets from a stdin that is not a terminal, and ignores `-r`.
        '--ignore-stdin',
        '--level=2',
        '--risk=1',
        `--technique=${target.timeBased ? 'BEUST' : 'BEUS'}`,
        `--time-sec=${options.timeSeconds ?? 2}`,
        '--dbms=PostgreSQL',
        '--timeout=10',
        '--retries=0',
        '--threads=4',
        '--flush-session',
        '--skip-waf',
        '--tamper=xforwardedfor',
        // Refusals are answers too (a wrong password, a mangled token, a random id to delete): sqlmap
        // stops at the first 401 or 404 otherwise. The caller checks that not everything was refused.
        '--ignore-code=401,404',
        `--output-dir=${join(dir, 'output')}`,
        `-t`,
        trafficPath,
        '--disable-coloring',
      ],
      { maxBuffer: 64 * 1024 * 1024, timeout: 180_000 },
    ),
  );
  const durationMs = performance.now() - started;
  const log = sessionLogs(join(dir, 'output'));
  const lines = `${stdout}\n${log}`.split('\n');
  const tested = [
    ...new Set(lines.flatMap((line) => /testing for SQL injection on (.+)$/.exec(line)?.[1]?.trim() ?? [])),
  ];
  const statuses: Record<number, number> = {};
  for (const [, status] of readFileSync(trafficPath, 'utf8').matchAll(
    /^HTTP response \[#\d+\] \((\d{3})/gm,
  )) {
    statuses[Number(status)] = (statuses[Number(status)] ?? 0) + 1;
  }
  return {
    target: target.name,
    tested,
    injections: lines.filter((line) => injectionLines.some((pattern) => pattern.test(line))),
    statuses,
    durationMs,
    output: stdout,
  };
}

/**
 * sqlmap's console output, whatever its exit code: it exits 1 after a CRITICAL message (a target that
 * answers the same whatever is sent, say), which the caller judges from the output. A timeout or a
 * signal is still an error.
 */
async function exitedWith(running: Promise<{ stdout: string }>): Promise<string> {
  try {
    return (await running).stdout;
  } catch (error) {
    const failed = error as { code?: unknown; killed?: boolean; stdout?: string };
    if (typeof failed.code === 'number' && !failed.killed && failed.stdout !== undefined)
      return failed.stdout;
    throw error;
  }
}

/** The `log` files sqlmap writes per host under its output directory: the injection points it found. */
function sessionLogs(outputDir: string): string {
  let hosts: string[];
  try {
    hosts = readdirSync(outputDir);
  } catch {
    return '';
  }
  return hosts
    .map((host) => {
      try {
        return readFileSync(join(outputDir, host, 'log'), 'utf8');
      } catch {
        return '';
      }
    })
    .join('\n');
}

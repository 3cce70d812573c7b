import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';

const run = promisify(execFile);

/**
 * The attack modules run. Left out: `ssrf` (it asks wapiti's own server on the internet whether the
 * target called it, and nothing here reaches the internet; URL import's address checks have their own
 * tests), `nikto`, `buster` and `wapp` (brute-force word lists and fingerprinting, not flaws), `xxe` and
 * `shellshock` (no XML parser, no CGI), and `http_headers`/`cookie`/`csp` (helmet's headers have their own tests).
 */
export const wapitiModules = [
  'exec',
  'file',
  'sql',
  'xss',
  'crlf',
  'redirect',
  'backup',
  'htaccess',
  'methods',
  'permanentxss',
  'blindsql',
  'timesql',
];

/** One entry of the report: a vulnerability, an anomaly (a 500, a timeout) or an additional finding. */
export interface WapitiFinding {
  section: 'vulnerabilities' | 'anomalies' | 'additionals';
  /** The report's category, e.g. `SQL Injection`, `Internal Server Error`. */
  category: string;
  method: string;
  path: string;
  parameter: string;
  info: string;
}

const entrySchema = z.object({
  method: z.string(),
  path: z.string(),
  info: z.string(),
  parameter: z.string().default(''),
});
const reportSchema = z.object({
  vulnerabilities: z.record(z.string(), z.array(entrySchema)),
  anomalies: z.record(z.string(), z.array(entrySchema)),
  additionals: z.record(z.string(), z.array(entrySchema)).default({}),
  infos: z.object({ target: z.string(), version: z.string() }),
});

/** Every entry of a wapiti JSON report (3.0.x), the three sections flattened. */
export function wapitiFindings(report: unknown): WapitiFinding[] {
  const parsed = reportSchema.parse(report);
  return (['vulnerabilities', 'anomalies', 'additionals'] as const).flatMap((section) =>
    Object.entries(parsed[section]).flatMap(([category, entries]) =>
      entries.map((entry) => ({ section, category, ...entry })),
    ),
  );
}

export interface WapitiOptions {
  /** The origin, `http://127.0.0.1:port`: the scope of the crawl. */
  origin: string;
  /** More pages to start from: API routes with their query strings, which no link leads to. */
  start: string[];
  /** Sent with every request, e.g. `Authorization: Bearer …`. */
  headers: string[];
  workDir: string;
  maxScanSeconds: number;
}

export interface WapitiRun {
  findings: WapitiFinding[];
  /** The URLs it crawled and attacked (`[+] GET …` lines of its console). */
  attacked: string[];
  durationMs: number;
  output: string;
}

/**
 * Crawls the origin from `/` and the start pages, and attacks what it found with {@link wapitiModules},
 * in `domain` scope (so it never leaves the loopback origin), within `maxScanSeconds`, from a fresh session.
 */
export async function wapiti(options: WapitiOptions): Promise<WapitiRun> {
  const reportPath = join(options.workDir, 'wapiti.json');
  const started = performance.now();
  const { stdout } = await run(
    'wapiti',
    [
      '-u',
      `${options.origin}/`,
      '--scope',
      'domain',
      ...options.start.flatMap((url) => ['-s', url]),
      ...options.headers.flatMap((header) => ['-H', header]),
      '-m',
      wapitiModules.join(','),
      '--max-scan-time',
      String(options.maxScanSeconds),
      '--max-attack-time',
      String(Math.ceil(options.maxScanSeconds / 4)),
      '--flush-session',
      '--store-session',
      join(options.workDir, 'session'),
      '--store-config',
      join(options.workDir, 'config'),
      '-t',
      '10',
      '-f',
      'json',
      '-o',
      reportPath,
      '--no-bugreport',
      '-v',
      '1',
    ],
    { maxBuffer: 64 * 1024 * 1024, timeout: (options.maxScanSeconds + 120) * 1000 },
  );
  const attacked = [
    ...new Set([...stdout.matchAll(/^\[\+\] (?:[A-Z]+ )?(\S+)/gm)].map((match) => match[1]!)),
  ];
  return {
    findings: wapitiFindings(JSON.parse(readFileSync(reportPath, 'utf8'))),
    attacked,
    durationMs: performance.now() - started,
    output: stdout,
  };
}

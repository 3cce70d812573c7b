/**
 * Fails on any advisory of high or critical severity against the production dependencies that the
 * reviewed allow-list (security/audit-allowlist.json) does not accept, on allow-list entries that have
 * expired, and on entries that no longer match anything.
 *
 *   node --import tsx scripts/audit-dependencies.ts [--report <npm audit --json output>] [--allow-list <file>]
 *
 * Without --report it runs `npm audit --omit=dev --json`, which needs the registry. Exit codes: 0 passed,
 * 1 failed, 2 could not audit (no registry, or an allow-list that does not parse).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import {
  advisoriesOf,
  allowListSchema,
  AuditUnavailableError,
  formatVerdict,
  judgeAudit,
  type AllowList,
} from './audit-report';

const root = join(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    report: { type: 'string' },
    'allow-list': { type: 'string', default: join(root, 'security/audit-allowlist.json') },
  },
});

/** npm's report: it exits 1 when it finds advisories, so its output is read whatever the exit code. */
async function npmAudit(): Promise<unknown> {
  const run = promisify(execFile);
  const output = await run('npm', ['audit', '--omit=dev', '--json'], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
    if (error.stdout) return { stdout: error.stdout };
    throw new AuditUnavailableError(`npm audit did not run: ${error.stderr?.trim() || error.message}`);
  });
  return JSON.parse(output.stdout);
}

function readAllowList(path: string): AllowList {
  const parsed = allowListSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `  ${issue.path.join('.') || '(file)'}: ${issue.message}`,
  );
  throw new AuditUnavailableError(`${path} is not a valid allow-list:\n${problems.join('\n')}`);
}

try {
  const allowList = readAllowList(args['allow-list']);
  const report = args.report ? JSON.parse(readFileSync(args.report, 'utf8')) : await npmAudit();
  const advisories = advisoriesOf(report);
  const verdict = judgeAudit(advisories, allowList, new Date().toISOString().slice(0, 10));
  console.log(`npm audit of the production dependencies: ${advisories.length} advisory(ies)`);
  for (const line of formatVerdict(verdict)) console.log(line);
  process.exitCode = verdict.passed ? 0 : 1;
} catch (error) {
  const known = error instanceof AuditUnavailableError || error instanceof SyntaxError;
  console.error(`could not audit: ${known ? error.message : String(error)}`);
  process.exitCode = 2;
}

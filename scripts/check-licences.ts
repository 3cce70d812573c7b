/**
 * Checks the licence of every package in the production dependency tree (what `npm ls --omit=dev` lists for
 * the workspaces) against security/licences.json: a licence outside the allowed list, none at all, or one
 * that is no SPDX expression fails, with the path that pulls the package in, unless an exception with its
 * reason names the package; an exception that matches nothing fails too.
 *
 *   node --import tsx scripts/check-licences.ts [--tree <npm ls --json --long output>] [--policy <file>]
 *
 * Exit codes: 0 passed, 1 failed, 2 could not check (npm ls gave no tree, or the policy does not parse).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import {
  formatLicenceVerdict,
  judgeLicences,
  licencePolicySchema,
  productionPackages,
  type LicencePolicy,
  type NpmTreeNode,
} from './licence-policy';

const root = join(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    tree: { type: 'string' },
    policy: { type: 'string', default: join(root, 'security/licences.json') },
  },
});

class CheckUnavailableError extends Error {}

/** npm's tree: it exits non-zero on a problem in the tree (an extraneous package), so its output is read anyway. */
async function npmTree(): Promise<NpmTreeNode> {
  const run = promisify(execFile);
  const output = await run('npm', ['ls', '--omit=dev', '--all', '--json', '--long'], {
    cwd: root,
    maxBuffer: 256 * 1024 * 1024,
  }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
    if (error.stdout) return { stdout: error.stdout };
    throw new CheckUnavailableError(`npm ls did not run: ${error.stderr?.trim() || error.message}`);
  });
  return withManifestLicences(JSON.parse(output.stdout) as NpmTreeNode);
}

/**
 * npm ls takes a package's fields from its lockfile when the hidden lockfile is current, and lockfiles keep
 * only `license`: a package declaring the old `licenses` list then shows none. Such nodes are completed
 * from the package.json installed at their path.
 */
function withManifestLicences(node: NpmTreeNode): NpmTreeNode {
  if (node.path && node.license === undefined && node.licenses === undefined) {
    const manifest = join(node.path, 'package.json');
    if (existsSync(manifest)) {
      const { license, licenses } = JSON.parse(readFileSync(manifest, 'utf8')) as NpmTreeNode;
      Object.assign(node, { license, licenses });
    }
  }
  for (const child of Object.values(node.dependencies ?? {})) withManifestLicences(child);
  return node;
}

/** The names of the workspace packages: this project's own code, under its own licence. */
function workspaceNames(): Set<string> {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces?: string[] };
  return new Set(
    (manifest.workspaces ?? []).map(
      (folder) =>
        (JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8')) as { name: string }).name,
    ),
  );
}

function readPolicy(path: string): LicencePolicy {
  const parsed = licencePolicySchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `  ${issue.path.join('.') || '(file)'}: ${issue.message}`,
  );
  throw new CheckUnavailableError(`${path} is not a valid licence policy:\n${problems.join('\n')}`);
}

try {
  const policy = readPolicy(args.policy);
  const tree = args.tree ? (JSON.parse(readFileSync(args.tree, 'utf8')) as NpmTreeNode) : await npmTree();
  const { packages, notInstalled } = productionPackages(tree, workspaceNames());
  if (packages.length === 0)
    throw new CheckUnavailableError('the tree lists no installed package: run npm ci first');
  console.log(
    `licences of ${packages.length} production package(s)` +
      (notInstalled ? ` (${notInstalled} optional one(s) not installed here, skipped)` : ''),
  );
  const verdict = judgeLicences(packages, policy);
  for (const line of formatLicenceVerdict(verdict)) console.log(line);
  process.exitCode = verdict.passed ? 0 : 1;
} catch (error) {
  const known = error instanceof CheckUnavailableError || error instanceof SyntaxError;
  console.error(`could not check licences: ${known ? error.message : String(error)}`);
  process.exitCode = 2;
}

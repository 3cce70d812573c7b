/**
 * The licences of the production dependency tree, judged against security/licences.json: the logic of
 * scripts/check-licences.ts, kept free of I/O so it can be tested on fixtures.
 */
import { z } from 'zod';

/** A node of `npm ls --omit=dev --all --json --long`: the package's manifest fields and its dependencies. */
export interface NpmTreeNode {
  version?: string;
  /** Where it is installed; absent for an optional dependency that is not (another platform's build). */
  path?: string;
  license?: unknown;
  /** The old form: `[{ type: 'MIT', url }]`. */
  licenses?: unknown;
  dependencies?: Record<string, NpmTreeNode>;
}

export interface InstalledPackage {
  name: string;
  version: string;
  /** The declared licence as an SPDX expression, or null when the package declares none. */
  licence: string | null;
  /** How the tree reaches it: `@chatbot/server > express > body-parser`. */
  via: string;
}

/** A package's declared licence as one expression: `license`, or the old `licenses` list read as a choice. */
export function declaredLicence(manifest: Pick<NpmTreeNode, 'license' | 'licenses'>): string | null {
  const name = (value: unknown): string | null => {
    if (typeof value === 'string') return value.trim() || null;
    if (value && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string') {
      return name((value as { type: string }).type);
    }
    return null;
  };
  const single = name(manifest.license);
  if (single) return single;
  const list = Array.isArray(manifest.licenses)
    ? manifest.licenses
    : Array.isArray(manifest.license)
      ? manifest.license
      : [];
  const names = list.map(name).filter((licence): licence is string => licence !== null);
  if (names.length === 0) return null;
  return names.length === 1 ? names[0]! : names.map((licence) => `(${licence})`).join(' OR ');
}

/**
 * Every installed package of the tree once (by name and version), reached first by the path given; the
 * workspace packages themselves are walked through, not listed (they are this project's own code), and
 * optional dependencies that are not installed are counted apart.
 */
export function productionPackages(
  tree: NpmTreeNode,
  workspaces: ReadonlySet<string>,
): { packages: InstalledPackage[]; notInstalled: number } {
  const packages = new Map<string, InstalledPackage>();
  const missing = new Set<string>();
  const walk = (node: NpmTreeNode, trail: string[]) => {
    for (const [name, child] of Object.entries(node.dependencies ?? {})) {
      const via = [...trail, name];
      if (!workspaces.has(name)) {
        if (!child.version || !child.path) {
          missing.add(name);
          continue;
        }
        const key = `${name}@${child.version}`;
        if (!packages.has(key)) {
          packages.set(key, {
            name,
            version: child.version,
            licence: declaredLicence(child),
            via: via.join(' > '),
          });
        }
      }
      // Walked wherever it appears, not only the first time: npm lists a package's own dependencies at
      // some of its places only.
      walk(child, via);
    }
  };
  walk(tree, []);
  return {
    packages: [...packages.values()].sort(
      (a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version, 'en', { numeric: true }),
    ),
    notInstalled: missing.size,
  };
}

/** Thrown for a licence string that is not an SPDX expression ("SEE LICENSE IN …", "BSD*", a typo). */
export class LicenceExpressionError extends Error {
  override name = 'LicenceExpressionError';
}

type Expression = { licence: string; exception?: string } | { all: Expression[] } | { any: Expression[] };

const operators = new Set(['AND', 'OR', 'WITH']);

/** Parses an SPDX licence expression: identifiers, `WITH` exceptions, `AND` binding tighter than `OR`, parentheses. */
export function parseLicenceExpression(text: string): Expression {
  const tokens = text.match(/\(|\)|[^\s()]+/g) ?? [];
  let at = 0;
  const keyword = (token: string | undefined) =>
    token && operators.has(token.toUpperCase()) ? token.toUpperCase() : null;
  const fail = (why: string): never => {
    throw new LicenceExpressionError(`"${text}" is not an SPDX expression: ${why}`);
  };
  const list = (
    part: () => Expression,
    operator: 'AND' | 'OR',
    build: (parts: Expression[]) => Expression,
  ) => {
    const parts = [part()];
    while (keyword(tokens[at]) === operator) {
      at++;
      parts.push(part());
    }
    return parts.length === 1 ? parts[0]! : build(parts);
  };
  const atom = (): Expression => {
    const token = tokens[at++];
    if (token === undefined) return fail('it ends too early');
    if (token === '(') {
      const inner = anyOf();
      if (tokens[at++] !== ')') fail('a parenthesis is not closed');
      return inner;
    }
    if (token === ')' || keyword(token)) return fail(`"${token}" where a licence should be`);
    if (!/^[A-Za-z0-9.+:-]+$/.test(token)) fail(`"${token}" is no licence identifier`);
    if (keyword(tokens[at]) !== 'WITH') return { licence: token };
    at++;
    const exception = tokens[at++];
    if (!exception || exception === '(' || exception === ')' || keyword(exception))
      fail('WITH names no exception');
    return { licence: token, exception: exception! };
  };
  const allOf = () => list(atom, 'AND', (parts) => ({ all: parts }));
  const anyOf = (): Expression => list(allOf, 'OR', (parts) => ({ any: parts }));
  if (tokens.length === 0) fail('it is empty');
  const expression = anyOf();
  if (at < tokens.length) fail(`"${tokens[at]}" is left over`);
  return expression;
}

/**
 * Whether the expression can be used under the allowed licences: an `OR` needs one allowed side, an
 * `AND` all of them; `X WITH exception` is allowed as listed, or when X is (an exception only adds rights).
 * Identifiers compare without regard to case, as SPDX says.
 * @throws LicenceExpressionError when `expression` does not parse
 */
export function licenceAllowed(expression: string, allowed: readonly string[]): boolean {
  const permitted = new Set(allowed.map((licence) => licence.toLowerCase()));
  const check = (node: Expression): boolean => {
    if ('any' in node) return node.any.some(check);
    if ('all' in node) return node.all.every(check);
    const id = node.licence.toLowerCase();
    return (
      permitted.has(id) ||
      (node.exception !== undefined && permitted.has(`${id} with ${node.exception.toLowerCase()}`))
    );
  };
  return check(parseLicenceExpression(expression));
}

/** A package let through whatever its licence says, for a stated reason; it must name the licence it was reviewed under. */
const exceptionSchema = z
  .object({
    package: z.string().trim().min(1),
    /** Only this version; every version when absent. */
    version: z.string().trim().min(1).optional(),
    /** The declared licence exactly as reviewed ("none" for a package that declares none), so a change is reviewed again. */
    licence: z.string().trim().min(1),
    reason: z.string().trim().min(10, 'say why this licence is acceptable for this package'),
  })
  .strict();
export type LicenceException = z.infer<typeof exceptionSchema>;

export const licencePolicySchema = z
  .object({
    $comment: z.string().optional(),
    allowed: z.array(z.string().trim().min(1)).min(1),
    exceptions: z.array(exceptionSchema),
  })
  .strict()
  .superRefine((policy, ctx) => {
    policy.allowed.forEach((licence, i) => {
      try {
        parseLicenceExpression(licence);
      } catch (error) {
        ctx.addIssue({ code: 'custom', path: ['allowed', i], message: (error as Error).message });
      }
    });
  });
export type LicencePolicy = z.infer<typeof licencePolicySchema>;

export interface LicenceVerdict {
  /** Packages whose licence is not allowed, unknown or unparsable, each with why. */
  failing: { pkg: InstalledPackage; why: string }[];
  excepted: { pkg: InstalledPackage; exception: LicenceException }[];
  /** Exceptions that match no installed package (or no longer its licence): each fails until removed. */
  stale: LicenceException[];
  checked: number;
  passed: boolean;
}

const exceptionMatches = (exception: LicenceException, pkg: InstalledPackage) =>
  exception.package === pkg.name &&
  (exception.version === undefined || exception.version === pkg.version) &&
  exception.licence === (pkg.licence ?? 'none');

export function judgeLicences(packages: readonly InstalledPackage[], policy: LicencePolicy): LicenceVerdict {
  const verdict: LicenceVerdict = {
    failing: [],
    excepted: [],
    stale: [],
    checked: packages.length,
    passed: false,
  };
  for (const pkg of packages) {
    const exception = policy.exceptions.find((candidate) => exceptionMatches(candidate, pkg));
    if (exception) {
      verdict.excepted.push({ pkg, exception });
      continue;
    }
    if (pkg.licence === null) {
      verdict.failing.push({ pkg, why: 'declares no licence' });
      continue;
    }
    try {
      if (!licenceAllowed(pkg.licence, policy.allowed)) {
        verdict.failing.push({ pkg, why: `${pkg.licence} is not an allowed licence` });
      }
    } catch (error) {
      verdict.failing.push({ pkg, why: (error as Error).message });
    }
  }
  verdict.stale = policy.exceptions.filter(
    (exception) => !packages.some((pkg) => exceptionMatches(exception, pkg)),
  );
  verdict.passed = verdict.failing.length === 0 && verdict.stale.length === 0;
  return verdict;
}

/** The verdict as lines for a terminal, problems first, ending with what to do. */
export function formatLicenceVerdict(verdict: LicenceVerdict): string[] {
  const lines = [
    ...verdict.failing.map(({ pkg, why }) => `✗ ${pkg.name}@${pkg.version}: ${why} (${pkg.via})`),
    ...verdict.stale.map(
      (exception) =>
        `✗ stale exception for ${exception.package}${exception.version ? `@${exception.version}` : ''} (${exception.licence}): matches no installed package: remove it`,
    ),
    ...verdict.excepted.map(
      ({ pkg, exception }) =>
        `✓ excepted ${pkg.name}@${pkg.version} (${exception.licence}): ${exception.reason}`,
    ),
  ];
  lines.push(
    verdict.passed
      ? `licences passed: ${verdict.checked} production package(s), every one under an allowed licence${verdict.excepted.length ? ` or excepted (${verdict.excepted.length})` : ''}`
      : `licences failed: ${verdict.failing.length + verdict.stale.length} problem(s). Replace the package, or add an exception with its reason to security/licences.json; remove stale exceptions.`,
  );
  return lines;
}

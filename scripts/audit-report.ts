/**
 * What `npm audit --json` says about the production dependencies, judged against the reviewed allow-list
 * (security/audit-allowlist.json): the logic of scripts/audit-dependencies.ts, kept free of I/O so it can
 * be tested on fixtures.
 */
import { z } from 'zod';

export const Severities = ['info', 'low', 'moderate', 'high', 'critical'] as const;
export type Severity = (typeof Severities)[number];

/** Severities that fail the check unless allowed. */
export const BlockingSeverities: readonly Severity[] = ['high', 'critical'];

/** One advisory against one package, with where that package sits in the tree. */
export interface Advisory {
  /** npm's numeric id (`source` in the report). */
  id: number;
  /** The GitHub advisory id (GHSA-…), when the URL names one. */
  ghsa: string | null;
  url: string;
  package: string;
  severity: Severity;
  title: string;
  /** The vulnerable versions. */
  range: string;
  /** Where the package is installed (node_modules/…). */
  nodes: string[];
}

/** Thrown when npm could not audit (no registry, an endpoint refusing, output that is no report). */
export class AuditUnavailableError extends Error {
  override name = 'AuditUnavailableError';
}

const isoDay = z.iso.date({ message: 'must be a date as YYYY-MM-DD' });

/** An accepted advisory: who looked at it, why it may stay, and until when. */
export const allowListEntrySchema = z
  .object({
    /** The GHSA id, the advisory's URL, or npm's numeric id. */
    advisory: z.union([z.string().trim().min(1), z.number().int()]),
    package: z.string().trim().min(1),
    reason: z.string().trim().min(10, 'say why the advisory does not apply or cannot be fixed yet'),
    reviewedBy: z.string().trim().min(1),
    reviewedOn: isoDay,
    /** After this day the entry no longer counts, so the advisory is looked at again. */
    expires: isoDay,
  })
  .strict()
  .refine((entry) => entry.expires >= entry.reviewedOn, {
    message: 'expires must not be before reviewedOn',
    path: ['expires'],
  });
export type AllowListEntry = z.infer<typeof allowListEntrySchema>;

export const allowListSchema = z
  .object({ $comment: z.string().optional(), entries: z.array(allowListEntrySchema) })
  .strict();
export type AllowList = z.infer<typeof allowListSchema>;

const viaSchema = z.object({
  source: z.number(),
  name: z.string(),
  title: z.string().default(''),
  url: z.string().default(''),
  severity: z.enum(Severities),
  range: z.string().default(''),
});

const reportSchema = z.object({
  auditReportVersion: z.literal(2),
  vulnerabilities: z.record(
    z.string(),
    z.object({
      name: z.string(),
      nodes: z.array(z.string()).default([]),
      // An entry names its own advisories as objects, and the packages it is vulnerable through as strings.
      via: z.array(z.union([viaSchema, z.string()])),
    }),
  ),
});

/**
 * The advisories in an `npm audit --json` report (format 2, npm 7 and later), once each: a package that
 * is only vulnerable through another one adds none of its own.
 * @throws AuditUnavailableError when the output is npm's error instead of a report
 */
export function advisoriesOf(report: unknown): Advisory[] {
  const parsed = reportSchema.safeParse(report);
  if (!parsed.success) {
    const failure = report as { message?: unknown; error?: { summary?: unknown } } | null;
    const why = [failure?.message, failure?.error?.summary].find((text) => typeof text === 'string' && text);
    throw new AuditUnavailableError(
      `npm audit gave no report${why ? `: ${String(why)}` : ` (${parsed.error.issues[0]?.message})`}`,
    );
  }
  const advisories = new Map<string, Advisory>();
  for (const vulnerability of Object.values(parsed.data.vulnerabilities)) {
    for (const via of vulnerability.via) {
      if (typeof via === 'string') continue;
      const key = `${via.source}:${via.name}`;
      const known = advisories.get(key);
      if (known) {
        known.nodes = [...new Set([...known.nodes, ...vulnerability.nodes])];
        continue;
      }
      advisories.set(key, {
        id: via.source,
        ghsa: /GHSA(-[23456789cfghjmpqrvwx]{4}){3}/i.exec(via.url)?.[0].toUpperCase() ?? null,
        url: via.url,
        package: via.name,
        severity: via.severity,
        title: via.title,
        range: via.range,
        nodes: vulnerability.nodes,
      });
    }
  }
  return [...advisories.values()].sort(
    (a, b) =>
      Severities.indexOf(b.severity) - Severities.indexOf(a.severity) || a.package.localeCompare(b.package),
  );
}

/** Whether an allow-list entry names this advisory: same package, and its GHSA id, URL or npm id. */
export function entryMatches(entry: AllowListEntry, advisory: Advisory): boolean {
  if (entry.package !== advisory.package) return false;
  const named = String(entry.advisory).trim();
  return (
    named === String(advisory.id) ||
    named === advisory.url ||
    (advisory.ghsa !== null && named.toUpperCase() === advisory.ghsa)
  );
}

export interface AuditVerdict {
  /** High or critical, and not allowed: each fails the check. */
  blocking: Advisory[];
  /** High or critical, allowed by an entry still in force. */
  allowed: { advisory: Advisory; entry: AllowListEntry }[];
  /** Allowed once, but the entry has expired: they block too. */
  expired: { advisory: Advisory; entry: AllowListEntry }[];
  /** Below the threshold: shown, never failing. */
  minor: Advisory[];
  /** Entries that name no advisory in the report any more: each fails the check until removed. */
  stale: AllowListEntry[];
  passed: boolean;
}

/** Judges the advisories against the allow-list on `today` (YYYY-MM-DD, UTC). */
export function judgeAudit(
  advisories: readonly Advisory[],
  allowList: AllowList,
  today: string,
): AuditVerdict {
  const verdict: AuditVerdict = {
    blocking: [],
    allowed: [],
    expired: [],
    minor: [],
    stale: [],
    passed: false,
  };
  for (const advisory of advisories) {
    if (!BlockingSeverities.includes(advisory.severity)) {
      verdict.minor.push(advisory);
      continue;
    }
    const entries = allowList.entries.filter((entry) => entryMatches(entry, advisory));
    const current = entries.find((entry) => today <= entry.expires);
    if (current) verdict.allowed.push({ advisory, entry: current });
    else if (entries[0]) verdict.expired.push({ advisory, entry: entries[0] });
    else verdict.blocking.push(advisory);
  }
  verdict.stale = allowList.entries.filter(
    (entry) => !advisories.some((advisory) => entryMatches(entry, advisory)),
  );
  verdict.passed =
    verdict.blocking.length === 0 && verdict.expired.length === 0 && verdict.stale.length === 0;
  return verdict;
}

const advisoryLine = (advisory: Advisory) =>
  `${advisory.ghsa ?? `npm ${advisory.id}`} ${advisory.package} ${advisory.range}: ${advisory.title}` +
  ` (${advisory.nodes.join(', ') || 'not installed'}) ${advisory.url}`.trimEnd();

/** The verdict as lines for a terminal, worst first, ending with what to do. */
export function formatVerdict(verdict: AuditVerdict): string[] {
  const lines = [
    ...verdict.blocking.map((advisory) => `✗ ${advisory.severity.padEnd(8)} ${advisoryLine(advisory)}`),
    ...verdict.expired.map(
      ({ advisory, entry }) =>
        `✗ expired  ${advisoryLine(advisory)}; its allow-list entry expired on ${entry.expires}: review it again`,
    ),
    ...verdict.stale.map(
      (entry) =>
        `✗ stale    allow-list entry ${entry.advisory} for ${entry.package} matches no advisory: remove it`,
    ),
    ...verdict.allowed.map(
      ({ advisory, entry }) =>
        `✓ allowed  ${advisoryLine(advisory)}; ${entry.reason} (reviewed by ${entry.reviewedBy} on ${entry.reviewedOn}, until ${entry.expires})`,
    ),
    ...verdict.minor.map(
      (advisory) => `· ${advisory.severity.padEnd(8)} ${advisoryLine(advisory)} (below high: not failing)`,
    ),
  ];
  const failing = verdict.blocking.length + verdict.expired.length + verdict.stale.length;
  lines.push(
    verdict.passed
      ? `audit passed: no high or critical advisory outside the allow-list (${verdict.allowed.length} allowed, ${verdict.minor.length} below high)`
      : `audit failed: ${failing} problem(s). Upgrade or replace the package, or add a reviewed entry with an expiry to security/audit-allowlist.json; remove stale entries.`,
  );
  return lines;
}

import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** Where the reviewed scanner findings are kept, from the repository's root. */
export const triageFile = new URL('../../../../security/scan-triage.json', import.meta.url);

/** A scanner's finding, as triage compares it: who found it, of what kind, where. */
export interface Finding {
  scanner: 'sqlmap' | 'wapiti';
  category: string;
  /** The path (wapiti) or the target's route (sqlmap), e.g. `GET /api/leads`. */
  path: string;
  detail: string;
}

const entrySchema = z
  .object({
    scanner: z.enum(['sqlmap', 'wapiti']),
    /** The scanner's category, exactly as it reports it. */
    category: z.string().trim().min(1),
    /** A regular expression the whole path must match. */
    path: z.string().min(1),
    reason: z.string().trim().min(10, 'say why the finding is no flaw, or why it stays'),
    reviewedBy: z.string().trim().min(1),
    reviewedOn: z.iso.date(),
  })
  .strict();
export type TriageEntry = z.infer<typeof entrySchema>;

export const triageSchema = z
  .object({ $comment: z.string().optional(), entries: z.array(entrySchema) })
  .strict();

export function readTriage(file: URL = triageFile): TriageEntry[] {
  return triageSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).entries;
}

const matches = (entry: TriageEntry, finding: Finding) =>
  entry.scanner === finding.scanner &&
  entry.category === finding.category &&
  new RegExp(`^(?:${entry.path})$`).test(finding.path);

/**
 * The findings no entry accepts, and the entries of a scanner that ran which match none of its findings
 * (stale: what they accepted is gone, so they go too, before they hide something new).
 */
export function judge(findings: Finding[], entries: TriageEntry[], scanners: Finding['scanner'][]) {
  return {
    untriaged: findings.filter((finding) => !entries.some((entry) => matches(entry, finding))),
    stale: entries.filter(
      (entry) => scanners.includes(entry.scanner) && !findings.some((finding) => matches(entry, finding)),
    ),
  };
}

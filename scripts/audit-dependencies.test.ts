import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  advisoriesOf,
  allowListSchema,
  AuditUnavailableError,
  formatVerdict,
  judgeAudit,
  type AllowList,
  type AllowListEntry,
} from './audit-report';

const root = join(import.meta.dirname, '..');

/** An `npm audit --omit=dev --json` report (format 2) as npm 11 writes it, trimmed to what matters. */
const report = {
  auditReportVersion: 2,
  vulnerabilities: {
    lodash: {
      name: 'lodash',
      severity: 'critical',
      isDirect: false,
      via: [
        {
          source: 1096996,
          name: 'lodash',
          dependency: 'lodash',
          title: 'Prototype Pollution in lodash',
          url: 'https://github.com/advisories/GHSA-jf85-cpcp-j695',
          severity: 'critical',
          cwe: ['CWE-1321'],
          cvss: { score: 9.1, vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N' },
          range: '<4.17.12',
        },
      ],
      effects: ['some-lib'],
      range: '<=4.17.11',
      nodes: ['node_modules/lodash', 'node_modules/some-lib/node_modules/lodash'],
      fixAvailable: true,
    },
    // Only vulnerable through lodash: no advisory of its own.
    'some-lib': {
      name: 'some-lib',
      severity: 'critical',
      isDirect: true,
      via: ['lodash'],
      effects: [],
      range: '1.0.0 - 2.0.0',
      nodes: ['node_modules/some-lib'],
      fixAvailable: false,
    },
    ws: {
      name: 'ws',
      severity: 'high',
      isDirect: false,
      via: [
        {
          source: 1098392,
          name: 'ws',
          dependency: 'ws',
          title: 'ws affected by a DoS when handling a request with many HTTP headers',
          url: 'https://github.com/advisories/GHSA-3h5v-q93c-6h6q',
          severity: 'high',
          range: '>=8.0.0 <8.17.1',
        },
      ],
      effects: [],
      range: '8.0.0 - 8.17.0',
      nodes: ['node_modules/ws'],
      fixAvailable: true,
    },
    semver: {
      name: 'semver',
      severity: 'moderate',
      isDirect: false,
      via: [
        {
          source: 1101088,
          name: 'semver',
          dependency: 'semver',
          title: 'semver vulnerable to Regular Expression Denial of Service',
          url: 'https://github.com/advisories/GHSA-c2qf-rxjj-qqgw',
          severity: 'moderate',
          range: '>=7.0.0 <7.5.2',
        },
      ],
      effects: [],
      range: '7.0.0 - 7.5.1',
      nodes: ['node_modules/semver'],
      fixAvailable: true,
    },
  },
  metadata: { vulnerabilities: { info: 0, low: 0, moderate: 1, high: 1, critical: 2, total: 4 } },
};

/** What npm writes instead of a report when the audit endpoint refuses (as behind this machine's proxy). */
const refused = {
  message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
  method: 'POST',
  statusCode: 405,
  body: '',
  error: { summary: '', detail: '' },
};

const entry = (overrides: Partial<AllowListEntry>): AllowListEntry => ({
  advisory: 'GHSA-jf85-cpcp-j695',
  package: 'lodash',
  reason: 'Only reached through a build-time path that never sees user input.',
  reviewedBy: 'security lead',
  reviewedOn: '2026-11-01',
  expires: '2027-02-01',
  ...overrides,
});
const allow = (...entries: AllowListEntry[]): AllowList => ({ entries });
const today = '2026-12-01';

describe('audit-dependencies', () => {
  describe('advisoriesOf', () => {
    it('lists each advisory once, worst first, with its GHSA id and where the package sits', () => {
      const advisories = advisoriesOf(report);
      assert.deepEqual(
        advisories.map((a) => [a.severity, a.package, a.ghsa, a.id]),
        [
          ['critical', 'lodash', 'GHSA-JF85-CPCP-J695', 1096996],
          ['high', 'ws', 'GHSA-3H5V-Q93C-6H6Q', 1098392],
          ['moderate', 'semver', 'GHSA-C2QF-RXJJ-QQGW', 1101088],
        ],
      );
      assert.deepEqual(advisories[0]!.nodes, [
        'node_modules/lodash',
        'node_modules/some-lib/node_modules/lodash',
      ]);
    });

    it('finds nothing in a clean report', () => {
      assert.deepEqual(advisoriesOf({ auditReportVersion: 2, vulnerabilities: {} }), []);
    });

    it("refuses npm's error output and anything else that is no report, saying why", () => {
      assert.throws(() => advisoriesOf(refused), {
        name: 'AuditUnavailableError',
        message: /405 Method Not Allowed/,
      });
      for (const garbage of [null, 'text', { auditReportVersion: 1, advisories: {} }, []]) {
        assert.throws(() => advisoriesOf(garbage), AuditUnavailableError);
      }
    });
  });

  describe('judgeAudit', () => {
    const advisories = advisoriesOf(report);

    it('fails on high and critical advisories nobody accepted, and only shows the moderate one', () => {
      const verdict = judgeAudit(advisories, allow(), today);
      assert.equal(verdict.passed, false);
      assert.deepEqual(
        verdict.blocking.map((a) => a.package),
        ['lodash', 'ws'],
      );
      assert.deepEqual(
        verdict.minor.map((a) => a.package),
        ['semver'],
      );
    });

    it('passes when reviewed entries in force name them, by GHSA id in any case, URL or npm id', () => {
      for (const lodash of [
        'GHSA-jf85-cpcp-j695',
        'https://github.com/advisories/GHSA-jf85-cpcp-j695',
        1096996,
      ]) {
        const verdict = judgeAudit(
          advisories,
          allow(
            entry({ advisory: lodash }),
            entry({ advisory: 'https://github.com/advisories/GHSA-3h5v-q93c-6h6q', package: 'ws' }),
          ),
          today,
        );
        assert.equal(verdict.passed, true, String(lodash));
        assert.deepEqual(
          verdict.allowed.map(({ advisory }) => advisory.package),
          ['lodash', 'ws'],
        );
      }
    });

    it('does not let an entry for another package allow an advisory', () => {
      const verdict = judgeAudit(advisories, allow(entry({ package: 'lodash-es' })), today);
      assert.deepEqual(
        verdict.blocking.map((a) => a.package),
        ['lodash', 'ws'],
      );
      assert.equal(verdict.stale.length, 1, 'and that entry matches nothing');
    });

    it('counts an entry up to its expiry day, and fails on it after', () => {
      const wsEntry = entry({ advisory: 'GHSA-3h5v-q93c-6h6q', package: 'ws' });
      const onTheDay = judgeAudit(advisories, allow(entry({ expires: today }), wsEntry), today);
      assert.equal(onTheDay.passed, true);
      const after = judgeAudit(advisories, allow(entry({ expires: '2026-11-30' }), wsEntry), today);
      assert.equal(after.passed, false);
      assert.deepEqual(
        after.expired.map(({ advisory }) => advisory.package),
        ['lodash'],
      );
      assert.deepEqual(after.blocking, []);
    });

    it('fails on entries that no longer match any advisory, even when nothing else is wrong', () => {
      const gone = entry({ advisory: 'GHSA-xxxx-xxxx-xxxx', package: 'left-pad' });
      const verdict = judgeAudit([], allow(gone), today);
      assert.equal(verdict.passed, false);
      assert.deepEqual(verdict.stale, [gone]);
      assert.equal(judgeAudit([], allow(), today).passed, true);
    });

    it('keeps an entry for a moderate advisory from being stale', () => {
      const semver = entry({ advisory: 'GHSA-c2qf-rxjj-qqgw', package: 'semver' });
      assert.deepEqual(judgeAudit(advisories, allow(semver), today).stale, []);
    });
  });

  describe('formatVerdict', () => {
    it('names each problem with its id, package, paths and link, and ends with what to do', () => {
      const advisories = advisoriesOf(report);
      const stale = entry({ advisory: 'GHSA-xxxx-xxxx-xxxx', package: 'left-pad' });
      const lines = formatVerdict(judgeAudit(advisories, allow(stale), today));
      assert.match(lines[0]!, /^✗ critical +GHSA-JF85-CPCP-J695 lodash <4\.17\.12: Prototype Pollution/);
      assert.match(lines[0]!, /node_modules\/some-lib\/node_modules\/lodash/);
      assert.match(lines[0]!, /https:\/\/github\.com\/advisories\/GHSA-jf85-cpcp-j695$/);
      assert.ok(lines.some((line) => /^✗ stale .*left-pad matches no advisory: remove it/.test(line)));
      assert.ok(lines.some((line) => /^· moderate .*semver.*not failing/.test(line)));
      assert.match(lines.at(-1)!, /^audit failed: 3 problem\(s\)/);
      assert.match(formatVerdict(judgeAudit([], allow(), today)).at(-1)!, /^audit passed/);
    });
  });

  describe('allowListSchema', () => {
    it('reads the committed allow-list', () => {
      const committed = JSON.parse(readFileSync(join(root, 'security/audit-allowlist.json'), 'utf8'));
      assert.ok(allowListSchema.safeParse(committed).success);
    });

    it('refuses entries without a reason, a reviewer or dates, with an expiry before the review, or with unknown keys', () => {
      const { reason: _reason, ...noReason } = entry({});
      for (const bad of [
        noReason,
        entry({ reason: 'ok' }),
        entry({ reviewedBy: ' ' }),
        entry({ expires: '2027-13-01' }),
        entry({ expires: '2026-10-01' }),
        { ...entry({}), severity: 'high' },
      ]) {
        assert.equal(allowListSchema.safeParse({ entries: [bad] }).success, false, JSON.stringify(bad));
      }
    });
  });

  describe('the script', () => {
    const run = promisify(execFile);
    const script = join(root, 'scripts/audit-dependencies.ts');
    const audit = (...args: string[]) =>
      run('node', ['--import', 'tsx', script, ...args], { cwd: root, timeout: 120_000 }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'audit-'));
      writeFileSync(join(dir, 'report.json'), JSON.stringify(report));
      writeFileSync(join(dir, 'refused.json'), JSON.stringify(refused));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('exits 1 and names the advisories a saved report has, and 0 once they are allowed', async () => {
      const failed = await audit('--report', join(dir, 'report.json'));
      assert.equal(failed.code, 1, failed.stderr);
      assert.match(failed.stdout, /✗ critical +GHSA-JF85-CPCP-J695 lodash/);
      assert.match(failed.stdout, /✗ high +GHSA-3H5V-Q93C-6H6Q ws/);
      const allowList = join(dir, 'allow.json');
      const until = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      writeFileSync(
        allowList,
        JSON.stringify(
          allow(
            entry({ expires: until }),
            entry({ advisory: 'GHSA-3h5v-q93c-6h6q', package: 'ws', expires: until }),
          ),
        ),
      );
      const passed = await audit('--report', join(dir, 'report.json'), '--allow-list', allowList);
      assert.equal(passed.code, 0, passed.stdout + passed.stderr);
      assert.match(passed.stdout, /^audit passed/m);
    });

    it('exits 2, saying why, when it cannot audit or the allow-list is invalid', async () => {
      const refusedRun = await audit('--report', join(dir, 'refused.json'));
      assert.equal(refusedRun.code, 2);
      assert.match(refusedRun.stderr, /could not audit: npm audit gave no report: 405 Method Not Allowed/);
      const badList = join(dir, 'bad.json');
      writeFileSync(badList, JSON.stringify({ entries: [{ advisory: 'GHSA-x', package: 'x' }] }));
      const invalid = await audit('--report', join(dir, 'report.json'), '--allow-list', badList);
      assert.equal(invalid.code, 2);
      assert.match(invalid.stderr, /is not a valid allow-list:\n {2}entries\.0\.reason/);
    });

    it('audits the real production tree: a verdict, or a clear reason it could not', async () => {
      // The registry's audit endpoint may be out of reach (this machine's proxy refuses it with 405).
      const real = await audit();
      if (real.code === 2) assert.match(real.stderr, /^could not audit: npm audit/);
      else {
        assert.ok([0, 1].includes(real.code), real.stderr);
        assert.match(real.stdout, /^npm audit of the production dependencies: \d+ advisory/);
        assert.match(real.stdout, /^audit (passed|failed)/m);
      }
    });
  });
});

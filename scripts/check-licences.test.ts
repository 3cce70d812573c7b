import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  declaredLicence,
  formatLicenceVerdict,
  judgeLicences,
  licenceAllowed,
  LicenceExpressionError,
  licencePolicySchema,
  parseLicenceExpression,
  productionPackages,
  type InstalledPackage,
  type LicencePolicy,
  type NpmTreeNode,
} from './licence-policy';

const root = join(import.meta.dirname, '..');
const allowed = ['MIT', 'ISC', 'BSD-2-Clause', 'BSD-3-Clause', 'Apache-2.0', 'Zlib'];

const installed = (
  name: string,
  version: string,
  license: unknown,
  dependencies?: Record<string, NpmTreeNode>,
) => ({
  version,
  path: `/repo/node_modules/${name}`,
  license,
  ...(dependencies && { dependencies }),
});

/** `npm ls --omit=dev --all --json --long` of a small workspace project, in its shape. */
const tree: NpmTreeNode = {
  version: '0.1.0',
  dependencies: {
    '@app/server': {
      version: '0.1.0',
      path: '/repo/node_modules/@app/server',
      dependencies: {
        '@app/shared': {
          version: '0.1.0',
          path: '/repo/node_modules/@app/shared',
          // npm lists a package's dependencies at some of its places only: here, not at the first.
        },
        express: installed('express', '5.0.0', 'MIT', {
          debug: installed('debug', '4.4.0', 'MIT'),
          'gpl-thing': installed('gpl-thing', '1.0.0', 'GPL-3.0-only'),
        }),
        'old-style': { ...installed('old-style', '0.3.0', undefined), licenses: [{ type: 'MIT', url: 'x' }] },
        'dual-old': {
          ...installed('dual-old', '1.0.0', undefined),
          licenses: [{ type: 'MIT' }, { type: 'Apache-2.0' }],
        },
        nolicence: installed('nolicence', '2.0.0', undefined),
        'see-file': installed('see-file', '1.0.0', 'SEE LICENSE IN LICENSE.md'),
        '@esbuild/win32-x64': {},
      },
    },
    '@app/shared': {
      version: '0.1.0',
      path: '/repo/node_modules/@app/shared',
      dependencies: {
        debug: installed('debug', '3.2.7', 'MIT'),
        pako: installed('pako', '2.1.0', '(MIT AND Zlib)', { debug: installed('debug', '4.4.0', 'MIT') }),
      },
    },
  },
};
const workspaces = new Set(['@app/server', '@app/shared']);

const pkg = (name: string, licence: string | null, version = '1.0.0'): InstalledPackage => ({
  name,
  version,
  licence,
  via: `@app/server > ${name}`,
});
const policy = (exceptions: LicencePolicy['exceptions'] = []): LicencePolicy => ({ allowed, exceptions });

describe('check-licences', () => {
  describe('declaredLicence', () => {
    it('reads `license` as a string or an object, and the old `licenses` list as a choice', () => {
      assert.equal(declaredLicence({ license: 'MIT' }), 'MIT');
      assert.equal(declaredLicence({ license: { type: 'ISC', url: 'x' } }), 'ISC');
      assert.equal(declaredLicence({ licenses: [{ type: 'MIT' }] }), 'MIT');
      assert.equal(declaredLicence({ licenses: [{ type: 'MIT' }, 'Apache-2.0'] }), '(MIT) OR (Apache-2.0)');
      assert.equal(declaredLicence({ license: [{ type: 'BSD-3-Clause' }] }), 'BSD-3-Clause');
      for (const none of [{}, { license: '' }, { license: 42 }, { licenses: [] }, { license: {} }]) {
        assert.equal(declaredLicence(none), null, JSON.stringify(none));
      }
    });
  });

  describe('productionPackages', () => {
    it('lists each installed package once per version with the path that pulls it in, workspaces walked but not listed', () => {
      const { packages, notInstalled } = productionPackages(tree, workspaces);
      assert.deepEqual(
        packages.map((p) => [`${p.name}@${p.version}`, p.licence, p.via]),
        [
          ['debug@3.2.7', 'MIT', '@app/shared > debug'],
          ['debug@4.4.0', 'MIT', '@app/server > express > debug'],
          ['dual-old@1.0.0', '(MIT) OR (Apache-2.0)', '@app/server > dual-old'],
          ['express@5.0.0', 'MIT', '@app/server > express'],
          ['gpl-thing@1.0.0', 'GPL-3.0-only', '@app/server > express > gpl-thing'],
          ['nolicence@2.0.0', null, '@app/server > nolicence'],
          ['old-style@0.3.0', 'MIT', '@app/server > old-style'],
          ['pako@2.1.0', '(MIT AND Zlib)', '@app/shared > pako'],
          ['see-file@1.0.0', 'SEE LICENSE IN LICENSE.md', '@app/server > see-file'],
        ],
      );
      assert.equal(notInstalled, 1, 'the other platform’s optional build');
    });
  });

  describe('licenceAllowed', () => {
    const cases: [string, boolean][] = [
      ['MIT', true],
      ['mit', true],
      ['(MIT OR Apache-2.0)', true],
      ['(MIT OR GPL-3.0-only)', true],
      ['(MIT AND GPL-3.0-only)', false],
      ['GPL-3.0-only', false],
      ['AGPL-3.0-or-later', false],
      ['LGPL-2.1+', false],
      ['MIT AND (BSD-3-Clause OR GPL-2.0-only)', true],
      // AND binds tighter than OR.
      ['GPL-3.0-only OR MIT AND Zlib', true],
      ['GPL-3.0-only AND MIT OR LGPL-2.1-only', false],
      ['Apache-2.0 WITH LLVM-exception', true],
      ['GPL-2.0-only WITH Classpath-exception-2.0', false],
      ['UNLICENSED', false],
      ['((ISC))', true],
    ];
    for (const [expression, expected] of cases) {
      it(`${expression} is ${expected ? '' : 'not '}allowed`, () => {
        assert.equal(licenceAllowed(expression, allowed), expected);
      });
    }

    it('allows an exception that is listed with its licence', () => {
      assert.ok(
        licenceAllowed('GPL-2.0-only WITH Classpath-exception-2.0', [
          'GPL-2.0-only WITH Classpath-exception-2.0',
        ]),
      );
    });

    it('refuses what is no SPDX expression, saying why', () => {
      for (const bad of [
        'SEE LICENSE IN LICENSE.md',
        '',
        '(MIT',
        'MIT OR',
        'MIT)',
        'BSD*',
        'MIT WITH',
        'OR MIT',
      ]) {
        assert.throws(() => parseLicenceExpression(bad), LicenceExpressionError, JSON.stringify(bad));
      }
      assert.throws(() => licenceAllowed('SEE LICENSE IN LICENSE.md', allowed), /is not an SPDX expression/);
    });
  });

  describe('judgeLicences', () => {
    const { packages } = productionPackages(tree, workspaces);

    it('fails copyleft, missing and unparsable licences, naming the path to each', () => {
      const verdict = judgeLicences(packages, policy());
      assert.equal(verdict.passed, false);
      assert.deepEqual(
        verdict.failing.map(({ pkg: p, why }) => [p.name, why]),
        [
          ['gpl-thing', 'GPL-3.0-only is not an allowed licence'],
          ['nolicence', 'declares no licence'],
          ['see-file', '"SEE LICENSE IN LICENSE.md" is not an SPDX expression: "LICENSE" is left over'],
        ],
      );
      const lines = formatLicenceVerdict(verdict);
      assert.equal(
        lines[0],
        '✗ gpl-thing@1.0.0: GPL-3.0-only is not an allowed licence (@app/server > express > gpl-thing)',
      );
      assert.match(lines.at(-1)!, /^licences failed: 3 problem\(s\)/);
    });

    it('lets an exception through only for its package, version and licence as reviewed', () => {
      const reason = 'Dual-licensed by its authors in writing; reviewed.';
      const verdict = judgeLicences(
        [pkg('gpl-thing', 'GPL-3.0-only'), pkg('nolicence', null, '2.0.0'), pkg('ok', 'MIT')],
        policy([
          { package: 'gpl-thing', version: '1.0.0', licence: 'GPL-3.0-only', reason },
          { package: 'nolicence', licence: 'none', reason },
        ]),
      );
      assert.equal(verdict.passed, true);
      assert.deepEqual(
        verdict.excepted.map(({ pkg: p }) => p.name),
        ['gpl-thing', 'nolicence'],
      );
      // Another version, or a changed licence, is not what was reviewed.
      const changed = judgeLicences(
        [pkg('gpl-thing', 'AGPL-3.0-only'), pkg('nolicence', null, '2.0.0')],
        policy([
          { package: 'gpl-thing', licence: 'GPL-3.0-only', reason },
          { package: 'nolicence', version: '1.0.0', licence: 'none', reason },
        ]),
      );
      assert.deepEqual(
        changed.failing.map(({ pkg: p }) => p.name),
        ['gpl-thing', 'nolicence'],
      );
      assert.equal(changed.stale.length, 2);
    });

    it('fails on an exception that matches nothing, and passes a clean tree', () => {
      const clean = [pkg('a', 'MIT'), pkg('b', '(MIT OR GPL-2.0-only)')];
      assert.equal(judgeLicences(clean, policy()).passed, true);
      const stale = judgeLicences(
        clean,
        policy([{ package: 'gone', licence: 'GPL-3.0-only', reason: 'was needed once, long ago' }]),
      );
      assert.equal(stale.passed, false);
      assert.match(
        formatLicenceVerdict(stale)[0]!,
        /^✗ stale exception for gone \(GPL-3\.0-only\): matches no installed package/,
      );
    });
  });

  describe('licencePolicySchema', () => {
    it('reads the committed policy', () => {
      const committed = JSON.parse(readFileSync(join(root, 'security/licences.json'), 'utf8'));
      assert.ok(licencePolicySchema.safeParse(committed).success);
    });

    it('refuses an allowed entry that is no SPDX expression, an exception without a reason, and unknown keys', () => {
      for (const bad of [
        { allowed: ['MIT', 'BSD*'], exceptions: [] },
        { allowed: [], exceptions: [] },
        { allowed: ['MIT'], exceptions: [{ package: 'x', licence: 'GPL-3.0-only', reason: 'ok' }] },
        { allowed: ['MIT'], exceptions: [], denied: ['GPL-3.0-only'] },
      ]) {
        assert.equal(licencePolicySchema.safeParse(bad).success, false, JSON.stringify(bad));
      }
    });
  });

  describe('the script', () => {
    const run = promisify(execFile);
    const script = join(root, 'scripts/check-licences.ts');
    const check = (...args: string[]) =>
      run('node', ['--import', 'tsx', script, ...args], { cwd: root, timeout: 120_000 }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'licences-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('exits 1 naming a copyleft package and its path in a saved tree, and 2 for a policy that does not parse', async () => {
      // The project's own workspace names, so the script walks through them as it does the real tree.
      const saved = join(dir, 'tree.json');
      writeFileSync(
        saved,
        JSON.stringify({
          dependencies: {
            '@chatbot/server': {
              version: '0.1.0',
              path: join(root, 'server'),
              dependencies: {
                left: installed('left', '1.0.0', 'MIT', {
                  copyleft: installed('copyleft', '2.0.0', 'GPL-2.0-or-later'),
                }),
              },
            },
          },
        }),
      );
      const failed = await check('--tree', saved);
      assert.equal(failed.code, 1, failed.stderr);
      assert.match(
        failed.stdout,
        /^✗ copyleft@2\.0\.0: GPL-2\.0-or-later is not an allowed licence \(@chatbot\/server > left > copyleft\)$/m,
      );
      const badPolicy = join(dir, 'policy.json');
      writeFileSync(badPolicy, JSON.stringify({ allowed: ['MIT', 'BSD*'], exceptions: [] }));
      const invalid = await check('--tree', saved, '--policy', badPolicy);
      assert.equal(invalid.code, 2);
      assert.match(
        invalid.stderr,
        /is not a valid licence policy:\n {2}allowed\.1: "BSD\*" is not an SPDX expression/,
      );
    });

    it('passes the real production tree under the committed policy', async () => {
      const real = await check();
      assert.equal(real.code, 0, real.stdout + real.stderr);
      assert.match(real.stdout, /^licences of \d{3,} production package\(s\)/);
      assert.match(real.stdout, /^licences passed/m);
    });
  });
});

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** Prometheus's own checker, from Debian's `prometheus` package; another binary in PROMTOOL_PATH. */
const PROMTOOL = process.env.PROMTOOL_PATH ?? '/usr/bin/promtool';
const monitoring = fileURLToPath(new URL('./monitoring/', import.meta.url));

const promtool = async (...args: string[]) => {
  assert.ok(
    existsSync(PROMTOOL),
    `These tests need promtool at ${PROMTOOL}: apt-get install prometheus (or set PROMTOOL_PATH).`,
  );
  return promisify(execFile)(PROMTOOL, args, { cwd: monitoring });
};

describe('the Prometheus files, checked by promtool', () => {
  it('the alert rules are valid', async () => {
    const { stdout } = await promtool('check', 'rules', 'alert-rules.yml');
    assert.match(stdout, /SUCCESS: \d+ rules found/);
  });

  it('each alert fires on the series it is meant for and stays quiet on the others', async () => {
    const { stdout } = await promtool('test', 'rules', 'alert-rules.test.yml');
    assert.match(stdout, /SUCCESS/);
  });

  it('the unit tests can fail: a rule test expecting the wrong alert is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'promtool-'));
    try {
      const tests = readFileSync(join(monitoring, 'alert-rules.test.yml'), 'utf8')
        .replace('- alert-rules.yml', `- ${join(monitoring, 'alert-rules.yml')}`)
        // Every expected alert renamed: none of the expectations can hold.
        .replace(/alertname: (\w+)/g, 'alertname: $1Renamed');
      writeFileSync(join(dir, 'broken.test.yml'), tests);
      await assert.rejects(promisify(execFile)(PROMTOOL, ['test', 'rules', join(dir, 'broken.test.yml')]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the scrape configuration is valid', async () => {
    const { stdout } = await promtool('check', 'config', 'prometheus.yml');
    assert.match(stdout, /SUCCESS/);
  });
});

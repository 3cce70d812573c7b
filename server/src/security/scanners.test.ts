import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { AuthResponse } from '@chatbot/shared';
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeOpenAI } from '@chatbot/shared/testing';
import {
  restRoutes,
  seedSurfaceTenant,
  startSurfaceServer,
  type SurfaceServer,
} from '../testing/attack-surface';
import { startConversation } from '../testing/chat-clients';
import { startInjectableApp } from './scanners/injectable-app';
import { scanTargets, type ScanSeed, type ScanTarget } from './scanners/scan-targets';
import { requestFile, sqlmap, type SqlmapResult } from './scanners/sqlmap';
import { judge, readTriage, type Finding } from './scanners/triage';
import { wapiti } from './scanners/wapiti';

/*
 * Debian's sqlmap and wapiti against a real server on loopback, on PostgreSQL, with a seeded tenant so
 * every id and token is real. Bounded so the whole file takes a few minutes: `npm run security:scan`.
 * A finding fails the test unless security/scan-triage.json accepts it, and an entry there that matches
 * nothing any more fails it too.
 */

/** sqlmap processes at once: the machine's two cores also run the server and PostgreSQL. */
const parallelRuns = 2;

/** Runs `task` over `items`, `width` at a time, keeping their order. */
async function pooled<T, R>(items: T[], width: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);

describe('scanners: sqlmap and wapiti against the running server', () => {
  let fake: FakeOpenAI;
  let server: SurfaceServer;
  let host: string;
  let owner: AuthResponse;
  let seed: ScanSeed;
  let workDir: string;
  const triage = readTriage();

  before(async function () {
    this.timeout(60_000);
    workDir = mkdtempSync(join(tmpdir(), 'security-scan-'));
    fake = await startFakeOpenAI();
    server = await startSurfaceServer({
      dialect: 'postgresql',
      env: {
        OPENAI_API_KEY: FAKE_OPENAI_KEY,
        OPENAI_BASE_URL: fake.url,
        // The scan sends thousands of requests a minute; the per-address limits are met by the scanners'
        // random X-Forwarded-For, the global one is raised here, and the tokens outlive the scan.
        RATE_LIMIT_GLOBAL_PER_MINUTE: '1000000',
        ACCESS_TOKEN_TTL_SECONDS: '7200',
      },
    });
    host = new URL(server.url).host;
    const tenant = await seedSurfaceTenant(server, 'scan');
    owner = tenant.owner;
    const closable = await startConversation(server.api, tenant.bot.id);
    // A session of its own: a refresh rotates its token.
    const session = await server.api.post<AuthResponse>('/api/auth/login', {
      email: owner.user.email,
      password: 'correct horse battery staple',
    });
    seed = {
      ids: tenant.ids,
      ownerEmail: owner.user.email,
      ownerToken: owner.accessToken,
      visitorToken: tenant.visitor.visitorToken,
      closable: { conversationId: closable.conversationId, visitorToken: closable.visitorToken },
      refreshToken: session.body.refreshToken,
      invitationToken: tenant.invitationToken,
    };
  });
  after(async () => {
    await server?.stop();
    await fake?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('sqlmap finds the injection of a deliberately injectable route (so the scan can fail)', async function () {
    this.timeout(120_000);
    const app = await startInjectableApp();
    try {
      const target: ScanTarget = {
        name: 'GET /items (injectable)',
        method: 'GET',
        path: '/items',
        pathValues: [],
        query: { name: 'apple' },
      };
      const result = await sqlmap(target, { host: app.host, workDir: join(workDir, 'injectable') });
      console.log(`      injectable route: found in ${seconds(result.durationMs)} s`);
      assert.ok(result.injections.length > 0, `sqlmap missed the injection:\n${result.output}`);
      // Marked query values are what sqlmap calls URI parameters.
      assert.deepEqual(result.tested, ["URI parameter '#1*'"]);
    } finally {
      await app.stop();
    }
  });

  it('sqlmap finds no SQL injection in any parameter, path id, body or token of the REST API', async function () {
    this.timeout(600_000);
    const targets = scanTargets(restRoutes(server.app), seed);
    const started = performance.now();
    const results = await pooled(targets, parallelRuns, (target) =>
      sqlmap(target, { host, workDir: join(workDir, 'sqlmap') }),
    );
    const elapsed = performance.now() - started;

    const problems: string[] = [];
    for (const [index, result] of results.entries()) {
      const target = targets[index]!;
      const points = requestFile(target, host).split('*').length - 1;
      const statuses = Object.entries(result.statuses).map(([status, count]) => `${status}×${count}`);
      const answered = (status: number) => result.statuses[status] ?? 0;
      const total = Object.values(result.statuses).reduce((sum, count) => sum + count, 0);
      // Without a marker sqlmap tests every parameter it finds (a JSON body of numbers): one at least.
      if (result.tested.length < Math.max(points, 1)) {
        problems.push(
          `${target.name}: ${points} injection points, sqlmap tested ${result.tested.join('; ') || 'none'}:\n` +
            result.output
              .split('\n')
              .filter((line) => /WARNING|CRITICAL|ERROR/.test(line))
              .slice(-6)
              .join('\n'),
        );
      }
      // Requests the limiter or the login refused never reached the handler: that part went unscanned.
      if (answered(429) && !(target.limited && answered(429) < total)) {
        problems.push(`${target.name}: rate limited (${statuses.join(' ')})`);
      }
      if (answered(401) === total) problems.push(`${target.name}: every request refused (401)`);
      const failed = Object.keys(result.statuses).filter((status) => Number(status) >= 500);
      if (failed.length) problems.push(`${target.name}: server errors (${statuses.join(' ')})`);
    }
    const findings: Finding[] = results.flatMap((result: SqlmapResult) =>
      result.injections.map((detail) => ({
        scanner: 'sqlmap' as const,
        category: 'SQL injection',
        path: result.target,
        detail,
      })),
    );
    const { untriaged, stale } = judge(findings, triage, ['sqlmap']);
    const requests = results.reduce(
      (sum, result) => sum + Object.values(result.statuses).reduce((a, b) => a + b, 0),
      0,
    );
    const slowest = [...results].sort((a, b) => b.durationMs - a.durationMs)[0]!;
    console.log(
      `      sqlmap: ${targets.length} targets, ${results.reduce((sum, r) => sum + r.tested.length, 0)} injection ` +
        `points, ${requests} requests in ${seconds(elapsed)} s (slowest ${slowest.target} ${seconds(slowest.durationMs)} s)`,
    );
    assert.deepEqual(problems, [], `parts of the API the scan did not reach:\n${problems.join('\n')}`);
    assert.deepEqual(untriaged, [], 'SQL injection found');
    // sqlmap calls some values of creating routes "appear to be injectable" on the strength of answers that
    // differ anyway (each create has a new id), then rejects them in its own false-positive check. The
    // database says the same: its payloads were stored as the names they were sent as, quotes and all.
    const db = new pg.Client({ connectionString: server.env.DATABASE_URL });
    await db.connect();
    try {
      const { rows } = await db.query<{ name: string }>(
        `select name from chatbots where name like '%''%' or name like '%PG_SLEEP%' limit 5`,
      );
      assert.ok(rows.length > 0, 'no payload of sqlmap is stored as a bot name');
    } finally {
      await db.end();
    }
    assert.deepEqual(stale, [], 'triage entries of sqlmap that match no finding any more');
    assert.ok(targets.length > 50, `only ${targets.length} targets`);
  });

  it('wapiti crawls and attacks the dashboard, the widget, the demo page and the API without an untriaged finding', async function () {
    this.timeout(400_000);
    const admin = await fetch(`${server.url}/admin/`);
    assert.equal(admin.status, 200, 'the dashboard is not built: node --import tsx scripts/build-admin.ts');
    const widget = await fetch(`${server.url}/widget/chat-bot.js`);
    assert.equal(widget.status, 200, 'the widget is not built: npm run build -w widget');
    const gets = scanTargets(restRoutes(server.app), seed).filter(
      (target) => target.method === 'GET' && !target.injectAuthorization,
    );
    const start = [
      '/admin/',
      '/widget/chat-bot.js',
      ...gets.map(
        ({ path, query }) => `${path}${Object.keys(query).length ? `?${new URLSearchParams(query)}` : ''}`,
      ),
    ].map((path) => new URL(path, server.url).href);
    const result = await wapiti({
      origin: server.url,
      start,
      headers: [`Authorization: Bearer ${seed.ownerToken}`],
      workDir: join(workDir, 'wapiti'),
      maxScanSeconds: 120,
    });
    const findings: Finding[] = result.findings.map((finding) => ({
      scanner: 'wapiti',
      category: finding.category,
      path: `${finding.method} ${finding.path}`,
      detail: `${finding.section}: ${finding.info} (parameter ${finding.parameter || 'none'})`,
    }));
    const { untriaged, stale } = judge(findings, triage, ['wapiti']);
    console.log(
      `      wapiti: ${result.attacked.length} URLs crawled, ${result.findings.length} findings ` +
        `(${untriaged.length} untriaged) in ${seconds(result.durationMs)} s`,
    );
    const reached = (path: string) =>
      result.attacked.some((url) => url.startsWith(new URL(path, server.url).href));
    for (const path of [
      '/admin/',
      '/widget/chat-bot.js',
      `/demo/${seed.ids.bot}`,
      '/api/leads?',
      '/api/conversations?',
    ]) {
      assert.ok(reached(path), `wapiti did not reach ${path}:\n${result.output.slice(-3000)}`);
    }
    assert.deepEqual(untriaged, [], 'wapiti findings not in security/scan-triage.json');
    assert.deepEqual(stale, [], 'triage entries of wapiti that match no finding any more');
  });
});

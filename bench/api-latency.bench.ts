/**
 * API latency of the platform's authenticated read path (token check, session lookup, tenant-filtered
 * query, presenter) against a raw node:http server answering the same JSON from memory, in one process.
 * Machines are shared and noisy: read the ratio, not the absolute numbers.
 *
 *   npm run bench:api [-- --requests 3000 --concurrency 20 --dialect sqlite|postgresql]
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { buildBot, buildTenant } from '../server/src/testing/factories';
import { startTestServer } from '../server/src/testing/test-server';
import { formatRow, measure } from './latency';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '3000' },
    concurrency: { type: 'string', default: '20' },
    dialect: { type: 'string', default: 'sqlite' },
  },
});
const requests = Number(values.requests);
const concurrency = Number(values.concurrency);
const dialect = values.dialect === 'postgresql' ? 'postgresql' : 'sqlite';

const platform = await startTestServer({ dialect });
const owner = await buildTenant(platform.api);
const bot = await buildBot(platform.api, owner.accessToken);
const body = JSON.stringify(bot);
const baseline = createServer((_req, res) =>
  res.writeHead(200, { 'content-type': 'application/json' }).end(body),
);
await new Promise<void>((resolve) => baseline.listen(0, '127.0.0.1', resolve));
const baselineUrl = `http://127.0.0.1:${(baseline.address() as { port: number }).port}/api/chatbots/${bot.id}`;

const get = (url: string, token?: string) => async () => {
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  await response.arrayBuffer();
};
const platformGet = get(`${platform.url}/api/chatbots/${bot.id}`, owner.accessToken);
const baselineGet = get(baselineUrl);

// Warm both paths (JIT, connection pools, SQLite page cache) before measuring.
await measure(300, concurrency, platformGet);
await measure(300, concurrency, baselineGet);
const raw = await measure(requests, concurrency, baselineGet);
const api = await measure(requests, concurrency, platformGet);

console.log(`GET /api/chatbots/:id, ${requests} requests, ${concurrency} concurrent clients, ${dialect}`);
console.log(formatRow('baseline: raw node:http, same JSON', raw));
console.log(formatRow('platform: Express + auth + ORM', api));
console.log(
  `ratio platform/baseline: p50 ${(api.p50 / raw.p50).toFixed(1)}x, p95 ${(api.p95 / raw.p95).toFixed(1)}x, throughput ${(api.throughput / raw.throughput).toFixed(2)}x`,
);
console.log(`target: p95 under 500 ms -> ${api.p95 < 500 ? 'met' : 'NOT met'} (${api.p95.toFixed(1)} ms)`);

baseline.close();
await platform.stop();

/**
 * b. Bursts (k6 twin of `bench:load burst`): BURST requests (default 1000) from 100 virtual visitors at
 * once, every visitor address in X-Forwarded-For.
 *
 * PHASE=limits (default; a deployment with the default limits and a fresh minute): four bursts 15 s apart,
 * each aimed at one limit; counters `served` and `limited` (tagged with the burst and the 429's
 * RateLimit-Limit) and `retry_after_missing`, with thresholds at what the plan's limits allow:
 *   config, one address: 300 a minute per address (the config route's own limit);
 *   start, 10 addresses, a bot allowing 20 per address: 200;
 *   start, an address each, a bot with the defaults (100 a minute): 100;
 *   start, an address each, a bot at its ceilings: what is left of the platform's 1000 a minute (700).
 * PHASE=throughput (RATE_LIMIT_GLOBAL_PER_MINUTE raised on the deployment): config and start bursts at a
 * bot at its ceilings, every request its own address, with the plan's API target (p95 under 500 ms).
 *
 *   k6 run -e BASE_URL=http://127.0.0.1:3000 [-e PHASE=throughput] bench/k6/burst.js
 */
import exec from 'k6/execution';
import http from 'k6/http';
import { Counter } from 'k6/metrics';
import { API_P95, BASE_URL, address, createBot, registerTenant } from './lib/platform.js';

const BURST = Number(__ENV.BURST ?? 1000);
const PHASE = __ENV.PHASE ?? 'limits';
const VUS = Math.min(100, BURST);

const served = new Counter('served');
const limited = new Counter('limited');
const retryAfterMissing = new Counter('retry_after_missing');

/** Each burst: the scenario, where it aims, the addresses it comes from, what the limits allow. */
const LIMIT_BURSTS = [
  {
    name: 'config_one_address',
    route: 'config',
    bot: 'defaults',
    addresses: 1,
    allowed: Math.min(BURST, 300),
  },
  {
    name: 'start_per_address',
    route: 'start',
    bot: 'perAddress',
    addresses: 10,
    allowed: Math.min(BURST, 200),
  },
  { name: 'start_per_bot', route: 'start', bot: 'defaults', addresses: BURST, allowed: Math.min(BURST, 100) },
  { name: 'start_global', route: 'start', bot: 'raised', addresses: BURST, allowed: Math.min(BURST, 700) },
];
const THROUGHPUT_BURSTS = [
  { name: 'config_throughput', route: 'config', bot: 'raised', addresses: BURST, allowed: BURST },
  { name: 'start_throughput', route: 'start', bot: 'raised', addresses: BURST, allowed: BURST },
];
const BURSTS = PHASE === 'throughput' ? THROUGHPUT_BURSTS : LIMIT_BURSTS;

/** @type {import('k6/options').Options} */
export const options = {
  setupTimeout: '2m',
  scenarios: Object.fromEntries(
    BURSTS.map((burst, i) => [
      burst.name,
      {
        executor: 'shared-iterations',
        exec: 'burst',
        vus: VUS,
        iterations: BURST,
        startTime: `${i * 15}s`,
        maxDuration: '14s',
        env: { BURST_INDEX: String(i) },
      },
    ]),
  ),
  thresholds: Object.fromEntries([
    ...BURSTS.map((burst) => [`served{burst:${burst.name}}`, [`count==${burst.allowed}`]]),
    ['retry_after_missing', ['count==0']],
    ...(PHASE === 'throughput' ? [['http_req_duration{kind:api}', [API_P95]]] : []),
  ]),
};

/** Three bots: the defaults (100 a minute, 20 per address), 20 per address alone, and the ceilings. */
export function setup() {
  const tenant = registerTenant();
  return {
    defaults: createBot(tenant),
    perAddress: createBot(tenant, { perMinute: 10_000, perIpPerMinute: 20 }),
    raised: createBot(tenant, { perMinute: 10_000, perIpPerMinute: 1000 }),
  };
}

/** @param {Record<string, string>} bots */
export function burst(bots) {
  const spec = BURSTS[Number(__ENV.BURST_INDEX)];
  const n = exec.scenario.iterationInTest;
  const botId = bots[spec.bot];
  const params = {
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address(1 + (n % spec.addresses)) },
    tags: { kind: 'api', burst: spec.name },
  };
  const response =
    spec.route === 'config'
      ? http.get(`${BASE_URL}/api/public/bot/${botId}/config`, params)
      : http.post(`${BASE_URL}/api/public/conversation/${botId}/start`, '{}', params);
  if (response.status === 429) {
    limited.add(1, { burst: spec.name, limit: String(response.headers['Ratelimit-Limit'] ?? 'none') });
    if (!response.headers['Retry-After']) retryAfterMissing.add(1);
  } else if (response.status < 400) served.add(1, { burst: spec.name });
}

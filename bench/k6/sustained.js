/**
 * c. A sustained mix (k6 twin of `bench:load sustained`): RATE requests a second (default 50) for
 * DURATION (default 60s), open loop (constant-arrival-rate): bot config reads 40%, conversation starts
 * 20%, REST chat 20% (each waiting for the whole answer, over a pool of conversations started in setup),
 * dashboard list calls 20% (conversations, bots, leads, documents). Each request is tagged with its kind
 * and with the third of the run it started in, so the summary shows whether latency stays flat: compare
 * the p95 of the threshold lines `http_req_duration{kind:api,third:1}` and `{kind:api,third:3}`.
 * Threshold: the plan's API target (p95 under 500 ms) on everything but the chat, whose time is the model's.
 * Visitor requests spend the platform-wide limit: raise RATE_LIMIT_GLOBAL_PER_MINUTE on the deployment.
 *
 *   k6 run -e BASE_URL=http://127.0.0.1:3000 -e RATE=50 -e DURATION=60s bench/k6/sustained.js
 */
import exec from 'k6/execution';
import http from 'k6/http';
import {
  API_P95,
  BASE_URL,
  QUESTIONS,
  address,
  createBot,
  registerTenant,
  startConversation,
  teachCorpus,
} from './lib/platform.js';

const RATE = Number(__ENV.RATE ?? 50);
const DURATION = __ENV.DURATION ?? '60s';
const POOL = 200;
const MIX = { config: 0.4, start: 0.2, chat: 0.2, dashboard: 0.2 };

/** @type {import('k6/options').Options} */
export const options = {
  setupTimeout: '5m',
  scenarios: Object.fromEntries(
    Object.entries(MIX).map(([kind, share]) => [
      kind,
      {
        executor: 'constant-arrival-rate',
        exec: kind,
        rate: Math.max(1, Math.round(RATE * share)),
        timeUnit: '1s',
        duration: DURATION,
        preAllocatedVUs: 20,
        maxVUs: 200,
      },
    ]),
  ),
  thresholds: {
    'http_req_duration{kind:api}': [API_P95],
    // Listed so that k6 keeps these sub-metrics for the summary's comparison of the thirds.
    'http_req_duration{kind:api,third:1}': [API_P95],
    'http_req_duration{kind:api,third:3}': [API_P95],
    'http_req_duration{kind:chat}': ['p(95)<10000'],
    http_req_failed: ['rate<0.01'],
  },
};

/** A bot taught the corpus, and a pool of conversations for the chat, each from its own address. */
export function setup() {
  const tenant = registerTenant();
  const botId = createBot(tenant, { perMinute: 10_000, perIpPerMinute: 20 });
  teachCorpus(tenant, botId);
  const pool = Array.from({ length: POOL }, (_, i) => ({
    ...startConversation(botId, i + 1),
    visitor: i + 1,
  }));
  return { token: tenant.token, botId, pool, started: Date.now() };
}

/** @typedef {{ token: string, botId: string, pool: Array<{ conversationId: string, visitorToken: string, visitor: number }>, started: number }} Data */

const third = () => String(Math.min(3, 1 + Math.floor(exec.scenario.progress * 3)));
/**
 * @param {string} kind
 * @param {Record<string, string>} headers
 */
const params = (kind, headers = {}) => ({
  headers: { 'content-type': 'application/json', ...headers },
  tags: { kind, third: third() },
});

/** @param {Data} data */
export function config(data) {
  const n = POOL + exec.scenario.iterationInTest;
  http.get(
    `${BASE_URL}/api/public/bot/${data.botId}/config`,
    params('api', { 'x-forwarded-for': address(n) }),
  );
}

/** @param {Data} data */
export function start(data) {
  const n = 100_000 + exec.scenario.iterationInTest;
  http.post(
    `${BASE_URL}/api/public/conversation/${data.botId}/start`,
    '{}',
    params('api', { 'x-forwarded-for': address(n) }),
  );
}

/** @param {Data} data */
export function chat(data) {
  const n = exec.scenario.iterationInTest;
  const visitor = data.pool[n % data.pool.length];
  http.post(
    `${BASE_URL}/api/public/chat/${data.botId}`,
    JSON.stringify({
      conversationId: visitor.conversationId,
      message: `${QUESTIONS[n % QUESTIONS.length]} (message ${n})`,
      clientMessageId: `k6-chat-${n}`,
    }),
    params('chat', {
      authorization: `Bearer ${visitor.visitorToken}`,
      'x-forwarded-for': address(visitor.visitor),
    }),
  );
}

const LISTS = ['/api/conversations?limit=20', '/api/chatbots', '/api/leads', '/api/documents?botId='];

/** @param {Data} data */
export function dashboard(data) {
  const path = LISTS[exec.scenario.iterationInTest % LISTS.length];
  http.get(
    `${BASE_URL}${path}${path.endsWith('=') ? data.botId : ''}`,
    params('api', { authorization: `Bearer ${data.token}` }),
  );
}

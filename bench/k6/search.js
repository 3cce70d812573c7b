/**
 * d. Vector searches at a steady rate (k6 twin of `bench:load search`): RATE searches a second (default
 * 100) for DURATION (default 30s), open loop (constant-arrival-rate), through the platform's search,
 * `POST /api/chatbots/:id/retrieval-test` (embedding, Chroma, BM25, fusion), over a bot taught the
 * evaluation corpus documents, asking the evaluation questions they answer. Threshold: the plan's API
 * target, p95 under 500 ms, and fewer than 1% failed requests. Give BOT_ID and TOKEN (an owner's or
 * admin's access token) to search a bot that is already taught instead.
 *
 *   k6 run -e BASE_URL=http://127.0.0.1:3000 -e RATE=100 bench/k6/search.js
 */
import { check } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import { API_P95, BASE_URL, QUESTIONS, createBot, registerTenant, teachCorpus } from './lib/platform.js';

/** @type {import('k6/options').Options} */
export const options = {
  setupTimeout: '5m',
  scenarios: {
    search: {
      executor: 'constant-arrival-rate',
      rate: Number(__ENV.RATE ?? 100),
      timeUnit: '1s',
      duration: __ENV.DURATION ?? '30s',
      preAllocatedVUs: 50,
      maxVUs: 500,
    },
  },
  thresholds: {
    'http_req_duration{kind:api}': [API_P95],
    http_req_failed: ['rate<0.01'],
  },
};

/** The bot to search: BOT_ID and TOKEN, or a new one taught the corpus. */
export function setup() {
  if (__ENV.BOT_ID && __ENV.TOKEN) return { botId: __ENV.BOT_ID, token: __ENV.TOKEN };
  const tenant = registerTenant();
  const botId = createBot(tenant);
  teachCorpus(tenant, botId);
  return { botId, token: tenant.token };
}

/** @param {{ botId: string, token: string }} data */
export default function (data) {
  const response = http.post(
    `${BASE_URL}/api/chatbots/${data.botId}/retrieval-test`,
    JSON.stringify({ query: QUESTIONS[exec.scenario.iterationInTest % QUESTIONS.length] }),
    {
      headers: { 'content-type': 'application/json', authorization: `Bearer ${data.token}` },
      tags: { kind: 'api', name: 'retrieval-test' },
    },
  );
  check(response, {
    'passages found': (r) => r.status === 200 && /** @type {any} */ (r.json()).passages.length > 0,
  });
}

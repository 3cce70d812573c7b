/**
 * What the k6 scenarios share: the deployment they run against, a tenant and bots made in `setup()`
 * through the public API, documents taught from the evaluation corpus (bench/eval/corpus, with the
 * questions of bench/eval/questions.json that those documents answer), and visitor addresses for
 * X-Forwarded-For (honoured only from addresses the deployment's TRUST_PROXY trusts).
 */
import { check, fail, sleep } from 'k6';
import http from 'k6/http';

/** The deployment under load, e.g. `http://127.0.0.1:3000` (BASE_URL). */
export const BASE_URL = (__ENV.BASE_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');

/** The plan's target for API calls: p95 under 500 ms. */
export const API_P95 = 'p(95)<500';

/** Documents of the evaluation corpus the scenarios teach, and the questions they answer. */
const DOCUMENTS = ['ioredis.md', 'socket.io.md', 'rate-limiter-flexible.md', 'lru-cache.md', 'helmet.md'];
// open() works in the init context only: read once per VU, at load.
const CORPUS = DOCUMENTS.map((name) => ({ name, text: open(`../eval/corpus/${name}`) }));
/** @type {{ answerable: Array<{ question: string, document: string }> }} */
const EVAL = JSON.parse(open('../eval/questions.json'));
export const QUESTIONS = EVAL.answerable
  .filter((question) => DOCUMENTS.includes(question.document))
  .map((question) => question.question);

/** @param {string=} token */
const json = (token) => ({
  headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  tags: { kind: 'setup' },
});

/**
 * @typedef {object} Tenant
 * @property {string} token  the owner's access token (ACCESS_TOKEN_TTL_SECONDS must outlast the run)
 */

/** Registers a tenant; its owner signs in. @returns {Tenant} */
export function registerTenant() {
  const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`;
  const response = http.post(
    `${BASE_URL}/api/auth/register`,
    JSON.stringify({
      email: `k6-${suffix}@example.com`,
      password: 'correct horse battery staple',
      name: `k6 ${suffix}`,
      companyName: `k6 load ${suffix}`,
    }),
    json(),
  );
  if (response.status !== 201) fail(`register answered ${response.status}: ${response.body}`);
  return { token: /** @type {any} */ (response.json()).accessToken };
}

/**
 * Creates a published bot.
 * @param {Tenant} tenant
 * @param {{ perMinute: number, perIpPerMinute: number }=} rateLimits  the bot's own limits (defaults 100, 20)
 * @returns {string} its id
 */
export function createBot(tenant, rateLimits) {
  const response = http.post(
    `${BASE_URL}/api/chatbots`,
    JSON.stringify({ name: 'k6 bot', status: 'published', ...(rateLimits ? { rateLimits } : {}) }),
    json(tenant.token),
  );
  if (response.status !== 201) fail(`create bot answered ${response.status}: ${response.body}`);
  return /** @type {any} */ (response.json()).id;
}

/**
 * Uploads the corpus documents to a bot (one a request: the form field is `file` for each) and waits
 * until all are indexed.
 * @param {Tenant} tenant
 * @param {string} botId
 */
export function teachCorpus(tenant, botId) {
  const ids = CORPUS.map((document) => {
    const response = http.post(
      `${BASE_URL}/api/documents/upload`,
      { botId, file: http.file(document.text, document.name, 'text/plain') },
      { headers: { authorization: `Bearer ${tenant.token}` }, tags: { kind: 'setup' } },
    );
    if (response.status !== 202) fail(`upload answered ${response.status}: ${response.body}`);
    return /** @type {any} */ (response.json()).documents[0].id;
  });
  for (const id of ids) {
    for (let tries = 0; ; tries++) {
      const document = /** @type {any} */ (
        http.get(`${BASE_URL}/api/documents/${id}`, json(tenant.token)).json()
      );
      if (document.status === 'completed') break;
      if (document.status === 'failed' || tries > 600)
        fail(`document ${document.name} is ${document.status}`);
      sleep(0.5);
    }
  }
}

/**
 * The n-th simulated visitor's address, in 10.0.0.0/8.
 * @param {number} n
 */
export function address(n) {
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/**
 * Starts a conversation as visitor `n` would.
 * @param {string} botId
 * @param {number} n
 * @returns {{ conversationId: string, visitorToken: string }}
 */
export function startConversation(botId, n) {
  const response = http.post(`${BASE_URL}/api/public/conversation/${botId}/start`, '{}', {
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address(n) },
    tags: { kind: 'api', name: 'start' },
  });
  check(response, { 'conversation started': (r) => r.status === 201 });
  return /** @type {any} */ (response.json());
}

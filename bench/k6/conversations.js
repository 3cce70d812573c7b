/**
 * a. Concurrent conversations (k6 twin of `bench:load conversations`): CONVERSATIONS virtual visitors
 * (default 100) at once each start a conversation over REST, connect to the `/widget` namespace
 * (Socket.IO framed by hand, lib/socket-io.js), join, and send MESSAGES questions (default 10) in a row,
 * each waiting for `message:done`. Trends: `socket_ack` (message:send acknowledged), `first_delta` and
 * `message_done`, from the emit. Thresholds: the plan's API target (p95 under 500 ms) on the REST start and
 * the ack; the answer's times depend on the model and have none.
 *
 *   k6 run -e BASE_URL=http://127.0.0.1:3000 bench/k6/conversations.js
 */
import { check } from 'k6';
import { Counter, Trend } from 'k6/metrics';
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
import { connectSocketIo } from './lib/socket-io.js';

const CONVERSATIONS = Number(__ENV.CONVERSATIONS ?? 100);
const MESSAGES = Number(__ENV.MESSAGES ?? 10);
/** Longest wait for an answer's end before the message counts as timed out. */
const ANSWER_TIMEOUT_MS = 60_000;

const ack = new Trend('socket_ack', true);
const firstDelta = new Trend('first_delta', true);
const done = new Trend('message_done', true);
const failures = new Counter('chat_failures');

/** @type {import('k6/options').Options} */
export const options = {
  setupTimeout: '5m',
  scenarios: {
    conversations: { executor: 'per-vu-iterations', vus: CONVERSATIONS, iterations: 1, maxDuration: '10m' },
  },
  thresholds: {
    'http_req_duration{kind:api}': [API_P95],
    socket_ack: [API_P95],
    chat_failures: ['count==0'],
    checks: ['rate>0.99'],
  },
};

/** A tenant with a bot taught the corpus, its limits at their ceilings (each visitor has its own address). */
export function setup() {
  const tenant = registerTenant();
  const botId = createBot(tenant, { perMinute: 10_000, perIpPerMinute: 1000 });
  teachCorpus(tenant, botId);
  return { botId };
}

/** @param {{ botId: string }} data */
export default async function (data) {
  const { conversationId, visitorToken } = startConversation(data.botId, __VU);
  const socket = await connectSocketIo(
    BASE_URL,
    '/widget',
    { botId: data.botId, visitorToken },
    { 'X-Forwarded-For': address(__VU) },
  );
  check(await socket.request('conversation:join', { conversationId }), { joined: (answer) => answer.ok });
  for (let i = 0; i < MESSAGES; i++) {
    const text = `${QUESTIONS[(__VU * MESSAGES + i) % QUESTIONS.length]} (visitor ${__VU}, message ${i})`;
    const sent = Date.now();
    let firstAt = 0;
    const onDelta = () => (firstAt ||= Date.now());
    socket.on('message:delta', onDelta);
    const answered = socket.next('message:done', ANSWER_TIMEOUT_MS);
    const reply = await socket.request('message:send', {
      conversationId,
      text,
      clientMessageId: `k6-${__VU}-${i}`,
    });
    ack.add(Date.now() - sent);
    if (!check(reply, { 'message:send acknowledged': (answer) => answer.ok })) {
      failures.add(1, { kind: reply.error?.code ?? 'ack' });
      break;
    }
    const answer = await answered;
    socket.off('message:delta', onDelta);
    if (!check(answer, { 'answer complete': (payload) => payload?.state === 'complete' })) {
      failures.add(1, { kind: answer ? answer.state : 'timeout' });
      break;
    }
    if (firstAt) firstDelta.add(firstAt - sent);
    done.add(Date.now() - sent);
  }
  socket.close();
}

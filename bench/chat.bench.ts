/**
 * The chat engine under load, in one run, on one embedded-mode node (SQLite, Socket.IO's in-memory adapter,
 * embedded Chroma) whose model is the fake OpenAI server streaming its answer with zero delay, so every
 * millisecond measured is the platform's: the socket event, rate limits, storing the question, embedding it
 * (through the fake) and querying Chroma for real, building the prompt, storing and streaming the answer.
 *
 * 1. Time to first token: BENCH_CONVERSATIONS visitors (default 50) at once, each on its own socket and
 *    conversation, ask BENCH_QUESTIONS questions (default 20) in a row, each waiting for `message:done`
 *    before the next; measured from the emit of `message:send` to the answer's first `message:delta`, and
 *    to `message:done`. Every question is distinct, so the answer cache (first questions, by normalised
 *    text) never answers; the cached path is a row of its own, from fresh conversations repeating a
 *    measured conversation's first question.
 *    Baseline: a bare Socket.IO 4.8 server answering an acknowledged echo, with the same clients, count
 *    and concurrency: the floor any Socket.IO request/response pays (frames, parsing, the event loop), so
 *    the ratio is what the chat engine adds on top of the transport it is built on.
 * 2. Sockets one node holds while answering: visitors connect in doubling steps (BENCH_FIRST_STEP, default
 *    1000, up to BENCH_MAX_SOCKETS, default 8000), each with a conversation started over REST and joined;
 *    at each step BENCH_SAMPLE of them (default 50) ask BENCH_STEP_QUESTIONS questions (default 3) while
 *    the rest stay idle, and the server reports its memory. The raw server's memory for as many idle
 *    sockets is the baseline.
 *
 * Both servers run in a child process (bench/chat-node.ts), the clients and the fake model here, so the
 * server's memory is its own and server and clients do not share an event loop, for either; each phase
 * also prints the server's CPU time per request, and this process's share of a core (when it nears 100%,
 * the clients, not the server, set the pace). Every visitor
 * comes from an address of its own (X-Forwarded-For, which the default TRUST_PROXY=loopback honours), as
 * behind a proxy, so per-IP limits hold; a bot takes at most 10,000 visitor requests a minute (its
 * schema's ceiling), so the ramp spreads its visitors over a bot per 5,000.
 * Machines are shared and noisy: read the ratios, not the absolute numbers.
 *
 *   npm run bench:chat
 *   BENCH_CONVERSATIONS=50 BENCH_QUESTIONS=20 BENCH_MAX_SOCKETS=8000 npm run bench:chat
 *
 * Also BENCH_SAMPLE, BENCH_STEP_QUESTIONS, BENCH_STEP_SECONDS and BENCH_DEADLINE_SECONDS (below), and
 * BENCH_NODE_ARGS (extra node flags for the servers, e.g. --cpu-prof) and BENCH_LOG_LEVEL (the platform's).
 * The ramp also stops short of the open-files limit, which both sides of every socket count against.
 */
import { readFileSync } from 'node:fs';
import type { Socket } from 'socket.io-client';
import { startFakeOpenAI } from '@chatbot/shared/testing';
import { clientMessageId } from '../server/src/testing/chat-clients';
import type { NodeStats } from './chat-node';
import { formatRow } from './latency';
import {
  CONNECT_CONCURRENCY,
  startNode,
  descendantsRss,
  nextAddress,
  connect,
  ok,
  type Visitor,
  visitor,
  type Answer,
  freshQuestion,
  ask,
  summarise,
  rounds,
  connectMore,
  cpu,
  mb,
  ms,
  ratio,
  per1000,
  closeAll,
  sockets,
} from './chat-harness';
function setting(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
  return value;
}
const CONVERSATIONS = setting('BENCH_CONVERSATIONS', 50);
const QUESTIONS = setting('BENCH_QUESTIONS', 20);
const FIRST_STEP = setting('BENCH_FIRST_STEP', 1000);
const MAX_SOCKETS = setting('BENCH_MAX_SOCKETS', 8000);
const SAMPLE = setting('BENCH_SAMPLE', 50);
const STEP_QUESTIONS = setting('BENCH_STEP_QUESTIONS', 3);
/** A step whose sockets take longer than this to connect is the ramp's last. */
const STEP_SECONDS = setting('BENCH_STEP_SECONDS', 90);
/** The ramp takes no step it would not finish by then, counted from the start (the run stays near 5 min). */
const DEADLINE_SECONDS = setting('BENCH_DEADLINE_SECONDS', 240);
// The platform's flood guard allows a socket 50 events per 10 s; a conversation also sends its join.
if (QUESTIONS > 45) throw new RangeError('BENCH_QUESTIONS above 45 would trip the per-socket flood guard');

/** Rounds of fresh conversations for the cached row, CONVERSATIONS each. */
const CACHED_ROUNDS = 4;
const VISITORS_PER_BOT = 5000;
const WARM_UP_VISITORS = 10;
const WARM_UP_QUESTIONS = 3;
/** About a short answer's length (~45 words, so as many deltas), citing the first passage. */
const ANSWER =
  'You can return an unused item within 30 days of delivery for a full refund, as long as it is in its ' +
  'original box [1]. Start the return from your order page and we will email you a prepaid label; the ' +
  'refund reaches your card a few days after the parcel arrives.';

// ---- the run --------------------------------------------------------------------------------------------

const began = performance.now();
const openFiles = /Max open files\s+(\d+)\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'));
const [softFiles, hardFiles] = [Number(openFiles?.[1] ?? 1024), Number(openFiles?.[2] ?? 1024)];
// Each socket costs a descriptor on both sides, and the server child inherits this limit; no process may
// raise its soft limit past the hard one without privilege. Leave room for Chroma, SQLite and REST.
const socketCeiling = Math.min(MAX_SOCKETS, softFiles - 1000);
const steps: number[] = [];
for (let step = FIRST_STEP; steps.at(-1) !== socketCeiling; step *= 2)
  steps.push(Math.min(step, socketCeiling));

const fake = await startFakeOpenAI();
fake.replyWith(ANSWER);
console.log(
  `bench:chat: servers in a child process each; clients and the zero-latency fake OpenAI in this one. ` +
    `Open files: soft ${softFiles}, hard ${hardFiles}.`,
);

// 1a. Baseline: the raw Socket.IO echo; then its memory with as many idle sockets as the ramp's ceiling.
const rawNode = await startNode('raw');
const rawSockets = await Promise.all(
  Array.from({ length: CONVERSATIONS }, () => connect(rawNode.url, {}, nextAddress())),
);
const echo = async (socket: Socket) => {
  const sent = performance.now();
  await ok(socket, 'echo', {
    conversationId: 'c',
    text: freshQuestion(),
    clientMessageId: clientMessageId(),
  });
  return performance.now() - sent;
};
await rounds(rawSockets, 5, echo); // warm-up
const rawFrom = await rawNode.stats(false);
const rawClient = process.cpuUsage();
const [rawSamples, rawSeconds] = await rounds(rawSockets, QUESTIONS, echo);
const rawCpu = cpu(
  rawFrom,
  await rawNode.stats(false),
  process.cpuUsage(rawClient),
  rawSeconds,
  rawSamples.length,
);
const raw = summarise(rawSamples, rawSeconds);
closeAll(rawSockets);
const rawIdle = await rawNode.stats();
const rawRamp = await connectMore(socketCeiling, async () => {
  rawSockets.push(await connect(rawNode.url, {}, nextAddress()));
});
const rawFull = await rawNode.stats();
const rawHeld = rawSockets.length;
closeAll(rawSockets);
await rawNode.stop();

// 1b. The platform: warm up, then the measured conversations, then the cached first questions.
const node = await startNode('platform', {
  BENCH_OPENAI_URL: fake.url,
  BENCH_BOTS: String(1 + Math.ceil(socketCeiling / VISITORS_PER_BOT)),
});
const [chatBot, ...rampBots] = node.botIds as [string, ...string[]];
const newVisitors = (count: number) =>
  Promise.all(Array.from({ length: count }, () => visitor(node.url, chatBot)));
const warmUp = await newVisitors(WARM_UP_VISITORS);
await rounds(warmUp, WARM_UP_QUESTIONS, (chat) => ask(chat, freshQuestion()));
closeAll(sockets(warmUp));

const chats = await newVisitors(CONVERSATIONS);
const firstQuestions = chats.map(() => freshQuestion());
const chatFrom = await node.stats(false);
const chatClient = process.cpuUsage();
const [answers, chatSeconds] = await rounds(chats, QUESTIONS, (chat, i) =>
  ask(chat, i === 0 ? firstQuestions[chats.indexOf(chat)]! : freshQuestion()),
);
const chatCpu = cpu(
  chatFrom,
  await node.stats(false),
  process.cpuUsage(chatClient),
  chatSeconds,
  answers.length,
);
closeAll(sockets(chats));
const firstToken = summarise(
  answers.map((answer) => answer.firstToken),
  chatSeconds,
);
const toDone = summarise(
  answers.map((answer) => answer.done),
  chatSeconds,
);

const cachedAnswers: Answer[] = [];
let cachedSeconds = 0;
let cachedCpuMs = 0;
for (let round = 0; round < CACHED_ROUNDS; round++) {
  const fresh = await newVisitors(CONVERSATIONS);
  const from = await node.stats(false);
  const [some, seconds] = await rounds(fresh, 1, (chat) => ask(chat, firstQuestions[fresh.indexOf(chat)]!));
  cachedCpuMs += (await node.stats(false)).cpuMs - from.cpuMs;
  cachedAnswers.push(...some);
  cachedSeconds += seconds;
  closeAll(sockets(fresh));
}
const cached = summarise(
  cachedAnswers.map((answer) => answer.firstToken),
  cachedSeconds,
);

console.log(
  `\n1. Time to first token: ${CONVERSATIONS} concurrent conversations x ${QUESTIONS} distinct questions ` +
    `(${answers.length} answers), each waiting for message:done before the next; req/s are answers/s`,
);
console.log(formatRow('baseline: raw Socket.IO echo ack', raw));
console.log(formatRow('platform: send -> first delta', firstToken));
console.log(formatRow('platform: send -> message:done', toDone));
console.log(formatRow('cached 1st question -> 1st delta', cached));
console.log(`ratio platform first delta / raw ack: ${ratio(firstToken, raw)}`);
console.log(`raw echo: ${rawCpu}`);
console.log(`platform: ${chatCpu}`);
const meanDeltas = answers.reduce((sum, answer) => sum + answer.deltas, 0) / answers.length;
console.log(
  `answers citing a retrieved passage: ${answers.filter((answer) => answer.cited).length}/${answers.length}, ` +
    `${meanDeltas.toFixed(0)} deltas each; cached row: ${cachedAnswers.length} fresh conversations repeating ` +
    `a measured first question, ${cachedAnswers.filter((answer) => answer.deltas === 1).length} answered ` +
    `whole from the cache, server CPU ${(cachedCpuMs / cachedAnswers.length).toFixed(2)} ms each`,
);

// 2. The ramp: visitors in doubling steps, a sample asking at each while the rest stay idle.
console.log(
  `\n2. Visitor sockets on one node, each with its own conversation (started over REST and joined, ` +
    `${CONNECT_CONCURRENCY} at a time); at each step ${SAMPLE} of them ask ${STEP_QUESTIONS} questions in a ` +
    `row. Server memory after a forced GC; Chroma, the node's child process, apart.`,
);
console.log(
  `${'sockets'.padStart(7)}  ${'connect: s, rate, CPU each'.padStart(26)}  ${'server RSS'.padStart(10)}  ${'heap used'.padStart(9)}` +
    `  ${'Chroma RSS'.padStart(10)}  ${'first delta p50 / p95 / p99'.padEnd(30)}  done p50`,
);
const row = (count: number, connecting: string, stats: NodeStats, latency: string) =>
  console.log(
    `${String(count).padStart(7)}  ${connecting.padStart(26)}  ${mb(stats.rss).padStart(10)}  ` +
      `${mb(stats.heapUsed).padStart(9)}  ${mb(descendantsRss(node.pid)).padStart(10)}  ${latency}`,
  );
const idle = await node.stats();
row(0, '', idle, '');
const crowd: Visitor[] = [];
const held: { sockets: number; stats: NodeStats }[] = [];
let stopped = '';
let rate = 0;
for (const target of steps) {
  const elapsed = (performance.now() - began) / 1000;
  if (rate && elapsed + (target - crowd.length) / rate > DEADLINE_SECONDS) {
    stopped = `the step to ${target} would end past BENCH_DEADLINE_SECONDS (${DEADLINE_SECONDS} s)`;
    break;
  }
  const had = crowd.length;
  const from = await node.stats(false);
  const { seconds, failure } = await connectMore(target - had, async () => {
    const bot = rampBots[Math.floor(crowd.length / VISITORS_PER_BOT) % rampBots.length]!;
    crowd.push(await visitor(node.url, bot));
  });
  rate = (crowd.length - had) / seconds;
  const connectCpuMs = ((await node.stats(false)).cpuMs - from.cpuMs) / (crowd.length - had);
  if (failure) stopped = `connecting failed at ${crowd.length} sockets: ${String(failure)}`;
  const size = Math.min(SAMPLE, crowd.length);
  const sample = Array.from({ length: size }, (_, i) => crowd[Math.floor((i * crowd.length) / size)]!);
  const [sampled, sampleSeconds] = await rounds(sample, STEP_QUESTIONS, (chat) => ask(chat, freshQuestion()));
  const first = summarise(
    sampled.map((answer) => answer.firstToken),
    sampleSeconds,
  );
  const done = summarise(
    sampled.map((answer) => answer.done),
    sampleSeconds,
  );
  const stats = await node.stats();
  held.push({ sockets: crowd.length, stats });
  row(
    crowd.length,
    `${seconds.toFixed(1)} s ${rate.toFixed(0)}/s ${connectCpuMs.toFixed(1)} ms`,
    stats,
    `${ms(first.p50)} / ${ms(first.p95)} / ${ms(first.p99)}`.padEnd(30) + `  ${ms(done.p50)}`,
  );
  if (stopped) break;
  if (seconds > STEP_SECONDS) {
    stopped = `connecting the step took ${seconds.toFixed(0)} s, over BENCH_STEP_SECONDS (${STEP_SECONDS})`;
    break;
  }
}
// The slope between the first and the last step, so what the answering phase left behind does not count.
const [low, high] = [held.length > 1 ? held[0]! : { sockets: 0, stats: idle }, held.at(-1)];
console.log(
  `platform: held ${crowd.length} sockets${stopped ? ` (ramp stopped: ${stopped})` : ` (the ceiling)`}` +
    (high
      ? `; per 1000 sockets (from ${low.sockets} to ${high.sockets}): ${per1000(low.stats, high.stats, high.sockets - low.sockets)}`
      : ''),
);
console.log(
  `baseline: raw Socket.IO held ${rawHeld} idle sockets (connected in ${rawRamp.seconds.toFixed(1)} s` +
    `${rawRamp.failure ? `, then failed: ${String(rawRamp.failure)}` : ''}), RSS ${mb(rawIdle.rss)} -> ` +
    `${mb(rawFull.rss)}; per 1000 sockets: ${per1000(rawIdle, rawFull, rawHeld)}`,
);

closeAll(sockets(crowd));
await node.stop();
await fake.stop();

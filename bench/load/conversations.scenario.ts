/**
 * a. Concurrent conversations: `conversations` visitors at once each start a conversation over REST,
 * connect to `/widget` (auth {botId, visitorToken}), join it, and send `messages` messages in a row, each
 * waiting for `message:done` before the next. Measured per message: the `message:send` ack, the first
 * `message:delta` and `message:done`, from the emit. The fake model streams a fixed answer with a small
 * pause between chunks, so the figures are the platform's, not a model's; every question is distinct, so
 * the answer cache never answers. Baseline: the raw Socket.IO server of baseline-node.ts, which streams
 * the same pieces at the same pace, driven by the same client code.
 */
import type { MessageDone } from '@chatbot/shared';
import { startFakeOpenAI } from '@chatbot/shared/testing';
import { clientMessageId, nextEvent } from '../../server/src/testing/chat-clients';
import {
  closeAll,
  freshQuestion,
  nextAddress,
  ok,
  sockets,
  summarise,
  visitor,
  type Visitor,
} from '../chat-harness';
import { startBaseline, streamedPieces } from './baseline';
import { publishBot, startDeployment, teachBot } from './deployment';
import { ANSWER, POLICY_DOCUMENT } from './load-fixtures';
import type { LoadSettings } from './load-options';
import {
  count,
  driverLine,
  formatCounts,
  ratioLine,
  row,
  usageLine,
  usageRatio,
  type Counts,
} from './load-report';
import { watchProcesses, type ProcessUsage, type WatchedProcess } from './process-usage';

const WAIT_MS = 60_000;
const WARM_UP_VISITORS = 10;
const WARM_UP_MESSAGES = 2;

interface Exchange {
  ack: number;
  firstDelta: number;
  done: number;
}

interface Conversations {
  arrivals: number[];
  /** Seconds from the first start to the last join. */
  arrivalSeconds: number;
  exchanges: Exchange[];
  /** Seconds from the first message to the last answer. */
  seconds: number;
  errors: Counts;
  usage: ProcessUsage[];
}

/** Runs scenario a and prints its figures. */
export async function conversationsScenario(settings: LoadSettings): Promise<void> {
  const fake = await startFakeOpenAI({ streamDelayMs: settings.streamDelayMs });
  fake.replyWith(ANSWER);
  const deployment = await startDeployment({
    mode: settings.mode,
    openaiUrl: fake.url,
    worker: true,
    // This scenario measures chat capacity; the burst scenario measures the limits.
    env: { RATE_LIMIT_GLOBAL_PER_MINUTE: '1000000' },
    profileDir: settings.profileDir,
  });
  try {
    const bot = await publishBot(deployment, { rateLimits: { perMinute: 10_000, perIpPerMinute: 1000 } });
    await teachBot(deployment, bot.id, [POLICY_DOCUMENT]);
    const sample = await deployment.api.request('POST', `/api/public/conversation/${bot.id}/start`, {
      headers: { 'x-forwarded-for': nextAddress() },
    });
    const baseline = await startBaseline({
      routes: [
        { method: 'POST', path: '/api/public/conversation/:botId/start', status: 201, body: sample.body },
      ],
      answer: { pieces: streamedPieces(ANSWER), delayMs: settings.streamDelayMs },
    });
    let raw: Conversations;
    try {
      const watched = [{ name: 'baseline', pid: baseline.pid }];
      await converse(baseline.url, bot.id, WARM_UP_VISITORS, WARM_UP_MESSAGES, watched);
      raw = await converse(baseline.url, bot.id, settings.conversations, settings.messages, watched);
    } finally {
      await baseline.stop();
    }
    await converse(deployment.url, bot.id, WARM_UP_VISITORS, WARM_UP_MESSAGES, deployment.processes);
    const driverFrom = process.cpuUsage();
    const platform = await converse(
      deployment.url,
      bot.id,
      settings.conversations,
      settings.messages,
      deployment.processes,
    );
    const driver = driverLine(driverFrom, platform.seconds);

    console.log(
      `\na. conversations: ${settings.conversations} visitors at once, each starting a conversation (REST), ` +
        `connecting to /widget and joining, then ${settings.messages} messages in a row, each waiting for ` +
        `message:done; the fake model streams ${streamedPieces(ANSWER).length} pieces ${settings.streamDelayMs} ms ` +
        `apart (${deployment.mode} mode); req/s are visitors/s for the arrivals, answers/s below`,
    );
    const figures = (result: Conversations) => ({
      arrival: summarise(result.arrivals, result.arrivalSeconds),
      ack: summarise(
        result.exchanges.map((exchange) => exchange.ack),
        result.seconds,
      ),
      first: summarise(
        result.exchanges.map((exchange) => exchange.firstDelta),
        result.seconds,
      ),
      done: summarise(
        result.exchanges.map((exchange) => exchange.done),
        result.seconds,
      ),
    });
    const [b, p] = [figures(raw), figures(platform)];
    console.log(row('baseline: start+connect+join', b.arrival));
    console.log(row('platform: start+connect+join', p.arrival));
    console.log(row('baseline: message:send ack', b.ack));
    console.log(row('platform: message:send ack', p.ack));
    console.log(row('baseline: send -> first delta', b.first));
    console.log(row('platform: send -> first delta', p.first));
    console.log(row('baseline: send -> message:done', b.done));
    console.log(row('platform: send -> message:done', p.done));
    console.log(ratioLine('ack platform/baseline', p.ack, b.ack));
    console.log(ratioLine('first delta platform/baseline', p.first, b.first));
    console.log(ratioLine('done platform/baseline', p.done, b.done));
    console.log(
      `answers: platform ${platform.exchanges.length}, baseline ${raw.exchanges.length} of ` +
        `${settings.conversations * settings.messages}; errors: platform ${formatCounts(platform.errors)}; ` +
        `baseline ${formatCounts(raw.errors)}`,
    );
    console.log(`platform: ${usageLine(platform.usage)}`);
    console.log(`baseline: ${usageLine(raw.usage)}`);
    console.log(usageRatio(platform.usage[0]!, raw.usage[0]!));
    console.log(driver);
  } finally {
    await deployment.stop();
    await fake.stop();
  }
}

/** `count` visitors arrive at once, then each sends `messages` messages in a row. */
async function converse(
  url: string,
  botId: string,
  visitors: number,
  messages: number,
  watched: WatchedProcess[],
): Promise<Conversations> {
  const errors: Counts = new Map();
  const stopWatching = watchProcesses(watched);
  const arrivals: number[] = [];
  const arriving = performance.now();
  const arrived = (
    await Promise.all(
      Array.from({ length: visitors }, async () => {
        const started = performance.now();
        try {
          const chat = await visitor(url, botId);
          arrivals.push(performance.now() - started);
          return chat;
        } catch (error) {
          count(errors, errorKind(error));
          return null;
        }
      }),
    )
  ).filter((chat) => chat !== null);
  const exchanges: Exchange[] = [];
  const talking = performance.now();
  const arrivalSeconds = (talking - arriving) / 1000;
  await Promise.all(
    arrived.map(async (chat) => {
      for (let i = 0; i < messages; i++) {
        try {
          exchanges.push(await exchange(chat, freshQuestion()));
        } catch (error) {
          // The answer may still be streaming: a next message would only meet it.
          count(errors, errorKind(error));
          break;
        }
      }
    }),
  );
  const seconds = (performance.now() - talking) / 1000;
  const usage = stopWatching();
  closeAll(sockets(arrived));
  return { arrivals, arrivalSeconds, exchanges, seconds, errors, usage };
}

/** Sends one message; times the ack, the first delta and message:done from the emit. */
async function exchange(chat: Visitor, text: string): Promise<Exchange> {
  const firstDelta = nextEvent(chat.socket, 'message:delta', () => true, WAIT_MS).then(() =>
    performance.now(),
  );
  const done = nextEvent<MessageDone>(chat.socket, 'message:done', () => true, WAIT_MS);
  // Handled here so that a failed send does not leave them as unhandled rejections; awaited below.
  firstDelta.catch(() => undefined);
  done.catch(() => undefined);
  const sent = performance.now();
  await ok(chat.socket, 'message:send', {
    conversationId: chat.conversationId,
    text,
    clientMessageId: clientMessageId(),
  });
  const acked = performance.now();
  const answer = await done;
  const finished = performance.now();
  if (answer.state !== 'complete') throw new Error(`answer ${answer.state}`);
  return { ack: acked - sent, firstDelta: (await firstDelta) - sent, done: finished - sent };
}

/** The kind a failure is counted under: HTTP status, 429, the ack's error code, timeout, socket error. */
function errorKind(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const status = /^start answered (\d+)/.exec(message)?.[1];
  if (status) return status === '429' ? '429' : `HTTP ${status}`;
  if (/timed out|within \d+ ms/.test(message)) return 'timeout';
  const ack = /^([\w:]+): (\w+) /.exec(message);
  if (ack) return ack[2] === 'rate_limited' ? `429 (${ack[1]})` : `${ack[1]} ${ack[2]}`;
  if (message.startsWith('answer ')) return message;
  return `socket error: ${message}`;
}

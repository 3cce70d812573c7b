/** The chat benchmark's parts: the servers in child processes, the visitors that chat with them, and the figures. */
import { fork, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import type { MessageDone, StartConversationResponse } from '@chatbot/shared';
import { ApiClient } from '../server/src/testing/api-client';
import { clientMessageId, nextEvent, request } from '../server/src/testing/chat-clients';
import type { NodeMode, NodeReady, NodeRequest, NodeStats } from './chat-node';
import type { LatencyReport } from './latency';

/** Visitors starting, connecting and joining at once during the ramp. */
export const CONNECT_CONCURRENCY = 64;
export const ASKS = [
  'How many days do I have to return an item for a refund?',
  'How long does shipping to Canada take?',
  'When does the support team answer emails?',
  'Do gift cards expire?',
];

// ---- the server, in a child process ---------------------------------------------------------------------

export interface BenchNode extends NodeReady {
  pid: number;
  /** CPU time, and memory after a forced GC (skipped with `gc` false, when only the CPU time is wanted). */
  stats(gc?: boolean): Promise<NodeStats>;
  stop(): Promise<void>;
}

export function reply<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { type: string }) => {
      if (message.type !== type) return;
      child.off('message', onMessage).off('exit', onExit);
      resolve(message as T);
    };
    const onExit = (code: number | null) => reject(new Error(`chat-node exited (${code}) before ${type}`));
    child.on('message', onMessage).once('exit', onExit);
  });
}

export async function startNode(mode: NodeMode, env: Record<string, string> = {}): Promise<BenchNode> {
  const child = fork(fileURLToPath(new URL('./chat-node.ts', import.meta.url)), [mode], {
    // BENCH_NODE_ARGS='--cpu-prof' profiles the servers.
    execArgv: [
      '--expose-gc',
      '--import',
      'tsx',
      ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
    ],
    env: { ...process.env, ...env },
  });
  const ready = await reply<NodeReady>(child, 'ready');
  return {
    ...ready,
    pid: child.pid!,
    stats(gc = true) {
      const answer = reply<NodeStats>(child, 'stats');
      child.send({ type: 'stats', gc } satisfies NodeRequest);
      return answer;
    },
    stop() {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'stop' } satisfies NodeRequest);
      return exited;
    },
  };
}

/** RSS of a process's descendants (the platform's embedded Chroma), from /proc; 0 where it cannot tell. */
export function descendantsRss(pid: number): number {
  try {
    const children = readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
    return children.reduce((sum, child) => {
      const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child}/status`, 'utf8'))?.[1];
      return sum + Number(kb ?? 0) * 1024 + descendantsRss(child);
    }, 0);
  } catch {
    return 0;
  }
}

// ---- clients --------------------------------------------------------------------------------------------

/** A visitor's address of its own, 10.0.0.0/8, for X-Forwarded-For. */
export let addresses = 0;
export const nextAddress = () => {
  const n = ++addresses;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
};

export function connect(url: string, auth: object, address: string): Promise<Socket> {
  const socket = io(url, {
    auth,
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    extraHeaders: { 'x-forwarded-for': address },
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

export async function ok<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  const response = await request<T>(socket, event, payload, 60_000);
  if (!response.ok) throw new Error(`${event}: ${response.error.code} ${response.error.message}`);
  return response.data;
}

export interface Visitor {
  socket: Socket;
  conversationId: string;
}

/** Starts a conversation over REST as the widget's page does, connects to /widget and joins it. */
export async function visitor(url: string, botId: string): Promise<Visitor> {
  const address = nextAddress();
  const started = await new ApiClient(url).request<StartConversationResponse>(
    'POST',
    `/api/public/conversation/${botId}/start`,
    { headers: { 'x-forwarded-for': address } },
  );
  if (started.status !== 201 && started.status !== 200) {
    throw new Error(`start answered ${started.status}: ${JSON.stringify(started.body)}`);
  }
  const { conversationId, visitorToken } = started.body;
  const socket = await connect(`${url}/widget`, { botId, visitorToken }, address);
  await ok(socket, 'conversation:join', { conversationId });
  return { socket, conversationId };
}

export interface Answer {
  firstToken: number;
  done: number;
  deltas: number;
  cited: boolean;
}

export let asked = 0;
/** A question no one asked before: the counter keeps the answer cache out of the way. */
export const freshQuestion = () => `${ASKS[asked % ASKS.length]} (ref ${asked++})`;

/** Asks and waits for the whole answer; times from the emit to the first delta and to done. */
export async function ask(chat: Visitor, text: string): Promise<Answer> {
  let deltas = 0;
  const count = () => deltas++;
  chat.socket.on('message:delta', count);
  const firstDelta = nextEvent(chat.socket, 'message:delta', () => true, 60_000).then(() =>
    performance.now(),
  );
  const done = nextEvent<MessageDone>(chat.socket, 'message:done', () => true, 60_000);
  const sent = performance.now();
  await ok(chat.socket, 'message:send', {
    conversationId: chat.conversationId,
    text,
    clientMessageId: clientMessageId(),
  });
  const answer = await done;
  const doneAt = performance.now();
  chat.socket.off('message:delta', count);
  if (answer.state !== 'complete') throw new Error(`answer ${answer.state}: ${answer.content}`);
  return {
    firstToken: (await firstDelta) - sent,
    done: doneAt - sent,
    deltas,
    cited: answer.sources.length > 0,
  };
}

// ---- figures --------------------------------------------------------------------------------------------

export function summarise(samples: number[], seconds: number): LatencyReport {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return {
    requests: sorted.length,
    seconds,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    throughput: sorted.length / seconds,
  };
}

export async function timed<T>(body: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await body();
  return [result, (performance.now() - started) / 1000];
}

/** Every client asks `perClient` times in a row, all clients at once; the results and the seconds taken. */
export function rounds<C, R>(clients: C[], perClient: number, one: (client: C, i: number) => Promise<R>) {
  return timed(async () => {
    const all = await Promise.all(
      clients.map(async (client) => {
        const results: R[] = [];
        for (let i = 0; i < perClient; i++) results.push(await one(client, i));
        return results;
      }),
    );
    return all.flat();
  });
}

/** Runs `open` `count` times, CONNECT_CONCURRENCY at a time, until the first failure. */
export async function connectMore(count: number, open: () => Promise<void>) {
  let failure: unknown;
  let next = 0;
  const worker = async () => {
    while (next < count && !failure) {
      next++;
      await open().catch((error: unknown) => (failure ??= error));
    }
  };
  const [, seconds] = await timed(() =>
    Promise.all(Array.from({ length: Math.min(count, CONNECT_CONCURRENCY) }, worker)),
  );
  return { seconds, failure };
}

/** Server and client CPU over a phase, as shares of one core and per request. */
export function cpu(
  from: NodeStats,
  to: NodeStats,
  clientMicros: NodeJS.CpuUsage,
  seconds: number,
  count: number,
) {
  const serverMs = to.cpuMs - from.cpuMs;
  const clientMs = (clientMicros.user + clientMicros.system) / 1000;
  return (
    `server CPU ${(serverMs / count).toFixed(2)} ms per request, ${((serverMs / seconds) * 0.1).toFixed(0)}% ` +
    `of a core; this process (clients, fake OpenAI) ${((clientMs / seconds) * 0.1).toFixed(0)}% of a core`
  );
}

export const mb = (bytes: number, digits = 0) => `${(bytes / 2 ** 20).toFixed(digits)} MB`;
export const ms = (value: number) => `${value.toFixed(1)} ms`;
export const ratio = (platform: LatencyReport, raw: LatencyReport) =>
  `p50 ${(platform.p50 / raw.p50).toFixed(1)}x, p95 ${(platform.p95 / raw.p95).toFixed(1)}x, ` +
  `throughput ${(platform.throughput / raw.throughput).toFixed(3)}x`;
export const per1000 = (from: NodeStats, to: NodeStats, sockets: number) =>
  `RSS ${mb(((to.rss - from.rss) * 1000) / sockets, 1)}, heap ${mb(((to.heapUsed - from.heapUsed) * 1000) / sockets, 1)}`;
export const closeAll = (sockets: Socket[]) => sockets.splice(0).forEach((socket) => socket.close());
export const sockets = (chats: Visitor[]) => chats.map((chat) => chat.socket);

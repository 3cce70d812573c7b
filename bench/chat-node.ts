/**
 * The server side of bench:chat, run as a child process so that its memory is measured alone, without the
 * benchmark's client sockets: either `platform` (startTestServer in embedded mode, SQLite, in-memory
 * adapter, embedded Chroma, the platform's OpenAI key pointed at the bench's fake, with BENCH_BOTS published
 * bots each taught one small text document), or `raw` (a bare Socket.IO 4.8 server answering an
 * acknowledged echo). Over IPC it sends {@link NodeReady} once listening, answers `stats` with
 * {@link NodeStats} (memory after a forced GC if asked, hence `--expose-gc`), and stops on `stop`. The raw mode loads
 * nothing of the platform, so its memory is Socket.IO's alone.
 *
 *   node --expose-gc --import tsx bench/chat-node.ts platform|raw
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

export type NodeMode = 'platform' | 'raw';
export interface NodeReady {
  type: 'ready';
  url: string;
  /** Published, taught bots (platform only). */
  botIds: string[];
}
export interface NodeStats {
  type: 'stats';
  rss: number;
  heapUsed: number;
  /** CPU time (user and system) the process has used so far, in ms. */
  cpuMs: number;
}
/** `gc`: force a collection before reading memory, so heapUsed is what is live. */
export type NodeRequest = { type: 'stats'; gc: boolean } | { type: 'stop' };

/** What the bots know: short enough to index in a moment, long enough for retrieval to choose. */
export const POLICY = [
  'Refunds are accepted within 30 days of delivery when the item is unused and in its original box.',
  'Shipping to Canada takes five to seven business days; shipping within the EU takes two to four.',
  'Our support team answers emails on weekdays between 9 and 17 CET, and the chat around the clock.',
  'Gift cards never expire and can be used for any product, including items on sale.',
].join('\n\n');

const mode = process.argv[2] as NodeMode;
const send = (message: NodeReady | NodeStats) => process.send!(message);

async function startPlatform() {
  const { FAKE_OPENAI_KEY } = await import('@chatbot/shared/testing');
  const { buildBot, buildTenant } = await import('../server/src/testing/factories');
  const { teach } = await import('../server/src/testing/documents');
  const { startTestServer } = await import('../server/src/testing/test-server');
  const server = await startTestServer({
    env: {
      OPENAI_API_KEY: FAKE_OPENAI_KEY,
      OPENAI_BASE_URL: process.env.BENCH_OPENAI_URL!,
      RATE_LIMIT_GLOBAL_PER_MINUTE: '1000000',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
    },
  });
  const owner = await buildTenant(server.api);
  const botIds = await Promise.all(
    Array.from({ length: Number(process.env.BENCH_BOTS ?? 1) }, async (_, i) => {
      const bot = await buildBot(server.api, owner.accessToken, {
        name: `Bench bot ${i}`,
        status: 'published',
        // The schema's ceilings: 1000 per IP (each bench visitor has its own), 10,000 per bot.
        rateLimits: { perIpPerMinute: 1000, perMinute: 10_000 },
      });
      await teach(server, owner.accessToken, bot.id, 'policies.txt', POLICY);
      return bot.id;
    }),
  );
  return { url: server.url, botIds, stop: () => server.stop() };
}

async function startRaw() {
  const http = createServer();
  const io = new Server(http, { serveClient: false });
  io.on('connection', (socket) => {
    socket.on('echo', (payload: unknown, ack: (response: unknown) => void) =>
      ack({ ok: true, data: payload }),
    );
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    botIds: [],
    stop: () => new Promise<void>((resolve) => io.close(() => resolve())),
  };
}

const node = mode === 'platform' ? await startPlatform() : await startRaw();
process.on('message', (request: NodeRequest) => {
  if (request.type === 'stats') {
    // CPU first: the forced GC is the bench's doing, not the server's.
    const { user, system } = process.cpuUsage();
    if (request.gc) globalThis.gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    send({ type: 'stats', rss, heapUsed, cpuMs: (user + system) / 1000 });
  } else {
    void node.stop().finally(() => process.exit(0));
  }
});
send({ type: 'ready', url: node.url, botIds: node.botIds });

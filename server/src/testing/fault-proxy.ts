import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface FaultProxy {
  /** 127.0.0.1 and the port the proxy listens on: what a client's URL names instead of the target's. */
  host: string;
  port: number;
  /**
   * The target goes away, as a crashed service or a cut network looks to its clients: every open
   * connection is reset both ways, and new ones are reset as soon as they are accepted, until {@link up}.
   */
  down(): void;
  up(): void;
  /** Holds every chunk, each way, this long before passing it on (0 for none): a slow link. */
  delay(ms: number): void;
  /** Connections accepted so far (refused ones included), to tell that a client went through the proxy. */
  accepted(): number;
  stop(): Promise<void>;
}

/**
 * A TCP proxy in front of one service (PostgreSQL, Chroma, the model provider) that a test can take down,
 * bring back and slow, without touching the service or the processes that use it.
 */
export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  const open = new Set<Socket>();
  let isDown = false;
  let delayMs = 0;
  let accepted = 0;
  const track = (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    // A reset peer is what the test asked for; the other side is told by being reset in turn.
    socket.on('error', () => undefined);
  };
  /** Writes `from`'s bytes to `to` (after the delay, in order), and ends or resets `to` as `from` does. */
  const pipe = (from: Socket, to: Socket) => {
    let queue = Promise.resolve();
    from.on('data', (chunk) => {
      const wait = delayMs;
      queue = queue.then(async () => {
        if (wait) await new Promise((resolve) => setTimeout(resolve, wait));
        if (!to.destroyed) to.write(chunk);
      });
    });
    from.once('end', () => void queue.then(() => to.end()));
    from.once('close', (hadError) => hadError && to.resetAndDestroy());
  };

  const server = createServer((client) => {
    accepted++;
    track(client);
    if (isDown) return client.resetAndDestroy();
    const upstream = connect(target.port, target.host);
    track(upstream);
    pipe(client, upstream);
    pipe(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    host: '127.0.0.1',
    port,
    down() {
      isDown = true;
      for (const socket of open) socket.resetAndDestroy();
    },
    up() {
      isDown = false;
    },
    delay(ms) {
      delayMs = ms;
    },
    accepted: () => accepted,
    stop() {
      for (const socket of open) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** `url` with its host and port replaced by the proxy's (credentials, path and query kept). */
export function throughProxy(url: string, proxy: Pick<FaultProxy, 'host' | 'port'>): string {
  const rewritten = new URL(url);
  rewritten.hostname = proxy.host;
  rewritten.port = String(proxy.port);
  return rewritten.toString();
}

/** The host and port a service URL names (its protocol's default port when it names none). */
export function targetOf(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  const defaults: Record<string, number> = {
    'http:': 80,
    'https:': 443,
    'postgresql:': 5432,
    'postgres:': 5432,
  };
  return { host: parsed.hostname, port: Number(parsed.port) || defaults[parsed.protocol]! };
}

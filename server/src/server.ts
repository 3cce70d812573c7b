import { createServer, type Server } from 'node:http';
import type { Logger, Platform } from '@chatbot/shared/platform';
import { registerJobs } from '@chatbot/worker';
import type { ServerEnv } from './config/env';
import { createApp } from './app';
import { AccessTokens } from './features/auth/access-tokens';
import { refuseHandshakesWhileDraining, startDraining } from './features/health/draining';
import { withLivenessProbe } from './features/health/liveness';
import { createChatServices } from './features/chat/chat-services';
import { registerAssistantHandlers } from './features/assistant/assistant-socket';
import { Assistant } from './features/assistant/assistant.service';
import { registerAdminHandlers } from './socket/admin-handlers';
import { createSocketServer } from './socket/socket-server';
import { registerWidgetHandlers } from './socket/widget-handlers';

export interface RunningServer {
  server: Server;
  url: string;
  /**
   * Drains and stops, within SHUTDOWN_TIMEOUT_MS: readiness answers 503 `draining` and new sockets are
   * refused; answers being written finish; the listener closes and every socket is told to reconnect
   * (elsewhere); in-flight requests finish; the platform closes, running jobs first.
   */
  stop(): Promise<void>;
}

export interface ServerDeps {
  env: ServerEnv;
  platform: Platform;
  logger: Logger;
  jwtSecret: string;
  /** Tests only: extra addresses URL import may fetch (test pages are served from loopback). */
  allowImportAddress?: (address: string) => boolean;
}

/**
 * Starts HTTP and Socket.IO on the configured port (0 picks a free one, as tests do). In embedded mode the
 * server also runs the job processors and re-queues documents a crash left unfinished.
 */
export async function startServer(deps: ServerDeps): Promise<RunningServer> {
  const { env, platform, logger } = deps;
  const accessTokens = new AccessTokens(deps.jwtSecret, env.ACCESS_TOKEN_TTL_SECONDS);
  const server = createServer();
  const { io, admin, widget, adminEvents, signedOut, chatEvents, peers } = createSocketServer(platform);
  const chat = createChatServices({
    env,
    platform,
    logger,
    events: chatEvents,
    peers,
    jwtSecret: deps.jwtSecret,
  });
  const assistant = new Assistant({ env, platform, logger });
  const app = createApp({
    env,
    platform,
    logger,
    accessTokens,
    chat,
    signedOut,
    allowImportAddress: deps.allowImportAddress,
    assistant,
  });
  server.on('request', withLivenessProbe(app));
  // Attached after Express: Engine.IO then puts itself in front of the listeners it finds and hands on
  // only the requests that are not its own. Attached before, Express would also answer Socket.IO's
  // long-polling requests (with a 404).
  io.attach(server, { allowRequest: refuseHandshakesWhileDraining(platform) });
  registerAdminHandlers(admin, { orm: platform.orm, logger, accessTokens, ...chat });
  registerWidgetHandlers(widget, {
    orm: platform.orm,
    logger,
    ...chat,
    trustProxy: app.get('trust proxy fn') as (address: string, hop: number) => boolean,
  });
  registerAssistantHandlers(admin, { orm: platform.orm, logger, assistant });
  if (platform.queue.driver === 'in-process') {
    await registerJobs({ platform, env, logger, adminEvents, allowImportAddress: deps.allowImportAddress });
  }
  const chatSweep = setInterval(() => {
    chat.sweep().catch((error: unknown) => logger.error({ err: error }, 'chat sweep failed'));
  }, env.CHAT_SWEEP_MS);
  // The assistant learns the platform's documentation in the background; questions meanwhile wait for it.
  assistant.start();

  server.listen(env.PORT, env.HOST);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  let stopping: Promise<void> | undefined;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    stop() {
      stopping ??= (async () => {
        // One budget for the whole shutdown, as the supervisor gives one grace period before SIGKILL.
        const deadline = Date.now() + env.SHUTDOWN_TIMEOUT_MS;
        const remaining = () => Math.max(0, deadline - Date.now());
        // Readiness answers 503 `draining` and Engine.IO refuses new connections from now on, while the
        // listener stays open until the answers are written. Closing it first would refuse new TCP
        // connections too, yet a balancer that probes readiness (Kubernetes) still routes to this node
        // until it has seen the 503: its requests would fail instead of being served. Open, the node
        // still serves short requests meanwhile and turns away only what would stay (sockets); the
        // clients retry those with backoff, and nginx, which only skips a node that refuses
        // connections, sends them on once the listener is closed below.
        startDraining(platform);
        clearInterval(chatSweep);
        // Answers being written finish first, their visitors still connected to read them.
        await chat.chat.drain(remaining());
        // The listener closes before the sockets are let go, so that their reconnections cannot land
        // here again: they are refused and go to another node.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // `local`: with the Redis adapter, disconnectSockets would reach every node's sockets. Each
        // namespace on its own: io.disconnectSockets() covers only `/`, which no client uses. The
        // clients see `io server disconnect` and come back (the widget after a second, the dashboard
        // at once).
        for (const namespace of [admin, widget]) namespace.local.disconnectSockets(true);
        // Keep-alive connections become idle as their last request ends; close each as soon as it does.
        const sweep = setInterval(() => server.closeIdleConnections(), 100);
        server.closeIdleConnections();
        const timer = setTimeout(() => server.closeAllConnections(), remaining());
        await closed;
        clearInterval(sweep);
        clearTimeout(timer);
        await assistant.stop();
        // The queue closes first: in embedded mode the jobs running now finish. Those still waiting are
        // dropped; the next start's requeue sweep queues the unfinished work again.
        await platform.close();
      })();
      return stopping;
    },
  };
}

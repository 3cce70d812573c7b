import { createServer, type Server } from 'node:http';
import { Document, runAsSystem, type Logger, type Platform } from '@chatbot/shared/platform';
import { registerJobs } from '@chatbot/worker';
import type { ServerEnv } from './config/env';
import { createApp } from './app';
import { AccessTokens } from './features/auth/access-tokens';
import { createChatServices } from './features/chat/chat-services';
import { registerAssistantHandlers } from './features/assistant/assistant-socket';
import { Assistant } from './features/assistant/assistant.service';
import { requeuePendingDeliveries } from './features/webhooks/requeue-deliveries';
import { registerAdminHandlers } from './socket/admin-handlers';
import { createSocketServer } from './socket/socket-server';
import { registerWidgetHandlers } from './socket/widget-handlers';

export interface RunningServer {
  server: Server;
  url: string;
  /** Stops accepting connections, lets in-flight requests finish (up to the timeout), closes the platform. */
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
  const { io, admin, widget, adminEvents, chatEvents, peers } = createSocketServer(platform);
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
    allowImportAddress: deps.allowImportAddress,
    assistant,
  });
  server.on('request', app);
  // Attached after Express: Engine.IO then puts itself in front of the listeners it finds and hands on
  // only the requests that are not its own. Attached before, Express would also answer Socket.IO's
  // long-polling requests (with a 404).
  io.attach(server);
  registerAdminHandlers(admin, { orm: platform.orm, logger, accessTokens, ...chat });
  registerWidgetHandlers(widget, {
    orm: platform.orm,
    logger,
    ...chat,
    trustProxy: app.get('trust proxy fn') as (address: string, hop: number) => boolean,
  });
  registerAssistantHandlers(admin, { orm: platform.orm, logger, assistant });
  if (platform.queue.driver === 'in-process') {
    registerJobs({ platform, env, logger, adminEvents, allowImportAddress: deps.allowImportAddress });
    await requeueUnfinished(platform, logger);
    await requeuePendingDeliveries(platform, logger);
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
        clearInterval(chatSweep);
        // Answers being written finish first (their visitors are still connected to read them).
        await chat.chat.drain(env.SHUTDOWN_TIMEOUT_MS);
        io.disconnectSockets(true);
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Keep-alive connections become idle as their last request ends; close each as soon as it does.
        const sweep = setInterval(() => server.closeIdleConnections(), 100);
        server.closeIdleConnections();
        const timer = setTimeout(() => server.closeAllConnections(), env.SHUTDOWN_TIMEOUT_MS);
        await closed;
        clearInterval(sweep);
        clearTimeout(timer);
        await assistant.stop();
        await platform.close();
      })();
      return stopping;
    },
  };
}

/** The in-process queue keeps nothing across a crash; the database says what was left to do. */
async function requeueUnfinished(platform: Platform, logger: Logger) {
  const unfinished = await runAsSystem('requeue unfinished documents', () =>
    platform.orm.em
      .fork()
      .find(Document, { status: { $in: ['pending', 'processing'] } }, { fields: ['id', 'tenant'] }),
  );
  for (const document of unfinished) {
    await platform.queue.enqueue('document.index', { tenantId: document.tenant.id, documentId: document.id });
  }
  if (unfinished.length) logger.info({ documents: unfinished.length }, 're-queued unfinished documents');
}

import type { Server } from 'node:http';
import type { Logger, Platform } from '@chatbot/shared/platform';
import type { ServerEnv } from './config/env';
import { createApp } from './app';

export interface RunningServer {
  server: Server;
  url: string;
  /** Stops accepting connections, lets in-flight requests finish (up to the timeout), closes the platform. */
  stop(): Promise<void>;
}

/** Starts the HTTP server on the configured port (0 picks a free one, as tests do). */
export async function startServer(deps: {
  env: ServerEnv;
  platform: Platform;
  logger: Logger;
  jwtSecret: string;
}): Promise<RunningServer> {
  const app = createApp(deps);
  const server = app.listen(deps.env.PORT, deps.env.HOST);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : deps.env.PORT;
  let stopping: Promise<void> | undefined;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    stop() {
      stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Keep-alive connections become idle as their last request ends; close each as soon as it does.
        const sweep = setInterval(() => server.closeIdleConnections(), 100);
        server.closeIdleConnections();
        const timer = setTimeout(() => server.closeAllConnections(), deps.env.SHUTDOWN_TIMEOUT_MS);
        await closed;
        clearInterval(sweep);
        clearTimeout(timer);
        await deps.platform.close();
      })();
      return stopping;
    },
  };
}

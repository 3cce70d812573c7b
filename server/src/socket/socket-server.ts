import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Server, type Namespace } from 'socket.io';
import type {
  AdminClientToServerEvents,
  AdminServerToClientEvents,
  InterServerEvents,
  SocketData,
} from '@chatbot/shared';
import { tenantRoom, type Platform } from '@chatbot/shared/platform';
import type { AccessTokens } from '../features/auth/access-tokens';
import { HttpError } from '../http/http-error';
import { authenticate } from '../tenancy/require-auth';

export type AdminNamespace = Namespace<
  AdminClientToServerEvents,
  AdminServerToClientEvents,
  InterServerEvents,
  SocketData
>;

/**
 * Socket.IO on the HTTP server. `/admin` admits a dashboard user by access token (the same check as the
 * REST API) and puts the socket in its tenant's room, so a tenant's events reach that tenant's admins only.
 * With Redis, the Redis adapter lets any node (and workers, through the emitter) reach any socket.
 */
export function createSocketServer(httpServer: HttpServer, platform: Platform, accessTokens: AccessTokens) {
  const io = new Server<AdminClientToServerEvents, AdminServerToClientEvents, InterServerEvents, SocketData>(
    httpServer,
    {
      serveClient: false,
      adapter: platform.redis
        ? createAdapter(platform.redis.duplicate(), platform.redis.duplicate(), { key: platform.socketKey })
        : undefined,
    },
  );
  const admin: AdminNamespace = io.of('/admin');
  admin.use(async (socket, next) => {
    const token: unknown = socket.handshake.auth?.token;
    if (typeof token !== 'string' || !token)
      return next(handshakeError('unauthenticated', 'Sign in to continue.'));
    try {
      const auth = await authenticate(accessTokens, platform.orm.em.fork(), token);
      socket.data = { tenantId: auth.tenantId, userId: auth.user.id };
      next();
    } catch (error) {
      if (error instanceof HttpError) return next(handshakeError(error.code, error.message));
      next(handshakeError('internal_error', 'Something went wrong on our side.'));
    }
  });
  admin.on('connection', (socket) => void socket.join(tenantRoom(socket.data.tenantId)));
  return { io, admin };
}

/** Handshake refusals carry a stable code in `data`, like the REST API's error bodies. */
function handshakeError(code: string, message: string) {
  return Object.assign(new Error(message), { data: { code } });
}

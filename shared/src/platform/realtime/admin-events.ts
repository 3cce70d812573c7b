import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';
import type { AdminServerToClientEvents } from '../../socket/events';

/** The Socket.IO room of a tenant's dashboard users. */
export function tenantRoom(tenantId: string): string {
  return `tenant:${tenantId}`;
}

/** Sends an `/admin` event to every dashboard user of one tenant, wherever their socket is connected. */
export interface AdminEvents {
  publish<E extends keyof AdminServerToClientEvents>(
    tenantId: string,
    event: E,
    ...args: Parameters<AdminServerToClientEvents[E]>
  ): void;
}

/**
 * For processes without a Socket.IO server (workers in scaled mode): events go through Redis to whichever
 * server node holds the sockets (@socket.io/redis-emitter, the same key as the servers' adapter), on a
 * platform's `eventConnection('publish')`.
 */
export function redisAdminEvents(publisher: Redis, key: string): AdminEvents {
  const admin = new Emitter<AdminServerToClientEvents>(publisher, { key }).of('/admin');
  return {
    publish(tenantId, event, ...args) {
      admin.to(tenantRoom(tenantId)).emit(event, ...args);
    },
  };
}

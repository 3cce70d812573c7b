import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';
import type { AdminServerToClientEvents } from '../../socket/events';
import { eventPublisher } from '../redis/redis-connection';

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
 * server node holds the sockets (@socket.io/redis-emitter, the same key as the servers' adapter).
 */
export function redisAdminEvents(redis: Redis, key: string): AdminEvents {
  const admin = new Emitter<AdminServerToClientEvents>(eventPublisher(redis), { key }).of('/admin');
  return {
    publish(tenantId, event, ...args) {
      admin.to(tenantRoom(tenantId)).emit(event, ...args);
    },
  };
}

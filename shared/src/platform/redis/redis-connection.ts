import { Redis } from 'ioredis';
import type { Logger } from '../logger/logger';
import { urlWithoutPassword } from '../logger/redact-text';
import { realtimeEventsDropped } from '../metrics/metrics';

/** How long a process waits at start for Redis before it gives up. */
const readyTimeoutMs = 15_000;

/**
 * The platform's Redis connection (caches, rate limits, health). While Redis is unreachable a command
 * fails at once instead of waiting in ioredis's offline queue: a cache then reads as a miss, a rate limit
 * falls back to its in-memory twin, and requests go on without Redis rather than hanging until it
 * returns. Resolves once the connection is ready, so nothing is refused at start.
 */
export async function connectRedis(url: string, logger: Logger): Promise<Redis> {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 2 });
  redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`Redis at ${urlWithoutPassword(url)} was not ready within ${readyTimeoutMs} ms`)),
        readyTimeoutMs,
      );
      redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  return redis;
}

/**
 * A connection of its own for Socket.IO's Redis adapter and emitter to publish events on. They publish
 * without waiting for the reply, so while Redis is down each publish would be an unhandled rejection (and,
 * queued, a stale event delivered after the outage). Here it is dropped at once and counted: live events
 * are a convenience, and a client that missed some catches up from the database when it joins again.
 */
export function eventPublisher(redis: Redis): Redis {
  const publisher = quiet(redis.duplicate({ enableOfflineQueue: false }));
  const publish = publisher.publish.bind(publisher) as (channel: string, message: string) => Promise<number>;
  publisher.publish = ((channel: string, message: string) =>
    publish(channel, message).catch(() => {
      realtimeEventsDropped.inc();
      return 0;
    })) as Redis['publish'];
  return publisher;
}

/**
 * A connection of its own for the adapter to subscribe on. Unlike the others it keeps ioredis's offline
 * queue: the adapter subscribes once, at start, and ioredis subscribes again after every reconnection.
 */
export function eventSubscriber(redis: Redis): Redis {
  return quiet(redis.duplicate({ enableOfflineQueue: true }));
}

/** The main connection logs an outage; its duplicates would print the same errors unasked. */
function quiet(connection: Redis): Redis {
  return connection.on('error', () => undefined);
}

/** Closes a connection without waiting on a Redis that is down (quit() waits for a reply that never comes). */
export async function closeRedis(connection: Redis): Promise<void> {
  if (connection.status === 'ready') await connection.quit().catch(() => connection.disconnect());
  else connection.disconnect();
}

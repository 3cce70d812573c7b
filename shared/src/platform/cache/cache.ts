import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { cacheLookups } from '../metrics/metrics';

/**
 * A key-value cache of JSON values with a time to live: lru-cache in one process (embedded mode), Redis when
 * there is one, so every server node sees the same entries and an invalidation reaches them all. A cache
 * is never the truth: a miss (or a cache that is down) means "ask the database".
 */
export interface Cache {
  readonly driver: 'memory' | 'redis';
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * Counts a read for the hit ratio, under the cache its key belongs to: keys start with their cache's name
 * (`bot-config:`, `answer:`, `kb-version:`), and only that part is a label, never the rest of the key.
 */
function countLookup(key: string, hit: boolean) {
  const name = /^([a-z][a-z-]{0,30}):/.exec(key)?.[1] ?? 'other';
  cacheLookups.inc({ cache: name, result: hit ? 'hit' : 'miss' });
}

/** Entries kept in memory at most; the least recently used go first. */
const memoryEntries = 10_000;

export class MemoryCache implements Cache {
  readonly driver = 'memory';
  // Values are stored serialised so a caller can never mutate a cached object in place.
  private readonly entries = new LRUCache<string, string>({ max: memoryEntries, ttlAutopurge: false });

  async get<T>(key: string): Promise<T | undefined> {
    const text = this.entries.get(key);
    countLookup(key, text !== undefined);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    this.entries.set(key, JSON.stringify(value), { ttl: ttlSeconds * 1000 });
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }
}

export class RedisCache implements Cache {
  readonly driver = 'redis';

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async get<T>(key: string): Promise<T | undefined> {
    // A cache that is down behaves as empty: the request goes on to the database.
    const text = await this.redis.get(this.prefix + key).catch(() => null);
    countLookup(key, text !== null);
    return text === null ? undefined : (JSON.parse(text) as T);
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.prefix + key, JSON.stringify(value), 'EX', ttlSeconds).catch(() => undefined);
  }

  async delete(key: string): Promise<void> {
    // An invalidation that fails must not pass silently: a stale entry would outlive the change.
    await this.redis.del(this.prefix + key);
  }
}

export function createCache(redis: Redis | null, namespace: string): Cache {
  return redis ? new RedisCache(redis, `${namespace}:cache:`) : new MemoryCache();
}

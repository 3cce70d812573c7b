import { randomUUID } from 'node:crypto';
import type { Cache } from './cache';

/** As long as any cached answer may live, and longer: the version must outlive what it guards. */
const versionTtlSeconds = 24 * 3600;

const keyOf = (botId: string) => `kb-version:${botId}`;

/**
 * The version of a bot's knowledge base, which cached answers are keyed by. It is a random token kept in the
 * cache itself: bumping it (any document added, re-indexed or removed) makes every cached answer of the bot
 * unreachable at once, and if the cache loses it, a new token does the same, so a stale answer is never
 * served after a change.
 */
export async function knowledgeVersion(cache: Cache, botId: string): Promise<string> {
  const current = await cache.get<string>(keyOf(botId));
  if (current) return current;
  const fresh = randomUUID();
  await cache.set(keyOf(botId), fresh, versionTtlSeconds);
  return fresh;
}

export async function bumpKnowledgeVersion(cache: Cache, botId: string): Promise<void> {
  await cache.set(keyOf(botId), randomUUID(), versionTtlSeconds);
}

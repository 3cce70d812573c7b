import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { Message, runAsSystem, runInTenant } from '@chatbot/shared/platform';
import type { ChatEvents } from '../conversations/chat-events';

/** Longer than any answer may take (the model's total timeout is two minutes), so only orphans match. */
const orphanAfterMs = 3 * 60_000;

/**
 * How long an answer that no node claims is given to be claimed before it counts as orphaned: its row is
 * stored a moment before its writer registers it.
 */
export const claimGraceMs = 500;

/**
 * Marks an answer whose writer stopped (a crash, a kill) failed with what was said, and tells its clients
 * it is done. The update is conditional, so of the nodes that find the same orphan one wins: true for it.
 */
export async function failOrphan(
  em: EntityManager,
  events: ChatEvents,
  orphan: Message,
  now = new Date(),
): Promise<boolean> {
  const changed = await runInTenant(orphan.tenant.id, () =>
    em.fork().nativeUpdate(
      Message,
      { id: orphan.id, state: 'streaming' },
      {
        state: 'failed',
        error: 'The server answering stopped before the answer was finished.',
        updatedAt: now,
      },
    ),
  );
  if (!changed) return false;
  events.messageDone(orphan.tenant.id, {
    conversationId: orphan.conversation.id,
    messageId: orphan.id,
    content: orphan.content,
    state: 'failed',
    sources: orphan.sources,
    usage: { promptTokens: 0, completionTokens: 0, costUsd: 0 },
  });
  return true;
}

/**
 * The sweep every node runs: answers left `streaming` for longer than any answer takes are orphans, even
 * where no visitor came back to find them (a visitor who comes back is answered again: ChatService.replay).
 */
export async function expireOrphanedAnswers(
  orm: MikroORM,
  events: ChatEvents,
  now = new Date(),
): Promise<number> {
  const cutoff = new Date(now.getTime() - orphanAfterMs);
  const orphans = await runAsSystem('orphaned answers sweep', () =>
    orm.em.fork().find(Message, { state: 'streaming', updatedAt: { $lt: cutoff } }, { limit: 200 }),
  );
  let expired = 0;
  for (const orphan of orphans) if (await failOrphan(orm.em, events, orphan, now)) expired++;
  return expired;
}

import type { MikroORM } from '@mikro-orm/core';
import { Message, runAsSystem, runInTenant } from '@chatbot/shared/platform';
import type { ChatEvents } from '../conversations/chat-events';

/** Longer than any answer may take (the model's total timeout is two minutes), so only orphans match. */
const orphanAfterMs = 3 * 60_000;

/**
 * Answers left `streaming` by a node that stopped mid-answer (a crash, a kill): once no answer could still
 * be running, they are marked failed with what was said, and their clients are told they are done. Every
 * node runs this; the conditional update lets one of them win each answer.
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
  for (const orphan of orphans) {
    const changed = await runInTenant(orphan.tenant.id, () =>
      orm.em.fork().nativeUpdate(
        Message,
        { id: orphan.id, state: 'streaming' },
        {
          state: 'failed',
          error: 'The server answering stopped before the answer was finished.',
          updatedAt: now,
        },
      ),
    );
    if (!changed) continue;
    expired++;
    events.messageDone(orphan.tenant.id, {
      conversationId: orphan.conversation.id,
      messageId: orphan.id,
      content: orphan.content,
      state: 'failed',
      sources: orphan.sources,
      usage: { promptTokens: 0, completionTokens: 0, costUsd: 0 },
    });
  }
  return expired;
}

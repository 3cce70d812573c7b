import { randomUUID } from 'node:crypto';
import { ChatLimits, type MessageRole, type MessageState } from '@chatbot/shared';
import { UniqueConstraintViolationException, raw, type EntityManager } from '@mikro-orm/core';
import { Conversation, Message } from '@chatbot/shared/platform';
import { conflict } from '../../http/http-error';
import { addDailyUsage } from './daily-usage';

export interface NewMessage {
  conversation: Conversation;
  role: MessageRole;
  content: string;
  /** The client's id; the server makes one for its own messages. */
  clientMessageId?: string;
  state?: MessageState;
  agentId?: string;
  model?: string;
  /** Whether it counts in the bot's messages of the day now (an answer is counted when it is done). */
  countUsage?: boolean;
}

/**
 * Stores a message with the conversation's next sequence number, in one transaction: the counter is bumped
 * by an UPDATE, which locks the conversation's row until commit, so messages written at the same moment by
 * different nodes get distinct, gap-free numbers. A message whose `clientMessageId` is already stored is not
 * stored again: the first one is returned with `created: false`. The conversation as the transaction left
 * it comes back too (a copy: changing the caller's managed entity would let a later flush write stale
 * counts back).
 */
export async function appendMessage(
  em: EntityManager,
  input: NewMessage,
): Promise<{ message: Message; created: boolean; conversation: Conversation }> {
  const conversationId = input.conversation.id;
  const clientMessageId = input.clientMessageId ?? `srv-${randomUUID()}`;
  const existing = () => em.fork().findOne(Message, { conversation: conversationId, clientMessageId });
  const same = (earlier: Message | null) => {
    // An id is the sender's own: one a visitor used cannot fetch an agent's message, nor the reverse.
    if (earlier && earlier.role !== input.role) throw conflict('That message id is already taken.');
    return earlier;
  };
  const now = new Date();
  try {
    const { message, conversation } = await em.fork().transactional(async (tx) => {
      await tx.nativeUpdate(
        Conversation,
        { id: conversationId },
        { lastSeq: raw('last_seq + 1'), messageCount: raw('message_count + 1'), lastMessageAt: now },
      );
      const fresh = await tx.findOneOrFail(Conversation, conversationId, { refresh: true });
      if (fresh.assignedAgent) await tx.populate(fresh, ['assignedAgent']);
      // A native insert: the unit of work's flush would cost three times as much for one new row.
      const message = tx.create(
        Message,
        {
          conversation: conversationId,
          seq: fresh.lastSeq,
          clientMessageId,
          role: input.role,
          content: input.content,
          state: input.state ?? 'complete',
          agent: input.agentId ?? null,
          model: input.model ?? null,
        },
        { persist: false },
      );
      await tx.insert(message);
      return { message, conversation: fresh };
    });
    if (input.countUsage !== false) await addDailyUsage(em, input.conversation.bot.id, { messages: 1 });
    return { message, created: true, conversation };
  } catch (error) {
    // A resend (or the same message sent twice at once): the unique index let the first one in, and the
    // transaction of this one rolled back; it gets the first one back. Resends are rare, so no query
    // looks for them before every write.
    if (error instanceof UniqueConstraintViolationException && input.clientMessageId) {
      const earlier = same(await existing());
      if (earlier) return { message: earlier, created: false, conversation: input.conversation };
    }
    throw error;
  }
}

/** The messages after `sinceSeq`, oldest first, with the names of agents who wrote them. */
export function messagesSince(em: EntityManager, conversationId: string, sinceSeq = 0): Promise<Message[]> {
  return em.find(
    Message,
    { conversation: conversationId, seq: { $gt: sinceSeq } },
    {
      orderBy: { seq: 'asc' },
      limit: ChatLimits.replayMax,
      populate: ['agent'],
    },
  );
}

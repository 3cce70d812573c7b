import { createHash } from 'node:crypto';
import type { VisitorErasure, VisitorRef } from '@chatbot/shared';
import type { EntityManager } from '@mikro-orm/core';
import { AuditLog } from '@chatbot/shared/platform';
import { eraseConversations } from '../conversations/conversation-erasure';
import { visitorConversationIds } from './visitor-conversations';

/**
 * How an erased email is named in the audit log: its SHA-256, so the log can show that a given address was
 * erased (hash it again to check) without keeping the address it was asked to forget.
 */
export const emailDigest = (email: string) => createHash('sha256').update(email.toLowerCase()).digest('hex');

/**
 * Erases a visitor (a data subject's erasure request): deletes their conversations, and with them, by the
 * database's cascades, their messages, leads and the leads' history, in one transaction with the audit
 * record of who erased what (ids and counts only). The daily usage roll-ups stay: they hold no personal
 * data, and the analytics of past days should not change.
 */
export async function eraseVisitor(
  em: EntityManager,
  visitor: VisitorRef,
  actorId: string,
): Promise<VisitorErasure> {
  return em.transactional(async (tx) => {
    const ids = await visitorConversationIds(tx, visitor);
    const erased = await eraseConversations(tx, ids);
    tx.create(AuditLog, {
      actor: actorId,
      action: 'visitor.erased',
      ...(visitor.email
        ? { subjectType: 'email-sha256', subjectId: emailDigest(visitor.email) }
        : { subjectType: 'conversation', subjectId: visitor.conversationId! }),
      details: { ...erased, conversationIds: ids },
    });
    return erased;
  });
}

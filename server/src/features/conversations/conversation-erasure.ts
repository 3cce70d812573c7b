import type { ConversationDeletion } from '@chatbot/shared';
import type { EntityManager } from '@mikro-orm/core';
import { AuditLog, Conversation, Lead, LeadEvent, Message, currentTenantId } from '@chatbot/shared/platform';
import { notFound } from '../../http/http-error';
import { inChunks } from '../privacy/visitor-conversations';

/**
 * Deletes conversations of the current tenant and, by the database's cascades, their messages, leads and
 * the leads' history; returns what went, counted before it did. Call inside a transaction, with the audit
 * record of who deleted what. The daily usage roll-ups stay: they hold no personal data, and the
 * analytics of past days should not change.
 */
export async function eraseConversations(tx: EntityManager, ids: string[]): Promise<ConversationDeletion> {
  const tenant = currentTenantId();
  const erased: ConversationDeletion = { conversations: 0, messages: 0, leads: 0, leadEvents: 0 };
  for (const chunk of inChunks(ids)) {
    erased.messages += await tx.count(Message, { tenant, conversation: { $in: chunk } });
    const leads = await tx.find(Lead, { tenant, conversation: { $in: chunk } }, { fields: ['id'] });
    erased.leads += leads.length;
    for (const leadIds of inChunks(leads.map((lead) => lead.id))) {
      erased.leadEvents += await tx.count(LeadEvent, { tenant, lead: { $in: leadIds } });
    }
    erased.conversations += await tx.nativeDelete(Conversation, { tenant, id: { $in: chunk } });
  }
  return erased;
}

/**
 * Deletes one conversation for good (a GDPR request about it), in one transaction with the audit record
 * of who did it (ids and counts only). Another tenant's conversation is not found.
 */
export async function deleteConversation(
  em: EntityManager,
  id: string,
  actorId: string,
): Promise<ConversationDeletion> {
  return em.transactional(async (tx) => {
    const conversation = await tx.findOne(Conversation, id, { fields: ['bot'] });
    if (!conversation) throw notFound('Conversation');
    const erased = await eraseConversations(tx, [id]);
    tx.create(AuditLog, {
      actor: actorId,
      action: 'conversation.deleted',
      subjectType: 'conversation',
      subjectId: id,
      details: { ...erased, botId: conversation.bot.id },
    });
    return erased;
  });
}

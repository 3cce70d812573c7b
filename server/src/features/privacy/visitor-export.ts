import type { VisitorConversation, VisitorDataExport, VisitorLead, VisitorRef } from '@chatbot/shared';
import type { EntityManager } from '@mikro-orm/core';
import { Conversation, Lead, LeadEvent, Message, currentTenantId } from '@chatbot/shared/platform';
import { presentLead } from '../leads/leads.presenter';
import { inChunks, visitorConversationIds } from './visitor-conversations';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/**
 * Everything the platform stores about one visitor (a data subject's access request): their conversations
 * with where they came from (address, browser, referrer), every message, and the contact details they left
 * with each lead's history. Staff members' identities are left out: they are not the visitor's data.
 */
export async function exportVisitorData(em: EntityManager, visitor: VisitorRef): Promise<VisitorDataExport> {
  const tenant = currentTenantId();
  const ids = await visitorConversationIds(em, visitor);
  const conversations: Conversation[] = [];
  const messages: Message[] = [];
  const leads: Lead[] = [];
  for (const chunk of inChunks(ids)) {
    conversations.push(
      ...(await em.find(Conversation, { tenant, id: { $in: chunk } }, { populate: ['bot'] })),
    );
    messages.push(
      ...(await em.find(Message, { tenant, conversation: { $in: chunk } }, { orderBy: { seq: 'asc' } })),
    );
    leads.push(
      ...(await em.find(Lead, { tenant, conversation: { $in: chunk } }, { orderBy: { createdAt: 'asc' } })),
    );
  }
  const events: LeadEvent[] = [];
  for (const chunk of inChunks(leads.map((lead) => lead.id))) {
    events.push(
      ...(await em.find(LeadEvent, { tenant, lead: { $in: chunk } }, { orderBy: { createdAt: 'asc' } })),
    );
  }
  const order = new Map(ids.map((id, index) => [id, index]));
  conversations.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  return {
    generatedAt: new Date().toISOString(),
    subject: visitor,
    conversations: conversations.map((conversation) =>
      presentConversation(
        conversation,
        messages.filter((message) => message.conversation.id === conversation.id),
      ),
    ),
    leads: leads.map((lead) =>
      presentVisitorLead(
        lead,
        events.filter((event) => event.lead.id === lead.id),
      ),
    ),
  };
}

function presentConversation(conversation: Conversation, messages: Message[]): VisitorConversation {
  return {
    id: conversation.id,
    botId: conversation.bot.id,
    botName: conversation.bot.getEntity().name,
    visitorId: conversation.visitorId,
    visitorIp: conversation.visitorIp,
    userAgent: conversation.userAgent,
    referrer: conversation.referrer,
    mode: conversation.mode,
    createdAt: conversation.createdAt.toISOString(),
    lastMessageAt: iso(conversation.lastMessageAt),
    closedAt: iso(conversation.closedAt),
    messages: messages.map((message) => ({
      id: message.id,
      seq: message.seq,
      role: message.role,
      content: message.content,
      createdAt: message.createdAt.toISOString(),
    })),
  };
}

function presentVisitorLead(lead: Lead, events: LeadEvent[]): VisitorLead {
  const { assigneeId: _assigneeId, assigneeName: _assigneeName, ...view } = presentLead(lead);
  return {
    ...view,
    history: events.map((event) => ({
      id: event.id,
      kind: event.kind,
      oldValue: event.oldValue,
      newValue: event.newValue,
      text: event.text,
      createdAt: event.createdAt.toISOString(),
    })),
  };
}

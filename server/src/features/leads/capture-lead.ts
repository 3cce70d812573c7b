import type { CaptureLeadInput } from '@chatbot/shared';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { Lead, type Conversation } from '@chatbot/shared/platform';
import type { ChatEvents } from '../conversations/chat-events';
import { addDailyUsage } from '../conversations/daily-usage';

/**
 * Records the contact details a visitor left: one lead per conversation, a second capture merges into the
 * first (fields left out keep their values). Consent is recorded with its time. The tenant's dashboards
 * hear of a new lead at once.
 */
export async function captureLead(
  em: EntityManager,
  events: ChatEvents,
  conversation: Conversation,
  input: CaptureLeadInput,
): Promise<{ leadId: string; created: boolean }> {
  const details = {
    email: input.email,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.phone !== undefined ? { phone: input.phone } : {}),
    ...(input.company !== undefined ? { company: input.company } : {}),
    ...(input.consent ? { consent: true, consentAt: new Date() } : {}),
  };
  const existing = await em.findOne(Lead, { conversation: conversation.id });
  if (existing) {
    em.assign(existing, details);
    await em.flush();
    return { leadId: existing.id, created: false };
  }
  const lead = em.create(Lead, {
    bot: conversation.bot.id,
    conversation: conversation.id,
    name: null,
    phone: null,
    company: null,
    consent: false,
    consentAt: null,
    ...details,
  });
  try {
    await em.flush();
  } catch (error) {
    // The same visitor submitting twice at once: the first one's record takes the second's details.
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    em.clear();
    return captureLead(em, events, conversation, input);
  }
  await addDailyUsage(em, conversation.bot.id, { leads: 1 });
  events.toTenant(conversation.tenant.id, 'lead:new', {
    leadId: lead.id,
    botId: conversation.bot.id,
    conversationId: conversation.id,
  });
  return { leadId: lead.id, created: true };
}

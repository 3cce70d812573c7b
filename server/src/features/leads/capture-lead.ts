import type { CaptureLeadInput, CaptureLeadResponse, LeadFieldChange } from '@chatbot/shared';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import {
  Lead,
  LeadEvent,
  enqueueLeadSummary,
  publishWebhookEvent,
  type Conversation,
  type JobQueue,
} from '@chatbot/shared/platform';
import { forbidden } from '../../http/http-error';
import type { BotConfig } from '../chat/bot-configs';
import type { ChatEvents } from '../conversations/chat-events';
import { addDailyUsage } from '../conversations/daily-usage';
import { presentLead } from './leads.presenter';

const detailFields = ['email', 'name', 'phone', 'company'] as const;

/**
 * Records the contact details a visitor leaves, over REST or the widget's socket alike: one lead per
 * conversation, a later capture merges into it (the fields given replace, those left out stay). Each
 * capture writes its changes to the lead's history in one transaction; then the webhooks hear of it
 * (`lead.created`, or `lead.updated` when a merge changed something), and the lead's summary and score are
 * computed again in the background.
 */
export class LeadCapture {
  constructor(
    private readonly events: ChatEvents,
    private readonly queue: JobQueue,
  ) {}

  /** Call inside the bot's tenant. Refused when the bot does not collect contact details. */
  async capture(
    em: EntityManager,
    bot: Pick<BotConfig, 'leadCapture'>,
    conversation: Conversation,
    input: CaptureLeadInput,
  ): Promise<CaptureLeadResponse> {
    if (!bot.leadCapture.enabled) throw forbidden('This chatbot does not collect contact details.');
    let outcome: { lead: Lead; created: boolean; changed: boolean };
    try {
      outcome = await em.fork().transactional((tx) => this.record(tx, conversation, input));
    } catch (error) {
      // The same visitor submitting twice at once: the first one's lead takes the second's details.
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      outcome = await em.fork().transactional((tx) => this.record(tx, conversation, input));
    }
    const { lead, created, changed } = outcome;
    // After the commit, as the webhooks ask: their delivery jobs must find what they tell of.
    if (changed) {
      await publishWebhookEvent(em.fork(), this.queue, created ? 'lead.created' : 'lead.updated', {
        lead: presentLead(lead),
      });
    }
    if (created) {
      await addDailyUsage(em, conversation.bot.id, { leads: 1 });
      this.events.toTenant(conversation.tenant.id, 'lead:new', {
        leadId: lead.id,
        botId: conversation.bot.id,
        conversationId: conversation.id,
      });
    }
    // Left to the requeue sweep if the queue is out of reach (a merge then keeps its older summary).
    await enqueueLeadSummary(this.queue, lead, created);
    return { leadId: lead.id, created };
  }

  private async record(tx: EntityManager, conversation: Conversation, input: CaptureLeadInput) {
    const existing = await tx.findOne(Lead, { conversation: conversation.id });
    const lead =
      existing ??
      tx.create(Lead, {
        bot: conversation.bot.id,
        conversation: conversation.id,
        email: input.email,
        name: null,
        phone: null,
        company: null,
        consent: false,
        consentAt: null,
      });
    const changes = mergeDetails(lead, input, existing === null);
    tx.create(LeadEvent, {
      lead,
      kind: 'captured',
      author: null,
      oldValue: null,
      newValue: null,
      text: JSON.stringify(changes),
    });
    await tx.flush();
    return { lead, created: existing === null, changed: existing === null || changes.length > 0 };
  }
}

/**
 * Applies the details given to the lead and lists what changed. Consent given again keeps the time it was
 * first given; `consent: false` (also what a form without the box sends) does not withdraw it.
 */
function mergeDetails(lead: Lead, input: CaptureLeadInput, isNew: boolean): LeadFieldChange[] {
  const changes: LeadFieldChange[] = [];
  for (const field of detailFields) {
    const value = input[field];
    if (value === undefined || (!isNew && lead[field] === value)) continue;
    changes.push({ field, from: isNew ? null : lead[field], to: value });
    lead[field] = value;
  }
  if (input.consent && !lead.consent) {
    changes.push({ field: 'consent', from: isNew ? null : 'false', to: 'true' });
    lead.consent = true;
    lead.consentAt = new Date();
  }
  return changes;
}

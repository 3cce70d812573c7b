import type { LeadEventView, LeadView, UpdateLeadInput } from '@chatbot/shared';
import { ref, type EntityManager } from '@mikro-orm/core';
import { Lead, LeadEvent, User, publishWebhookEvent, type JobQueue } from '@chatbot/shared/platform';
import { notFound } from '../../http/http-error';
import { presentLead, presentLeadEvent } from './leads.presenter';

/** The team's work on leads: moving them along, assigning them, writing notes. Each step is in the history. */
export class LeadsService {
  constructor(private readonly queue: JobQueue) {}

  /**
   * Changes the status or the assignee (a user of the tenant; null for nobody), with one history entry per
   * change, by `author`, in one transaction; then tells the webhooks (`lead.updated`). Setting what is
   * already set changes nothing.
   */
  async update(em: EntityManager, id: string, input: UpdateLeadInput, author: User): Promise<LeadView> {
    const { view, changed } = await em.fork().transactional(async (tx) => {
      const lead = await tx.findOne(Lead, id, { populate: ['assignee'] });
      if (!lead) throw notFound('Lead');
      const record = (kind: 'status' | 'assignee', oldValue: string | null, newValue: string | null) =>
        tx.create(LeadEvent, { lead, kind, author: author.id, oldValue, newValue, text: null });
      let changed = false;
      if (input.status && input.status !== lead.status) {
        record('status', lead.status, input.status);
        lead.status = input.status;
        changed = true;
      }
      if (input.assigneeId !== undefined && input.assigneeId !== (lead.assignee?.id ?? null)) {
        // The tenant filter makes another tenant's user as unknown as one that does not exist.
        const assignee = input.assigneeId ? await tx.findOne(User, input.assigneeId) : null;
        if (input.assigneeId && !assignee) throw notFound('User');
        record('assignee', lead.assignee?.id ?? null, assignee?.id ?? null);
        lead.assignee = assignee ? ref(assignee) : null;
        changed = true;
      }
      await tx.flush();
      return { view: presentLead(lead), changed };
    });
    // After the commit, as the webhooks ask: their delivery jobs must find what they tell of.
    if (changed) await publishWebhookEvent(em.fork(), this.queue, 'lead.updated', { lead: view });
    return view;
  }

  /** A note on the lead by `author`. */
  async addNote(em: EntityManager, id: string, text: string, author: User): Promise<LeadEventView> {
    const lead = await em.findOne(Lead, id, { fields: ['id'] });
    if (!lead) throw notFound('Lead');
    const note = em.create(LeadEvent, {
      lead: lead.id,
      kind: 'note',
      author: author.id,
      oldValue: null,
      newValue: null,
      text,
    });
    await em.flush();
    await em.populate(note, ['author']);
    return presentLeadEvent(note, new Map());
  }
}

import type { LeadEventView, LeadFieldChange, LeadView } from '@chatbot/shared';
import type { Lead, LeadEvent, User } from '@chatbot/shared/platform';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** A lead as the dashboard, the export and the webhooks see it; the assignee's name when it was loaded. */
export function presentLead(lead: Lead): LeadView {
  const assignee = lead.assignee;
  return {
    id: lead.id,
    botId: lead.bot.id,
    conversationId: lead.conversation.id,
    email: lead.email,
    name: lead.name,
    phone: lead.phone,
    company: lead.company,
    consent: lead.consent,
    consentAt: iso(lead.consentAt),
    status: lead.status,
    score: lead.score,
    scoreReasons: lead.scoreReasons,
    summary: lead.summary,
    assigneeId: assignee?.id ?? null,
    assigneeName: assignee?.isInitialized() ? assignee.getEntity().name : null,
    createdAt: lead.createdAt.toISOString(),
    updatedAt: lead.updatedAt.toISOString(),
  };
}

/**
 * One entry of a lead's history, with its author's name when loaded; `users` names the users an
 * assignment event refers to (a user removed since has no name).
 */
export function presentLeadEvent(event: LeadEvent, users: ReadonlyMap<string, User>): LeadEventView {
  const author = event.author;
  const view: LeadEventView = {
    id: event.id,
    kind: event.kind,
    authorId: author?.id ?? null,
    authorName: author?.isInitialized() ? author.getEntity().name : null,
    oldValue: event.oldValue,
    newValue: event.newValue,
    text: event.kind === 'captured' ? null : event.text,
    createdAt: event.createdAt.toISOString(),
  };
  if (event.kind === 'assignee') {
    view.oldName = event.oldValue ? (users.get(event.oldValue)?.name ?? null) : null;
    view.newName = event.newValue ? (users.get(event.newValue)?.name ?? null) : null;
  }
  if (event.kind === 'captured') view.changes = JSON.parse(event.text ?? '[]') as LeadFieldChange[];
  return view;
}

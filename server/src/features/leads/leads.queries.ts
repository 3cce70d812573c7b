import type {
  LeadAssigneesResponse,
  LeadDetail,
  LeadFilters,
  LeadsResponse,
  ListLeadsQuery,
} from '@chatbot/shared';
import type { EntityManager, FilterQuery } from '@mikro-orm/core';
import { Lead, LeadEvent, User } from '@chatbot/shared/platform';
import { containsText } from '../../http/contains-text';
import { notFound } from '../../http/http-error';
import { messagesSince } from '../conversations/conversation-messages';
import { presentMessage } from '../conversations/conversations.presenter';
import { presentLead, presentLeadEvent } from './leads.presenter';

/** Newest first; the id breaks ties so that pages never overlap. */
const newestFirst = { createdAt: 'desc', id: 'asc' } as const;

/** The tenant's leads the filters select (the tenant filter scopes every query). */
export function leadsWhere(filters: LeadFilters): FilterQuery<Lead> {
  const where: FilterQuery<Lead> & Record<string, unknown> = {};
  if (filters.status) where.status = filters.status;
  if (filters.botId) where.bot = filters.botId;
  if (filters.minScore !== undefined) where.score = { $gte: filters.minScore };
  if (filters.from || filters.to) {
    where.createdAt = {
      ...(filters.from ? { $gte: new Date(filters.from) } : {}),
      ...(filters.to ? { $lte: new Date(filters.to) } : {}),
    };
  }
  if (filters.search) {
    where.$or = ['email', 'name', 'company'].map((column) => containsText(column, filters.search!));
  }
  return where;
}

/** `GET /api/leads`: newest first, filtered and paged. */
export async function listLeads(em: EntityManager, query: ListLeadsQuery): Promise<LeadsResponse> {
  const [leads, total] = await em.findAndCount(Lead, leadsWhere(query), {
    orderBy: newestFirst,
    populate: ['assignee'],
    limit: query.limit,
    offset: query.offset,
  });
  return { leads: leads.map(presentLead), total };
}

/** Every lead the filters select, a page at a time, for the export (which streams them). */
export async function* allLeads(em: EntityManager, filters: LeadFilters, pageSize = 500) {
  for (let offset = 0; ; offset += pageSize) {
    const page = await em.find(Lead, leadsWhere(filters), {
      orderBy: newestFirst,
      populate: ['assignee', 'bot'],
      limit: pageSize,
      offset,
    });
    if (page.length) yield page;
    if (page.length < pageSize) return;
    em.clear();
  }
}

/**
 * `GET /api/leads/assignees`: whom a lead can be given to, by name only (an agent may assign but not see
 * the team's emails and roles, which `GET /api/users` keeps to owners and admins).
 */
export async function listAssignees(em: EntityManager): Promise<LeadAssigneesResponse> {
  const users = await em.find(User, {}, { fields: ['name'], orderBy: { name: 'asc', id: 'asc' } });
  return { assignees: users.map((user) => ({ id: user.id, name: user.name })) };
}

/** The lead with its conversation's transcript (as staff see it) and its history, oldest first. */
export async function getLead(em: EntityManager, id: string): Promise<LeadDetail> {
  const lead = await em.findOne(Lead, id, { populate: ['assignee'] });
  if (!lead) throw notFound('Lead');
  const [messages, events] = await Promise.all([
    messagesSince(em.fork(), lead.conversation.id),
    em.fork().find(LeadEvent, { lead: id }, { orderBy: { createdAt: 'asc' }, populate: ['author'] }),
  ]);
  const assigned = new Set(
    events.filter((event) => event.kind === 'assignee').flatMap((event) => [event.oldValue, event.newValue]),
  );
  assigned.delete(null);
  const users = assigned.size ? await em.find(User, { id: { $in: [...assigned] as string[] } }) : [];
  const byId = new Map(users.map((user) => [user.id, user]));
  return {
    lead: presentLead(lead),
    messages: messages.map((message) => presentMessage(message, undefined, 'staff')),
    history: events.map((event) => presentLeadEvent(event, byId)),
  };
}

import { z } from 'zod';
import { emailSchema, fitsColumn, idSchema, pageQuerySchema } from './common.schema';
import type { ChatMessage } from '../socket/events';

export const LeadStatuses = ['new', 'contacted', 'qualified', 'converted'] as const;
export type LeadStatus = (typeof LeadStatuses)[number];

const leadDetails = {
  email: emailSchema,
  name: z.string().trim().min(1).max(120).check(fitsColumn(120)).optional(),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ().-]{5,40}$/, 'must be a phone number')
    .optional(),
  company: z.string().trim().min(1).max(120).check(fitsColumn(120)).optional(),
  consent: z.boolean().default(false),
};

/** `POST /api/public/conversation/:conversationId/capture-lead`: the visitor's contact details. */
export const captureLeadSchema = z.object(leadDetails).strict();
export type CaptureLeadInput = z.infer<typeof captureLeadSchema>;

/** The widget's `lead:capture` event: the same details, naming the conversation. */
export const leadCaptureEventSchema = z.object({ conversationId: idSchema, ...leadDetails }).strict();

export interface CaptureLeadResponse {
  leadId: string;
  /** False when the details were merged into the conversation's lead. */
  created: boolean;
}

const isoDate = z.iso.datetime({ offset: true });

/** The filters of the lead list and of its CSV export. */
const leadFilters = {
  status: z.enum(LeadStatuses).optional(),
  botId: idSchema.optional(),
  /** Created at or after. */
  from: isoDate.optional(),
  /** Created at or before. */
  to: isoDate.optional(),
  minScore: z.coerce.number().int().min(0).max(100).optional(),
  /** Text found in the email, name or company, case-insensitively. */
  search: z.string().trim().min(1).max(200).optional(),
};

/** `GET /api/leads`. */
export const listLeadsQuerySchema = pageQuerySchema.extend(leadFilters).strict();
export type ListLeadsQuery = z.infer<typeof listLeadsQuerySchema>;

/** `GET /api/leads/export.csv`: every lead the filters select, unpaged. */
export const exportLeadsQuerySchema = z.object(leadFilters).strict();
export type LeadFilters = z.infer<typeof exportLeadsQuerySchema>;

/** `PATCH /api/leads/:id`: `assigneeId` null unassigns. */
export const updateLeadSchema = z
  .object({ status: z.enum(LeadStatuses), assigneeId: idSchema.nullable() })
  .partial()
  .strict()
  .refine((input) => Object.keys(input).length > 0, 'send status or assigneeId');
export type UpdateLeadInput = z.infer<typeof updateLeadSchema>;

/** `POST /api/leads/:id/notes`. */
export const leadNoteSchema = z.object({ text: z.string().trim().min(1).max(4000) }).strict();

/** A lead as the dashboard sees it. */
export interface LeadView {
  id: string;
  botId: string;
  conversationId: string;
  email: string;
  name: string | null;
  phone: string | null;
  company: string | null;
  consent: boolean;
  consentAt: string | null;
  status: LeadStatus;
  /** 0 to 100, written by the summary job; 0 until it ran. */
  score: number;
  /** Why the score is what it is, one line per factor ("+40 wants to act: “book a demo”"). */
  scoreReasons: string[];
  summary: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A detail a capture changed: its value before (null when it had none) and after. */
export interface LeadFieldChange {
  field: 'email' | 'name' | 'phone' | 'company' | 'consent';
  from: string | null;
  to: string | null;
}

/** One entry of a lead's history. */
export interface LeadEventView {
  id: string;
  kind: 'captured' | 'status' | 'assignee' | 'note';
  /** Null for the visitor (a capture) or the platform. */
  authorId: string | null;
  authorName: string | null;
  /** `status`: the statuses; `assignee`: the user ids (null: nobody). */
  oldValue: string | null;
  newValue: string | null;
  /** `assignee`: the names of those users, when they still exist. */
  oldName?: string | null;
  newName?: string | null;
  /** `note`: its text. */
  text: string | null;
  /** `captured`: what the visitor's details changed. */
  changes?: LeadFieldChange[];
  createdAt: string;
}

export interface LeadsResponse {
  leads: LeadView[];
  total: number;
}

/** Someone a lead can be given to: a user of the tenant, by name alone. */
export interface LeadAssignee {
  id: string;
  name: string;
}

/** `GET /api/leads/assignees`: the tenant's team by name, for every role (agents assign leads too). */
export interface LeadAssigneesResponse {
  assignees: LeadAssignee[];
}

/** `GET /api/leads/:id`: the lead, its conversation's transcript and its history, oldest first. */
export interface LeadDetail {
  lead: LeadView;
  messages: ChatMessage[];
  history: LeadEventView[];
}

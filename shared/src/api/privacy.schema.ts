import type { LeadView } from './leads.schema';
import { z } from 'zod';
import type { MessageRole } from '../socket/events';
import { emailSchema, idSchema } from './common.schema';

export const PrivacyLimits = {
  /** The longest retention a tenant may set, in days (ten years). */
  retentionDaysMax: 3650,
} as const;

/** A visitor, named by one of their conversations or by the email they left: exactly one of the two. */
const visitorSchema = z
  .object({ conversationId: idSchema.optional(), email: emailSchema.optional() })
  .strict()
  .superRefine((visitor, ctx) => {
    if ((visitor.conversationId === undefined) === (visitor.email === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['conversationId'],
        message: 'give either conversationId or email',
      });
    }
  });

/** `GET /api/privacy/export?conversationId=` or `?email=`. */
export const visitorExportQuerySchema = visitorSchema;
/** `POST /api/privacy/erase` `{conversationId}` or `{email}`. */
export const eraseVisitorSchema = visitorSchema;
export type VisitorRef = z.output<typeof visitorSchema>;

/** `PATCH /api/privacy/retention`: conversations older than this many days are deleted; null keeps them. */
export const retentionSettingsSchema = z
  .object({
    retentionDays: z
      .number({ message: 'must be a number of days' })
      .int('must be a whole number of days')
      .min(1, 'must be at least 1 day')
      .max(
        PrivacyLimits.retentionDaysMax,
        `must be at most ${PrivacyLimits.retentionDaysMax} days (ten years)`,
      )
      .nullable(),
  })
  .strict();
export type RetentionSettings = z.infer<typeof retentionSettingsSchema>;

/** A message of the visitor's transcript (theirs, the bot's, an agent's or a notice). */
export interface VisitorMessage {
  id: string;
  seq: number;
  role: MessageRole;
  content: string;
  createdAt: string;
}

/** One of the visitor's conversations, with where it came from and its whole transcript. */
export interface VisitorConversation {
  id: string;
  botId: string;
  botName: string;
  visitorId: string;
  visitorIp: string | null;
  userAgent: string | null;
  referrer: string | null;
  mode: string;
  createdAt: string;
  lastMessageAt: string | null;
  closedAt: string | null;
  /** The whole transcript, oldest first. */
  messages: VisitorMessage[];
}

/** An entry of a lead's history, without who on the team made it. */
export interface VisitorLeadEvent {
  id: string;
  kind: string;
  oldValue: string | null;
  newValue: string | null;
  text: string | null;
  createdAt: string;
}

/** Contact details the visitor left, with the team's status, score and summary (not who handles it). */
export type VisitorLead = Omit<LeadView, 'assigneeId' | 'assigneeName'> & {
  /** Captures, status changes, assignments and notes, oldest first. */
  history: VisitorLeadEvent[];
};

/** `GET /api/privacy/export`: everything stored about one visitor. */
export interface VisitorDataExport {
  generatedAt: string;
  subject: VisitorRef;
  conversations: VisitorConversation[];
  leads: VisitorLead[];
}

/** `POST /api/privacy/erase`: what was deleted. */
export interface VisitorErasure {
  conversations: number;
  messages: number;
  leads: number;
  leadEvents: number;
}

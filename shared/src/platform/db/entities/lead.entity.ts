import { EntitySchema, type Ref } from '@mikro-orm/core';
import { TenantScopedSchema, type TenantScoped, type TenantScopedFields } from './base.entity';
import { LongTextType } from '../long-text.type';
import type { Chatbot } from './chatbot.entity';
import type { Conversation } from './conversation.entity';
import type { User } from './user.entity';

export const LeadStatuses = ['new', 'contacted', 'qualified', 'converted'] as const;
export type LeadStatus = (typeof LeadStatuses)[number];

/** Contact details a visitor left in a conversation; one lead per conversation, later captures merge. */
export interface Lead extends TenantScoped<
  'status' | 'score' | 'scoreReasons' | 'summary' | 'assignee' | 'consentAt'
> {
  bot: Ref<Chatbot>;
  conversation: Ref<Conversation>;
  email: string;
  name: string | null;
  phone: string | null;
  company: string | null;
  consent: boolean;
  consentAt: Date | null;
  status: LeadStatus;
  score: number;
  /** Why the score is what it is, one line per factor, so a salesperson can trust it. */
  scoreReasons: string[];
  summary: string | null;
  assignee: Ref<User> | null;
}

export const Lead = new EntitySchema<Lead, TenantScopedFields>({
  name: 'Lead',
  tableName: 'leads',
  extends: TenantScopedSchema,
  properties: {
    // No cascade from the bot: SQL Server refuses a second cascade path (bot → conversation → lead).
    bot: { kind: 'm:1', updateRule: 'no action', entity: 'Chatbot', ref: true, deleteRule: 'no action' },
    conversation: {
      kind: 'm:1',
      updateRule: 'no action',
      entity: 'Conversation',
      ref: true,
      unique: true,
      deleteRule: 'cascade',
    },
    email: { type: 'string', length: 254 },
    name: { type: 'string', length: 120, nullable: true },
    phone: { type: 'string', length: 40, nullable: true },
    company: { type: 'string', length: 120, nullable: true },
    consent: { type: 'boolean' },
    consentAt: { type: 'Date', nullable: true },
    status: { enum: true, items: () => [...LeadStatuses], type: 'string', length: 16, onCreate: () => 'new' },
    score: { type: 'integer', onCreate: () => 0 },
    scoreReasons: { type: 'json', onCreate: () => [] },
    summary: { type: LongTextType, nullable: true },
    assignee: {
      kind: 'm:1',
      updateRule: 'no action',
      entity: 'User',
      ref: true,
      nullable: true,
      deleteRule: 'no action',
    },
  },
  indexes: [{ properties: ['tenant', 'status', 'createdAt'] }, { properties: ['bot', 'createdAt'] }],
});

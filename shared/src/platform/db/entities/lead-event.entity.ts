import { EntitySchema, type Ref } from '@mikro-orm/core';
import { TenantScopedSchema, type TenantScoped, type TenantScopedFields } from './base.entity';
import { LongTextType } from '../long-text.type';
import type { Lead } from './lead.entity';
import type { User } from './user.entity';

export const LeadEventKinds = ['captured', 'status', 'assignee', 'note'] as const;
export type LeadEventKind = (typeof LeadEventKinds)[number];

/**
 * The history of a lead: each capture by the visitor, status change, assignment and note, with who made
 * it (null for the visitor or the platform) and, for changes, the value before and after.
 */
export interface LeadEvent extends TenantScoped<'author' | 'oldValue' | 'newValue' | 'text'> {
  lead: Ref<Lead>;
  kind: LeadEventKind;
  author: Ref<User> | null;
  oldValue: string | null;
  newValue: string | null;
  text: string | null;
}

export const LeadEvent = new EntitySchema<LeadEvent, TenantScopedFields>({
  name: 'LeadEvent',
  tableName: 'lead_events',
  extends: TenantScopedSchema,
  properties: {
    lead: { kind: 'm:1', updateRule: 'no action', entity: 'Lead', ref: true, deleteRule: 'cascade' },
    kind: { enum: true, items: () => [...LeadEventKinds], type: 'string', length: 16 },
    author: {
      kind: 'm:1',
      updateRule: 'no action',
      entity: 'User',
      ref: true,
      nullable: true,
      deleteRule: 'no action',
    },
    oldValue: { type: 'string', length: 255, nullable: true },
    newValue: { type: 'string', length: 255, nullable: true },
    text: { type: LongTextType, nullable: true },
  },
  indexes: [{ properties: ['lead', 'createdAt'] }],
});

import { EntitySchema, type Ref } from '@mikro-orm/core';
import { TenantScopedSchema, type TenantScoped, type TenantScopedFields } from './base.entity';
import type { User } from './user.entity';

/**
 * What was done to a tenant's data that cannot be undone (a visitor erased, conversations deleted by the
 * retention policy), by whom (null for the platform's own jobs), kept for the tenant's records. It holds
 * ids and counts, never the personal data that was removed.
 */
export interface AuditLog extends TenantScoped<'actor' | 'details'> {
  actor: Ref<User> | null;
  action: string;
  subjectType: string;
  subjectId: string;
  details: Record<string, unknown>;
}

export const AuditLog = new EntitySchema<AuditLog, TenantScopedFields>({
  name: 'AuditLog',
  tableName: 'audit_logs',
  extends: TenantScopedSchema,
  properties: {
    actor: {
      kind: 'm:1',
      updateRule: 'no action',
      entity: 'User',
      ref: true,
      nullable: true,
      deleteRule: 'no action',
    },
    action: { type: 'string', length: 64 },
    subjectType: { type: 'string', length: 32 },
    subjectId: { type: 'string', length: 254 },
    details: { type: 'json', onCreate: () => ({}) },
  },
  indexes: [{ properties: ['tenant', 'createdAt'] }],
});

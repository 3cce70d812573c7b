import { EntitySchema } from '@mikro-orm/core';
import { BaseEntitySchema, type BaseEntity, type BaseFields } from './base.entity';

/** A business using the platform (the plan's "client"). */
export interface Tenant extends BaseEntity {
  name: string;
  /** Conversations older than this many days are deleted by a daily job; null keeps them. */
  retentionDays: number | null;
}

export const Tenant = new EntitySchema<Tenant, BaseFields>({
  name: 'Tenant',
  tableName: 'tenants',
  extends: BaseEntitySchema,
  properties: {
    name: { type: 'string', length: 120 },
    retentionDays: { type: 'integer', nullable: true },
  },
});

import { EntitySchema } from '@mikro-orm/core';
import { BaseEntitySchema, type BaseEntity, type BaseFields } from './base.entity';

/** A business using the platform (the plan's "client"). */
export interface Tenant extends BaseEntity {
  name: string;
}

export const Tenant = new EntitySchema<Tenant, BaseFields>({
  name: 'Tenant',
  tableName: 'tenants',
  extends: BaseEntitySchema,
  properties: {
    name: { type: 'string', length: 120 },
  },
});

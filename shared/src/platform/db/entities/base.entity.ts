import { randomUUID } from 'node:crypto';
import { EntitySchema, type OptionalProps, type Ref } from '@mikro-orm/core';
import type { Tenant } from './tenant.entity';
import { currentTenantId } from '../tenant-context';

export interface BaseFields {
  id: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A record with generated id and timestamps; `Optional` names further properties that have defaults. */
export type BaseEntity<Optional extends string = never> = BaseFields & {
  [OptionalProps]?: 'id' | 'createdAt' | 'updatedAt' | Optional;
};

export const BaseEntitySchema = new EntitySchema<BaseFields>({
  name: 'BaseEntity',
  abstract: true,
  properties: {
    id: { type: 'uuid', primary: true, onCreate: () => randomUUID() },
    createdAt: { type: 'Date', onCreate: () => new Date() },
    updatedAt: { type: 'Date', onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});

/** Every record that belongs to a tenant. Its `tenant` comes from the scope it is created in. */
export interface TenantScopedFields extends BaseFields {
  tenant: Ref<Tenant>;
}

export type TenantScoped<Optional extends string = never> = TenantScopedFields & {
  [OptionalProps]?: 'id' | 'createdAt' | 'updatedAt' | 'tenant' | Optional;
};

export const TenantScopedSchema = new EntitySchema<TenantScopedFields, BaseFields>({
  name: 'TenantScoped',
  abstract: true,
  extends: BaseEntitySchema,
  properties: {
    tenant: {
      kind: 'm:1',
      updateRule: 'no action',
      entity: 'Tenant',
      ref: true,
      deleteRule: 'no action',
      onCreate: (_entity, em) => em.getReference('Tenant', currentTenantId()),
    },
  },
});

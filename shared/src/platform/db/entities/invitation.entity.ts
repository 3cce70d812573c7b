import { EntitySchema, type Ref } from '@mikro-orm/core';
import { Roles, type Role } from '../../../api/auth.schema';
import { TenantScopedSchema, type TenantScoped, type TenantScopedFields } from './base.entity';
import type { User } from './user.entity';

/** An invitation to join a tenant with a role; the token is shown once and kept as its hash. */
export interface Invitation extends TenantScoped<'acceptedAt'> {
  email: string;
  role: Role;
  tokenHash: string;
  invitedBy: Ref<User> | null;
  expiresAt: Date;
  acceptedAt: Date | null;
}

export const Invitation = new EntitySchema<Invitation, TenantScopedFields>({
  name: 'Invitation',
  tableName: 'invitations',
  extends: TenantScopedSchema,
  properties: {
    email: { type: 'string', length: 254 },
    role: { enum: true, items: () => [...Roles], type: 'string', length: 16 },
    tokenHash: { type: 'string', length: 64, unique: true },
    invitedBy: {
      kind: 'm:1',
      updateRule: 'no action',
      entity: 'User',
      ref: true,
      nullable: true,
      deleteRule: 'set null',
    },
    expiresAt: { type: 'Date' },
    acceptedAt: { type: 'Date', nullable: true },
  },
  indexes: [{ properties: ['tenant', 'email'] }],
});

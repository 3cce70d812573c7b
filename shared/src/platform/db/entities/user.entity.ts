import { EntitySchema } from '@mikro-orm/core';
import type { Role } from '../../../api/auth.schema';
import { Roles } from '../../../api/auth.schema';
import { TenantScopedSchema, type TenantScoped, type TenantScopedFields } from './base.entity';

/** A person who signs in to the dashboard. Emails are unique platform-wide: one login, one tenant. */
export interface User extends TenantScoped<'lastLoginAt'> {
  email: string;
  name: string;
  passwordHash: string;
  role: Role;
  lastLoginAt: Date | null;
}

export const User = new EntitySchema<User, TenantScopedFields>({
  name: 'User',
  tableName: 'users',
  extends: TenantScopedSchema,
  properties: {
    email: { type: 'string', length: 254, unique: true },
    name: { type: 'string', length: 120 },
    passwordHash: { type: 'string', length: 255, hidden: true },
    role: { enum: true, items: () => [...Roles], type: 'string', length: 16 },
    lastLoginAt: { type: 'Date', nullable: true },
  },
  indexes: [{ properties: ['tenant', 'role'] }],
});

import { EntitySchema, type Ref } from '@mikro-orm/core';
import { TenantScopedSchema, type TenantScoped, type TenantScopedFields } from './base.entity';
import type { User } from './user.entity';

/**
 * One sign-in of a user on one device: the family of refresh tokens rotated from one login. Access tokens
 * name their session, so revoking it (logout, reuse of a spent refresh token) ends them all at once.
 */
export interface Session extends TenantScoped<'revokedAt' | 'revokedReason'> {
  user: Ref<User>;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
  userAgent: string | null;
  ip: string | null;
}

export const Session = new EntitySchema<Session, TenantScopedFields>({
  name: 'Session',
  tableName: 'sessions',
  extends: TenantScopedSchema,
  properties: {
    user: { kind: 'm:1', updateRule: 'no action', entity: 'User', ref: true, deleteRule: 'cascade' },
    expiresAt: { type: 'Date' },
    revokedAt: { type: 'Date', nullable: true },
    revokedReason: { type: 'string', length: 40, nullable: true },
    userAgent: { type: 'string', length: 300, nullable: true },
    ip: { type: 'string', length: 64, nullable: true },
  },
});

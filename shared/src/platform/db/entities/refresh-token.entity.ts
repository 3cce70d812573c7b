import { EntitySchema, type Ref } from '@mikro-orm/core';
import { TenantScopedSchema, type TenantScoped, type TenantScopedFields } from './base.entity';
import type { Session } from './session.entity';

/** One refresh token of a session, kept as its SHA-256. `usedAt` marks it spent: a second use is theft. */
export interface RefreshToken extends TenantScoped<'usedAt'> {
  session: Ref<Session>;
  tokenHash: string;
  expiresAt: Date;
  usedAt: Date | null;
}

export const RefreshToken = new EntitySchema<RefreshToken, TenantScopedFields>({
  name: 'RefreshToken',
  tableName: 'refresh_tokens',
  extends: TenantScopedSchema,
  properties: {
    session: { kind: 'm:1', updateRule: 'no action', entity: 'Session', ref: true, deleteRule: 'cascade' },
    tokenHash: { type: 'string', length: 64, unique: true },
    expiresAt: { type: 'Date' },
    usedAt: { type: 'Date', nullable: true },
  },
});

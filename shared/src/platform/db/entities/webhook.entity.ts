import { EntitySchema } from '@mikro-orm/core';
import { TenantScopedSchema, type TenantScoped, type TenantScopedFields } from './base.entity';
import { LongTextType } from '../long-text.type';

/** A tenant's endpoint for platform events (lead.created, conversation.closed, …). */
export interface Webhook extends TenantScoped<'consecutiveFailures' | 'disabledAt' | 'disabledReason'> {
  url: string;
  description: string;
  events: string[];
  /** The signing secret, sealed by SecretBox with the context `webhook:<id>:secret`. */
  secretSealed: string;
  enabled: boolean;
  consecutiveFailures: number;
  disabledAt: Date | null;
  disabledReason: string | null;
}

export const Webhook = new EntitySchema<Webhook, TenantScopedFields>({
  name: 'Webhook',
  tableName: 'webhooks',
  extends: TenantScopedSchema,
  properties: {
    url: { type: 'string', length: 2048 },
    description: { type: 'string', length: 255 },
    events: { type: 'json' },
    secretSealed: { type: LongTextType, hidden: true },
    enabled: { type: 'boolean' },
    consecutiveFailures: { type: 'integer', onCreate: () => 0 },
    disabledAt: { type: 'Date', nullable: true },
    disabledReason: { type: 'string', length: 255, nullable: true },
  },
  indexes: [{ properties: ['tenant', 'enabled'] }],
});

import { EntitySchema, type Ref } from '@mikro-orm/core';
import { TenantScopedSchema, type TenantScoped, type TenantScopedFields } from './base.entity';
import { LongTextType } from '../long-text.type';
import type { Webhook } from './webhook.entity';

/** One event sent (or being retried) to one webhook, with what the endpoint answered. */
export interface WebhookDelivery extends TenantScoped<
  'status' | 'attempts' | 'responseStatus' | 'responseBody' | 'error' | 'nextAttemptAt' | 'deliveredAt'
> {
  webhook: Ref<Webhook>;
  event: string;
  payload: Record<string, unknown>;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
}

export const WebhookDelivery = new EntitySchema<WebhookDelivery, TenantScopedFields>({
  name: 'WebhookDelivery',
  tableName: 'webhook_deliveries',
  extends: TenantScopedSchema,
  properties: {
    webhook: { kind: 'm:1', updateRule: 'no action', entity: 'Webhook', ref: true, deleteRule: 'cascade' },
    event: { type: 'string', length: 64 },
    payload: { type: 'json' },
    status: {
      enum: true,
      items: () => ['pending', 'succeeded', 'failed'],
      type: 'string',
      length: 16,
      onCreate: () => 'pending',
    },
    attempts: { type: 'integer', onCreate: () => 0 },
    responseStatus: { type: 'integer', nullable: true },
    responseBody: { type: LongTextType, nullable: true },
    error: { type: LongTextType, nullable: true },
    nextAttemptAt: { type: 'Date', nullable: true },
    deliveredAt: { type: 'Date', nullable: true },
  },
  indexes: [{ properties: ['webhook', 'createdAt'] }, { properties: ['status', 'nextAttemptAt'] }],
});

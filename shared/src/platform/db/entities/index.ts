import { AuditLog } from './audit-log.entity';
import { BaseEntitySchema, TenantScopedSchema } from './base.entity';
import { Chatbot } from './chatbot.entity';
import { Conversation } from './conversation.entity';
import { Document } from './document.entity';
import { Invitation } from './invitation.entity';
import { Lead } from './lead.entity';
import { LeadEvent } from './lead-event.entity';
import { Message } from './message.entity';
import { RefreshToken } from './refresh-token.entity';
import { Session } from './session.entity';
import { Tenant } from './tenant.entity';
import { UsageDaily } from './usage-daily.entity';
import { User } from './user.entity';
import { Webhook } from './webhook.entity';
import { WebhookDelivery } from './webhook-delivery.entity';

export * from './audit-log.entity';
export * from './base.entity';
export * from './chatbot.entity';
export * from './conversation.entity';
export * from './document.entity';
export * from './invitation.entity';
export * from './lead.entity';
export * from './lead-event.entity';
export * from './message.entity';
export * from './refresh-token.entity';
export * from './session.entity';
export * from './tenant.entity';
export * from './usage-daily.entity';
export * from './user.entity';
export * from './webhook.entity';
export * from './webhook-delivery.entity';

/** Entities whose rows belong to one tenant: the tenant filter and the isolation tests cover exactly these. */
export const tenantScopedEntities = [
  User,
  Session,
  RefreshToken,
  Invitation,
  Chatbot,
  Document,
  Conversation,
  Message,
  Lead,
  LeadEvent,
  UsageDaily,
  Webhook,
  WebhookDelivery,
  AuditLog,
];

export const allEntities = [BaseEntitySchema, TenantScopedSchema, Tenant, ...tenantScopedEntities];

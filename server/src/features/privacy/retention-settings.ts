import type { RetentionSettings } from '@chatbot/shared';
import type { EntityManager } from '@mikro-orm/core';
import { Tenant, currentTenantId } from '@chatbot/shared/platform';

/** How long the tenant keeps conversations (null: for ever); the daily `retention.sweep` job applies it. */
export async function retentionSettings(em: EntityManager): Promise<RetentionSettings> {
  const tenant = await em.findOneOrFail(Tenant, { id: currentTenantId() }, { fields: ['retentionDays'] });
  return { retentionDays: tenant.retentionDays };
}

/** Sets the tenant's retention; the next daily sweep applies it. */
export async function updateRetentionSettings(
  em: EntityManager,
  settings: RetentionSettings,
): Promise<RetentionSettings> {
  await em.nativeUpdate(Tenant, { id: currentTenantId() }, { retentionDays: settings.retentionDays });
  return settings;
}

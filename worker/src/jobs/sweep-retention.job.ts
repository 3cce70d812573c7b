import type { JobPayloads } from '@chatbot/shared';
import type { FilterQuery, MikroORM } from '@mikro-orm/core';
import {
  AuditLog,
  Conversation,
  Lead,
  Message,
  Tenant,
  currentTenantId,
  runAsSystem,
  runInTenant,
  type Logger,
} from '@chatbot/shared/platform';

export interface SweepRetentionDeps {
  orm: MikroORM;
  logger: Logger;
  /** Conversations deleted per transaction (each takes its messages and leads along by cascade). */
  batchSize?: number;
}

const dayMs = 24 * 60 * 60 * 1000;

/** What one tenant's sweep deleted. */
interface Deleted {
  conversations: number;
  messages: number;
  leads: number;
}

/**
 * The daily `retention.sweep` job: for every tenant with a retention setting, deletes the conversations
 * whose last activity (the last message, else the start) is older than that many days, with their messages,
 * leads and lead history (database cascades), in batches, and records what went in the tenant's audit log.
 * A tenant that fails does not stop the others; the job then fails so the queue runs it again, and a rerun
 * only finds what is left.
 */
export function sweepRetentionJob(deps: SweepRetentionDeps) {
  return async ({ day }: JobPayloads['retention.sweep']): Promise<void> => {
    const tenants = await runAsSystem('retention sweep: tenants with a retention setting', () =>
      deps.orm.em.fork().find(Tenant, { retentionDays: { $ne: null } }, { fields: ['id', 'retentionDays'] }),
    );
    let failures = 0;
    for (const tenant of tenants) {
      await runInTenant(tenant.id, () => sweepTenant(deps, tenant.retentionDays!, day)).catch(
        (error: unknown) => {
          failures++;
          deps.logger.error({ err: error, tenantId: tenant.id, day }, 'retention sweep of a tenant failed');
        },
      );
    }
    if (failures) throw new Error(`the retention sweep failed for ${failures} tenant(s)`);
  };
}

async function sweepTenant(deps: SweepRetentionDeps, retentionDays: number, day: string): Promise<void> {
  const tenant = currentTenantId();
  const before = new Date(Date.now() - retentionDays * dayMs);
  const expired: FilterQuery<Conversation> = {
    tenant,
    $or: [{ lastMessageAt: { $lt: before } }, { lastMessageAt: null, createdAt: { $lt: before } }],
  };
  const batchSize = deps.batchSize ?? 200;
  const deleted: Deleted = { conversations: 0, messages: 0, leads: 0 };
  for (;;) {
    const em = deps.orm.em.fork();
    const batch = await em.find(Conversation, expired, { fields: ['id'], limit: batchSize });
    if (!batch.length) break;
    const ids = batch.map((conversation) => conversation.id);
    await em.transactional(async (tx) => {
      deleted.messages += await tx.count(Message, { tenant, conversation: { $in: ids } });
      deleted.leads += await tx.count(Lead, { tenant, conversation: { $in: ids } });
      // The age is checked again: a visitor who wrote a moment ago keeps the conversation.
      deleted.conversations += await tx.nativeDelete(Conversation, { $and: [expired, { id: { $in: ids } }] });
    });
    if (batch.length < batchSize) break;
  }
  if (!deleted.conversations) return;
  const em = deps.orm.em.fork();
  em.create(AuditLog, {
    actor: null,
    action: 'retention.deleted',
    subjectType: 'tenant',
    subjectId: tenant,
    details: { day, retentionDays, lastActivityBefore: before.toISOString(), ...deleted },
  });
  await em.flush();
  deps.logger.info({ tenantId: tenant, day, ...deleted }, 'retention sweep deleted old conversations');
}

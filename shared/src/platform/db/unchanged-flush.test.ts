import assert from 'node:assert/strict';
import type { MikroORM } from '@mikro-orm/core';
import { createTestDatabase, forEachDialect, type TestDatabase } from '../testing/test-databases';
import { resolveDatabaseTarget } from './database-url';
import { Chatbot, Conversation, Tenant } from './entities';
import { botDefaults } from '../../api/chatbots.schema';
import { migrateToLatest, openOrm } from './orm';
import { runInTenant } from './tenant-context';
import { runAsSystem } from './tenant-context';

forEachDialect('flushing what was only read', (dialect) => {
  let database: TestDatabase;
  let orm: MikroORM;
  const queries: string[] = [];

  before(async () => {
    database = await createTestDatabase(dialect);
    orm = await openOrm(resolveDatabaseTarget(database.url, '.'), {
      logQuery: (message) => queries.push(message),
    });
    await migrateToLatest(orm);
  });
  after(async () => {
    await orm.close();
    await database.drop();
  });

  it('writes nothing and leaves updatedAt alone (dates, nullable dates and JSON compare equal)', async () => {
    const tenant = await runAsSystem('test', async () => {
      const em = orm.em.fork();
      const created = em.create(Tenant, { name: 'Readers' });
      await em.flush();
      return created;
    });
    const conversationId = await runInTenant(tenant.id, async () => {
      const em = orm.em.fork();
      const bot = em.create(Chatbot, { ...botDefaults, name: 'Bot', embeddingModel: 'offline' });
      const conversation = em.create(Conversation, {
        bot,
        visitorId: 'v1',
        visitorIp: null,
        userAgent: null,
        referrer: null,
        lastMessageAt: new Date(),
        closedAt: null,
      });
      await em.flush();
      return conversation.id;
    });
    // Later than the millisecond the rows were written in, so a rewritten updatedAt would show.
    await new Promise((resolve) => setTimeout(resolve, 20));

    await runInTenant(tenant.id, async () => {
      const em = orm.em.fork();
      const conversation = await em.findOneOrFail(Conversation, conversationId, { populate: ['bot'] });
      const tenantRow = await runAsSystem('test', () => em.findOneOrFail(Tenant, tenant.id));
      const before = [conversation.updatedAt.getTime(), tenantRow.updatedAt.getTime()];
      queries.length = 0;
      await em.flush();
      assert.deepEqual(
        queries.filter((query) => /\b(update|insert|delete)\b/i.test(query)),
        [],
        'a flush of unchanged entities wrote',
      );
      const reread = await orm.em.fork().findOneOrFail(Conversation, conversationId, { filters: false });
      assert.equal(reread.updatedAt.getTime(), before[0]);
    });
  });
});

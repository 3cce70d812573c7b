import assert from 'node:assert/strict';
import type { MikroORM } from '@mikro-orm/core';
import { botDefaults } from '../../index';
import { createTestDatabase, forEachDialect, type TestDatabase } from '../testing/test-databases';
import { resolveDatabaseTarget } from './database-url';
import { Chatbot, Tenant, tenantScopedEntities } from './entities';
import { migrateToLatest, openOrm } from './orm';
import { MissingTenantScopeError, runAsSystem, runInTenant } from './tenant-context';

forEachDialect('tenant filter', (dialect) => {
  let database: TestDatabase;
  let orm: MikroORM;
  let a: Tenant;
  let b: Tenant;

  before(async () => {
    database = await createTestDatabase(dialect);
    orm = await openOrm(resolveDatabaseTarget(database.url, '.'));
    await migrateToLatest(orm);
    [a, b] = await runAsSystem('setup', async () => {
      const em = orm.em.fork();
      const tenants = [em.create(Tenant, { name: 'A' }), em.create(Tenant, { name: 'B' })] as const;
      await em.flush();
      return tenants;
    });
    await runInTenant(a.id, async () => {
      const em = orm.em.fork();
      em.create(Chatbot, { ...botDefaults, name: 'A bot', embeddingModel: 'm' });
      await em.flush();
    });
  });
  after(async () => {
    await orm.close();
    await database.drop();
  });

  it('covers every tenant-scoped entity', () => {
    const metadata = orm.getMetadata();
    const withTenant = Object.values(metadata.getAll())
      .filter((meta) => !meta.abstract && meta.properties.tenant)
      .map((meta) => meta.className)
      .sort();
    assert.deepEqual(withTenant, tenantScopedEntities.map((schema) => schema.meta.className).sort());
  });

  it('scopes reads, counts, updates and deletes to the tenant', async () => {
    await runInTenant(b.id, async () => {
      const em = orm.em.fork();
      assert.equal((await em.find(Chatbot, {})).length, 0);
      assert.equal(await em.count(Chatbot, { name: 'A bot' }), 0);
      assert.equal(await em.nativeUpdate(Chatbot, {}, { name: 'changed by B' }), 0);
      assert.equal(await em.nativeDelete(Chatbot, {}), 0);
      assert.deepEqual(
        (await em.find(Tenant, {})).map((tenant) => tenant.name),
        ['B'],
      );
    });
    await runInTenant(a.id, async () => {
      assert.deepEqual(
        (await orm.em.fork().find(Chatbot, {})).map((bot) => bot.name),
        ['A bot'],
      );
    });
  });

  it('stamps new records with the scope’s tenant and refuses to write another tenant’s', async () => {
    await runInTenant(b.id, async () => {
      const em = orm.em.fork();
      const bot = em.create(Chatbot, { ...botDefaults, name: 'B bot', embeddingModel: 'm' });
      assert.equal(bot.tenant.id, b.id);
      await em.flush();
      em.create(Chatbot, { ...botDefaults, name: 'planted', embeddingModel: 'm', tenant: a.id });
      await assert.rejects(em.flush(), /another tenant/);
    });
    const names = await runInTenant(a.id, () => orm.em.fork().find(Chatbot, {}));
    assert.deepEqual(
      names.map((bot) => bot.name),
      ['A bot'],
    );
  });

  it('throws outside any scope instead of reading every tenant', async () => {
    await assert.rejects(orm.em.fork().find(Chatbot, {}), MissingTenantScopeError);
    await assert.rejects(orm.em.fork().count(Tenant), MissingTenantScopeError);
  });
});

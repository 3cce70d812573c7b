import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { botDefaults } from '../../index';
import { resolveDatabaseTarget } from '../db/database-url';
import { Chatbot, Tenant } from '../db/entities';
import { migrateToLatest, openOrm } from '../db/orm';
import { runAsSystem } from '../db/tenant-context';
import { createTestDatabase, type TestDatabase } from '../testing/test-databases';
import { rotateSealedSecrets } from './rotate-secrets';
import { SecretBox } from './secret-box';

describe('master key rotation', () => {
  let database: TestDatabase;
  let orm: MikroORM;
  before(async () => {
    database = await createTestDatabase('sqlite');
    orm = await openOrm(resolveDatabaseTarget(database.url, '.'));
    await migrateToLatest(orm);
  });
  after(async () => {
    await orm.close();
    await database.drop();
  });

  it('re-encrypts every sealed key under the new version, once', async () => {
    const oldKey = randomBytes(32).toString('base64');
    const v1 = new SecretBox(1, new Map([[1, oldKey]]));
    const ids = await runAsSystem('test', async () => {
      const em = orm.em.fork();
      const tenant = em.create(Tenant, { name: 'T' });
      const bots = [0, 1, 2].map((i) =>
        em.create(Chatbot, { ...botDefaults, tenant, name: `b${i}`, embeddingModel: 'm' }),
      );
      for (const bot of bots.slice(0, 2))
        bot.openaiApiKeySealed = v1.encrypt(`sk-${bot.name}`, `chatbot:${bot.id}:openaiApiKey`);
      await em.flush();
      return bots.map((bot) => bot.id);
    });

    const v2 = new SecretBox(
      2,
      new Map([
        [1, oldKey],
        [2, randomBytes(32).toString('base64')],
      ]),
    );
    assert.equal(await rotateSealedSecrets(orm, v2, 1), 2);
    assert.equal(await rotateSealedSecrets(orm, v2), 0, 'a second run finds nothing stale');

    const stored = await runAsSystem('test', () =>
      orm.em
        .fork()
        .find(Chatbot, { id: ids }, { populate: ['openaiApiKeySealed'], orderBy: { name: 'asc' } }),
    );
    assert.equal(stored[2]!.openaiApiKeySealed, null);
    for (const bot of stored.slice(0, 2)) {
      assert.ok(bot.openaiApiKeySealed!.startsWith('v2.'));
      assert.equal(v2.decrypt(bot.openaiApiKeySealed!, `chatbot:${bot.id}:openaiApiKey`), `sk-${bot.name}`);
    }
  });
});

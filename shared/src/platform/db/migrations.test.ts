import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import { createTestDatabase, forEachDialect, type TestDatabase } from '../testing/test-databases';
import { resolveDatabaseTarget } from './database-url';
import { Tenant } from './entities';
import { migrationsFor } from './migrations';
import { migrateToLatest, openOrm, ormOptions } from './orm';
import { runAsSystem } from './tenant-context';
import { MikroORM as Orm } from '@mikro-orm/core';

forEachDialect('migrations', (dialect) => {
  let database: TestDatabase;
  let orm: MikroORM;
  before(async () => {
    database = await createTestDatabase(dialect);
    orm = await openOrm(resolveDatabaseTarget(database.url, '.'));
  });
  after(async () => {
    await orm.close();
    await database.drop();
  });

  it('builds a fresh database with every committed migration', async () => {
    const applied = await migrateToLatest(orm);
    assert.deepEqual(
      applied,
      migrationsFor(dialect).map((migration) => migration.name),
    );
  });

  it('leaves nothing between the migrations and the entities (no forgotten migration)', async () => {
    if (dialect === 'postgresql') {
      const pending = await orm.schema.getUpdateSchemaSQL({ wrap: false });
      assert.equal(
        pending.trim(),
        '',
        `entities changed without a migration; run npm run db:migration:create:\n${pending}`,
      );
      return;
    }
    // MikroORM's SQLite diff always rebuilds tables (it cannot read foreign-key rules back), so SQLite is
    // checked by its tables and columns instead.
    const connection = orm.em.getConnection();
    for (const meta of Object.values(orm.getMetadata().getAll()).filter((meta) => !meta.abstract)) {
      const columns = (await connection.execute(`pragma table_info(\`${meta.tableName}\`)`)) as {
        name: string;
      }[];
      const expected = meta.props.flatMap((prop) => prop.fieldNames ?? []).sort();
      assert.deepEqual(columns.map((column) => column.name).sort(), expected, `columns of ${meta.tableName}`);
    }
  });

  it('keeps data when migrated again', async () => {
    await runAsSystem('test', async () => {
      const em = orm.em.fork();
      em.create(Tenant, { name: 'Survivor' });
      await em.flush();
    });
    assert.deepEqual(await migrateToLatest(orm), []);
    const names = await runAsSystem('test', () => orm.em.fork().find(Tenant, {}));
    assert.deepEqual(
      names.map((tenant) => tenant.name),
      ['Survivor'],
    );
  });
});

describe('SQL Server schema', () => {
  it('matches the committed DDL, regenerated from the entities without a server', async () => {
    const options = await ormOptions(
      { dialect: 'mssql', location: 'mssql://sa@localhost:1433/chatbot' },
      { connect: false },
    );
    const orm = await Orm.init(options);
    try {
      const generated = await orm.schema.getCreateSchemaSQL({ wrap: false });
      const committed = readFileSync(resolve('shared/src/platform/db/mssql/schema.sql'), 'utf8');
      assert.equal(
        generated,
        committed,
        'entities changed: run npm run db:migration:create and add an mssql migration',
      );
    } finally {
      await orm.close();
    }
  });

  it('has no second cascade path to any table (SQL Server refuses those)', () => {
    const ddl = readFileSync(resolve('shared/src/platform/db/mssql/schema.sql'), 'utf8');
    const edges = [
      ...ddl.matchAll(
        /alter table \[(\w+)\] add constraint \[\w+\] foreign key \(\[\w+\]\) references \[(\w+)\] \(\[\w+\]\) on update (\w+(?: \w+)?) on delete (\w+(?: \w+)?);/g,
      ),
    ]
      .filter(([, , , onUpdate, onDelete]) => onUpdate !== 'no action' || onDelete !== 'no action')
      .map(([, child, parent]) => ({ child: child!, parent: parent! }));
    assert.ok(edges.length > 0, 'the DDL lists cascading foreign keys');
    const paths = (from: string): string[][] =>
      edges
        .filter((edge) => edge.parent === from)
        .flatMap((edge) => [[edge.child], ...paths(edge.child).map((rest) => [edge.child, ...rest])]);
    for (const table of new Set(edges.map((edge) => edge.parent))) {
      const reached = paths(table).map((path) => path.at(-1));
      assert.equal(
        new Set(reached).size,
        reached.length,
        `two cascade paths from ${table}: ${JSON.stringify(paths(table))}`,
      );
    }
  });
});

import assert from 'node:assert/strict';
import type { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import pg from 'pg';
import { createTestDatabase, forEachDialect, type TestDatabase } from '../testing/test-databases';
import { isDatabaseUnreachable } from './database-unreachable';
import { resolveDatabaseTarget } from './database-url';
import { openOrm } from './orm';

/** The error `run` fails with (the test fails if it does not). */
async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  assert.fail('expected it to fail');
}

/**
 * Real errors of real drivers: a database out of reach is told from a request or code that is wrong,
 * which must stay a 500 and never invite the client to send it again.
 */
forEachDialect('which database errors mean "out of reach"', (dialect) => {
  let database: TestDatabase;
  let orm: MikroORM;

  before(async () => {
    database = await createTestDatabase(dialect);
    orm = await openOrm(resolveDatabaseTarget(database.url, '.'));
    await orm.em.getConnection().execute('create table things (id integer primary key, name text not null)');
  });
  after(async () => {
    await orm?.close();
    await database?.drop();
  });

  it('a wrong statement, a unique or not-null violation and a plain error are not', async () => {
    const connection = orm.em.getConnection();
    await connection.execute(`insert into things (id, name) values (1, 'a')`);
    for (const sql of [
      'selec 1',
      'select nothing from nowhere',
      `insert into things (id, name) values (1, 'b')`,
      'insert into things (id) values (2)',
    ]) {
      assert.equal(isDatabaseUnreachable(await failure(() => connection.execute(sql))), false, sql);
    }
    assert.equal(isDatabaseUnreachable(new Error('something else')), false);
    assert.equal(isDatabaseUnreachable('ECONNRESET'), false);
  });

  if (dialect === 'postgresql') {
    it('a server that refuses connections, and a connection the server ends, are', async () => {
      const closed = new URL(database.url);
      closed.port = '1';
      const nowhere = await openOrm(resolveDatabaseTarget(closed.toString(), '.'), { connect: false });
      try {
        const refused = await failure(() => nowhere.em.getConnection().execute('select 1'));
        assert.equal(isDatabaseUnreachable(refused), true, String(refused));
      } finally {
        await nowhere.close();
      }

      // The server ends the connection between two queries (pg has heard of it before the second) and
      // while one runs: drivers report the two differently.
      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      const terminate = (pid: number) => admin.query('select pg_terminate_backend($1)', [pid]);
      const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      try {
        for (const when of ['between queries', 'mid-query'] as const) {
          const ended = await failure(() =>
            (orm.em.fork() as SqlEntityManager).transactional(async (em) => {
              const [row] = await em.execute<{ pid: number }[]>('select pg_backend_pid() as pid');
              if (when === 'between queries') {
                await terminate(row!.pid);
                await sleep(300);
                await em.execute('select 1');
              } else {
                await Promise.all([
                  em.execute('select pg_sleep(5)'),
                  sleep(300).then(() => terminate(row!.pid)),
                ]);
              }
            }),
          );
          assert.equal(isDatabaseUnreachable(ended), true, `${when}: ${String(ended)}`);
        }
      } finally {
        await admin.end();
      }
    });
  }
});

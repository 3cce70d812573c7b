import type { LoggerNamespace, MigrationObject, Options } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseTarget, Dialect } from './database-url';
import { allEntities } from './entities';
import { migrationsFor } from './migrations';
import { TenantWriteGuard, tenantFilters } from './tenant-filter';

export interface OrmOptions {
  /** Log SQL through this function (debug level); nothing is logged without it. */
  logQuery?: (message: string) => void;
  /** Build the metadata without connecting (SQL Server DDL generation on a machine without a server). */
  connect?: boolean;
  /** Database-wide pool size; SQLite ignores it. */
  poolMax?: number;
  /**
   * Where the query builder's own warnings go (a pooled connection found lost, a deprecation), without
   * the statement they may quote; knex prints them to standard output otherwise, past the log's
   * redaction. Dropped without it: the query that met a lost connection fails and is reported anyway.
   */
  logDriverWarning?: (message: string) => void;
}

/** knex's warning without the statement (and its values) it may quote before ` - `: that is debug-level. */
function withoutStatement(message: string): string {
  const cut = message.lastIndexOf(' - ');
  return cut < 0 ? message : `${message.slice(0, message.indexOf(':') + 1)} ${message.slice(cut + 3)}`;
}

async function driverFor(dialect: Dialect): Promise<NonNullable<Options['driver']>> {
  // Loaded on demand so a deployment only loads the client library it uses.
  switch (dialect) {
    case 'sqlite':
      return (await import('@mikro-orm/better-sqlite')).BetterSqliteDriver;
    case 'postgresql':
      return (await import('@mikro-orm/postgresql')).PostgreSqlDriver;
    case 'mssql':
      return (await import('@mikro-orm/mssql')).MsSqlDriver;
  }
}

export async function ormOptions(target: DatabaseTarget, options: OrmOptions = {}): Promise<Options> {
  const migrationsList: MigrationObject[] = migrationsFor(target.dialect);
  const location = target.dialect === 'sqlite' ? { dbName: target.location } : { clientUrl: target.location };
  return {
    driver: await driverFor(target.dialect),
    ...location,
    entities: allEntities,
    extensions: [Migrator],
    filters: tenantFilters,
    // By default MikroORM joins every to-one reference of a queried entity to apply that entity's filters
    // too (a conversation's bot, tenant and agent for the tenant filter), which made a lookup by id about
    // four times slower. Every row of a tenant references rows of the same tenant (TenantWriteGuard), so
    // the joins would only ever re-check what the query's own tenant condition already holds.
    autoJoinRefsForFilters: false,
    subscribers: [new TenantWriteGuard()],
    connect: options.connect ?? true,
    discovery: { disableDynamicFileAccess: true },
    forceUtcTimezone: true,
    // Ids and defaults exist from em.create() on, so a new record's id can be used before the flush.
    processOnCreateHooksEarly: true,
    ignoreUndefinedInQuery: true,
    pool: target.dialect === 'sqlite' ? undefined : { min: 0, max: options.poolMax ?? 10 },
    debug: options.logQuery ? (['query'] satisfies LoggerNamespace[]) : false,
    colors: false,
    logger: options.logQuery,
    driverOptions: {
      log: Object.fromEntries(
        (['warn', 'error', 'deprecate', 'debug'] as const).map((level) => [
          level,
          (message: unknown) => options.logDriverWarning?.(withoutStatement(String(message))),
        ]),
      ),
    },
    migrations: {
      migrationsList,
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
  };
}

/** Opens the database; SQLite's file and folder are created on first use. */
export async function openOrm(target: DatabaseTarget, options: OrmOptions = {}): Promise<MikroORM> {
  if (target.dialect === 'sqlite' && target.location !== ':memory:') {
    mkdirSync(dirname(target.location), { recursive: true });
  }
  const orm = await MikroORM.init(await ormOptions(target, options));
  if (target.dialect === 'sqlite' && options.connect !== false) {
    // WAL lets readers run beside the single writer; foreign keys are off by default in SQLite.
    const connection = orm.em.getConnection();
    await connection.execute('pragma journal_mode = WAL');
    await connection.execute('pragma foreign_keys = ON');
    await connection.execute('pragma busy_timeout = 5000');
  }
  return orm;
}

/** Applies pending migrations; returns the names applied. */
export async function migrateToLatest(orm: MikroORM): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((migration) => migration.name);
}

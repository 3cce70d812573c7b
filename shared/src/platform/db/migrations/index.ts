import type { MigrationObject } from '@mikro-orm/core';
import type { Dialect } from '../database-url';
import { mssqlMigrations } from './mssql';
import { postgresqlMigrations } from './postgresql';
import { sqliteMigrations } from './sqlite';

/** Each dialect has its own migrations, generated from the entities by `npm run db:migration:create`. */
export function migrationsFor(dialect: Dialect): MigrationObject[] {
  return { sqlite: sqliteMigrations, postgresql: postgresqlMigrations, mssql: mssqlMigrations }[dialect];
}

import { MikroORM } from '@mikro-orm/core';
import { resolve } from 'node:path';
import { ormOptions } from '../shared/src/platform/db/orm';

/** Where the committed SQL Server DDL lives; a test regenerates it and compares. */
export const mssqlDdlPath = resolve('shared/src/platform/db/mssql/schema.sql');

/** SQL Server's full schema, generated from the entities without a server. */
export async function generateMssqlDdl(): Promise<string> {
  const orm = await MikroORM.init(
    await ormOptions({ dialect: 'mssql', location: 'mssql://sa@localhost:1433/chatbot' }, { connect: false }),
  );
  try {
    return await orm.schema.getCreateSchemaSQL({ wrap: false });
  } finally {
    await orm.close();
  }
}

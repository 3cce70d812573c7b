import { isAbsolute, join, resolve } from 'node:path';
import { urlWithoutPassword } from '../logger/redact-text';

export type Dialect = 'sqlite' | 'postgresql' | 'mssql';

export interface DatabaseTarget {
  dialect: Dialect;
  /** A file path for SQLite, a connection URL otherwise. */
  location: string;
}

/**
 * Picks the dialect from DATABASE_URL: `postgres://…`, `mssql://…` (or `sqlserver://…`), `sqlite:<path>`;
 * no URL means the embedded SQLite file under DATA_DIR.
 */
export function resolveDatabaseTarget(databaseUrl: string | undefined, dataDir: string): DatabaseTarget {
  if (!databaseUrl) return { dialect: 'sqlite', location: resolve(join(dataDir, 'chatbot.sqlite')) };
  if (databaseUrl.startsWith('sqlite:')) {
    const path = databaseUrl.slice('sqlite:'.length).replace(/^\/\//, '');
    return { dialect: 'sqlite', location: path === ':memory:' || isAbsolute(path) ? path : resolve(path) };
  }
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return { dialect: 'postgresql', location: databaseUrl };
  if (/^(mssql|sqlserver):\/\//.test(databaseUrl)) {
    return { dialect: 'mssql', location: databaseUrl.replace(/^sqlserver:/, 'mssql:') };
  }
  throw new Error(`unsupported DATABASE_URL scheme: ${databaseUrl.split(':')[0]}`);
}

/** The URL without its password, for logs and health output. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.dialect === 'sqlite') return `sqlite:${target.location}`;
  return urlWithoutPassword(target.location);
}

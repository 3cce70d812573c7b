import { raw } from '@mikro-orm/core';

/**
 * A filter condition "column contains `text`", case-insensitive on every dialect (lower() on both sides:
 * PostgreSQL's LIKE is case-sensitive, SQLite's and SQL Server's are not), with LIKE's wildcards escaped
 * so a search for `50%` finds "50%". Spread it into a `where`.
 */
export function containsText(column: string, text: string): Record<string, []> {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
  return { [raw((alias) => `lower(${alias}.${column}) like ? escape '\\'`, [pattern])]: [] };
}

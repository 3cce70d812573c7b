import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Dialect } from '../db/database-url';

export interface TestDatabase {
  dialect: Dialect;
  url: string;
  drop(): Promise<void>;
}

/** The PostgreSQL server the runner found or started (scripts/test-services.ts). */
export function testPostgresUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

/** A fresh, empty database of its own: a temporary SQLite file, or a new PostgreSQL database. */
export async function createTestDatabase(dialect: 'sqlite' | 'postgresql'): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'test-sqlite-'));
    return {
      dialect,
      url: `sqlite:${join(dir, 'test.sqlite')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl() });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(testPostgresUrl());
  url.pathname = `/${name}`;
  return {
    dialect,
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: testPostgresUrl() });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Declares the same suite once per dialect the platform runs on here. */
export function forEachDialect(title: string, suite: (dialect: 'sqlite' | 'postgresql') => void) {
  for (const dialect of ['sqlite', 'postgresql'] as const)
    describe(`${title} [${dialect}]`, () => suite(dialect));
}

import type { AddressInfo } from 'node:net';
import { createTestDatabase } from '@chatbot/shared/testing';
import express from 'express';
import pg from 'pg';

/**
 * A throwaway app with one deliberately injectable route, on a PostgreSQL database of its own: it pastes
 * its `name` parameter into SQL. The scan runs sqlmap against it once, so a scan that can no longer find
 * an injection (a broken request file, a parser that misses sqlmap's report) fails instead of passing.
 */
export async function startInjectableApp() {
  const database = await createTestDatabase('postgresql');
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  await pool.query(`CREATE TABLE items (name text); INSERT INTO items VALUES ('apple'), ('pear')`);
  const app = express();
  app.get('/items', async (req, res) => {
    try {
      // The flaw under test: the parameter in the SQL text.
      const { rows } = await pool.query(`SELECT name FROM items WHERE name = '${String(req.query.name)}'`);
      res.json({ items: rows });
    } catch {
      res.status(400).json({ error: 'bad query' });
    }
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    async stop() {
      await new Promise((resolve) => server.close(resolve));
      await pool.end();
      await database.drop();
    },
  };
}

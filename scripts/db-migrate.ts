/**
 * `npm run db:migrate`: brings the database named by DATABASE_URL (or the embedded SQLite file) to the
 * latest schema. One command for a fresh database of any dialect, and for upgrades, which keep data.
 */
import {
  describeTarget,
  migrateToLatest,
  openOrm,
  parseEnv,
  platformEnvSchema,
  resolveDatabaseTarget,
} from '@chatbot/shared/platform';

const env = parseEnv(platformEnvSchema);
const target = resolveDatabaseTarget(env.DATABASE_URL, env.DATA_DIR);
const orm = await openOrm(target);
try {
  const applied = await migrateToLatest(orm);
  console.log(
    `${describeTarget(target)}: ${applied.length ? `applied ${applied.join(', ')}` : 'already up to date'}`,
  );
} finally {
  await orm.close();
}

/**
 * `npm start`'s and `npm test`'s build of the dashboard: runs the Angular production build when
 * admin/dist is missing or older than any of its sources (the dashboard's, the shared contract's, its
 * configuration), so a fresh clone or a pull is always served its own dashboard and an unchanged tree
 * starts at once.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const built = join(root, 'admin/dist/browser/index.html');
const sources = [
  'admin/src',
  'admin/public',
  'shared/src',
  'admin/angular.json',
  'admin/tsconfig.json',
  'admin/tsconfig.app.json',
  'admin/package.json',
];

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), stat.mtimeMs);
}

const stale =
  !existsSync(built) ||
  sources.some(
    (source) => existsSync(join(root, source)) && newest(join(root, source)) > statSync(built).mtimeMs,
  );
if (stale || process.argv.includes('--force')) {
  console.log('Building the dashboard (admin/dist)…');
  const result = spawnSync('npm', ['run', 'build', '-w', 'admin', '--silent'], {
    cwd: root,
    stdio: 'inherit',
  });
  process.exit(result.status ?? 1);
}

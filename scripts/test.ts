/**
 * `npm test`'s runner: makes sure PostgreSQL and Redis answer and starts one Chroma for the run (see
 * test-services.ts), then runs mocha over every *.test.ts with their URLs in TEST_DATABASE_URL,
 * TEST_REDIS_URL and TEST_CHROMA_URL. Arguments go to mocha; test files among them replace .mocharc's
 * spec list (mocha would otherwise run them on top of the whole suite).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ensureTestServices } from './test-services';

const services = await ensureTestServices().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
console.log(
  `tests use PostgreSQL at ${new URL(services.databaseUrl).host}, Redis at ${new URL(services.redisUrl).host}, Chroma at ${new URL(services.chromaUrl).host}`,
);
const args = process.argv.slice(2);
const mocha = spawn(
  'npx',
  ['mocha', ...(args.some((arg) => arg.endsWith('.ts')) ? withoutSpec(args) : args)],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      TEST_DATABASE_URL: services.databaseUrl,
      TEST_REDIS_URL: services.redisUrl,
      TEST_CHROMA_URL: services.chromaUrl,
    },
  },
);
const forward = (signal: NodeJS.Signals) => mocha.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
mocha.on('exit', (code, signal) => {
  void services.stop().finally(() => process.exit(code ?? (signal ? 1 : 0)));
});

/** The given files with every .mocharc option but its spec list, which mocha would add them to. */
function withoutSpec(args: string[]): string[] {
  const { spec: _spec, ...config } = JSON.parse(readFileSync('.mocharc.json', 'utf8')) as Record<
    string,
    unknown
  >;
  const options = Object.entries(config).flatMap(([name, value]) =>
    value === true ? [`--${name}`] : [value].flat().flatMap((each) => [`--${name}`, String(each)]),
  );
  return ['--no-config', ...options, ...args];
}

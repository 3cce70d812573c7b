import {
  ConfigError,
  createLogger,
  createPlatform,
  onShutdownSignal,
  resolveSecret,
} from '@chatbot/shared/platform';
import { loadServerEnv } from './config/env';
import { seedDemo, type DemoLogin } from './features/demo/demo-seed';
import { startServer } from './server';
import { existsSync } from 'node:fs';
import { adminDist } from './app';
import { widgetDist } from './features/widget/widget.routes';

async function main() {
  const started = performance.now();
  const env = loadServerEnv();
  const logger = createLogger({ level: env.LOG_LEVEL, name: 'server' });
  const masterKey = resolveSecret(env, 'masterKey');
  const jwtSecret = resolveSecret(env, 'jwtSecret');
  const platform = await createPlatform({ env, masterKey, logger });
  const demo = (env.DEMO_SEED ?? platform.mode === 'embedded') ? await seedDemo(platform.orm) : null;
  const running = await startServer({ env, platform, logger, jwtSecret });
  onShutdownSignal(logger, () => running.stop(), { timeoutMs: env.SHUTDOWN_TIMEOUT_MS });
  const publicUrl = env.PUBLIC_URL ?? `http://localhost:${new URL(running.url).port}`;
  logger.info(
    { url: publicUrl, mode: platform.mode, bootMs: Math.round(performance.now() - started) },
    'server listening',
  );
  process.stdout.write(banner(publicUrl, platform.mode, demo));

  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
}

function banner(url: string, mode: string, demo: DemoLogin | null): string {
  const lines = [
    '',
    `  Chatbot platform is running (${mode} mode)`,
    `  API:        ${url}/api`,
    `  Health:     ${url}/api/health`,
  ];
  if (existsSync(adminDist)) lines.push(`  Dashboard:  ${url}/admin/`);
  lines.push(
    existsSync(widgetDist)
      ? `  Widget:     ${url}/widget/chat-bot.js (demo page: ${url}/demo)`
      : '  Widget:     not built (npm run build -w widget)',
  );
  if (demo) {
    lines.push(
      '',
      '  Demo login (shown once; it is not stored anywhere in clear):',
      `    email:    ${demo.email}`,
      `    password: ${demo.password}`,
      `    bot id:   ${demo.botId}`,
    );
  }
  return lines.join('\n') + '\n\n';
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error('The server could not start:', error);
  process.exit(1);
});

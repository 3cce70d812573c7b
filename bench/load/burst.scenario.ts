/**
 * b. A burst: `burst` requests at once (autocannon `amount`, `connections` at a time) at the public
 * endpoints, every visitor's address in X-Forwarded-For.
 *
 * 1. The plan's limits, on a deployment with the defaults (1000 visitor requests a minute for the
 *    platform; a bot's own 100 a minute and 20 per address and minute, set per bot in `rateLimits`; the
 *    config route's own 300 a minute per address): each burst aims at one limit, and prints what was
 *    served against what the limits allow, the 429s by the limit that refused them (their RateLimit-Limit)
 *    and whether every 429 said when to retry (Retry-After). The bursts follow each other within the
 *    limits' one-minute window, so the platform-wide limit is already partly spent when its burst comes.
 * 2. Throughput, on a deployment whose platform-wide limit is raised, with a bot whose own limits are at
 *    their ceiling: the same bursts at the config and start routes, every request from its own address,
 *    against the raw node:http server of baseline-node.ts answering the same JSON.
 */
import type { Request } from 'autocannon';
import { DefaultRateLimits } from '@chatbot/shared';
import { startFakeOpenAI } from '@chatbot/shared/testing';
import { nextAddress, summarise } from '../chat-harness';
import { startBaseline } from './baseline';
import { publishBot, startDeployment } from './deployment';
import { jsonRequest, runHttpLoad, type HttpLoadResult } from './http-load';
import type { LoadSettings } from './load-options';
import { formatCounts, httpErrors, ratioLine, row, succeeded, usageLine, usageRatio } from './load-report';
import { watchProcesses, type ProcessUsage, type WatchedProcess } from './process-usage';

/** The config route's own limit (server/src/app.ts, `public-config-ip`). */
const CONFIG_PER_ADDRESS = 300;
const LIMITED_ADDRESSES = 10;
const RAISED = { perMinute: 10_000, perIpPerMinute: 1000 };

const configPath = (botId: string) => `/api/public/bot/${botId}/config`;
const startPath = (botId: string) => `/api/public/conversation/${botId}/start`;

/** Runs scenario b and prints its figures. */
export async function burstScenario(settings: LoadSettings): Promise<void> {
  const fake = await startFakeOpenAI();
  try {
    console.log(
      `\nb. burst: ${settings.burst} requests at once, ${settings.connections} connections, each visitor's ` +
        `address in X-Forwarded-For (${settings.mode} mode)`,
    );
    await limitsPhase(settings, fake.url);
    await throughputPhase(settings, fake.url);
  } finally {
    await fake.stop();
  }
}

async function limitsPhase(settings: LoadSettings, openaiUrl: string) {
  const deployment = await startDeployment({
    mode: settings.mode,
    openaiUrl,
    profileDir: settings.profileDir,
  });
  try {
    const n = settings.burst;
    const perAddress = await publishBot(deployment, {
      name: 'Per-address limit',
      rateLimits: { perMinute: RAISED.perMinute, perIpPerMinute: DefaultRateLimits.ipPerMinute },
    });
    const defaults = await publishBot(deployment, { name: 'Default limits' });
    const raised = await publishBot(deployment, { name: 'Raised limits', rateLimits: RAISED });
    const fewAddresses = Array.from({ length: LIMITED_ADDRESSES }, nextAddress);
    let next = 0;
    const oneAddress = nextAddress();
    const expectedPerAddress = Math.min(n, LIMITED_ADDRESSES * DefaultRateLimits.ipPerMinute);
    const expectedPerBot = Math.min(n, DefaultRateLimits.botPerMinute);
    const globalLeft = DefaultRateLimits.globalPerMinute - expectedPerAddress - expectedPerBot;
    const bursts = [
      {
        title: `config, one address (${CONFIG_PER_ADDRESS}/min per address)`,
        request: jsonRequest('GET', configPath(defaults.id)),
        address: () => oneAddress,
        expected: Math.min(n, CONFIG_PER_ADDRESS),
      },
      {
        title: `start, ${LIMITED_ADDRESSES} addresses (${DefaultRateLimits.ipPerMinute}/min per address and bot)`,
        request: jsonRequest('POST', startPath(perAddress.id), {}),
        address: () => fewAddresses[next++ % LIMITED_ADDRESSES]!,
        expected: expectedPerAddress,
      },
      {
        title: `start, an address each (${DefaultRateLimits.botPerMinute}/min per bot)`,
        request: jsonRequest('POST', startPath(defaults.id), {}),
        address: nextAddress,
        expected: expectedPerBot,
      },
      {
        title: `start, an address each, raised bot (${DefaultRateLimits.globalPerMinute}/min for the platform, ${Math.max(0, globalLeft)} left)`,
        request: jsonRequest('POST', startPath(raised.id), {}),
        address: nextAddress,
        expected: Math.min(n, Math.max(0, globalLeft)),
      },
    ];
    console.log(`1. the plan's limits, one after the other within a minute:`);
    for (const burst of bursts) {
      const { result } = await burstAt(deployment.url, settings, burst.request, burst.address, []);
      const served = result.samples.filter((sample) => sample.status < 400).length;
      const refused = [...result.limited.values()].reduce((sum, count) => sum + count, 0);
      console.log(
        `  ${burst.title}: served ${served} (the limits allow ${burst.expected}), 429 ${refused}, in ` +
          `${result.seconds.toFixed(1)} s; Retry-After on ${refused - result.limitedWithoutRetryAfter} of ` +
          `${refused} 429s; answers other than 2xx: ${formatCounts(httpErrors(result))}`,
      );
      console.log(
        `  ${row(
          '    latency, all answers',
          summarise(
            result.samples.map((sample) => sample.ms),
            result.seconds,
          ),
        )}`,
      );
    }
  } finally {
    await deployment.stop();
  }
}

async function throughputPhase(settings: LoadSettings, openaiUrl: string) {
  const deployment = await startDeployment({
    mode: settings.mode,
    openaiUrl,
    env: { RATE_LIMIT_GLOBAL_PER_MINUTE: '1000000' },
    profileDir: settings.profileDir,
  });
  try {
    const bot = await publishBot(deployment, { rateLimits: RAISED });
    const headers = { 'x-forwarded-for': nextAddress() };
    const config = await deployment.api.request('GET', configPath(bot.id), { headers });
    const start = await deployment.api.request('POST', startPath(bot.id), { headers, body: {} });
    const baseline = await startBaseline({
      routes: [
        { method: 'GET', path: '/api/public/bot/:botId/config', status: config.status, body: config.body },
        {
          method: 'POST',
          path: '/api/public/conversation/:botId/start',
          status: start.status,
          body: start.body,
        },
      ],
      answer: { pieces: [], delayMs: 0 },
    });
    console.log(
      `2. throughput, platform-wide limit raised, bot at its ceilings (${RAISED.perMinute}/min, ` +
        `${RAISED.perIpPerMinute}/min per address), every request its own address; req/s are served answers/s:`,
    );
    try {
      for (const [name, request] of [
        ['GET config', jsonRequest('GET', configPath(bot.id))],
        ['POST start', jsonRequest('POST', startPath(bot.id), {})],
      ] as const) {
        // Warm both (JIT, connection pools) with a tenth of the burst first.
        const warm = { ...settings, burst: Math.max(settings.connections, Math.ceil(settings.burst / 10)) };
        await burstAt(baseline.url, warm, request, nextAddress, []);
        await burstAt(deployment.url, warm, request, nextAddress, []);
        const raw = await burstAt(baseline.url, settings, request, nextAddress, [
          { name: 'baseline', pid: baseline.pid },
        ]);
        const platform = await burstAt(deployment.url, settings, request, nextAddress, deployment.processes);
        const rawLatency = summarise(succeeded(raw.result), raw.result.seconds);
        const platformLatency = summarise(succeeded(platform.result), platform.result.seconds);
        console.log(row(`  baseline: ${name}`, rawLatency));
        console.log(row(`  platform: ${name}`, platformLatency));
        console.log(`  ${ratioLine('platform/baseline', platformLatency, rawLatency)}`);
        console.log(
          `  errors: platform ${formatCounts(httpErrors(platform.result))}; baseline ${formatCounts(httpErrors(raw.result))}`,
        );
        console.log(`  platform: ${usageLine(platform.usage)}`);
        console.log(`  baseline: ${usageLine(raw.usage)}; ${usageRatio(platform.usage[0]!, raw.usage[0]!)}`);
      }
    } finally {
      await baseline.stop();
    }
  } finally {
    await deployment.stop();
  }
}

/** One burst of `settings.burst` requests, each from `address()`; the processes' usage meanwhile. */
async function burstAt(
  url: string,
  settings: LoadSettings,
  request: Request,
  address: () => string,
  watched: WatchedProcess[],
): Promise<{ result: HttpLoadResult; usage: ProcessUsage[] }> {
  const stopWatching = watchProcesses(watched);
  const result = await runHttpLoad({
    url,
    connections: Math.min(settings.connections, settings.burst),
    amount: settings.burst,
    requests: [
      {
        ...request,
        setupRequest: (built) => ({ ...built, headers: { ...built.headers, 'x-forwarded-for': address() } }),
      },
    ],
  });
  return { result, usage: stopWatching(result.seconds) };
}

/**
 * Load tests of the platform under its plan's scenarios, each beside a baseline in the same run, read as
 * a ratio (machines are shared and noisy: compare ratios, not absolute times):
 *
 *   a. conversations: concurrent visitors chatting over `/widget` (ack, first delta, done), against a raw
 *      Socket.IO server streaming the same reply at the same pace;
 *   b. burst: 1000 requests at once at the public endpoints, served against 429 under the plan's limits,
 *      then the throughput with the limits raised, against a raw node:http server answering the same JSON;
 *   c. sustained: a steady rate of a realistic mix for a minute, whether latency stays flat, against the
 *      same mix on the raw server;
 *   d. search: vector searches a second through the platform's retrieval route over an indexed corpus,
 *      against the raw chromadb client at the same rate on the same collection;
 *   e. faults: a modest steady mix of visitor conversations and API reads while Redis restarts, the model
 *      fails (500s, then 429s) and one of two server nodes is killed, each against a window without faults.
 *
 * Each scenario starts its own deployment (scaled mode by default: server and worker processes, a fresh
 * PostgreSQL database, Redis under a unique prefix, Chroma; --embedded for one embedded-mode server) and
 * prints latency p50/p95/p99, throughput, errors by kind, and the server's CPU (% of one core, from /proc)
 * and peak RSS beside the baseline's. Scenarios run one after the other.
 *
 *   npm run bench:load [-- conversations burst sustained search faults] [-- --embedded] [-- --profile .tmp/prof]
 *
 * Sizes and durations: see load-options.ts (flags, or LOAD_* variables). --profile DIR writes a CPU profile
 * of each scenario's server process (cpu-profile.mjs: what node --cpu-prof writes) into DIR when it stops.
 */
import { burstScenario } from './burst.scenario';
import { conversationsScenario } from './conversations.scenario';
import { faultsScenario } from './faults.scenario';
import { loadSettings, USAGE, type LoadSettings, type ScenarioName } from './load-options';
import { searchScenario } from './search.scenario';
import { sustainedScenario } from './sustained.scenario';

const RUNS: Record<ScenarioName, (settings: LoadSettings) => Promise<void>> = {
  conversations: conversationsScenario,
  burst: burstScenario,
  sustained: sustainedScenario,
  search: searchScenario,
  faults: faultsScenario,
};

let settings: LoadSettings;
try {
  settings = loadSettings();
} catch (error) {
  console.error(`${(error as Error).message}\n\nusage: ${USAGE}`);
  process.exit(2);
}
console.log(
  `bench:load ${new Date().toISOString()}: ${settings.scenarios.join(', ')}; ${settings.mode} mode; ` +
    `the servers under load and the baselines in processes of their own, the clients and the fake model here`,
);
for (const name of settings.scenarios) await RUNS[name](settings);

/** The flags of bench:load, each with an environment variable of its own, and their defaults. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { DeploymentMode } from './deployment';

export const SCENARIOS = ['conversations', 'burst', 'sustained', 'search', 'faults'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface LoadSettings {
  scenarios: ScenarioName[];
  mode: DeploymentMode;
  /** Where each scenario's server writes a CPU profile of its run, if anywhere. */
  profileDir?: string;
  conversations: number;
  messages: number;
  streamDelayMs: number;
  burst: number;
  connections: number;
  rate: number;
  seconds: number;
  searchRate: number;
  searchSeconds: number;
  documents: number;
  faultRate: number;
  faultSeconds: number;
  quietSeconds: number;
}

/** flag → [environment variable, default, minimum]. */
const NUMBERS = {
  conversations: ['LOAD_CONVERSATIONS', 100, 1],
  messages: ['LOAD_MESSAGES', 10, 1],
  'stream-delay': ['LOAD_STREAM_DELAY_MS', 10, 0],
  burst: ['LOAD_BURST', 1000, 1],
  connections: ['LOAD_CONNECTIONS', 100, 1],
  rate: ['LOAD_RATE', 50, 5],
  seconds: ['LOAD_SECONDS', 60, 3],
  'search-rate': ['LOAD_SEARCH_RATE', 100, 1],
  'search-seconds': ['LOAD_SEARCH_SECONDS', 30, 1],
  documents: ['LOAD_DOCUMENTS', 20, 1],
  'fault-rate': ['LOAD_FAULT_RATE', 10, 2],
  'fault-seconds': ['LOAD_FAULT_SECONDS', 10, 1],
  'quiet-seconds': ['LOAD_QUIET_SECONDS', 20, 1],
} as const;
type NumberFlag = keyof typeof NUMBERS;

/** The platform's flood guard lets a socket send 50 events in 10 s, and a conversation also joins. */
const MAX_MESSAGES = 45;

export const USAGE = `node --import tsx bench/load/load.bench.ts [${SCENARIOS.join('|')} …] [--embedded] [--profile DIR]
  ${Object.entries(NUMBERS)
    .map(([flag, [env, fallback]]) => `--${flag} (${env}, default ${fallback})`)
    .join('\n  ')}`;

/**
 * Reads the scenarios to run (all by default) and the flags; a flag wins over its environment variable.
 * @throws RangeError naming the bad flag or scenario.
 */
export function loadSettings(argv: string[] = process.argv.slice(2)): LoadSettings {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      embedded: { type: 'boolean', default: false },
      profile: { type: 'string' },
      ...Object.fromEntries(Object.keys(NUMBERS).map((flag) => [flag, { type: 'string' as const }])),
    },
  });
  const scenarios = positionals.length ? positionals : [...SCENARIOS];
  const unknown = scenarios.filter((name) => !(SCENARIOS as readonly string[]).includes(name));
  if (unknown.length)
    throw new RangeError(`unknown scenario ${unknown.join(', ')}; choose from ${SCENARIOS.join(', ')}`);
  const number = (flag: NumberFlag) => {
    const [env, fallback, minimum] = NUMBERS[flag];
    const text =
      ((values as Record<string, unknown>)[flag] as string | undefined) ??
      process.env[env] ??
      String(fallback);
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < minimum) {
      throw new RangeError(`--${flag} (${env}) must be an integer of at least ${minimum}, got ${text}`);
    }
    return value;
  };
  const settings: LoadSettings = {
    scenarios: scenarios as ScenarioName[],
    mode: values.embedded ? 'embedded' : 'scaled',
    profileDir: values.profile ? resolve(values.profile) : undefined,
    conversations: number('conversations'),
    messages: number('messages'),
    streamDelayMs: number('stream-delay'),
    burst: number('burst'),
    connections: number('connections'),
    rate: number('rate'),
    seconds: number('seconds'),
    searchRate: number('search-rate'),
    searchSeconds: number('search-seconds'),
    documents: number('documents'),
    faultRate: number('fault-rate'),
    faultSeconds: number('fault-seconds'),
    quietSeconds: number('quiet-seconds'),
  };
  if (settings.messages > MAX_MESSAGES) {
    throw new RangeError(`--messages above ${MAX_MESSAGES} would trip the platform's per-socket flood guard`);
  }
  if (settings.connections > settings.burst) throw new RangeError('--connections must not exceed --burst');
  return settings;
}

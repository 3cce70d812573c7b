/**
 * The platform under load: a server in a process of its own (server/src/main.ts, as deployed), in scaled
 * mode by default (a fresh PostgreSQL database, Redis under a unique REDIS_PREFIX, a Chroma started here
 * as the scaled tests start it, and a worker process when documents must be indexed) or in embedded mode
 * (SQLite, in-memory adapters, the server's own Chroma and jobs). Its model and embeddings are the fake
 * OpenAI server of this process. Visitors come from many addresses through X-Forwarded-For, which the
 * server honours from loopback (TRUST_PROXY), as behind a load balancer.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import type {
  AssistantStatusResponse,
  AuthResponse,
  BotView,
  CreateBotInput,
  DocumentView,
} from '@chatbot/shared';
import { startEmbeddedChroma, type EmbeddedChroma } from '@chatbot/shared/platform';
import { FAKE_OPENAI_KEY, createTestDatabase, type TestDatabase } from '@chatbot/shared/testing';
import { ApiClient } from '../../server/src/testing/api-client';
import { MAX_FILES_PER_UPLOAD } from '../../server/src/features/documents/documents.routes';
import { upload, waitForStatus } from '../../server/src/testing/documents';
import { buildBot, buildTenant } from '../../server/src/testing/factories';
import {
  startNodeProcess,
  startServerProcess,
  stopProcess,
  type NodeProcess,
} from '../../server/src/testing/processes';
import type { TestServer } from '../../server/src/testing/test-server';
import { keepTail } from './output-tail';
import { childrenOf, type WatchedProcess } from './process-usage';

export type DeploymentMode = 'scaled' | 'embedded';

export interface DeploymentOptions {
  mode: DeploymentMode;
  /** Base URL of the fake OpenAI server: the platform's model and embeddings. */
  openaiUrl: string;
  /** Start a worker beside the server, to index documents (scaled mode; embedded mode runs jobs itself). */
  worker?: boolean;
  /** More environment for the server and the worker (rate limits, …). */
  env?: Record<string, string>;
  /** Profile the server process (cpu-profile.mjs) and write the profile here when it stops. */
  profileDir?: string;
  /** Server nodes on the same database and Redis (scaled mode; default 1), each on a port of its own. */
  servers?: number;
  /** The Redis of a scaled deployment, when not the shared one (a private one a scenario restarts). */
  redisUrl?: string;
}

/** One server node, which a scenario may kill and start again on the same port. */
export interface ServerNode {
  url: string;
  alive(): boolean;
  /** SIGKILL, as a crash would: no drain, no goodbye to Redis. */
  kill(): Promise<void>;
  /** Starts it again with the same environment and port; resolves once it listens. */
  start(): Promise<void>;
}

export interface Deployment {
  mode: DeploymentMode;
  url: string;
  api: ApiClient;
  /** A tenant's owner, signed in (access tokens last the run: ACCESS_TOKEN_TTL_SECONDS is a day). */
  owner: AuthResponse;
  /** The Chroma the platform uses, for baselines that query it with the raw client. */
  chromaUrl: string;
  /** Every server node, `url`'s first. */
  servers: ServerNode[];
  /** The PostgreSQL database of a scaled deployment, for checks against what was stored. */
  databaseUrl?: string;
  /** The processes whose CPU and memory the scenarios report: the server first. */
  processes: WatchedProcess[];
  stop(): Promise<void>;
}

const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PROFILER = new URL('./cpu-profile.mjs', import.meta.url);
/** Indexing a corpus through the worker takes a while on a shared 2-core machine. */
const INDEXING_TIMEOUT_MS = 300_000;

/** Starts the platform, registers a tenant and waits until the server's start-up work is over. */
export async function startDeployment(options: DeploymentOptions): Promise<Deployment> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-load-'));
  const cleanups: Array<() => Promise<void>> = [
    async () => rmSync(dataDir, { recursive: true, force: true }),
  ];
  let stopping = false;
  const stop = async () => {
    stopping = true;
    // Last started, first stopped: the server before the services it uses.
    for (const cleanup of cleanups.splice(0).reverse())
      await cleanup().catch((error) => console.error(error));
  };
  try {
    const scaled =
      options.mode === 'scaled'
        ? await scaledServices(dataDir, cleanups, options.redisUrl ?? REDIS_URL)
        : null;
    const env: Record<string, string> = {
      DATA_DIR: dataDir,
      MASTER_KEY: randomBytes(32).toString('base64'),
      JWT_SECRET: randomBytes(32).toString('hex'),
      ACCESS_TOKEN_TTL_SECONDS: '86400',
      OPENAI_API_KEY: FAKE_OPENAI_KEY,
      OPENAI_BASE_URL: options.openaiUrl,
      TRUST_PROXY: 'loopback',
      NODE_ENV: 'production',
      ...scaled?.env,
      ...options.env,
    };
    const processes: WatchedProcess[] = [];
    const serverEnv = {
      ...env,
      ...(options.profileDir
        ? { NODE_OPTIONS: `--import=${fileURLToPath(PROFILER)}`, CPU_PROFILE_DIR: options.profileDir }
        : {}),
    };
    const server = await startServerProcess(serverEnv);
    // Read before the output is let go: an embedded server logs where its Chroma listens.
    const chromaUrl =
      scaled?.env.CHROMA_URL ??
      /"url":"([^"]+)"[^\n]*"msg":"embedded chroma ready"/.exec(server.output())?.[1];
    if (!chromaUrl) throw new Error(`no Chroma address in the server's output:\n${server.output()}`);
    const servers = [adoptServer('server', server, serverEnv, processes, cleanups, () => stopping)];
    // One at a time: the first has migrated the database when the next starts.
    for (let i = 2; i <= (scaled ? (options.servers ?? 1) : 1); i++) {
      const next = await startServerProcess(serverEnv);
      servers.push(adoptServer(`server ${i}`, next, serverEnv, processes, cleanups, () => stopping));
    }
    if (scaled) processes.push({ name: 'Chroma', pid: scaled.chromaPid });
    else
      processes.push(
        ...childrenOf(server.child.pid!, 'chroma').map((pid) => ({ name: 'Chroma (embedded)', pid })),
      );
    if (options.worker && options.mode === 'scaled') {
      const worker = await startNodeProcess(
        'worker/src/main.ts',
        { ...env, LOG_LEVEL: 'info' },
        /worker ready/,
      );
      track('worker', worker, processes, cleanups, () => stopping);
    }
    const api = new ApiClient(server.url);
    const owner = await buildTenant(api);
    // Each node indexes the documentation for itself.
    for (const node of servers) await assistantSettled(new ApiClient(node.url), owner.accessToken);
    return {
      mode: options.mode,
      url: server.url,
      api,
      owner,
      chromaUrl,
      servers,
      databaseUrl: scaled?.env.DATABASE_URL,
      processes,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** PostgreSQL, Redis and Chroma of a scaled deployment, each undone by `cleanups`: their variables, Chroma's pid. */
async function scaledServices(dataDir: string, cleanups: Array<() => Promise<void>>, redisUrl: string) {
  const database: TestDatabase = await createTestDatabase('postgresql');
  cleanups.push(() => database.drop());
  const prefix = `bench-${randomBytes(6).toString('hex')}`;
  cleanups.push(() => dropRedisKeys(redisUrl, prefix));
  const chroma: EmbeddedChroma = await startEmbeddedChroma({ dataDir });
  cleanups.push(() => chroma.stop());
  const env = {
    DATABASE_URL: database.url,
    DATABASE_AUTO_MIGRATE: 'true',
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    CHROMA_URL: chroma.url,
  };
  return { env, chromaPid: chroma.pid };
}

function track(
  name: string,
  node: NodeProcess,
  processes: WatchedProcess[],
  cleanups: Array<() => Promise<void>>,
  stopping: () => boolean,
) {
  keepTail(name, node.child, stopping);
  processes.push({ name, pid: node.child.pid! });
  cleanups.push(() => stopProcess(node.child));
}

/**
 * A started server node, kept on its port when it is killed and started again (clients hold its URL);
 * its cleanup stops whichever process runs it at the end.
 */
function adoptServer(
  name: string,
  started: NodeProcess & { url: string },
  env: Record<string, string>,
  processes: WatchedProcess[],
  cleanups: Array<() => Promise<void>>,
  stopping: () => boolean,
): ServerNode {
  let child = started.child;
  let killed = false;
  keepTail(name, child, () => stopping() || killed);
  processes.push({ name, pid: child.pid! });
  cleanups.push(() => stopProcess(child));
  const port = new URL(started.url).port;
  return {
    url: started.url,
    alive: () => child.exitCode === null && child.signalCode === null,
    async kill() {
      killed = true;
      await stopProcess(child, 'SIGKILL');
    },
    async start() {
      const again = await startServerProcess({ ...env, PORT: port });
      child = again.child;
      killed = false;
      keepTail(name, child, () => stopping() || killed);
    },
  };
}

/** Unlinks what the run left in the shared Redis: queues, limit counters, caches. */
async function dropRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1000 }) as AsyncIterable<
      string[]
    >) {
      if (keys.length) await redis.unlink(...keys);
    }
  } finally {
    redis.disconnect();
  }
}

/**
 * Waits for the admin assistant to finish indexing the platform's documentation, which every server
 * does once at start-up in the background: measured phases should not share the machine with it.
 */
async function assistantSettled(api: ApiClient, token: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { body } = await api.get<AssistantStatusResponse>('/api/assistant/status', token);
    if (body.knowledge.status !== 'indexing') return;
    if (Date.now() > deadline)
      throw new Error('the assistant was still indexing its documentation after 2 minutes');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A published bot of the deployment's tenant. */
export function publishBot(
  deployment: Deployment,
  overrides: Partial<CreateBotInput> = {},
): Promise<BotView> {
  return buildBot(deployment.api, deployment.owner.accessToken, {
    name: 'Load bot',
    status: 'published',
    ...overrides,
  });
}

/**
 * Uploads text files to a bot as the dashboard does (up to MAX_FILES_PER_UPLOAD a request) and waits until
 * all are indexed.
 * @returns the indexed documents.
 * @throws Error if an upload is refused or a document fails to index.
 */
export async function teachBot(
  deployment: Deployment,
  botId: string,
  files: Array<{ name: string; text: string }>,
): Promise<DocumentView[]> {
  // The testing helpers read only these two of a TestServer.
  const server = { url: deployment.url, api: deployment.api } as Pick<
    TestServer,
    'url' | 'api'
  > as TestServer;
  const token = deployment.owner.accessToken;
  const uploaded: DocumentView[] = [];
  for (let start = 0; start < files.length; start += MAX_FILES_PER_UPLOAD) {
    const batch = files.slice(start, start + MAX_FILES_PER_UPLOAD);
    const response = await upload(
      server,
      token,
      botId,
      batch.map((file) => ({ name: file.name, bytes: Buffer.from(file.text), type: 'text/plain' })),
    );
    if (response.status !== 202) {
      throw new Error(`upload answered ${response.status}: ${JSON.stringify(response.body)}`);
    }
    uploaded.push(...(response.body.documents as DocumentView[]));
  }
  const documents: DocumentView[] = [];
  for (const document of uploaded) {
    const indexed = await waitForStatus(
      server,
      token,
      document.id,
      ['completed', 'failed'],
      INDEXING_TIMEOUT_MS,
    );
    if (indexed.status !== 'completed') throw new Error(`${indexed.name} failed to index: ${indexed.error}`);
    documents.push(indexed);
  }
  return documents;
}

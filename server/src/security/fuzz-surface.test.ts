import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ErrorCodes, type AckResponse, type AuthResponse, type BotView } from '@chatbot/shared';
import fc from 'fast-check';
import type { Socket } from 'socket.io-client';
import {
  fillPath,
  idKindOf,
  pathParams,
  restRoutes,
  routeKey,
  seedSurfaceTenant,
  send,
  socketSurface,
  startSurfaceServer,
  type IdKind,
  type RestRoute,
  type SocketNamespaceName,
  type SurfaceReply,
  type SurfaceRequest,
  type SurfaceServer,
} from '../testing/attack-surface';
import { connectAdmin, connectWidget, request, startConversation } from '../testing/chat-clients';

/*
 * Every route and socket event of the running server gets malformed and hostile input: wrong types,
 * strings near and past the limits, deep nesting, prototype-pollution keys, Unicode edge cases, odd
 * numbers, arrays for objects, bytes, missing acks. Nothing may answer 5xx, hang, stop a socket or stop
 * the process, and every refusal says what it is (`{ error: { code } }`, or `{ ok: false, error }`).
 * Seeded and bounded, so a run takes the same path each time.
 */

const seed = 20_251_001;

/** Field names the API's schemas know, so that hostile values reach deeper than the first unknown key. */
const knownFields = [
  'name',
  'email',
  'password',
  'companyName',
  'token',
  'refreshToken',
  'botId',
  'conversationId',
  'url',
  'crawl',
  'text',
  'message',
  'clientMessageId',
  'query',
  'limit',
  'offset',
  'question',
  'role',
  'status',
  'assigneeId',
  'events',
  'enabled',
  'description',
  'retentionDays',
  'instructions',
  'appearance',
  'rateLimits',
  'allowedOrigins',
  'openaiApiKey',
  'temperature',
  'referrer',
  'language',
  'consent',
  'phone',
  'sinceSeq',
  'isTyping',
  'search',
  'from',
  'to',
  'minScore',
  'mode',
  'waiting',
  'v',
];
const pollutingKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'];

/** Strings that have broken parsers, databases, templates and normalisers before. */
const nastyStrings = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  '\u202Eevil',
  '\uFEFF\u200B\u2060',
  'e\u0301\u0301\u0301',
  '👩‍👩‍👧‍👦',
  '𝕳𝖊𝖑𝖑𝖔',
  'İıſ',
  '%',
  '%00',
  '%zz',
  '../../etc/passwd',
  '\\\\server\\share',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '%_\\',
  '${7*7}{{7*7}}',
  'NaN',
  '-1',
  '1e309',
  '0x1F',
  'true',
  'null',
  '[object Object]',
  '2024-02-30T25:61:61Z',
  '00000000-0000-0000-0000-000000000000',
  ...pollutingKeys,
);

/** Lengths around the limits the schemas set (names 120, messages 4000, instructions 8000…) and past them. */
const longStrings = fc
  .constantFrom(35, 36, 120, 121, 255, 256, 1000, 1001, 2048, 2049, 4000, 4001, 8000, 8001, 70_000)
  .chain((length) => fc.constantFrom('x', 'é', '😀', '\u0000').map((unit) => unit.repeat(length)));

const oddNumbers = fc.oneof(
  fc.constantFrom(
    NaN,
    Infinity,
    -Infinity,
    -0,
    -1,
    0,
    1,
    1.5,
    2 ** 31,
    2 ** 53 + 2,
    -(2 ** 63),
    Number.MAX_VALUE,
  ),
  fc.double(),
  fc.integer(),
);

const leaf = fc.oneof(
  nastyStrings,
  longStrings,
  oddNumbers,
  fc.boolean(),
  fc.constant(null),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.uuid(),
  fc.emailAddress(),
);

/** Any JSON a client can send: leaves, arrays and objects with known, polluting and random keys. */
const { hostile } = fc.letrec<{ hostile: unknown; array: unknown[]; object: Record<string, unknown> }>(
  (tie) => ({
    hostile: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('object')),
    array: fc.array(tie('hostile'), { maxLength: 4 }),
    object: fc.dictionary(
      fc.oneof(fc.constantFrom(...knownFields, ...pollutingKeys), fc.string({ maxLength: 8 })),
      tie('hostile'),
      { maxKeys: 5 },
    ),
  }),
);

/** A body: an object of known fields most of the time (to get past the first check), anything otherwise. */
const hostileBody = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.dictionary(fc.constantFrom(...knownFields, ...pollutingKeys), hostile, { maxKeys: 6 }),
  },
  { weight: 1, arbitrary: hostile },
);

/** A query: known and polluting keys, with strings or repeated values (arrays). */
const queryValue = fc.oneof(
  nastyStrings,
  longStrings.filter((text) => text.length < 4000),
  fc.string(),
);
const queryValues = fc.oneof(queryValue, fc.array(queryValue, { minLength: 2, maxLength: 3 }));
const hostileQuery = fc.dictionary(
  fc.oneof(fc.constantFrom(...knownFields, ...pollutingKeys), fc.string({ maxLength: 8 })),
  queryValues,
  { maxKeys: 4 },
);

/** A path parameter: anything a URL segment can carry. */
const hostileParam = fc.oneof(nastyStrings, fc.string({ unit: 'binary', maxLength: 60 }), fc.uuid());

/** Nested arrays as deep as a body may be long: what a recursive walk of the input overflows on. */
const deeplyNested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

/** What the seeds below may use: the fuzzing tenant's own records and credentials. */
interface Own {
  ids: Record<IdKind, string>;
  email: string;
  refreshToken: string;
  invitationToken: string;
}

type Seed = { body?: Record<string, unknown>; query?: Record<string, string> };

/**
 * A valid body or query for the routes that take one, so that a request with one hostile field gets past
 * the others to the handler. A route without one is fuzzed with hostile input only.
 */
const seeds: Record<string, (own: Own) => Seed> = {
  'POST /api/auth/register': () => ({
    body: {
      email: `fuzz-${randomUUID()}@example.com`,
      password: 'correct horse battery staple',
      name: 'Fuzz',
      companyName: 'Fuzz Co',
    },
  }),
  'POST /api/auth/login': (own) => ({ body: { email: own.email, password: 'correct horse battery staple' } }),
  'POST /api/auth/refresh': (own) => ({ body: { refreshToken: own.refreshToken } }),
  'POST /api/auth/accept-invitation': (own) => ({
    body: { token: own.invitationToken, name: 'Invitee', password: 'correct horse battery staple' },
  }),
  'GET /api/chatbots': () => ({ query: { search: 'bot', status: 'published', limit: '10', offset: '0' } }),
  'POST /api/chatbots': () => ({ body: { name: 'Fuzzed bot', description: 'd', temperature: 0.5 } }),
  'PATCH /api/chatbots/:id': () => ({ body: { welcomeMessage: 'Hello', appearance: { botName: 'Fuzzy' } } }),
  'POST /api/chatbots/:id/retrieval-test': () => ({ body: { query: 'hostile input', limit: 3 } }),
  'POST /api/public/conversation/:botId/start': () => ({
    body: { referrer: 'https://example.com/page', language: 'en-GB' },
  }),
  'POST /api/public/chat/:botId': (own) => ({
    body: { conversationId: own.ids.conversation, message: 'What is fuzzing?', clientMessageId: 'fuzz-0001' },
  }),
  'POST /api/public/conversation/:conversationId/capture-lead': () => ({
    body: {
      email: 'fuzz-lead@example.com',
      name: 'Lead',
      phone: '+44 20 7946 0000',
      company: 'Co',
      consent: true,
    },
  }),
  'GET /api/conversations': (own) => ({
    query: { botId: own.ids.bot, search: 'fuzz', mode: 'bot', open: 'true', from: '2024-01-01T00:00:00Z' },
  }),
  'POST /api/conversations/:id/messages': () => ({
    body: { text: 'An agent writes', clientMessageId: 'fuzz-0002' },
  }),
  'POST /api/documents/url': (own) => ({
    body: {
      botId: own.ids.bot,
      url: 'https://fuzz.invalid/page',
      crawl: { mode: 'links', maxPages: 2, depth: 1 },
    },
  }),
  'GET /api/documents': (own) => ({ query: { botId: own.ids.bot, search: 'fuzz', status: 'completed' } }),
  'POST /api/users/invitations': () => ({
    body: { email: `fuzz-${randomUUID()}@example.com`, role: 'agent' },
  }),
  'PATCH /api/users/:id': () => ({ body: { role: 'owner' } }),
  'GET /api/leads': (own) => ({
    query: { botId: own.ids.bot, search: 'fuzz', minScore: '10', status: 'new' },
  }),
  'GET /api/leads/export.csv': () => ({ query: { search: 'fuzz', from: '2024-01-01T00:00:00Z' } }),
  'PATCH /api/leads/:id': () => ({ body: { status: 'contacted', assigneeId: null } }),
  'POST /api/leads/:id/notes': () => ({ body: { text: 'A note' } }),
  ...Object.fromEntries(
    ['summary', 'timeseries', 'export.csv', 'leads', 'unanswered'].map((name) => [
      `GET /api/analytics/${name}`,
      (own: Own) => ({ query: { from: '2024-01-01', to: '2024-06-30', botId: own.ids.bot } }),
    ]),
  ),
  'GET /api/privacy/export': () => ({ query: { email: 'nobody@example.com' } }),
  'POST /api/privacy/erase': () => ({ body: { email: 'nobody@example.com' } }),
  'PATCH /api/privacy/retention': () => ({ body: { retentionDays: 3650 } }),
  'POST /api/webhooks': () => ({
    body: { url: 'https://hooks.example.com/fuzz', events: ['lead.created'], description: 'd' },
  }),
  'PATCH /api/webhooks/:id': () => ({ body: { description: 'Renamed', enabled: true } }),
  'GET /api/webhooks/:id/deliveries': () => ({ query: { limit: '5', offset: '0' } }),
  'POST /api/assistant/ask': () => ({ body: { question: 'How many leads this month?' } }),
};

/**
 * The valid object with one field made hostile: replaced by anything, a string field with a nasty or long
 * tail, or a known or polluting field added.
 */
function oneHostileField(valid: Record<string, unknown>, values: fc.Arbitrary<unknown>) {
  const fields = Object.keys(valid);
  const texts = fields.filter((field) => typeof valid[field] === 'string');
  return fc.oneof(
    fc.tuple(fc.constantFrom(...fields), values).map(([field, value]) => ({ ...valid, [field]: value })),
    ...(texts.length
      ? [
          {
            weight: 2,
            arbitrary: fc
              .tuple(fc.constantFrom(...texts), fc.oneof(nastyStrings, longStrings))
              .map(([field, tail]) => ({ ...valid, [field]: `${String(valid[field])}${tail}` })),
          },
        ]
      : []),
    fc
      .tuple(fc.constantFrom(...knownFields, ...pollutingKeys), values)
      .map(([field, value]) => ({ ...valid, [field]: value })),
  );
}

/** A valid payload of each socket event, for a conversation of the socket's; the compiler keeps it complete. */
const eventSeeds: {
  [N in SocketNamespaceName]: {
    [E in keyof (typeof socketSurface)[N]]: (conversationId: string) => Record<string, unknown>;
  };
} = {
  '/admin': {
    'conversation:watch': (conversationId) => ({ conversationId, sinceSeq: 0 }),
    'conversation:unwatch': (conversationId) => ({ conversationId }),
    'conversation:takeover': (conversationId) => ({ conversationId }),
    'conversation:release': (conversationId) => ({ conversationId }),
    'conversation:close': (conversationId) => ({ conversationId }),
    'message:send': (conversationId) => ({ conversationId, text: 'An agent', clientMessageId: 'fuzz-0003' }),
    typing: (conversationId) => ({ conversationId, isTyping: true }),
    'assistant:ask': () => ({ question: 'How many leads this month?', clientMessageId: 'fuzz-0004' }),
  },
  '/widget': {
    'conversation:join': (conversationId) => ({ conversationId, sinceSeq: 0 }),
    'message:send': (conversationId) => ({ conversationId, text: 'Hello', clientMessageId: 'fuzz-0005' }),
    typing: (conversationId) => ({ conversationId, isTyping: false }),
    'handoff:request': (conversationId) => ({ conversationId }),
    'lead:capture': (conversationId) => ({ conversationId, email: 'fuzz@example.com', consent: true }),
    'lead:decline': (conversationId) => ({ conversationId }),
  },
};

describe('fuzzing the attack surface: hostile input to every route and socket event', () => {
  let server: SurfaceServer;
  let routes: RestRoute[];
  let owner: AuthResponse;
  let bot: BotView;
  /** Ids of the fuzzing tenant's own records, so hostile input reaches past "not found". */
  const own = {} as Record<IdKind, string>;
  let visitor: { conversationId: string; visitorToken: string };
  /** A session of its own for the logout route, which ends the session it is called with. */
  let logoutToken: string;
  let seedContext: Own;
  let requests = 0;
  const sockets: Socket[] = [];

  before(async function () {
    this.timeout(60_000);
    server = await startSurfaceServer({ dialect: 'postgresql' });
    routes = restRoutes(server.app);
    const tenant = await seedSurfaceTenant(server, 'fuzz');
    ({ owner, bot, visitor } = tenant);
    Object.assign(own, tenant.ids);
    const signIn = () =>
      server.api.post<AuthResponse>('/api/auth/login', {
        email: owner.user.email,
        password: 'correct horse battery staple',
      });
    logoutToken = (await signIn()).body.accessToken;
    seedContext = {
      ids: own,
      email: owner.user.email,
      // Sessions of their own: a refresh rotates its token, and reusing an old one ends the session.
      refreshToken: (await signIn()).body.refreshToken,
      invitationToken: tenant.invitationToken,
    };
  });
  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));
  after(async () => {
    await server?.stop();
  });

  /** The credential a route is called with: the visitor's on the public API, the owner's elsewhere. */
  function tokenFor(route: RestRoute) {
    if (route.path.startsWith('/api/public/')) return visitor.visitorToken;
    if (route.path === '/api/auth/logout') return logoutToken;
    return owner.accessToken;
  }

  /**
   * Path parameters: the tenant's own record of the kind (so a body gets as far as it can), but a random id
   * for deletions (so the records stay for the other runs).
   */
  function ownPath(route: RestRoute): string {
    const keep = route.method !== 'DELETE';
    const values = Object.fromEntries(
      pathParams(route.path).map((param) => {
        const kind = idKindOf(route, param);
        return [param, keep && kind ? own[kind] : randomUUID()];
      }),
    );
    return fillPath(route.path, values);
  }

  /** Fails unless the answer is below 500 and, on the API, a refusal is a JSON error with a known code. */
  function assertClear(reply: SurfaceReply, context: string) {
    requests++;
    assert.ok(reply.status < 500, `${context} → ${reply.status} ${reply.text.slice(0, 300)}`);
    // 431: Node's parser refuses a URL past its header limit (16 KB) before the app sees it.
    if (reply.status < 400 || reply.status === 431 || !context.includes(' /api/')) return;
    let code: unknown;
    try {
      code = (JSON.parse(reply.text) as { error?: { code?: unknown } }).error?.code;
    } catch {
      assert.fail(`${context} → ${reply.status} without a JSON error: ${reply.text.slice(0, 200)}`);
    }
    assert.ok(ErrorCodes.includes(code as never), `${context} → ${reply.status} with code ${String(code)}`);
  }

  async function attack(request: SurfaceRequest, label: string) {
    const context = `${label}: ${request.method} ${request.path} ${JSON.stringify(request.query ?? {}).slice(0, 200)}`;
    assertClear(await send(server.url, request), context);
  }

  /** Runs a property with a seed of its own, from its name: one seed for all would send each route the same input. */
  const property = <T>(
    name: string,
    arbitrary: fc.Arbitrary<T>,
    run: (value: T) => Promise<void>,
    numRuns: number,
  ) => {
    const named = [...name].reduce((hash, char) => Math.imul(hash, 31) + char.charCodeAt(0), seed) | 0;
    return fc.assert(fc.asyncProperty(arbitrary, run), { seed: named, numRuns, endOnFailure: true });
  };

  it('answers hostile bodies, queries and path parameters on every route without a 5xx', async function () {
    this.timeout(90_000);
    for (const route of routes) {
      const path = ownPath(route);
      const token = tokenFor(route);
      const withBody = route.method !== 'GET';
      const label = routeKey(route);
      await property(
        `${label} body`,
        hostileBody,
        (body) => attack({ method: route.method, path, token, body: withBody ? body : undefined }, label),
        withBody ? 10 : 2,
      );
      await property(
        `${label} query`,
        hostileQuery,
        (query) => attack({ method: route.method, path, token, query }, label),
        6,
      );
      // No login: what anyone on the internet can send.
      await property(
        `${label} no login`,
        hostileBody,
        (body) =>
          attack({ method: route.method, path, body: withBody ? body : undefined }, `${label} (no login)`),
        2,
      );
      const params = pathParams(route.path);
      if (params.length) {
        await property(
          `${label} params`,
          hostileParam,
          (value) =>
            attack(
              {
                method: route.method,
                path: fillPath(route.path, Object.fromEntries(params.map((param) => [param, value]))),
                token,
              },
              label,
            ),
          4,
        );
      }
    }
    assert.ok(requests > 800, `only ${requests} requests`);
  });

  it('answers valid requests with one hostile field, on every route with a seed, without a 5xx', async function () {
    this.timeout(60_000);
    const keys = routes.map(routeKey);
    assert.deepEqual(
      Object.keys(seeds).filter((key) => !keys.includes(key)),
      [],
      'seeds of routes that are gone',
    );
    for (const route of routes) {
      const seed = seeds[routeKey(route)];
      if (!seed) continue;
      const base = { method: route.method, path: ownPath(route), token: tokenFor(route) };
      const label = `${routeKey(route)} (seeded)`;
      const { body, query } = seed(seedContext);
      // The seed itself is valid, or its mutations would test nothing past validation.
      const valid = await send(server.url, { ...base, body, query });
      assert.ok(![400, 500].includes(valid.status), `${label}: the seed is refused: ${valid.text}`);
      if (body) {
        await property(
          `${label} body`,
          oneHostileField(body, hostile),
          (each) => attack({ ...base, body: each }, label),
          15,
        );
      }
      if (query) {
        await property(
          `${label} query`,
          oneHostileField(query, queryValues),
          (each) => attack({ ...base, query: each as SurfaceRequest['query'] }, label),
          10,
        );
      }
    }
  });

  it('refuses malformed, oversized, deeply nested, mistyped and binary bodies on every route with a clear 4xx', async function () {
    this.timeout(60_000);
    const cases: Array<[string, Pick<SurfaceRequest, 'rawBody' | 'headers'>]> = [
      ['invalid JSON', { rawBody: '{"name": NaN,', headers: { 'content-type': 'application/json' } }],
      ['a JSON string', { rawBody: '"just a string"', headers: { 'content-type': 'application/json' } }],
      ['a JSON array', { rawBody: '[1,2,3]', headers: { 'content-type': 'application/json' } }],
      [
        'prototype pollution',
        {
          rawBody: '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
          headers: { 'content-type': 'application/json' },
        },
      ],
      [
        'deeply nested JSON',
        { rawBody: deeplyNested(100_000), headers: { 'content-type': 'application/json' } },
      ],
      [
        'a body over the limit',
        { rawBody: `{"text":"${'x'.repeat(1024 * 1024)}"}`, headers: { 'content-type': 'application/json' } },
      ],
      [
        'an unknown charset',
        { rawBody: '{}', headers: { 'content-type': 'application/json; charset=utf-7' } },
      ],
      [
        'bytes',
        {
          rawBody: new Uint8Array([0, 255, 254, 1, 2, 3]),
          headers: { 'content-type': 'application/octet-stream' },
        },
      ],
      [
        'a broken form',
        {
          rawBody: '--x\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc',
          headers: { 'content-type': 'multipart/form-data; boundary=x' },
        },
      ],
      ['a form without boundary', { rawBody: 'abc', headers: { 'content-type': 'multipart/form-data' } }],
      ['JSON as text', { rawBody: '{"name":"x"}', headers: { 'content-type': 'text/plain' } }],
    ];
    for (const route of routes.filter((each) => each.method !== 'GET')) {
      const path = ownPath(route);
      for (const [name, body] of cases) {
        await attack(
          { method: route.method, path, token: tokenFor(route), ...body },
          `${routeKey(route)} (${name})`,
        );
      }
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype was polluted');
  });

  it('answers an overlong URL and malformed escapes without a 5xx', async () => {
    for (const path of [
      '/api/chatbots/%E0%A4%A',
      '/api/chatbots/%ED%A0%80',
      '/api/chatbots/%C0%AF',
      '/api/chatbots/%',
      `/api/chatbots/${'a'.repeat(12_000)}`,
      '/api/%2e%2e/%2e%2e/etc/passwd',
    ]) {
      const reply = await send(server.url, { method: 'GET', path, token: owner.accessToken });
      assert.ok(reply.status < 500, `${path.slice(0, 40)} → ${reply.status} ${reply.text.slice(0, 200)}`);
    }
  });

  /** A connected socket of the namespace, with a valid event that must keep getting its ack. */
  async function connect(namespace: SocketNamespaceName) {
    if (namespace === '/admin') {
      const socket = (await connectAdmin(server.url, owner.accessToken)) as unknown as Socket;
      sockets.push(socket);
      const valid = ['conversation:unwatch', { conversationId: randomUUID() }] as const;
      return { socket, valid, conversationId: visitor.conversationId };
    }
    const started = await startConversation(server.api, bot.id);
    const socket = (await connectWidget(server.url, {
      botId: bot.id,
      visitorToken: started.visitorToken,
    })) as unknown as Socket;
    sockets.push(socket);
    const valid = ['conversation:join', { conversationId: started.conversationId }] as const;
    return { socket, valid, conversationId: started.conversationId };
  }

  function assertClearAck(ack: AckResponse<unknown>, context: string) {
    if (ack.ok) return;
    assert.ok(ErrorCodes.includes(ack.error.code), `${context}: ${JSON.stringify(ack)}`);
    assert.notEqual(ack.error.code, 'internal_error', `${context}: ${JSON.stringify(ack)}`);
  }

  it('answers hostile payloads on every socket event with a clear refusal, and the socket keeps working', async function () {
    this.timeout(60_000);
    let events = 0;
    for (const namespace of Object.keys(socketSurface) as SocketNamespaceName[]) {
      const seedsOf = eventSeeds[namespace] as Record<
        string,
        (conversationId: string) => Record<string, unknown>
      >;
      for (const event of Object.keys(socketSurface[namespace])) {
        // A socket per event: the flood guard allows 50 events in 10 s, and this sends fewer.
        const { socket, valid, conversationId } = await connect(namespace);
        // Within the packet size limit: a larger packet closes the connection (the last test).
        const payloads = fc
          .oneof(
            hostile,
            hostileBody,
            fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
            { weight: 6, arbitrary: oneHostileField(seedsOf[event]!(conversationId), hostile) },
          )
          .filter((payload) => Buffer.byteLength(JSON.stringify(payload) ?? '') < 60_000);
        const errors: unknown[] = [];
        socket.on('error', (error: unknown) => errors.push(error));
        await property(
          `${namespace} ${event}`,
          fc.tuple(payloads, fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, fc.constant(false))),
          async ([payload, withAck]) => {
            const context = `${event} on ${namespace} with ${JSON.stringify(payload)?.slice(0, 200)}`;
            if (withAck) assertClearAck(await request(socket, event, payload, 5000), context);
            else socket.emit(event, payload);
            assertClearAck(await request(socket, valid[0], valid[1], 5000), `${valid[0]} after ${context}`);
            events++;
          },
          16,
        );
        for (const error of errors) {
          const code = (error as { code?: unknown }).code;
          assert.ok(ErrorCodes.includes(code as never), `${event}: error event ${JSON.stringify(error)}`);
        }
      }
    }
    assert.ok(events >= 100, `only ${events} events`);
  });

  it('refuses a NUL or broken Unicode in any string of every socket event, as the REST API does', async () => {
    for (const namespace of Object.keys(socketSurface) as SocketNamespaceName[]) {
      const seedsOf = eventSeeds[namespace] as Record<
        string,
        (conversationId: string) => Record<string, unknown>
      >;
      for (const event of Object.keys(socketSurface[namespace])) {
        const { socket, conversationId } = await connect(namespace);
        const valid = seedsOf[event]!(conversationId);
        for (const field of Object.keys(valid).filter((key) => typeof valid[key] === 'string')) {
          for (const unsafe of ['a\u0000b', 'x\uD800y']) {
            const payload = { ...valid, [field]: `${String(valid[field])}${unsafe}` };
            const ack = await request(socket, event, payload, 5000);
            assert.equal(
              !ack.ok && ack.error.code,
              'validation_failed',
              `${event} on ${namespace} with ${JSON.stringify(payload)}: ${JSON.stringify(ack)}`,
            );
          }
        }
      }
    }
  });

  it('refuses events nobody listens to, with a clear refusal', async () => {
    for (const namespace of Object.keys(socketSurface) as SocketNamespaceName[]) {
      const { socket, valid } = await connect(namespace);
      for (const event of [
        'no:such:event',
        'error',
        '__proto__',
        'constructor',
        'toString',
        'x'.repeat(1000),
      ]) {
        const ack = await request(socket, event, {}, 5000);
        assert.deepEqual(ack.ok === false && ack.error.code, 'not_found', `${event} on ${namespace}`);
      }
      assertClearAck(await request(socket, valid[0], valid[1]), namespace);
    }
  });

  it('drops a socket that sends a packet past the size limit or nested too deep, and serves the next one', async () => {
    for (const namespace of Object.keys(socketSurface) as SocketNamespaceName[]) {
      const { socket } = await connect(namespace);
      const dropped = new Promise((resolve) => socket.once('disconnect', resolve));
      socket.emit(Object.keys(socketSurface[namespace])[0]!, { text: 'x'.repeat(100_000) });
      await dropped;
      // Written to the engine as it is (an event packet: `2`, the namespace, the arguments): the client
      // library itself would overflow encoding it.
      const next = await connect(namespace);
      const engine = (next.socket.io as unknown as { engine: { write(data: string): void } }).engine;
      engine.write(`2${namespace},["${next.valid[0]}",${deeplyNested(30_000)}]`);
      assertClearAck(
        await request(next.socket, next.valid[0], next.valid[1], 5000),
        `${namespace} after deep nesting`,
      );
    }
    const health = await send(server.url, { method: 'GET', path: '/api/health' });
    assert.equal(health.status, 200);
  });
});

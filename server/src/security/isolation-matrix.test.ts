import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import type {
  AssistantAnswerResponse,
  AuthResponse,
  BotView,
  DocumentView,
  MessageDone,
} from '@chatbot/shared';
import {
  FAKE_OPENAI_KEY,
  startFakeOpenAI,
  type FakeOpenAI,
  type FakeOpenAIRequest,
} from '@chatbot/shared/testing';
import type { Socket } from 'socket.io-client';
import { startPrivateChroma } from '../features/assistant/testing/private-chroma';
import { waitUntilReady } from '../features/assistant/testing/wait-until-ready';
import { assistantTools } from '../features/assistant/tools';
import {
  fillPath,
  idKindOf,
  listenedEvents,
  pathParams,
  restRoutes,
  routeKey,
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
import {
  clientMessageId,
  connectAdmin,
  connectWidget,
  nextEvent,
  openChat,
  request,
  requestOk,
  type AdminSocket,
  type WidgetSocket,
} from '../testing/chat-clients';
import { teach, waitForStatus } from '../testing/documents';
import { buildBot, buildTenant } from '../testing/factories';

/*
 * Tenant A has one of everything; tenant B's owner, B's visitor and A's agent attack it through every
 * route and socket event the running server has. The routes and events are read off the server, so a new
 * one is attacked too, or fails the classification test until someone says below how to attack it.
 */

/** What the tests know of tenant A: its people, its ids by kind, and the values the probes name. */
interface Alpha {
  owner: AuthResponse;
  agent: AuthResponse;
  ids: Record<IdKind, string[]>;
  bot: BotView;
  secondBot: BotView;
  /** A visitor's conversation with A's first bot: messages, a cached answer, a lead with a note. */
  chatConversationId: string;
  /** The visitor token of that conversation, to come back to it. */
  chatVisitorToken: string;
  leadEmail: string;
  inviteeEmail: string;
  documentName: string;
}

/**
 * Who may call a route: any `member` of a tenant (agents too), owners and `admin`s, the `owner` only, a
 * `visitor` (with the visitor token of one conversation) or `anyone`. An agent of A is refused every
 * `admin` and `owner` route.
 */
type Caller = 'member' | 'admin' | 'owner' | 'visitor' | 'anyone';

/** How B attacks a route. */
type Probe =
  /** Each path parameter gets each of A's ids of its kind; `body` is a valid body (so the id is what is refused). */
  | { ids: true; body?: (alpha: Alpha) => unknown }
  /** A list or export: B filters it with A's values (each query in turn). */
  | { query: (alpha: Alpha) => Array<Record<string, string | undefined>> }
  /**
   * A write that names A's records in its body (each in turn). `sameAsTwin: false` when the answer differs
   * by design (a new record's id); `undo` takes back what such a write made in B's own tenant.
   */
  | {
      bodies: (alpha: Alpha) => unknown[];
      sameAsTwin?: false;
      undo?: (created: any) => SurfaceRequest;
    }
  /** A read of the caller's own tenant that takes nothing naming a record: B reads it and finds nothing of A's. */
  | { own: true }
  /** A read open to anyone (public by design): whatever A's id it is given, it shows nothing private of A's. */
  | { open: true }
  /** Nothing of another tenant's can be named through it; the reason says why. */
  | { nothingToName: string };

interface RouteSpec {
  caller: Caller;
  probe: Probe;
  /** Served only when the dashboard is built: the table may list it when the app has no such route. */
  optional?: true;
}

const hijack = 'Hijacked by another tenant';
const generous = { rateLimits: { perIpPerMinute: 1000, perMinute: 1000 } };
const alphaApiKey = 'sk-alpha-tenant-key-0000-77zq';
const alphaVaultCode = 'QUOKKA-5521';
const vaultQuestion = 'What is the vault code?';

/**
 * Every route of the app, classified. A route missing here fails the first test with what to add; one
 * listed here that the app no longer serves fails it too (unless `optional`).
 */
const surface: Record<string, RouteSpec> = {
  'GET /metrics': { caller: 'anyone', probe: { open: true } },
  'GET /api/health': { caller: 'anyone', probe: { open: true } },
  'POST /api/auth/register': { caller: 'anyone', probe: { nothingToName: 'it creates a new tenant' } },
  'POST /api/auth/login': { caller: 'anyone', probe: { nothingToName: 'it takes credentials, not ids' } },
  'POST /api/auth/refresh': { caller: 'anyone', probe: { nothingToName: 'it takes a refresh token' } },
  'POST /api/auth/accept-invitation': {
    caller: 'anyone',
    probe: { nothingToName: 'it takes an invitation token' },
  },
  'POST /api/auth/logout': { caller: 'member', probe: { nothingToName: "it ends the caller's own session" } },
  'GET /api/me': { caller: 'member', probe: { own: true } },
  'GET /api/chatbots': {
    caller: 'member',
    probe: { query: (a) => [{ search: a.bot.name }, { search: 'Alpha' }, { status: 'published' }] },
  },
  'POST /api/chatbots': {
    caller: 'admin',
    probe: { nothingToName: "it creates a bot of the caller's tenant" },
  },
  'GET /api/chatbots/:id': { caller: 'member', probe: { ids: true } },
  'PATCH /api/chatbots/:id': {
    caller: 'admin',
    probe: { ids: true, body: () => ({ name: hijack, openaiApiKey: null, allowedOrigins: [] }) },
  },
  'DELETE /api/chatbots/:id': { caller: 'admin', probe: { ids: true } },
  'POST /api/chatbots/:id/avatar': { caller: 'admin', probe: { ids: true } },
  'POST /api/chatbots/:id/preview-conversation': { caller: 'member', probe: { ids: true } },
  'POST /api/chatbots/:id/retrieval-test': {
    caller: 'admin',
    probe: { ids: true, body: () => ({ query: 'What is the vault code?' }) },
  },
  'GET /api/public/bot/:botId/avatar': { caller: 'anyone', probe: { open: true } },
  'GET /api/public/bot/:botId/config': { caller: 'anyone', probe: { open: true } },
  'POST /api/public/conversation/:botId/start': {
    caller: 'anyone',
    probe: {
      nothingToName:
        'any visitor may start a chat with a published bot (embedding it means that); it names no conversation but the one it starts',
    },
  },
  'POST /api/public/chat/:botId': {
    caller: 'visitor',
    probe: { ids: true, body: (a) => ({ conversationId: a.chatConversationId, message: hijack }) },
  },
  'POST /api/public/conversation/:conversationId/capture-lead': {
    caller: 'visitor',
    probe: { ids: true, body: () => ({ email: 'hijack@example.com', consent: true }) },
  },
  'POST /api/public/conversation/:conversationId/end': { caller: 'visitor', probe: { ids: true } },
  'GET /api/conversations': {
    caller: 'member',
    probe: {
      query: (a) => [
        { botId: a.bot.id },
        { botId: a.secondBot.id },
        { search: vaultQuestion },
        { search: a.leadEmail },
      ],
    },
  },
  'GET /api/conversations/live': { caller: 'member', probe: { own: true } },
  'GET /api/conversations/:id': { caller: 'member', probe: { ids: true } },
  'GET /api/conversations/:id/export.pdf': { caller: 'member', probe: { ids: true } },
  'DELETE /api/conversations/:id': { caller: 'admin', probe: { ids: true } },
  'POST /api/conversations/:id/takeover': { caller: 'member', probe: { ids: true } },
  'POST /api/conversations/:id/release': { caller: 'member', probe: { ids: true } },
  'POST /api/conversations/:id/close': { caller: 'member', probe: { ids: true } },
  'POST /api/conversations/:id/messages': {
    caller: 'member',
    probe: { ids: true, body: () => ({ text: hijack }) },
  },
  'POST /api/documents/upload': { caller: 'admin', probe: { bodies: (a) => [{ botId: a.bot.id }] } },
  'POST /api/documents/url': {
    caller: 'admin',
    probe: { bodies: (a) => [{ botId: a.bot.id, url: 'https://example.com/page' }] },
  },
  'GET /api/documents': {
    caller: 'member',
    probe: { query: (a) => [{ botId: a.bot.id }, { botId: a.bot.id, search: a.documentName }] },
  },
  'GET /api/documents/:id': { caller: 'member', probe: { ids: true } },
  'POST /api/documents/:id/reindex': { caller: 'admin', probe: { ids: true } },
  'DELETE /api/documents/:id': { caller: 'admin', probe: { ids: true } },
  'GET /api/users': { caller: 'admin', probe: { own: true } },
  'POST /api/users/invitations': {
    caller: 'admin',
    // An email invited by A may be invited by B too (it is nobody's account yet): B's invitation is new,
    // and A's stays. Emails of accounts are unique platform-wide, and say only "taken", as sign-up does.
    probe: {
      bodies: (a) => [{ email: a.inviteeEmail, role: 'agent' }],
      sameAsTwin: false,
      undo: (created) => ({ method: 'DELETE', path: `/api/users/invitations/${created.invitation.id}` }),
    },
  },
  'DELETE /api/users/invitations/:id': { caller: 'admin', probe: { ids: true } },
  'PATCH /api/users/:id': { caller: 'admin', probe: { ids: true, body: () => ({ role: 'agent' }) } },
  'DELETE /api/users/:id': { caller: 'admin', probe: { ids: true } },
  'GET /api/leads': {
    caller: 'member',
    probe: { query: (a) => [{ botId: a.bot.id }, { search: a.leadEmail }, { search: 'Alphonse' }] },
  },
  'GET /api/leads/assignees': { caller: 'member', probe: { own: true } },
  'GET /api/leads/export.csv': {
    caller: 'member',
    probe: { query: (a) => [{}, { botId: a.bot.id }, { search: a.leadEmail }] },
  },
  'GET /api/leads/:id': { caller: 'member', probe: { ids: true } },
  'PATCH /api/leads/:id': { caller: 'member', probe: { ids: true, body: () => ({ status: 'converted' }) } },
  'POST /api/leads/:id/notes': { caller: 'member', probe: { ids: true, body: () => ({ text: hijack }) } },
  ...Object.fromEntries(
    ['summary', 'timeseries', 'export.csv', 'leads', 'unanswered'].map((name) => [
      `GET /api/analytics/${name}`,
      { caller: 'admin', probe: { query: (a: Alpha) => [{}, { botId: a.bot.id }] } } satisfies RouteSpec,
    ]),
  ),
  'GET /api/privacy/export': {
    caller: 'admin',
    probe: { query: (a) => [{ conversationId: a.chatConversationId }, { email: a.leadEmail }] },
  },
  'POST /api/privacy/erase': {
    caller: 'admin',
    probe: { bodies: (a) => [{ conversationId: a.chatConversationId }, { email: a.leadEmail }] },
  },
  'GET /api/privacy/retention': { caller: 'admin', probe: { own: true } },
  'PATCH /api/privacy/retention': {
    caller: 'owner',
    probe: { nothingToName: "it sets the caller's own tenant's retention" },
  },
  'GET /api/webhooks': { caller: 'admin', probe: { own: true } },
  'POST /api/webhooks': {
    caller: 'admin',
    probe: { nothingToName: "it creates a webhook of the caller's tenant" },
  },
  'GET /api/webhooks/:id': { caller: 'admin', probe: { ids: true } },
  'PATCH /api/webhooks/:id': { caller: 'admin', probe: { ids: true, body: () => ({ enabled: false }) } },
  'DELETE /api/webhooks/:id': { caller: 'admin', probe: { ids: true } },
  'POST /api/webhooks/:id/rotate-secret': { caller: 'admin', probe: { ids: true } },
  'POST /api/webhooks/:id/test': { caller: 'admin', probe: { ids: true } },
  'GET /api/webhooks/:id/deliveries': { caller: 'admin', probe: { ids: true } },
  'POST /api/assistant/ask': {
    caller: 'member',
    probe: {
      bodies: (a) => [{ question: `How many leads did ${a.bot.name} (bot ${a.bot.id}) get this month?` }],
    },
  },
  'GET /api/assistant/status': { caller: 'member', probe: { own: true } },
  'GET /demo': { caller: 'anyone', probe: { open: true } },
  'GET /demo/:botId': { caller: 'anyone', probe: { open: true } },
  'GET /admin/{*path}': {
    caller: 'anyone',
    probe: { nothingToName: "the dashboard's static files" },
    optional: true,
  },
  'GET /': { caller: 'anyone', probe: { nothingToName: 'a redirect to the dashboard' }, optional: true },
};

/** How each socket event is attacked with one of A's conversation ids; the compiler keeps it complete. */
interface EventProbe {
  payload: (conversationId: string, alpha: Alpha) => unknown;
  /** Accepted whatever the id, as it reads nothing of the conversation (leaving a room one is not in). */
  acceptsAnyId?: true;
}

const conversationRef = (conversationId: string) => ({ conversationId });

const eventProbes: {
  [N in SocketNamespaceName]: { [E in keyof (typeof socketSurface)[N]]: EventProbe };
} = {
  '/admin': {
    'conversation:watch': { payload: conversationRef },
    'conversation:unwatch': { payload: conversationRef, acceptsAnyId: true },
    'conversation:takeover': { payload: conversationRef },
    'conversation:release': { payload: conversationRef },
    'conversation:close': { payload: conversationRef },
    'message:send': {
      payload: (conversationId) => ({ conversationId, text: hijack, clientMessageId: clientMessageId() }),
    },
    typing: { payload: (conversationId) => ({ conversationId, isTyping: true }) },
    // Takes no id: the question names A's conversation and bot, and the answer must tell nothing of them.
    'assistant:ask': {
      payload: (conversationId, a) => ({
        question: `What did the visitor say in conversation ${conversationId} of ${a.bot.name}?`,
        clientMessageId: clientMessageId(),
      }),
      acceptsAnyId: true,
    },
  },
  '/widget': {
    'conversation:join': { payload: conversationRef },
    'message:send': {
      payload: (conversationId) => ({ conversationId, text: hijack, clientMessageId: clientMessageId() }),
    },
    typing: { payload: (conversationId) => ({ conversationId, isTyping: true }) },
    'handoff:request': { payload: conversationRef },
    'lead:capture': { payload: (conversationId) => ({ conversationId, email: 'hijack@example.com' }) },
    'lead:decline': { payload: conversationRef },
  },
};

describe('tenant isolation matrix: every route and socket event, attacked by another tenant', () => {
  let fake: FakeOpenAI;
  let chroma: Awaited<ReturnType<typeof startPrivateChroma>>;
  let server: SurfaceServer;
  let routes: RestRoute[];
  let alpha: Alpha;
  let beta: { owner: AuthResponse; bot: BotView; visitorToken: string };
  /** Every value of A's that B must never see, ids included. */
  let secrets: string[];
  /** A value of the same kind for each of A's, that belongs to nobody: what B could have guessed instead. */
  const twins = new Map<string, string>();
  const sockets: Socket[] = [];
  const track = <S extends AdminSocket | WidgetSocket>(socket: S) => (sockets.push(socket as Socket), socket);

  before(async function () {
    this.timeout(120_000);
    fake = await startFakeOpenAI();
    fake.validKeys.add(alphaApiKey);
    // The assistant fills its collection with the fake's OpenAI-sized vectors: a Chroma of its own.
    chroma = await startPrivateChroma();
    server = await startSurfaceServer({
      dialect: 'postgresql',
      env: { OPENAI_API_KEY: FAKE_OPENAI_KEY, OPENAI_BASE_URL: fake.url, CHROMA_URL: chroma.url },
    });
    routes = restRoutes(server.app);
    alpha = await buildAlpha();
    const betaOwner = await buildTenant(server.api, { companyName: 'Beta Company' });
    const betaBot = await buildBot(server.api, betaOwner.accessToken, {
      name: 'Beta Bot',
      status: 'published',
      ...generous,
    });
    await teach(server, betaOwner.accessToken, betaBot.id, 'beta.txt', 'The Beta vault code is WOMBAT-1188.');
    const betaChat = await openChat(server.api, betaBot.id);
    betaChat.socket.close();
    beta = { owner: betaOwner, bot: betaBot, visitorToken: betaChat.visitorToken };
    await waitUntilReady(server, alpha.owner.accessToken);
    await idle();
  });
  afterEach(() => {
    fake.replyWith(null);
    sockets.splice(0).forEach((socket) => socket.close());
  });
  after(async () => {
    await server?.stop();
    await chroma?.stop();
    await fake?.stop();
  });

  /** Tenant A, with bots, a document, conversations with messages, a lead with a note, people and a webhook. */
  async function buildAlpha(): Promise<Alpha> {
    const tag = randomBytes(3).toString('hex');
    const owner = await buildTenant(server.api, {
      companyName: `Alpha Company ${tag}`,
      name: `Alma Alpha-Owner ${tag}`,
      email: `owner-${tag}@alpha.example`,
    });
    const token = owner.accessToken;
    const bot = await buildBot(server.api, token, {
      name: `Alpha Zephyr Bot ${tag}`,
      status: 'published',
      instructions: `ALPHA-INSTRUCTIONS-${tag}`,
      openaiApiKey: alphaApiKey,
      ...generous,
    });
    const secondBot = await buildBot(server.api, token, {
      name: `Alpha Second Bot ${tag}`,
      status: 'published',
      ...generous,
    });
    const documentName = `alpha-handbook-${tag}.txt`;
    const document = await teach(
      server,
      token,
      bot.id,
      documentName,
      `The Alpha vault code is ${alphaVaultCode}. Alpha refunds take 45 days from delivery.`,
    );

    // The answer to a first question is cached, per bot: B asks the same one later.
    fake.replyWith(`Alpha says the code is ${alphaVaultCode}.`);
    const chat = await openChat(server.api, bot.id);
    await chat.ask(vaultQuestion);
    fake.replyWith(null);
    chat.socket.close();
    const leadEmail = `lead-${tag}@alpha.example`;
    const lead = await server.api.request(
      'POST',
      `/api/public/conversation/${chat.conversationId}/capture-lead`,
      {
        body: { email: leadEmail, name: `Alphonse Leadington ${tag}`, consent: true },
        headers: { authorization: `Bearer ${chat.visitorToken}` },
      },
    );
    assert.equal(lead.status, 201, JSON.stringify(lead.body));
    const leadId: string = lead.body.leadId;
    const note = await server.api.post(`/api/leads/${leadId}/notes`, { text: `ALPHA-NOTE-${tag}` }, token);
    assert.equal(note.status, 201, JSON.stringify(note.body));

    const secondChat = await openChat(server.api, secondBot.id);
    secondChat.socket.close();
    const preview = await server.api.post(`/api/chatbots/${bot.id}/preview-conversation`, undefined, token);
    assert.equal(preview.status, 201, JSON.stringify(preview.body));

    const agentInvite = await server.api.post(
      '/api/users/invitations',
      { email: `agent-${tag}@alpha.example`, role: 'agent' },
      token,
    );
    const accepted = await server.api.post<AuthResponse>('/api/auth/accept-invitation', {
      token: agentInvite.body.token,
      name: `Agatha Alpha-Agent ${tag}`,
      password: 'correct horse battery staple',
    });
    assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
    const inviteeEmail = `invitee-${tag}@alpha.example`;
    const pending = await server.api.post(
      '/api/users/invitations',
      { email: inviteeEmail, role: 'admin' },
      token,
    );
    assert.equal(pending.status, 201, JSON.stringify(pending.body));
    // Subscribed to an event that never comes here: its state must stay still for the comparisons.
    const webhook = await server.api.post(
      '/api/webhooks',
      {
        url: `https://hooks.alpha.example/secret-${tag}`,
        events: ['document.failed'],
        description: `Alpha hook ${tag}`,
      },
      token,
    );
    assert.equal(webhook.status, 201, JSON.stringify(webhook.body));

    const built: Alpha = {
      owner,
      agent: accepted.body,
      bot,
      secondBot,
      chatConversationId: chat.conversationId,
      chatVisitorToken: chat.visitorToken,
      leadEmail,
      inviteeEmail,
      documentName,
      ids: {
        bot: [bot.id, secondBot.id],
        document: [document.id],
        conversation: [chat.conversationId, secondChat.conversationId, preview.body.conversationId],
        lead: [leadId],
        webhook: [webhook.body.id],
        user: [owner.user.id, accepted.body.user.id],
        invitation: [pending.body.invitation.id],
      },
    };
    secrets = [
      ...Object.values(built.ids).flat(),
      owner.tenant.id,
      owner.tenant.name,
      owner.user.email,
      owner.user.name,
      accepted.body.user.email,
      accepted.body.user.name,
      bot.name,
      secondBot.name,
      `ALPHA-INSTRUCTIONS-${tag}`,
      alphaApiKey,
      alphaVaultCode,
      documentName,
      leadEmail,
      `Alphonse Leadington ${tag}`,
      `ALPHA-NOTE-${tag}`,
      `hooks.alpha.example/secret-${tag}`,
      `Alpha hook ${tag}`,
      inviteeEmail,
      webhook.body.secret,
      pending.body.token,
      owner.refreshToken,
    ];
    for (const value of secrets) {
      twins.set(
        value,
        /^[0-9a-f-]{36}$/.test(value) ? randomUUID() : `twin-${randomBytes(6).toString('hex')}`,
      );
    }
    twins.set(leadEmail, `twin-${tag}@nowhere.example`);
    twins.set(inviteeEmail, `twin-invitee-${tag}@nowhere.example`);
    return built;
  }

  /** Waits for the jobs A's and B's actions queued (indexing, lead summaries), so that states hold still. */
  async function idle() {
    const deadline = Date.now() + 20_000;
    while ((await server.platform.queue.depth()) > 0) {
      if (Date.now() > deadline) throw new Error('jobs still running');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The same value with each of A's values replaced by its twin: the request B could have made blindly. */
  function twinOf<T>(value: T): T {
    let text = JSON.stringify(value);
    for (const [own, twin] of twins) text = text.replaceAll(own, twin);
    return JSON.parse(text) as T;
  }

  /** An answer as it can be compared: volatile fields (request id, time of export) dropped. */
  function comparable(reply: SurfaceReply): string {
    let body = reply.text;
    if (reply.type.includes('json')) {
      body = JSON.stringify(JSON.parse(reply.text), (key, value: unknown) =>
        key === 'requestId' || key === 'generatedAt' ? undefined : value,
      );
    }
    return `${reply.status} ${body}`;
  }

  /** Fails when the text shows a value of A's that the request did not itself carry. */
  function assertNothingOfAlpha(text: string, context: string, sent: unknown, except: string[] = []) {
    const carried = JSON.stringify(sent);
    for (const value of secrets) {
      if (carried.includes(value) || except.includes(value)) continue;
      assert.ok(!text.includes(value), `${context} shows A's "${value}": ${text.slice(0, 300)}`);
    }
  }

  /**
   * Sends B's request and the same with every value of A's replaced by its twin: the answers must be the
   * same (B cannot tell A's ids from ids that exist nowhere), and hold nothing of A's.
   */
  async function assertBlind(request: SurfaceRequest, context: string, sameAsTwin = true) {
    const reply = await send(server.url, request);
    assert.ok(reply.status < 500, `${context}: ${reply.status} ${reply.text}`);
    assertNothingOfAlpha(reply.text, context, request);
    if (sameAsTwin) {
      const blind = await send(server.url, twinOf(request));
      assert.equal(
        comparable(twinOf(reply)),
        comparable(blind),
        `${context}: A's value and a random one differ`,
      );
    }
    return reply;
  }

  /** A's state as A's owner reads it: what no attack of B's may change. */
  async function alphaState() {
    const { ids } = alpha;
    const paths = [
      '/api/chatbots?limit=100',
      ...ids.bot.flatMap((id) => [`/api/chatbots/${id}`, `/api/documents?botId=${id}&limit=100`]),
      ...ids.document.map((id) => `/api/documents/${id}`),
      '/api/conversations?limit=100',
      ...ids.conversation.map((id) => `/api/conversations/${id}`),
      '/api/leads?limit=100',
      ...ids.lead.map((id) => `/api/leads/${id}`),
      '/api/webhooks',
      ...ids.webhook.map((id) => `/api/webhooks/${id}/deliveries`),
      '/api/users',
      '/api/privacy/retention',
    ];
    await idle();
    const replies = await Promise.all(
      paths.map((path) => send(server.url, { method: 'GET', path, token: alpha.owner.accessToken })),
    );
    return paths.map((path, i) => `${path} → ${comparable(replies[i]!)}`);
  }

  const specOf = (route: RestRoute): RouteSpec => {
    const spec = surface[routeKey(route)];
    if (!spec) throw new Error(`${routeKey(route)} is not classified (see the first test)`);
    return spec;
  };

  /** Every way to fill the route's parameters with A's ids: each id of each parameter's kind in turn. */
  function alphaPaths(route: RestRoute): string[] {
    const params = pathParams(route.path);
    const first = Object.fromEntries(params.map((param) => [param, alpha.ids[idKindOf(route, param)!][0]!]));
    return params.flatMap((param) =>
      alpha.ids[idKindOf(route, param)!].map((id) => fillPath(route.path, { ...first, [param]: id })),
    );
  }

  /** The token each caller sends: B's owner for staff routes, B's visitor for visitor routes. */
  const betaToken = (caller: Caller) =>
    caller === 'visitor' ? beta.visitorToken : caller === 'anyone' ? undefined : beta.owner.accessToken;

  /** What B sends to a route: one request per id of A's, or per filter or body naming A's records. */
  function betaRequests(route: RestRoute, spec: RouteSpec): SurfaceRequest[] {
    const token = betaToken(spec.caller);
    const { probe } = spec;
    const base = { method: route.method, token };
    if ('ids' in probe) {
      return alphaPaths(route).map((path) => ({ ...base, path, body: probe.body?.(alpha) }));
    }
    if ('query' in probe) return probe.query(alpha).map((query) => ({ ...base, path: route.path, query }));
    if ('bodies' in probe) return probe.bodies(alpha).map((body) => ({ ...base, path: route.path, body }));
    if ('own' in probe) return [{ ...base, path: route.path }];
    if ('open' in probe) {
      const paths = pathParams(route.path).length ? alphaPaths(route) : [route.path];
      return paths.map((path) => ({ ...base, path }));
    }
    return [];
  }

  it('classifies every route the app serves, and every parameter of those that take ids', () => {
    const keys = routes.map(routeKey);
    const unclassified = keys.filter((key) => !(key in surface));
    assert.deepEqual(
      unclassified,
      [],
      'Classify each new route in `surface` of server/src/security/isolation-matrix.test.ts: who may call ' +
        'it, and how another tenant attacks it (`ids` for a route with ids in its path, `query` for a list ' +
        'filtered by ids or names, `bodies` for a write naming records in its body, `own` for a read of ' +
        "the caller's own tenant, `open` for a public read, `nothingToName` with the reason).",
    );
    const stale = Object.keys(surface).filter((key) => !keys.includes(key) && !surface[key]!.optional);
    assert.deepEqual(stale, [], 'These routes are gone: remove them from `surface`.');
    for (const route of routes.filter(
      (each) => 'ids' in specOf(each).probe || 'open' in specOf(each).probe,
    )) {
      for (const param of pathParams(route.path)) {
        assert.ok(
          idKindOf(route, param),
          `${routeKey(route)}: say which kind of id :${param} takes in \`paramKinds\` of server/src/testing/attack-surface.ts.`,
        );
      }
    }
    assert.ok(routes.length >= 60, `only ${routes.length} routes found: the walk of the app missed some`);
  });

  it("answers another tenant's ids on every route that takes one with the 404 of an id that exists nowhere, and changes nothing", async function () {
    this.timeout(60_000);
    const before = await alphaState();
    let attempts = 0;
    for (const route of routes) {
      const spec = specOf(route);
      if (!('ids' in spec.probe || 'bodies' in spec.probe)) continue;
      for (const attempt of betaRequests(route, spec)) {
        const context = `${attempt.method} ${attempt.path} as B's ${spec.caller}`;
        const sameAsTwin = !('bodies' in spec.probe && spec.probe.sameAsTwin === false);
        const reply = await assertBlind(attempt, context, sameAsTwin);
        if ('bodies' in spec.probe && spec.probe.undo && reply.status < 300) {
          const undo = spec.probe.undo(JSON.parse(reply.text));
          assert.ok((await send(server.url, { ...undo, token: attempt.token })).status < 300, context);
        }
        if ('ids' in spec.probe) {
          if (spec.caller === 'visitor') {
            assert.ok(
              reply.status >= 400 && reply.status !== 403,
              `${context}: ${reply.status} ${reply.text}`,
            );
          } else {
            assert.equal(reply.status, 404, `${context}: ${reply.text}`);
            assert.equal(JSON.parse(reply.text).error.code, 'not_found', context);
          }
        }
        attempts++;
      }
    }
    assert.deepEqual(await alphaState(), before, "B's attempts changed A's data");
    assert.ok(attempts > 60, `only ${attempts} attempts`);
  });

  it('refuses an agent every route reserved to owners and admins, with 403, and changes nothing', async function () {
    this.timeout(30_000);
    const before = await alphaState();
    const reserved = routes.filter((route) => ['admin', 'owner'].includes(specOf(route).caller));
    for (const route of reserved) {
      const params = pathParams(route.path);
      const path = fillPath(
        route.path,
        Object.fromEntries(params.map((param) => [param, alpha.ids[idKindOf(route, param)!][0]!])),
      );
      const reply = await send(server.url, { method: route.method, path, token: alpha.agent.accessToken });
      assert.equal(reply.status, 403, `${route.method} ${path} as A's agent: ${reply.text}`);
      assert.equal(JSON.parse(reply.text).error.code, 'forbidden');
    }
    assert.ok(reserved.length > 30, `only ${reserved.length} reserved routes`);
    assert.deepEqual(await alphaState(), before, "the agent's attempts changed A's data");
  });

  it("finds nothing of another tenant's through lists, filters, searches, analytics, exports and open reads, nor sees A's activity in them", async function () {
    this.timeout(60_000);
    const reads = routes.flatMap((route) => {
      const spec = specOf(route);
      const { probe } = spec;
      return 'query' in probe || 'own' in probe || 'open' in probe
        ? betaRequests(route, spec).map((attempt) => ({ attempt, open: 'open' in probe }))
        : [];
    });
    // Public reads show a published bot's public face by design (its name, on every site embedding it).
    const publicFace = [alpha.bot.id, alpha.secondBot.id, alpha.bot.name, alpha.secondBot.name];
    const read = async () => {
      const seen: string[] = [];
      for (const { attempt, open } of reads) {
        const context = `${attempt.method} ${attempt.path} ${JSON.stringify(attempt.query ?? {})} as B`;
        if (open) {
          const reply = await send(server.url, attempt);
          assert.ok(reply.status < 500, `${context}: ${reply.status}`);
          assertNothingOfAlpha(reply.text, context, attempt, publicFace);
        } else {
          seen.push(`${context} → ${comparable(await assertBlind(attempt, context))}`);
        }
      }
      return seen;
    };
    const before = await read();
    // A works on: a new conversation, answered, a lead, a handoff. B's figures must not move.
    await alphaActivity();
    assert.deepEqual(await read(), before, "A's activity shows in B's lists, figures or exports");
    assert.ok(reads.length > 25, `only ${reads.length} reads`);
  });

  /** A visitor of A's bot asks, leaves a lead and asks for a person; A's counts and figures move. */
  async function alphaActivity() {
    const chat = await openChat(server.api, alpha.bot.id);
    track(chat.socket);
    await chat.ask('How long do Alpha refunds take?');
    await chat.ask('Do you ship to the moon?');
    await requestOk(chat.socket, 'lead:capture', {
      conversationId: chat.conversationId,
      email: `second-${alpha.leadEmail}`,
      consent: true,
    });
    await requestOk(chat.socket, 'handoff:request', { conversationId: chat.conversationId });
    await idle();
  }

  it("searches and retrieves only the caller's own documents", async () => {
    const query = { query: `vault code ${alphaVaultCode} Alpha refunds`, limit: 50 };
    const retrieval = await server.api.post(
      `/api/chatbots/${beta.bot.id}/retrieval-test`,
      query,
      beta.owner.accessToken,
    );
    assert.equal(retrieval.status, 200, JSON.stringify(retrieval.body));
    assert.ok(retrieval.body.passages.length > 0, 'B found not even its own document');
    assertNothingOfAlpha(JSON.stringify(retrieval.body), 'retrieval test', query);
    const search = await server.api.get<{ documents: DocumentView[] }>(
      `/api/documents?botId=${beta.bot.id}&search=${encodeURIComponent(alpha.documentName)}`,
      beta.owner.accessToken,
    );
    assert.deepEqual(search.body.documents, []);
  });

  it("never serves one tenant's cached answer to another tenant's bot", async () => {
    // A's answer is cached: a new visitor of A's bot gets it, although the model would now say otherwise.
    fake.replyWith('Beta says the code is WOMBAT-1188.');
    const again = await openChat(server.api, alpha.bot.id);
    track(again.socket);
    assert.match((await again.ask(vaultQuestion)).content, new RegExp(alphaVaultCode));

    const betaChat = await openChat(server.api, beta.bot.id);
    track(betaChat.socket);
    const answer = await betaChat.ask(vaultQuestion);
    assert.match(answer.content, /WOMBAT-1188/);
    assertNothingOfAlpha(JSON.stringify(answer), "B's answer", {});
  });

  it('registers exactly the runtime list of socket events, on both namespaces', async () => {
    const admin = track(await connectAdmin(server.url, beta.owner.accessToken));
    const visitor = track((await openChat(server.api, beta.bot.id)).socket);
    assert.deepEqual(
      listenedEvents(server.io, '/admin', admin.id!),
      Object.keys(socketSurface['/admin']).sort(),
    );
    assert.deepEqual(
      listenedEvents(server.io, '/widget', visitor.id!),
      Object.keys(socketSurface['/widget']).sort(),
    );
  });

  it("refuses another tenant's and another bot's conversation ids on every socket event, and leaks no event of A's", async function () {
    this.timeout(60_000);
    // The assistant's answer says nothing of the question (the fake model would repeat it).
    fake.replyWith('I cannot tell.');
    const heard: Array<{ who: string; event: string; payload: string; except: string[] }> = [];
    const listen = (who: string, socket: Socket, except: string[] = []) =>
      socket.onAny((event: string, ...args: unknown[]) =>
        heard.push({ who, event, payload: JSON.stringify(args), except }),
      );
    const betaAdmin = track(await connectAdmin(server.url, beta.owner.accessToken));
    listen("B's dashboard", betaAdmin as unknown as Socket);
    const betaVisitor = track((await openChat(server.api, beta.bot.id)).socket);
    listen("B's visitor", betaVisitor as unknown as Socket);
    // A visitor of A's other bot is as much a stranger to A's first bot's conversations.
    const neighbour = await openChat(server.api, alpha.secondBot.id);
    track(neighbour.socket);
    listen("the visitor of A's other bot", neighbour.socket as unknown as Socket, [
      alpha.secondBot.id,
      alpha.secondBot.name,
    ]);
    const before = await alphaState();
    const attackers: Record<SocketNamespaceName, Array<[string, Socket]>> = {
      '/admin': [["B's dashboard", betaAdmin as unknown as Socket]],
      '/widget': [
        ["B's visitor", betaVisitor as unknown as Socket],
        ["the visitor of A's other bot", neighbour.socket as unknown as Socket],
      ],
    };
    for (const namespace of Object.keys(eventProbes) as SocketNamespaceName[]) {
      const probes = eventProbes[namespace] as Record<string, EventProbe>;
      for (const [who, socket] of attackers[namespace]) {
        for (const [event, probe] of Object.entries(probes)) {
          for (const conversationId of alpha.ids.conversation) {
            const payload = probe.payload(conversationId, alpha);
            const context = `${event} on ${namespace} by ${who} with ${conversationId}`;
            const ack = await request(socket, event, payload);
            assertNothingOfAlpha(JSON.stringify(ack), context, payload);
            if (probe.acceptsAnyId) continue;
            assert.equal(ack.ok, false, `${context}: accepted`);
            const blind = await request(socket, event, twinOf(payload));
            assert.deepEqual(twinOf(ack), blind, `${context}: A's id and a random one differ`);
          }
        }
      }
    }

    assert.deepEqual(await alphaState(), before, "B's events changed A's data");
    // Last, so that no unwatch follows: a refused watch must not have joined the conversation's room.
    for (const conversationId of alpha.ids.conversation) {
      const ack = await request(betaAdmin, 'conversation:watch', { conversationId });
      assert.equal(ack.ok, false);
    }

    // A works on the conversation B's attempts named, while the attackers listen: none of it may reach them.
    const conversationId = alpha.chatConversationId;
    const watcher = track(await connectAdmin(server.url, alpha.owner.accessToken));
    const agent = track(await connectAdmin(server.url, alpha.agent.accessToken));
    const visitor = track(
      await connectWidget(server.url, { botId: alpha.bot.id, visitorToken: alpha.chatVisitorToken }),
    );
    await requestOk(visitor, 'conversation:join', { conversationId });
    await requestOk(watcher, 'conversation:watch', { conversationId });
    await requestOk(agent, 'conversation:watch', { conversationId });
    const answered = nextEvent<MessageDone>(watcher, 'message:done');
    await requestOk(visitor, 'message:send', {
      conversationId,
      text: 'What is the Alpha vault code, again?',
      clientMessageId: clientMessageId(),
    });
    await answered;
    const [document] = alpha.ids.document;
    const indexed = nextEvent(watcher, 'document:status', (status) => status.status === 'completed');
    assert.equal(
      (await server.api.post(`/api/documents/${document}/reindex`, undefined, alpha.owner.accessToken))
        .status,
      202,
    );
    await indexed;
    await waitForStatus(server, alpha.owner.accessToken, document!, ['completed']);
    await requestOk(agent, 'conversation:takeover', { conversationId });
    const agentSaid = nextEvent(visitor, 'message:new', (message) => message.role === 'agent');
    await requestOk(agent, 'message:send', {
      conversationId,
      text: 'An agent of A answers',
      clientMessageId: clientMessageId(),
    });
    await agentSaid;
    agent.emit('typing', { conversationId, isTyping: true });
    await requestOk(agent, 'conversation:release', { conversationId });
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const { who, event, payload, except } of heard) {
      assertNothingOfAlpha(payload, `${who} heard ${event}`, {}, except);
    }
    // The listeners work: B's dashboard heard the answers to its own questions.
    assert.ok(heard.some(({ who, event }) => who === "B's dashboard" && event === 'assistant:done'));
  });

  it("gives B's assistant nothing of A's, whatever ids its tools are called with", async function () {
    this.timeout(60_000);
    const toolMessages = (request: FakeOpenAIRequest) =>
      (request.body.messages as Array<{ role: string; content: string }>).filter(
        (message) => message.role === 'tool',
      );
    // A model that calls every tool with no argument, with A's bot, and with A's tenant, then repeats
    // what the tools said.
    const calls = assistantTools.flatMap((tool) => [
      { name: tool.name, arguments: {} },
      { name: tool.name, arguments: { tenantId: alpha.owner.tenant.id } },
      ...('botId' in tool.args.shape ? [{ name: tool.name, arguments: { botId: alpha.bot.id } }] : []),
    ]);
    // The assistant runs at most 8 calls a round and 3 rounds a question (openai-assistant.ts).
    const rounds: (typeof calls)[] = [];
    for (let i = 0; i < calls.length; i += 8) rounds.push(calls.slice(i, i + 8));
    assert.ok(rounds.length <= 3, 'more tool calls than one question can make: ask in several');
    const ask = async () => {
      fake.queueReplies(...rounds.map((toolCalls) => ({ toolCalls })), (request) => ({
        content: toolMessages(request)
          .map((message) => message.content)
          .join('\n'),
      }));
      const question = `How are ${alpha.bot.name} (${alpha.bot.id}) and tenant ${alpha.owner.tenant.id} doing?`;
      const response = await server.api.post<AssistantAnswerResponse>(
        '/api/assistant/ask',
        { question },
        beta.owner.accessToken,
      );
      assert.equal(response.status, 200, JSON.stringify(response.body));
      assert.deepEqual(
        response.body.toolCalls.map((call) => call.name),
        calls.map((call) => call.name),
      );
      assertNothingOfAlpha(JSON.stringify(response.body), "B's assistant", { question });
      for (const [i, call] of response.body.toolCalls.entries()) {
        if (Object.keys(calls[i]!.arguments).length) {
          assert.ok(call.result.error, `${call.name}(${JSON.stringify(calls[i]!.arguments)}) answered`);
        }
      }
      // Periods end now: their bounds move between two questions, the figures must not.
      return JSON.stringify(response.body.toolCalls).replace(/"\d{4}-\d\d-\d\dT[\d:.]+Z"/g, '"<now>"');
    };
    const before = await ask();
    await alphaActivity();
    assert.deepEqual(await ask(), before, "A's activity shows in B's assistant's figures");
  });
});

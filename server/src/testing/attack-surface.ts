import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { adminClientEvents, widgetClientEvents, type AuthResponse, type BotView } from '@chatbot/shared';
import type { Express } from 'express';
import { Server } from 'socket.io';
import { startConversation } from './chat-clients';
import { upload } from './documents';
import { buildBot, buildTenant } from './factories';
import { startTestServer, type TestServer, type TestServerOptions } from './test-server';

/** One route of the REST API: its method and its full path pattern (`/api/chatbots/:id`). */
export interface RestRoute {
  method: string;
  path: string;
}

/** What router 2.x's `listRoutes()` gives for each path of a router (typed here: Express's types lack it). */
interface ListedRoute {
  path: string | RegExp;
  methods?: string[];
  router?: IntrospectableRouter;
}

interface IntrospectableRouter {
  stack: Array<{ handle: { name?: string }; rawPath?: unknown }>;
  listRoutes?(): ListedRoute[];
}

/**
 * Every client-to-server event of each Socket.IO namespace, with the schema its payload is checked against:
 * the runtime lists the handlers take their schemas from, complete by construction (see client-events.ts).
 */
export const socketSurface = {
  '/admin': adminClientEvents,
  '/widget': widgetClientEvents,
} as const;
export type SocketNamespaceName = keyof typeof socketSurface;

/** The kinds of record an id in a path names. */
export type IdKind = 'bot' | 'document' | 'conversation' | 'lead' | 'webhook' | 'user' | 'invitation';

/**
 * The kind of id each path parameter takes: the first entry whose prefix the route's path starts with.
 * The isolation matrix fails on a route with a parameter no entry covers, until one does.
 */
const paramKinds: Array<[prefix: string, param: string, kind: IdKind]> = [
  ['/api/users/invitations/', 'id', 'invitation'],
  ['/api/users/', 'id', 'user'],
  ['/api/chatbots/', 'id', 'bot'],
  ['/api/documents/', 'id', 'document'],
  ['/api/conversations/', 'id', 'conversation'],
  ['/api/leads/', 'id', 'lead'],
  ['/api/webhooks/', 'id', 'webhook'],
  ['/api/public/', 'botId', 'bot'],
  ['/api/public/', 'conversationId', 'conversation'],
  ['/demo/', 'botId', 'bot'],
];

/** The kind of record the route's parameter names, if {@link paramKinds} knows it. */
export function idKindOf(route: RestRoute, param: string): IdKind | undefined {
  return paramKinds.find(([prefix, name]) => name === param && route.path.startsWith(prefix))?.[2];
}

/** A test server that also hands over what startServer keeps to itself: its Express app and Socket.IO server. */
export interface SurfaceServer extends TestServer {
  app: Express;
  io: Server;
}

/**
 * Starts a test server and gets hold of its Express app and its Socket.IO server, so that the surface is
 * read off the real composition (startServer's) and not off a copy of it that could drift. The Socket.IO
 * server is caught as it attaches to the HTTP server; the app from the first request it answers (Express
 * gives every request it handles a reference to itself, `req.app`), through Node's diagnostics channel.
 */
export async function startSurfaceServer(options: TestServerOptions = {}): Promise<SurfaceServer> {
  const attach = Server.prototype.attach;
  const attached: Server[] = [];
  Server.prototype.attach = function (this: Server, ...args: Parameters<typeof attach>) {
    attached.push(this);
    return attach.apply(this, args);
  };
  let server: TestServer;
  try {
    server = await startTestServer(options);
  } finally {
    Server.prototype.attach = attach;
  }
  const [io] = attached;
  if (!io || attached.length !== 1) throw new Error(`expected one Socket.IO server, saw ${attached.length}`);
  return { ...server, io, app: await expressAppOf(server, io) };
}

async function expressAppOf(server: TestServer, io: Server): Promise<Express> {
  let app: Express | undefined;
  const channel = 'http.server.response.finish';
  const onFinish = (message: unknown) => {
    const { request, server: http } = message as {
      request: IncomingMessage & { app?: Express };
      server: unknown;
    };
    if (http === io.httpServer && request.app) app = request.app;
  };
  subscribe(channel, onFinish);
  try {
    // Any route of the app does; the readiness check is one that answers without a login.
    await server.api.get('/api/health');
  } finally {
    unsubscribe(channel, onFinish);
  }
  if (!app) throw new Error('the test server answered without Express');
  return app;
}

/**
 * Every route of an Express 5 app, with its full path, found by walking its routers (router 2.x's
 * `listRoutes`). HEAD is left out: Express answers it with the GET route. Middleware is not a route and is
 * not listed (static files, which hold nothing of a tenant's), but a whole Express application mounted
 * inside is refused, since its routes would otherwise go unseen.
 */
export function restRoutes(app: Express): RestRoute[] {
  return routesOf((app as unknown as { router: IntrospectableRouter }).router, '');
}

function routesOf(router: IntrospectableRouter, prefix: string): RestRoute[] {
  if (!router.listRoutes) throw new Error(`the router at ${prefix || '/'} cannot list its routes`);
  const mountedApp = router.stack.find((layer) => layer.handle.name === 'mounted_app');
  if (mountedApp) {
    throw new Error(`an Express application is mounted at ${prefix}${String(mountedApp.rawPath)}`);
  }
  return router.listRoutes().flatMap(({ path, methods, router: mounted }) => {
    const full = joinPath(prefix, String(path));
    if (mounted) return routesOf(mounted, full);
    return (methods ?? []).filter((method) => method !== 'HEAD').map((method) => ({ method, path: full }));
  });
}

function joinPath(prefix: string, path: string): string {
  const joined = `${prefix}/${path}`.replace(/\/+/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}

/** A request to the surface: any method, path and body, as an attacker would send it. */
export interface SurfaceRequest {
  method: string;
  path: string;
  /** A staff access token or a visitor token, sent as `Authorization: Bearer`. */
  token?: string;
  query?: Record<string, string | string[] | undefined>;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as it is, with the headers given (a malformed body, a form, bytes). */
  rawBody?: RequestInit['body'];
  headers?: Record<string, string>;
}

/** An answer as it came: the status, the content type and the body as text (JSON, CSV, a PDF's bytes). */
export interface SurfaceReply {
  status: number;
  type: string;
  text: string;
}

/** Sends one request and reads the whole answer; one that takes longer than `timeoutMs` fails. */
export async function send(
  baseUrl: string,
  request: SurfaceRequest,
  timeoutMs = 10_000,
): Promise<SurfaceReply> {
  const url = new URL(request.path, baseUrl);
  for (const [name, value] of Object.entries(request.query ?? {})) {
    for (const each of [value ?? []].flat()) url.searchParams.append(name, each);
  }
  const headers: Record<string, string> = { ...request.headers };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  let body = request.rawBody;
  if (request.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(request.body);
  }
  const response = await fetch(url, {
    method: request.method,
    headers,
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    text: await response.text(),
  };
}

/** `GET /api/chatbots/:id`: how tables of the tests name a route. */
export const routeKey = (route: RestRoute) => `${route.method} ${route.path}`;

/** The names of a path pattern's parameters (`:id`, and path-to-regexp 8's wildcards `*path`). */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/[:*]([A-Za-z_$][\w$]*)/g)].map((match) => match[1]!);
}

/** The path with each parameter replaced by its value, URL-encoded (a lone surrogate, which no URL can hold, as U+FFFD). */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{?[:*]([A-Za-z_$][\w$]*)\}?/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for :${name} of ${path}`);
    return encodeURIComponent(value.toWellFormed());
  });
}

/** Names a socket emits on its own (connection life cycle), which no client sends. */
const reservedEvents = new Set(['disconnect', 'disconnecting', 'error', 'newListener', 'removeListener']);

/**
 * The events the server listens to on one connected socket (named by the client's socket id, which the
 * server's socket shares), the reserved ones aside: what its handlers registered.
 */
export function listenedEvents(io: Server, namespace: SocketNamespaceName, socketId: string): string[] {
  const socket = io.of(namespace).sockets.get(socketId);
  if (!socket) throw new Error(`no socket ${socketId} in ${namespace}`);
  return socket
    .eventNames()
    .filter((name): name is string => typeof name === 'string' && !reservedEvents.has(name))
    .sort();
}

/** A tenant with one record of every id kind, so hostile input to a route reaches past "not found". */
export interface SurfaceTenant {
  owner: AuthResponse;
  bot: BotView;
  visitor: { conversationId: string; visitorToken: string };
  ids: Record<IdKind, string>;
  /** The invitation's acceptance token. */
  invitationToken: string;
}

/** Registers a tenant with a published bot (limits raised for the attacks), a conversation with its
 * lead, a document, a webhook and an invitation; `label` tells its records apart in the database. */
export async function seedSurfaceTenant(server: TestServer, label: string): Promise<SurfaceTenant> {
  const owner = await buildTenant(server.api);
  const bot = await buildBot(server.api, owner.accessToken, {
    status: 'published',
    rateLimits: { perIpPerMinute: 1000, perMinute: 10_000 },
  });
  const visitor = await startConversation(server.api, bot.id);
  const lead = await server.api.request(
    'POST',
    `/api/public/conversation/${visitor.conversationId}/capture-lead`,
    {
      body: { email: `${label}-lead@example.com`, consent: true },
      headers: { authorization: `Bearer ${visitor.visitorToken}` },
    },
  );
  const document = await upload(server, owner.accessToken, bot.id, [
    { name: `${label}.txt`, bytes: Buffer.from(`A ${label} document: we open at nine.`), type: 'text/plain' },
  ]);
  const webhook = await server.api.post(
    '/api/webhooks',
    { url: `https://hooks.example.com/${label}`, events: ['document.failed'] },
    owner.accessToken,
  );
  const invitation = await server.api.post(
    '/api/users/invitations',
    { email: `${label}-invitee@example.com`, role: 'agent' },
    owner.accessToken,
  );
  return {
    owner,
    bot,
    visitor,
    ids: {
      bot: bot.id,
      conversation: visitor.conversationId,
      lead: lead.body.leadId,
      document: document.body.documents[0].id,
      webhook: webhook.body.id,
      invitation: invitation.body.invitation.id,
      user: owner.user.id,
    },
    invitationToken: invitation.body.token,
  };
}

import { randomUUID } from 'node:crypto';
import {
  fillPath,
  idKindOf,
  pathParams,
  routeKey,
  type IdKind,
  type RestRoute,
} from '../../testing/attack-surface';

/** What the scan may use: a seeded tenant's records and credentials, so every id and token is real. */
export interface ScanSeed {
  ids: Record<IdKind, string>;
  ownerEmail: string;
  ownerToken: string;
  /** The visitor of the conversation in `ids.conversation`. */
  visitorToken: string;
  /** A second visitor's conversation, for the routes that end or close one (the first stays open). */
  closable: { conversationId: string; visitorToken: string };
  refreshToken: string;
  invitationToken: string;
}

/** One request for the scanners, with the values to inject into marked. */
export interface ScanTarget {
  /** `POST /api/chatbots/:id/retrieval-test`, or with a suffix when a route has more than one target. */
  name: string;
  method: string;
  /** The path with real ids. */
  path: string;
  /** Path parameters to inject into (their values are in `path`). */
  pathValues: string[];
  query: Record<string, string>;
  /** A JSON body (its string values are injected into), or a multipart form of text fields. */
  body?: { json: Record<string, unknown> } | { form: Record<string, string> };
  token?: string;
  /** Inject into the bearer token instead of the parameters. */
  injectAuthorization?: boolean;
  /** Send the query and body as they are, injecting into the path only. */
  pathOnly?: boolean;
  /** Also try time-based blind injection (slow: kept to a few free-text filters). */
  timeBased?: boolean;
  /** Why the route answers 429 to part of the scan: a limit that no setting raises. */
  limited?: string;
}

type Inputs = Pick<ScanTarget, 'query' | 'body' | 'timeBased' | 'limited'>;

const password = 'correct horse battery staple';
const range = (seed: ScanSeed) => ({ from: '2024-01-01', to: '2024-06-30', botId: seed.ids.bot });

/**
 * A valid query or body of each route that takes one: the scan injects into each of its string values,
 * and a valid request otherwise gets past the schema to the handler and the database. A route not listed
 * here is scanned through its path parameters only; {@link unscanned} lists the routes with neither.
 */
const inputs: Record<string, (seed: ScanSeed) => Partial<Inputs>> = {
  'POST /api/auth/register': () => ({
    body: {
      json: { email: `scan-${randomUUID()}@example.com`, password, name: 'Scan', companyName: 'Scan Co' },
    },
  }),
  'POST /api/auth/login': (seed) => ({ body: { json: { email: seed.ownerEmail, password } } }),
  'POST /api/auth/refresh': (seed) => ({ body: { json: { refreshToken: seed.refreshToken } } }),
  'POST /api/auth/accept-invitation': (seed) => ({
    body: { json: { token: seed.invitationToken, name: 'Invitee', password } },
  }),
  'GET /api/chatbots': () => ({
    query: { search: 'bot', status: 'published', limit: '10', offset: '0' },
  }),
  'POST /api/chatbots': () => ({
    body: { json: { name: 'Scanned bot', description: 'd', instructions: 'Be brief.' } },
  }),
  'PATCH /api/chatbots/:id': () => ({
    body: { json: { welcomeMessage: 'Hello', appearance: { botName: 'Scanner' } } },
  }),
  'POST /api/chatbots/:id/retrieval-test': () => ({ body: { json: { query: 'opening hours', limit: 3 } } }),
  'POST /api/public/conversation/:botId/start': () => ({
    body: { json: { referrer: 'https://example.com/page', language: 'en-GB' } },
  }),
  'POST /api/public/chat/:botId': (seed) => ({
    body: { json: { conversationId: seed.ids.conversation, message: 'Hello', clientMessageId: 'scan-0001' } },
  }),
  'POST /api/public/conversation/:conversationId/capture-lead': () => ({
    body: {
      json: { email: 'scan-lead@example.com', name: 'Lead', phone: '+44 20 7946 0000', company: 'Co' },
    },
  }),
  'GET /api/conversations': (seed) => ({
    query: {
      botId: seed.ids.bot,
      search: 'hello',
      mode: 'bot',
      open: 'true',
      from: '2024-01-01T00:00:00Z',
      limit: '10',
      offset: '0',
    },
  }),
  'POST /api/conversations/:id/messages': () => ({
    body: { json: { text: 'An agent writes', clientMessageId: 'scan-0002' } },
  }),
  'POST /api/documents/upload': (seed) => ({ body: { form: { botId: seed.ids.bot } } }),
  'POST /api/documents/url': (seed) => ({
    body: { json: { botId: seed.ids.bot, url: 'https://scan.invalid/page' } },
  }),
  'GET /api/documents': (seed) => ({
    query: { botId: seed.ids.bot, search: 'scan', status: 'completed', limit: '10', offset: '0' },
  }),
  'POST /api/users/invitations': () => ({
    body: { json: { email: `scan-${randomUUID()}@example.com`, role: 'agent' } },
  }),
  'PATCH /api/users/:id': () => ({ body: { json: { role: 'owner' } } }),
  'GET /api/leads': (seed) => ({
    query: { botId: seed.ids.bot, search: 'scan', status: 'new', limit: '10', offset: '0' },
    timeBased: true,
  }),
  'GET /api/leads/export.csv': () => ({ query: { search: 'scan', status: 'new' } }),
  'PATCH /api/leads/:id': () => ({ body: { json: { status: 'contacted' } } }),
  'POST /api/leads/:id/notes': () => ({ body: { json: { text: 'A note' } } }),
  ...Object.fromEntries(
    ['summary', 'timeseries', 'export.csv', 'leads'].map((name) => [
      `GET /api/analytics/${name}`,
      (seed: ScanSeed) => ({ query: range(seed) }),
    ]),
  ),
  'GET /api/analytics/unanswered': (seed) => ({ query: { ...range(seed), limit: '10' } }),
  'GET /api/privacy/export': () => ({ query: { email: 'scan-lead@example.com' } }),
  'POST /api/privacy/erase': () => ({ body: { json: { email: 'nobody@example.com' } } }),
  'PATCH /api/privacy/retention': () => ({ body: { json: { retentionDays: 3650 } } }),
  'POST /api/webhooks': () => ({
    body: { json: { url: 'https://hooks.example.com/scan', events: ['lead.created'], description: 'd' } },
  }),
  'PATCH /api/webhooks/:id': () => ({ body: { json: { description: 'Renamed' } } }),
  'GET /api/webhooks': () => ({ query: { limit: '10', offset: '0' } }),
  'GET /api/webhooks/:id/deliveries': () => ({ query: { limit: '5', offset: '0' } }),
  'POST /api/assistant/ask': () => ({
    body: { json: { question: 'How many leads this month?' } },
    limited: 'the assistant takes 20 questions a minute per user, whatever the deployment sets',
  }),
};

/**
 * Routes with nothing to inject into but the bearer token, which the Authorization targets cover, and
 * why each is left out. An entry of a route that is gone fails the scan, like a route missing from both.
 */
export const unscanned: Record<string, string> = {
  'GET /metrics': 'no parameters; the Prometheus text holds no tenant data',
  'GET /api/health': 'no parameters',
  'POST /api/auth/logout': 'no parameters; its first request ends the session it is called with',
  'GET /api/me': 'no parameters; scanned through its Authorization header',
  'GET /api/conversations/live': 'no parameters',
  'GET /api/users': 'no parameters',
  'GET /api/leads/assignees': 'no parameters',
  'GET /api/privacy/retention': 'no parameters',
  'GET /api/assistant/status': 'no parameters',
  'GET /demo': 'no parameters',
  'GET /': 'no parameters; redirects to the dashboard',
  'GET /admin/{*path}': "the dashboard's index.html whatever the path; wapiti crawls it",
};

/** Routes there only when the dashboard is built (see app.ts): no stale entries when it is not. */
const dashboardRoutes = ['GET /', 'GET /admin/{*path}'];

/** Routes whose handler ends or closes the conversation it names: given the second visitor's. */
const closing =
  /^POST \/api\/(public\/conversation\/:conversationId\/end|conversations\/:id\/(close|takeover|release))\b/;

function tokenFor(route: RestRoute, seed: ScanSeed): string | undefined {
  if (route.path === '/api/public/conversation/:conversationId/end') return seed.closable.visitorToken;
  if (route.path.startsWith('/api/public/')) return seed.visitorToken;
  if (route.path.startsWith('/api/auth/') || route.path.startsWith('/demo') || route.path === '/metrics') {
    return undefined;
  }
  return seed.ownerToken;
}

/**
 * The scan targets of the route table: every route with a parameter, with the seeded tenant's ids in its
 * path (a random id for deletions, so the records stay for the rest of the scan) and its valid inputs;
 * plus the bearer token of a staff route and of a visitor route.
 * @throws when a route is neither scanned nor in {@link unscanned}, or an entry names no route
 */
export function scanTargets(routes: RestRoute[], seed: ScanSeed): ScanTarget[] {
  const keys = routes.map(routeKey);
  const stale = [...Object.keys(inputs), ...Object.keys(unscanned)].filter(
    (key) => !keys.includes(key) && !dashboardRoutes.includes(key),
  );
  if (stale.length) throw new Error(`scan entries of routes that are gone: ${stale.join(', ')}`);
  const targets: ScanTarget[] = [];
  for (const route of routes) {
    const key = routeKey(route);
    const params = pathParams(route.path);
    const given = inputs[key]?.(seed) ?? {};
    if (unscanned[key]) continue;
    if (!params.length && !given.query && !given.body) {
      throw new Error(`${key} has no scan inputs: add them, or say in unscanned why it needs none`);
    }
    const values = Object.fromEntries(
      params.map((param) => {
        const kind = idKindOf(route, param);
        if (route.method === 'DELETE' || !kind) return [param, randomUUID()];
        if (closing.test(key)) return [param, seed.closable.conversationId];
        return [param, seed.ids[kind]];
      }),
    );
    const target: ScanTarget = {
      name: key,
      method: route.method,
      path: fillPath(route.path, values),
      pathValues: Object.values(values),
      query: given.query ?? {},
      body: given.body,
      token: tokenFor(route, seed),
      timeBased: given.timeBased,
      limited: given.limited,
    };
    // sqlmap names a PATCH's path and body points alike and tests only one: they get a target each.
    if (route.method === 'PATCH' && params.length && given.body) {
      targets.push({ ...target, pathValues: [] }, { ...target, name: `${key} (path)`, pathOnly: true });
    } else {
      targets.push(target);
    }
  }
  const authorization = (name: string, path: string, token: string): ScanTarget => ({
    name: `${name} (Authorization)`,
    method: 'GET',
    path,
    pathValues: [],
    query: {},
    token,
    injectAuthorization: true,
  });
  targets.push(
    authorization('GET /api/me', '/api/me', seed.ownerToken),
    authorization('GET /api/chatbots', '/api/chatbots', seed.ownerToken),
  );
  targets.push({
    ...authorization('POST /api/public/conversation/:conversationId/end', '', seed.closable.visitorToken),
    method: 'POST',
    path: `/api/public/conversation/${seed.closable.conversationId}/end`,
  });
  // The routes that end a conversation or a session go last, so that the others find theirs open.
  return targets.sort((a, b) => Number(closing.test(a.name)) - Number(closing.test(b.name)));
}

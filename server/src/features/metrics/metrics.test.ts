import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AuthResponse, BotView, MessageDone } from '@chatbot/shared';
import { metricsRegistry, parseMetrics, sumSamples, type MetricSample } from '@chatbot/shared/platform';
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeOpenAI } from '@chatbot/shared/testing';
import { parse as parseYaml } from 'yaml';
import { buildBot, buildTenant } from '../../testing/factories';
import { connectWidget, nextEvent, openChat, request, type WidgetSocket } from '../../testing/chat-clients';
import { teach } from '../../testing/documents';
import { startTestServer, type TestServer } from '../../testing/test-server';

const metricsToken = 'metrics-token-0123456789abcdef';
const monitoring = (file: string) => new URL(`../../../../deploy/monitoring/${file}`, import.meta.url);

describe('metrics at /metrics', () => {
  let fake: FakeOpenAI;
  let server: TestServer;
  let owner: AuthResponse;
  let bot: BotView;
  const sockets: WidgetSocket[] = [];

  const scrape = async (): Promise<MetricSample[]> => {
    const response = await fetch(`${server.url}/metrics`, {
      headers: { authorization: `Bearer ${metricsToken}` },
    });
    assert.equal(response.status, 200);
    return parseMetrics(await response.text());
  };
  /** How much each sample moved between two scrapes. */
  const moved =
    (before: MetricSample[], after: MetricSample[]) =>
    (name: string, labels: Record<string, string> = {}) =>
      sumSamples(after, name, labels) - sumSamples(before, name, labels);

  before(async () => {
    fake = await startFakeOpenAI();
    server = await startTestServer({ env: { OPENAI_BASE_URL: fake.url, METRICS_TOKEN: metricsToken } });
    owner = await buildTenant(server.api);
    bot = await buildBot(server.api, owner.accessToken, {
      status: 'published',
      openaiApiKey: FAKE_OPENAI_KEY,
      model: 'gpt-4o-mini',
      rateLimits: { perIpPerMinute: 1000, perMinute: 1000 },
    });
    await teach(server, owner.accessToken, bot.id, 'policies.txt', 'Refunds are accepted within 30 days.');
  });
  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));
  after(async () => {
    await server.stop();
    await fake.stop();
  });

  it('answers only the metrics token when METRICS_TOKEN is set', async () => {
    const open = await fetch(`${server.url}/metrics`);
    assert.equal(open.status, 401);
    assert.equal(open.headers.get('www-authenticate'), 'Bearer realm="metrics"');
    const wrong = await fetch(`${server.url}/metrics`, {
      headers: { authorization: 'Bearer not-the-token' },
    });
    assert.equal(wrong.status, 401);
    const right = await fetch(`${server.url}/metrics`, {
      headers: { authorization: `Bearer ${metricsToken}` },
    });
    assert.equal(right.status, 200);
    assert.match(right.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await right.text();
    // The default process metrics, under their standard names.
    assert.match(text, /^process_cpu_seconds_total \d/m);
    assert.match(text, /^nodejs_eventloop_lag_seconds \d/m);
  });

  it('counts requests by route pattern and status, never by raw URL, and times them', async () => {
    const before = await scrape();
    const missing = randomUUID();
    for (const id of [bot.id, bot.id, missing])
      await server.api.get(`/api/chatbots/${id}`, owner.accessToken);
    await server.api.get(`/api/chatbots/${bot.id}`);
    await server.api.get(`/api/no-such-route/${bot.id}`);
    const outside = await server.api.get(`/no-such-page/${bot.id}`);
    assert.equal(outside.status, 404);
    const after = await scrape();
    const delta = moved(before, after);
    const route = '/api/chatbots/:id';
    assert.equal(delta('chatbot_http_requests_total', { method: 'GET', route, status_code: '200' }), 2);
    assert.equal(delta('chatbot_http_requests_total', { method: 'GET', route, status_code: '404' }), 1);
    // Refused before any route: named after the router it reached, and unknown routes share one label.
    assert.equal(delta('chatbot_http_requests_total', { route: '/api/chatbots/*', status_code: '401' }), 1);
    assert.equal(delta('chatbot_http_requests_total', { route: 'unmatched', status_code: '404' }), 2);
    assert.equal(delta('chatbot_http_request_duration_seconds_count', { method: 'GET', route }), 3);
    const routes = after.map((sample) => sample.labels.route ?? '');
    assert.equal(routes.filter((label) => label.includes(bot.id) || label.includes(missing)).length, 0);
    // The scrapes themselves are not counted.
    assert.equal(routes.includes('/metrics'), false);
  });

  it('counts a request refused by a rate limit under its limiter', async () => {
    const before = await scrape();
    let response: Awaited<ReturnType<typeof server.api.post>> | undefined;
    // Ten sign-ups an hour from one address; the owner's was the first.
    for (let i = 0; i < 12 && response?.status !== 429; i++) {
      response = await server.api.post('/api/auth/register', {
        email: `limited-${i}-${randomUUID()}@example.com`,
        password: 'correct horse battery staple',
        name: 'Limited',
        companyName: `Limited ${i}`,
      });
    }
    assert.equal(response?.status, 429);
    // Which limit refused it, in the IETF draft's headers, beside Retry-After.
    assert.equal(response.headers.get('ratelimit-limit'), '10');
    assert.equal(response.headers.get('ratelimit-remaining'), '0');
    assert.ok(Number(response.headers.get('retry-after')) > 0);
    const delta = moved(before, await scrape());
    assert.equal(delta('chatbot_rate_limit_rejections_total', { limiter: 'sign-up-ip' }), 1);
    assert.equal(
      delta('chatbot_http_requests_total', { route: '/api/auth/register/*', status_code: '429' }),
      1,
    );
  });

  it('counts a visitor refused by the bot’s per-address limit', async () => {
    const strict = await buildBot(server.api, owner.accessToken, {
      status: 'published',
      rateLimits: { perIpPerMinute: 1, perMinute: 1000 },
    });
    const before = await scrape();
    const start = () => server.api.post(`/api/public/conversation/${strict.id}/start`);
    assert.notEqual((await start()).status, 429);
    assert.equal((await start()).status, 429);
    const delta = moved(before, await scrape());
    assert.equal(delta('chatbot_rate_limit_rejections_total', { limiter: 'visitor-ip' }), 1);
  });

  it('counts socket connections and events by outcome', async () => {
    const before = await scrape();
    const chat = await openChat(server.api, bot.id);
    sockets.push(chat.socket);
    const during = await scrape();
    assert.equal(moved(before, during)('chatbot_socket_connections', { namespace: '/widget' }), 1);

    const invalid = await request(chat.socket, 'message:send', { conversationId: chat.conversationId });
    assert.equal(invalid.ok, false);
    chat.socket.emit('typing', { conversationId: chat.conversationId, isTyping: true });
    (chat.socket as unknown as { emit(event: string): void }).emit('made-up-event');
    await new Promise((resolve) => setTimeout(resolve, 200));
    chat.socket.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const delta = moved(before, await scrape());
    const widget = { namespace: '/widget' };
    assert.equal(delta('chatbot_socket_connections', widget), 0);
    assert.equal(
      delta('chatbot_socket_events_total', { ...widget, event: 'conversation:join', outcome: 'ok' }),
      1,
    );
    assert.equal(
      delta('chatbot_socket_events_total', {
        ...widget,
        event: 'message:send',
        outcome: 'validation_failed',
      }),
      1,
    );
    assert.equal(delta('chatbot_socket_events_total', { ...widget, event: 'typing', outcome: 'no_ack' }), 1);
    assert.equal(delta('chatbot_socket_events_total', { ...widget, event: 'unknown', outcome: 'no_ack' }), 1);
  });

  it('records an answer: tokens and cost by bot, time to first token, retrieval, then a cache hit', async () => {
    fake.replyWith('Refunds are accepted within 30 days [1].');
    const before = await scrape();
    const first = await openChat(server.api, bot.id);
    sockets.push(first.socket);
    const answer: MessageDone = await first.ask('How long do I have for a refund?');
    const middle = await scrape();
    const delta = moved(before, middle);
    const ofBot = { bot_id: bot.id };
    assert.ok(answer.usage.promptTokens > 0);
    assert.equal(delta('chatbot_llm_tokens_total', { ...ofBot, kind: 'prompt' }), answer.usage.promptTokens);
    assert.equal(
      delta('chatbot_llm_tokens_total', { ...ofBot, kind: 'completion' }),
      answer.usage.completionTokens,
    );
    assert.ok(Math.abs(delta('chatbot_llm_cost_usd_total', ofBot) - answer.usage.costUsd) < 1e-12);
    assert.ok(answer.usage.costUsd > 0);
    assert.equal(delta('chatbot_time_to_first_token_seconds_count', { source: 'model' }), 1);
    assert.ok(delta('chatbot_retrieval_duration_seconds_count') >= 1);
    assert.equal(delta('chatbot_cache_lookups_total', { cache: 'answer', result: 'miss' }), 1);

    // The same first question in another conversation comes from the answer cache.
    const second = await openChat(server.api, bot.id);
    sockets.push(second.socket);
    const again = nextEvent<MessageDone>(second.socket, 'message:done');
    await second.say('how long do I have for a refund');
    assert.equal((await again).content, answer.content);
    const cached = moved(middle, await scrape());
    assert.equal(cached('chatbot_cache_lookups_total', { cache: 'answer', result: 'hit' }), 1);
    assert.equal(cached('chatbot_time_to_first_token_seconds_count', { source: 'cache' }), 1);
    assert.equal(cached('chatbot_llm_tokens_total', ofBot), 0);
    assert.ok(cached('chatbot_cache_lookups_total', { cache: 'bot-config', result: 'hit' }) >= 1);
  });

  it('reports the queue depth of the in-process queue by job name', async () => {
    const samples = await scrape();
    const names = samples
      .filter((sample) => sample.name === 'chatbot_queue_depth')
      .map((s) => s.labels.job_name);
    assert.ok(names.includes('document.index') && names.includes('webhook.deliver'), String(names));
  });

  it('a widget socket refused at the handshake is not counted as a connection', async () => {
    const before = await scrape();
    await assert.rejects(connectWidget(server.url, { botId: bot.id, visitorToken: 'not-a-token' }));
    assert.equal(moved(before, await scrape())('chatbot_socket_connections', { namespace: '/widget' }), 0);
  });
});

describe('monitoring files (deploy/monitoring)', () => {
  /** The metric names a PromQL expression reads, read loosely: identifiers of ours, series suffixes cut. */
  const metricNames = (expression: string) =>
    [...expression.matchAll(/\bchatbot_[a-z0-9_]+/g)].map(([name]) =>
      name.replace(/_(bucket|sum|count)$/, ''),
    );

  const registered = async () =>
    new Set([...(await metricsRegistry.metrics()).matchAll(/^# TYPE (\S+) /gm)].map(([, name]) => name!));

  it('alert rules read only metrics the platform exports', async () => {
    const rules = parseYaml(readFileSync(monitoring('alert-rules.yml'), 'utf8')) as {
      groups: Array<{ rules: Array<{ alert?: string; expr: string }> }>;
    };
    const expressions = rules.groups.flatMap((group) => group.rules.map((rule) => rule.expr));
    assert.ok(expressions.length >= 4, `${expressions.length} rules`);
    const known = await registered();
    const used = expressions.flatMap(metricNames);
    assert.ok(used.length >= 3);
    assert.deepEqual(
      used.filter((name) => !known.has(name)),
      [],
    );
  });

  it('the Grafana dashboard reads only metrics the platform exports, from the DS_PROMETHEUS input', async () => {
    const dashboard = JSON.parse(readFileSync(monitoring('grafana-dashboard.json'), 'utf8')) as {
      __inputs: Array<{ name: string; type: string; pluginId: string }>;
      panels: Array<{ title: string; type: string; targets?: Array<{ expr: string }>; datasource?: unknown }>;
    };
    assert.deepEqual(
      dashboard.__inputs.map((input) => [input.name, input.type, input.pluginId]),
      [['DS_PROMETHEUS', 'datasource', 'prometheus']],
    );
    const graphs = dashboard.panels.filter((panel) => panel.type !== 'row');
    assert.ok(graphs.length >= 12, `${graphs.length} panels`);
    const known = await registered();
    for (const panel of graphs) {
      assert.deepEqual(panel.datasource, { type: 'prometheus', uid: '${DS_PROMETHEUS}' }, panel.title);
      const used = (panel.targets ?? []).flatMap((target) => metricNames(target.expr));
      assert.ok(used.length > 0, `${panel.title} reads no metric of ours`);
      assert.deepEqual(
        used.filter((name) => !known.has(name)),
        [],
        panel.title,
      );
    }
  });
});

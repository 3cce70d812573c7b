import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthResponse, BotView, DocumentView, MessageDone } from '@chatbot/shared';
import { parseMetrics, sumSamples } from '@chatbot/shared/platform';
import { ApiClient } from './testing/api-client';
import {
  clientMessageId,
  connectWidget,
  nextEvent,
  requestOk,
  startConversation,
} from './testing/chat-clients';
import { waitForStatus } from './testing/documents';
import { buildBot, buildTenant } from './testing/factories';
import { freePort } from './testing/free-port';
import { waitForOutput } from './testing/process-exit';
import { startServerProcess, stopProcess, type NodeProcess } from './testing/processes';
import { startScaledServices, startWorkerProcess, type ScaledServices } from './testing/scaled-deployment';

type LogLine = Record<string, unknown> & { msg?: string; requestId?: string };

/** The JSON lines a process printed (the start-up banner and other text skipped). */
function logLines(node: NodeProcess): LogLine[] {
  return node
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

/** Polls a process's log until a line passes `match`. */
async function lineOf(node: NodeProcess, match: (line: LogLine) => boolean, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = logLines(node).find(match);
    if (line) return line;
    if (Date.now() > deadline) throw new Error(`no such line within ${timeoutMs} ms:\n${node.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Uploads one text file with the given X-Request-Id, as a proxy in front would send it. */
async function uploadWithId(api: ApiClient, token: string, botId: string, requestId: string) {
  const form = new FormData();
  form.append('botId', botId);
  form.append('file', new Blob([Buffer.from('Refunds are paid within five working days.')]), 'policy.txt');
  const response = await fetch(`${api.baseUrl}/api/documents/upload`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${token}`, 'x-request-id': requestId },
  });
  assert.equal(response.status, 202);
  assert.equal(response.headers.get('x-request-id'), requestId);
  return ((await response.json()) as { documents: DocumentView[] }).documents[0]!;
}

describe('logs: one correlation id from a request through the queue into the worker', function () {
  this.timeout(120_000);
  let services: ScaledServices;
  let server: NodeProcess & { url: string };
  let worker: NodeProcess;
  let metricsPort: number;
  const metricsToken = randomBytes(16).toString('hex');

  before(async () => {
    services = await startScaledServices();
    server = await startServerProcess(services.env);
    metricsPort = await freePort();
    worker = await startWorkerProcess({
      ...services.env,
      METRICS_PORT: String(metricsPort),
      METRICS_TOKEN: metricsToken,
    });
  });
  after(async () => {
    await Promise.all([server, worker].filter(Boolean).map((node) => stopProcess(node.child)));
    await services?.stop();
  });

  it('shows the X-Request-Id of an upload on the server’s request line and on the worker’s lines of its job', async () => {
    const api = new ApiClient(server.url);
    const owner = await buildTenant(api);
    const bot = await buildBot(api, owner.accessToken);
    const requestId = `upload-${randomBytes(8).toString('hex')}`;
    const document = await uploadWithId(api, owner.accessToken, bot.id, requestId);
    const done = await waitForStatus({ url: server.url, api }, owner.accessToken, document.id, [
      'completed',
      'failed',
    ]);
    assert.equal(done.status, 'completed', done.error ?? '');

    const requestLine = await lineOf(
      server,
      (line) => line.msg === 'request completed' && line.requestId === requestId,
    );
    assert.deepEqual(
      [(requestLine.req as { id: string }).id, (requestLine.req as { url: string }).url],
      [requestId, '/api/documents/upload'],
    );
    const jobLine = await lineOf(
      worker,
      (line) => line.msg === 'job completed' && line.requestId === requestId,
    );
    assert.equal(jobLine.job, 'document.index');
    assert.equal(jobLine.attempt, 1);
    assert.ok(jobLine.jobId);
    // Every worker line of that job carries the id, and no line of any other job does.
    const ofJob = logLines(worker).filter((line) => line.jobId === jobLine.jobId);
    assert.ok(ofJob.length >= 1);
    assert.deepEqual([...new Set(ofJob.map((line) => line.requestId))], [requestId]);
  });

  it('serves the worker’s own metrics on METRICS_PORT, behind METRICS_TOKEN', async () => {
    const url = `http://127.0.0.1:${metricsPort}/metrics`;
    assert.equal((await fetch(url)).status, 401);
    const response = await fetch(url, { headers: { authorization: `Bearer ${metricsToken}` } });
    assert.equal(response.status, 200);
    const samples = parseMetrics(await response.text());
    const completed = { job_name: 'document.index', outcome: 'completed' };
    assert.ok(sumSamples(samples, 'chatbot_job_duration_seconds_count', completed) >= 1);
    assert.equal(sumSamples(samples, 'chatbot_queue_depth', { job_name: 'document.index' }), 0);
    assert.ok(sumSamples(samples, 'process_cpu_seconds_total') > 0);
  });
});

/** Personal data a visitor may well type, and a secret someone pastes by mistake. */
const secrets = {
  email: 'ada.visitor@example.org',
  phone: '+1 415 555 0100',
  ip: '203.0.113.42',
  key: 'sk-proj-Zx9Yw8Vu7Ts6Rq5Po4Nm',
};
/** Words of the visitor's message that are in no document and in no other log line. */
const bodyMarker = 'periwinkle-zeppelin';

/**
 * An embedded server (SQLite, in-process jobs) in its own process at `level`, through which a visitor
 * writes personal data in a message, an admin looks a visitor up by email, and a URL import is refused
 * with an address in its error.
 */
async function embeddedFlow(services: ScaledServices, level: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'logs-'));
  const { MASTER_KEY, JWT_SECRET, CHROMA_URL } = services.env;
  const server = await startServerProcess({
    DATA_DIR: dataDir,
    MASTER_KEY,
    JWT_SECRET,
    CHROMA_URL,
    LOG_LEVEL: level,
  });
  try {
    const api = new ApiClient(server.url);
    const owner: AuthResponse = await buildTenant(api);
    const bot: BotView = await buildBot(api, owner.accessToken, {
      status: 'published',
      rateLimits: { perIpPerMinute: 1000, perMinute: 1000 },
    });
    const started = await startConversation(api, bot.id);
    const socket = await connectWidget(server.url, { botId: bot.id, visitorToken: started.visitorToken });
    try {
      await requestOk(socket, 'conversation:join', { conversationId: started.conversationId });
      const answered = nextEvent<MessageDone>(socket, 'message:done');
      await requestOk(socket, 'message:send', {
        conversationId: started.conversationId,
        text: `My ${bodyMarker} broke. Mail ${secrets.email}, call ${secrets.phone}, I am at ${secrets.ip}, my key is ${secrets.key}`,
        clientMessageId: clientMessageId(),
      });
      await answered;
    } finally {
      socket.close();
    }
    const lookup = await api.get(
      `/api/privacy/export?email=${encodeURIComponent(secrets.email)}`,
      owner.accessToken,
    );
    assert.equal(lookup.status, 200);
    const imported = await api.post<DocumentView>(
      '/api/documents/url',
      { botId: bot.id, url: `http://${secrets.ip}/catalogue` },
      owner.accessToken,
    );
    assert.equal(imported.status, 202);
    const refused = await waitForStatus({ url: server.url, api }, owner.accessToken, imported.body.id, [
      'failed',
    ]);
    assert.match(refused.error ?? '', /private|address/);
    await waitForOutput(server, /"msg":"indexing failed"/);
    return server;
  } catch (error) {
    await stopProcess(server.child);
    throw error;
  } finally {
    // The process keeps its output; its data directory can go once it has stopped.
    server.child.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  }
}

describe('logs: socket events, redaction of personal data and message bodies (embedded mode)', function () {
  this.timeout(120_000);
  let services: ScaledServices;
  let debug: NodeProcess;
  let info: NodeProcess;

  before(async () => {
    services = await startScaledServices();
    debug = await embeddedFlow(services, 'debug');
    info = await embeddedFlow(services, 'info');
  });
  after(async () => {
    await Promise.all([debug, info].filter(Boolean).map((node) => stopProcess(node.child)));
    await services?.stop();
  });

  it('gives each socket event its own id, shared by every line it causes, the answer included', () => {
    const lines = logLines(debug);
    const sent = lines.find((line) => line.msg === 'socket event' && line.socketEvent === 'message:send');
    assert.ok(sent, debug.output());
    const ofSend = lines.filter((line) => line.requestId === sent.requestId);
    // The event's own line, its SQL and the bot's answer written after the ack.
    assert.ok(ofSend.length >= 5, `${ofSend.length} lines`);
    assert.deepEqual([...new Set(ofSend.map((line) => line.socketEvent))], ['message:send']);
    assert.ok(ofSend.some((line) => typeof line.sql === 'string' && /messages/.test(line.sql)));
    const joined = lines.find(
      (line) => line.msg === 'socket event' && line.socketEvent === 'conversation:join',
    );
    assert.ok(joined?.requestId && joined.requestId !== sent.requestId);
  });

  it('follows a URL import from its request into the in-process job', () => {
    const lines = logLines(info);
    const request = lines.find(
      (line) =>
        line.msg === 'request completed' && (line.req as { url?: string }).url === '/api/documents/url',
    );
    assert.ok(request?.requestId, info.output());
    const failure = lines.find((line) => line.msg === 'indexing failed');
    assert.deepEqual(
      [failure?.requestId, failure?.job, failure?.attempt],
      [request.requestId, 'document.index', 1],
    );
  });

  it('leaves no email, phone number, IP address or API key in the logs, at debug level or not', () => {
    for (const [level, node] of [
      ['debug', debug],
      ['info', info],
    ] as const) {
      const output = node.output();
      for (const [what, value] of Object.entries(secrets)) {
        assert.equal(output.includes(value), false, `${what} in the ${level} log`);
      }
      assert.equal(output.includes(encodeURIComponent(secrets.email)), false, `the query's email (${level})`);
    }
    // Where they were: the request line keeps the path and the parameter's name; the error keeps its words.
    const lookup = logLines(info).find((line) =>
      String((line.req as { url?: string })?.url).startsWith('/api/privacy'),
    );
    assert.equal((lookup?.req as { url: string }).url, '/api/privacy/export?email=[redacted]');
    const failure = logLines(info).find((line) => line.msg === 'indexing failed');
    assert.match(JSON.stringify(failure?.err), /\[redacted ip\] is a private or local address/);
  });

  it('writes what the visitor wrote at debug level only', () => {
    assert.equal(info.output().includes(bodyMarker), false);
    const sent = logLines(debug).find(
      (line) => line.msg === 'socket event' && line.socketEvent === 'message:send',
    );
    assert.equal(
      (sent?.payload as { text?: string }).text,
      `My ${bodyMarker} broke. Mail [redacted email], call [redacted phone], I am at [redacted ip], my key is [redacted key]`,
    );
  });
});

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OfflineEmbedder } from '../ai/offline-embedder';

/**
 * A stand-in for api.openai.com for tests, where nothing reaches the internet: a real HTTP server that
 * speaks OpenAI's wire format closely enough for the official `openai` SDK (give it `baseURL: fake.url`),
 * so the SDK's own retries, base64 decoding, SSE parsing and error classes are what the tests exercise.
 */
export interface FakeOpenAI {
  /** Base URL for the SDK, e.g. `http://127.0.0.1:41234/v1`. */
  readonly url: string;
  /** Keys answered normally; any other Bearer token gets OpenAI's 401. Tests may add or remove keys. */
  readonly validKeys: Set<string>;
  /** Every request received, in order, faults included. */
  readonly requests: FakeOpenAIRequest[];
  /**
   * The next `count` requests (any path, before the key is checked) get `status` with OpenAI's error
   * body for it: 429 a rate-limit error (`code: 'insufficient_quota'` for the out-of-credit kind),
   * 5xx a server error. `retryAfterSeconds`/`retryAfterMs` add `retry-after`/`retry-after-ms`, which the
   * SDK obeys - keep them small.
   */
  failNext(count: number, status: number, options?: FailOptions): void;
  /**
   * The next `count` requests (any path, before faults and the key check) hang: they get a stream's
   * response headers (or, with `headers: false`, nothing at all; or, with `afterDeltas`, the start of a
   * streamed chat answer) and then no more bytes, until the client gives up or {@link stop} is called.
   */
  hangNext(count: number, options?: HangOptions): void;
  /** Changes the pause between streamed chunks from now on (it starts as `streamDelayMs`). */
  setStreamDelay(ms: number): void;
  /**
   * Whether streamed chat answers leave out the usage chunk even when `stream_options.include_usage`
   * asks for it, as some OpenAI-compatible servers do (default false).
   */
  omitUsage(omit: boolean): void;
  /** The assistant's answer to every chat completion from now on; `null` restores echoing the last user message. */
  replyWith(text: string | null): void;
  /**
   * Answers every chat completion from now on with a reply made from its request (after any
   * {@link queueReplies} are used up, before {@link replyWith}), so concurrent requests each get their own,
   * e.g. to play a model that repeats its whole prompt; `null` stops it.
   */
  replyUsing(answer: ((request: FakeOpenAIRequest) => FakeChatReply) | null): void;
  /**
   * Scripts the next chat completions, one reply each, in order (streamed or not, as each request asks);
   * once they are used up, {@link replyWith}'s text or the echo answers again. A reply with `toolCalls`
   * ends with `finish_reason: 'tool_calls'`, so a test can play a model that calls functions and then, in
   * the next reply, answers from the `tool` messages it was sent back (a function reply reads them from
   * the request: `request.body.messages`; the tools offered are in `request.body.tools`).
   */
  queueReplies(...replies: FakeChatScript[]): void;
  /**
   * Forgets requests, pending faults and hangs, the scripted replies (and {@link replyUsing}), omitted usage and a changed stream
   * delay; the valid keys stay.
   */
  reset(): void;
  /** Closes the server and every connection the SDK keeps alive. */
  stop(): Promise<void>;
}

/** A request as the fake saw it; `body` is the parsed JSON (or the raw text if it was not JSON). */
export interface FakeOpenAIRequest {
  method: string;
  path: string;
  body: any;
  headers: IncomingHttpHeaders;
  /** `performance.now()` on arrival, to measure the SDK's waits between retries. */
  receivedAt: number;
}

/** One scripted answer of the model (see {@link FakeOpenAI.queueReplies}). */
export interface FakeChatReply {
  /** The assistant's text; none by default when it calls tools. */
  content?: string;
  /** Functions the model calls; each gets an id (`call_…`) unless it names its own. */
  toolCalls?: FakeToolCall[];
}

/** A function call in a scripted reply; `arguments` is sent as JSON text, as OpenAI sends it. */
export interface FakeToolCall {
  id?: string;
  name: string;
  /** An object is serialised; a string is sent as it is (to play a model writing broken JSON). */
  arguments: string | Record<string, unknown>;
}

/** A reply, or one made from the request it answers (to answer from the tool results it carries). */
export type FakeChatScript = FakeChatReply | ((request: FakeOpenAIRequest) => FakeChatReply);

/** Extras of {@link FakeOpenAI.failNext}. */
export interface FailOptions {
  retryAfterSeconds?: number;
  retryAfterMs?: number;
  /** The error's `code`, e.g. `insufficient_quota` for a 429. */
  code?: string;
  /** Only requests to this path (e.g. `/v1/chat/completions`) meet the fault; others pass it by. */
  path?: string;
}

/** Extras of {@link FakeOpenAI.hangNext}. */
export interface HangOptions {
  /** Send a stream's response headers before going silent (default true). */
  headers?: boolean;
  /**
   * For a streamed chat completion: send the opening chunk and this many pieces of the answer, then go
   * silent. Other requests just get the headers.
   */
  afterDeltas?: number;
  /** Only requests to this path (e.g. `/v1/chat/completions`) hang; others pass by. */
  path?: string;
}

/** Options of {@link startFakeOpenAI}. */
export interface FakeOpenAIOptions {
  /** Default: just {@link FAKE_OPENAI_KEY}. */
  validKeys?: Iterable<string>;
  /** Pause between streamed chunks, to test consumers of a slow stream (default 0). */
  streamDelayMs?: number;
}

/** The key the fake accepts unless told otherwise. */
export const FAKE_OPENAI_KEY = 'sk-test-fake-openai-key';

// Native vector sizes of OpenAI's embedding models; `dimensions` may shorten the v3 ones.
const EMBEDDING_MODELS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};
const MAX_INPUTS = 2048;
const INVALID_INPUT =
  "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.";

/** Starts a fake on 127.0.0.1 on a free port. */
export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const validKeys = new Set(options.validKeys ?? [FAKE_OPENAI_KEY]);
  const requests: FakeOpenAIRequest[] = [];
  const faults: { status: number; options: FailOptions }[] = [];
  const hangs: HangOptions[] = [];
  // Requests left hanging, closed by stop().
  const held = new Set<ServerResponse>();
  let reply: string | null = null;
  let replier: ((request: FakeOpenAIRequest) => FakeChatReply) | null = null;
  const script: FakeChatScript[] = [];
  let streamDelayMs = options.streamDelayMs ?? 0;
  let usageOmitted = false;
  // One per requested size: the vectors are the offline embedder's, so they are deterministic and a test
  // can compute the expected vector itself.
  const embedders = new Map<number, OfflineEmbedder>();
  const embedderOf = (dimension: number) => {
    let embedder = embedders.get(dimension);
    if (!embedder) embedders.set(dimension, (embedder = new OfflineEmbedder({ dimension })));
    return embedder;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const raw = await readBody(req);
    let body: any;
    try {
      body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      body = raw;
    }
    const request: FakeOpenAIRequest = {
      method: req.method ?? '',
      path,
      body,
      headers: req.headers,
      receivedAt: performance.now(),
    };
    requests.push(request);

    const hang = takeFor(path, hangs, (entry) => entry.path);
    if (hang && !(hang.afterDeltas !== undefined && isStreamedChat(path, body))) {
      return hold(res, hang.headers ?? true);
    }
    const fault = hang ? undefined : takeFor(path, faults, (entry) => entry.options.path);
    if (fault) return sendFault(res, fault.status, fault.options);

    const auth = req.headers.authorization;
    const key = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length).trim() : undefined;
    if (!key) {
      return sendError(res, 401, {
        message:
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
        type: 'invalid_request_error',
        code: null,
      });
    }
    if (!validKeys.has(key)) {
      return sendError(res, 401, {
        message: `Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        type: 'invalid_request_error',
        code: 'invalid_api_key',
      });
    }

    if (req.method === 'POST' && (path === '/v1/embeddings' || path === '/v1/chat/completions')) {
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        return sendError(res, 400, {
          message:
            "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
          type: 'invalid_request_error',
        });
      }
      if (typeof body.model !== 'string' || body.model === '') {
        return sendError(res, 400, {
          message: 'you must provide a model parameter',
          type: 'invalid_request_error',
        });
      }
      return path === '/v1/embeddings' ? embeddings(res, body) : chatCompletion(res, request, hang);
    }
    return sendError(res, 404, {
      message: `Invalid URL (${req.method} ${path})`,
      type: 'invalid_request_error',
    });
  }

  function embeddings(res: ServerResponse, body: any): void {
    const nativeDimension = EMBEDDING_MODELS[body.model];
    if (nativeDimension === undefined) {
      return sendError(
        res,
        404,
        {
          message: `The model \`${body.model}\` does not exist or you do not have access to it.`,
          type: 'invalid_request_error',
          code: 'model_not_found',
        },
        body.model,
      );
    }
    const inputs = embeddingInputs(body.input);
    if (!inputs) return sendError(res, 400, { message: INVALID_INPUT, type: 'invalid_request_error' });
    let dimension = nativeDimension;
    if (body.dimensions !== undefined) {
      if (body.model === 'text-embedding-ada-002') {
        return sendError(res, 400, {
          message: 'This model does not support specifying dimensions.',
          type: 'invalid_request_error',
          param: 'dimensions',
        });
      }
      if (!Number.isInteger(body.dimensions) || body.dimensions < 1 || body.dimensions > nativeDimension) {
        return sendError(res, 400, {
          message: `Invalid 'dimensions': must be an integer from 1 to ${nativeDimension}.`,
          type: 'invalid_request_error',
          param: 'dimensions',
        });
      }
      dimension = body.dimensions;
    }
    const format = body.encoding_format ?? 'float';
    if (format !== 'float' && format !== 'base64') {
      return sendError(res, 400, {
        message: `Invalid value for 'encoding_format': expected 'float' or 'base64', got '${format}'.`,
        type: 'invalid_request_error',
        param: 'encoding_format',
      });
    }

    const embedder = embedderOf(dimension);
    const data = inputs.map((text, index) => {
      // Float32 like the real thing: JSON numbers carry float32 precision, base64 is little-endian float32.
      const vector = Float32Array.from(embedder.embedOne(text));
      return {
        object: 'embedding',
        index,
        embedding: format === 'base64' ? toBase64(vector) : Array.from(vector),
      };
    });
    const tokens = inputs.reduce((sum, text) => sum + countTokens(text), 0);
    sendJson(
      res,
      200,
      { object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } },
      body.model,
    );
  }

  /** Answers nothing more on `res` (after a stream's headers if `headers`), until the client or stop() closes it. */
  function hold(res: ServerResponse, headers: boolean): void {
    held.add(res);
    res.on('close', () => held.delete(res));
    if (headers) {
      res.writeHead(200, STREAM_HEADERS);
      res.flushHeaders();
    }
  }

  async function chatCompletion(
    res: ServerResponse,
    request: FakeOpenAIRequest,
    hang?: HangOptions,
  ): Promise<void> {
    const body = request.body;
    if (!Array.isArray(body.messages) || body.messages.length === 0) {
      return sendError(res, 400, {
        message:
          "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
        type: 'invalid_request_error',
        param: 'messages',
        code: 'empty_array',
      });
    }
    const next = script.shift() ?? replier ?? undefined;
    const scripted = typeof next === 'function' ? next(request) : next;
    const text = scripted ? (scripted.content ?? '') : (reply ?? lastUserMessage(body.messages));
    const toolCalls = (scripted?.toolCalls ?? []).map((call) => ({
      id: call.id ?? `call_${randomBytes(12).toString('base64url')}`,
      type: 'function' as const,
      function: {
        name: call.name,
        arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
      },
    }));
    const finishReason = toolCalls.length ? 'tool_calls' : 'stop';
    // A model that only calls functions says nothing: OpenAI sends `content: null` then.
    const content = toolCalls.length && !text ? null : text;
    const pieces = text.match(/\s*\S+|\s+/g) ?? [];
    // OpenAI streams a call's arguments in small pieces after a first delta naming the function.
    const argumentPieces = toolCalls.map((call) => call.function.arguments.match(/[\s\S]{1,8}/g) ?? []);
    const promptTokens = body.messages.reduce(
      (sum: number, m: any) => sum + 4 + countTokens(contentText(m?.content)),
      0,
    );
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: pieces.length + argumentPieces.flat().length,
      total_tokens: promptTokens + pieces.length + argumentPieces.flat().length,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    };
    const id = `chatcmpl-${randomBytes(12).toString('base64url')}`;
    const created = Math.floor(Date.now() / 1000);
    const common = {
      id,
      created,
      model: body.model,
      service_tier: 'default',
      system_fingerprint: 'fp_fake0001',
    };

    if (body.stream !== true) {
      return sendJson(
        res,
        200,
        {
          ...common,
          object: 'chat.completion',
          choices: [
            {
              index: 0,
              message: {
                role: 'assistant',
                content,
                refusal: null,
                annotations: [],
                ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
              },
              logprobs: null,
              finish_reason: finishReason,
            },
          ],
          usage,
        },
        body.model,
      );
    }

    res.writeHead(200, { ...STREAM_HEADERS, 'x-request-id': requestId(), 'openai-model': body.model });
    const includeUsage = body.stream_options?.include_usage === true && !usageOmitted;
    // With include_usage, OpenAI puts `usage: null` in every chunk and the totals in an extra last one.
    const chunk = (delta: object, finishReason: string | null) => ({
      ...common,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...(includeUsage ? { usage: null } : {}),
    });
    const events: object[] = [
      chunk({ role: 'assistant', content: content === null ? null : '', refusal: null }, null),
      ...pieces.map((piece) => chunk({ content: piece }, null)),
      ...toolCalls.flatMap((call, index) => [
        chunk(
          {
            tool_calls: [
              { index, id: call.id, type: 'function', function: { ...call.function, arguments: '' } },
            ],
          },
          null,
        ),
        ...argumentPieces[index]!.map((piece) =>
          chunk({ tool_calls: [{ index, function: { arguments: piece } }] }, null),
        ),
      ]),
      chunk({}, finishReason),
      ...(includeUsage ? [{ ...common, object: 'chat.completion.chunk', choices: [], usage }] : []),
    ];
    // With a hang: the opening chunk and `afterDeltas` pieces, then silence.
    const sent = hang?.afterDeltas === undefined ? events.length : 1 + hang.afterDeltas;
    for (const event of events.slice(0, sent)) {
      if (res.destroyed) return; // the client stopped reading
      res.write(`data: ${JSON.stringify(event)}\n\n`);
      if (streamDelayMs) await new Promise((resolve) => setTimeout(resolve, streamDelayMs));
    }
    if (hang) return hold(res, false);
    res.end('data: [DONE]\n\n');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, { message: String(error), type: 'server_error' });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    validKeys,
    requests,
    failNext(count, status, failOptions = {}) {
      for (let i = 0; i < count; i++) faults.push({ status, options: failOptions });
    },
    hangNext(count, hangOptions = {}) {
      for (let i = 0; i < count; i++) hangs.push(hangOptions);
    },
    setStreamDelay(ms) {
      streamDelayMs = ms;
    },
    omitUsage(omit) {
      usageOmitted = omit;
    },
    replyWith(text) {
      reply = text;
    },
    replyUsing(answer) {
      replier = answer;
    },
    queueReplies(...replies) {
      script.push(...replies);
    },
    reset() {
      requests.length = 0;
      faults.length = 0;
      hangs.length = 0;
      reply = null;
      replier = null;
      script.length = 0;
      streamDelayMs = options.streamDelayMs ?? 0;
      usageOmitted = false;
    },
    stop() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        for (const res of held) res.destroy();
        server.closeAllConnections();
      });
    },
  };
}

const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
};

function isStreamedChat(path: string, body: any): boolean {
  return path === '/v1/chat/completions' && body?.stream === true;
}

/** Takes the first scripted fault or hang meant for `path` (or for any path) off the list. */
function takeFor<T>(path: string, list: T[], pathOf: (entry: T) => string | undefined): T | undefined {
  const index = list.findIndex((entry) => {
    const only = pathOf(entry);
    return only === undefined || only === path;
  });
  return index === -1 ? undefined : list.splice(index, 1)[0];
}

/** The texts of an embeddings `input`, or undefined where OpenAI would answer 400. */
function embeddingInputs(input: unknown): string[] | undefined {
  if (typeof input === 'string') return input === '' ? undefined : [input];
  if (!Array.isArray(input) || input.length === 0 || input.length > MAX_INPUTS) return undefined;
  const isTokens = (x: unknown): x is number[] =>
    Array.isArray(x) && x.length > 0 && x.every((t) => Number.isInteger(t) && t >= 0);
  // A list of token ids, or a list of such lists, is accepted too; its "text" is the ids.
  if (isTokens(input)) return [input.join(' ')];
  if (input.every(isTokens)) return input.map((tokens) => tokens.join(' '));
  // An empty string inside a list is refused by OpenAI (openai/openai-python#576).
  return input.every((x) => typeof x === 'string' && x !== '') ? (input as string[]) : undefined;
}

function sendFault(res: ServerResponse, status: number, options: FailOptions): void {
  const headers: Record<string, string> = {};
  if (options.retryAfterSeconds !== undefined) headers['retry-after'] = String(options.retryAfterSeconds);
  if (options.retryAfterMs !== undefined) headers['retry-after-ms'] = String(options.retryAfterMs);
  if (status === 429 && options.code === 'insufficient_quota') {
    return sendError(
      res,
      429,
      {
        message:
          'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
        type: 'insufficient_quota',
        code: 'insufficient_quota',
      },
      undefined,
      headers,
    );
  }
  if (status === 429) {
    return sendError(
      res,
      429,
      {
        message:
          'Rate limit reached for requests in organization org-fake on requests per min (RPM): Limit 3000, Used 3000, Requested 1. Please try again in 20ms. Visit https://platform.openai.com/account/rate-limits to learn more.',
        type: 'requests',
        code: options.code ?? 'rate_limit_exceeded',
      },
      undefined,
      headers,
    );
  }
  if (status >= 500) {
    const message =
      status === 503
        ? 'The server is overloaded or not ready yet.'
        : 'The server had an error while processing your request. Sorry about that!';
    return sendError(
      res,
      status,
      { message, type: 'server_error', code: options.code ?? null },
      undefined,
      headers,
    );
  }
  sendError(
    res,
    status,
    { message: `Scripted failure (${status})`, type: 'invalid_request_error', code: options.code ?? null },
    undefined,
    headers,
  );
}

/** OpenAI's error body: `{ error: { message, type, param, code } }`. */
function sendError(
  res: ServerResponse,
  status: number,
  error: { message: string; type: string; param?: string | null; code?: string | null },
  model?: string,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { error: { param: null, code: null, ...error } }, model, headers);
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  model?: string,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-request-id': requestId(),
    ...(model ? { 'openai-model': model } : {}),
    ...headers,
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function toBase64(vector: Float32Array): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((x, i) => bytes.writeFloatLE(x, i * 4));
  return bytes.toString('base64');
}

/** The text of a chat message's `content`: a string, or the text parts of an array of parts. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter((part) => part?.type === 'text' && typeof part.text === 'string')
    .map((part) => part.text as string)
    .join('');
}

function lastUserMessage(messages: any[]): string {
  const last = messages.findLast((m) => m?.role === 'user');
  return contentText(last?.content);
}

/** Roughly OpenAI's tokenizer: about four characters of English per token. */
function countTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/** OpenAI quotes a wrong key with its middle starred out; so does the fake. */
function maskKey(key: string): string {
  return key.length <= 8
    ? '*'.repeat(key.length)
    : `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}`;
}

function requestId(): string {
  return `req_${randomBytes(16).toString('hex')}`;
}

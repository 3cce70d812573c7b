import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeOpenAI } from '../testing/fake-openai';
import {
  ChatModelError,
  countTokens,
  createChatModel,
  isPriced,
  OFFLINE_NO_ANSWER,
  OfflineAnswerer,
  offlineAnswerer,
  OpenAIChatModel,
  priceUsd,
  type ChatCompletion,
  type ChatModel,
  type ChatRequest,
  type ContextPassage,
} from './index';

/** Runs a completion, keeping the deltas whether it succeeds or fails. */
async function run(model: ChatModel, request: ChatRequest) {
  const deltas: string[] = [];
  const started = performance.now();
  let completion: ChatCompletion | undefined;
  let error: unknown;
  try {
    completion = await model.complete(request, (text) => deltas.push(text));
  } catch (e) {
    error = e;
  }
  return { deltas, completion, error, ms: performance.now() - started };
}

function assertChatError(error: unknown, reason: ChatModelError['reason']): asserts error is ChatModelError {
  assert.ok(error instanceof ChatModelError, `a ChatModelError, got ${String(error)}`);
  assert.equal(error.reason, reason, error.message);
}

const REPLY = 'You can get a refund within 30 days from the billing page, no questions asked.';

describe('OpenAIChatModel against the fake OpenAI', () => {
  let fake: FakeOpenAI;
  before(async () => {
    fake = await startFakeOpenAI();
  });
  after(() => fake.stop());
  beforeEach(() => {
    fake.reset();
    fake.replyWith(REPLY);
  });

  const modelWith = (options: Partial<ConstructorParameters<typeof OpenAIChatModel>[0]> = {}) =>
    new OpenAIChatModel({ apiKey: FAKE_OPENAI_KEY, baseURL: fake.url, ...options });
  const request = (overrides: Partial<ChatRequest> = {}): ChatRequest => ({
    model: 'gpt-4o-mini',
    temperature: 0.2,
    maxTokens: 300,
    messages: [
      { role: 'system', content: 'Answer from the context only.\n[1] Refunds: within 30 days.' },
      { role: 'user', content: 'Can I get a refund?' },
    ],
    question: 'Can I get a refund?',
    context: [{ index: 1, title: 'Refunds', text: 'Refunds: within 30 days.' }],
    ...overrides,
  });
  // What the fake reports: 4 + ceil(length / 4) per message, one token per streamed piece.
  const fakePromptTokens = (r: ChatRequest) =>
    r.messages.reduce((sum, m) => sum + 4 + Math.max(1, Math.ceil(m.content.length / 4)), 0);
  const pieces = REPLY.match(/\s*\S+/g)!;

  it('streams the deltas of the answer and reports the provider usage', async () => {
    const { deltas, completion, error } = await run(modelWith(), request());
    assert.equal(error, undefined);
    assert.deepEqual(deltas, pieces);
    assert.equal(completion!.content, REPLY);
    assert.equal(completion!.model, 'gpt-4o-mini');
    assert.deepEqual(completion!.usage, {
      promptTokens: fakePromptTokens(request()),
      completionTokens: pieces.length,
      source: 'provider',
    });

    const sent = fake.requests[0]!;
    assert.equal(fake.requests.length, 1);
    assert.equal(sent.path, '/v1/chat/completions');
    assert.equal(sent.headers.authorization, `Bearer ${FAKE_OPENAI_KEY}`);
    assert.deepEqual(sent.body, {
      model: 'gpt-4o-mini',
      messages: request().messages,
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.2,
      max_tokens: 300,
    });
  });

  it('gives a reasoning model max_completion_tokens and no temperature', async () => {
    await modelWith().complete(request({ model: 'o4-mini' }), () => {});
    await modelWith().complete(request({ model: 'gpt-4.1', maxTokens: undefined }), () => {});
    const [reasoning, plain] = fake.requests.map((r) => r.body);
    assert.equal(reasoning.max_completion_tokens, 300);
    assert.ok(!('temperature' in reasoning) && !('max_tokens' in reasoning));
    assert.equal(plain.temperature, 0.2);
    assert.ok(!('max_tokens' in plain) && !('max_completion_tokens' in plain));
  });

  it('estimates usage with the tokenizer when the stream carries none', async () => {
    fake.omitUsage(true);
    const { completion, error } = await run(modelWith(), request());
    assert.equal(error, undefined);
    assert.equal(completion!.content, REPLY);
    const expectedPrompt = request().messages.reduce((sum, m) => sum + 4 + countTokens(m.content), 0);
    assert.deepEqual(completion!.usage, {
      promptTokens: expectedPrompt,
      completionTokens: countTokens(REPLY),
      source: 'estimated',
    });
    assert.equal(countTokens(REPLY), 18, 'cl100k_base tokens, not the fake’s one per piece (15)');
  });

  it('lets the SDK wait out a 429 with Retry-After, then answers', async () => {
    fake.failNext(1, 429, { retryAfterSeconds: 1 });
    const { completion, error } = await run(modelWith(), request());
    assert.equal(error, undefined);
    assert.equal(completion!.content, REPLY);
    assert.equal(fake.requests.length, 2);
    const waited = fake.requests[1]!.receivedAt - fake.requests[0]!.receivedAt;
    assert.ok(waited >= 950 && waited < 3000, `waited ${waited} ms`);
    assert.equal(fake.requests[1]!.headers['x-stainless-retry-count'], '1');
  });

  it('does not count the wait between retries as the provider hanging', async () => {
    fake.failNext(1, 503, { retryAfterMs: 600 });
    const { completion, error } = await run(modelWith({ idleTimeoutMs: 300 }), request());
    assert.equal(error, undefined);
    assert.equal(completion!.content, REPLY);
    assert.equal(fake.requests.length, 2);
  });

  it('maps a spent quota to quota_exceeded at once, without retrying it', async () => {
    fake.failNext(5, 429, { retryAfterMs: 10, code: 'insufficient_quota' });
    const { error, ms } = await run(modelWith({ maxRetries: 3 }), request());
    assertChatError(error, 'quota_exceeded');
    assert.equal(error.status, 429);
    assert.equal(error.retryable, false);
    assert.match(error.message, /run out of credit/);
    assert.equal(fake.requests.length, 1, 'the SDK alone would have sent 4');
    assert.ok(error.cause instanceof OpenAI.RateLimitError);
    assert.ok(ms < 500, `${ms} ms`);
  });

  it('maps a rejected key to invalid_key, and its message does not quote the key', async () => {
    const { error } = await run(modelWith({ apiKey: 'sk-wrong-key-0000' }), request());
    assertChatError(error, 'invalid_key');
    assert.equal(error.status, 401);
    assert.match(error.message, /API key was rejected \(401\)/);
    assert.doesNotMatch(error.message, /sk-|0000/);
    assert.ok(error.cause instanceof OpenAI.AuthenticationError, 'the SDK error is kept for the logs');
    assert.equal(fake.requests.length, 1);
  });

  it('maps 5xx past the retries to unavailable, a lasting 429 to rate_limited, 404 to bad_request', async () => {
    fake.failNext(10, 500, { retryAfterMs: 10 });
    const failed = await run(modelWith({ maxRetries: 2 }), request());
    assertChatError(failed.error, 'unavailable');
    assert.equal(failed.error.status, 500);
    assert.equal(failed.error.retryable, true);
    assert.equal(fake.requests.length, 3, 'first attempt + 2 retries');

    fake.reset();
    fake.failNext(10, 429, { retryAfterMs: 10 });
    const limited = await run(modelWith({ maxRetries: 1 }), request());
    assertChatError(limited.error, 'rate_limited');
    assert.equal(fake.requests.length, 2);

    fake.reset();
    fake.failNext(1, 404);
    const unknown = await run(modelWith(), request({ model: 'gpt-9' }));
    assertChatError(unknown.error, 'bad_request');
    assert.match(unknown.error.message, /chat model "gpt-9" \(404\)/);
    assert.equal(fake.requests.length, 1);
  });

  it('does not sleep through a Retry-After longer than the total timeout', async () => {
    fake.failNext(2, 429, { retryAfterSeconds: 5 });
    const { error, ms } = await run(modelWith({ totalTimeoutMs: 2000 }), request());
    assertChatError(error, 'rate_limited');
    assert.equal(fake.requests.length, 1);
    assert.ok(ms < 500, `${ms} ms`);
  });

  for (const [what, options] of [
    ['before the headers', { headers: false }],
    ['after the headers', {}],
  ] as const) {
    it(`cuts off a provider that hangs ${what} after idleTimeoutMs, without a retry`, async () => {
      fake.hangNext(3, options);
      const { error, ms, deltas } = await run(modelWith({ idleTimeoutMs: 300, maxRetries: 1 }), request());
      assertChatError(error, 'timeout');
      assert.match(error.message, /sent nothing for 0\.3 s/);
      assert.equal(error.retryable, true);
      assert.ok(ms >= 280 && ms < 1000, `${ms} ms`);
      assert.deepEqual(deltas, []);
      assert.equal(fake.requests.length, 1);
    });
  }

  it('throws after the deltas already sent when the stream goes silent half-way', async () => {
    fake.hangNext(1, { afterDeltas: 3 });
    const { error, deltas, ms } = await run(modelWith({ idleTimeoutMs: 300 }), request());
    assertChatError(error, 'timeout');
    assert.deepEqual(deltas, pieces.slice(0, 3), 'the caller has the partial text');
    assert.ok(ms < 1000, `${ms} ms`);
  });

  it('reports a connection dropped before or during the stream as unavailable; stop() drops hung ones', async () => {
    const own = await startFakeOpenAI();
    own.replyWith(REPLY);
    own.hangNext(1, { afterDeltas: 2 });
    own.hangNext(1, { headers: false });
    const model = new OpenAIChatModel({ apiKey: FAKE_OPENAI_KEY, baseURL: own.url, maxRetries: 0 });
    const until = async (done: () => boolean) => {
      while (!done()) await new Promise((resolve) => setTimeout(resolve, 5));
    };
    const deltas: string[] = [];
    const during = model.complete(request(), (text) => deltas.push(text)).catch((e: unknown) => e);
    await until(() => deltas.length === 2);
    const before = run(model, request());
    await until(() => own.requests.length === 2);
    const stopped = performance.now();
    await own.stop();
    assert.ok(performance.now() - stopped < 500, 'stop() does not wait for the hung requests');

    const broken = await during;
    assertChatError(broken, 'unavailable');
    assert.match(broken.message, /broke off in the middle/);
    assert.deepEqual(deltas, pieces.slice(0, 2));
    assertChatError((await before).error, 'unavailable');
  });

  it('cuts off a slow stream at totalTimeoutMs even while chunks keep coming', async () => {
    fake.setStreamDelay(60);
    const { error, deltas, ms } = await run(
      modelWith({ idleTimeoutMs: 1000, totalTimeoutMs: 400 }),
      request(),
    );
    assertChatError(error, 'timeout');
    assert.match(error.message, /more than 0\.4 s/);
    assert.ok(deltas.length > 0 && deltas.length < pieces.length, `${deltas.length} deltas`);
    assert.ok(ms >= 380 && ms < 900, `${ms} ms`);
  });

  it('stops with aborted when the caller aborts, mid-stream, before sending, or during a retry wait', async () => {
    fake.setStreamDelay(50);
    const controller = new AbortController();
    const deltas: string[] = [];
    const error = await modelWith()
      .complete(request({ signal: controller.signal }), (text) => {
        deltas.push(text);
        if (deltas.length === 2) controller.abort();
      })
      .catch((e: unknown) => e);
    assertChatError(error, 'aborted');
    assert.equal(error.retryable, false);
    assert.deepEqual(deltas, pieces.slice(0, 2), 'nothing after the abort');

    fake.reset();
    const before = await run(modelWith(), request({ signal: AbortSignal.abort() }));
    assertChatError(before.error, 'aborted');
    assert.equal(fake.requests.length, 0);

    // The SDK's backoff sleep ignores the signal; the model must not wait for it.
    fake.failNext(1, 429, { retryAfterSeconds: 2 });
    const during = await run(modelWith(), request({ signal: AbortSignal.timeout(150) }));
    assertChatError(during.error, 'aborted');
    assert.ok(during.ms < 600, `${during.ms} ms`);
    assert.equal(fake.requests.length, 1);
  });

  it('lets an error of the onDelta callback through untouched', async () => {
    const oops = new Error('socket gone');
    const error = await modelWith()
      .complete(request(), () => {
        throw oops;
      })
      .catch((e: unknown) => e);
    assert.equal(error, oops);
  });

  it('chooses OpenAI when a key is given, the shared offline answerer otherwise', () => {
    const openai = createChatModel({ apiKey: ` ${FAKE_OPENAI_KEY} `, baseURL: fake.url });
    assert.ok(openai instanceof OpenAIChatModel);
    assert.equal(openai.provider, 'openai');
    for (const apiKey of [undefined, null, '', '  ']) {
      const model = createChatModel({ apiKey });
      assert.equal(model, offlineAnswerer);
      assert.equal(model.provider, 'offline');
    }
    assert.throws(() => createChatModel({ apiKey: 'k', idleTimeoutMs: 0 }), RangeError);
  });
});

describe('OfflineAnswerer', () => {
  const answerer = new OfflineAnswerer();
  const context: ContextPassage[] = [
    {
      index: 1,
      title: 'Billing',
      text: 'Plans are billed monthly. You can upgrade your plan at any time.\nThe invoice is sent by email.',
    },
    {
      index: 2,
      title: 'Refunds',
      text: 'We offer refunds within 30 days of purchase. Contact support to start one.\n\nShipping takes a week.',
    },
    { index: 3, title: 'Security', text: 'All data is encrypted at rest. Passwords are hashed with Argon2.' },
  ];
  const ask = (question: string, passages = context, signal?: AbortSignal) =>
    run(answerer, { model: 'ignored', temperature: 0, messages: [], question, context: passages, signal });

  it('quotes the sentence that answers and what follows it in its paragraph, with citations', async () => {
    const { completion, deltas, error } = await ask('How do I get a refund?');
    assert.equal(error, undefined);
    assert.equal(
      completion!.content,
      'We offer refunds within 30 days of purchase. [2] Contact support to start one. [2]',
    );
    assert.equal(deltas.join(''), completion!.content);
    assert.equal(completion!.model, 'offline-extractive');
  });

  it('adds sentences close to the best in score, in the order of the documents, each once', async () => {
    const overlapping: ContextPassage[] = [
      { index: 4, title: 'Plans', text: 'Upgrading your plan is instant. Unrelated filler sentence here.' },
      ...context,
      { index: 5, title: 'Billing, again', text: 'You can upgrade your plan at any time.' },
    ];
    const { completion } = await ask('Can I upgrade my plan, and how are plans billed?', overlapping);
    assert.equal(
      completion!.content,
      'Plans are billed monthly. [1] You can upgrade your plan at any time. [1] The invoice is sent by email. [1] Upgrading your plan is instant. [4]',
    );
  });

  it(`says OFFLINE_NO_ANSWER when nothing matches`, async () => {
    for (const question of ['What is the weather in Paris?', 'How do I do it?', '']) {
      const { completion } = await ask(question);
      assert.equal(completion!.content, OFFLINE_NO_ANSWER);
    }
    const { completion } = await ask('refund', []);
    assert.equal(completion!.content, OFFLINE_NO_ANSWER);
    assert.equal(
      OFFLINE_NO_ANSWER,
      "I couldn't find that in the documents I have. Could you rephrase, or ask to talk to a person?",
    );
  });

  it('streams a long answer in many deltas without holding the event loop, and counts its usage', async () => {
    const long = Array.from({ length: 3 }, (_, i) =>
      `Section ${i} explains the refund rules: ${'each refund request is reviewed by our billing team '.repeat(6)}today.`.trim(),
    );
    const passages = long.map((text, i) => ({ index: i + 1, title: `Part ${i}`, text }));
    // Counts turns of the event loop while the answer streams.
    let turns = 0;
    let streaming = true;
    const tick = () => {
      turns++;
      if (streaming) setImmediate(tick);
    };
    setImmediate(tick);
    const deltas: string[] = [];
    let turnsAtFirst = -1;
    const completion = await answerer.complete(
      { model: 'x', temperature: 0, messages: [], question: 'refund request review', context: passages },
      (text) => {
        if (deltas.length === 0) turnsAtFirst = turns;
        deltas.push(text);
      },
    );
    streaming = false;
    assert.ok(deltas.length > 100, `${deltas.length} deltas`);
    assert.equal(deltas.join(''), completion.content);
    assert.ok(deltas.every((d) => /^\s*\S+$/.test(d)));
    const yields = Math.floor((deltas.length - 1) / 20);
    assert.ok(turns - turnsAtFirst >= yields, `${turns - turnsAtFirst} turns for ${deltas.length} deltas`);
    assert.deepEqual(completion.usage, {
      promptTokens: countTokens('refund request review') + long.reduce((sum, t) => sum + countTokens(t), 0),
      completionTokens: countTokens(completion.content),
      source: 'estimated',
    });
    assert.ok(completion.usage.completionTokens > 100);
  });

  it('stops with aborted when the signal fires', async () => {
    const before = await ask('refund', context, AbortSignal.abort());
    assertChatError(before.error, 'aborted');
    assert.deepEqual(before.deltas, []);

    const controller = new AbortController();
    const deltas: string[] = [];
    const error = await answerer
      .complete(
        { model: 'x', temperature: 0, messages: [], question: 'refund', context, signal: controller.signal },
        (text) => {
          deltas.push(text);
          controller.abort();
        },
      )
      .catch((e: unknown) => e);
    assertChatError(error, 'aborted');
    assert.equal(deltas.length, 1);
  });
});

describe('priceUsd', () => {
  it('prices known models per million tokens, rounded to 8 decimals', () => {
    assert.equal(priceUsd('gpt-4o-mini', { promptTokens: 1_000_000, completionTokens: 1_000_000 }), 0.75);
    assert.equal(priceUsd('gpt-4o-mini', { promptTokens: 1234, completionTokens: 567 }), 0.0005253);
    assert.equal(priceUsd('gpt-4o', { promptTokens: 1000, completionTokens: 1000 }), 0.0125);
    assert.equal(priceUsd('gpt-4.1', { promptTokens: 3, completionTokens: 3 }), 0.00003);
    assert.equal(priceUsd('gpt-5-nano', { promptTokens: 1, completionTokens: 0 }), 0.00000005);
    assert.equal(priceUsd('offline-extractive', { promptTokens: 5000, completionTokens: 500 }), 0);
    assert.ok(isPriced('gpt-4o-mini') && isPriced('o3-mini') && isPriced('offline-extractive'));
  });

  it('prices a dated variant like its family, by the longest prefix', () => {
    const usage = { promptTokens: 1000, completionTokens: 1000 };
    assert.equal(priceUsd('gpt-4o-mini-2024-07-18', usage), 0.00075, 'gpt-4o-mini, not gpt-4o');
    assert.equal(priceUsd('gpt-4o-2024-08-06', usage), 0.0125);
    assert.equal(priceUsd('gpt-4.1-nano-2025-04-14', usage), 0.0005);
    assert.equal(priceUsd('gpt-5-mini-2025-08-07', usage), 0.00225);
    assert.ok(isPriced('gpt-3.5-turbo-0125'));
  });

  it('counts an unknown model as free, and says it is not priced', () => {
    for (const model of ['claude-3-haiku', 'gpt-4', 'gpt-4o.mini', 'gpt-4omni', '']) {
      assert.equal(priceUsd(model, { promptTokens: 1000, completionTokens: 1000 }), 0, model);
      assert.equal(isPriced(model), false, model);
    }
  });
});

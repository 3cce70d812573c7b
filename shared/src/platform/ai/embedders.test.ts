import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeOpenAI } from '../testing/fake-openai';
import { createEmbedder, EmbeddingError, OfflineEmbedder, OpenAIEmbedder } from './index';
import { forEachWord } from './text-features';

const dot = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);
const norm = (a: number[]) => Math.sqrt(dot(a, a));

describe('OfflineEmbedder', () => {
  const embedder = new OfflineEmbedder();
  const vec = (text: string) => embedder.embedOne(text);

  it('is deterministic, 384-dimensional by default and unit-length', async () => {
    const text = 'How do I reset my password? Click "Forgot password" on the sign-in page.';
    const [a, b] = await embedder.embed([text, text]);
    assert.deepEqual(a, b);
    assert.deepEqual(new OfflineEmbedder().embedOne(text), a, 'same vector from another instance');
    assert.equal(embedder.model, 'offline-hash-v1');
    assert.equal(embedder.dimension, 384);
    assert.equal(a!.length, 384);
    assert.ok(Math.abs(norm(a!) - 1) < 1e-9);
    const small = new OfflineEmbedder({ dimension: 64 });
    assert.equal(small.embedOne(text).length, 64);
    assert.throws(() => new OfflineEmbedder({ dimension: 0 }), RangeError);
  });

  it('scores a paraphrase sharing words above unrelated text', () => {
    const query = vec('How do I index my documents?');
    const paraphrase = vec('Indexing documents: how it works');
    const unrelated = vec('The weather in Paris is sunny today');
    assert.ok(dot(query, paraphrase) > 0.3, `paraphrase ${dot(query, paraphrase)}`);
    assert.ok(dot(query, paraphrase) > dot(query, unrelated) + 0.3);
    // Trigrams: an inflected or misspelt word still lands near its stem.
    assert.ok(dot(vec('indexing'), vec('index')) > dot(vec('indexing'), vec('pricing')));
    assert.ok(dot(vec('subscription refunds'), vec('subscripton refund')) > 0.4);
  });

  it('gives CJK text without spaces real features', () => {
    const a = vec('我喜欢用向量索引文档');
    const b = vec('向量索引文档很有用');
    const c = vec('今天天气很好');
    assert.ok(Math.abs(norm(a) - 1) < 1e-9, 'not the empty vector');
    assert.ok(dot(a, b) > 0.3, `shared 向量索引文档: ${dot(a, b)}`);
    assert.ok(dot(a, b) > dot(a, c) + 0.3);
    const ja = vec('ドキュメントを検索する方法');
    assert.ok(dot(ja, vec('検索の方法')) > dot(ja, vec('今日は晴れです')));
  });

  it('embeds empty or wordless text to the zero vector, never NaN', async () => {
    for (const text of ['', '   \n\t', '!!! ... ---']) {
      const v = embedder.embedOne(text);
      assert.equal(v.length, 384);
      assert.ok(v.every((x) => x === 0));
    }
    assert.deepEqual(await embedder.embed([]), []);
  });

  it('normalises width and case, and cuts long text without losing words', () => {
    assert.deepEqual(vec('ＨＥＬＬＯ Wörld'), vec('hello wörld'));
    // Longer than one segmentation window: the same words in one text or split at a window edge.
    const long = 'alpha beta gamma delta '.repeat(200);
    assert.ok(dot(vec(long), vec('alpha beta gamma delta')) > 0.99);
  });

  it('cuts words exactly as Intl.Segmenter does, ASCII fast path included', () => {
    const segmenter = new Intl.Segmenter('en', { granularity: 'word' });
    const icuWords = (text: string) =>
      [...segmenter.segment(text)].filter((s) => s.isWordLike).map((s) => `${s.segment}@${s.index}`);
    const ourWords = (text: string) => {
      const words: string[] = [];
      forEachWord(text, (word, at) => words.push(`${word}@${at}`));
      return words;
    };
    // Characters where UAX #29 has rules (mid-word punctuation, "_", marks, CJK, emoji) and some spaces.
    const alphabet = [..."abZ19_ .:',;-@\t\néß中文カー٣😀"].concat('\u0301');
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let n = 0; n < 3000; n++) {
      // Some texts longer than a segmentation window, to cross window edges too.
      const length = Math.floor(random() * (n % 10 === 0 ? 1500 : 40));
      const text = Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      assert.deepEqual(ourWords(text), icuWords(text), JSON.stringify(text));
    }
    for (const text of ["don't e.g. 3.14 1,000 a:b 3:30 foo_bar _ __ v2.3 a.2 x-y", 'naïve café ｆｕｌｌ']) {
      assert.deepEqual(ourWords(text), icuWords(text));
    }
  });
});

describe('OpenAIEmbedder against the fake OpenAI', () => {
  let fake: FakeOpenAI;
  before(async () => {
    fake = await startFakeOpenAI();
  });
  after(() => fake.stop());
  beforeEach(() => fake.reset());

  const embedderWith = (options: Partial<ConstructorParameters<typeof OpenAIEmbedder>[0]> = {}) =>
    new OpenAIEmbedder({ apiKey: FAKE_OPENAI_KEY, baseURL: fake.url, ...options });
  // What the fake answers: the offline embedding at the requested size, rounded to float32.
  const expected = (text: string, dimension = 1536) =>
    Array.from(Float32Array.from(new OfflineEmbedder({ dimension }).embedOne(text)));

  it('sends 250 inputs as 3 ordered requests of at most 100 and returns the right vectors', async () => {
    const texts = Array.from({ length: 250 }, (_, i) => `chunk number ${i} about topic ${i % 7}`);
    const vectors = await embedderWith().embed(texts);

    assert.equal(fake.requests.length, 3);
    assert.deepEqual(
      fake.requests.map((r) => r.body.input.length),
      [100, 100, 50],
    );
    assert.deepEqual(
      fake.requests.flatMap((r) => r.body.input),
      texts,
    );
    for (const request of fake.requests) {
      assert.equal(request.path, '/v1/embeddings');
      assert.equal(request.headers.authorization, `Bearer ${FAKE_OPENAI_KEY}`);
      assert.equal(request.body.model, 'text-embedding-3-small');
      assert.equal(request.body.dimensions, 1536);
      assert.equal(request.body.encoding_format, 'base64', 'the SDK asks for base64 by default');
    }
    assert.equal(vectors.length, 250);
    for (const i of [0, 99, 100, 199, 249]) assert.deepEqual(vectors[i], expected(texts[i]!));
  });

  it('keeps blank texts out of the request and gives them zero vectors', async () => {
    const vectors = await embedderWith({ dimension: 256 }).embed(['first', '', '  ', 'last']);
    assert.deepEqual(fake.requests[0]!.body.input, ['first', 'last']);
    assert.equal(fake.requests[0]!.body.dimensions, 256);
    assert.deepEqual(vectors[0], expected('first', 256));
    assert.ok(vectors[1]!.every((x) => x === 0) && vectors[2]!.length === 256);
    assert.deepEqual(vectors[3], expected('last', 256));
    assert.deepEqual(await embedderWith().embed([]), []);
    assert.equal(fake.requests.length, 1, 'nothing sent for an empty list');
  });

  it('retries a 429 transparently, waiting what Retry-After asks', async () => {
    fake.failNext(1, 429, { retryAfterSeconds: 1 });
    const [vector] = await embedderWith().embed(['hello']);
    assert.deepEqual(vector, expected('hello'));
    assert.equal(fake.requests.length, 2);
    const waited = fake.requests[1]!.receivedAt - fake.requests[0]!.receivedAt;
    assert.ok(waited >= 950 && waited < 3000, `waited ${waited} ms`);
    assert.equal(fake.requests[1]!.headers['x-stainless-retry-count'], '1');
  });

  it('maps a rejected key to invalid_key without retrying', async () => {
    const error = await embedderWith({ apiKey: 'sk-wrong-key-0000' })
      .embed(['hello'])
      .catch((e: unknown) => e);
    assert.ok(error instanceof EmbeddingError);
    assert.equal(error.reason, 'invalid_key');
    assert.equal(error.status, 401);
    assert.equal(error.retryable, false);
    assert.match(error.message, /API key was rejected \(401\)/);
    assert.doesNotMatch(error.message, /sk-wrong/);
    assert.ok(error.cause instanceof OpenAI.AuthenticationError);
    assert.equal(error.cause.code, 'invalid_api_key');
    assert.equal(fake.requests.length, 1);
  });

  it('maps 5xx beyond the retries to unavailable, and a lasting 429 to rate_limited', async () => {
    fake.failNext(10, 500, { retryAfterMs: 10 });
    const error = await embedderWith({ maxRetries: 2 })
      .embed(['hello'])
      .catch((e: unknown) => e);
    assert.ok(error instanceof EmbeddingError);
    assert.equal(error.reason, 'unavailable');
    assert.equal(error.retryable, true);
    assert.equal(fake.requests.length, 3, 'first attempt + 2 retries');

    fake.reset();
    fake.failNext(10, 429, { retryAfterMs: 10 });
    const limited = await embedderWith({ maxRetries: 1 })
      .embed(['hello'])
      .catch((e: unknown) => e);
    assert.ok(limited instanceof EmbeddingError);
    assert.equal(limited.reason, 'rate_limited');
    assert.equal(fake.requests.length, 2);

    fake.reset();
    fake.failNext(1, 429, { retryAfterMs: 10, code: 'insufficient_quota' });
    const broke = await embedderWith({ maxRetries: 0 })
      .embed(['hello'])
      .catch((e: unknown) => e);
    assert.ok(broke instanceof EmbeddingError && broke.reason === 'rate_limited');
    assert.match(broke.message, /run out of credit/);
  });

  it('maps connection failures to unavailable and 400/404 to bad_request', async () => {
    const closed = await startFakeOpenAI();
    await closed.stop();
    const unreachable = await new OpenAIEmbedder({ apiKey: 'k', baseURL: closed.url, maxRetries: 0 })
      .embed(['hello'])
      .catch((e: unknown) => e);
    assert.ok(unreachable instanceof EmbeddingError && unreachable.reason === 'unavailable');

    const unknownModel = await embedderWith({ model: 'text-embedding-9' })
      .embed(['hello'])
      .catch((e: unknown) => e);
    assert.ok(unknownModel instanceof EmbeddingError && unknownModel.reason === 'bad_request');
    assert.match(unknownModel.message, /text-embedding-9/);

    const tooLong = await embedderWith({ dimension: 4000 })
      .embed(['hello'])
      .catch((e: unknown) => e);
    assert.ok(tooLong instanceof EmbeddingError && tooLong.reason === 'bad_request');
    assert.match(tooLong.message, /\(400\): Invalid 'dimensions'/);
  });

  it('chooses OpenAI when a key is given, the offline embedder otherwise', () => {
    assert.ok(createEmbedder({ apiKey: FAKE_OPENAI_KEY, baseURL: fake.url }) instanceof OpenAIEmbedder);
    for (const apiKey of [undefined, null, '', '  ']) {
      const embedder = createEmbedder({ apiKey });
      assert.ok(embedder instanceof OfflineEmbedder);
      assert.equal(embedder.model, 'offline-hash-v1');
    }
  });
});

describe('fake OpenAI through the real SDK', () => {
  let fake: FakeOpenAI;
  let client: OpenAI;
  before(async () => {
    fake = await startFakeOpenAI();
    client = new OpenAI({ apiKey: FAKE_OPENAI_KEY, baseURL: fake.url, maxRetries: 0 });
  });
  after(() => fake.stop());
  beforeEach(() => fake.reset());

  it('answers float embeddings when asked for them', async () => {
    const response = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: 'hello world',
      dimensions: 8,
      encoding_format: 'float',
    });
    assert.equal(response.object, 'list');
    assert.equal(response.data[0]!.object, 'embedding');
    assert.deepEqual(
      response.data[0]!.embedding,
      Array.from(Float32Array.from(new OfflineEmbedder({ dimension: 8 }).embedOne('hello world'))),
    );
    assert.ok(
      response.usage.prompt_tokens > 0 && response.usage.total_tokens === response.usage.prompt_tokens,
    );
  });

  it('streams a scripted chat reply in deltas, with usage', async () => {
    fake.replyWith('Hello there! Your documents are indexed.');
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Are my documents ready?' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const deltas: string[] = [];
    const finishReasons: (string | null)[] = [];
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      assert.equal(chunk.object, 'chat.completion.chunk');
      const choice = chunk.choices[0];
      if (choice?.delta.content) deltas.push(choice.delta.content);
      if (choice) finishReasons.push(choice.finish_reason);
      if (chunk.usage) usage = chunk.usage;
    }
    assert.equal(deltas.join(''), 'Hello there! Your documents are indexed.');
    assert.ok(deltas.length > 1, `several deltas: ${JSON.stringify(deltas)}`);
    assert.equal(finishReasons.at(-1), 'stop');
    assert.ok(
      usage && usage.completion_tokens === deltas.length && usage.total_tokens > usage.completion_tokens,
    );
    assert.equal(fake.requests[0]!.path, '/v1/chat/completions');
    assert.equal(fake.requests[0]!.body.stream, true);
  });

  it('echoes the last user message by default, without streaming too', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'ping' }] },
      ],
    });
    assert.equal(completion.choices[0]!.message.content, 'ping');
    assert.equal(completion.choices[0]!.finish_reason, 'stop');
    assert.ok(completion.usage!.prompt_tokens > 0);

    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'echo me back' }],
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) {
      assert.equal(chunk.usage, undefined, 'no usage unless asked');
      text += chunk.choices[0]?.delta.content ?? '';
    }
    assert.equal(text, 'echo me back');
  });

  it("answers OpenAI's error bodies", async () => {
    const wrongKey = new OpenAI({ apiKey: 'sk-nope-123456789', baseURL: fake.url, maxRetries: 0 });
    const error = await wrongKey.models.list().catch((e: unknown) => e);
    assert.ok(error instanceof OpenAI.AuthenticationError);
    assert.equal(error.type, 'invalid_request_error');
    assert.match(error.message, /Incorrect API key provided: sk-\*+6789/);

    const notFound = await client.models.list().catch((e: unknown) => e);
    assert.ok(notFound instanceof OpenAI.NotFoundError);

    fake.failNext(1, 503);
    const overloaded = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    assert.ok(overloaded instanceof OpenAI.InternalServerError);
    assert.equal(overloaded.status, 503);
    assert.equal(overloaded.type, 'server_error');
  });
});

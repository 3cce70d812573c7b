import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeOpenAI } from './fake-openai';

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'The weather in a city.',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
      additionalProperties: false,
    },
  },
};

describe('fake OpenAI: scripted function calls, read by the real SDK', () => {
  let fake: FakeOpenAI;
  let client: OpenAI;

  before(async () => {
    fake = await startFakeOpenAI();
    client = new OpenAI({ apiKey: FAKE_OPENAI_KEY, baseURL: fake.url, maxRetries: 0 });
  });
  beforeEach(() => fake.reset());
  after(() => fake.stop());

  const ask = (content: string) => ({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user' as const, content }],
    tools: [weatherTool],
  });

  it('answers a non-streamed request with the tool calls and finish_reason tool_calls', async () => {
    fake.queueReplies({
      toolCalls: [
        { name: 'get_weather', arguments: { city: 'Paris' } },
        { id: 'call_own', name: 'get_weather', arguments: '{"city":"Oslo"}' },
      ],
    });
    const completion = await client.chat.completions.create(ask('Weather in Paris and Oslo?'));
    const [choice] = completion.choices;
    assert.equal(choice!.finish_reason, 'tool_calls');
    assert.equal(choice!.message.content, null);
    const calls = choice!.message.tool_calls!.map((call) => {
      assert.equal(call.type, 'function');
      return call.type === 'function' ? [call.function.name, JSON.parse(call.function.arguments)] : [];
    });
    assert.deepEqual(calls, [
      ['get_weather', { city: 'Paris' }],
      ['get_weather', { city: 'Oslo' }],
    ]);
    assert.match(choice!.message.tool_calls![0]!.id, /^call_/);
    assert.equal(choice!.message.tool_calls![1]!.id, 'call_own');
    assert.deepEqual(fake.requests[0]!.body.tools, [weatherTool]);
  });

  it('streams tool calls in pieces that the SDK puts back together, then answers from the tool results', async () => {
    fake.queueReplies(
      { toolCalls: [{ name: 'get_weather', arguments: { city: 'A city with a long name' } }] },
      (request) => {
        const result = request.body.messages.find((m: any) => m.role === 'tool');
        return { content: `It is ${JSON.parse(result.content).sky} there.` };
      },
    );
    const stream = client.chat.completions.stream({
      ...ask('Weather?'),
      stream_options: { include_usage: true },
    });
    let pieces = 0;
    stream.on('tool_calls.function.arguments.delta', () => pieces++);
    const first = await stream.finalChatCompletion();
    const call = first.choices[0]!.message.tool_calls![0]!;
    assert.equal(first.choices[0]!.finish_reason, 'tool_calls');
    assert.ok(call.type === 'function');
    assert.equal(call.function.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.function.arguments), { city: 'A city with a long name' });
    assert.ok(pieces > 1, `${pieces} pieces of arguments`);
    assert.ok(first.usage!.completion_tokens > 0);

    const followUp = await client.chat.completions.create({
      ...ask('Weather?'),
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: JSON.stringify({ sky: 'sunny' }) },
      ],
    });
    assert.equal(followUp.choices[0]!.message.content, 'It is sunny there.');
    assert.equal(followUp.choices[0]!.finish_reason, 'stop');
    const sentBack = fake.requests[1]!.body.messages.at(-1);
    assert.deepEqual(sentBack, { role: 'tool', tool_call_id: call.id, content: '{"sky":"sunny"}' });
  });

  it('goes back to replyWith and the echo once the script is used up, and reset() forgets it', async () => {
    fake.queueReplies({ content: 'Scripted.' });
    fake.replyWith('Fixed.');
    const message = async () => (await client.chat.completions.create(ask('Echo me'))).choices[0]!.message;
    assert.deepEqual([(await message()).content, (await message()).content], ['Scripted.', 'Fixed.']);
    fake.queueReplies({ toolCalls: [{ name: 'get_weather', arguments: {} }] });
    fake.reset();
    const echoed = await message();
    assert.deepEqual([echoed.content, echoed.tool_calls], ['Echo me', undefined]);
  });

  it('answers each request with replyUsing, after the script and before replyWith, until reset()', async () => {
    // A model that repeats its whole prompt: concurrent requests each get their own.
    fake.replyUsing((request) => ({
      content: request.body.messages.map((m: any) => `${m.role}: ${m.content}`).join(' | '),
    }));
    fake.replyWith('Fixed.');
    fake.queueReplies({ content: 'Scripted.' });
    const message = async (content: string) =>
      (await client.chat.completions.create(ask(content))).choices[0]!.message.content;
    assert.equal(await message('first'), 'Scripted.');
    assert.deepEqual(await Promise.all([message('one'), message('two')]), ['user: one', 'user: two']);
    fake.replyUsing(null);
    assert.equal(await message('three'), 'Fixed.');
    fake.replyUsing(() => ({ content: 'Made.' }));
    fake.reset();
    assert.equal(await message('four'), 'four');
  });
});

/**
 * Property tests of the socket handler wrapper (`socketHandlers(...)`'s `on`), over a real Socket.IO server
 * and client: whatever a client sends (any payload, an ack or none, the ack where a payload should be,
 * extra arguments before it), the listener never lets an exception out, a client that asked for an ack
 * always gets one (`{ ok: false, error: { code } }` for invalid input, `validation_failed`), a client that
 * did not gets an `error` event instead, and the handler runs only on valid input, in the socket's tenant.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorCodes, messageTextSchema, type AckResponse } from '@chatbot/shared';
import { createLogger, currentTenantId, openOrm } from '@chatbot/shared/platform';
import type { MikroORM } from '@mikro-orm/core';
import fc from 'fast-check';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { z } from 'zod';
import { notFound } from '../http/http-error';
import { socketHandlers } from './socket-handler';

// Fixed seed and bounded runs: a failure reproduces, and the file stays within seconds.
const runs = (numRuns: number) => ({ seed: 0x50c, numRuns });

const tenantId = randomUUID();
const payloadSchema = z.object({ text: messageTextSchema, n: z.number().int().optional() }).strict();
const brokenSchema = payloadSchema.refine(({ text }) => {
  if (text.includes('!')) throw new TypeError('a bug in a refinement');
  return true;
});

/** The events the test server listens to, each with its schema and what its handler does. */
const events = {
  echo: 'answers with what it was given, where it ran',
  refuses: 'throws an HttpError (not_found)',
  crashes: 'throws a plain Error',
  rejectsOddly: 'rejects with something that is not an Error',
  brokenSchema: 'validates with a schema whose refinement throws on a text with "!" (a bug)',
} as const;
type EventName = keyof typeof events;

/** How a client may call: an ack or none, an ack alone, extra arguments before the ack. */
type CallShape = 'ack' | 'no-ack' | 'ack-only' | 'nothing' | 'extra-then-ack' | 'extra-no-ack';

/** Flood guard: 50 events per socket in 10 s; a socket is replaced before it gets there. */
const eventsPerSocket = 40;

/** What a client may put where the payload goes: valid ones, near misses, anything JSON, bytes. */
const payloads: fc.Arbitrary<unknown> = fc.oneof(
  fc.record(
    {
      text: fc.oneof(fc.string({ minLength: 1, maxLength: 30 }), fc.constantFrom('Hello!', 'Hi')),
      n: fc.integer(),
    },
    { requiredKeys: ['text'] },
  ),
  fc.record({
    text: fc.oneof(fc.constant(''), fc.constant(' '), fc.constant('x'.repeat(4001)), fc.integer()),
  }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, 0, '', [], {}, { text: 'hi', extra: 1 }, { __proto__: { text: 'x' } }),
  fc.uint8Array({ maxLength: 16 }).map((bytes) => Buffer.from(bytes)),
);
const extras: fc.Arbitrary<unknown> = fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.constant(null));
const shapes = fc.constantFrom<CallShape>(
  'ack',
  'no-ack',
  'ack-only',
  'nothing',
  'extra-then-ack',
  'extra-no-ack',
);

/** Resolves once `done()` holds, polling; fails after a few seconds. */
async function until(done: () => boolean): Promise<void> {
  for (const started = Date.now(); !done(); await new Promise((resolve) => setTimeout(resolve, 5))) {
    if (Date.now() - started > 3000) assert.fail('timed out waiting');
  }
}

/** The payload as the server receives it: through JSON (bytes stay bytes), or nothing at all. */
function received(payload: unknown, shape: CallShape): unknown {
  if (shape === 'ack-only' || shape === 'nothing') return undefined;
  if (Buffer.isBuffer(payload)) return payload;
  return JSON.parse(JSON.stringify(payload) ?? 'null');
}

describe('socket handler wrapper (property-based)', () => {
  let http: HttpServer;
  let server: Server;
  let orm: MikroORM;
  let url: string;
  /** What reached the process instead of an answer: must stay empty. */
  const escaped: unknown[] = [];
  const onEscape = (error: unknown) => escaped.push(error);
  /** Handler runs, by event, so a handler that ran on invalid input shows. */
  const ran: { event: EventName; input: unknown }[] = [];

  before(async () => {
    orm = await openOrm({ dialect: 'sqlite', location: ':memory:' });
    // At debug level the wrapper logs every payload: hostile ones must not break that either.
    const logger = createLogger({ level: 'debug', name: 'socket-handler-test' }, { write: () => undefined });
    const on = socketHandlers(orm, logger);
    http = createServer();
    server = new Server(http);
    server.use((socket, next) => {
      socket.data = { tenantId };
      next();
    });
    server.on('connection', (socket) => {
      socket.on(
        'echo',
        on(socket, payloadSchema, async (input, em) => {
          ran.push({ event: 'echo', input });
          return { input, tenantId: currentTenantId(), forked: em !== orm.em };
        }),
      );
      socket.on(
        'refuses',
        on(socket, payloadSchema, async (input) => {
          ran.push({ event: 'refuses', input });
          throw notFound('Conversation');
        }),
      );
      socket.on(
        'crashes',
        on(socket, payloadSchema, async (input) => {
          ran.push({ event: 'crashes', input });
          throw new Error('a bug in a handler');
        }),
      );
      socket.on(
        'brokenSchema',
        on(socket, brokenSchema, async (input) => {
          ran.push({ event: 'brokenSchema', input });
          return { input };
        }),
      );
      socket.on(
        'rejectsOddly',
        on(socket, payloadSchema, (input) => {
          ran.push({ event: 'rejectsOddly', input });
          return Promise.reject(null);
        }),
      );
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    process.on('unhandledRejection', onEscape);
    process.on('uncaughtException', onEscape);
  });

  after(async () => {
    process.off('unhandledRejection', onEscape);
    process.off('uncaughtException', onEscape);
    await new Promise((resolve) => server.close(resolve));
    await orm.close();
  });

  let socket: Socket | undefined;
  let sent = 0;
  /** A connected client with room under the flood guard. */
  async function client(): Promise<Socket> {
    if (socket?.connected && sent < eventsPerSocket) return socket;
    socket?.close();
    const fresh = connect(url, { transports: ['websocket'], forceNew: true, reconnection: false });
    await new Promise<void>((resolve, reject) => {
      fresh.once('connect', resolve);
      fresh.once('connect_error', reject);
    });
    socket = fresh;
    sent = 0;
    return fresh;
  }

  afterEach(() => {
    socket?.close();
    socket = undefined;
  });

  /** Sends as `shape` says; resolves with the ack, or with the `error` event when no ack was asked for. */
  async function call(
    event: EventName,
    payload: unknown,
    extra: unknown,
    shape: CallShape,
    expectError: boolean,
  ) {
    const target = await client();
    sent++;
    const acked = (...args: unknown[]) =>
      target.timeout(3000).emitWithAck(event, ...args) as Promise<AckResponse<any>>;
    const errorEvent = () =>
      new Promise<AckResponse<never>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ack and no error event for ${event}`)), 3000);
        target.once('error', (error: { code: string; message: string }) => {
          clearTimeout(timer);
          resolve({ ok: false, error } as AckResponse<never>);
        });
      });
    switch (shape) {
      case 'ack':
        return acked(payload);
      case 'ack-only':
        return acked();
      case 'extra-then-ack':
        return acked(payload, extra);
      case 'no-ack':
      case 'nothing':
      case 'extra-no-ack': {
        // Without an ack, only a failure answers (an `error` event); a success is silent.
        const answer = expectError ? errorEvent() : undefined;
        if (shape === 'no-ack') target.emit(event, payload);
        else if (shape === 'nothing') target.emit(event);
        else target.emit(event, payload, extra);
        return answer;
      }
    }
  }

  it('answers every call, acked or not, and runs the handler only on valid input', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...(Object.keys(events) as EventName[])),
        payloads,
        extras,
        shapes,
        async (event, payload, extra, shape) => {
          const input = received(payload, shape);
          const parsed = payloadSchema.safeParse(input);
          const context = `${event} ${shape} ${JSON.stringify(input)?.slice(0, 200)}`;
          const before = ran.length;
          const throws = parsed.success && event === 'brokenSchema' && parsed.data.text.includes('!');
          const succeeds = parsed.success && !throws && (event === 'echo' || event === 'brokenSchema');
          const answer = await call(event, payload, extra, shape, !succeeds);
          if (!parsed.success) {
            assert.deepEqual(answer && !answer.ok && answer.error.code, 'validation_failed', context);
            assert.equal(ran.length, before, `the handler ran on invalid input: ${context}`);
            return;
          }
          // A success without an ack is silent: wait for its handler, so the next run starts afresh.
          if (answer === undefined) await until(() => ran.length > before);
          assert.deepEqual(ran.slice(before), throws ? [] : [{ event, input: parsed.data }], context);
          if (answer === undefined) return;
          if (event === 'echo') {
            assert.deepEqual(
              answer,
              { ok: true, data: { input: parsed.data, tenantId, forked: true } },
              context,
            );
            return;
          }
          if (succeeds) return assert.deepEqual(answer, { ok: true, data: { input: parsed.data } }, context);
          assert.ok(!answer.ok, context);
          assert.ok(ErrorCodes.includes(answer.error.code), context);
          assert.equal(typeof answer.error.message, 'string', context);
          assert.equal(answer.error.code, event === 'refuses' ? 'not_found' : 'internal_error', context);
        },
      ),
      runs(200),
    );
    assert.deepEqual(escaped, [], 'an exception reached the process');
  });

  it('tells a client past the flood guard to slow down, and never lets that escape', async () => {
    const target = await client();
    const answers = await Promise.all(
      Array.from(
        { length: 60 },
        () => target.timeout(3000).emitWithAck('echo', { text: 'hi' }) as Promise<AckResponse<any>>,
      ),
    );
    const limited = answers.filter((answer) => !answer.ok);
    assert.ok(limited.length >= 10, `only ${limited.length} of 60 were limited`);
    for (const answer of limited) assert.equal(!answer.ok && answer.error.code, 'rate_limited');
    assert.deepEqual(escaped, []);
  });
});

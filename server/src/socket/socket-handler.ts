import { randomUUID } from 'node:crypto';
import type { AckResponse } from '@chatbot/shared';
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import {
  rateLimitRejections,
  runInNewLogContext,
  runInTenant,
  socketEvents,
  type Logger,
} from '@chatbot/shared/platform';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import { findUnsafeText } from '../http/unsafe-text';
import { socketErrorOf, type SocketError } from './socket-errors';

/** Events one socket may send in a burst, typing included: enough for any person, not for a script. */
const eventsPer10Seconds = 50;

/**
 * Turns a socket event handler into a safe listener: the payload is validated against its schema, the work
 * runs in the socket's tenant with its own entity manager, and every failure is answered (ack
 * `{ ok: false, error }`, or an `error` event when the client sent no ack) instead of reaching the process.
 */
export function socketHandlers(orm: MikroORM, logger: Logger) {
  const floodGuard = new RateLimiterMemory({ points: eventsPer10Seconds, duration: 10 });

  return function on<S extends z.ZodType, T>(
    socket: Socket,
    schema: S,
    handler: (input: z.infer<S>, em: EntityManager) => Promise<T>,
  ) {
    // Socket.IO passes the ack last, after however many arguments the client sent: `emit(event, ack)` puts
    // it where the payload goes, `emit(event, payload, extra, ack)` after an extra one. Taken from the second
    // place only, such a client never heard back.
    return (...args: unknown[]) => {
      const last = args.at(-1);
      const reply = typeof last === 'function' ? (last as (response: AckResponse<T>) => void) : null;
      const payload = reply && args.length === 1 ? undefined : args[0];
      const started = performance.now();
      // At debug level only: the payload holds what the visitor or agent wrote.
      const traced = (outcome: string, logged: unknown) =>
        logger.debug(
          { payload: logged, outcome, durationMs: Math.round(performance.now() - started) },
          'socket event',
        );
      const fail = (error: SocketError) => {
        traced(error.code, payload);
        if (reply) reply({ ok: false, error });
        if (!reply || error.code === 'rate_limited') socket.emit('error', error);
      };
      void (async () => {
        try {
          await floodGuard.consume(socket.id);
        } catch {
          rateLimitRejections.inc({ limiter: 'socket-events' });
          return fail({
            code: 'rate_limited',
            message: 'Too many events; slow down.',
            retryAfterSeconds: 10,
          });
        }
        try {
          // What the REST API refuses at the door, before any schema: NUL, broken Unicode, deep nesting.
          const unsafe = findUnsafeText(payload);
          if (unsafe) return fail(invalidPayload(unsafe.path, unsafe.message));
          // Inside the try: a schema that throws (a bug in a refinement) is answered like a handler that does.
          const parsed = schema.safeParse(payload);
          if (!parsed.success) {
            const issue = parsed.error.issues[0];
            return fail(invalidPayload(issue?.path.join('.') ?? '', issue?.message ?? 'wrong shape'));
          }
          const em = orm.em.fork();
          const data = await runInTenant(socket.data.tenantId as string, () => handler(parsed.data, em));
          traced('ok', parsed.data);
          reply?.({ ok: true, data });
        } catch (error) {
          fail(socketErrorOf(error, logger.child({ namespace: socket.nsp.name }), 'socket event failed'));
        }
      })();
    };
  };
}

/**
 * Follows every event the socket sends: each runs in a log context of its own (a fresh correlation id, the
 * namespace and the event's name), so all that it causes, the jobs it queues included, shares one id; and
 * it is counted by outcome: `ok` or the error code its ack carried, or `no_ack` when the client asked none.
 * An event no handler listens to is answered `not_found` and goes no further.
 */
export function observeSocketEvents(socket: Socket): void {
  const namespace = socket.nsp.name;
  socket.use((packet, next) => {
    const name: unknown = packet[0];
    // Only events the server listens to are named: a client may send any name, and labels must stay few.
    const known = typeof name === 'string' && !lifecycleEvents.has(name) && socket.listeners(name).length > 0;
    const event = known ? name : 'unknown';
    const last = packet.length - 1;
    const ack: unknown = packet[last];
    runInNewLogContext({ requestId: randomUUID(), socketEvent: event, namespace }, () => {
      if (last > 0 && typeof ack === 'function') {
        packet[last] = (response: unknown) => {
          socketEvents.inc({ namespace, event, outcome: outcomeOf(response) });
          ack(response);
        };
      } else {
        socketEvents.inc({ namespace, event, outcome: 'no_ack' });
      }
      if (known) return next();
      // Answered, or the client would wait for an ack that never comes; and never dispatched.
      const reply = packet[last];
      if (last > 0 && typeof reply === 'function') {
        reply({ ok: false, error: { code: 'not_found', message: 'There is no such event.' } });
      }
    });
  });
}

/** Events a socket emits on its own (Socket.IO listens to `error` itself), which no client may send. */
const lifecycleEvents = new Set(['error', 'disconnect', 'disconnecting']);

/** `ok`, or the error code of a failed ack (`{ ok: false, error: { code } }`). */
function outcomeOf(response: unknown): string {
  if (typeof response !== 'object' || response === null || (response as { ok?: unknown }).ok !== false) {
    return 'ok';
  }
  const code = (response as { error?: { code?: unknown } }).error?.code;
  return typeof code === 'string' && /^[a-z_]{1,40}$/.test(code) ? code : 'error';
}

function invalidPayload(path: string, message: string): SocketError {
  return { code: 'validation_failed', message: `Invalid payload${path ? ` (${path})` : ''}: ${message}.` };
}

/** Typing events are dropped unless the state changed or a while has passed: a keystroke is not news. */
export function typingThrottle(intervalMs = 1500) {
  const last = new Map<string, { at: number; isTyping: boolean }>();
  return (conversationId: string, isTyping: boolean): boolean => {
    const now = Date.now();
    const previous = last.get(conversationId);
    if (previous && previous.isTyping === isTyping && now - previous.at < intervalMs) return false;
    last.set(conversationId, { at: now, isTyping });
    return true;
  };
}

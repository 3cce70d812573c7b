import { randomUUID } from 'node:crypto';
import {
  adminClientEvents,
  type AdminClientToServerEvents,
  type AdminServerToClientEvents,
  type InterServerEvents,
  type SocketData,
} from '@chatbot/shared';
import type { MikroORM } from '@mikro-orm/core';
import type { Socket } from 'socket.io';
import { User, type Logger } from '@chatbot/shared/platform';
import { unauthenticated } from '../../http/http-error';
import { socketHandlers } from '../../socket/socket-handler';
import type { AdminNamespace } from '../../socket/socket-server';
import type { Asker, Assistant } from './assistant.service';

/** A socket of the `/admin` namespace. */
type AdminSocket = Socket<
  AdminClientToServerEvents,
  AdminServerToClientEvents,
  InterServerEvents,
  SocketData
>;

export interface AssistantSocketDeps {
  orm: MikroORM;
  logger: Logger;
  assistant: Assistant;
}

/** Questions a socket remembers by `clientMessageId`, so that a resend gets the first one's id. */
const remembered = 50;

/**
 * `assistant:ask` on `/admin` (whose handshake has resolved the user and tenant): acks `{ messageId }`,
 * then streams `assistant:delta` and ends with `assistant:done`, to the asking socket only, never to its
 * tenant's room. A question resent with the same `clientMessageId` is not asked again. A socket that
 * disconnects stops its answers.
 */
export function registerAssistantHandlers(admin: AdminNamespace, deps: AssistantSocketDeps): void {
  const { assistant, logger } = deps;
  const on = socketHandlers(deps.orm, logger);

  admin.on('connection', (socket) => {
    const asked = new Map<string, string>();
    const running = new Set<AbortController>();
    socket.on('disconnect', () => running.forEach((controller) => controller.abort()));

    socket.on(
      'assistant:ask',
      on(socket, adminClientEvents['assistant:ask'], async ({ question, clientMessageId }, em) => {
        const known = asked.get(clientMessageId);
        if (known) return { messageId: known };
        // The user as they are now: a removed user's socket reads nothing more.
        const user = await em.findOne(User, socket.data.userId!, { fields: ['id'] });
        if (!user) {
          // After the refusal has been acked, so the client learns why.
          setImmediate(() => socket.disconnect(true));
          throw unauthenticated('Your account was removed.');
        }
        await assistant.spend(user.id);
        const messageId = randomUUID();
        asked.set(clientMessageId, messageId);
        if (asked.size > remembered) asked.delete(asked.keys().next().value!);

        const controller = new AbortController();
        running.add(controller);
        const asker = { tenantId: socket.data.tenantId, userId: user.id };
        // On the next turn of the event loop, once the ack has gone: no delta may overtake it.
        setImmediate(() => {
          void streamAnswer(socket, assistant, logger, {
            asker,
            question,
            messageId,
            signal: controller.signal,
          }).finally(() => running.delete(controller));
        });
        return { messageId };
      }),
    );
  });
}

/**
 * Answers one question to one socket: `assistant:delta` as the text is written, then `assistant:done`
 * (an apology, `failed`, if answering failed; nothing if the socket went away).
 */
async function streamAnswer(
  socket: AdminSocket,
  assistant: Assistant,
  logger: Logger,
  {
    asker,
    question,
    messageId,
    signal,
  }: { asker: Asker; question: string; messageId: string; signal: AbortSignal },
): Promise<void> {
  let offset = 0;
  const onDelta = (delta: string) => {
    socket.emit('assistant:delta', { messageId, offset, delta });
    offset += delta.length;
  };
  try {
    const answer = await assistant.ask(asker, question, onDelta, signal);
    socket.emit('assistant:done', { messageId, ...answer });
  } catch (error) {
    if (signal.aborted) return;
    logger.error({ err: error }, 'the assistant could not answer');
    socket.emit('assistant:done', {
      messageId,
      content: 'Sorry, I could not answer just now. Try again in a moment.',
      sources: [],
      toolCalls: [],
      state: 'failed',
    });
  }
}

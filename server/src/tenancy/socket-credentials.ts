import type { Logger } from '@chatbot/shared/platform';
import type { Event, Socket } from 'socket.io';
import { HttpError } from '../http/http-error';
import { socketErrorOf } from '../socket/socket-errors';

/** setTimeout's longest delay: a longer one would fire at once. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * Drops the socket when the token it was admitted with stops being accepted (at the latest: a delay past
 * setTimeout's range drops it sooner). A socket is checked once, at its handshake; without this it would
 * outlive its token. The client connects again with a fresh token (the dashboard and the widget do on
 * their own, on `io server disconnect`), through every check of the handshake again.
 */
export function dropAtExpiry(socket: Socket, expiresAt: Date): void {
  const delay = Math.min(Math.max(0, expiresAt.getTime() - Date.now()), LONGEST_TIMER_MS);
  const timer = setTimeout(() => socket.disconnect(true), delay);
  timer.unref();
  socket.once('disconnect', () => clearTimeout(timer));
}

/**
 * Checks the socket's credential again before each event it sends, as each REST request is: an event
 * after a logout, a refresh token's reuse, the user's removal or the token's expiry is refused (its ack
 * says why) and the socket dropped, to come back through the handshake if it still can. The checks run
 * one after another, so events reach their handlers in the order they were sent. A check that fails for
 * another reason (the database is down) refuses the event (`unavailable`, `internal_error`) and keeps
 * the socket.
 */
export function reauthenticateEachEvent(
  socket: Socket,
  reauthenticate: () => Promise<unknown>,
  logger: Logger,
): void {
  let previous: Promise<void> = Promise.resolve();
  socket.use((packet, next) => {
    previous = previous
      .then(() => reauthenticate())
      .then(
        () => next(),
        (error: unknown) => refuse(socket, packet, error, logger),
      )
      .catch((error: unknown) => logger.error({ err: error }, 'socket event dispatch failed'));
  });
}

function refuse(socket: Socket, packet: Event, error: unknown, logger: Logger): void {
  const ack = packet.at(-1);
  const refusal = socketErrorOf(error, logger, 'socket re-authentication failed');
  if (typeof ack === 'function') ack({ ok: false, error: refusal });
  if (error instanceof HttpError) socket.disconnect(true);
}

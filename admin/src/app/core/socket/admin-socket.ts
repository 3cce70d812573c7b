import { type DestroyRef, inject, Injectable, InjectionToken, signal } from '@angular/core';
import type { AckResponse, AdminClientToServerEvents, AdminServerToClientEvents } from '@chatbot/shared';
import { io, type Socket } from 'socket.io-client';
import { Session } from '../auth/session';

type ServerEvent = keyof AdminServerToClientEvents;
type ClientEvent = keyof AdminClientToServerEvents;
/** The payload of a client event that takes an ack, and what the ack carries. */
type Payload<E extends ClientEvent> = Parameters<AdminClientToServerEvents[E]>[0];
type AckData<E extends ClientEvent> =
  Parameters<AdminClientToServerEvents[E]> extends [unknown, (response: AckResponse<infer T>) => void]
    ? T
    : never;

const ACK_TIMEOUT_MS = 10_000;

/** Handshake refusals that a fresh access token may overcome. */
const RENEWABLE = new Set(['unauthenticated', 'token_expired']);

/** socket.io's client, which the specs replace with a fake connection. */
export const SOCKET_IO = new InjectionToken<typeof io>('socket.io client', {
  providedIn: 'root',
  factory: () => io,
});

/** A refused ack, with the server's code (and, for a rate limit, when to try again). */
export class SocketAckError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/**
 * The dashboard's one connection to the `/admin` namespace. The handshake reads a fresh access token each
 * time it (re)connects; a handshake refused as unauthenticated or expired renews the token and tries
 * again. The server drops the socket when its token expires: it comes back at once with the renewed one.
 * `epoch` grows at every connection after the first, so views that follow something live can fetch what
 * they missed while the connection was down.
 */
@Injectable({ providedIn: 'root' })
export class AdminSocket {
  private readonly session = inject(Session);
  private readonly io = inject(SOCKET_IO);
  private socket: Socket<AdminServerToClientEvents, AdminClientToServerEvents> | null = null;
  private everConnected = false;

  readonly connected = signal(false);
  /** True while a connection the dashboard had is down (the banner shows). */
  readonly lost = signal(false);
  readonly epoch = signal(0);

  connect(): void {
    if (this.socket) return;
    const socket: Socket<AdminServerToClientEvents, AdminClientToServerEvents> = this.io('/admin', {
      auth: (callback) => void this.session.token().then((token) => callback({ token })),
      transports: ['websocket', 'polling'],
    });
    socket.on('connect', () => {
      this.connected.set(true);
      this.lost.set(false);
      if (this.everConnected) this.epoch.update((epoch) => epoch + 1);
      this.everConnected = true;
    });
    socket.on('disconnect', (reason) => {
      this.connected.set(false);
      if (reason !== 'io client disconnect') this.lost.set(true);
      // The server never reconnects a socket it closed itself; the dashboard wants it back.
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on('connect_error', (error) => {
      this.connected.set(false);
      if (this.everConnected) this.lost.set(true);
      const code = (error as Error & { data?: { code?: string } }).data?.code;
      if (code && RENEWABLE.has(code)) {
        void this.session.refresh().then((token) => {
          if (token) socket.connect();
        });
      }
    });
    this.socket = socket;
  }

  disconnect(): void {
    this.socket?.disconnect();
    this.socket = null;
    this.everConnected = false;
    this.connected.set(false);
    this.lost.set(false);
  }

  /** Listens to a server event until `until` (a view's DestroyRef) ends or the returned function is called. */
  on<E extends ServerEvent>(event: E, handler: AdminServerToClientEvents[E], until?: DestroyRef): () => void {
    this.connect();
    const socket = this.socket!;
    socket.on(event, handler as never);
    const off = () => void socket.off(event, handler as never);
    until?.onDestroy(off);
    return off;
  }

  /** Sends an event that takes an ack; resolves with its data, rejects with {@link SocketAckError}. */
  request<E extends ClientEvent>(event: E, payload: Payload<E>): Promise<AckData<E>> {
    this.connect();
    const socket = this.socket!;
    // socket.io's typings cannot follow an event name that is a type parameter.
    const timed = socket.timeout(ACK_TIMEOUT_MS) as unknown as {
      emit(
        event: string,
        payload: unknown,
        ack: (error: Error | null, response: AckResponse<AckData<E>>) => void,
      ): void;
    };
    return new Promise((resolve, reject) => {
      timed.emit(event, payload, (error, response) => {
        if (error) return reject(new SocketAckError('timeout', 'The server did not answer in time.'));
        if (response.ok) resolve(response.data);
        else {
          const { code, message, retryAfterSeconds } = response.error;
          reject(new SocketAckError(code, message, retryAfterSeconds));
        }
      });
    });
  }

  /** Sends an event without an ack (typing). */
  send(event: 'typing', payload: Payload<'typing'>): void {
    this.connect();
    this.socket!.emit(event, payload);
  }
}

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import {
  Transcript,
  type AckResponse,
  type ChatMessage,
  type ConversationState,
  type MessageDone,
  type AdminClientToServerEvents,
  type AdminServerToClientEvents,
  type StartConversationResponse,
  type WidgetClientToServerEvents,
  type WidgetServerToClientEvents,
} from '@chatbot/shared';
import type { ApiClient } from './api-client';

export type WidgetSocket = Socket<WidgetServerToClientEvents, WidgetClientToServerEvents>;
export type AdminSocket = Socket<AdminServerToClientEvents, AdminClientToServerEvents>;

/** Starts a conversation as a visitor's page would. */
export async function startConversation(
  api: ApiClient,
  botId: string,
  options: { origin?: string; visitorToken?: string } = {},
): Promise<StartConversationResponse> {
  const headers: Record<string, string> = {};
  if (options.origin) headers.origin = options.origin;
  if (options.visitorToken) headers.authorization = `Bearer ${options.visitorToken}`;
  const response = await api.request<StartConversationResponse>(
    'POST',
    `/api/public/conversation/${botId}/start`,
    { headers },
  );
  assert.ok([200, 201].includes(response.status), JSON.stringify(response.body));
  return response.body;
}

/** A connected socket, or the handshake's refusal as an Error with `data.code`. */
function connected<S extends Socket>(socket: S): Promise<S> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

export function connectWidget(
  baseUrl: string,
  auth: { botId: string; visitorToken: string },
  options: { origin?: string } = {},
): Promise<WidgetSocket> {
  return connected(
    io(`${baseUrl}/widget`, {
      auth,
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      extraHeaders: options.origin ? { origin: options.origin } : undefined,
    }) as WidgetSocket,
  );
}

export function connectAdmin(baseUrl: string, token: string): Promise<AdminSocket> {
  return connected(
    io(`${baseUrl}/admin`, {
      auth: { token },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    }) as AdminSocket,
  );
}

/** Emits with an ack and resolves with the server's answer (ok or not). */
export function request<T>(socket: Socket, event: string, payload: unknown, timeoutMs = 10_000) {
  return socket.timeout(timeoutMs).emitWithAck(event, payload) as Promise<AckResponse<T>>;
}

/** The data of a successful ack; fails the test otherwise. */
export async function requestOk<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  const response = await request<T>(socket, event, payload);
  assert.ok(response.ok, `${event} failed: ${JSON.stringify(response)}`);
  return response.data;
}

export const clientMessageId = () => `c-${randomBytes(8).toString('hex')}`;

/** Keeps a transcript of everything a socket hears, as the widget and the dashboard do. */
export function follow(socket: WidgetSocket | AdminSocket): Transcript {
  const transcript = new Transcript();
  const listener = socket as unknown as Socket;
  listener.on('message:new', (message) => transcript.add(message));
  listener.on('message:delta', (delta) => transcript.addDelta(delta));
  listener.on('message:done', (done) => transcript.done(done));
  return transcript;
}

/** Resolves with the first event `event` whose payload passes `match`. */
export function nextEvent<T = any>(
  socket: Socket,
  event: string,
  match: (payload: T) => boolean = () => true,
  timeoutMs = 15_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: T) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(payload);
    };
    socket.on(event, listener);
  });
}

/**
 * A visitor with an open chat, as the widget has it: a conversation started, a socket joined to it and a
 * transcript of what it hears. `say` sends a message; `ask` sends one and resolves with its answer.
 */
export async function openChat(api: ApiClient, botId: string) {
  const started = await startConversation(api, botId);
  const socket = await connectWidget(api.baseUrl, { botId, visitorToken: started.visitorToken });
  const transcript = follow(socket);
  const { conversationId } = started;
  const joined = await requestOk<ConversationState & { messages: ChatMessage[] }>(
    socket,
    'conversation:join',
    {
      conversationId,
    },
  );
  const say = (text: string) =>
    requestOk<{ messageId: string; seq: number }>(socket, 'message:send', {
      conversationId,
      text,
      clientMessageId: clientMessageId(),
    });
  const ask = async (text: string) => {
    const done = nextEvent<MessageDone>(socket, 'message:done');
    await say(text);
    return done;
  };
  return { ...started, socket, transcript, joined, say, ask };
}

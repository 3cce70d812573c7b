import { createAdapter } from '@socket.io/redis-adapter';
import { Server, type Namespace } from 'socket.io';
import type {
  AdminClientToServerEvents,
  AdminServerToClientEvents,
  InterServerEvents,
  SocketData,
  WidgetClientToServerEvents,
  WidgetServerToClientEvents,
} from '@chatbot/shared';
import { socketConnections, tenantRoom, type AdminEvents, type Platform } from '@chatbot/shared/platform';
import type { SignedOutSockets } from '../features/auth/signed-out-sockets';
import type { ChatEvents } from '../features/conversations/chat-events';
import { observeSocketEvents } from './socket-handler';

export type AdminNamespace = Namespace<
  AdminClientToServerEvents,
  AdminServerToClientEvents,
  InterServerEvents,
  SocketData
>;
export type WidgetNamespace = Namespace<
  WidgetClientToServerEvents,
  WidgetServerToClientEvents,
  InterServerEvents,
  SocketData
>;

/** The room of one conversation, in either namespace: its visitor in `/widget`, its watchers in `/admin`. */
export const conversationRoom = (conversationId: string) => `conversation:${conversationId}`;
/** The room of every visitor of one bot, in `/widget`. */
export const botRoom = (botId: string) => `bot:${botId}`;
/** The room of every visitor of one tenant's bots, in `/widget` (the `/admin` one is `tenantRoom`). */
export const visitorsRoom = (tenantId: string) => `visitors:${tenantId}`;
/** The rooms of one sign-in session's and of one user's sockets, in `/admin`, to drop them when it ends. */
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
export const userRoom = (userId: string) => `user:${userId}`;

/** How long another node may take to answer: enough under load, short enough that a join never hangs. */
const peerTimeoutMs = 1000;

/** Largest socket packet: a message is at most 4000 characters, so anything far past that is abuse. */
const maxPacketBytes = 64 * 1024;

/**
 * Socket.IO (to attach to the HTTP server), with the `/admin` and `/widget` namespaces. Any origin may open a socket
 * (CORS reflects it) because each bot decides which sites may use it, in the widget's handshake. With
 * Redis, the Redis adapter lets any node (and workers, through the emitter) reach any socket.
 */
export function createSocketServer(platform: Platform) {
  const io = new Server<AdminClientToServerEvents, AdminServerToClientEvents, InterServerEvents, SocketData>({
    serveClient: false,
    cors: { origin: true },
    maxHttpBufferSize: maxPacketBytes,
    adapter: platform.redis
      ? createAdapter(platform.eventConnection('publish'), platform.eventConnection('subscribe'), {
          key: platform.socketKey,
          requestsTimeout: peerTimeoutMs,
        })
      : undefined,
  });
  const admin: AdminNamespace = io.of('/admin');
  // One Server carries one set of event maps; the widget's namespace has its own.
  const widget = io.of('/widget') as unknown as WidgetNamespace;
  for (const namespace of [admin, widget] as Namespace[]) {
    namespace.on('connection', (socket) => {
      socketConnections.inc({ namespace: namespace.name });
      socket.once('disconnect', () => socketConnections.dec({ namespace: namespace.name }));
      observeSocketEvents(socket);
    });
  }
  const adminEvents: AdminEvents = {
    publish: (tenantId, event, ...args) => admin.to(tenantRoom(tenantId)).emit(event, ...args),
  };
  const signedOut: SignedOutSockets = {
    endSession: (sessionId) => admin.in(sessionRoom(sessionId)).disconnectSockets(true),
    endUser: (userId) => admin.in(userRoom(userId)).disconnectSockets(true),
  };
  return {
    io,
    admin,
    widget,
    adminEvents,
    signedOut,
    chatEvents: chatEvents(admin, widget),
    peers: peersOf(io, platform),
  };
}

/** The other server nodes of the deployment, asked through the Redis adapter (none in embedded mode). */
export interface Peers {
  /**
   * What the other nodes are streaming of these answers, by message id; null when a node did not answer
   * in time, so that an answer missing from the result is known to be written by no node only otherwise.
   */
  liveContents(messageIds: string[]): Promise<Record<string, string> | null>;
  /** Tells the other nodes to stop the bot's answer in a conversation. */
  stopAnswer(conversationId: string): void;
  /** Answers the other nodes' questions and requests about this node's answers. */
  serve(answers: {
    liveContents(messageIds: string[]): Record<string, string>;
    stop(conversationId: string): void;
  }): void;
}

function peersOf(io: Server<never, never, InterServerEvents>, platform: Platform): Peers {
  return {
    async liveContents(messageIds) {
      if (!platform.redis || messageIds.length === 0) return {};
      // A peer that does not answer within the adapter's requestsTimeout fails the call: the client then
      // gets the saved text, and message:done completes it.
      const replies: Record<string, string>[] | null = await io
        .serverSideEmitWithAck('answer:content', messageIds)
        .catch(() => null);
      return replies && Object.assign({}, ...replies);
    },
    stopAnswer(conversationId) {
      if (platform.redis) io.serverSideEmit('answer:stop', conversationId);
    },
    serve(answers) {
      io.on('answer:content', (messageIds, reply) => reply(answers.liveContents(messageIds)));
      io.on('answer:stop', (conversationId) => answers.stop(conversationId));
    },
  };
}

function chatEvents(admin: AdminNamespace, widget: WidgetNamespace): ChatEvents {
  const both = (conversationId: string) => ({
    visitor: widget.to(conversationRoom(conversationId)),
    watchers: admin.to(conversationRoom(conversationId)),
  });
  return {
    messageNew(tenantId, message) {
      widget.to(conversationRoom(message.conversationId)).emit('message:new', message);
      admin.to(tenantRoom(tenantId)).emit('message:new', message);
    },
    messageDelta(delta) {
      const { visitor, watchers } = both(delta.conversationId);
      visitor.emit('message:delta', delta);
      watchers.emit('message:delta', delta);
    },
    messageDone(tenantId, done) {
      widget.to(conversationRoom(done.conversationId)).emit('message:done', done);
      admin.to(tenantRoom(tenantId)).emit('message:done', done);
    },
    typing(event) {
      const { visitor, watchers } = both(event.conversationId);
      if (event.role !== 'visitor') visitor.emit('typing', event);
      watchers.emit('typing', event);
    },
    conversationUpdated(tenantId, conversation) {
      admin.to(tenantRoom(tenantId)).emit('conversation:updated', conversation);
    },
    toBot(botId, event, ...args) {
      widget.to(botRoom(botId)).emit(event, ...args);
    },
    toVisitor(conversationId, event, ...args) {
      widget.to(conversationRoom(conversationId)).emit(event, ...args);
    },
    toTenant(tenantId, event, ...args) {
      admin.to(tenantRoom(tenantId)).emit(event, ...args);
    },
    async visitorsOnline(tenantId) {
      // Through the adapter, so every node answers with its sockets. A node that does not answer in time
      // fails the whole call: the count falls back to this node's own sockets rather than to nothing.
      const sockets = await widget
        .in(visitorsRoom(tenantId))
        .fetchSockets()
        .catch(() => widget.local.in(visitorsRoom(tenantId)).fetchSockets());
      return new Set(sockets.map((socket) => socket.data.visitorId)).size;
    },
  };
}

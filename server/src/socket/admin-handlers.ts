import { adminClientEvents } from '@chatbot/shared';
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { User, tenantRoom, type Logger } from '@chatbot/shared/platform';
import { unauthenticated } from '../http/http-error';
import type { AccessTokens } from '../features/auth/access-tokens';
import type { ChatService } from '../features/chat/chat.service';
import type { ChatEvents } from '../features/conversations/chat-events';
import { presentConversation } from '../features/conversations/conversations.presenter';
import type { ConversationsService, Staff } from '../features/conversations/conversations.service';
import { authenticate } from '../tenancy/require-auth';
import { dropAtExpiry, reauthenticateEachEvent } from '../tenancy/socket-credentials';
import { handshakeError, handshakeRefusal } from './socket-errors';
import { conversationRoom, sessionRoom, userRoom, type AdminNamespace } from './socket-server';
import { socketHandlers, typingThrottle } from './socket-handler';

export interface AdminHandlerDeps {
  orm: MikroORM;
  logger: Logger;
  accessTokens: AccessTokens;
  conversations: ConversationsService;
  chat: ChatService;
  events: ChatEvents;
}

/**
 * `/admin`: the dashboard. The handshake takes an access token (the same check as the REST API) and puts
 * the socket in its tenant's room, the live inbox; watching a conversation adds its room (deltas, typing).
 * The token is checked again before every event, and the socket dropped when it expires.
 */
export function registerAdminHandlers(admin: AdminNamespace, deps: AdminHandlerDeps): void {
  const { conversations, chat, events } = deps;
  const on = socketHandlers(deps.orm, deps.logger);

  admin.use(async (socket, next) => {
    const token: unknown = socket.handshake.auth?.token;
    if (typeof token !== 'string' || !token)
      return next(handshakeError('unauthenticated', unauthenticated().message));
    try {
      const check = () => authenticate(deps.accessTokens, deps.orm.em.fork(), token);
      const auth = await check();
      socket.data = {
        tenantId: auth.tenantId,
        userId: auth.user.id,
        userName: auth.user.name,
        sessionId: auth.sessionId,
      };
      dropAtExpiry(socket, auth.expiresAt);
      reauthenticateEachEvent(socket, check, deps.logger);
      next();
    } catch (error) {
      next(handshakeRefusal(error, deps.logger, 'admin handshake failed'));
    }
  });

  admin.on('connection', (socket) => {
    void socket.join([
      tenantRoom(socket.data.tenantId),
      sessionRoom(socket.data.sessionId!),
      userRoom(socket.data.userId!),
    ]);
    const typingAllowed = typingThrottle();
    /** The user as they are now: a role change applies at once, a removed user can do nothing. */
    const staff = async (em: EntityManager): Promise<Staff> => {
      const user = await em.findOne(User, socket.data.userId!);
      if (!user) {
        socket.disconnect(true);
        throw unauthenticated('Your account was removed.');
      }
      return { id: user.id, name: user.name, role: user.role };
    };

    socket.on(
      'conversation:watch',
      on(socket, adminClientEvents['conversation:watch'], async ({ conversationId, sinceSeq }, em) => {
        const conversation = await conversations.find(em, conversationId);
        await socket.join(conversationRoom(conversationId));
        return {
          conversation: presentConversation(conversation),
          messages: await chat.replay(em, conversation, sinceSeq, 'staff'),
        };
      }),
    );
    socket.on(
      'conversation:unwatch',
      on(socket, adminClientEvents['conversation:unwatch'], async ({ conversationId }) => {
        await socket.leave(conversationRoom(conversationId));
        return { conversationId };
      }),
    );
    for (const act of ['takeover', 'release', 'close'] as const) {
      socket.on(
        `conversation:${act}`,
        on(socket, adminClientEvents[`conversation:${act}`], async ({ conversationId }, em) => ({
          conversation: await conversations[act](em, conversationId, await staff(em)),
        })),
      );
    }
    socket.on(
      'message:send',
      on(socket, adminClientEvents['message:send'], async ({ conversationId, text, clientMessageId }, em) =>
        conversations.postAgentMessage(em, conversationId, await staff(em), { text, clientMessageId }),
      ),
    );
    socket.on(
      'typing',
      on(socket, adminClientEvents.typing, async ({ conversationId, isTyping }, em) => {
        if (!typingAllowed(conversationId, isTyping)) return;
        await conversations.find(em, conversationId);
        events.typing({ conversationId, role: 'agent', isTyping });
      }),
    );
  });
}

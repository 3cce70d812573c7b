import type { IncomingMessage } from 'node:http';
import { widgetClientEvents } from '@chatbot/shared';
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { Logger } from '@chatbot/shared/platform';
import proxyaddr from 'proxy-addr';
import { notFound } from '../http/http-error';
import type { ChatService } from '../features/chat/chat.service';
import type { ChatEvents } from '../features/conversations/chat-events';
import type { LeadCapture } from '../features/leads/capture-lead';
import { declineLead } from '../features/leads/lead-decline';
import type { VisitorAccess } from '../features/public/visitor-access';
import type { VisitorLimits } from '../features/public/visitor-limits';
import { dropAtExpiry } from '../tenancy/socket-credentials';
import { handshakeError, handshakeRefusal } from './socket-errors';
import { botRoom, conversationRoom, visitorsRoom, type WidgetNamespace } from './socket-server';
import { socketHandlers, typingThrottle } from './socket-handler';

export interface WidgetHandlerDeps {
  orm: MikroORM;
  logger: Logger;
  access: VisitorAccess;
  limits: VisitorLimits;
  chat: ChatService;
  events: ChatEvents;
  leads: LeadCapture;
  /** Express's compiled `trust proxy`, so a socket's IP is read exactly as a request's. */
  trustProxy: (address: string, hop: number) => boolean;
}

/**
 * `/widget`: a visitor's browser. The handshake takes the bot id and the visitor token (which names one
 * conversation of that bot) and checks the page's Origin against the bot's allowed origins; every event
 * then works on that conversation only, until the token expires and the socket is dropped.
 */
export function registerWidgetHandlers(widget: WidgetNamespace, deps: WidgetHandlerDeps): void {
  const { access, chat, events, leads, limits } = deps;
  const on = socketHandlers(deps.orm, deps.logger);

  widget.use(async (socket, next) => {
    const { botId, visitorToken } = (socket.handshake.auth ?? {}) as Record<string, unknown>;
    if (typeof botId !== 'string' || typeof visitorToken !== 'string') {
      return next(handshakeError('unauthenticated', 'Give the bot id and the visitor token.'));
    }
    try {
      const claims = await access.visitor(visitorToken, botId);
      await access.bot(botId, socket.handshake.headers.origin, claims);
      socket.data = {
        tenantId: claims.tenantId,
        botId,
        conversationId: claims.conversationId,
        visitorId: claims.visitorId,
        preview: claims.preview,
      };
      dropAtExpiry(socket, claims.expiresAt);
      next();
    } catch (error) {
      next(handshakeRefusal(error, deps.logger, 'widget handshake failed'));
    }
  });

  widget.on('connection', (socket) => {
    void socket.join([botRoom(socket.data.botId!), visitorsRoom(socket.data.tenantId)]);
    const ip = proxyaddr(socket.request as IncomingMessage, deps.trustProxy);
    const typingAllowed = typingThrottle();
    /** The bot (as cached: settings changes apply at once) and the socket's own conversation. */
    const context = async (em: EntityManager, conversationId: string) => {
      if (conversationId !== socket.data.conversationId) throw notFound('Conversation');
      const bot = await access.bot(socket.data.botId!, socket.handshake.headers.origin, socket.data);
      return { bot, conversation: await chat.find(em, bot, conversationId) };
    };

    socket.on(
      'conversation:join',
      on(socket, widgetClientEvents['conversation:join'], async ({ conversationId, sinceSeq }, em) => {
        const { bot, conversation } = await context(em, conversationId);
        // Join before reading, so a message stored in between is either read or received, never lost.
        await socket.join(conversationRoom(conversationId));
        const messages = await chat.replay(em, conversation, sinceSeq, 'visitor', bot);
        return { ...(await chat.state(em, conversation)), messages };
      }),
    );

    socket.on(
      'message:send',
      on(
        socket,
        widgetClientEvents['message:send'],
        async ({ conversationId, text, clientMessageId }, em) => {
          const { bot, conversation } = await context(em, conversationId);
          await limits.consume(bot, ip);
          const { message } = await chat.send(em, bot, conversation, { text, clientMessageId });
          return { messageId: message.id, seq: message.seq };
        },
      ),
    );

    socket.on(
      'typing',
      on(socket, widgetClientEvents.typing, async ({ conversationId, isTyping }) => {
        if (conversationId !== socket.data.conversationId) throw notFound('Conversation');
        if (typingAllowed(conversationId, isTyping)) {
          events.typing({ conversationId, role: 'visitor', isTyping });
        }
      }),
    );

    socket.on(
      'handoff:request',
      on(socket, widgetClientEvents['handoff:request'], async ({ conversationId }, em) => {
        const { bot, conversation } = await context(em, conversationId);
        await chat.requestHandoff(em, bot, conversation);
        await em.refresh(conversation);
        return chat.state(em, conversation);
      }),
    );

    socket.on(
      'lead:capture',
      on(socket, widgetClientEvents['lead:capture'], async ({ conversationId, ...details }, em) => {
        const { bot, conversation } = await context(em, conversationId);
        await limits.consume(bot, ip);
        return leads.capture(em, bot, conversation, details);
      }),
    );

    socket.on(
      'lead:decline',
      on(socket, widgetClientEvents['lead:decline'], async ({ conversationId }, em) => {
        const { conversation } = await context(em, conversationId);
        await declineLead(em, conversation.id);
        return { conversationId };
      }),
    );
  });
}

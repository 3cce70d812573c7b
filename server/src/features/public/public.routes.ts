import {
  type ChatMessage,
  botIdParamsSchema,
  captureLeadSchema,
  conversationIdParamsSchema,
  publicChatSchema,
  startConversationSchema,
  type PublicBotConfig,
  type PublicChatResponse,
  type StartConversationResponse,
} from '@chatbot/shared';
import { runInTenant, type Conversation } from '@chatbot/shared/platform';
import cors from 'cors';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { notFound } from '../../http/http-error';
import { requestEm } from '../../http/request-context';
import { route } from '../../http/route';
import type { BotConfig } from '../chat/bot-configs';
import type { AnswerResult } from '../chat/answer-engine';
import type { ChatService } from '../chat/chat.service';
import type { ConversationsService } from '../conversations/conversations.service';
import type { LeadCapture } from '../leads/capture-lead';
import { bearerOf, type VisitorAccess } from './visitor-access';
import { visitorLanguage } from './visitor-language';
import type { VisitorClaims } from './visitor-tokens';
import { rateLimitHeaders } from '../../http/http-error';
import type { VisitorLimits } from './visitor-limits';

export interface PublicRoutesDeps {
  /** Limits reads of bot settings per address: each page view makes one, and unknown ids miss the cache. */
  configLimit: RequestHandler;
  access: VisitorAccess;
  limits: VisitorLimits;
  chat: ChatService;
  conversations: ConversationsService;
  leads: LeadCapture;
}

/**
 * `/api/public`: what a visitor's page calls without a login (clients without sockets use it to chat).
 * Any site may call it (CORS), but each bot only answers pages of its allowed origins.
 */
export function publicRoutes({
  configLimit,
  access,
  limits,
  chat,
  conversations,
  leads,
}: PublicRoutesDeps): Router {
  const router = Router();
  router.use(
    cors({
      origin: true,
      methods: ['GET', 'POST'],
      allowedHeaders: ['authorization', 'content-type', 'accept'],
      exposedHeaders: ['Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'],
      maxAge: 600,
    }),
  );

  /** The bot (checked for the page's origin) and one request of the visitor limits spent. */
  const visitorBot = async (req: Request, res: Response, botId: string, visitor?: VisitorClaims) => {
    const bot = await access.bot(botId, req.headers.origin, visitor);
    const state = await limits.consume(bot, String(req.ip));
    res.set(rateLimitHeaders(state));
    return bot;
  };

  /**
   * The visitor's conversation named in the request, from their token (which names one conversation, of
   * one bot), checked before any limit is spent.
   */
  const visitorConversation = async (req: Request, res: Response, conversationId: string, botId?: string) => {
    const claims = await access.visitor(bearerOf(req), botId);
    if (claims.conversationId !== conversationId) throw notFound('Conversation');
    const bot = await visitorBot(req, res, claims.botId, claims);
    const conversation = await runInTenant(bot.tenantId, () => chat.find(requestEm(), bot, conversationId));
    return { bot, conversation };
  };

  router.get(
    '/bot/:botId/config',
    configLimit,
    route({ params: botIdParamsSchema }, async ({ params }, req) =>
      presentPublicConfig(await access.bot(params.botId, req.headers.origin)),
    ),
  );

  router.post(
    '/conversation/:botId/start',
    route(
      { params: botIdParamsSchema, body: startConversationSchema },
      async ({ params, body }, req, res) => {
        const bot = await visitorBot(req, res, params.botId);
        const previous = await access.visitor(bearerOf(req), bot.id).catch(() => null);
        return runInTenant(bot.tenantId, async (): Promise<StartConversationResponse> => {
          const em = requestEm();
          let conversation: Conversation | null = previous
            ? await chat.find(em, bot, previous.conversationId).catch(() => null)
            : null;
          const resumed = conversation !== null && conversation.mode !== 'closed';
          if (!resumed) {
            conversation = await chat.start(em, bot, previous?.visitorId ?? null, {
              ip: req.ip ?? null,
              userAgent: req.headers['user-agent'] ?? null,
              referrer: body?.referrer ?? req.headers.referer ?? null,
              language: visitorLanguage(body?.language, req.headers['accept-language']),
            });
          }
          const visitorToken = await access.tokens.sign({
            tenantId: bot.tenantId,
            botId: bot.id,
            conversationId: conversation!.id,
            visitorId: conversation!.visitorId,
          });
          res.status(resumed ? 200 : 201);
          return {
            conversationId: conversation!.id,
            visitorToken,
            resumed,
            welcomeMessage: bot.welcomeMessage,
          };
        });
      },
    ),
  );

  router.post(
    '/chat/:botId',
    route({ params: botIdParamsSchema, body: publicChatSchema }, async ({ params, body }, req, res) => {
      const { bot, conversation } = await visitorConversation(req, res, body.conversationId, params.botId);
      return runInTenant(bot.tenantId, async () => {
        const em = requestEm();
        const input = { text: body.message, clientMessageId: body.clientMessageId };
        if (req.accepts(['json', 'text/event-stream']) === 'text/event-stream') {
          return streamAnswer(res, () => chat.send(em, bot, conversation, input, sseListener(res)));
        }
        const { message, answer } = await chat.send(em, bot, conversation, input);
        return presentReply(message, await answer);
      });
    }),
  );

  router.post(
    '/conversation/:conversationId/capture-lead',
    route(
      { params: conversationIdParamsSchema, body: captureLeadSchema },
      async ({ params, body }, req, res) => {
        const { bot, conversation } = await visitorConversation(req, res, params.conversationId);
        const lead = await runInTenant(bot.tenantId, () =>
          leads.capture(requestEm(), bot, conversation, body),
        );
        res.status(lead.created ? 201 : 200);
        return lead;
      },
    ),
  );

  router.post(
    '/conversation/:conversationId/end',
    route({ params: conversationIdParamsSchema }, async ({ params }, req, res) => {
      const { bot } = await visitorConversation(req, res, params.conversationId);
      return runInTenant(bot.tenantId, async () => {
        const summary = await conversations.close(requestEm(), params.conversationId);
        return { conversationId: summary.id, mode: summary.mode };
      });
    }),
  );
  return router;
}

/** The bot's reply to a visitor's message, or the message alone when the bot did not answer it. */
function presentReply(message: ChatMessage, result: AnswerResult | null): PublicChatResponse {
  return {
    messageId: result?.message.id ?? message.id,
    reply: result?.message.content ?? null,
    state: result?.message.state ?? null,
    sources: result?.sources ?? [],
  };
}

function presentPublicConfig(bot: BotConfig): PublicBotConfig {
  return {
    id: bot.id,
    name: bot.name,
    welcomeMessage: bot.welcomeMessage,
    appearance: bot.appearance,
    leadCapture: { enabled: bot.leadCapture.enabled },
    handoff: { enabled: bot.handoff.enabled },
  };
}

/** Server-sent events of one answer, unbuffered by proxies (`X-Accel-Buffering: no`). */
function sseListener(res: Response) {
  return {
    onStart: (message: unknown) => sendEvent(res, 'start', message),
    onDelta: (delta: unknown) => sendEvent(res, 'delta', delta),
  };
}

async function streamAnswer(res: Response, send: () => ReturnType<ChatService['send']>): Promise<void> {
  const { message, answer } = await send();
  sendEvent(res, 'message', message);
  try {
    sendEvent(res, 'done', presentReply(message, await answer));
  } catch {
    sendEvent(res, 'error', { code: 'internal_error', message: 'The answer could not be finished.' });
  }
  res.end();
}

function sendEvent(res: Response, event: string, data: unknown) {
  if (!res.headersSent) {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
    });
  }
  if (!res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

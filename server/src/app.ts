import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { Limits } from '@chatbot/shared';
import { BullMqQueue, createEmbedder, type Logger, type Platform } from '@chatbot/shared/platform';
import { queueDashboardRoutes } from './features/operators/queue-dashboard.routes';
import type { ServerEnv } from './config/env';
import type { AccessTokens } from './features/auth/access-tokens';
import { detectType } from '@chatbot/worker';
import type { ChatServices } from './features/chat/chat-services';
import { conversationsRoutes } from './features/conversations/conversations.routes';
import { publicRoutes } from './features/public/public.routes';
import { documentsRoutes } from './features/documents/documents.routes';
import { DocumentsService } from './features/documents/documents.service';
import { authRoutes } from './features/auth/auth.routes';
import { AuthService } from './features/auth/auth.service';
import { LoginThrottle } from './features/auth/login-throttle';
import { SessionsService } from './features/auth/sessions.service';
import { publicAvatarRoutes } from './features/bots/bot-avatar.routes';
import { BotAvatars } from './features/bots/bot-avatars';
import { botsRoutes } from './features/bots/bots.routes';
import { PreviewConversations } from './features/bots/preview-conversations';
import { retrievalRoutes } from './features/retrieval/retrieval.routes';
import { BotsService } from './features/bots/bots.service';
import { healthRoutes } from './features/health/health.routes';
import { httpMetrics } from './features/metrics/http-metrics';
import { metricsRoutes } from './features/metrics/metrics.routes';
import { usersRoutes } from './features/users/users.routes';
import type { SignedOutSockets } from './features/auth/signed-out-sockets';
import { leadsRoutes } from './features/leads/leads.routes';
import { LeadsService } from './features/leads/leads.service';
import { webhooksRoutes } from './features/webhooks/webhooks.routes';
import { WebhooksService } from './features/webhooks/webhooks.service';
import { analyticsRoutes } from './features/analytics/analytics.routes';
import { privacyRoutes } from './features/privacy/privacy.routes';
import { assistantRoutes } from './features/assistant/assistant.routes';
import type { Assistant } from './features/assistant/assistant.service';
import { widgetRoutes } from './features/widget/widget.routes';
import { demoRoutes } from './features/demo/demo-page';
import { UsersService } from './features/users/users.service';
import { errorHandler, unknownRoute } from './http/error-handler';
import { rateLimit } from './http/rate-limit';
import { ormRequestContext, requestLogger } from './http/request-context';
import { requireAuth } from './tenancy/require-auth';

export interface AppDeps {
  env: ServerEnv;
  platform: Platform;
  logger: Logger;
  accessTokens: AccessTokens;
  chat: ChatServices;
  signedOut: SignedOutSockets;
  /** The admin assistant, shared with the `/admin` socket (one rate limit per user for both). */
  assistant: Assistant;
  /** Tests only: extra addresses URL import and webhook deliveries may reach (test servers are on loopback). */
  allowImportAddress?: (address: string) => boolean;
}

/** Where the built dashboard lives (ADMIN_DIST for a build elsewhere); it is served when present. */
export const adminDist =
  process.env.ADMIN_DIST ?? fileURLToPath(new URL('../../admin/dist/browser', import.meta.url));

/** The composition root of the HTTP side: wires services to routes; holds no logic of its own. */
export function createApp({
  env,
  platform,
  logger,
  accessTokens,
  chat,
  signedOut,
  allowImportAddress,
  assistant,
}: AppDeps): Express {
  const sessions = new SessionsService(accessTokens, env.REFRESH_TOKEN_TTL_DAYS, signedOut);
  const auth = new AuthService(sessions, new LoginThrottle(platform.limiters));
  const signUpLimit = rateLimit(
    platform.limiters({ keyPrefix: 'sign-up-ip', points: 10, durationSeconds: 3600 }),
    (req) => String(req.ip),
  );

  const embeddingFor = (botApiKey: string | null) => {
    const embedder = createEmbedder({
      apiKey: botApiKey ?? env.OPENAI_API_KEY,
      baseURL: env.OPENAI_BASE_URL,
    });
    return { model: embedder.model, dimension: embedder.dimension };
  };

  const invalidateBot = async (id: string) => {
    await chat.bots.invalidate(id);
    // Open widgets (and the dashboard's live preview) fetch the new settings.
    chat.events.toBot(id, 'bot:updated', { botId: id });
  };
  const avatars = new BotAvatars(platform.storage, chat.bots, invalidateBot, env.PUBLIC_URL);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', env.TRUST_PROXY);
  app.use(metricsRoutes(env.METRICS_TOKEN, logger));
  app.use(httpMetrics());
  app.use(requestLogger(logger));
  app.use(helmet());

  const api = express.Router();
  api.use(express.json({ limit: Limits.jsonBodyBytes }));
  api.use(ormRequestContext(platform.orm));
  api.use(healthRoutes(platform));
  api.use(['/auth/register', '/auth/accept-invitation'], signUpLimit);
  api.use(
    '/auth/refresh',
    rateLimit(platform.limiters({ keyPrefix: 'refresh-ip', points: 60, durationSeconds: 60 }), (req) =>
      String(req.ip),
    ),
  );
  api.use(authRoutes(auth, sessions, accessTokens));
  api.use(
    '/chatbots',
    requireAuth(accessTokens),
    botsRoutes({
      bots: new BotsService(
        platform.secretBox,
        platform.vectors,
        platform.storage,
        embeddingFor,
        invalidateBot,
      ),
      avatars,
      previews: new PreviewConversations(chat.bots, chat.chat, chat.access.tokens),
    }),
    retrievalRoutes({
      bots: chat.bots,
      retriever: chat.retriever,
      secretBox: platform.secretBox,
      platformApiKey: env.OPENAI_API_KEY,
    }),
  );
  const configLimit = rateLimit(
    platform.limiters({ keyPrefix: 'public-config-ip', points: 300, durationSeconds: 60 }),
    (req) => String(req.ip),
  );
  api.use('/public', publicAvatarRoutes(avatars, configLimit), publicRoutes({ ...chat, configLimit }));
  api.use('/conversations', requireAuth(accessTokens), conversationsRoutes(chat.conversations));
  const documents = new DocumentsService({
    storage: platform.storage,
    queue: platform.queue,
    vectors: platform.vectors,
    cache: platform.cache,
    detectType,
    tenantQuotaBytes: env.TENANT_STORAGE_QUOTA_BYTES,
  });
  api.use('/documents', requireAuth(accessTokens), documentsRoutes(documents, env.MAX_UPLOAD_BYTES));
  api.use('/users', requireAuth(accessTokens), usersRoutes(new UsersService(signedOut)));
  api.use('/leads', requireAuth(accessTokens), leadsRoutes(new LeadsService(platform.queue)));
  api.use('/analytics', requireAuth(accessTokens), analyticsRoutes());
  api.use('/privacy', requireAuth(accessTokens), privacyRoutes());
  if (platform.queue instanceof BullMqQueue && env.OPERATOR_TOKEN) {
    api.use('/operators/queues', queueDashboardRoutes(platform.queue, env.OPERATOR_TOKEN));
  }
  api.use(
    '/webhooks',
    requireAuth(accessTokens),
    webhooksRoutes(
      new WebhooksService({
        secretBox: platform.secretBox,
        http: { timeoutMs: env.WEBHOOK_TIMEOUT_MS, allowAddress: allowImportAddress },
      }),
    ),
  );
  api.use('/assistant', requireAuth(accessTokens), assistantRoutes(assistant));
  api.use(unknownRoute);
  app.use('/api', api);

  app.use(widgetRoutes());
  app.use(demoRoutes(platform.orm));

  if (existsSync(adminDist)) {
    app.use('/admin', express.static(adminDist, { index: 'index.html' }));
    app.get('/admin/{*path}', (_req, res) => res.sendFile('index.html', { root: adminDist }));
    app.get('/', (_req, res) => res.redirect('/admin/'));
  }

  app.use(unknownRoute);
  app.use(errorHandler);
  return app;
}

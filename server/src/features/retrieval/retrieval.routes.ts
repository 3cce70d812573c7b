import { idParamsSchema, retrievalTestSchema, type RetrievalTestView } from '@chatbot/shared';
import { Chatbot, type SecretBox } from '@chatbot/shared/platform';
import { Router } from 'express';
import { notFound } from '../../http/http-error';
import { requestEm } from '../../http/request-context';
import { route } from '../../http/route';
import { requireRole } from '../../tenancy/require-auth';
import { botApiKey, type BotConfigs } from '../chat/bot-configs';
import { minConfidence, type Retriever } from './retrieval';

export interface RetrievalRoutesDeps {
  bots: BotConfigs;
  retriever: Retriever;
  secretBox: SecretBox;
  platformApiKey?: string;
}

/**
 * `/api/chatbots/:id/retrieval-test`, mounted behind requireAuth: the passages a question finds, with their
 * ranks by meaning and by words, and whether the bot would answer. What the dashboard shows a tenant
 * tuning a knowledge base, and what the evaluation harness scores.
 */
export function retrievalRoutes(deps: RetrievalRoutesDeps): Router {
  const router = Router();
  router.post(
    '/:id/retrieval-test',
    requireRole('owner', 'admin'),
    route({ params: idParamsSchema, body: retrievalTestSchema }, async ({ params, body }) => {
      // Read in the tenant's scope first: another tenant's bot is as absent as one that does not exist.
      const owned = await requestEm().count(Chatbot, { id: params.id });
      const bot = owned ? await deps.bots.get(params.id) : null;
      if (!bot) throw notFound('Chatbot');
      const apiKey = botApiKey(deps.secretBox, bot, deps.platformApiKey);
      const found = await deps.retriever.search(bot, apiKey, body.query, body.limit ?? bot.retrieval.topK);
      const view: RetrievalTestView = {
        query: found.query,
        passages: found.passages.map((passage) => ({
          ...passage.source,
          text: passage.text,
          ...(passage.vector && { vector: passage.vector }),
          ...(passage.lexical && { lexical: passage.lexical }),
        })),
        confidence: found.confidence,
        minConfidence,
        answerable: found.answerable,
      };
      return view;
    }),
  );
  return router;
}

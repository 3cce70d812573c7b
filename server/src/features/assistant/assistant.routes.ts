import { assistantAskSchema, type AssistantAnswerResponse } from '@chatbot/shared';
import { Router } from 'express';
import { route } from '../../http/route';
import { authOf } from '../../tenancy/require-auth';
import type { Assistant } from './assistant.service';

/**
 * `/api/assistant` (behind requireAuth): the admin assistant for clients without a socket. The answer
 * comes whole, as JSON; the dashboard streams it over the `/admin` socket instead (`assistant:ask`).
 */
export function assistantRoutes(assistant: Assistant): Router {
  const router = Router();

  router.post(
    '/ask',
    route({ body: assistantAskSchema }, async ({ body }, req, res): Promise<AssistantAnswerResponse> => {
      const { user, tenantId } = authOf(req);
      await assistant.spend(user.id);
      // A client that hangs up stops the answer (and the model's tokens) with it.
      const hungUp = new AbortController();
      res.on('close', () => hungUp.abort());
      const answer = await assistant.ask(
        { tenantId, userId: user.id },
        body.question,
        undefined,
        hungUp.signal,
      );
      return { answer: answer.content, sources: answer.sources, toolCalls: answer.toolCalls };
    }),
  );

  router.get(
    '/status',
    route({}, async () => assistant.status()),
  );
  return router;
}

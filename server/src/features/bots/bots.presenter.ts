import { botDefaults, type BotView } from '@chatbot/shared';
import type { Chatbot } from '@chatbot/shared/platform';

/** The API's view of a bot: everything but the sealed key, of which only the last four characters show. */
export function presentBot(bot: Chatbot): BotView {
  return {
    id: bot.id,
    name: bot.name,
    description: bot.description,
    status: bot.status,
    instructions: bot.instructions,
    model: bot.model,
    temperature: bot.temperature,
    openaiApiKeyLast4: bot.openaiApiKeyLast4,
    offlineFallback: bot.offlineFallback,
    welcomeMessage: bot.welcomeMessage,
    appearance: bot.appearance,
    allowedOrigins: bot.allowedOrigins,
    // Bots stored before a limit existed have the default.
    rateLimits: { ...botDefaults.rateLimits, ...bot.rateLimits },
    leadCapture: bot.leadCapture,
    handoff: bot.handoff,
    retrieval: bot.retrieval,
    createdAt: bot.createdAt.toISOString(),
    updatedAt: bot.updatedAt.toISOString(),
  };
}

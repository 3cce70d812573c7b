import { Conversation } from '@chatbot/shared/platform';
import { z } from 'zod';
import { dayOf, startOfDay } from './periods';
import { botIdArg, botPart, forBot, ownBot, plural, defineTool } from './tool';

/** Conversations started since midnight UTC. */
export const conversationsTodayTool = defineTool({
  name: 'conversations_today',
  label: 'the conversations started today',
  description: 'Conversations visitors started today (since midnight UTC).',
  args: z.object({ botId: botIdArg }).strict(),
  matches: /\bconversations?\b|\bchats?\b|\bvisitors?\b|\bsessions?\b/i,
  async run({ em, now }, { botId }) {
    const bot = await ownBot(em, botId);
    const started = await em.count(Conversation, {
      createdAt: { $gte: startOfDay(now) },
      ...(bot ? { bot: bot.id } : {}),
    });
    return { day: dayOf(now), conversations: started, ...botPart(bot) };
  },
  summarize(result) {
    return `Visitors started ${plural(result.conversations, 'conversation')} today (${result.day}, UTC)${forBot(result)}.`;
  },
});

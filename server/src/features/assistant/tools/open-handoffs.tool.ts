import { Conversation } from '@chatbot/shared/platform';
import { z } from 'zod';
import { botIdArg, botPart, forBot, ownBot, plural, defineTool } from './tool';

/** The conversations listed at most; the count covers them all. */
const listed = 10;

/** Conversations whose visitor waits for a person now (asked for one, nobody has taken it yet). */
export const openHandoffsTool = defineTool({
  name: 'open_handoffs',
  label: 'the conversations waiting for a person now',
  description:
    'Conversations whose visitor is waiting for a person right now (asked for a human, not taken over yet), ' +
    'longest waiting first.',
  args: z.object({ botId: botIdArg }).strict(),
  matches:
    /\bhand-?offs?\b|\bhand(?:ed)? over\b|\bwaiting\b|\b(?:talk|speak) to (?:a )?(?:person|human|someone)\b|\btake ?overs?\b/i,
  async run({ em }, { botId }) {
    const bot = await ownBot(em, botId);
    const where = {
      mode: 'bot' as const,
      handoffRequestedAt: { $ne: null },
      ...(bot ? { bot: bot.id } : {}),
    };
    const [waiting, total] = await em.findAndCount(Conversation, where, {
      fields: ['id', 'bot', 'handoffRequestedAt'],
      orderBy: { handoffRequestedAt: 'asc', id: 'asc' },
      limit: listed,
    });
    return {
      waiting: total,
      conversations: waiting.map((conversation) => ({
        id: conversation.id,
        botId: conversation.bot.id,
        waitingSince: conversation.handoffRequestedAt!.toISOString(),
      })),
      ...botPart(bot),
    };
  },
  summarize(result) {
    const [oldest] = result.conversations as { waitingSince: string }[];
    if (!oldest) return `No visitor is waiting for a person right now${forBot(result)}.`;
    const since = oldest.waitingSince.slice(11, 16);
    const verb = result.waiting === 1 ? 'is' : 'are';
    return (
      `${plural(result.waiting, 'conversation')} ${verb} waiting for a person right now${forBot(result)}; ` +
      `the longest since ${since} UTC.`
    );
  },
});

import { Message } from '@chatbot/shared/platform';
import { z } from 'zod';
import { daysIn } from './periods';
import { botIdArg, botPart, forBot, ownBot, plural, defineTool } from './tool';

/** The latest questions quoted at most; the count covers them all. */
const quoted = 5;

/** Visitors' questions the documents did not answer, over the last days: what to add to the bots. */
export const unansweredQuestionsTool = defineTool({
  name: 'unanswered_questions',
  label: 'the questions your documents did not answer',
  description:
    "Visitors' questions the bots' documents did not answer over the last N days (30 by default): " +
    'how many, and the latest ones.',
  args: z
    .object({
      days: z.number().int().min(1).max(90).default(30).describe('How many days back to count (1-90).'),
      botId: botIdArg,
    })
    .strict(),
  matches:
    /\bunanswered\b|\bnot answered\b|\b(?:could ?n[o']t|did ?n[o']t|can ?n[o']t|cannot|unable to) answer\b|\bknowledge gaps?\b/i,
  argsFrom: (question, now) => {
    const days = daysIn(question, now);
    return days && days <= 90 ? { days } : {};
  },
  async run({ em, now }, { days, botId }) {
    const bot = await ownBot(em, botId);
    const since = new Date(now.getTime() - days * 86_400_000);
    const where = {
      role: 'visitor' as const,
      unanswered: true,
      createdAt: { $gte: since },
      ...(bot ? { conversation: { bot: bot.id } } : {}),
    };
    const [latest, total] = await em.findAndCount(Message, where, {
      fields: ['content', 'createdAt'],
      orderBy: { createdAt: 'desc', id: 'asc' },
      limit: quoted,
    });
    return {
      days,
      since: since.toISOString(),
      unanswered: total,
      latest: latest.map((message) => ({ question: message.content, at: message.createdAt.toISOString() })),
      ...botPart(bot),
    };
  },
  summarize(result) {
    const span = `Over the last ${plural(result.days, 'day')}${forBot(result)}`;
    const [last] = result.latest as { question: string }[];
    if (!last) return `${span}, every visitor's question found an answer in the documents.`;
    const verb = result.unanswered === 1 ? 'was' : 'were';
    return (
      `${span}, ${plural(result.unanswered, 'question')} ${verb} not answered by the documents; ` +
      `the latest: "${last.question}".`
    );
  },
});

import { Chatbot } from '@chatbot/shared/platform';
import { z } from 'zod';
import { plural, defineTool } from './tool';

/** The published bots (those that answer visitors), by name, and how many drafts there are besides. */
export const activeBotsTool = defineTool({
  name: 'active_bots',
  label: 'which bots are published',
  description: 'The bots of the account that are published (answering visitors), with their names and ids.',
  args: z.object({}).strict(),
  matches: /\b(?:chat)?bots?\b/i,
  async run({ em }) {
    const [published, drafts] = await Promise.all([
      em.find(
        Chatbot,
        { status: 'published' },
        { fields: ['id', 'name'], orderBy: { name: 'asc', id: 'asc' } },
      ),
      em.count(Chatbot, { status: 'draft' }),
    ]);
    return { published: published.length, bots: published.map(({ id, name }) => ({ id, name })), drafts };
  },
  summarize(result) {
    const names = (result.bots as { name: string }[]).map((bot) => bot.name);
    const drafts = result.drafts
      ? ` (and ${plural(result.drafts, 'draft')}, which visitors cannot reach)`
      : '';
    if (names.length === 0) return `You have no published bot yet${drafts}.`;
    const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
    return `You have ${plural(names.length, 'published bot')}: ${list}${drafts}.`;
  },
});

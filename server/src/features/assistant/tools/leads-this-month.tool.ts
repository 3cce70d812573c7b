import { Lead, LeadStatuses } from '@chatbot/shared/platform';
import { z } from 'zod';
import { startOfMonth } from './periods';
import { botIdArg, botPart, count, forBot, ownBot, plural, defineTool } from './tool';

/** Leads captured since the first of this month (UTC), in all and by status. */
export const leadsThisMonthTool = defineTool({
  name: 'leads_this_month',
  label: 'the leads captured this month, by status',
  description: 'Leads (contact details left by visitors) captured this month (UTC), in all and by status.',
  args: z.object({ botId: botIdArg }).strict(),
  matches: /\bleads?\b|\bcontact details\b|\bprospects?\b/i,
  async run({ em, now }, { botId }) {
    const bot = await ownBot(em, botId);
    const since = startOfMonth(now);
    const where = { createdAt: { $gte: since }, ...(bot ? { bot: bot.id } : {}) };
    const counts = await Promise.all(LeadStatuses.map((status) => em.count(Lead, { ...where, status })));
    return {
      month: since.toISOString().slice(0, 7),
      since: since.toISOString(),
      total: counts.reduce((sum, n) => sum + n, 0),
      byStatus: Object.fromEntries(LeadStatuses.map((status, i) => [status, counts[i]])),
      ...botPart(bot),
    };
  },
  summarize(result) {
    const byStatus = result.byStatus as Record<string, number>;
    const month = new Date(`${String(result.month)}-01T00:00:00Z`).toLocaleString('en-US', {
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
    const statuses = LeadStatuses.map((status) => `${count(byStatus[status])} ${status}`);
    return (
      `You have ${plural(result.total, 'lead')} this month (${month}, UTC)${forBot(result)}: ` +
      `${statuses.slice(0, -1).join(', ')} and ${statuses.at(-1)}.`
    );
  },
});

import { UsageDaily } from '@chatbot/shared/platform';
import { z } from 'zod';
import { dayOf, daysBefore, daysBetween, periodIn } from './periods';
import { botIdArg, botPart, count, botsOf, ownBot, ToolError, defineTool } from './tool';

/** The longest period one question may add up: the roll-ups of a year. */
const maxDays = 366;

const day = z.iso.date({ message: 'must be a day as YYYY-MM-DD' });

/** Tokens and cost of the answers of the account's bots over a period, from the daily roll-ups. */
export const tokenUsageTool = defineTool({
  name: 'token_usage',
  label: 'the tokens your bots used and what they cost, over a period',
  description:
    'Tokens used and their cost in USD by the bots of the account over a period of UTC days ' +
    '(from and to included, at most 366 days; the last 30 days by default).',
  args: z
    .object({
      from: day.optional().describe('First day, YYYY-MM-DD (UTC).'),
      to: day.optional().describe('Last day, YYYY-MM-DD (UTC); today by default.'),
      botId: botIdArg,
    })
    .strict(),
  matches:
    /\btokens?\b|\bcosts?\b|\bcosting\b|\bspen[dt]\b|\bspending\b|\busage\b|\bbill(?:ing|ed)?\b|\bhow much\b/i,
  argsFrom: (question, now) => periodIn(question, now) ?? {},
  async run({ em, now }, args) {
    const bot = await ownBot(em, args.botId);
    const to = args.to ?? dayOf(now);
    const from = args.from ?? daysBefore(new Date(`${to}T00:00:00Z`), 29);
    if (from > to) throw new ToolError('The period starts after it ends.');
    if (daysBetween(from, to) > maxDays) throw new ToolError(`The period is longer than ${maxDays} days.`);
    const rows = await em.find(
      UsageDaily,
      { day: { $gte: from, $lte: to }, ...(bot ? { bot: bot.id } : {}) },
      { fields: ['tokensIn', 'tokensOut', 'costUsd'] },
    );
    const sum = (pick: (row: (typeof rows)[number]) => number) =>
      rows.reduce((total, row) => total + pick(row), 0);
    const promptTokens = sum((row) => row.tokensIn);
    const completionTokens = sum((row) => row.tokensOut);
    return {
      from,
      to,
      promptTokens,
      completionTokens,
      totalTokens: promptTokens + completionTokens,
      // Rounded to a millionth of a dollar: sums of doubles carry noise below that.
      costUsd: Math.round(sum((row) => row.costUsd) * 1e6) / 1e6,
      ...botPart(bot),
    };
  },
  summarize(result) {
    const cost = Number(result.costUsd);
    const dollars = cost === 0 ? '$0' : `$${cost.toFixed(cost < 1 ? 4 : 2)}`;
    const period = result.from === result.to ? `On ${result.from}` : `From ${result.from} to ${result.to}`;
    return (
      `${period} (UTC), ${botsOf(result, 'your bots')} used ${count(result.totalTokens)} tokens ` +
      `(${count(result.promptTokens)} prompt, ${count(result.completionTokens)} completion), ` +
      `costing ${dollars}.`
    );
  },
});

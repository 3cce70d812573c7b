import type { AnalyticsTotals } from '@chatbot/shared';

const counts = new Intl.NumberFormat('en-US');
const dollars = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 4,
});
const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });

export const formatCount = (n: number) => counts.format(n);
/** Costs are often fractions of a cent: up to four decimals. */
export const formatCost = (usd: number) => dollars.format(usd);
export const formatPercent = (ratio: number) => percent.format(ratio);

/** A stat card's content. */
export interface Figure {
  label: string;
  value: string;
  hint?: string;
}

/** The cards of a range's totals, as the overview and the analytics page show them. */
export function totalsFigures(totals: AnalyticsTotals): Figure[] {
  // Ratios of nothing say nothing.
  const some = totals.conversations > 0;
  return [
    {
      label: 'Conversations',
      value: formatCount(totals.conversations),
      hint: some ? `${totals.averageMessagesPerConversation.toFixed(1)} messages each` : undefined,
    },
    { label: 'Messages', value: formatCount(totals.messages) },
    {
      label: 'Leads',
      value: formatCount(totals.leads),
      hint: some ? `${formatPercent(totals.conversionRate)} of conversations` : undefined,
    },
    {
      label: 'Tokens',
      value: formatCount(totals.tokensIn + totals.tokensOut),
      hint: `${formatCount(totals.tokensIn)} in, ${formatCount(totals.tokensOut)} out`,
    },
    { label: 'Cost', value: formatCost(totals.costUsd) },
  ];
}

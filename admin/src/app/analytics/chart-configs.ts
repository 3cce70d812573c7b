import {
  type AnalyticsDay,
  type BotAnalytics,
  type LeadsByStatusResponse,
  LeadStatuses,
} from '@chatbot/shared';
import type { ChartData, ChartOptions } from 'chart.js';
import { formatDay } from './date-range';

/** What a chart on the page is given. */
export interface ChartSpec {
  data: ChartData;
  options: ChartOptions;
}

/** The dashboard's series colours (the design tokens' primary, success, warning, then two more). */
const colours = {
  blue: '#2563eb',
  green: '#16a34a',
  amber: '#d97706',
  violet: '#7c3aed',
  slate: '#94a3b8',
};

/** Leads' statuses from the start of the pipeline to its end. */
const statusColours: Record<(typeof LeadStatuses)[number], string> = {
  new: colours.blue,
  contacted: colours.amber,
  qualified: colours.violet,
  converted: colours.green,
};

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const line = (label: string, colour: string, values: number[], yAxisID = 'y') => ({
  label,
  data: values,
  borderColor: colour,
  backgroundColor: colour,
  yAxisID,
  // Dashed on its own axis, so it reads apart from a count line it crosses.
  borderDash: yAxisID === 'y' ? [] : [6, 4],
  tension: 0.3,
  pointRadius: values.length > 31 ? 0 : 3,
});

/**
 * Conversations, messages and tokens per day. Tokens run in thousands where conversations run in tens, so
 * they have their own axis on the right.
 */
export function activityChart(days: AnalyticsDay[]): ChartSpec {
  return {
    data: {
      labels: days.map((row) => formatDay(row.day)),
      datasets: [
        line(
          'Conversations',
          colours.blue,
          days.map((row) => row.conversations),
        ),
        line(
          'Messages',
          colours.green,
          days.map((row) => row.messages),
        ),
        line(
          'Tokens',
          colours.amber,
          days.map((row) => row.tokensIn + row.tokensOut),
          'tokens',
        ),
      ],
    },
    options: {
      interaction: { mode: 'index', intersect: false },
      plugins: { legend: { position: 'bottom', labels: { usePointStyle: true } } },
      scales: {
        x: { grid: { display: false }, ticks: { maxTicksLimit: 10 } },
        y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'Count' } },
        tokens: {
          position: 'right',
          beginAtZero: true,
          grid: { drawOnChartArea: false },
          ticks: { precision: 0 },
          title: { display: true, text: 'Tokens' },
        },
      },
    },
  };
}

/** Conversations per bot, busiest first (the order the API gives). */
export function botsChart(bots: BotAnalytics[]): ChartSpec {
  return {
    data: {
      labels: bots.map((bot) => bot.botName),
      datasets: [
        {
          label: 'Conversations',
          data: bots.map((bot) => bot.conversations),
          backgroundColor: colours.blue,
          borderRadius: 4,
          maxBarThickness: 48,
        },
      ],
    },
    options: {
      plugins: { legend: { display: false } },
      scales: {
        x: { grid: { display: false } },
        y: { beginAtZero: true, ticks: { precision: 0 } },
      },
    },
  };
}

/** The range's leads by status, in the pipeline's order. */
export function leadsChart(leads: LeadsByStatusResponse): ChartSpec {
  return {
    data: {
      labels: LeadStatuses.map(capitalise),
      datasets: [
        {
          label: 'Leads',
          data: LeadStatuses.map((status) => leads.byStatus[status]),
          backgroundColor: LeadStatuses.map((status) => statusColours[status]),
          borderWidth: 2,
        },
      ],
    },
    options: {
      cutout: '60%',
      plugins: { legend: { position: 'bottom', labels: { usePointStyle: true } } },
    } as ChartOptions,
  };
}

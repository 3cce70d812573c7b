import { DatePipe } from '@angular/common';
import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import type { BotsResponse } from '@chatbot/shared';
import { apiProblem } from '../core/api/api-error';
import { Toaster } from '../core/ui/toaster';
import { AnalyticsApi } from './analytics-api';
import { ChartCanvas } from './chart-canvas';
import { activityChart, botsChart, leadsChart } from './chart-configs';
import { formatRange, presetRange, rangeParams } from './date-range';
import { type Figure, formatCost, formatCount, totalsFigures } from './figures';
import { latestValue } from './latest-value';
import { RangePicker } from './range-picker';
import { StatCard } from './stat-card';

/** Unanswered questions listed: the ones most worth a document. */
const unansweredShown = 10;

/**
 * `/analytics`: the range's totals, activity per day, conversations per bot, leads by status and the
 * questions the documents did not answer, for all bots or one; the daily rows as CSV.
 */
@Component({
  selector: 'app-analytics-page',
  imports: [ChartCanvas, DatePipe, RangePicker, StatCard],
  templateUrl: './analytics-page.html',
  styleUrl: './analytics-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AnalyticsPage {
  private readonly api = inject(AnalyticsApi);
  private readonly toaster = inject(Toaster);

  protected readonly range = signal(presetRange(30));
  protected readonly botId = signal('');
  private readonly params = computed(() => rangeParams(this.range(), this.botId()));

  protected readonly bots = httpResource<BotsResponse>(() => '/api/chatbots?limit=100');
  protected readonly summary = this.api.summary(this.params);
  protected readonly series = this.api.timeseries(this.params);
  protected readonly leads = this.api.leadsByStatus(this.params);
  protected readonly unanswered = this.api.unanswered(() => `${this.params()}&limit=${unansweredShown}`);

  private readonly summaryValue = latestValue(this.summary);
  private readonly seriesValue = latestValue(this.series);
  private readonly leadsValue = latestValue(this.leads);
  private readonly unansweredValue = latestValue(this.unanswered);
  protected readonly questions = computed(() => this.unansweredValue()?.questions);

  protected readonly figures = computed((): Figure[] | null => {
    const totals = this.summaryValue()?.totals;
    if (!totals) return null;
    return [
      ...totalsFigures(totals),
      {
        label: 'Cost per conversation',
        value: formatCost(totals.conversations ? totals.costUsd / totals.conversations : 0),
      },
      { label: 'Unanswered questions', value: formatCount(totals.unanswered) },
      { label: 'Handoffs to a person', value: formatCount(totals.handoffs) },
    ];
  });
  protected readonly activity = computed(() => {
    const days = this.seriesValue()?.days;
    return days ? activityChart(days) : null;
  });
  protected readonly byBot = computed(() => {
    const bots = this.summaryValue()?.bots;
    return bots ? botsChart(bots) : null;
  });
  protected readonly byStatus = computed(() => {
    const leads = this.leadsValue();
    return leads ? leadsChart(leads) : null;
  });
  protected readonly leadCount = computed(() => this.leadsValue()?.total ?? 0);
  protected readonly rangeLabel = computed(() => formatRange(this.range()));
  /** Refetching after a change of range or bot: the figures shown are the previous ones. */
  protected readonly refreshing = computed(() =>
    [this.summary, this.series, this.leads, this.unanswered].some((resource) => resource.isLoading()),
  );
  protected readonly exporting = signal(false);

  protected problem(error: unknown): string {
    return apiProblem(error).message;
  }

  protected chooseBot(event: Event): void {
    this.botId.set((event.target as HTMLSelectElement).value);
  }

  protected async exportCsv(): Promise<void> {
    this.exporting.set(true);
    try {
      await this.api.exportCsv(this.params());
    } catch (error) {
      this.toaster.error(error);
    } finally {
      this.exporting.set(false);
    }
  }
}

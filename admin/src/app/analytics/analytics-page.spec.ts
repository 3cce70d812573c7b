import { provideHttpClient } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
  type TestRequest,
} from '@angular/common/http/testing';
import { ChangeDetectionStrategy, Component, input, provideZonelessChangeDetection } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { By } from '@angular/platform-browser';
import { provideRouter } from '@angular/router';
import {
  addUtcDays,
  type AnalyticsTotals,
  type AnalyticsSummary,
  type AnalyticsTimeseries,
  type LeadsByStatusResponse,
  utcDayOf,
} from '@chatbot/shared';
import type { ChartData } from 'chart.js';
import { AnalyticsPage } from './analytics-page';
import { ChartCanvas } from './chart-canvas';

/** Stands in for the Chart.js chart: the test reads what the page gives it. */
@Component({
  selector: 'app-chart',
  template: `<canvas [attr.aria-label]="label()"></canvas>`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class FakeChart {
  readonly type = input.required<string>();
  readonly data = input.required<ChartData>();
  readonly options = input<unknown>();
  readonly label = input.required<string>();
}

const counters = (changes: Partial<AnalyticsTotals> = {}): AnalyticsTotals => ({
  conversations: 0,
  messages: 0,
  tokensIn: 0,
  tokensOut: 0,
  costUsd: 0,
  leads: 0,
  unanswered: 0,
  handoffs: 0,
  conversionRate: 0,
  averageMessagesPerConversation: 0,
  ...changes,
});

describe('AnalyticsPage', () => {
  let http: HttpTestingController;
  const today = utcDayOf();

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
      ],
    }).overrideComponent(AnalyticsPage, {
      remove: { imports: [ChartCanvas] },
      add: { imports: [FakeChart] },
    });
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => http.verify());

  const pathOf = (url: string) => url.split('?')[0];
  const pending = (path: string): TestRequest => {
    TestBed.tick();
    return http.expectOne((request) => pathOf(request.url) === path);
  };
  const query = (request: TestRequest) => new URLSearchParams(request.request.urlWithParams.split('?')[1]);

  /** Answers the page's five requests for a range. */
  function answer(range: { from: string; to: string }, botId: string | null = null) {
    const totals = counters({
      conversations: 4,
      messages: 18,
      tokensIn: 1200,
      tokensOut: 300,
      costUsd: 0.0125,
      leads: 2,
      conversionRate: 0.5,
      averageMessagesPerConversation: 4.5,
      unanswered: 1,
    });
    const summary: AnalyticsSummary = {
      ...range,
      botId,
      totals,
      bots: [
        { botId: 'b-1', botName: 'Support', ...counters({ conversations: 3 }) },
        { botId: 'b-2', botName: 'Sales', ...counters({ conversations: 1 }) },
      ],
    };
    const series: AnalyticsTimeseries = {
      ...range,
      botId,
      days: [
        { day: range.from, ...counters({ conversations: 1, messages: 4, tokensIn: 100, tokensOut: 50 }) },
        { day: range.to, ...counters({ conversations: 3, messages: 14, tokensIn: 1100, tokensOut: 250 }) },
      ],
    };
    const leads: LeadsByStatusResponse = {
      ...range,
      botId,
      total: 2,
      byStatus: { new: 1, contacted: 0, qualified: 1, converted: 0 },
    };
    const requests = ['summary', 'timeseries', 'leads', 'unanswered'].map((name) =>
      pending(`/api/analytics/${name}`),
    );
    for (const request of requests) {
      expect([query(request).get('from'), query(request).get('to')]).toEqual([range.from, range.to]);
      expect(query(request).get('botId')).toBe(botId);
    }
    requests[0]!.flush(summary);
    requests[1]!.flush(series);
    requests[2]!.flush(leads);
    requests[3]!.flush({
      ...range,
      botId,
      questions: [
        {
          question: 'Do you ship to Mars?',
          normalized: 'do you ship to mars?',
          count: 3,
          lastAskedAt: `${range.to}T10:00:00.000Z`,
          botId: 'b-2',
          botName: 'Sales',
        },
      ],
    });
  }

  async function render() {
    const fixture = TestBed.createComponent(AnalyticsPage);
    const el = fixture.nativeElement as HTMLElement;
    pending('/api/chatbots').flush({
      chatbots: [
        { id: 'b-1', name: 'Support' },
        { id: 'b-2', name: 'Sales' },
      ],
      total: 2,
    });
    return { fixture, el };
  }
  const charts = (fixture: ComponentFixture<AnalyticsPage>) =>
    fixture.debugElement.queryAll(By.directive(FakeChart)).map((node) => node.componentInstance as FakeChart);

  it('shows the last 30 days: totals, the three charts and the unanswered questions', async () => {
    const { fixture, el } = await render();
    expect(el.querySelectorAll('.skeleton').length).toBeGreaterThan(0);
    answer({ from: addUtcDays(today, -29), to: today });
    await fixture.whenStable();
    const cards = [...el.querySelectorAll('app-stat-card')].map((card) => [
      card.querySelector('.label')!.textContent,
      card.querySelector('.value')!.textContent,
    ]);
    expect(cards).toEqual([
      ['Conversations', '4'],
      ['Messages', '18'],
      ['Leads', '2'],
      ['Tokens', '1,500'],
      ['Cost', '$0.0125'],
      ['Cost per conversation', '$0.0031'],
      ['Unanswered questions', '1'],
      ['Handoffs to a person', '0'],
    ]);
    expect(el.textContent).toContain('50% of conversations');
    const [activity, bots, leads] = charts(fixture);
    expect(activity!.type()).toBe('line');
    expect(activity!.data().datasets.map((set) => [set.label, set.data])).toEqual([
      ['Conversations', [1, 3]],
      ['Messages', [4, 14]],
      ['Tokens', [150, 1350]],
    ]);
    expect([bots!.type(), bots!.data().labels, bots!.data().datasets[0]!.data]).toEqual([
      'bar',
      ['Support', 'Sales'],
      [3, 1],
    ]);
    expect([leads!.type(), leads!.data().labels, leads!.data().datasets[0]!.data]).toEqual([
      'doughnut',
      ['New', 'Contacted', 'Qualified', 'Converted'],
      [1, 0, 1, 0],
    ]);
    expect(el.querySelector('tbody tr')!.textContent).toContain('Do you ship to Mars?');
    expect(el.querySelector('[aria-pressed="true"]')!.textContent!.trim()).toBe('30 days');
  });

  it('fetches again for another range or bot, keeping the figures shown meanwhile', async () => {
    const { fixture, el } = await render();
    answer({ from: addUtcDays(today, -29), to: today });
    await fixture.whenStable();
    const seven = [...el.querySelectorAll('button')].find((b) => b.textContent!.trim() === '7 days')!;
    seven.click();
    TestBed.tick();
    expect(el.querySelector('app-stat-card .value')!.textContent).toBe('4');
    answer({ from: addUtcDays(today, -6), to: today });
    await fixture.whenStable();

    const select = el.querySelector('select') as HTMLSelectElement;
    select.value = 'b-2';
    select.dispatchEvent(new Event('change'));
    answer({ from: addUtcDays(today, -6), to: today }, 'b-2');

    // A custom range applies as soon as it is one, and not while it is not.
    const [from, to] = [...el.querySelectorAll('input[type="date"]')] as HTMLInputElement[];
    from!.value = addUtcDays(today, -60);
    from!.dispatchEvent(new Event('change'));
    answer({ from: addUtcDays(today, -60), to: today }, 'b-2');
    to!.value = addUtcDays(today, -70);
    to!.dispatchEvent(new Event('change'));
    await fixture.whenStable();
    expect(el.querySelector('[role="alert"]')!.textContent).toContain(
      'The first day must not be after the last.',
    );
    TestBed.tick();
    http.expectNone((request) => pathOf(request.url) === '/api/analytics/summary');
    to!.value = addUtcDays(today, -40);
    to!.dispatchEvent(new Event('change'));
    answer({ from: addUtcDays(today, -60), to: addUtcDays(today, -40) }, 'b-2');
    await fixture.whenStable();
    expect(el.querySelector('[aria-pressed="true"]')).toBeNull();
  });

  it('says what went wrong when the figures cannot be loaded', async () => {
    const { fixture, el } = await render();
    TestBed.tick();
    for (const name of ['summary', 'timeseries', 'leads', 'unanswered']) {
      http
        .expectOne((request) => pathOf(request.url) === `/api/analytics/${name}`)
        .flush(
          { error: { code: 'forbidden', message: 'This needs the owner or admin role.' } },
          { status: 403, statusText: 'Forbidden' },
        );
    }
    await fixture.whenStable();
    expect(el.querySelector('.load-error')!.textContent).toContain('This needs the owner or admin role.');
    expect(charts(fixture)).toEqual([]);
  });

  it('downloads the CSV of the range with the server’s file name', async () => {
    const { fixture, el } = await render();
    answer({ from: addUtcDays(today, -29), to: today });
    await fixture.whenStable();
    const created = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:csv');
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      expect([this.href, this.download]).toEqual(['blob:csv', 'analytics-2026-01-01-2026-01-31.csv']);
    });
    [...el.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Export CSV')!.click();
    const request = http.expectOne((r) => pathOf(r.url) === '/api/analytics/export.csv');
    expect(query(request).get('from')).toBe(addUtcDays(today, -29));
    request.flush(new Blob(['day,botId\r\n']), {
      headers: { 'content-disposition': 'attachment; filename=analytics-2026-01-01-2026-01-31.csv' },
    });
    await fixture.whenStable();
    expect(created).toHaveBeenCalled();
    expect(clicked).toHaveBeenCalledTimes(1);
    vi.restoreAllMocks();
  });
});

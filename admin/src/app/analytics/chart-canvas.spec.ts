import { ChangeDetectionStrategy, Component, provideZonelessChangeDetection, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Chart, type ChartData, type ChartOptions } from 'chart.js';
import { type ChartKind, ChartCanvas } from './chart-canvas';

/**
 * jsdom draws nothing: a 2D context that records the drawing calls made on it stands in, so the test sees
 * whether Chart.js drew.
 */
function recordingContext(canvas: HTMLCanvasElement, calls: string[]): CanvasRenderingContext2D {
  const state: Record<string | symbol, unknown> = {
    canvas,
    measureText: (text: string) => ({ width: text.length * 6 }),
    getLineDash: () => [],
    createLinearGradient: () => ({ addColorStop: () => undefined }),
  };
  return new Proxy(state, {
    get: (target, name) =>
      name in target
        ? target[name]
        : (..._args: unknown[]) => {
            calls.push(String(name));
          },
    set: (target, name, value) => {
      target[name] = value;
      return true;
    },
  }) as unknown as CanvasRenderingContext2D;
}

@Component({
  imports: [ChartCanvas],
  template: `
    @if (shown()) {
      <app-chart [type]="type()" [data]="data()" [options]="options" label="Conversations per day" />
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class Host {
  readonly shown = signal(true);
  readonly type = signal<ChartKind>('line');
  readonly data = signal<ChartData>({
    labels: ['Mar 1', 'Mar 2'],
    datasets: [{ label: 'Conversations', data: [3, 5] }],
  });
  // jsdom lays nothing out: a fixed size, so the chart has an area to draw in.
  readonly options: ChartOptions = { responsive: false, animation: false };
}

describe('ChartCanvas', () => {
  let calls: string[];

  beforeEach(() => {
    calls = [];
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(function (
      this: HTMLCanvasElement,
    ) {
      return recordingContext(this, calls) as never;
    });
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection()] });
  });
  afterEach(() => vi.restoreAllMocks());

  async function render() {
    const fixture = TestBed.createComponent(Host);
    await fixture.whenStable();
    const canvas = fixture.nativeElement.querySelector('canvas') as HTMLCanvasElement;
    return { fixture, host: fixture.componentInstance, canvas };
  }

  it('draws the chart on its canvas, named for screen readers', async () => {
    const { canvas } = await render();
    const chart = Chart.getChart(canvas)!;
    expect(chart).toBeDefined();
    expect((chart.config as { type: string }).type).toBe('line');
    expect(chart.data.datasets[0]!.data).toEqual([3, 5]);
    expect(canvas.getAttribute('role')).toBe('img');
    expect(canvas.getAttribute('aria-label')).toBe('Conversations per day');
    expect(calls).toContain('lineTo');
    expect(calls).toContain('fillText');
  });

  it('updates the same chart when its data changes, and makes a new one for another type', async () => {
    const { fixture, host, canvas } = await render();
    const first = Chart.getChart(canvas)!;
    const update = vi.spyOn(first, 'update');
    host.data.set({
      labels: ['Mar 1', 'Mar 2', 'Mar 3'],
      datasets: [{ label: 'Conversations', data: [3, 5, 8] }],
    });
    await fixture.whenStable();
    expect(Chart.getChart(canvas)).toBe(first);
    expect(update).toHaveBeenCalledTimes(1);
    expect(first.data.datasets[0]!.data).toEqual([3, 5, 8]);

    const destroy = vi.spyOn(first, 'destroy');
    calls.length = 0;
    host.type.set('bar');
    await fixture.whenStable();
    const second = Chart.getChart(canvas)!;
    expect(destroy).toHaveBeenCalled();
    expect(second).not.toBe(first);
    expect((second.config as { type: string }).type).toBe('bar');
    expect(calls).toContain('rect');
    expect(calls).toContain('fill');
  });

  it('destroys the chart with the view', async () => {
    const { fixture, host, canvas } = await render();
    const chart = Chart.getChart(canvas)!;
    const destroy = vi.spyOn(chart, 'destroy');
    host.shown.set(false);
    await fixture.whenStable();
    expect(destroy).toHaveBeenCalled();
    expect(Chart.getChart(canvas)).toBeUndefined();
  });
});

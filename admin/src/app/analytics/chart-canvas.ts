import {
  afterRenderEffect,
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  type ElementRef,
  inject,
  input,
  untracked,
  viewChild,
} from '@angular/core';
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartData,
  type ChartOptions,
  DoughnutController,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';

// Only what the dashboard draws, so the rest of Chart.js is left out of the bundle.
Chart.register(
  LineController,
  LineElement,
  PointElement,
  BarController,
  BarElement,
  DoughnutController,
  ArcElement,
  CategoryScale,
  LinearScale,
  Tooltip,
  Legend,
);

/** The kinds of chart registered above. */
export type ChartKind = 'line' | 'bar' | 'doughnut';

/**
 * One Chart.js chart on a canvas, made when the view is drawn, updated in place when its data or options
 * change (so it animates from the old figures instead of flashing), and destroyed with the view. It fills
 * its host, whose height the page sets.
 */
@Component({
  selector: 'app-chart',
  template: `<canvas #canvas role="img" [attr.aria-label]="label()"></canvas>`,
  styles: `
    :host {
      display: block;
      position: relative;
      height: 16rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChartCanvas {
  readonly type = input.required<ChartKind>();
  readonly data = input.required<ChartData>();
  readonly options = input<ChartOptions>({});
  /** What the chart shows, for screen readers (a canvas has no text of its own). */
  readonly label = input.required<string>();

  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');
  private chart: Chart | null = null;

  constructor() {
    afterRenderEffect({
      write: () => {
        const type = this.type();
        const data = this.data();
        const options = { ...baseOptions(), ...this.options() };
        untracked(() => this.draw(type, data, options));
      },
    });
    inject(DestroyRef).onDestroy(() => {
      this.chart?.destroy();
      this.chart = null;
    });
  }

  private draw(type: ChartKind, data: ChartData, options: ChartOptions): void {
    if (this.chart && (this.chart.config as { type: string }).type === type) {
      this.chart.data = data;
      this.chart.options = options;
      this.chart.update();
      return;
    }
    this.chart?.destroy();
    this.chart = new Chart(this.canvas().nativeElement, { type, data, options });
  }
}

/** Sizing to the host, and no animation for users who asked for less motion. */
function baseOptions(): ChartOptions {
  const still = globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
  return { responsive: true, maintainAspectRatio: false, ...(still ? { animation: false } : {}) };
}

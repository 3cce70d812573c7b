import { ChangeDetectionStrategy, Component, computed, linkedSignal, model, signal } from '@angular/core';
import { utcDayOf } from '@chatbot/shared';
import { type DayRange, presetOf, presetRange, rangePresets, rangeProblem } from './date-range';

/**
 * The range of days a page shows: the last 7, 30 or 90 days in one click, or any days typed in. A custom
 * range is applied as soon as both days make a range the API takes; until then it says what is wrong.
 */
@Component({
  selector: 'app-range-picker',
  template: `
    <div class="picker" role="group" aria-label="Date range">
      <div class="presets">
        @for (days of presets; track days) {
          <button
            type="button"
            class="button small"
            [class.primary]="preset() === days"
            [attr.aria-pressed]="preset() === days"
            (click)="choose(days)"
          >
            {{ days }} days
          </button>
        }
      </div>
      <label class="field">
        <span>From</span>
        <input
          type="date"
          [value]="draft().from"
          [max]="today()"
          [attr.aria-invalid]="problem() ? 'true' : null"
          (change)="edit('from', $event)"
        />
      </label>
      <label class="field">
        <span>To</span>
        <input
          type="date"
          [value]="draft().to"
          [max]="today()"
          [attr.aria-invalid]="problem() ? 'true' : null"
          (change)="edit('to', $event)"
        />
      </label>
      @if (problem(); as problem) {
        <p class="form-error" role="alert">{{ problem }}</p>
      }
    </div>
  `,
  styles: `
    .picker {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem 0.75rem;
      align-items: end;
    }
    .presets {
      display: flex;
      gap: 0.35rem;
      padding-bottom: 0.3rem;
    }
    .field input {
      padding: 0.35rem 0.5rem;
    }
    .form-error {
      flex-basis: 100%;
      margin: 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RangePicker {
  readonly range = model.required<DayRange>();

  protected readonly presets = rangePresets;
  protected readonly today = signal(utcDayOf());
  /** What the inputs hold: the range, until the user types a day that does not make one yet. */
  protected readonly draft = linkedSignal(() => this.range());
  protected readonly problem = computed(() => rangeProblem(this.draft()));
  protected readonly preset = computed(() => presetOf(this.range(), this.today()));

  protected choose(days: number): void {
    this.today.set(utcDayOf());
    this.range.set(presetRange(days, this.today()));
  }

  protected edit(end: keyof DayRange, event: Event): void {
    const draft = { ...this.draft(), [end]: (event.target as HTMLInputElement).value };
    this.draft.set(draft);
    if (!rangeProblem(draft)) this.range.set(draft);
  }
}

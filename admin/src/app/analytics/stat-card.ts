import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/** A figure with its name, and a line under it when there is more to say. Null shows a skeleton. */
@Component({
  selector: 'app-stat-card',
  template: `
    <div class="card stat" [attr.aria-busy]="value() === null">
      <div class="label">{{ label() }}</div>
      @if (value() === null) {
        <div class="skeleton value-skeleton"></div>
      } @else {
        <div class="value">{{ value() }}</div>
      }
      @if (hint()) {
        <div class="hint">{{ hint() }}</div>
      }
    </div>
  `,
  styles: `
    .card {
      height: 100%;
    }
    .value-skeleton {
      height: 1.9rem;
      width: 5rem;
      margin-top: 0.3rem;
    }
    .hint {
      color: var(--muted);
      font-size: 0.8rem;
      margin-top: 0.2rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class StatCard {
  readonly label = input.required<string>();
  readonly value = input.required<string | null>();
  readonly hint = input<string | null>(null);
}

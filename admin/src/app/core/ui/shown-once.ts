import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';
import { Toaster } from './toaster';

let nextId = 1;

/**
 * A value the API returns only once (a webhook's signing secret, an invitation link): a warning card with
 * the value read-only, a copy button and a button to put it away. The warning and the explanation under
 * the value are projected: `<p warning>…</p>` and the rest.
 */
@Component({
  selector: 'app-shown-once',
  template: `
    <section class="card shown-once" role="region" [attr.aria-labelledby]="id + '-title'">
      <h2 [id]="id + '-title'">{{ heading() }}</h2>
      <ng-content select="[warning]" />
      <div class="value">
        <label class="visually-hidden" [for]="id">{{ label() }}</label>
        <input [id]="id" readonly [value]="value()" (focus)="$any($event.target).select()" />
        <button type="button" class="button" (click)="copy()">{{ copied() ? 'Copied' : copyLabel() }}</button>
      </div>
      <ng-content />
      <button type="button" class="button primary" (click)="dismissed.emit()">{{ doneLabel() }}</button>
    </section>
  `,
  styles: `
    .shown-once {
      display: grid;
      gap: 0.75rem;
      border-color: #fcd34d;
      background: #fffbeb;
      justify-items: start;
    }
    h2 {
      overflow-wrap: anywhere;
    }
    :host ::ng-deep p {
      margin: 0;
    }
    :host ::ng-deep [warning] {
      font-weight: 550;
    }
    :host ::ng-deep .how {
      color: var(--muted);
      font-size: 0.9rem;
      max-width: 60rem;
    }
    .value {
      display: flex;
      gap: 0.5rem;
      width: 100%;
      max-width: 52rem;
    }
    input {
      flex: 1;
      font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
      font-size: 0.9rem;
      /* Room below the baseline: an underscore in the value must show. */
      line-height: 1.6;
    }
    .value .button {
      flex: none;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ShownOnce {
  private readonly toaster = inject(Toaster);
  readonly heading = input.required<string>();
  /** The value's accessible name, such as "Signing secret". */
  readonly label = input.required<string>();
  readonly value = input.required<string>();
  readonly copyLabel = input('Copy');
  readonly doneLabel = input('Done');
  readonly dismissed = output<void>();
  protected readonly id = `shown-once-${nextId++}`;
  protected readonly copied = signal(false);

  protected async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.value());
      this.copied.set(true);
    } catch {
      this.toaster.error(
        `The browser did not allow copying: select the ${this.label().toLowerCase()} and copy it yourself.`,
      );
    }
  }
}

import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { FieldTree } from '@angular/forms/signals';

/**
 * The first error of a form field (the browser's, the schema's or the server's), once the field was
 * touched or the form submitted.
 */
@Component({
  selector: 'app-field-errors',
  template: `
    @if (message(); as text) {
      <span class="error">{{ text }}</span>
    }
  `,
  styles: `
    :host {
      display: contents;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FieldErrors {
  readonly field = input.required<FieldTree<unknown>>();

  protected readonly message = computed(() => {
    const state = this.field()();
    return state.touched() ? (state.errors()[0]?.message ?? null) : null;
  });
}

/** Whether a field shows an error now (for aria-invalid), by the same rule as {@link FieldErrors}. */
export function showsError(field: FieldTree<unknown>): boolean {
  const state = field();
  return state.touched() && state.invalid();
}

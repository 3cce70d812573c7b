import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Toaster } from './toaster';

@Component({
  selector: 'app-toasts',
  template: `
    <div class="toasts" aria-live="polite">
      @for (toast of toaster.toasts(); track toast.id) {
        <div
          class="toast"
          [class]="'toast toast-' + toast.kind"
          [attr.role]="toast.kind === 'error' ? 'alert' : 'status'"
        >
          <span>{{ toast.text }}</span>
          <button type="button" class="icon-button" aria-label="Dismiss" (click)="toaster.dismiss(toast.id)">
            ×
          </button>
        </div>
      }
    </div>
  `,
  styles: `
    .toasts {
      position: fixed;
      right: 1rem;
      bottom: 1rem;
      display: grid;
      gap: 0.5rem;
      z-index: 100;
      max-width: min(24rem, calc(100vw - 2rem));
    }
    .toast {
      display: flex;
      gap: 0.75rem;
      align-items: start;
      justify-content: space-between;
      padding: 0.75rem 1rem;
      border-radius: var(--radius);
      background: var(--surface);
      box-shadow: var(--shadow-lg);
      border-left: 4px solid var(--primary);
    }
    .toast-success {
      border-left-color: var(--success);
    }
    .toast-error {
      border-left-color: var(--danger);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Toasts {
  protected readonly toaster = inject(Toaster);
}

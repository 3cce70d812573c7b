import type { ElementRef } from '@angular/core';
import { ChangeDetectionStrategy, Component, effect, inject, viewChild } from '@angular/core';
import { Confirmer } from './confirmer';

@Component({
  selector: 'app-confirm-dialog',
  template: `
    <dialog #dialog (cancel)="answer(false)" aria-labelledby="confirm-title">
      @if (confirmer.pending(); as pending) {
        <h2 id="confirm-title">{{ pending.title }}</h2>
        <p>{{ pending.message }}</p>
        <div class="actions">
          <button type="button" class="button" (click)="answer(false)">Cancel</button>
          <button
            type="button"
            class="button"
            [class.danger]="pending.danger"
            [class.primary]="!pending.danger"
            (click)="answer(true)"
          >
            {{ pending.action }}
          </button>
        </div>
      }
    </dialog>
  `,
  styles: `
    dialog {
      border: none;
      border-radius: var(--radius);
      padding: 1.5rem;
      max-width: 28rem;
      box-shadow: var(--shadow-lg);
    }
    dialog::backdrop {
      background: rgb(15 23 42 / 0.4);
    }
    h2 {
      margin: 0 0 0.5rem;
      font-size: 1.1rem;
    }
    .actions {
      display: flex;
      justify-content: flex-end;
      gap: 0.5rem;
      margin-top: 1.25rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConfirmDialog {
  protected readonly confirmer = inject(Confirmer);
  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');

  constructor() {
    effect(() => {
      const dialog = this.dialog().nativeElement;
      if (this.confirmer.pending() && !dialog.open) dialog.showModal();
      if (!this.confirmer.pending() && dialog.open) dialog.close();
    });
  }

  protected answer(yes: boolean): void {
    this.confirmer.pending()?.answer(yes);
  }
}

import { Injectable, signal } from '@angular/core';
import { apiProblem } from '../api/api-error';

export interface Toast {
  id: number;
  kind: 'info' | 'success' | 'error';
  text: string;
}

const SHOWN_MS = 5000;

/** Short messages in the corner: what just happened, or what went wrong. */
@Injectable({ providedIn: 'root' })
export class Toaster {
  private next = 1;
  readonly toasts = signal<Toast[]>([]);

  info(text: string): void {
    this.show('info', text);
  }

  success(text: string): void {
    this.show('success', text);
  }

  /** A sentence, or the server's message for a failed request. */
  error(error: unknown): void {
    this.show('error', typeof error === 'string' ? error : apiProblem(error).message);
  }

  dismiss(id: number): void {
    this.toasts.update((toasts) => toasts.filter((toast) => toast.id !== id));
  }

  private show(kind: Toast['kind'], text: string): void {
    const id = this.next++;
    this.toasts.update((toasts) => [...toasts.slice(-4), { id, kind, text }]);
    // Errors stay until dismissed: they may need reading twice.
    if (kind !== 'error') setTimeout(() => this.dismiss(id), SHOWN_MS);
  }
}

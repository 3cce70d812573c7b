import { Injectable, signal } from '@angular/core';

export interface Confirmation {
  title: string;
  message: string;
  /** The button's label, such as "Delete bot". */
  action: string;
  danger?: boolean;
}

/** Asks before anything destructive: `if (await confirmer.ask({...})) …`. */
@Injectable({ providedIn: 'root' })
export class Confirmer {
  readonly pending = signal<(Confirmation & { answer: (yes: boolean) => void }) | null>(null);

  ask(confirmation: Confirmation): Promise<boolean> {
    this.pending()?.answer(false);
    return new Promise((resolve) => {
      this.pending.set({
        ...confirmation,
        answer: (yes) => {
          this.pending.set(null);
          resolve(yes);
        },
      });
    });
  }
}

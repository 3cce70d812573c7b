import { inject } from '@angular/core';
import type { CanDeactivateFn } from '@angular/router';
import { Confirmer } from '../../core/ui/confirmer';

/** A page that holds edits the server does not have yet. */
export interface HasUnsavedChanges {
  hasUnsavedChanges(): boolean;
}

/** Asks before leaving a page with unsaved changes; leaving is the user's choice, not a silent loss. */
export const unsavedChangesGuard: CanDeactivateFn<HasUnsavedChanges> = (page) =>
  !page.hasUnsavedChanges() ||
  inject(Confirmer).ask({
    title: 'Leave without saving?',
    message: 'Your changes to this chatbot are not saved yet. If you leave now, they are lost.',
    action: 'Leave without saving',
    danger: true,
  });

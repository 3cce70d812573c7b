import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterOutlet } from '@angular/router';
import { Toasts } from './core/ui/toasts';
import { ConfirmDialog } from './core/ui/confirm-dialog';

@Component({
  selector: 'app-root',
  imports: [RouterOutlet, Toasts, ConfirmDialog],
  template: `<router-outlet /><app-toasts /><app-confirm-dialog />`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App {}

import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Session } from '../core/auth/session';

/** Where a guard sends a user whose role does not open a page: it says which role would. */
@Component({
  selector: 'app-forbidden-page',
  imports: [RouterLink],
  template: `
    <section class="page">
      <div class="card empty" role="alert">
        <h2>You don't have access to this page</h2>
        <p>
          It needs the {{ needed() }} role; you are signed in as {{ session.user()?.role ?? 'a guest' }}. Ask
          an owner of your account to change your role.
        </p>
        <a class="button" routerLink="/">Back to the overview</a>
      </div>
    </section>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ForbiddenPage {
  protected readonly session = inject(Session);
  readonly needs = input<string>();
  protected readonly needed = computed(() => (this.needs() ?? 'admin').split(',').join(' or '));
}

import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { email, form, FormField, required } from '@angular/forms/signals';
import { Router } from '@angular/router';
import { apiProblem } from '../core/api/api-error';
import { Session } from '../core/auth/session';

@Component({
  selector: 'app-login-page',
  imports: [FormField],
  templateUrl: './login-page.html',
  styleUrl: './login-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoginPage {
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  /** Where the user was going when they were sent here (a query parameter). */
  readonly returnUrl = input<string>();

  protected readonly model = signal({ email: '', password: '' });
  protected readonly loginForm = form(this.model, (path) => {
    required(path.email, { message: 'Enter your email address.' });
    email(path.email, { message: 'That is not an email address.' });
    required(path.password, { message: 'Enter your password.' });
  });
  protected readonly busy = signal(false);
  protected readonly problem = signal<string | null>(null);

  protected async submit(event: Event): Promise<void> {
    event.preventDefault();
    if (this.loginForm().invalid()) {
      this.loginForm.email().markAsTouched();
      this.loginForm.password().markAsTouched();
      return;
    }
    this.busy.set(true);
    this.problem.set(null);
    try {
      const { email, password } = this.model();
      await this.session.login(email, password);
      await this.router.navigateByUrl(safeReturn(this.returnUrl()));
    } catch (error) {
      const problem = apiProblem(error);
      this.problem.set(problem.status === 401 ? 'The email or password is wrong.' : problem.message);
    } finally {
      this.busy.set(false);
    }
  }
}

/** Only a path of this app: a crafted link must not send a signed-in user to another site. */
function safeReturn(url: string | undefined): string {
  return url && url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/login') ? url : '/';
}

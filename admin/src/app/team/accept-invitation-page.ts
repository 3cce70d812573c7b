import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { form, FormField, required, validateStandardSchema } from '@angular/forms/signals';
import { Router, RouterLink } from '@angular/router';
import { acceptInvitationSchema, Limits } from '@chatbot/shared';
import { apiProblem, formFieldErrors } from '../core/api/api-error';
import { Session } from '../core/auth/session';

type FieldName = 'name' | 'password';

/** Why the invitation cannot be used, told with a way out (signing in). */
type Refusal = 'invalid' | 'taken';

const profileSchema = acceptInvitationSchema.pick({ name: true, password: true });

/**
 * `/accept-invitation?token=…`, outside the shell: the invited person chooses a name and a password,
 * joins the tenant with the invitation's role and lands signed in on the overview.
 */
@Component({
  selector: 'app-accept-invitation-page',
  imports: [FormField, RouterLink],
  templateUrl: './accept-invitation-page.html',
  styleUrl: './accept-invitation-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AcceptInvitationPage {
  protected readonly session = inject(Session);
  private readonly router = inject(Router);
  /** The invitation's token (a query parameter of the link). */
  readonly token = input<string>();

  protected readonly passwordRule = `At least ${Limits.passwordMinLength} characters.`;
  protected readonly model = signal({ name: '', password: '' });
  protected readonly joinForm = form(this.model, (path) => {
    required(path.name, { message: 'Enter your name, as your colleagues will see it.' });
    required(path.password, { message: 'Choose a password.' });
    validateStandardSchema(path, profileSchema);
  });
  protected readonly busy = signal(false);
  protected readonly submitted = signal(false);
  protected readonly problem = signal<string | null>(null);
  private readonly refused = signal<Refusal | null>(null);
  private readonly serverErrors = signal<Partial<Record<FieldName, string>>>({});

  /** A link cut short or edited is refused before asking for anything. */
  protected readonly refusal = computed<Refusal | null>(
    () =>
      this.refused() ??
      (acceptInvitationSchema.shape.token.safeParse(this.token()).success ? null : 'invalid'),
  );

  protected readonly errors = computed(() => {
    const server = this.serverErrors();
    const local = (field: FieldName) => {
      const state = this.joinForm[field]();
      return this.submitted() || state.touched() ? state.errors()[0]?.message : undefined;
    };
    return { name: server.name ?? local('name'), password: server.password ?? local('password') };
  });

  protected clearServerError(field: FieldName): void {
    this.serverErrors.update(({ [field]: _cleared, ...rest }) => rest);
  }

  protected async submit(event: Event): Promise<void> {
    event.preventDefault();
    this.submitted.set(true);
    this.problem.set(null);
    if (this.joinForm().invalid()) return;
    this.busy.set(true);
    try {
      const { name, password } = this.model();
      await this.session.acceptInvitation({ token: this.token()!, name: name.trim(), password });
      await this.router.navigateByUrl('/');
    } catch (error) {
      this.refuse(error);
    } finally {
      this.busy.set(false);
    }
  }

  private refuse(error: unknown): void {
    const problem = apiProblem(error);
    if (problem.status === 404 || problem.fields['token']) return this.refused.set('invalid');
    if (problem.status === 409) return this.refused.set('taken');
    const fields = formFieldErrors<FieldName>(problem, ['name', 'password']);
    this.serverErrors.set(fields);
    if (!Object.keys(fields).length) this.problem.set(problem.message);
  }
}

import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  type ElementRef,
  inject,
  output,
  signal,
  viewChild,
} from '@angular/core';
import { form, FormField, required, validateStandardSchema } from '@angular/forms/signals';
import { inviteUserSchema, type CreatedInvitation, type InviteUserInput } from '@chatbot/shared';
import { apiProblem, formFieldErrors } from '../core/api/api-error';
import { roleHelp, roleLabel } from './member-rules';
import { UsersApi } from './users-api';

type FieldName = keyof InviteUserInput;

/** Invites a colleague by email as an admin or an agent, validated by the schema the server uses. */
@Component({
  selector: 'app-invite-form',
  imports: [FormField],
  templateUrl: './invite-form.html',
  styleUrl: './invite-form.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class InviteForm {
  private readonly api = inject(UsersApi);
  readonly created = output<CreatedInvitation>();
  readonly cancelled = output<void>();

  protected readonly roles = (['agent', 'admin'] as const).map((role) => ({
    role,
    label: roleLabel[role],
    help: roleHelp[role],
  }));
  protected readonly model = signal<InviteUserInput>({ email: '', role: 'agent' });
  protected readonly inviteForm = form(this.model, (path) => {
    required(path.email, { message: 'Enter the email address of the person to invite.' });
    validateStandardSchema(path, inviteUserSchema);
  });
  protected readonly busy = signal(false);
  protected readonly submitted = signal(false);
  protected readonly problem = signal<string | null>(null);
  private readonly serverErrors = signal<Partial<Record<FieldName, string>>>({});
  private readonly emailInput = viewChild.required<ElementRef<HTMLInputElement>>('email');

  /** The first error of each field: the server's, else the schema's once the user tried to send. */
  protected readonly errors = computed(() => {
    const server = this.serverErrors();
    const local = (field: FieldName) =>
      this.submitted() ? this.inviteForm[field]().errors()[0]?.message : undefined;
    return { email: server.email ?? local('email'), role: server.role ?? local('role') };
  });

  constructor() {
    // Opened from the bottom of a long page too (the empty invitations): focusing brings the form into view.
    afterNextRender(() => this.emailInput().nativeElement.focus());
  }

  protected clearServerError(field: FieldName): void {
    this.serverErrors.update(({ [field]: _cleared, ...rest }) => rest);
  }

  protected async submit(event: Event): Promise<void> {
    event.preventDefault();
    this.submitted.set(true);
    this.problem.set(null);
    if (this.inviteForm().invalid()) return;
    this.busy.set(true);
    try {
      this.created.emit(await this.api.invite(this.model()));
    } catch (error) {
      const problem = apiProblem(error);
      // A taken email is a conflict of the email field, not of the whole form.
      const fields = {
        ...formFieldErrors<FieldName>(problem, ['email', 'role']),
        ...(problem.status === 409 ? { email: problem.message } : {}),
      };
      this.serverErrors.set(fields);
      if (!Object.keys(fields).length) this.problem.set(problem.message);
    } finally {
      this.busy.set(false);
    }
  }
}

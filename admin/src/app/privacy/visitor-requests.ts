import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { form, FormField, required, validateStandardSchema } from '@angular/forms/signals';
import { emailSchema, type VisitorErasure } from '@chatbot/shared';
import { apiProblem } from '../core/api/api-error';
import { Confirmer } from '../core/ui/confirmer';
import { Toaster } from '../core/ui/toaster';
import { PrivacyApi } from './privacy-api';

const counted = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** What an erasure deleted, in a sentence. */
export function erasureSummary(email: string, erased: VisitorErasure): string {
  if (!erased.conversations) return `Nothing was stored about ${email}: nothing was erased.`;
  return (
    `Erased for ${email}: ${counted(erased.conversations, 'conversation', 'conversations')}, ` +
    `${counted(erased.messages, 'message', 'messages')}, ${counted(erased.leads, 'lead', 'leads')} and ` +
    `${counted(erased.leadEvents, 'lead history entry', 'lead history entries')}.`
  );
}

/** A visitor's access and erasure requests (GDPR), by the email they left in a chat. */
@Component({
  selector: 'app-visitor-requests',
  imports: [FormField],
  templateUrl: './visitor-requests.html',
  styleUrl: './visitor-requests.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class VisitorRequests {
  private readonly api = inject(PrivacyApi);
  private readonly toaster = inject(Toaster);
  private readonly confirmer = inject(Confirmer);

  protected readonly model = signal({ email: '' });
  protected readonly visitorForm = form(this.model, (path) => {
    required(path.email, { message: 'Enter the email address the visitor left.' });
    validateStandardSchema(path.email, emailSchema);
  });
  protected readonly busy = signal<'export' | 'erase' | null>(null);
  protected readonly submitted = signal(false);
  protected readonly erased = signal<string | null>(null);
  private readonly serverError = signal<string | null>(null);
  protected readonly emailError = computed(
    () =>
      this.serverError() ?? (this.submitted() ? this.visitorForm.email().errors()[0]?.message : undefined),
  );

  protected edited(): void {
    this.serverError.set(null);
    this.erased.set(null);
  }

  protected async download(event?: Event): Promise<void> {
    event?.preventDefault();
    const email = this.valid();
    if (!email) return;
    this.busy.set('export');
    try {
      await this.api.exportVisitor(email);
      this.toaster.success(`Everything stored about ${email} was downloaded.`);
    } catch (error) {
      this.failed(error);
    } finally {
      this.busy.set(null);
    }
  }

  protected async erase(): Promise<void> {
    const email = this.valid();
    if (!email) return;
    const yes = await this.confirmer.ask({
      title: `Erase everything about ${email}?`,
      message:
        `Every conversation of the visitor who left ${email} (from the same browser, also those where ` +
        'no email was left) is deleted for good, with all its messages, the contact details and leads, ' +
        'and the leads’ history and notes. The audit log records the erasure with counts, not the address. ' +
        'This cannot be undone.',
      action: 'Erase data',
      danger: true,
    });
    if (!yes) return;
    this.busy.set('erase');
    try {
      this.erased.set(erasureSummary(email, await this.api.eraseVisitor(email)));
    } catch (error) {
      this.failed(error);
    } finally {
      this.busy.set(null);
    }
  }

  /** The email once it is valid (an email input strips the spaces around it); else the errors show. */
  private valid(): string | null {
    this.submitted.set(true);
    this.erased.set(null);
    return this.visitorForm().invalid() ? null : this.model().email;
  }

  private failed(error: unknown): void {
    const problem = apiProblem(error);
    if (problem.fields['email']) this.serverError.set(problem.fields['email']);
    else this.toaster.error(error);
  }
}

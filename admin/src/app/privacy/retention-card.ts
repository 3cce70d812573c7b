import { ChangeDetectionStrategy, Component, computed, inject, linkedSignal, signal } from '@angular/core';
import { form, FormField, required, validateStandardSchema } from '@angular/forms/signals';
import { PrivacyLimits, retentionSettingsSchema, type RetentionSettings } from '@chatbot/shared';
import { apiProblem } from '../core/api/api-error';
import { Session } from '../core/auth/session';
import { Confirmer } from '../core/ui/confirmer';
import { Toaster } from '../core/ui/toaster';
import { PrivacyApi } from './privacy-api';

interface RetentionModel {
  keep: 'forever' | 'days';
  days: number | null;
}

const modelOf = (settings: RetentionSettings | undefined): RetentionModel =>
  settings?.retentionDays ? { keep: 'days', days: settings.retentionDays } : { keep: 'forever', days: null };

/** How long the tenant keeps conversations: read by owners and admins, changed by an owner only. */
@Component({
  selector: 'app-retention-card',
  imports: [FormField],
  templateUrl: './retention-card.html',
  styleUrl: './retention-card.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RetentionCard {
  private readonly api = inject(PrivacyApi);
  private readonly toaster = inject(Toaster);
  private readonly confirmer = inject(Confirmer);
  private readonly session = inject(Session);

  protected readonly maxDays = PrivacyLimits.retentionDaysMax;
  protected readonly retention = this.api.retention();
  protected readonly canEdit = computed(() => this.session.user()?.role === 'owner');
  protected readonly problem = computed(() => {
    const error = this.retention.error();
    return error ? apiProblem(error).message : null;
  });
  /** The form starts from the saved setting, and again each time it is (re)loaded. */
  protected readonly model = linkedSignal(() => modelOf(this.retention.value()));
  protected readonly retentionForm = form(this.model, (path) => {
    required(path.days, {
      when: ({ valueOf }) => valueOf(path.keep) === 'days',
      message: 'Enter how many days to keep conversations.',
    });
    validateStandardSchema(path.days, ({ valueOf }) =>
      valueOf(path.keep) === 'days' ? retentionSettingsSchema.shape.retentionDays : undefined,
    );
  });
  /** Choosing "days" is a change even before a number is typed: saving then says what is missing. */
  protected readonly changed = computed(() => {
    const saved = modelOf(this.retention.value());
    const { keep, days } = this.model();
    return keep !== saved.keep || (keep === 'days' && days !== saved.days);
  });
  protected readonly busy = signal(false);
  protected readonly submitted = signal(false);
  private readonly serverError = signal<string | null>(null);
  protected readonly daysError = computed(
    () =>
      this.serverError() ?? (this.submitted() ? this.retentionForm.days().errors()[0]?.message : undefined),
  );

  protected clearServerError(): void {
    this.serverError.set(null);
  }

  protected async save(event: Event): Promise<void> {
    event.preventDefault();
    this.submitted.set(true);
    if (this.retentionForm().invalid() || !this.changed()) return;
    const settings = this.settings();
    if (!(await this.confirmShorter(settings))) return;
    this.busy.set(true);
    try {
      this.retention.set(await this.api.updateRetention(settings));
      this.submitted.set(false);
      this.toaster.success(
        settings.retentionDays
          ? `Conversations are now kept for ${settings.retentionDays} days after their last message.`
          : 'Conversations are now kept until they are deleted by hand.',
      );
    } catch (error) {
      const problem = apiProblem(error);
      if (problem.fields['retentionDays']) this.serverError.set(problem.fields['retentionDays']);
      else this.toaster.error(error);
    } finally {
      this.busy.set(false);
    }
  }

  private settings(): RetentionSettings {
    const { keep, days } = this.model();
    return { retentionDays: keep === 'days' ? days : null };
  }

  /** A shorter retention deletes data at the next sweep, for good: asked first. */
  private confirmShorter({ retentionDays: days }: RetentionSettings): Promise<boolean> {
    const saved = this.retention.value()?.retentionDays ?? null;
    if (days === null || (saved !== null && days >= saved)) return Promise.resolve(true);
    return this.confirmer.ask({
      title: `Delete conversations older than ${days} ${days === 1 ? 'day' : 'days'}?`,
      message:
        `Within a day, the daily sweep deletes for good every conversation whose last message is more ` +
        `than ${days} ${days === 1 ? 'day' : 'days'} old, with its messages, the leads captured in it and ` +
        'their history. This cannot be undone.',
      action: 'Set retention',
      danger: true,
    });
  }
}

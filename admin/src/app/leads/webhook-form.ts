import { ChangeDetectionStrategy, Component, computed, inject, output, signal } from '@angular/core';
import { form, FormField, required, validateStandardSchema } from '@angular/forms/signals';
import {
  createWebhookSchema,
  WebhookEventNames,
  type WebhookEventName,
  type WebhookWithSecret,
} from '@chatbot/shared';
import { apiProblem, formFieldErrors } from '../core/api/api-error';
import { webhookEventHelp } from './webhook-events';
import { WebhooksApi } from './webhooks-api';

type FieldName = 'url' | 'description' | 'events';

/** Creates a webhook, validated by the schema the server uses, with the server's refusals beside the fields. */
@Component({
  selector: 'app-webhook-form',
  imports: [FormField],
  templateUrl: './webhook-form.html',
  styleUrl: './webhook-form.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WebhookForm {
  private readonly api = inject(WebhooksApi);
  readonly created = output<WebhookWithSecret>();
  readonly cancelled = output<void>();

  protected readonly events = WebhookEventNames.map((name) => ({ name, help: webhookEventHelp[name] }));
  protected readonly model = signal({
    url: '',
    description: '',
    events: ['lead.created'] as WebhookEventName[],
    enabled: true,
  });
  protected readonly webhookForm = form(this.model, (path) => {
    required(path.url, { message: 'Enter the URL that receives the events.' });
    validateStandardSchema(path, createWebhookSchema);
  });
  protected readonly busy = signal(false);
  protected readonly submitted = signal(false);
  protected readonly problem = signal<string | null>(null);
  private readonly serverErrors = signal<Partial<Record<FieldName, string>>>({});

  /** The first error of each field: the server's, else the schema's once the user tried to save. */
  protected readonly errors = computed(() => {
    const server = this.serverErrors();
    const local = (field: FieldName) => {
      if (!this.submitted()) return undefined;
      const [first] = this.webhookForm[field]().errors();
      return first?.message;
    };
    return {
      url: server.url ?? local('url'),
      description: server.description ?? local('description'),
      events: server.events ?? local('events'),
    };
  });

  protected toggleEvent(name: WebhookEventName, checked: boolean): void {
    this.clearServerError('events');
    this.model.update((model) => ({
      ...model,
      events: checked
        ? WebhookEventNames.filter((event) => event === name || model.events.includes(event))
        : model.events.filter((event) => event !== name),
    }));
  }

  protected clearServerError(field: FieldName): void {
    this.serverErrors.update(({ [field]: _cleared, ...rest }) => rest);
  }

  protected async submit(event: Event): Promise<void> {
    event.preventDefault();
    this.submitted.set(true);
    this.problem.set(null);
    if (this.webhookForm().invalid()) return;
    this.busy.set(true);
    try {
      const model = this.model();
      this.created.emit(await this.api.create({ ...model, description: model.description.trim() }));
    } catch (error) {
      const problem = apiProblem(error);
      const fields = formFieldErrors<FieldName>(problem, ['url', 'description', 'events']);
      this.serverErrors.set(fields);
      if (!Object.keys(fields).length) this.problem.set(problem.message);
    } finally {
      this.busy.set(false);
    }
  }
}

import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { type FieldTree, form, required, submit, validateTree } from '@angular/forms/signals';
import { Router, RouterLink } from '@angular/router';
import {
  type BotStatus,
  type BotView,
  type CreateBotInput,
  createBotSchema,
  type UpdateBotInput,
  updateBotSchema,
} from '@chatbot/shared';
import { apiProblem } from '../../core/api/api-error';
import { Confirmer } from '../../core/ui/confirmer';
import { Toaster } from '../../core/ui/toaster';
import { BotsApi } from '../bots-api';
import { EmbedCode } from '../embed/embed-code';
import { BotPreview } from '../preview/bot-preview';
import { previewConfig } from '../preview/preview-config';
import { BotAppearanceSection } from './bot-appearance-section';
import { BotBasicsSection } from './bot-basics-section';
import { BotBehaviourSection } from './bot-behaviour-section';
import {
  type BotFormModel,
  changesBetween,
  type FieldProblem,
  fromBot,
  problemAt,
  toInput,
  validateBotForm,
} from './bot-form-model';
import { BotKeySection } from './bot-key-section';
import type { HasUnsavedChanges } from './unsaved-changes.guard';

/**
 * `/bots/new` and `/bots/:id`: the bot's settings in sections, validated with the server's own schema
 * before sending (a PATCH carries only what changed) and the server's field errors shown beside their
 * fields; the live preview and the embed code beside the form.
 */
@Component({
  selector: 'app-bot-edit-page',
  imports: [
    RouterLink,
    BotBasicsSection,
    BotKeySection,
    BotAppearanceSection,
    BotBehaviourSection,
    BotPreview,
    EmbedCode,
  ],
  templateUrl: './bot-edit-page.html',
  styleUrl: './bot-edit-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '(window:beforeunload)': 'beforeUnload($event)' },
})
export class BotEditPage implements HasUnsavedChanges {
  private readonly api = inject(BotsApi);
  private readonly router = inject(Router);
  private readonly toaster = inject(Toaster);
  private readonly confirmer = inject(Confirmer);

  /** The bot's id, from the route; none on /bots/new. */
  readonly id = input<string>();

  protected readonly bot = signal<BotView | null>(null);
  protected readonly loadError = signal<string | null>(null);
  protected readonly loading = computed(
    () => Boolean(this.id()) && this.bot()?.id !== this.id() && !this.loadError(),
  );
  /** The form's value as the server has it: what "unsaved changes" are measured against. */
  private readonly saved = signal<BotFormModel>(fromBot(null));
  protected readonly model = signal<BotFormModel>(fromBot(null));
  protected readonly botForm = form(this.model, (path) => {
    required(path.name, { message: 'Give the chatbot a name.' });
    validateTree(path, ({ value, fieldTree }) => validateBotForm(fieldTree, value()));
  });
  protected readonly busy = signal<'save' | 'publish' | 'key' | null>(null);
  protected readonly formError = signal<string | null>(null);

  protected readonly dirty = computed(
    () => Object.keys(changesBetween(this.saved(), this.model())).length > 0,
  );
  protected readonly preview = computed(() => previewConfig(this.model(), this.bot()));

  constructor() {
    effect(() => {
      const id = this.id();
      if (id) void this.load(id);
    });
    // The form's message is about the attempt to save: the next edit starts afresh (field errors stay).
    effect(() => {
      this.model();
      untracked(() => this.formError.set(null));
    });
  }

  hasUnsavedChanges(): boolean {
    return this.dirty();
  }

  protected showEmbed(): void {
    document.getElementById('embed')?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }

  protected beforeUnload(event: BeforeUnloadEvent): void {
    if (this.dirty()) event.preventDefault();
  }

  protected async load(id: string): Promise<void> {
    this.loadError.set(null);
    try {
      this.adopt(await this.api.get(id));
    } catch (error) {
      const problem = apiProblem(error);
      this.loadError.set(
        problem.status === 404 ? 'This chatbot does not exist, or was deleted.' : problem.message,
      );
    }
  }

  /** Saves the changes; with a status, publishes or unpublishes in the same request. */
  protected async save(status?: BotStatus): Promise<void> {
    if (this.busy()) return;
    const bot = this.bot();
    const body = bot
      ? { ...changesBetween(this.saved(), this.model()), ...(status ? { status } : {}) }
      : { ...toInput(this.model()), ...(status ? { status } : {}) };
    if (bot && Object.keys(body).length === 0) {
      this.toaster.info('There is nothing to save.');
      return;
    }
    this.formError.set(null);
    this.busy.set(status === 'published' ? 'publish' : 'save');
    try {
      const sent = await submit(this.botForm, {
        action: (tree) => this.send(tree, bot, body),
        onInvalid: () => this.formError.set('Some settings need fixing: see the fields marked in red.'),
      });
      if (sent && !bot) await this.router.navigate(['/bots', this.bot()!.id], { replaceUrl: true });
    } finally {
      this.busy.set(null);
    }
  }

  protected async removeKey(): Promise<void> {
    const bot = this.bot();
    const yes = await this.confirmer.ask({
      title: 'Remove the OpenAI key?',
      message:
        "The bot will answer with the platform's key, or offline from its documents when the platform has none.",
      action: 'Remove key',
      danger: true,
    });
    if (!bot || !yes) return;
    this.busy.set('key');
    try {
      this.bot.set(await this.api.update(bot.id, { openaiApiKey: null }));
      this.toaster.success('The OpenAI key was removed.');
    } catch (error) {
      this.toaster.error(error);
    } finally {
      this.busy.set(null);
    }
  }

  /** Checks the body with the server's schema, sends it, and returns the server's field errors, if any. */
  private async send(
    tree: FieldTree<BotFormModel>,
    bot: BotView | null,
    body: Record<string, unknown>,
  ): Promise<FieldProblem[] | undefined> {
    const parsed = (bot ? updateBotSchema : createBotSchema).safeParse(body);
    if (!parsed.success) {
      this.formError.set('Some settings need fixing: see the fields marked in red.');
      return parsed.error.issues.map((issue) => problemAt(tree, issue.path.join('.'), issue.message));
    }
    try {
      const result = bot
        ? await this.api.update(bot.id, parsed.data as UpdateBotInput)
        : await this.api.create(parsed.data as CreateBotInput);
      this.adopt(result);
      this.toaster.success(successText(bot, result));
      return undefined;
    } catch (error) {
      const problem = apiProblem(error);
      const fields = Object.entries(problem.fields);
      this.formError.set(
        fields.length ? 'The server refused some settings: see the fields marked in red.' : problem.message,
      );
      return fields.map(([path, message]) => problemAt(tree, path, message, 'server'));
    }
  }

  /** Shows the bot as the server has it: the form starts again from there, with nothing unsaved. */
  private adopt(bot: BotView): void {
    const model = fromBot(bot);
    this.bot.set(bot);
    this.saved.set(model);
    this.model.set(model);
    this.botForm().reset();
  }
}

function successText(before: BotView | null, after: BotView): string {
  if (!before) return `${after.name} was created as a draft.`;
  if (before.status !== after.status) {
    return after.status === 'published' ? `${after.name} is published.` : `${after.name} is a draft again.`;
  }
  return 'Changes saved.';
}

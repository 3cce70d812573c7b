import {
  ChangeDetectionStrategy,
  Component,
  type ElementRef,
  effect,
  inject,
  input,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import type { PublicBotConfig, WidgetPreview } from '@chatbot/shared';
import { BotsApi } from '../bots-api';
import { WidgetLoader } from './widget-loader';

/** The `<chat-bot>` element's script API, as far as the preview uses it. */
export type ChatBotElement = HTMLElement & {
  preview: WidgetPreview | null;
  open(options?: { focus?: boolean }): Promise<void>;
};

/**
 * The real widget, beside the form: it shows the settings being typed (through its `preview` property,
 * before anything is saved) and chats with the bot, draft or not, through conversations the dashboard
 * starts for signed-in members. Its stage is a containing block (a transform), so the widget's fixed
 * launcher and window sit in the stage, not in the corner of the dashboard.
 */
@Component({
  selector: 'app-bot-preview',
  template: `
    <section class="card preview" aria-labelledby="bot-preview-title">
      <div class="heading">
        <h2 id="bot-preview-title">Live preview</h2>
        <span class="hint">Changes show here before you save.</span>
      </div>
      @if (!botId()) {
        <p class="note">Create the chatbot to chat with it here.</p>
      } @else if (draft()) {
        <p class="note">A draft: only your team can chat with it, here.</p>
      }
      <div class="stage" #stage>
        @if (failed(); as text) {
          <p class="form-error" role="alert">{{ text }}</p>
        }
      </div>
    </section>
  `,
  styles: `
    .preview {
      display: grid;
      gap: 0.75rem;
      padding: 0.75rem;
    }
    .heading {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem 0.75rem;
      align-items: baseline;
      justify-content: space-between;
    }
    .hint,
    .note {
      color: var(--muted);
      font-size: 0.85rem;
      margin: 0;
    }
    /* As tall as the screen allows beside the sticky column; the window fits in it, above the launcher. */
    .stage {
      position: relative;
      transform: translateZ(0);
      overflow: hidden;
      height: clamp(30rem, calc(100vh - 9.5rem), 47.5rem);
      --chat-bot-window-height: calc(100% - 120px);
      border-radius: 8px;
      border: 1px solid var(--border);
      background:
        linear-gradient(var(--border) 0 0) 1.5rem 1.5rem / 55% 0.75rem no-repeat,
        linear-gradient(var(--border) 0 0) 1.5rem 3rem / 75% 0.5rem no-repeat,
        linear-gradient(var(--border) 0 0) 1.5rem 4rem / 65% 0.5rem no-repeat,
        var(--bg);
    }
    .stage .form-error {
      margin: 6rem 1.5rem 0;
    }
    @media (max-width: 480px) {
      /* The widget fills a phone's screen: the stage is one screen tall. */
      .stage {
        height: 100svh;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BotPreview {
  private readonly api = inject(BotsApi);
  /** The saved bot's id; null while it is being created (the preview shows, but cannot chat yet). */
  readonly botId = input<string | null>(null);
  readonly draft = input(false);
  readonly config = input.required<PublicBotConfig>();

  private readonly stage = viewChild.required<ElementRef<HTMLElement>>('stage');
  private readonly loaded = signal(false);
  private readonly element = signal<ChatBotElement | null>(null);
  protected readonly failed = signal<string | null>(null);

  constructor() {
    inject(WidgetLoader)
      .load()
      .then(
        () => this.loaded.set(true),
        (error: Error) => this.failed.set(error.message),
      );

    // One element per bot id: a conversation belongs to one bot.
    effect((onCleanup) => {
      if (!this.loaded()) return;
      const id = this.botId();
      const element = document.createElement('chat-bot') as ChatBotElement;
      element.preview = this.previewOf(id, untracked(this.config));
      if (id) element.setAttribute('bot-id', id);
      this.stage().nativeElement.append(element);
      // Open for show: the focus stays in the form the user is typing in.
      void element.open({ focus: false });
      this.element.set(element);
      onCleanup(() => element.remove());
    });

    effect(() => {
      const element = this.element();
      const config = this.config();
      if (element) element.preview = this.previewOf(untracked(this.botId), config);
    });
  }

  private previewOf(botId: string | null, config: PublicBotConfig): WidgetPreview {
    return {
      config,
      startConversation: () =>
        botId ? this.api.startPreview(botId) : Promise.reject(new Error('Create the chatbot first.')),
    };
  }
}

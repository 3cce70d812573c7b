import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import type { BotStatus } from '@chatbot/shared';
import { Toaster } from '../../core/ui/toaster';
import { WIDGET_SCRIPT } from '../preview/widget-loader';

type EmbedStyle = 'script' | 'element';

/** How long a Copy button says "Copied". */
const COPIED_MS = 2000;

/** The two ways to put the bot on a site (README "Put the chat on a website"), for this platform's origin. */
export function embedSnippets(origin: string, botId: string): Record<EmbedStyle, string> {
  const src = `${origin}${WIDGET_SCRIPT}`;
  return {
    script: `<script src="${src}" data-bot-id="${botId}" defer></script>`,
    element: `<script type="module" src="${src}"></script>\n<chat-bot bot-id="${botId}"></chat-bot>`,
  };
}

/** The embed code of a bot, with Copy buttons and the steps to install it. */
@Component({
  selector: 'app-embed-code',
  template: `
    <section class="card embed" aria-labelledby="embed-title">
      <h2 id="embed-title">Embed on your website</h2>
      @if (status() === 'draft') {
        <div class="warning" role="note">
          <span>
            This chatbot is a <strong>draft</strong>: the code shows nothing on your site until you publish
            it.
          </span>
          <button type="button" class="button small primary" (click)="publish.emit()">Publish</button>
        </div>
      }
      @for (style of styles; track style.key) {
        <div class="snippet">
          <div class="snippet-head">
            <h3 [id]="'embed-' + style.key">{{ style.title }}</h3>
            <button
              type="button"
              class="button small"
              [attr.aria-label]="'Copy the ' + style.title.toLowerCase() + ' code'"
              (click)="copy(style.key)"
            >
              {{ copied() === style.key ? 'Copied' : 'Copy' }}
            </button>
          </div>
          <p class="hint">{{ style.hint }}</p>
          <pre [attr.aria-labelledby]="'embed-' + style.key"><code>{{ snippets()[style.key] }}</code></pre>
        </div>
      }
      <span class="visually-hidden" role="status">{{ copied() ? 'Copied to the clipboard' : '' }}</span>
      <ol class="steps">
        <li>Copy one of the codes above.</li>
        <li>
          Paste it into your site's HTML just before <code>&lt;/body&gt;</code>, on every page that should
          chat.
        </li>
        <li>Publish the chatbot, then reload your site: the chat button appears in the corner.</li>
      </ol>
    </section>
  `,
  styles: `
    .embed {
      display: grid;
      gap: 1rem;
    }
    .warning {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem 0.75rem;
      align-items: center;
      justify-content: space-between;
      padding: 0.6rem 0.8rem;
      border-radius: 8px;
      background: #fef3c7;
      color: #92400e;
      font-size: 0.9rem;
    }
    .snippet {
      display: grid;
      gap: 0.35rem;
      min-width: 0;
    }
    .snippet-head {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 0.5rem;
    }
    h3 {
      margin: 0;
      font-size: 0.95rem;
    }
    .hint {
      margin: 0;
      color: var(--muted);
      font-size: 0.85rem;
    }
    pre {
      margin: 0;
      padding: 0.75rem;
      border-radius: 8px;
      background: #0f172a;
      color: #e2e8f0;
      font-size: 0.8rem;
      white-space: pre-wrap;
      word-break: break-all;
    }
    .steps {
      margin: 0;
      padding-left: 1.25rem;
      display: grid;
      gap: 0.35rem;
      font-size: 0.9rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EmbedCode {
  private readonly toaster = inject(Toaster);
  readonly botId = input.required<string>();
  readonly status = input.required<BotStatus>();
  /** The user asked to publish the bot from here. */
  readonly publish = output<void>();

  protected readonly styles: { key: EmbedStyle; title: string; hint: string }[] = [
    { key: 'script', title: 'One line', hint: 'The simplest: the script adds the chat to the page.' },
    {
      key: 'element',
      title: 'Element',
      hint: 'Place <chat-bot> yourself; add lang="fr" or position="bottom-left" to override the settings.',
    },
  ];
  protected readonly snippets = computed(() => embedSnippets(location.origin, this.botId()));
  protected readonly copied = signal<EmbedStyle | null>(null);
  private copiedTimer: ReturnType<typeof setTimeout> | undefined;

  protected async copy(style: EmbedStyle): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.snippets()[style]);
    } catch {
      this.toaster.error('The browser refused to copy: select the code and copy it yourself.');
      return;
    }
    this.copied.set(style);
    clearTimeout(this.copiedTimer);
    this.copiedTimer = setTimeout(() => this.copied.set(null), COPIED_MS);
  }
}

import { ChatLimits, type ChatMessage, type PublicBotConfig, type WidgetPreview } from '@chatbot/shared';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { ChatSession } from './controllers/chat-session';
import { pageStorage } from './controllers/saved-session';
import { leadForm, readLeadForm, type LeadFormErrors } from './components/lead-form';
import { isPending, messageView, typingView } from './components/message-view';
import { pickLocale } from './i18n/i18n';
import { catalog, type WindowLocale } from './i18n/window.catalog';
import { windowStyles } from './styles/window.styles';
import { closeIcon, sendIcon } from './styles/icons';

/** What the loader hands the window when it opens it the first time. */
export interface ChatWindowInit {
  botId: string;
  server: string;
  /** The page's choice of language (the element's `lang`), before the bot's and the browser's. */
  lang: string | null;
  position: string | null;
  config: PublicBotConfig | null;
  /** The dashboard's live preview, when it is one (see `<chat-bot>`'s `preview`). */
  preview: WidgetPreview | null;
}

/**
 * `<chat-bot-window>`: the chat itself, loaded by `<chat-bot>` on first open. It renders a
 * {@link ChatSession}; finished messages go into a `role="log"` region (announced once each), while an
 * answer being streamed is drawn beside it, hidden from screen readers until it is complete.
 */
export class ChatWindowElement extends LitElement {
  static override styles = windowStyles;
  static override properties = {
    open: { type: Boolean, reflect: true },
  };

  /** Reflected, so styles and tests can see it; the loader sets it. */
  declare open: boolean;
  private session!: ChatSession;
  private init!: ChatWindowInit;
  private leadErrors: LeadFormErrors = {};
  private leadBusy = false;
  private notice: string | null = null;
  private draft = '';
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly onVisible = () => {
    if (document.visibilityState === 'visible') this.session.resync();
  };
  private readonly onOnline = () => this.session.resync();
  private readonly onOffline = () => this.session.setOffline();
  private readonly onViewport = () => this.fitViewport();

  constructor() {
    super();
    this.open = false;
  }

  /** Starts the session; called once by the loader, before the window is first shown. */
  start(init: ChatWindowInit): void {
    this.init = init;
    this.session = new ChatSession({
      botId: init.botId,
      server: init.server,
      // A preview's conversation lasts as long as the dashboard's page: it is never resumed elsewhere.
      storage: init.preview ? null : pageStorage(),
      config: init.config,
      preview: init.preview,
      referrer: location.href,
      language: navigator.language,
      onChange: () => this.requestUpdate(),
      onMessage: (message) => this.emit('chat-bot:message', { message }),
      onLead: (lead) => this.emit('chat-bot:lead', { lead }),
    });
    void this.session.load();
  }

  /** Whether this browser already talks with the bot (the loader loads the window early then). */
  get unreadCount(): number {
    return this.session?.unreadCount ?? 0;
  }

  /** Sends `text` as the visitor. */
  send(text: string): void {
    this.session.send(text);
  }

  /** Shows other settings at once (the dashboard's preview, as they are edited). */
  showSettings(config: PublicBotConfig): void {
    this.session.config = config;
    this.requestUpdate();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Put back into the page after being taken out (single-page apps move elements): start again.
    if (this.session?.disposed) this.start(this.init);
    document.addEventListener('visibilitychange', this.onVisible);
    addEventListener('online', this.onOnline);
    addEventListener('offline', this.onOffline);
    visualViewport?.addEventListener('resize', this.onViewport);
    visualViewport?.addEventListener('scroll', this.onViewport);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.onVisible);
    removeEventListener('online', this.onOnline);
    removeEventListener('offline', this.onOffline);
    visualViewport?.removeEventListener('resize', this.onViewport);
    visualViewport?.removeEventListener('scroll', this.onViewport);
    this.session?.dispose();
  }

  /** Moves focus into the window: the input, or the first control when there is no input. */
  focusFirst(): void {
    void this.updateComplete.then(() => {
      const target =
        this.renderRoot.querySelector<HTMLElement>('textarea:not([disabled])') ??
        this.renderRoot.querySelector<HTMLElement>('button');
      target?.focus();
    });
  }

  private get locale(): WindowLocale {
    const config = this.session?.config;
    return pickLocale(catalog, [this.init?.lang, config?.appearance.language, ...navigator.languages]);
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('open') && this.open) this.fitViewport();
    if (this.open) this.session?.markSeen();
    const scroll = this.renderRoot.querySelector('.scroll');
    // Follow the conversation unless the visitor scrolled up to read.
    if (scroll && scroll.scrollHeight - scroll.scrollTop - scroll.clientHeight < 120) {
      scroll.scrollTop = scroll.scrollHeight;
    }
    this.dispatchEvent(new CustomEvent('chat-bot-window:change', { bubbles: false }));
  }

  override render() {
    if (!this.session) return nothing;
    const locale = this.locale;
    const { t } = locale;
    const session = this.session;
    const config = session.config;
    const name = session.agentName ?? config?.appearance.botName ?? config?.name ?? '';
    const position = this.init.position ?? config?.appearance.position;
    return html`<section
      class="window ${position === 'bottom-left' ? 'left' : ''}"
      part="window"
      role="dialog"
      aria-labelledby="chat-title"
      lang=${locale.lang}
      dir=${locale.dir}
      style=${config ? `--_config-primary:${config.appearance.primaryColor}` : ''}
      @keydown=${this.onKeydown}
    >
      <header part="header">
        ${this.avatar(name, config)}
        <div class="title">
          <h2 id="chat-title">${name || t('conversation')}</h2>
          <div class="status" part="status">${this.statusText(locale)}</div>
        </div>
        <button
          type="button"
          class="icon-button"
          part="close-button"
          aria-label=${t('closeChat')}
          @click=${this.requestClose}
        >
          ${closeIcon}
        </button>
      </header>
      ${this.body(locale)}
    </section>`;
  }

  private avatar(name: string, config: PublicBotConfig | null) {
    const url = this.session.agentName ? null : config?.appearance.avatarUrl;
    return url
      ? html`<img class="avatar" part="avatar" src=${url} alt="" referrerpolicy="no-referrer" />`
      : html`<span class="avatar" part="avatar" aria-hidden="true">${(name[0] ?? '?').toUpperCase()}</span>`;
  }

  private statusText({ t }: WindowLocale): string {
    const { connection, status } = this.session;
    if (status !== 'ready') return '';
    if (connection === 'reconnecting' || connection === 'offline') return t('reconnecting');
    if (connection === 'connecting') return t('connecting');
    return t('online');
  }

  private body(locale: WindowLocale) {
    const { t } = locale;
    const session = this.session;
    if (session.status === 'loading') {
      return html`<div class="scroll"><div class="center" role="status">${t('loading')}</div></div>`;
    }
    if (session.status === 'unavailable' || session.status === 'unreachable') {
      return html`<div class="scroll">
        <div class="center" role="alert">
          <p>${t(session.status)}</p>
          ${
            session.status === 'unreachable'
              ? html`<button type="button" class="primary" @click=${() => session.resync()}>
                  ${t('tryAgain')}
                </button>`
              : nothing
          }
        </div>
      </div>`;
    }
    const config = session.config!;
    const messages = session.messages;
    const finished = messages.filter((m) => isPending(m) || m.state !== 'streaming');
    const streaming = messages.filter((m): m is ChatMessage => !isPending(m) && m.state === 'streaming');
    const actions = {
      retry: (id: string) => session.retry(id),
      talkToHuman:
        config.handoff.enabled && session.mode === 'bot' && !session.waitingForAgent
          ? () => this.talkToHuman()
          : null,
      leaveDetails:
        config.leadCapture.enabled && !session.leadSent ? () => session.setLeadRequested(true) : null,
    };
    const closed = session.mode === 'closed';
    return html`
      ${session.connection === 'offline' ? html`<div class="banner" role="status" part="banner">${t('offline')}</div>` : nothing}
      ${session.connection === 'reconnecting' ? html`<div class="banner" role="status" part="banner">${t('reconnecting')}</div>` : nothing}
      <div class="scroll" part="messages">
        <div role="log" aria-live="polite" aria-label=${t('conversation')}>
          ${
            config.welcomeMessage
              ? html`<div
                  class="message bot"
                  dir="auto"
                  part="message bot-message welcome"
                  data-role="welcome"
                >
                  <div class="body">${config.welcomeMessage}</div>
                </div>`
              : nothing
          }
          ${finished.map((m) => messageView(m, locale, actions))}
          ${session.waitingForAgent ? html`<div class="message system" data-role="system">${t('waitingForHuman')}</div>` : nothing}
          ${this.notice ? html`<div class="message system" data-role="system">${this.notice}</div>` : nothing}
          ${
            closed
              ? html`<div class="message system" data-role="system">
                  ${t('closed')}
                  <button type="button" class="link-button" @click=${() => session.startOver()}>
                    ${t('newConversation')}
                  </button>
                </div>`
              : nothing
          }
        </div>
        <div class="draft" aria-hidden="true">
          ${streaming.map((m) => (m.content ? messageView(m, locale, actions) : nothing))}
          ${this.isTyping(streaming) ? typingView(locale) : nothing}
        </div>
        ${
          session.leadRequested && !session.leadSent && config.leadCapture.enabled
            ? leadForm(
                locale,
                { errors: this.leadErrors, busy: this.leadBusy },
                { submit: this.submitLead, cancel: () => session.setLeadRequested(false) },
              )
            : nothing
        }
      </div>
      ${closed ? nothing : this.composer(locale, actions)}
    `;
  }

  private composer(
    { t }: WindowLocale,
    actions: { talkToHuman: (() => void) | null; leaveDetails: (() => void) | null },
  ) {
    const session = this.session;
    // Under a reply that could not answer, the same offers stand right below it.
    const last = session.messages.at(-1);
    const offered = last && !isPending(last) && last.role === 'bot' && last.unanswered;
    const showActions = !offered && (actions.talkToHuman || (actions.leaveDetails && !session.leadRequested));
    return html`
      ${
        showActions
          ? html`<div class="actions" part="actions">
              ${
                actions.talkToHuman
                  ? html`<button type="button" class="chip" part="human-button" @click=${actions.talkToHuman}>
                      ${t('talkToHuman')}
                    </button>`
                  : nothing
              }
              ${
                actions.leaveDetails && !session.leadRequested
                  ? html`<button type="button" class="chip" part="lead-button" @click=${actions.leaveDetails}>
                      ${t('leaveDetails')}
                    </button>`
                  : nothing
              }
            </div>`
          : nothing
      }
      ${session.retryAfterSeconds ? html`<div class="banner" role="status">${t('tooMany', { seconds: session.retryAfterSeconds })}</div>` : nothing}
      <form class="composer" part="composer" @submit=${this.submitMessage}>
        <textarea
          part="input"
          rows="1"
          aria-label=${t('messageLabel')}
          placeholder=${t('messagePlaceholder')}
          maxlength=${ChatLimits.messageMaxLength}
          .value=${this.draft}
          @input=${this.onInput}
          @keydown=${this.onInputKeydown}
        ></textarea>
        <button
          type="submit"
          class="send"
          part="send-button"
          aria-label=${t('send')}
          ?disabled=${!this.draft.trim()}
        >
          ${sendIcon}
        </button>
      </form>
    `;
  }

  /** Dots while the bot is about to answer (a question of the visitor's has no reply yet) or an agent types. */
  private isTyping(streaming: ChatMessage[]): boolean {
    const session = this.session;
    if (session.agentTyping) return true;
    if (session.mode !== 'bot' || session.waitingForAgent) return false;
    if (streaming.some((m) => !m.content)) return true;
    const last = session.messages.at(-1);
    return Boolean(
      last &&
      !isPending(last) &&
      last.role === 'visitor' &&
      streaming.length === 0 &&
      !last.unanswered &&
      this.recent(last),
    );
  }

  /** A question asked in the last minute (an older one without reply is not going to get one now). */
  private recent(message: ChatMessage): boolean {
    return Date.now() - Date.parse(message.createdAt) < 60_000;
  }

  private onInput = (event: InputEvent) => {
    const textarea = event.target as HTMLTextAreaElement;
    this.draft = textarea.value;
    textarea.style.height = 'auto';
    textarea.style.height = `${textarea.scrollHeight}px`;
    this.session.typing(true);
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.session.typing(false), 2000);
    this.requestUpdate();
  };

  private onInputKeydown = (event: KeyboardEvent) => {
    // Enter sends, Shift+Enter starts a new line; not while an input method composes a character.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      (event.target as HTMLTextAreaElement).form?.requestSubmit();
    }
  };

  private onKeydown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      this.requestClose();
    }
  };

  private submitMessage = (event: SubmitEvent) => {
    event.preventDefault();
    const text = this.draft.trim();
    if (!text) return;
    this.session.send(text);
    this.draft = '';
    clearTimeout(this.typingTimer);
    this.session.typing(false);
    const textarea = this.renderRoot.querySelector('textarea');
    if (textarea) textarea.style.height = 'auto';
    this.requestUpdate();
  };

  private submitLead = async (event: SubmitEvent) => {
    event.preventDefault();
    const { lead, errors } = readLeadForm(event.target as HTMLFormElement, this.locale);
    this.leadErrors = errors ?? {};
    if (!lead) {
      this.requestUpdate();
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.lead [aria-invalid="true"]')?.focus();
      return;
    }
    this.leadBusy = true;
    this.requestUpdate();
    try {
      await this.session.submitLead(lead);
      this.notice = this.locale.t('leadThanks');
      this.focusFirst();
    } catch {
      this.leadErrors = { form: this.locale.t('leadFailed') };
    } finally {
      this.leadBusy = false;
      this.requestUpdate();
    }
  };

  private async talkToHuman(): Promise<void> {
    await this.session.requestHuman().catch(() => undefined);
  }

  private requestClose = () => {
    this.dispatchEvent(new CustomEvent('chat-bot-window:close', { bubbles: false }));
  };

  private emit(name: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  /** On a phone the window fills the visual viewport, so the on-screen keyboard never covers the input. */
  private fitViewport(): void {
    const viewport = visualViewport;
    if (!viewport) return;
    this.style.setProperty('--_viewport-height', `${viewport.height}px`);
    this.style.setProperty('--_viewport-top', `${viewport.offsetTop}px`);
  }
}

if (!customElements.get('chat-bot-window')) customElements.define('chat-bot-window', ChatWindowElement);

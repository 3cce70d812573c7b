import type { PublicBotConfig, WidgetPreview } from '@chatbot/shared';
import type { ChatWindowElement } from './chat-window';
import { PublicApi } from './controllers/public-api';
import { SessionStore, pageStorage } from './controllers/saved-session';
import { pickLocale } from './i18n/i18n';
import { launcherCatalog } from './i18n/launcher.catalog';
import { iconPaths } from './styles/icon-paths';
import { launcherStyles } from './styles/launcher.styles';

/** The chat window's file name, content-hashed, set by the build. */
declare const __CHAT_WINDOW_FILE__: string;

/** The parts of the window a page may style with `chat-bot::part(…)`. */
const WINDOW_PARTS =
  'window, header, avatar, status, close-button, banner, messages, message, visitor-message, bot-message, ' +
  'agent-message, welcome, notice, citation, sources, typing, actions, human-button, lead-button, lead-form, ' +
  'composer, input, send-button';

/**
 * This script's own URL, which says where the platform is. `document.currentScript` names it while a
 * classic script runs; a module script has none, so it is looked up by name.
 */
const ownScript =
  (document.currentScript as HTMLScriptElement | null) ??
  [...document.querySelectorAll<HTMLScriptElement>('script[src]')].find((s) =>
    /\/chat-bot\.js(\?|#|$)/.test(s.src),
  ) ??
  null;
const scriptUrl = ownScript?.src || location.href;

/**
 * `<chat-bot bot-id="…">`: the loader. It draws the launcher at once and fetches the bot's colours; the
 * chat window (Lit, the socket, Markdown) loads on first open, or earlier when the pointer comes near
 * or the visitor already has a conversation. Attributes: `bot-id`, `server` (the platform's URL, by
 * default where this script came from), `lang`, `position` (`bottom-right` or `bottom-left`).
 * Methods `open()` (`open({ focus: false })` leaves the focus where it is), `close()`, `toggle()`,
 * `send(text)`; events `chat-bot:open`, `chat-bot:close`, `chat-bot:message`, `chat-bot:lead` (all
 * bubbling and composed). The dashboard's live preview sets the `preview` property.
 */
export class ChatBotElement extends HTMLElement {
  private readonly root = this.attachShadow({ mode: 'open' });
  private frame: HTMLDivElement | null = null;
  private launcher: HTMLButtonElement | null = null;
  private badge: HTMLSpanElement | null = null;
  private window: ChatWindowElement | null = null;
  private loading: Promise<ChatWindowElement | null> | null = null;
  private config: Promise<PublicBotConfig | null> | null = null;
  private returnFocus: HTMLElement | null = null;
  private previewed: WidgetPreview | null = null;

  get botId(): string {
    return this.getAttribute('bot-id')?.trim() ?? '';
  }

  /** The platform's base URL, without a trailing slash. */
  get server(): string {
    const named = this.getAttribute('server');
    return new URL(named ?? '..', named ? location.href : new URL(scriptUrl, location.href)).href.replace(
      /\/$/,
      '',
    );
  }

  get isOpen(): boolean {
    return this.hasAttribute('open');
  }

  /**
   * The dashboard's live preview: settings as they are being edited, shown instead of the published
   * ones (nothing is fetched or kept in storage), and conversations the dashboard starts, which work
   * while the bot is a draft. A property, not an attribute, so no page's markup can turn it on; setting
   * it again shows the new settings at once.
   */
  get preview(): WidgetPreview | null {
    return this.previewed;
  }

  set preview(preview: WidgetPreview) {
    this.previewed = preview;
    this.config = Promise.resolve(preview.config);
    this.applyConfig(preview.config);
    this.window?.showSettings(preview.config);
  }

  connectedCallback(): void {
    if (this.launcher) return;
    this.drawLauncher();
    if (this.previewed) return this.applyConfig(this.previewed.config);
    if (!this.botId) return;
    this.config = new PublicApi(this.server, this.botId)
      .config()
      .catch(() => null)
      .then((config) => {
        if (config && !this.previewed) this.applyConfig(config);
        return config;
      });
    // A returning visitor may have answers or an agent's messages waiting: load the window when idle.
    if (new SessionStore(pageStorage(), this.botId).load()) {
      const idle = window.requestIdleCallback ?? ((run: () => void) => setTimeout(run, 1500));
      idle(() => void this.loadWindow());
    }
  }

  open(options?: { focus?: boolean }): Promise<void> {
    return this.setOpen(true, options?.focus !== false);
  }

  close(): Promise<void> {
    return this.setOpen(false);
  }

  toggle(): Promise<void> {
    return this.setOpen(!this.isOpen);
  }

  /** Opens the chat and sends `text` as the visitor. */
  async send(text: string): Promise<void> {
    await this.open();
    this.window?.send(String(text));
  }

  private drawLauncher(): void {
    const locale = pickLocale(launcherCatalog, [this.getAttribute('lang'), ...navigator.languages]);
    this.root.innerHTML = `<style>${launcherStyles}</style><div class="frame"><button type="button" class="launcher" part="launcher" aria-haspopup="dialog" aria-expanded="false"><svg class="chat" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="${iconPaths.chat}"/></svg><svg class="close" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="${iconPaths.close}"/></svg><span class="badge" part="badge" hidden></span></button></div>`;
    this.frame = this.root.querySelector('.frame');
    this.launcher = this.root.querySelector('.launcher');
    this.badge = this.root.querySelector('.badge');
    this.launcher!.setAttribute('aria-label', locale.t('openChat'));
    this.launcher!.classList.toggle('left', this.getAttribute('position') === 'bottom-left');
    this.launcher!.addEventListener('click', () => void this.toggle());
    const preload = () => void this.loadWindow();
    for (const event of ['pointerenter', 'focus', 'touchstart']) {
      this.launcher!.addEventListener(event, preload, { once: true, passive: true });
    }
  }

  private applyConfig(config: PublicBotConfig): void {
    const locale = pickLocale(launcherCatalog, [
      this.getAttribute('lang'),
      config.appearance.language,
      ...navigator.languages,
    ]);
    this.frame?.style.setProperty('--_config-primary', config.appearance.primaryColor);
    const position = this.getAttribute('position') ?? config.appearance.position;
    this.launcher?.classList.toggle('left', position === 'bottom-left');
    this.launcher?.setAttribute('aria-label', locale.t(this.isOpen ? 'closeChat' : 'openChat'));
    this.launcher?.setAttribute('lang', locale.lang);
  }

  private async setOpen(open: boolean, focus = true): Promise<void> {
    if (open === this.isOpen) return;
    if (open) {
      const active = document.activeElement;
      this.returnFocus = active === this ? this.launcher : (active as HTMLElement | null);
      this.toggleAttribute('open', true);
      this.syncLauncher();
      const chat = await this.loadWindow();
      if (!chat || !this.isOpen) return;
      chat.hidden = false;
      chat.open = true;
      if (focus) chat.focusFirst();
    } else {
      this.toggleAttribute('open', false);
      if (this.window) {
        this.window.hidden = true;
        this.window.open = false;
      }
      this.syncLauncher();
      (this.returnFocus?.isConnected ? this.returnFocus : this.launcher)?.focus();
    }
    this.dispatchEvent(
      new CustomEvent(open ? 'chat-bot:open' : 'chat-bot:close', { bubbles: true, composed: true }),
    );
  }

  private syncLauncher(): void {
    if (!this.launcher) return;
    const open = this.isOpen;
    this.launcher.setAttribute('aria-expanded', String(open));
    const locale = pickLocale(launcherCatalog, [this.getAttribute('lang'), ...navigator.languages]);
    this.launcher.setAttribute('aria-label', locale.t(open ? 'closeChat' : 'openChat'));
    const unread = open ? 0 : (this.window?.unreadCount ?? 0);
    this.badge!.hidden = unread === 0;
    this.badge!.textContent = unread > 9 ? '9+' : String(unread);
    if (unread > 0)
      this.launcher.setAttribute('aria-label', `${locale.t('openChat')} (${locale.t('unread')}: ${unread})`);
  }

  /** The chat window, loaded and started once; null (with a short message shown) when it cannot load. */
  private loadWindow(): Promise<ChatWindowElement | null> {
    this.loading ??= (async () => {
      try {
        await import(/* @vite-ignore */ new URL(__CHAT_WINDOW_FILE__, scriptUrl).href);
        const chat = document.createElement('chat-bot-window') as ChatWindowElement;
        chat.hidden = true;
        chat.setAttribute('exportparts', WINDOW_PARTS);
        chat.addEventListener('chat-bot-window:close', () => void this.close());
        chat.addEventListener('chat-bot-window:change', () => this.syncLauncher());
        chat.start({
          botId: this.botId,
          server: this.server,
          lang: this.getAttribute('lang'),
          position: this.getAttribute('position'),
          config: await (this.config ?? Promise.resolve(null)),
          preview: this.previewed,
        });
        this.frame!.append(chat);
        this.window = chat;
        return chat;
      } catch {
        this.showFailure();
        return null;
      }
    })();
    return this.loading;
  }

  private showFailure(): void {
    const locale = pickLocale(launcherCatalog, [this.getAttribute('lang'), ...navigator.languages]);
    const message = document.createElement('div');
    message.className = 'failed';
    message.setAttribute('role', 'alert');
    message.setAttribute('part', 'window');
    message.textContent = locale.t('unreachable');
    this.frame?.append(message);
    this.loading = null;
    setTimeout(() => {
      message.remove();
      void this.close();
    }, 5000);
  }
}

if (!customElements.get('chat-bot')) customElements.define('chat-bot', ChatBotElement);

// The one-line embed: <script src=".../widget/chat-bot.js" data-bot-id="…" defer></script>.
const embed = ownScript?.dataset.botId;
if (embed && !document.querySelector(`chat-bot[bot-id="${CSS.escape(embed)}"]`)) {
  const element = document.createElement('chat-bot');
  element.setAttribute('bot-id', embed);
  for (const name of ['server', 'lang', 'position'] as const) {
    const value = ownScript?.dataset[name];
    if (value) element.setAttribute(name, value);
  }
  const place = () => document.body.append(element);
  if (document.body) place();
  else document.addEventListener('DOMContentLoaded', place, { once: true });
}

import type { ChatMessage, SourceRef } from '@chatbot/shared';
import { html, nothing, type TemplateResult } from 'lit';
import type { PendingMessage } from '../controllers/chat-session';
import type { WindowLocale } from '../i18n/window.catalog';
import { isSafeUrl, renderMarkdown } from './markdown';

export interface MessageActions {
  retry: (clientMessageId: string) => void;
  talkToHuman: (() => void) | null;
  leaveDetails: (() => void) | null;
}

/** Rendered answers by message, kept while their text and sources stay the same. */
const rendered = new WeakMap<ChatMessage, { content: string; sources: SourceRef[]; element: HTMLElement }>();

function markdownOf(message: ChatMessage): HTMLElement {
  const held = rendered.get(message);
  if (held && held.content === message.content && held.sources === message.sources) return held.element;
  const element = renderMarkdown(message.content, message.sources);
  rendered.set(message, { content: message.content, sources: message.sources, element });
  return element;
}

export function isPending(message: ChatMessage | PendingMessage): message is PendingMessage {
  return !('seq' in message);
}

/** One message of the transcript: the visitor's as text, the bot's and agents' as Markdown with sources. */
export function messageView(
  message: ChatMessage | PendingMessage,
  locale: WindowLocale,
  actions: MessageActions,
): TemplateResult {
  const { t } = locale;
  if (isPending(message)) {
    const error =
      message.error?.code === 'rate_limited' && message.error.retryAfterSeconds
        ? t('tooMany', { seconds: message.error.retryAfterSeconds })
        : t('notSent');
    return html`<div
      class="message visitor ${message.state}"
      dir="auto"
      part="message visitor-message"
      data-role="visitor"
    >
      <span class="visually-hidden">${t('you')}: </span><span class="text">${message.text}</span>
      <div class="meta">
        ${
          message.state === 'failed'
            ? html`<span role="alert">${error}</span>
                <button type="button" @click=${() => actions.retry(message.clientMessageId)}>
                  ${t('retry')}
                </button>`
            : t('sending')
        }
      </div>
    </div>`;
  }
  if (message.role === 'visitor') {
    return html`<div
      class="message visitor"
      dir="auto"
      part="message visitor-message"
      data-role="visitor"
      data-seq=${message.seq}
    >
      <span class="visually-hidden">${t('you')}: </span><span class="text">${message.content}</span>
    </div>`;
  }
  if (message.role === 'system') {
    return html`<div
      class="message system"
      dir="auto"
      part="notice"
      data-role="system"
      data-seq=${message.seq}
    >
      ${message.content}
    </div>`;
  }
  const offers =
    message.unanswered && message.state === 'complete' && (actions.talkToHuman || actions.leaveDetails);
  return html`<div
    class="message ${message.role}"
    dir="auto"
    part="message ${message.role}-message"
    data-role=${message.role}
    data-seq=${message.seq}
    data-state=${message.state}
  >
    ${message.role === 'agent' && message.agentName ? html`<span class="author">${message.agentName}</span>` : nothing}
    <div class="body">${markdownOf(message)}</div>
    ${message.sources.length > 0 && message.state !== 'streaming' ? sourcesView(message.sources, locale) : nothing}
    ${
      offers
        ? html`<div class="offer">
            ${
              actions.talkToHuman
                ? html`<button type="button" @click=${actions.talkToHuman}>${t('talkToHuman')}</button>`
                : nothing
            }
            ${
              actions.leaveDetails
                ? html`<button type="button" @click=${actions.leaveDetails}>${t('leaveDetails')}</button>`
                : nothing
            }
          </div>`
        : nothing
    }
  </div>`;
}

function sourcesView(sources: readonly SourceRef[], { t }: WindowLocale): TemplateResult {
  return html`<ol class="sources" part="sources" aria-label=${t('sources')}>
    ${sources.map(
      (source) =>
        html`<li>
          [${source.index}]
          ${
            source.url && isSafeUrl(source.url)
              ? html`<a href=${source.url} target="_blank" rel="noopener noreferrer">${source.title}</a>`
              : source.title
          }${source.heading ? html` — ${source.heading}` : nothing}${
            source.page ? `, p. ${source.page}` : nothing
          }
        </li>`,
    )}
  </ol>`;
}

/** Three dots while the bot or an agent is writing. */
export function typingView({ t }: WindowLocale): TemplateResult {
  return html`<div class="message typing" part="typing" data-role="typing" title=${t('typing')}>
    <span></span><span></span><span></span>
  </div>`;
}

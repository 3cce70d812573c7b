import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { BotView, ConversationsResponse, DocumentsResponse } from '@chatbot/shared';

interface Step {
  title: string;
  text: string;
  done: boolean;
  /** Where it is done; null until the bot it needs exists. */
  link: string | null;
  action: string;
}

/**
 * The first steps of a new account, until its bot has had a conversation: create a bot, give it documents,
 * put it on the website. Each step links to where it is done, and ticks itself off once it is.
 */
@Component({
  selector: 'app-onboarding',
  imports: [RouterLink],
  template: `
    @if (steps(); as steps) {
      <section class="card onboarding" aria-labelledby="onboarding-title">
        <h2 id="onboarding-title">Get your first bot live</h2>
        <p class="lead">Three steps, and visitors can chat with a bot that answers from your documents.</p>
        <ol>
          @for (step of steps; track step.title; let n = $index) {
            <li [class.done]="step.done">
              <span class="marker" aria-hidden="true">{{ step.done ? '✓' : n + 1 }}</span>
              <div class="text">
                <strong>{{ step.title }}</strong>
                @if (step.done) {
                  <span class="visually-hidden">(done)</span>
                }
                <p>{{ step.text }}</p>
              </div>
              @if (!step.done && step.link) {
                <a class="button small" [class.primary]="step === next()" [routerLink]="step.link">{{
                  step.action
                }}</a>
              }
            </li>
          }
        </ol>
      </section>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    /* Nothing to show: no empty row in the page's grid either. */
    :host:empty {
      display: none;
    }
    .lead {
      margin: 0.25rem 0 1rem;
      color: var(--muted);
    }
    ol {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 0.75rem;
    }
    li {
      display: flex;
      gap: 0.85rem;
      align-items: center;
    }
    .marker {
      flex: none;
      width: 1.9rem;
      height: 1.9rem;
      border-radius: 50%;
      display: grid;
      place-items: center;
      font-weight: 650;
      background: var(--primary-soft);
      color: var(--primary);
    }
    .done .marker {
      background: #dcfce7;
      color: var(--success);
    }
    .done strong {
      color: var(--muted);
      text-decoration: line-through;
    }
    .text {
      flex: 1;
      min-width: 0;
    }
    .text p {
      margin: 0.1rem 0 0;
      color: var(--muted);
      font-size: 0.9rem;
    }
    @media (max-width: 480px) {
      li {
        flex-wrap: wrap;
      }
      /* The text keeps the row; the button wraps under it instead of squeezing it to a word a line. */
      .text {
        flex-basis: calc(100% - 2.75rem);
      }
      li .button {
        margin-left: 2.75rem;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Onboarding {
  /** The tenant's bots, once loaded. */
  readonly bots = input.required<BotView[] | undefined>();

  private readonly firstBot = computed(() => this.bots()?.[0]);
  private readonly documents = httpResource<DocumentsResponse>(() => {
    const bot = this.firstBot();
    return bot ? `/api/documents?botId=${bot.id}&limit=1` : undefined;
  });
  private readonly conversations = httpResource<ConversationsResponse>(() => '/api/conversations?limit=1');

  /** Null while loading, and once every step is done (the card goes away). */
  protected readonly steps = computed((): Step[] | null => {
    const bots = this.bots();
    if (!bots || !this.conversations.hasValue()) return null;
    const bot = this.firstBot();
    if (bot && !this.documents.hasValue()) return null;
    const hasDocuments = (this.documents.value()?.documents.length ?? 0) > 0;
    const hasConversations = (this.conversations.value()?.total ?? 0) > 0;
    if (bot && hasDocuments && hasConversations) return null;
    return [
      {
        title: 'Create a bot',
        text: 'Name it, give it a persona and choose its model.',
        done: !!bot,
        link: '/bots/new',
        action: 'Create a bot',
      },
      {
        title: 'Upload documents',
        text: 'PDFs, Word files, web pages: the bot answers from them and cites them.',
        done: hasDocuments,
        link: bot ? `/bots/${bot.id}/documents` : null,
        action: 'Upload documents',
      },
      {
        title: 'Embed it on your website',
        text: 'Paste the embed code into your pages; the first conversation ticks this off.',
        done: hasConversations,
        link: bot ? `/bots/${bot.id}` : null,
        action: 'Get the embed code',
      },
    ];
  });
  protected readonly next = computed(() => this.steps()?.find((step) => !step.done));
}

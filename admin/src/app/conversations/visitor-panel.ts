import { CurrencyPipe, DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import {
  conversationDurationMs,
  conversationStatus,
  formatDuration,
  languageLabel,
  type ConversationDetail,
} from '@chatbot/shared';
import { modeLabels, statusLabels } from './conversation-labels';

/** Who the visitor is and where they came from, beside the transcript. */
@Component({
  selector: 'app-visitor-panel',
  imports: [RouterLink, DatePipe, DecimalPipe, CurrencyPipe],
  template: `
    @let c = conversation();
    <section class="card panel" aria-labelledby="visitor-title">
      <h2 id="visitor-title">Visitor</h2>
      <dl>
        @if (c.lead; as lead) {
          <dt>Name</dt>
          <dd>{{ lead.name ?? '—' }}</dd>
          <dt>Email</dt>
          <dd>
            <a [href]="'mailto:' + lead.email">{{ lead.email }}</a>
          </dd>
          <dt>Lead</dt>
          <dd><a [routerLink]="['/leads', lead.id]">View the lead</a></dd>
        } @else {
          <dt>Lead</dt>
          <dd class="muted">No contact details left</dd>
        }
        <dt>IP address</dt>
        <dd>{{ c.visitorIp ?? '—' }}</dd>
        <dt>User agent</dt>
        <dd class="wrap">{{ c.userAgent ?? '—' }}</dd>
        <dt>Referrer</dt>
        <dd class="wrap">
          @if (c.referrer) {
            <a [href]="c.referrer" target="_blank" rel="noopener noreferrer">{{ c.referrer }}</a>
          } @else {
            —
          }
        </dd>
        <dt>Language</dt>
        <dd>{{ language() ?? '—' }}</dd>
        <dt>Visitor id</dt>
        <dd class="wrap mono">{{ c.visitorId }}</dd>
      </dl>
      <h2>Conversation</h2>
      <dl>
        <dt>Status</dt>
        <dd>
          <span class="badge" [class]="'badge ' + status().badge">{{ status().text }}</span>
        </dd>
        <dt>Mode</dt>
        <dd>{{ mode() }}</dd>
        <dt>Started</dt>
        <dd>{{ c.createdAt | date: 'd MMM y, HH:mm' }}</dd>
        <dt>Duration</dt>
        <dd>{{ duration() }}</dd>
        <dt>Messages</dt>
        <dd>{{ c.messageCount }}</dd>
        <dt>Tokens</dt>
        <dd>
          {{ c.tokensIn + c.tokensOut | number }} ({{ c.costUsd | currency: 'USD' : 'symbol' : '1.2-4' }})
        </dd>
      </dl>
    </section>
  `,
  styles: `
    .panel {
      display: grid;
      gap: 0.75rem;
      align-content: start;
    }
    h2 {
      font-size: 1rem;
    }
    dl {
      display: grid;
      grid-template-columns: 7rem 1fr;
      gap: 0.4rem 0.75rem;
      margin: 0;
      font-size: 0.9rem;
    }
    dt {
      color: var(--muted);
    }
    dd {
      margin: 0;
      min-width: 0;
    }
    .wrap {
      overflow-wrap: anywhere;
    }
    .mono {
      font-family: ui-monospace, monospace;
      font-size: 0.8rem;
    }
    .muted {
      color: var(--muted);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class VisitorPanel {
  readonly conversation = input.required<ConversationDetail['conversation']>();
  protected readonly status = computed(() => statusLabels[conversationStatus(this.conversation())]);
  protected readonly duration = computed(() => formatDuration(conversationDurationMs(this.conversation())));
  protected readonly language = computed(() => {
    const tag = this.conversation().visitorLanguage;
    return tag ? languageLabel(tag) : null;
  });
  protected readonly mode = computed(() => {
    const c = this.conversation();
    return c.mode === 'human' && c.assignedAgentName ? `Human (${c.assignedAgentName})` : modeLabels[c.mode];
  });
}

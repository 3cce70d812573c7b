import { DatePipe } from '@angular/common';
import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import {
  ActiveConversationMinutes,
  type BotsResponse,
  type ConversationsResponse,
  type LeadsResponse,
  type LiveCounts,
  utcDayOf,
} from '@chatbot/shared';
import { AnalyticsApi } from '../analytics/analytics-api';
import { formatDay, rangeParams } from '../analytics/date-range';
import { formatCount, totalsFigures } from '../analytics/figures';
import { StatCard } from '../analytics/stat-card';
import { apiProblem } from '../core/api/api-error';
import { Session } from '../core/auth/session';
import { AdminSocket } from '../core/socket/admin-socket';
import { onReconnect } from '../core/socket/on-reconnect';
import { Onboarding } from './onboarding';

/** How often the live counts are fetched when nothing happens on the socket (visitors come and go quietly). */
export const LIVE_POLL_MS = 15_000;
/** Socket events come in bursts (every message of a busy inbox): one refetch per burst. */
const SETTLE_MS = 750;

/** A live count: null while the first answer is awaited (a skeleton). */
interface LiveFigure {
  label: string;
  value: string | null;
  hint: string;
}

/**
 * `/`, for every role: who is chatting now, today's figures (owners and admins, who may read analytics),
 * conversations waiting for a person, the newest leads, and for a new account the steps to go live.
 */
@Component({
  selector: 'app-overview-page',
  imports: [DatePipe, Onboarding, RouterLink, StatCard],
  templateUrl: './overview-page.html',
  styleUrl: './overview-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OverviewPage {
  private readonly socket = inject(AdminSocket);
  protected readonly manager = inject(Session).hasRole('owner', 'admin');
  protected readonly activeMinutes = ActiveConversationMinutes;

  protected readonly today = signal(utcDayOf());
  protected readonly todayLabel = computed(() => `${formatDay(this.today())}, ${this.today().slice(0, 4)}`);

  protected readonly live = httpResource<LiveCounts>(() => '/api/conversations/live');
  protected readonly summary = inject(AnalyticsApi).summary(() =>
    this.manager ? rangeParams({ from: this.today(), to: this.today() }) : undefined,
  );
  protected readonly waiting = httpResource<ConversationsResponse>(
    () => '/api/conversations?waiting=true&limit=5',
  );
  protected readonly leads = httpResource<LeadsResponse>(() => '/api/leads?limit=5');
  protected readonly bots = httpResource<BotsResponse>(() => '/api/chatbots?limit=100');

  protected readonly liveFigures = computed((): LiveFigure[] => {
    const counts = this.live.hasValue() ? this.live.value() : undefined;
    const missing = this.live.error() ? '—' : null;
    const hint = this.live.error() ? `Not available: ${apiProblem(this.live.error()).message}` : undefined;
    return [
      {
        label: 'Visitors chatting now',
        value: counts ? formatCount(counts.visitorsOnline) : missing,
        hint: hint ?? 'With the chat open on your website',
      },
      {
        label: 'Active conversations',
        value: counts ? formatCount(counts.activeConversations) : missing,
        hint: hint ?? `A message in the last ${this.activeMinutes} minutes`,
      },
    ];
  });
  protected readonly todayFigures = computed(() =>
    this.summary.hasValue() && this.summary.value() ? totalsFigures(this.summary.value()!.totals) : null,
  );
  protected readonly botNames = computed(
    () => new Map((this.bots.hasValue() ? this.bots.value().chatbots : []).map((bot) => [bot.id, bot.name])),
  );

  private settleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    const destroyRef = inject(DestroyRef);
    const poll = setInterval(() => this.refresh(), LIVE_POLL_MS);
    destroyRef.onDestroy(() => {
      clearInterval(poll);
      clearTimeout(this.settleTimer);
    });
    this.socket.on('conversation:updated', () => this.refreshSoon(), destroyRef);
    this.socket.on('handoff:requested', () => this.refreshSoon(), destroyRef);
    this.socket.on('lead:new', () => this.refreshSoon(), destroyRef);
    onReconnect(() => this.refresh());
  }

  protected problem(error: unknown): string {
    return apiProblem(error).message;
  }

  protected visitorLabel(visitorId: string): string {
    return `Visitor ${visitorId.slice(0, 6)}`;
  }

  /** Once per burst, counted from its first event (a steady stream of events still refetches). */
  private refreshSoon(): void {
    this.settleTimer ??= setTimeout(() => this.refresh(), SETTLE_MS);
  }

  private refresh(): void {
    clearTimeout(this.settleTimer);
    this.settleTimer = undefined;
    // A new UTC day starts today's figures again.
    this.today.set(utcDayOf());
    for (const resource of [this.live, this.summary, this.waiting, this.leads]) resource.reload();
  }
}

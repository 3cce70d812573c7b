import { DatePipe } from '@angular/common';
import type { ElementRef } from '@angular/core';
import {
  afterRenderEffect,
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  inject,
  input,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { form, FormField, validateStandardSchema } from '@angular/forms/signals';
import { RouterLink } from '@angular/router';
import { conversationStatus, formatDuration, messageTextSchema } from '@chatbot/shared';
import { Session } from '../../core/auth/session';
import { Confirmer } from '../../core/ui/confirmer';
import { Toaster } from '../../core/ui/toaster';
import { statusLabels, visitorName } from '../conversation-labels';
import { TranscriptView } from '../transcript-view';
import { HandoffAlerts } from './handoff-alerts';
import type { InboxRow } from './inbox-rows';
import { isWaiting } from './is-waiting';
import { InboxStore } from './inbox-store';
import { LiveConversation } from './live-conversation';

/** A transcript scrolled to within this of its end follows new messages; one scrolled further up stays. */
const STICK_TO_END_PX = 80;

/**
 * `/inbox` and `/inbox/:id`: the active conversations, those waiting for a person on top, and the one
 * selected followed live, where an agent takes over, answers (typing shown both ways) and hands back.
 */
@Component({
  selector: 'app-inbox-page',
  imports: [RouterLink, DatePipe, FormField, TranscriptView],
  providers: [InboxStore, LiveConversation],
  templateUrl: './inbox-page.html',
  styleUrl: './inbox-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class InboxPage {
  protected readonly store = inject(InboxStore);
  protected readonly live = inject(LiveConversation);
  protected readonly alerts = inject(HandoffAlerts);
  private readonly session = inject(Session);
  private readonly toaster = inject(Toaster);
  private readonly confirmer = inject(Confirmer);

  /** The route's `:id`, when a conversation is selected. */
  readonly id = input<string>();

  /** Ticks every second, for how long visitors have waited. */
  protected readonly now = signal(Date.now());
  protected readonly selectedRow = computed(() => {
    const id = this.id();
    return id ? (this.store.rows().find((row) => row.id === id) ?? null) : null;
  });
  protected readonly status = computed(() => {
    const summary = this.live.summary();
    return summary ? statusLabels[conversationStatus(summary, this.now())] : null;
  });
  protected readonly canRelease = computed(
    () =>
      this.live.summary()?.mode === 'human' && (this.live.mine() || this.session.hasRole('owner', 'admin')),
  );

  /** What the agent can do when they cannot write. */
  protected readonly hint = computed(() => {
    const summary = this.live.summary();
    if (!summary) return '';
    if (isWaiting(summary)) return 'The visitor is waiting for a person. Take over to answer them.';
    if (summary.mode === 'bot') return 'The bot is answering. Take over to write to the visitor yourself.';
    if (summary.mode === 'human')
      return `${summary.assignedAgentName ?? 'Another agent'} has this conversation.`;
    return 'This conversation has ended.';
  });

  protected readonly draft = signal({ text: '' });
  protected readonly composer = form(this.draft, (path) =>
    validateStandardSchema(path.text, messageTextSchema),
  );

  private readonly transcriptPane = viewChild<ElementRef<HTMLElement>>('pane');
  private stickToEnd = true;

  protected readonly visitorName = visitorName;
  protected readonly isWaiting = isWaiting;

  constructor() {
    const destroyRef = inject(DestroyRef);
    this.alerts.start(destroyRef);
    const clock = setInterval(() => this.now.set(Date.now()), 1000);
    destroyRef.onDestroy(() => clearInterval(clock));
    effect(() => {
      const id = this.id() ?? null;
      untracked(() => {
        this.store.pinned.set(id);
        this.live.open(id);
        this.draft.set({ text: '' });
        this.stickToEnd = true;
        if (id) this.alerts.seen(id);
      });
    });
    // A visitor asking for a person in the conversation on screen has been seen already.
    effect(() => {
      const row = this.selectedRow();
      if (row && isWaiting(row) && document.visibilityState === 'visible') {
        untracked(() => this.alerts.seen(row.id));
      }
    });
    afterRenderEffect(() => {
      this.live.messages();
      this.live.visitorTyping();
      const pane = this.transcriptPane()?.nativeElement;
      if (pane && this.stickToEnd) pane.scrollTop = pane.scrollHeight;
    });
  }

  protected waited(row: InboxRow): string {
    return formatDuration(Math.max(0, this.now() - Date.parse(row.handoffRequestedAt!)));
  }

  protected rowStatus(row: InboxRow) {
    return statusLabels[conversationStatus(row, this.now())];
  }

  protected onScroll(pane: HTMLElement): void {
    this.stickToEnd = pane.scrollHeight - pane.scrollTop - pane.clientHeight < STICK_TO_END_PX;
  }

  protected async takeover(): Promise<void> {
    await this.run(
      () => this.live.takeover(),
      'You have the conversation: the bot stays quiet until you hand it back.',
    );
  }

  protected async release(): Promise<void> {
    await this.run(() => this.live.release(), 'The bot answers again.');
  }

  protected async close(): Promise<void> {
    const confirmed = await this.confirmer.ask({
      title: 'Close this conversation?',
      message: 'The visitor is told the conversation has ended; nobody answers in it any more.',
      action: 'Close conversation',
      danger: true,
    });
    if (confirmed) await this.run(() => this.live.close(), 'The conversation was closed.');
  }

  protected async send(event: Event): Promise<void> {
    event.preventDefault();
    if (this.composer().invalid()) {
      this.composer.text().markAsTouched();
      return;
    }
    const text = this.draft().text.trim();
    try {
      await this.live.send(text);
      this.draft.set({ text: '' });
      this.composer().reset();
      this.stickToEnd = true;
    } catch (error) {
      this.toaster.error((error as Error).message);
    }
  }

  /** Enter sends, Shift+Enter makes a new line. */
  protected onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) void this.send(event);
  }

  private async run(action: () => Promise<void>, done: string): Promise<void> {
    try {
      await action();
      this.toaster.success(done);
    } catch (error) {
      this.toaster.error((error as Error).message);
    }
  }
}

import { type DestroyRef, effect, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Title } from '@angular/platform-browser';
import { NavigationEnd, Router } from '@angular/router';
import { filter } from 'rxjs';
import { AdminSocket } from '../../core/socket/admin-socket';
import { isWaiting } from './is-waiting';

const MUTED_KEY = 'chatbot-admin:inbox-muted';
const BADGE = /^\(\d+\) /;

/**
 * Tells agents that a visitor asks for a person: a short two-note tone (Web Audio, no sound file) unless
 * muted, and the count of requests not yet seen in the tab's title, "(2) Live inbox". A request counts as
 * seen once its conversation is opened, or once it no longer waits (someone took it, it timed out or
 * closed). The mute choice is kept in localStorage. Started by the inbox; it then listens for the rest of
 * the session, whichever page is open.
 */
@Injectable({ providedIn: 'root' })
export class HandoffAlerts {
  private readonly socket = inject(AdminSocket);
  private readonly title = inject(Title);
  private readonly router = inject(Router);
  private started = false;
  private audio: AudioContext | null = null;

  readonly muted = signal(localStorage.getItem(MUTED_KEY) === 'true');
  /** Conversations whose request for a person nobody here has looked at yet. */
  readonly unseen = signal<ReadonlySet<string>>(new Set());

  constructor() {
    effect(() => this.showBadge(this.unseen().size));
  }

  /**
   * Listens until `until` ends (the view or the shell that started it). A second start while listening
   * changes nothing, so the inbox and the shell may both start it.
   */
  start(until: DestroyRef): void {
    if (this.started) return;
    this.started = true;
    this.socket.on(
      'handoff:requested',
      ({ conversationId }) => {
        this.unseen.update((ids) => new Set(ids).add(conversationId));
        if (!this.muted()) this.tone();
      },
      until,
    );
    this.socket.on(
      'conversation:updated',
      (summary) => {
        if (!isWaiting(summary)) this.seen(summary.id);
      },
      until,
    );
    this.socket.on('conversation:deleted', ({ conversationId }) => this.seen(conversationId), until);
    // Each page sets its own title; the badge goes back in front of it.
    this.router.events
      .pipe(
        filter((event) => event instanceof NavigationEnd),
        takeUntilDestroyed(until),
      )
      .subscribe(() => queueMicrotask(() => this.showBadge(this.unseen().size)));
    // Browsers start sound only after the user has interacted with the page.
    const unlock = () => {
      this.audio ??= audioContext();
      void this.audio?.resume();
    };
    document.addEventListener('pointerdown', unlock);
    until.onDestroy(() => {
      document.removeEventListener('pointerdown', unlock);
      this.started = false;
      this.unseen.set(new Set());
    });
  }

  seen(conversationId: string): void {
    if (!this.unseen().has(conversationId)) return;
    this.unseen.update((ids) => {
      const next = new Set(ids);
      next.delete(conversationId);
      return next;
    });
  }

  toggleMute(): void {
    this.muted.update((muted) => !muted);
    localStorage.setItem(MUTED_KEY, String(this.muted()));
  }

  /** Two short sine notes, loud enough to notice, soft enough not to startle. */
  private tone(): void {
    try {
      this.audio ??= audioContext();
      if (!this.audio) return;
      void this.audio.resume();
      const start = this.audio.currentTime;
      for (const [offset, frequency] of [
        [0, 880],
        [0.16, 1320],
      ] as const) {
        const oscillator = this.audio.createOscillator();
        const gain = this.audio.createGain();
        oscillator.type = 'sine';
        oscillator.frequency.value = frequency;
        gain.gain.setValueAtTime(0.0001, start + offset);
        gain.gain.exponentialRampToValueAtTime(0.2, start + offset + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.14);
        oscillator.connect(gain).connect(this.audio.destination);
        oscillator.start(start + offset);
        oscillator.stop(start + offset + 0.15);
      }
    } catch {
      // The audio device refused (none, or busy): the title badge still tells.
    }
  }

  private showBadge(count: number): void {
    const plain = this.title.getTitle().replace(BADGE, '');
    this.title.setTitle(count ? `(${count}) ${plain}` : plain);
  }
}

/** Null where the browser has no Web Audio: the title badge still tells. */
function audioContext(): AudioContext | null {
  return typeof AudioContext === 'undefined' ? null : new AudioContext();
}

import { DatePipe, Location } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import { Router } from '@angular/router';
import type { CreatedInvitation } from '@chatbot/shared';
import { Toaster } from '../core/ui/toaster';

/**
 * The link of a new invitation, shown the one time the API returns its token, with a copy button. The
 * platform sends no email: the inviter passes the link on themselves.
 */
@Component({
  selector: 'app-invitation-link',
  imports: [DatePipe],
  template: `
    @let invitation = created().invitation;
    <section class="card link" role="region" aria-labelledby="invitation-link-title">
      <h2 id="invitation-link-title">Invitation link for {{ invitation.email }}</h2>
      <p class="warning">
        Send this link to {{ invitation.email }} yourself: the platform sends no email. It is shown only this
        once and expires on {{ invitation.expiresAt | date: 'medium' }}.
      </p>
      <div class="value">
        <label class="visually-hidden" for="invitation-link">Invitation link</label>
        <input id="invitation-link" readonly [value]="url()" (focus)="$any($event.target).select()" />
        <button type="button" class="button" (click)="copy()">{{ copied() ? 'Copied' : 'Copy link' }}</button>
      </div>
      <p class="how">
        Whoever opens it chooses their name and password and joins as {{ joinsAs() }}. Lost it? Invite the
        same email again: the new link replaces this one.
      </p>
      <button type="button" class="button primary" (click)="dismissed.emit()">Done</button>
    </section>
  `,
  styles: `
    .link {
      display: grid;
      gap: 0.75rem;
      border-color: #fcd34d;
      background: #fffbeb;
      justify-items: start;
    }
    h2 {
      overflow-wrap: anywhere;
    }
    p {
      margin: 0;
    }
    .warning {
      font-weight: 550;
    }
    .value {
      display: flex;
      gap: 0.5rem;
      width: 100%;
      max-width: 52rem;
    }
    input {
      flex: 1;
      font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
      font-size: 0.9rem;
      line-height: 1.6;
    }
    .value .button {
      flex: none;
    }
    .how {
      color: var(--muted);
      font-size: 0.9rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class InvitationLink {
  private readonly toaster = inject(Toaster);
  private readonly router = inject(Router);
  private readonly location = inject(Location);
  readonly created = input.required<CreatedInvitation>();
  readonly dismissed = output<void>();
  protected readonly copied = signal(false);

  protected readonly joinsAs = computed(() =>
    this.created().invitation.role === 'admin' ? 'an admin' : 'an agent',
  );

  /** `<origin>/admin/accept-invitation?token=…`, wherever the dashboard is served from. */
  protected readonly url = computed(() => {
    const tree = this.router.createUrlTree(['/accept-invitation'], {
      queryParams: { token: this.created().token },
    });
    return new URL(this.location.prepareExternalUrl(this.router.serializeUrl(tree)), window.location.origin)
      .href;
  });

  protected async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.url());
      this.copied.set(true);
    } catch {
      this.toaster.error('The browser did not allow copying: select the link and copy it yourself.');
    }
  }
}

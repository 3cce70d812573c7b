import { DatePipe, Location } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { Router } from '@angular/router';
import type { CreatedInvitation } from '@chatbot/shared';
import { ShownOnce } from '../core/ui/shown-once';

/**
 * The link of a new invitation, shown the one time the API returns its token. The
 * platform sends no email: the inviter passes the link on themselves.
 */
@Component({
  selector: 'app-invitation-link',
  imports: [DatePipe, ShownOnce],
  template: `
    @let invitation = created().invitation;
    <app-shown-once
      [heading]="'Invitation link for ' + invitation.email"
      label="Invitation link"
      [value]="url()"
      copyLabel="Copy link"
      (dismissed)="dismissed.emit()"
    >
      <p warning>
        Send this link to {{ invitation.email }} yourself: the platform sends no email. It is shown only this
        once and expires on {{ invitation.expiresAt | date: 'medium' }}.
      </p>
      <p class="how">
        Whoever opens it chooses their name and password and joins as {{ joinsAs() }}. Lost it? Invite the
        same email again: the new link replaces this one.
      </p>
    </app-shown-once>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class InvitationLink {
  private readonly router = inject(Router);
  private readonly location = inject(Location);
  readonly created = input.required<CreatedInvitation>();
  readonly dismissed = output<void>();

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
}

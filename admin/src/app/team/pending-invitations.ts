import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';
import type { InvitationView } from '@chatbot/shared';
import { Confirmer } from '../core/ui/confirmer';
import { apiProblem } from '../core/api/api-error';
import { Toaster } from '../core/ui/toaster';
import { roleLabel } from './member-rules';
import { UsersApi } from './users-api';

/** The invitations nobody has accepted yet and that have not expired, each revocable. */
@Component({
  selector: 'app-pending-invitations',
  imports: [DatePipe],
  template: `
    <div class="table-wrap">
      <table class="phone-cards">
        <caption class="visually-hidden">
          Pending invitations
        </caption>
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Invited</th>
            <th scope="col">Expires</th>
            <th scope="col"><span class="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          @for (invitation of invitations(); track invitation.id) {
            <tr [attr.aria-label]="'Invitation of ' + invitation.email">
              <td data-label="Email" class="email">{{ invitation.email }}</td>
              <td data-label="Role">
                <span class="badge">{{ labels[invitation.role] }}</span>
              </td>
              <td data-label="Invited">
                <time [attr.datetime]="invitation.createdAt">{{
                  invitation.createdAt | date: 'medium'
                }}</time>
              </td>
              <td data-label="Expires">
                <time [attr.datetime]="invitation.expiresAt">{{
                  invitation.expiresAt | date: 'medium'
                }}</time>
              </td>
              <td class="actions">
                <button
                  type="button"
                  class="button small"
                  [disabled]="busy() === invitation.id"
                  [attr.aria-label]="'Revoke the invitation of ' + invitation.email"
                  (click)="revoke(invitation)"
                >
                  Revoke
                </button>
              </td>
            </tr>
          }
        </tbody>
      </table>
    </div>
  `,
  styleUrls: ['./team-table.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PendingInvitations {
  private readonly api = inject(UsersApi);
  private readonly toaster = inject(Toaster);
  private readonly confirmer = inject(Confirmer);

  readonly invitations = input.required<InvitationView[]>();
  readonly revoked = output<string>();
  /** The list changed under this page (a 404: someone else got there first): fetch it again. */
  readonly outdated = output<void>();

  protected readonly labels = roleLabel;
  protected readonly busy = signal<string | null>(null);

  protected async revoke(invitation: InvitationView): Promise<void> {
    const yes = await this.confirmer.ask({
      title: `Revoke the invitation of ${invitation.email}?`,
      message: 'The link you sent stops working at once. You can invite the same email again later.',
      action: 'Revoke invitation',
      danger: true,
    });
    if (!yes) return;
    this.busy.set(invitation.id);
    try {
      await this.api.revokeInvitation(invitation.id);
      this.revoked.emit(invitation.id);
      this.toaster.success(`The invitation of ${invitation.email} was revoked.`);
    } catch (error) {
      this.failed(error);
    } finally {
      this.busy.set(null);
    }
  }

  private failed(error: unknown): void {
    this.toaster.error(error);
    if (apiProblem(error).status === 404) this.outdated.emit();
  }
}

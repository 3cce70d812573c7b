import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import type { CreatedInvitation, UserView } from '@chatbot/shared';
import { apiProblem } from '../core/api/api-error';
import { Session } from '../core/auth/session';
import { Toaster } from '../core/ui/toaster';
import { InvitationLink } from './invitation-link';
import { InviteForm } from './invite-form';
import { roleHelp, roleLabel } from './member-rules';
import { PendingInvitations } from './pending-invitations';
import { TeamMembers } from './team-members';
import { UsersApi } from './users-api';

/** `/settings/team`: who can sign in to the tenant, with which role, and who is invited. */
@Component({
  selector: 'app-team-page',
  imports: [InvitationLink, InviteForm, PendingInvitations, TeamMembers],
  templateUrl: './team-page.html',
  styleUrl: './team-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TeamPage {
  protected readonly session = inject(Session);
  private readonly router = inject(Router);
  private readonly toaster = inject(Toaster);

  protected readonly team = inject(UsersApi).list();
  protected readonly caller = this.session.user;
  protected readonly isOwner = computed(() => this.caller()?.role === 'owner');
  protected readonly roles = (['owner', 'admin', 'agent'] as const).map((role) => ({
    label: roleLabel[role],
    help: roleHelp[role],
  }));
  protected readonly inviting = signal(false);
  /** The invitation just created: its link is shown until dismissed, and never again. */
  protected readonly created = signal<CreatedInvitation | null>(null);
  protected readonly problem = computed(() => {
    const error = this.team.error();
    return error ? apiProblem(error).message : null;
  });

  protected invited(created: CreatedInvitation): void {
    this.inviting.set(false);
    this.created.set(created);
    // Inviting a pending email again replaces its invitation, so the list comes from the server.
    this.team.reload();
    this.toaster.success(`Invitation for ${created.invitation.email} created.`);
  }

  protected async changed(saved: UserView): Promise<void> {
    this.team.update(
      (team) => team && { ...team, users: team.users.map((user) => (user.id === saved.id ? saved : user)) },
    );
    if (saved.id !== this.caller()?.id) return;
    // One's own new role decides what the dashboard shows: the sidebar, and whether this page is open.
    await this.session.reloadMe();
    if (!this.session.hasRole('owner', 'admin')) await this.router.navigateByUrl('/');
  }

  protected removed(id: string): void {
    this.team.update((team) => team && { ...team, users: team.users.filter((user) => user.id !== id) });
  }

  protected revoked(id: string): void {
    if (this.created()?.invitation.id === id) this.created.set(null);
    this.team.update(
      (team) =>
        team && { ...team, invitations: team.invitations.filter((invitation) => invitation.id !== id) },
    );
  }
}

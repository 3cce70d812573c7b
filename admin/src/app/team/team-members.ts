import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import { Roles, type Role, type UserView } from '@chatbot/shared';
import { Confirmer } from '../core/ui/confirmer';
import { apiProblem } from '../core/api/api-error';
import { Toaster } from '../core/ui/toaster';
import { removal, roleChange, roleLabel } from './member-rules';
import { UsersApi } from './users-api';

const withArticle = (role: Role) => (role === 'agent' ? 'an agent' : `an ${role}`);

/** The team's users: who they are, their role (changed in the row by an owner) and their removal. */
@Component({
  selector: 'app-team-members',
  imports: [DatePipe],
  templateUrl: './team-members.html',
  styleUrls: ['./team-table.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TeamMembers {
  private readonly api = inject(UsersApi);
  private readonly toaster = inject(Toaster);
  private readonly confirmer = inject(Confirmer);

  readonly users = input.required<UserView[]>();
  /** The signed-in user, whose role decides what the rows offer. */
  readonly caller = input.required<UserView>();
  /** A user as saved after a change of role. */
  readonly changed = output<UserView>();
  readonly removed = output<string>();
  /** The team changed under this page (a 404 or 409: someone else got there first): fetch it again. */
  readonly outdated = output<void>();

  protected readonly roles = Roles;
  protected readonly labels = roleLabel;
  /** The id of the user a request is under way for. */
  protected readonly busy = signal<string | null>(null);
  protected readonly rows = computed(() =>
    this.users().map((user) => ({
      user,
      you: user.id === this.caller().id,
      role: roleChange(this.caller(), user, this.users()),
      removal: removal(this.caller(), user),
    })),
  );

  protected async changeRole(user: UserView, event: Event): Promise<void> {
    const select = event.target as HTMLSelectElement;
    const role = select.value as Role;
    if (!(await this.confirmRole(user, role))) {
      select.value = user.role;
      return;
    }
    this.busy.set(user.id);
    try {
      const saved = await this.api.changeRole(user.id, role);
      this.changed.emit(saved);
      this.toaster.success(`${saved.name} is now ${withArticle(saved.role)}.`);
    } catch (error) {
      select.value = user.role;
      this.failed(error);
    } finally {
      this.busy.set(null);
    }
  }

  protected async remove(user: UserView): Promise<void> {
    const yes = await this.confirmer.ask({
      title: `Remove ${user.name}?`,
      message:
        `${user.email} is signed out at once and can no longer sign in. The conversations and leads ` +
        'assigned to them become unassigned. Their lead notes, the messages they sent and the audit log ' +
        'entries of what they did stay, without their name. To have them back, invite them again.',
      action: 'Remove user',
      danger: true,
    });
    if (!yes) return;
    this.busy.set(user.id);
    try {
      await this.api.remove(user.id);
      this.removed.emit(user.id);
      this.toaster.success(`${user.name} was removed from the team.`);
    } catch (error) {
      this.failed(error);
    } finally {
      this.busy.set(null);
    }
  }

  /** Asks before the two changes that are hard to take back: a new owner, and one's own role. */
  private confirmRole(user: UserView, role: Role): Promise<boolean> {
    if (user.id === this.caller().id) {
      return this.confirmer.ask({
        title: `Make yourself ${withArticle(role)}?`,
        message:
          'You will no longer be an owner: you cannot change roles or the retention period, and only ' +
          'another owner can give the role back.',
        action: 'Change my role',
        danger: true,
      });
    }
    if (role === 'owner') {
      return this.confirmer.ask({
        title: `Make ${user.name} an owner?`,
        message:
          'Owners can do everything, including changing anyone’s role (yours too), removing owners and ' +
          'setting how long conversations are kept.',
        action: 'Make owner',
      });
    }
    return Promise.resolve(true);
  }

  private failed(error: unknown): void {
    this.toaster.error(error);
    if ([404, 409].includes(apiProblem(error).status)) this.outdated.emit();
  }
}

import type { Role, UserView } from '@chatbot/shared';

/** What the signed-in user may do to a member of the team, and if not, why (the server's rules). */
export interface MemberPermission {
  allowed: boolean;
  reason?: string;
}

/** What each role may do, in the words the page shows beside the role choices. */
export const roleHelp: Record<Role, string> = {
  owner: 'Everything, including roles, the retention period and removing owners.',
  admin: 'Chatbots, documents, analytics, webhooks, the team and privacy requests.',
  agent: 'Live conversations and leads only.',
};

export const roleLabel: Record<Role, string> = { owner: 'Owner', admin: 'Admin', agent: 'Agent' };

const owners = (users: readonly UserView[]) => users.filter((user) => user.role === 'owner').length;

/** Only an owner changes roles, and the tenant's last owner stays one (users.service.ts). */
export function roleChange(caller: UserView, target: UserView, users: readonly UserView[]): MemberPermission {
  if (caller.role !== 'owner') return { allowed: false, reason: 'Only an owner can change roles.' };
  if (target.role === 'owner' && owners(users) === 1) {
    return {
      allowed: false,
      reason:
        target.id === caller.id
          ? 'You are the only owner: make someone else owner before changing your role.'
          : 'The only owner keeps the role until someone else is made owner.',
    };
  }
  return { allowed: true };
}

/** Nobody removes themselves, and only an owner removes an owner (another one always remains then). */
export function removal(caller: UserView, target: UserView): MemberPermission {
  if (target.id === caller.id) return { allowed: false, reason: 'You cannot remove yourself.' };
  if (target.role === 'owner' && caller.role !== 'owner') {
    return { allowed: false, reason: 'Only an owner can remove an owner.' };
  }
  return { allowed: true };
}

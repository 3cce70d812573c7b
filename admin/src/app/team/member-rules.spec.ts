import type { Role, UserView } from '@chatbot/shared';
import { removal, roleChange } from './member-rules';
import { member } from './testing';

describe('member rules', () => {
  const owner = member('owner');
  const admin = member('admin');
  const agent = member('agent');
  const team = [owner, admin, agent];
  const as = (role: Role, id = `user-${role}`): UserView => member(role, { id });

  it('lets only an owner change roles', () => {
    expect(roleChange(owner, agent, team)).toEqual({ allowed: true });
    expect(roleChange(owner, admin, team)).toEqual({ allowed: true });
    expect(roleChange(admin, agent, team)).toEqual({
      allowed: false,
      reason: 'Only an owner can change roles.',
    });
    expect(roleChange(agent, agent, team).allowed).toBe(false);
  });

  it('keeps the last owner an owner, and frees them once there is another', () => {
    expect(roleChange(owner, owner, team)).toEqual({
      allowed: false,
      reason: 'You are the only owner: make someone else owner before changing your role.',
    });
    const second = as('owner', 'user-owner-2');
    expect(roleChange(owner, owner, [...team, second])).toEqual({ allowed: true });
    expect(roleChange(owner, second, [...team, second])).toEqual({ allowed: true });
  });

  it('lets nobody remove themselves, and only an owner remove an owner', () => {
    expect(removal(owner, owner)).toEqual({ allowed: false, reason: 'You cannot remove yourself.' });
    expect(removal(admin, admin).allowed).toBe(false);
    expect(removal(admin, owner)).toEqual({ allowed: false, reason: 'Only an owner can remove an owner.' });
    expect(removal(admin, agent)).toEqual({ allowed: true });
    expect(removal(admin, as('admin', 'user-admin-2'))).toEqual({ allowed: true });
    expect(removal(owner, as('owner', 'user-owner-2'))).toEqual({ allowed: true });
  });
});

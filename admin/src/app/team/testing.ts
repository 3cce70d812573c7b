import { signal } from '@angular/core';
import type { InvitationView, Role, UserView } from '@chatbot/shared';
import { Session } from '../core/auth/session';

/** Test doubles for the team pages' specs. */

export function member(role: Role, overrides: Partial<UserView> = {}): UserView {
  return {
    id: `user-${role}`,
    email: `${role}@example.com`,
    name: `${role[0]!.toUpperCase()}${role.slice(1)} User`,
    role,
    createdAt: '2026-11-01T09:00:00.000Z',
    lastLoginAt: '2026-11-20T14:30:00.000Z',
    ...overrides,
  };
}

export function invitation(overrides: Partial<InvitationView> = {}): InvitationView {
  return {
    id: 'invitation-1',
    email: 'grace@example.com',
    role: 'agent',
    createdAt: '2026-11-20T10:00:00.000Z',
    expiresAt: '2026-11-27T10:00:00.000Z',
    ...overrides,
  };
}

/** A Session signed in as `who`; `reloadMe` answers with whatever `reloaded` is set to. */
export function fakeSession(who: UserView) {
  const user = signal<UserView | null>(who);
  const fake = {
    user,
    tenant: signal({ id: 'tenant-1', name: 'Acme', createdAt: '2026-10-01T09:00:00.000Z' }),
    signedIn: signal(true),
    reloaded: who,
    hasRole: (...roles: Role[]) => roles.includes(user()!.role),
    reloadMe: () => {
      user.set(fake.reloaded);
      return Promise.resolve();
    },
  };
  return { fake, provider: { provide: Session, useValue: fake } };
}

import type { SignedOutSockets } from '../auth/signed-out-sockets';
import type {
  CreatedInvitation,
  InvitationView,
  InviteUserInput,
  UpdateUserInput,
  UserView,
  UsersResponse,
} from '@chatbot/shared';
import type { EntityManager } from '@mikro-orm/core';
import {
  Conversation,
  Invitation,
  AuditLog,
  Lead,
  LeadEvent,
  Message,
  User,
  generateOpaqueToken,
  hashToken,
  runAsSystem,
} from '@chatbot/shared/platform';
import { conflict, forbidden, notFound } from '../../http/http-error';
import { presentUser } from '../auth/auth.presenter';
import type { AuthContext } from '../../tenancy/require-auth';

const INVITATION_TTL_MS = 7 * 86_400_000;

function presentInvitation(invitation: Invitation): InvitationView {
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    expiresAt: invitation.expiresAt.toISOString(),
    createdAt: invitation.createdAt.toISOString(),
  };
}

/** The people of a tenant: who is in it, who is invited, and with which role. */
export class UsersService {
  constructor(private readonly signedOut: SignedOutSockets) {}

  async list(em: EntityManager): Promise<UsersResponse> {
    const [users, invitations] = await Promise.all([
      em.find(User, {}, { orderBy: { createdAt: 'asc' } }),
      em.find(
        Invitation,
        { acceptedAt: null, expiresAt: { $gt: new Date() } },
        { orderBy: { createdAt: 'asc' } },
      ),
    ]);
    return { users: users.map(presentUser), invitations: invitations.map(presentInvitation) };
  }

  async invite(em: EntityManager, caller: AuthContext, input: InviteUserInput): Promise<CreatedInvitation> {
    // Emails are unique across the platform, so this check looks beyond the tenant; it only says "taken".
    const taken = await runAsSystem('email uniqueness', () => em.count(User, { email: input.email }));
    if (taken) throw conflict('An account with this email already exists.');
    const token = generateOpaqueToken();
    // Inviting a pending email again replaces its invitation: the link is shown once, so a lost one is
    // sent again this way, and the old link stops working instead of staying valid beside the new one.
    const invitation = await em.transactional(async (tx) => {
      await tx.nativeDelete(Invitation, { email: input.email, acceptedAt: null });
      const created = tx.create(Invitation, {
        email: input.email,
        role: input.role,
        tokenHash: hashToken(token),
        invitedBy: caller.user,
        expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
      });
      await tx.flush();
      return created;
    });
    return { invitation: presentInvitation(invitation), token };
  }

  async revokeInvitation(em: EntityManager, id: string): Promise<void> {
    const deleted = await em.nativeDelete(Invitation, { id, acceptedAt: null });
    if (!deleted) throw notFound('Invitation');
  }

  /** Only an owner changes roles, and a tenant always keeps at least one owner. */
  async update(
    em: EntityManager,
    caller: AuthContext,
    id: string,
    input: UpdateUserInput,
  ): Promise<UserView> {
    const user = await this.find(em, id);
    if (caller.user.role !== 'owner') throw forbidden('Only an owner can change roles.');
    if (user.role === 'owner' && input.role !== 'owner') await this.assertAnotherOwner(em, user);
    user.role = input.role;
    await em.flush();
    return presentUser(user);
  }

  /**
   * Removes a user: their sessions end (cascade), and the chats, messages and leads they handled stay,
   * released from them, in the same transaction.
   */
  async remove(em: EntityManager, caller: AuthContext, id: string): Promise<void> {
    const user = await this.find(em, id);
    if (user.id === caller.user.id) throw conflict('You cannot remove yourself.');
    if (user.role === 'owner') {
      if (caller.user.role !== 'owner') throw forbidden('Only an owner can remove an owner.');
      await this.assertAnotherOwner(em, user);
    }
    await em.transactional(async (tx) => {
      await tx.nativeUpdate(Conversation, { assignedAgent: user.id }, { assignedAgent: null });
      await tx.nativeUpdate(Message, { agent: user.id }, { agent: null });
      await tx.nativeUpdate(Lead, { assignee: user.id }, { assignee: null });
      await tx.nativeUpdate(LeadEvent, { author: user.id }, { author: null });
      await tx.nativeUpdate(AuditLog, { actor: user.id }, { actor: null });
      await tx.nativeUpdate(Invitation, { invitedBy: user.id }, { invitedBy: null });
      await tx.nativeDelete(User, { id: user.id });
    });
    this.signedOut.endUser(user.id);
  }

  private async find(em: EntityManager, id: string): Promise<User> {
    const user = await em.findOne(User, id);
    if (!user) throw notFound('User');
    return user;
  }

  private async assertAnotherOwner(em: EntityManager, user: User) {
    const owners = await em.count(User, { role: 'owner', id: { $ne: user.id } });
    if (!owners) throw conflict('A tenant needs at least one owner.');
  }
}

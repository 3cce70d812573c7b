import type {
  AcceptInvitationInput,
  AuthResponse,
  LoginInput,
  MeResponse,
  RegisterInput,
} from '@chatbot/shared';
import type { EntityManager } from '@mikro-orm/core';
import { Invitation, Tenant, User, hashToken, runAsSystem } from '@chatbot/shared/platform';
import { conflict, invalidCredentials, notFound } from '../../http/http-error';
import { presentTenant, presentUser } from './auth.presenter';
import type { LoginThrottle } from './login-throttle';
import { hashPassword, verifyPassword } from './passwords';
import type { ClientInfo, SessionsService } from './sessions.service';

/** Sign-up, sign-in and joining by invitation: the paths that run before a tenant is known. */
export class AuthService {
  constructor(
    private readonly sessions: SessionsService,
    private readonly throttle: LoginThrottle,
  ) {}

  /** Creates a tenant with its owner and signs the owner in, all or nothing. */
  register(em: EntityManager, input: RegisterInput, client: ClientInfo): Promise<AuthResponse> {
    return runAsSystem('registration', async () => {
      await this.assertEmailFree(em, input.email);
      const passwordHash = await hashPassword(input.password);
      return em.transactional(async (tx) => {
        const tenant = tx.create(Tenant, { name: input.companyName });
        const user = tx.create(User, {
          tenant,
          email: input.email,
          name: input.name,
          passwordHash,
          role: 'owner',
        });
        user.lastLoginAt = new Date();
        return this.sessions.start(tx, user, client);
      });
    });
  }

  login(em: EntityManager, input: LoginInput, client: ClientInfo): Promise<AuthResponse> {
    return runAsSystem('login by email', async () => {
      await this.throttle.assertAllowed(input.email, client.ip);
      const user = await em.findOne(User, { email: input.email });
      if (!(await verifyPassword(user?.passwordHash, input.password)) || !user) {
        await this.throttle.recordFailure(input.email, client.ip);
        throw invalidCredentials();
      }
      await this.throttle.recordSuccess(input.email, client.ip);
      return em.transactional(async (tx) => {
        const current = await tx.findOneOrFail(User, user.id);
        current.lastLoginAt = new Date();
        return this.sessions.start(tx, current, client);
      });
    });
  }

  /** Creates the invited user in the inviting tenant and signs them in; an invitation works once. */
  acceptInvitation(
    em: EntityManager,
    input: AcceptInvitationInput,
    client: ClientInfo,
  ): Promise<AuthResponse> {
    return runAsSystem('invitation acceptance', async () => {
      const invitation = await em.findOne(Invitation, {
        tokenHash: hashToken(input.token),
        acceptedAt: null,
        expiresAt: { $gt: new Date() },
      });
      if (!invitation) throw notFound('Invitation');
      await this.assertEmailFree(em, invitation.email);
      const passwordHash = await hashPassword(input.password);
      return em.transactional(async (tx) => {
        const accepted = await tx.nativeUpdate(
          Invitation,
          { id: invitation.id, acceptedAt: null },
          { acceptedAt: new Date() },
        );
        if (accepted === 0) throw notFound('Invitation');
        const user = tx.create(User, {
          tenant: invitation.tenant,
          email: invitation.email,
          name: input.name,
          passwordHash,
          role: invitation.role,
        });
        user.lastLoginAt = new Date();
        return this.sessions.start(tx, user, client);
      });
    });
  }

  async me(em: EntityManager, userId: string): Promise<MeResponse> {
    const user = await em.findOneOrFail(User, userId, { populate: ['tenant'] });
    return { user: presentUser(user), tenant: presentTenant(user.tenant.getEntity()) };
  }

  private async assertEmailFree(em: EntityManager, email: string) {
    if (await em.count(User, { email })) throw conflict('An account with this email already exists.');
  }
}

import type { AuthResponse } from '@chatbot/shared';
import type { EntityManager } from '@mikro-orm/core';
import {
  RefreshToken,
  Session,
  Tenant,
  generateOpaqueToken,
  hashToken,
  runAsSystem,
  User,
} from '@chatbot/shared/platform';
import { unauthenticated } from '../../http/http-error';
import type { AccessTokens } from './access-tokens';
import type { SignedOutSockets } from './signed-out-sockets';
import { presentTenant, presentUser } from './auth.presenter';

export interface ClientInfo {
  ip: string;
  userAgent: string | undefined;
}

const DAY_MS = 86_400_000;

/**
 * One answer for every refused refresh (unknown, expired, revoked or spent token): which one it was would
 * tell the holder of a stolen token whether it had been noticed.
 */
const refused = () => unauthenticated('The refresh token is not valid. Sign in again.');

/**
 * Sessions and their refresh tokens. Each refresh spends the token and issues the next one of the same
 * session; presenting a spent token again means it was copied, so the whole session is revoked.
 */
export class SessionsService {
  constructor(
    private readonly accessTokens: AccessTokens,
    private readonly refreshTtlDays: number,
    private readonly signedOut: SignedOutSockets,
  ) {}

  /** Starts a session for a user who just proved who they are; the caller's transaction flushes it. */
  async start(em: EntityManager, user: User, client: ClientInfo): Promise<AuthResponse> {
    const session = em.create(Session, {
      tenant: user.tenant,
      user,
      expiresAt: new Date(Date.now() + this.refreshTtlDays * DAY_MS),
      userAgent: client.userAgent?.slice(0, 300) ?? null,
      ip: client.ip,
    });
    const refreshToken = this.issueRefreshToken(em, session);
    const tenant = await em.findOneOrFail(Tenant, user.tenant.id);
    return this.respond(user, tenant, session, refreshToken);
  }

  async refresh(em: EntityManager, presented: string): Promise<AuthResponse> {
    const outcome = await runAsSystem('refresh token lookup', () =>
      em.transactional(async (tx): Promise<{ revoked: string } | { response: AuthResponse }> => {
        const token = await tx.findOne(
          RefreshToken,
          { tokenHash: hashToken(presented) },
          { populate: ['session'] },
        );
        if (!token) throw refused();
        const session = token.session.getEntity();
        if (session.revokedAt || session.expiresAt < new Date() || token.expiresAt < new Date()) {
          throw refused();
        }
        // Conditional update: of two requests racing with one token, exactly one wins.
        const spent = await tx.nativeUpdate(
          RefreshToken,
          { id: token.id, usedAt: null },
          { usedAt: new Date() },
        );
        if (spent === 0) {
          // Committed, not thrown from inside the transaction, so the revocation is not rolled back.
          await tx.nativeUpdate(
            Session,
            { id: session.id },
            { revokedAt: new Date(), revokedReason: 'refresh_token_reuse' },
          );
          return { revoked: session.id };
        }
        const [user, tenant] = await Promise.all([
          tx.findOneOrFail(User, session.user.id),
          tx.findOneOrFail(Tenant, session.tenant.id),
        ]);
        return { response: await this.respond(user, tenant, session, this.issueRefreshToken(tx, session)) };
      }),
    );
    if ('revoked' in outcome) {
      this.signedOut.endSession(outcome.revoked);
      throw refused();
    }
    return outcome.response;
  }

  async revoke(em: EntityManager, sessionId: string, reason: string): Promise<void> {
    await em.nativeUpdate(
      Session,
      { id: sessionId, revokedAt: null },
      { revokedAt: new Date(), revokedReason: reason },
    );
    this.signedOut.endSession(sessionId);
  }

  private issueRefreshToken(em: EntityManager, session: Session): string {
    const token = generateOpaqueToken();
    em.create(RefreshToken, {
      tenant: session.tenant,
      session,
      tokenHash: hashToken(token),
      expiresAt: session.expiresAt,
    });
    return token;
  }

  private async respond(
    user: User,
    tenant: Tenant,
    session: Session,
    refreshToken: string,
  ): Promise<AuthResponse> {
    const accessToken = await this.accessTokens.sign({
      userId: user.id,
      tenantId: tenant.id,
      sessionId: session.id,
    });
    return {
      accessToken,
      refreshToken,
      expiresIn: this.accessTokens.ttlSeconds,
      user: presentUser(user),
      tenant: presentTenant(tenant),
    };
  }
}

import { HttpBackend, HttpClient } from '@angular/common/http';
import { computed, inject, Injectable, signal } from '@angular/core';
import type {
  AcceptInvitationInput,
  AuthResponse,
  MeResponse,
  Role,
  TenantView,
  UserView,
} from '@chatbot/shared';
import { firstValueFrom } from 'rxjs';

const REFRESH_TOKEN_KEY = 'chatbot-admin:refresh-token';
// Renewed this long before it expires, so a request never leaves with a token about to lapse.
const RENEW_MARGIN_MS = 60_000;

/**
 * The signed-in user. The access token lives in memory only; the refresh token in localStorage, so a reload
 * or a new tab stays signed in. Refreshing rotates the refresh token and the server revokes a session whose
 * spent token is presented again, so tabs take turns (a Web Lock) and a tab that finds the stored token
 * already rotated by another adopts it instead of spending the old one.
 */
@Injectable({ providedIn: 'root' })
export class Session {
  // Auth calls bypass the interceptor: a 401 from /auth/refresh must not trigger another refresh.
  private readonly http = new HttpClient(inject(HttpBackend));
  private readonly state = signal<{ user: UserView; tenant: TenantView } | null>(null);
  private accessToken: string | null = null;
  private expiresAt = 0;
  private renewTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<string | null> | null = null;

  readonly user = computed(() => this.state()?.user ?? null);
  readonly tenant = computed(() => this.state()?.tenant ?? null);
  readonly signedIn = computed(() => this.state() !== null);

  /** The access token for a request, renewed first if it has expired. */
  async token(): Promise<string | null> {
    if (this.accessToken && Date.now() < this.expiresAt) return this.accessToken;
    if (!localStorage.getItem(REFRESH_TOKEN_KEY)) return null;
    return this.refresh();
  }

  /** The access token as it is now, for code that cannot wait (the socket's handshake reads it each time). */
  currentToken(): string | null {
    return this.accessToken;
  }

  hasRole(...roles: Role[]): boolean {
    const user = this.user();
    return user !== null && roles.includes(user.role);
  }

  async login(email: string, password: string): Promise<void> {
    this.adopt(await firstValueFrom(this.http.post<AuthResponse>('/api/auth/login', { email, password })));
  }

  /** Joins the tenant of an invitation with a name and password, and signs in as the new user. */
  async acceptInvitation(input: AcceptInvitationInput): Promise<void> {
    this.adopt(await firstValueFrom(this.http.post<AuthResponse>('/api/auth/accept-invitation', input)));
  }

  /** At start-up: signs back in with the saved refresh token, if there is one and it still works. */
  async restore(): Promise<void> {
    if (localStorage.getItem(REFRESH_TOKEN_KEY)) await this.refresh();
  }

  /** A new access token from the refresh token; null (and signed out) when the session has ended. */
  refresh(): Promise<string | null> {
    this.refreshing ??= this.rotate().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  async logout(): Promise<void> {
    const token = this.accessToken;
    this.clear();
    if (!token) return;
    await firstValueFrom(
      this.http.post('/api/auth/logout', null, { headers: { Authorization: `Bearer ${token}` } }),
    ).catch(() => undefined);
  }

  /** Forgets the session locally (the server already refused it). */
  clear(): void {
    clearTimeout(this.renewTimer);
    localStorage.removeItem(REFRESH_TOKEN_KEY);
    this.accessToken = null;
    this.expiresAt = 0;
    this.state.set(null);
  }

  private async rotate(): Promise<string | null> {
    const run = async () => {
      // Read inside the lock: if another tab rotated the token while this one waited, the stored token
      // is the new, unspent one.
      const stored = localStorage.getItem(REFRESH_TOKEN_KEY);
      if (!stored) return null;
      try {
        this.adopt(
          await firstValueFrom(this.http.post<AuthResponse>('/api/auth/refresh', { refreshToken: stored })),
        );
        return this.accessToken;
      } catch (error) {
        // A network failure keeps the session for the next try; a refusal ends it.
        if (isRefusal(error)) this.clear();
        return null;
      }
    };
    return navigator.locks ? await navigator.locks.request('chatbot-admin:refresh', run) : run();
  }

  private adopt(response: AuthResponse): void {
    localStorage.setItem(REFRESH_TOKEN_KEY, response.refreshToken);
    this.accessToken = response.accessToken;
    this.expiresAt = Date.now() + response.expiresIn * 1000 - RENEW_MARGIN_MS;
    this.state.set({ user: response.user, tenant: response.tenant });
    clearTimeout(this.renewTimer);
    this.renewTimer = setTimeout(() => void this.refresh(), Math.max(1000, this.expiresAt - Date.now()));
  }

  /** Reloads the user (after a change of name or role). */
  async reloadMe(): Promise<void> {
    const token = await this.token();
    if (!token) return;
    const me = await firstValueFrom(
      this.http.get<MeResponse>('/api/me', { headers: { Authorization: `Bearer ${token}` } }),
    );
    this.state.set(me);
  }
}

function isRefusal(error: unknown): boolean {
  const status = (error as { status?: number }).status;
  return status === 400 || status === 401 || status === 403;
}

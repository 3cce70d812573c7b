import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { AuthResponse } from '@chatbot/shared';
import { Session } from './session';

const joined: AuthResponse = {
  accessToken: 'access-of-the-new-agent',
  refreshToken: 'refresh-of-the-new-agent',
  expiresIn: 900,
  user: {
    id: 'user-new',
    email: 'new@example.com',
    name: 'New Agent',
    role: 'agent',
    createdAt: '2026-11-01T09:00:00.000Z',
    lastLoginAt: '2026-11-01T09:00:00.000Z',
  },
  tenant: { id: 'tenant-1', name: 'Acme', createdAt: '2026-10-01T09:00:00.000Z' },
};

describe('Session.acceptInvitation', () => {
  let session: Session;
  let http: HttpTestingController;
  const input = { token: 'x'.repeat(43), name: 'New Agent', password: 'a long enough password' };

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    });
    session = TestBed.inject(Session);
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => {
    session.clear();
    http.verify();
  });

  it('posts the token, name and password, and signs in as the new user', async () => {
    const accepting = session.acceptInvitation(input);
    const request = http.expectOne({ method: 'POST', url: '/api/auth/accept-invitation' });
    expect(request.request.body).toEqual(input);
    expect(request.request.headers.has('Authorization')).toBe(false);
    request.flush(joined, { status: 201, statusText: 'Created' });
    await accepting;
    expect(session.signedIn()).toBe(true);
    expect(session.user()?.email).toBe('new@example.com');
    expect(session.hasRole('agent')).toBe(true);
    expect(session.tenant()?.name).toBe('Acme');
    expect(await session.token()).toBe('access-of-the-new-agent');
    expect(localStorage.getItem('chatbot-admin:refresh-token')).toBe('refresh-of-the-new-agent');
  });

  it('stays signed out when the invitation is refused', async () => {
    const accepting = session.acceptInvitation(input);
    http
      .expectOne('/api/auth/accept-invitation')
      .flush(
        { error: { code: 'not_found', message: 'Invitation not found.' } },
        { status: 404, statusText: 'Not Found' },
      );
    await expect(accepting).rejects.toMatchObject({ status: 404 });
    expect(session.signedIn()).toBe(false);
    expect(localStorage.getItem('chatbot-admin:refresh-token')).toBeNull();
  });
});

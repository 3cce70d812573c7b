import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import {
  ApplicationRef,
  Injector,
  provideZonelessChangeDetection,
  runInInjectionContext,
} from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { invitation, member } from './testing';
import { UsersApi } from './users-api';

describe('UsersApi', () => {
  let api: UsersApi;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    });
    api = TestBed.inject(UsersApi);
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => http.verify());

  it('reads the users and the pending invitations', async () => {
    const list = runInInjectionContext(TestBed.inject(Injector), () => api.list());
    TestBed.tick();
    http.expectOne({ method: 'GET', url: '/api/users' }).flush({
      users: [member('owner')],
      invitations: [invitation()],
    });
    await TestBed.inject(ApplicationRef).whenStable();
    expect(list.value()?.users[0]?.role).toBe('owner');
    expect(list.value()?.invitations[0]?.email).toBe('grace@example.com');
  });

  it('invites, revokes, changes a role and removes with the right requests', async () => {
    const created = { invitation: invitation(), token: 't'.repeat(43) };
    const calls: [Promise<unknown>, string, string, unknown, object | null][] = [
      [
        api.invite({ email: 'grace@example.com', role: 'agent' }),
        'POST',
        '/api/users/invitations',
        { email: 'grace@example.com', role: 'agent' },
        created,
      ],
      [api.revokeInvitation('invitation-1'), 'DELETE', '/api/users/invitations/invitation-1', null, null],
      [
        api.changeRole('user-agent', 'admin'),
        'PATCH',
        '/api/users/user-agent',
        { role: 'admin' },
        member('admin', { id: 'user-agent' }),
      ],
      [api.remove('user-agent'), 'DELETE', '/api/users/user-agent', null, null],
    ];
    for (const [promise, method, url, body, answer] of calls) {
      const request = http.expectOne({ method, url });
      expect(request.request.body).toEqual(body);
      request.flush(answer);
      expect(await promise).toEqual(answer);
    }
  });
});

import { APP_BASE_HREF } from '@angular/common';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import type { UserView } from '@chatbot/shared';
import { Confirmer, type Confirmation } from '../core/ui/confirmer';
import { TeamPage } from './team-page';
import { fakeSession, invitation, member } from './testing';

describe('TeamPage', () => {
  let fixture: ComponentFixture<TeamPage>;
  let http: HttpTestingController;
  let asked: Confirmation[];
  let session: ReturnType<typeof fakeSession>['fake'];

  const owner = member('owner');
  const admin = member('admin');
  const agent = member('agent');
  const element = () => fixture.nativeElement as HTMLElement;
  const text = () => element().textContent!.replace(/\s+/g, ' ');
  const button = (name: string) =>
    [...element().querySelectorAll('button')].find(
      (candidate) => (candidate.getAttribute('aria-label') ?? candidate.textContent!.trim()) === name,
    );
  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  };
  const answerList = async (users = [owner, admin, agent], invitations = [invitation()]) => {
    http.expectOne({ method: 'GET', url: '/api/users' }).flush({ users, invitations });
    await settle();
  };

  function create(who: UserView, answer = true) {
    const fake = fakeSession(who);
    session = fake.fake;
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: APP_BASE_HREF, useValue: '/admin/' },
        fake.provider,
      ],
    });
    asked = [];
    TestBed.inject(Confirmer).ask = (confirmation) => {
      asked.push(confirmation);
      return Promise.resolve(answer);
    };
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(TeamPage);
    TestBed.tick();
  }
  afterEach(() => http.verify());

  it('lists the members and invitations after a skeleton; an owner changes roles in the row', async () => {
    create(owner);
    expect(element().querySelector('[aria-busy="true"] .skeleton')).not.toBeNull();
    await answerList();
    const rows = [...element().querySelectorAll('app-team-members tbody tr')];
    expect(rows.map((row) => row.getAttribute('aria-label'))).toEqual([owner.name, admin.name, agent.name]);
    expect(rows[0]!.textContent).toContain('You');
    expect(rows[2]!.textContent).toContain('agent@example.com');
    // The only owner keeps the role; the others' roles are choices.
    expect(rows[0]!.querySelector('select')).toBeNull();
    expect(element().querySelector<HTMLSelectElement>('select[aria-label="Role of Agent User"]')!.value).toBe(
      'agent',
    );
    expect(button(`Remove ${owner.name}`)).toBeUndefined();
    expect(text()).toContain('grace@example.com');
    expect(text()).toContain('Pending invitations 1');
  });

  it('shows an admin the roles without choices and keeps owners out of their reach', async () => {
    create(admin);
    await answerList();
    expect(element().querySelectorAll('app-team-members select').length).toBe(0);
    expect(text()).toContain('Only an owner can change roles or remove an owner.');
    expect(button(`Remove ${owner.name}`)).toBeUndefined();
    expect(button(`Remove ${admin.name}`)).toBeUndefined();
    expect(button(`Remove ${agent.name}`)).toBeDefined();
  });

  it('says what to do when nobody is invited', async () => {
    create(owner);
    await answerList([owner], []);
    expect(text()).toContain('No pending invitations.');
    button('Invite a colleague')!.click();
    await settle();
    expect(element().querySelector('app-invite-form')).not.toBeNull();
  });

  it('shows a new invitation’s link once, with its expiry, until it is dismissed', async () => {
    create(owner);
    await answerList([owner], []);
    button('Invite')!.click();
    await settle();
    const email = element().querySelector<HTMLInputElement>('input[type="email"]')!;
    email.value = 'grace@example.com';
    email.dispatchEvent(new Event('input'));
    element().querySelector('form')!.dispatchEvent(new Event('submit'));
    TestBed.tick();
    const token = 'tok_' + 'x'.repeat(39);
    http
      .expectOne({ method: 'POST', url: '/api/users/invitations' })
      .flush({ invitation: invitation(), token }, { status: 201, statusText: 'Created' });
    // The list is fetched again (a re-invitation replaces one): stable only once it is answered.
    await new Promise((resolve) => setTimeout(resolve));
    TestBed.tick();
    await answerList([owner], [invitation()]);
    const link = element().querySelector<HTMLInputElement>('app-shown-once input')!;
    expect(link.value).toBe(`${window.location.origin}/admin/accept-invitation?token=${token}`);
    expect(text()).toContain('the platform sends no email');
    expect(text()).toMatch(/shown only this once and expires on Nov 27, 2026/);
    button('Done')!.click();
    await settle();
    expect(element().innerHTML).not.toContain(token);
  });

  it('changes a role, and asks first before making someone an owner', async () => {
    create(owner);
    await answerList();
    const select = element().querySelector<HTMLSelectElement>('select[aria-label="Role of Agent User"]')!;
    select.value = 'owner';
    select.dispatchEvent(new Event('change'));
    await settle();
    expect(asked.map((question) => question.title)).toEqual(['Make Agent User an owner?']);
    const request = http.expectOne({ method: 'PATCH', url: '/api/users/user-agent' });
    expect(request.request.body).toEqual({ role: 'owner' });
    request.flush({ ...agent, role: 'owner' });
    await settle();
    expect(element().querySelector('tr[aria-label="Agent User"]')!.textContent).toContain('Owner');
  });

  it('reloads the signed-in user after changing their own role, and leaves when the page is closed to them', async () => {
    create(owner);
    const second = member('owner', { id: 'user-owner-2', name: 'Second Owner' });
    await answerList([owner, second]);
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    session.reloaded = { ...owner, role: 'agent' };
    const select = element().querySelector<HTMLSelectElement>('select[aria-label="Role of Owner User"]')!;
    select.value = 'agent';
    select.dispatchEvent(new Event('change'));
    await settle();
    expect(asked[0]!.title).toBe('Make yourself an agent?');
    http.expectOne({ method: 'PATCH', url: '/api/users/user-owner' }).flush({ ...owner, role: 'agent' });
    await settle();
    expect(session.user()!.role).toBe('agent');
    expect(navigate).toHaveBeenCalledWith('/');
  });

  it('removes a user after a confirmation that says what becomes of their work', async () => {
    create(owner);
    await answerList();
    button(`Remove ${agent.name}`)!.click();
    await settle();
    expect(asked[0]!.title).toBe('Remove Agent User?');
    expect(asked[0]!.message).toContain('signed out at once');
    expect(asked[0]!.message).toContain('become unassigned');
    expect(asked[0]!.message).toContain('lead notes');
    expect(asked[0]!.message).toContain('audit log');
    http.expectOne({ method: 'DELETE', url: '/api/users/user-agent' }).flush(null);
    await settle();
    expect(element().querySelector('tr[aria-label="Agent User"]')).toBeNull();
  });

  it('revokes an invitation after a confirmation, and sends nothing when the answer is no', async () => {
    create(owner, false);
    await answerList();
    button('Revoke the invitation of grace@example.com')!.click();
    await settle();
    expect(asked[0]!.title).toBe('Revoke the invitation of grace@example.com?');
    http.expectNone({ method: 'DELETE' });
    TestBed.inject(Confirmer).ask = () => Promise.resolve(true);
    button('Revoke the invitation of grace@example.com')!.click();
    await settle();
    http.expectOne({ method: 'DELETE', url: '/api/users/invitations/invitation-1' }).flush(null);
    await settle();
    expect(text()).toContain('No pending invitations.');
  });

  it('fetches the team again when a row was already gone on the server', async () => {
    create(owner);
    await answerList();
    button(`Remove ${agent.name}`)!.click();
    await settle();
    http
      .expectOne({ method: 'DELETE', url: '/api/users/user-agent' })
      .flush(
        { error: { code: 'not_found', message: 'User not found.' } },
        { status: 404, statusText: 'Not Found' },
      );
    await new Promise((resolve) => setTimeout(resolve));
    TestBed.tick();
    await answerList([owner, admin]);
    expect(element().querySelector('tr[aria-label="Agent User"]')).toBeNull();
  });
});

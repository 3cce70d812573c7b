import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { LeadDetail, Role } from '@chatbot/shared';
import { Toaster } from '../core/ui/toaster';
import { LeadDetailPage, SUMMARY_POLL_MS } from './lead-detail-page';
import { fakeSession, lead, leadDetail, user, verifyRequests } from './testing';

describe('LeadDetailPage', () => {
  let fixture: ComponentFixture<LeadDetailPage>;
  let http: HttpTestingController;

  const element = () => fixture.nativeElement as HTMLElement;
  const text = () => element().textContent ?? '';
  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  };
  const select = (label: string) =>
    [...element().querySelectorAll('label.field')]
      .find((field) => field.querySelector('span')?.textContent?.trim() === label)!
      .querySelector('select')!;
  const options = (label: string) => [...select(label).options].map((option) => option.textContent!.trim());
  const choose = (label: string, value: string) => {
    const element = select(label);
    element.value = value;
    element.dispatchEvent(new Event('change'));
    TestBed.tick();
  };
  const leadRequest = () =>
    http.expectOne((request) => request.url === '/api/leads/lead-1' && request.method === 'GET');

  async function open(role: Role, detail: LeadDetail = leadDetail()) {
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        fakeSession(user(role)),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(LeadDetailPage);
    fixture.componentRef.setInput('id', 'lead-1');
    TestBed.tick();
    http
      .expectOne((request) => request.url === '/api/chatbots')
      .flush({ chatbots: [{ id: 'bot-1', name: 'Sales bot' }], total: 1 });
    leadRequest().flush(detail);
  }
  afterEach(() => verifyRequests(http));

  it('shows the lead, its summary and score, its history and its transcript', async () => {
    await open('agent');
    await settle();
    expect(element().querySelector('h1')!.textContent).toContain('Ada Lovelace');
    expect(text()).toContain('by Sales bot');
    expect(text()).toContain('Wants a demo for 20 seats.');
    expect(text()).toContain('Score 72');
    expect(text()).toContain('+40 wants to act');
    expect(text()).toContain('The visitor left their email and name.');
    expect(text()).toContain('Can I book a demo?');
    const conversationLinks = [...element().querySelectorAll('a')].filter((link) =>
      link.getAttribute('href')?.endsWith('/conversations/conversation-1'),
    );
    expect(conversationLinks.length).toBeGreaterThan(0);
  });

  it('says the summary is being written and looks again until it is there', async () => {
    await open('agent', leadDetail({ summary: null, score: 0, scoreReasons: [] }));
    await settle();
    expect(text()).toContain('The summary is being written');
    await new Promise((resolve) => setTimeout(resolve, SUMMARY_POLL_MS + 100));
    leadRequest().flush(leadDetail({ summary: 'Asked about pricing.' }));
    await settle();
    expect(text()).toContain('Asked about pricing.');
    expect(text()).not.toContain('being written');
  });

  it('lets an agent, who cannot list the team, take the lead without asking for the team', async () => {
    await open('agent');
    await settle();
    http.expectNone('/api/users');
    expect(options('Assignee')).toEqual(['Nobody', 'Agent User (me)']);
    expect(text()).toContain('Only owners and admins can see the whole team');
    choose('Assignee', 'user-agent');
    const patch = http.expectOne((request) => request.method === 'PATCH');
    expect(patch.request.body).toEqual({ assigneeId: 'user-agent' });
    patch.flush(lead({ assigneeId: 'user-agent', assigneeName: 'Agent User' }));
    await new Promise((resolve) => setTimeout(resolve));
    TestBed.tick();
    // The history is read again: it has the assignment now.
    leadRequest().flush(leadDetail({ assigneeId: 'user-agent', assigneeName: 'Agent User' }));
    await settle();
    expect(select('Assignee').value).toBe('user-agent');
  });

  it('offers an owner the whole team', async () => {
    await open('owner');
    http.expectOne('/api/users').flush({
      users: [user('owner'), user('agent', { id: 'user-2', name: 'Grace Hopper' })],
      invitations: [],
    });
    await settle();
    expect(options('Assignee')).toEqual(['Nobody', 'Owner User (me)', 'Grace Hopper']);
    expect(text()).not.toContain('Only owners and admins');
  });

  it('falls back to the user alone when the team cannot be listed', async () => {
    await open('admin', leadDetail({ assigneeId: 'user-9', assigneeName: 'Linus' }));
    http
      .expectOne('/api/users')
      .flush(
        { error: { code: 'forbidden', message: 'Forbidden.' } },
        { status: 403, statusText: 'Forbidden' },
      );
    await settle();
    expect(options('Assignee')).toEqual(['Nobody', 'Admin User (me)', 'Linus']);
    expect(select('Assignee').value).toBe('user-9');
    expect(text()).toContain('Only owners and admins can see the whole team');
  });

  it('puts the status back when the change is refused', async () => {
    await open('agent');
    await settle();
    const error = vi.spyOn(TestBed.inject(Toaster), 'error');
    choose('Status', 'converted');
    http
      .expectOne((request) => request.method === 'PATCH')
      .flush(
        { error: { code: 'validation_failed', message: 'The request is not valid.' } },
        { status: 400, statusText: 'Bad Request' },
      );
    await settle();
    expect(select('Status').value).toBe('new');
    expect(error).toHaveBeenCalledOnce();
  });

  it('says so when the lead does not exist', async () => {
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        fakeSession(user('agent')),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(LeadDetailPage);
    fixture.componentRef.setInput('id', 'lead-1');
    TestBed.tick();
    http.expectOne((request) => request.url === '/api/chatbots').flush({ chatbots: [], total: 0 });
    leadRequest().flush(
      { error: { code: 'not_found', message: 'Lead not found.' } },
      { status: 404, statusText: 'Not Found' },
    );
    await settle();
    expect(text()).toContain('This lead does not exist, or it was deleted.');
  });
});

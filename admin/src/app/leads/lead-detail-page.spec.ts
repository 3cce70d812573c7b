import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { LeadAssignee, LeadDetail, Role } from '@chatbot/shared';
import { Toaster } from '../core/ui/toaster';
import { LeadDetailPage, SUMMARY_POLL_MS } from './lead-detail-page';
import { fakeSession, lead, leadDetail, user, verifyRequests } from './testing';

/** The tenant's team as GET /api/leads/assignees gives it, to every role. */
const team: LeadAssignee[] = [
  { id: 'user-owner', name: 'Owner User' },
  { id: 'user-agent', name: 'Agent User' },
  { id: 'user-2', name: 'Grace Hopper' },
];

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
  const teamRequest = () => http.expectOne('/api/leads/assignees');

  /** Opens the page as `role`; the team is answered unless `members` is null (the test answers it). */
  async function open(role: Role, detail: LeadDetail = leadDetail(), members: LeadAssignee[] | null = team) {
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
    if (members) teamRequest().flush({ assignees: members });
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

  it('offers an agent the whole team from the leads API, and gives the lead to a colleague', async () => {
    await open('agent');
    await settle();
    http.expectNone('/api/users');
    expect(options('Assignee')).toEqual(['Nobody', 'Owner User', 'Agent User (me)', 'Grace Hopper']);
    choose('Assignee', 'user-2');
    const patch = http.expectOne((request) => request.method === 'PATCH');
    expect(patch.request.body).toEqual({ assigneeId: 'user-2' });
    patch.flush(lead({ assigneeId: 'user-2', assigneeName: 'Grace Hopper' }));
    await new Promise((resolve) => setTimeout(resolve));
    TestBed.tick();
    // The history is read again: it has the assignment now.
    leadRequest().flush(leadDetail({ assigneeId: 'user-2', assigneeName: 'Grace Hopper' }));
    await settle();
    expect(select('Assignee').value).toBe('user-2');
  });

  it('offers an owner the same team, marking the owner', async () => {
    await open('owner');
    await settle();
    http.expectNone('/api/users');
    expect(options('Assignee')).toEqual(['Nobody', 'Owner User (me)', 'Agent User', 'Grace Hopper']);
  });

  it('keeps whoever has the lead listed when they are no longer in the team', async () => {
    await open('agent', leadDetail({ assigneeId: 'user-9', assigneeName: 'Linus' }));
    await settle();
    expect(options('Assignee')).toEqual(['Nobody', 'Owner User', 'Agent User (me)', 'Grace Hopper', 'Linus']);
    expect(select('Assignee').value).toBe('user-9');
  });

  it('says so when the team cannot be loaded, and still shows who has the lead', async () => {
    await open('admin', leadDetail({ assigneeId: 'user-2', assigneeName: 'Grace Hopper' }), null);
    teamRequest().flush(
      { error: { code: 'internal_error', message: 'Something went wrong.' } },
      { status: 500, statusText: 'Internal Server Error' },
    );
    await settle();
    expect(options('Assignee')).toEqual(['Nobody', 'Grace Hopper']);
    expect(select('Assignee').value).toBe('user-2');
    expect(text()).toContain('The team could not be loaded: Something went wrong.');
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
    teamRequest().flush({ assignees: team });
    await settle();
    expect(text()).toContain('This lead does not exist, or it was deleted.');
  });
});

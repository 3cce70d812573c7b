import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import type { LeadsResponse } from '@chatbot/shared';
import { Toaster } from '../core/ui/toaster';
import { dayBound, LeadListPage } from './lead-list-page';
import { FakeSocket, fakeSession, lead, leadDetail, user, verifyRequests } from './testing';

describe('LeadListPage', () => {
  let fixture: ComponentFixture<LeadListPage>;
  let http: HttpTestingController;
  let socket: FakeSocket;
  let toaster: Toaster;
  const page: LeadsResponse = {
    leads: [
      lead(),
      lead({ id: 'lead-2', email: 'bob@example.com', name: null, status: 'contacted', score: 10 }),
    ],
    total: 2,
  };

  const element = () => fixture.nativeElement as HTMLElement;
  const rows = () => [...element().querySelectorAll('tbody tr')] as HTMLTableRowElement[];
  /** Runs effects and change detection (requests still open). */
  const tick = () => TestBed.tick();
  /** Lets the code awaiting a request go on, then waits for the page to render (no request may be open). */
  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  };
  const answerBots = () =>
    http
      .expectOne((request) => request.url === '/api/chatbots')
      .flush({ chatbots: [{ id: 'bot-1', name: 'Sales bot' }], total: 1 });
  const answerLeads = async (body: LeadsResponse = page) => {
    http.expectOne((request) => request.url === '/api/leads').flush(body);
    await settle();
  };

  beforeEach(() => {
    socket = new FakeSocket();
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        fakeSession(user('agent')),
        FakeSocket.provider(socket),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    toaster = TestBed.inject(Toaster);
    fixture = TestBed.createComponent(LeadListPage);
    tick();
  });
  afterEach(() => verifyRequests(http));

  it('shows a skeleton, then the leads with their bot, status and score', async () => {
    expect(element().querySelector('[aria-busy="true"] .skeleton')).not.toBeNull();
    answerBots();
    await answerLeads();
    expect(rows().map((row) => row.querySelector('td')!.textContent!.trim())).toEqual([
      'Ada Lovelace',
      'No name given',
    ]);
    const first = rows()[0]!;
    expect(first.textContent).toContain('ada@example.com');
    expect(first.textContent).toContain('Analytical Engines');
    expect(first.textContent).toContain('Sales bot');
    expect(first.querySelector<HTMLSelectElement>('select')!.value).toBe('new');
    expect(rows()[1]!.querySelector<HTMLSelectElement>('select')!.value).toBe('contacted');
    expect(element().textContent).toContain('1–2 of 2');
  });

  it('asks the API for the filters of the URL, with the days as instants', async () => {
    fixture.componentRef.setInput('status', 'qualified');
    fixture.componentRef.setInput('from', '2026-11-01');
    fixture.componentRef.setInput('to', '2026-11-30');
    fixture.componentRef.setInput('search', '  acme ');
    fixture.componentRef.setInput('page', '3');
    tick();
    answerBots();
    const requests = http.match((request) => request.url === '/api/leads');
    const params = requests.at(-1)!.request.params;
    expect(params.get('status')).toBe('qualified');
    expect(params.get('from')).toBe(dayBound('2026-11-01', false));
    expect(params.get('to')).toBe(dayBound('2026-11-30', true));
    expect(params.get('search')).toBe('acme');
    expect(params.get('offset')).toBe('100');
    requests.at(-1)!.flush({ leads: [], total: 0 });
    await settle();
    expect(element().textContent).toContain('No leads match these filters');
  });

  it('puts a changed filter in the URL, back on the first page', async () => {
    answerBots();
    await answerLeads();
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    const status = element().querySelector<HTMLSelectElement>('form select')!;
    status.value = 'converted';
    status.dispatchEvent(new Event('change'));
    expect(navigate).toHaveBeenCalledWith([], {
      queryParams: { status: 'converted', page: null },
      queryParamsHandling: 'merge',
      replaceUrl: false,
    });
  });

  it('changes a status at once and keeps it when the server agrees', async () => {
    answerBots();
    await answerLeads();
    const select = rows()[0]!.querySelector('select')!;
    select.value = 'qualified';
    select.dispatchEvent(new Event('change'));
    tick();
    expect(rows()[0]!.querySelector('select')!.getAttribute('data-status')).toBe('qualified');
    const patch = http.expectOne('/api/leads/lead-1');
    expect(patch.request.body).toEqual({ status: 'qualified' });
    patch.flush(lead({ status: 'qualified' }));
    await settle();
    expect(rows()[0]!.querySelector('select')!.value).toBe('qualified');
  });

  it('puts the status back and says why when the server refuses the change', async () => {
    const error = vi.spyOn(toaster, 'error');
    answerBots();
    await answerLeads();
    const select = rows()[0]!.querySelector('select')!;
    select.value = 'converted';
    select.dispatchEvent(new Event('change'));
    tick();
    http
      .expectOne('/api/leads/lead-1')
      .flush(
        { error: { code: 'not_found', message: 'Lead not found.' } },
        { status: 404, statusText: 'Not Found' },
      );
    await settle();
    const after = rows()[0]!.querySelector('select')!;
    expect(after.value).toBe('new');
    expect(after.getAttribute('data-status')).toBe('new');
    expect(error).toHaveBeenCalledOnce();
  });

  it('highlights a lead that arrives live and says who it is', async () => {
    const info = vi.spyOn(toaster, 'info');
    answerBots();
    await answerLeads();
    socket.emit('lead:new', { leadId: 'lead-3', botId: 'bot-1', conversationId: 'conversation-3' });
    tick();
    http
      .expectOne((request) => request.url === '/api/leads')
      .flush({
        leads: [lead({ id: 'lead-3', email: 'cy@example.com', name: 'Cy' }), ...page.leads],
        total: 3,
      });
    http
      .expectOne('/api/leads/lead-3')
      .flush(leadDetail({ id: 'lead-3', email: 'cy@example.com', name: 'Cy' }));
    await settle();
    expect(rows()[0]!.classList.contains('fresh')).toBe(true);
    expect(rows()[1]!.classList.contains('fresh')).toBe(false);
    expect(info).toHaveBeenCalledWith('New lead: Cy (cy@example.com)');
  });

  it('fetches the leads again after the socket reconnects', async () => {
    answerBots();
    await answerLeads();
    socket.epoch.set(1);
    tick();
    await answerLeads();
  });

  it('explains how leads arrive when there are none', async () => {
    answerBots();
    await answerLeads({ leads: [], total: 0 });
    expect(element().textContent).toContain('No leads yet');
    expect(element().textContent).toContain('lead capture');
  });
});

describe('dayBound', () => {
  it("turns a day into the instant it starts or ends in the user's time zone", () => {
    expect(new Date(dayBound('2026-11-05', false)!).getDate()).toBe(5);
    expect(new Date(dayBound('2026-11-05', false)!).getHours()).toBe(0);
    expect(new Date(dayBound('2026-11-05', true)!).getHours()).toBe(23);
    expect(dayBound('', false)).toBeUndefined();
    expect(dayBound('2026-13-45', false)).toBeUndefined();
  });
});

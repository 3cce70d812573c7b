import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import {
  ApplicationRef,
  Injector,
  provideZonelessChangeDetection,
  runInInjectionContext,
  signal,
} from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { ListLeadsQuery } from '@chatbot/shared';
import { LeadsApi } from './leads-api';
import { attachmentName } from '../core/api/download-file';
import { verifyRequests } from './testing';

describe('LeadsApi', () => {
  let api: LeadsApi;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    });
    api = TestBed.inject(LeadsApi);
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => verifyRequests(http));

  it('lists leads with only the filters that are set, and again when they change', async () => {
    const query = signal<ListLeadsQuery>({ limit: 50, offset: 0, status: 'new', search: undefined });
    const leads = runInInjectionContext(TestBed.inject(Injector), () => api.list(query));
    TestBed.tick();
    const first = http.expectOne((request) => request.url === '/api/leads');
    expect(first.request.params.keys().sort()).toEqual(['limit', 'offset', 'status']);
    expect(first.request.params.get('status')).toBe('new');
    first.flush({ leads: [], total: 0 });
    await TestBed.inject(ApplicationRef).whenStable();
    expect(leads.value()).toEqual({ leads: [], total: 0 });

    query.set({ limit: 50, offset: 50, search: 'acme' });
    TestBed.tick();
    const second = http.expectOne((request) => request.url === '/api/leads');
    expect(second.request.params.get('offset')).toBe('50');
    expect(second.request.params.get('search')).toBe('acme');
    expect(second.request.params.has('status')).toBe(false);
    second.flush({ leads: [], total: 0 });
  });

  it('reads the team a lead can be given to from the leads API, not the users API', async () => {
    const team = runInInjectionContext(TestBed.inject(Injector), () => api.assignees());
    TestBed.tick();
    http.expectNone('/api/users');
    http.expectOne('/api/leads/assignees').flush({ assignees: [{ id: 'user-2', name: 'Grace Hopper' }] });
    await TestBed.inject(ApplicationRef).whenStable();
    expect(team.value()).toEqual({ assignees: [{ id: 'user-2', name: 'Grace Hopper' }] });
  });

  it('changes a lead and adds a note', async () => {
    const updated = api.update('lead-1', { status: 'qualified' });
    const patch = http.expectOne('/api/leads/lead-1');
    expect(patch.request.method).toBe('PATCH');
    expect(patch.request.body).toEqual({ status: 'qualified' });
    patch.flush({ id: 'lead-1', status: 'qualified' });
    expect((await updated).status).toBe('qualified');

    const note = api.addNote('lead-1', 'Called back');
    const post = http.expectOne('/api/leads/lead-1/notes');
    expect(post.request.method).toBe('POST');
    expect(post.request.body).toEqual({ text: 'Called back' });
    post.flush({ id: 'event-1', kind: 'note', text: 'Called back' });
    expect((await note).text).toBe('Called back');
  });

  it('downloads the export of the filters as the file the server names', async () => {
    const clicked: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push(this.download);
    });
    URL.createObjectURL = vi.fn(() => 'blob:leads');
    URL.revokeObjectURL = vi.fn();

    const done = api.exportCsv({ status: 'converted', botId: undefined });
    const request = http.expectOne((candidate) => candidate.url === '/api/leads/export.csv');
    expect(request.request.responseType).toBe('blob');
    expect(request.request.params.keys()).toEqual(['status']);
    request.flush(new Blob(['id,email\r\n']), {
      headers: { 'Content-Disposition': 'attachment; filename="leads-2026-12-01.csv"' },
    });
    await done;
    expect(clicked).toEqual(['leads-2026-12-01.csv']);
    click.mockRestore();
  });
});

describe('attachmentName', () => {
  it('reads the file name of a Content-Disposition header, or falls back', () => {
    expect(attachmentName('attachment; filename="leads-2026-12-01.csv"', 'x.csv')).toBe(
      'leads-2026-12-01.csv',
    );
    expect(attachmentName("attachment; filename*=UTF-8''leads.csv", 'x.csv')).toBe('leads.csv');
    expect(attachmentName(null, 'x.csv')).toBe('x.csv');
  });
});

import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { LeadEventView } from '@chatbot/shared';
import { LeadNotes } from './lead-notes';
import { verifyRequests } from './testing';

const note = (id: string, text: string, createdAt: string): LeadEventView => ({
  id,
  kind: 'note',
  authorId: 'user-1',
  authorName: 'Grace Hopper',
  oldValue: null,
  newValue: null,
  text,
  createdAt,
});

describe('LeadNotes', () => {
  let fixture: ComponentFixture<LeadNotes>;
  let http: HttpTestingController;
  let added: LeadEventView[];

  const element = () => fixture.nativeElement as HTMLElement;
  const textarea = () => element().querySelector('textarea')!;
  const type = (value: string) => {
    textarea().value = value;
    textarea().dispatchEvent(new Event('input'));
  };
  const submit = () => element().querySelector('form')!.dispatchEvent(new Event('submit'));
  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  };

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(LeadNotes);
    fixture.componentRef.setInput('leadId', 'lead-1');
    fixture.componentRef.setInput('history', [
      note('n1', 'First call', '2026-11-20T10:00:00.000Z'),
      { ...note('s1', '', '2026-11-20T10:30:00.000Z'), kind: 'status', text: null },
      note('n2', 'Sent the quote', '2026-11-21T10:00:00.000Z'),
    ]);
    added = [];
    fixture.componentInstance.added.subscribe((event) => added.push(event));
    await settle();
  });
  afterEach(() => verifyRequests(http));

  it('lists the notes newest first with their author', () => {
    const items = [...element().querySelectorAll('.notes li')];
    expect(items.map((item) => item.querySelector('p')!.textContent)).toEqual([
      'Sent the quote',
      'First call',
    ]);
    expect(items[0]!.textContent).toContain('Grace Hopper');
  });

  it('refuses an empty note without sending it', async () => {
    type('   ');
    submit();
    await settle();
    http.expectNone('/api/leads/lead-1/notes');
    expect(element().querySelector('.error')?.textContent).toBe('Write the note first.');
    expect(added).toEqual([]);
  });

  it('saves a note, hands it to the page and empties the form', async () => {
    type('Wants a call on Monday');
    submit();
    TestBed.tick();
    const request = http.expectOne('/api/leads/lead-1/notes');
    expect(request.request.body).toEqual({ text: 'Wants a call on Monday' });
    const saved = note('n3', 'Wants a call on Monday', '2026-11-22T10:00:00.000Z');
    request.flush(saved);
    await settle();
    expect(added).toEqual([saved]);
    expect(textarea().value).toBe('');
  });

  it("shows the server's reason beside the field when it refuses the note", async () => {
    type('A note');
    submit();
    TestBed.tick();
    http.expectOne('/api/leads/lead-1/notes').flush(
      {
        error: {
          code: 'validation_failed',
          message: 'The request is not valid: see fields.',
          fields: [{ location: 'body', path: 'text', message: 'is too long' }],
        },
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await settle();
    expect(element().querySelector('.error')!.textContent).toBe('is too long');
    expect(added).toEqual([]);
  });
});

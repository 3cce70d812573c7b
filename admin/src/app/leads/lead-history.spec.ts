import type { LeadEventView } from '@chatbot/shared';
import { describeEvent } from './lead-history';

const event = (overrides: Partial<LeadEventView>): LeadEventView => ({
  id: 'e',
  kind: 'status',
  authorId: 'user-1',
  authorName: 'Grace',
  oldValue: null,
  newValue: null,
  text: null,
  createdAt: '2026-11-20T10:00:00.000Z',
  ...overrides,
});

describe('describeEvent', () => {
  it('tells what the visitor left, changed and agreed to', () => {
    const captured = (changes: LeadEventView['changes']) =>
      describeEvent(event({ kind: 'captured', authorId: null, authorName: null, changes }));
    expect(
      captured([
        { field: 'email', from: null, to: 'a@example.com' },
        { field: 'name', from: null, to: 'Ada' },
        { field: 'company', from: null, to: 'Acme' },
        { field: 'consent', from: null, to: 'true' },
      ]),
    ).toBe('The visitor left their email, name and company and agreed to be contacted.');
    expect(
      captured([
        { field: 'name', from: 'Ada', to: 'Ada L.' },
        { field: 'phone', from: null, to: '+44 20 7946 0000' },
      ]),
    ).toBe('The visitor left their phone and changed their name from “Ada” to “Ada L.”.');
    expect(captured([])).toBe('The visitor left the same details again.');
  });

  it('tells who changed the status or the assignee', () => {
    expect(describeEvent(event({ oldValue: 'new', newValue: 'qualified' }))).toBe(
      'Grace changed the status from New to Qualified.',
    );
    expect(
      describeEvent(event({ kind: 'assignee', newValue: 'user-2', newName: 'Linus', oldValue: null })),
    ).toBe('Grace assigned the lead to Linus.');
    expect(describeEvent(event({ kind: 'assignee', newValue: 'user-1', newName: 'Grace' }))).toBe(
      'Grace took the lead.',
    );
    expect(describeEvent(event({ kind: 'assignee', oldValue: 'user-1', newValue: null }))).toBe(
      'Grace unassigned the lead.',
    );
    expect(describeEvent(event({ kind: 'note', authorId: null, authorName: null, text: 'x' }))).toBe(
      'A former team member added a note.',
    );
  });
});

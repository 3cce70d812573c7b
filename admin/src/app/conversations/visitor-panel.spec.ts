import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { ConversationDetail } from '@chatbot/shared';
import { listItem } from './testing/fixtures';
import { VisitorPanel } from './visitor-panel';

type Detail = ConversationDetail['conversation'];

function conversation(overrides: Partial<Detail> = {}): Detail {
  return {
    ...listItem(),
    visitorIp: '203.0.113.9',
    userAgent: 'AdaBrowser/1.0',
    referrer: 'https://shop.example/returns',
    visitorLanguage: 'fr-CH',
    ...overrides,
  };
}

describe('VisitorPanel', () => {
  /** The panel's terms and what each says, as a reader pairs them. */
  function render(detail: Detail) {
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection(), provideRouter([])] });
    const fixture = TestBed.createComponent(VisitorPanel);
    fixture.componentRef.setInput('conversation', detail);
    TestBed.tick();
    const element = fixture.nativeElement as HTMLElement;
    const terms = [...element.querySelectorAll('dt')].map((dt) => [
      dt.textContent!.trim(),
      dt.nextElementSibling!.textContent!.trim(),
    ]);
    return { element, fields: Object.fromEntries(terms) as Record<string, string> };
  }

  it('shows where the visitor came from and their language by name and tag', () => {
    const { fields, element } = render(conversation());
    expect(fields['IP address']).toBe('203.0.113.9');
    expect(fields['User agent']).toBe('AdaBrowser/1.0');
    expect(fields['Language']).toBe('Swiss French (fr-CH)');
    expect(fields['Visitor id']).toBe('visitor-abcdef');
    const referrer = element.querySelector<HTMLAnchorElement>('a[href="https://shop.example/returns"]')!;
    expect(referrer.rel).toBe('noopener noreferrer');
  });

  it('shows a tag without an English name as it is, and a dash when the browser gave none', () => {
    expect(render(conversation({ visitorLanguage: 'qaa' })).fields['Language']).toBe('qaa');
    TestBed.resetTestingModule();
    const { fields } = render(conversation({ visitorLanguage: null, visitorIp: null, referrer: null }));
    expect([fields['Language'], fields['IP address'], fields['Referrer']]).toEqual(['—', '—', '—']);
  });

  it('links the lead when the visitor left their details, and says so when not', () => {
    const lead = { id: 'lead-1', name: 'Ada Lovelace', email: 'ada@example.com' };
    const withLead = render(conversation({ lead }));
    expect(withLead.fields['Name']).toBe('Ada Lovelace');
    expect(withLead.element.querySelector('a[href="/leads/lead-1"]')!.textContent).toBe('View the lead');
    TestBed.resetTestingModule();
    expect(render(conversation()).fields['Lead']).toBe('No contact details left');
  });
});

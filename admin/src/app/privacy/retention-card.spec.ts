import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection, signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { Role } from '@chatbot/shared';
import { Session } from '../core/auth/session';
import { Confirmer, type Confirmation } from '../core/ui/confirmer';
import { RetentionCard } from './retention-card';

describe('RetentionCard', () => {
  let fixture: ComponentFixture<RetentionCard>;
  let http: HttpTestingController;
  let asked: Confirmation[];

  const element = () => fixture.nativeElement as HTMLElement;
  const text = () => element().textContent!.replace(/\s+/g, ' ');
  const radio = (value: string) => element().querySelector<HTMLInputElement>(`input[value="${value}"]`)!;
  const days = () => element().querySelector<HTMLInputElement>('input[type="number"]');
  const save = () => element().querySelector<HTMLButtonElement>('button[type="submit"]');
  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  };
  const choose = async (value: string) => {
    radio(value).click();
    await settle();
  };
  const typeDays = async (value: string) => {
    days()!.value = value;
    days()!.dispatchEvent(new Event('input'));
    await settle();
  };
  const submit = async () => {
    element().querySelector('form')!.dispatchEvent(new Event('submit'));
    await settle();
  };

  async function open(role: Role, retentionDays: number | null) {
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: Session, useValue: { user: signal({ role }) } },
      ],
    });
    asked = [];
    TestBed.inject(Confirmer).ask = (confirmation) => {
      asked.push(confirmation);
      return Promise.resolve(true);
    };
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(RetentionCard);
    TestBed.tick();
    expect(element().querySelector('[aria-busy="true"] .skeleton')).not.toBeNull();
    http.expectOne('/api/privacy/retention').flush({ retentionDays });
    await settle();
  }
  afterEach(() => http.verify());

  it('sets a retention after a confirmation of what it deletes', async () => {
    await open('owner', null);
    expect(radio('forever').checked).toBe(true);
    expect(days()).toBeNull();
    expect(save()!.disabled).toBe(true);
    await choose('days');
    await typeDays('30');
    await submit();
    expect(asked[0]!.title).toBe('Delete conversations older than 30 days?');
    expect(asked[0]!.message).toContain('cannot be undone');
    const request = http.expectOne({ method: 'PATCH', url: '/api/privacy/retention' });
    expect(request.request.body).toEqual({ retentionDays: 30 });
    request.flush({ retentionDays: 30 });
    await settle();
    expect(save()!.disabled).toBe(true);
  });

  it('asks nothing when the retention grows or is switched off', async () => {
    await open('owner', 30);
    expect(radio('days').checked).toBe(true);
    expect(days()!.value).toBe('30');
    await typeDays('365');
    await submit();
    http.expectOne({ method: 'PATCH', url: '/api/privacy/retention' }).flush({ retentionDays: 365 });
    await settle();
    await choose('forever');
    await submit();
    const off = http.expectOne({ method: 'PATCH', url: '/api/privacy/retention' });
    expect(off.request.body).toEqual({ retentionDays: null });
    off.flush({ retentionDays: null });
    expect(asked).toEqual([]);
  });

  it('checks the number of days with the server’s schema before sending', async () => {
    await open('owner', null);
    await choose('days');
    expect(save()!.disabled).toBe(false);
    await submit();
    expect(text()).toContain('Enter how many days to keep conversations.');
    await typeDays('0');
    await submit();
    expect(text()).toContain('must be at least 1 day');
    await typeDays('4000');
    await submit();
    expect(text()).toContain('must be at most 3650 days');
    expect(days()!.getAttribute('aria-invalid')).toBe('true');
    http.expectNone({ method: 'PATCH' });
  });

  it('shows an admin the setting without letting them change it', async () => {
    await open('admin', 90);
    expect(text()).toContain('Only an owner can change the retention period.');
    expect(element().querySelector('fieldset')!.disabled).toBe(true);
    expect(save()).toBeNull();
  });
});

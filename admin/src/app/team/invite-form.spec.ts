import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { CreatedInvitation } from '@chatbot/shared';
import { InviteForm } from './invite-form';
import { invitation } from './testing';

describe('InviteForm', () => {
  let fixture: ComponentFixture<InviteForm>;
  let http: HttpTestingController;
  let created: CreatedInvitation[];

  const element = () => fixture.nativeElement as HTMLElement;
  const emailInput = () => element().querySelector<HTMLInputElement>('input[type="email"]')!;
  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  };
  const type = (value: string) => {
    emailInput().value = value;
    emailInput().dispatchEvent(new Event('input'));
  };
  const submit = async () => {
    element().querySelector('form')!.dispatchEvent(new Event('submit'));
    await settle();
  };

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(InviteForm);
    created = [];
    fixture.componentInstance.created.subscribe((value) => created.push(value));
    TestBed.tick();
  });
  afterEach(() => http.verify());

  it('validates the email with the server’s schema before sending anything', async () => {
    await submit();
    expect(element().textContent).toContain('Enter the email address of the person to invite.');
    type('not an email');
    await submit();
    expect(element().textContent).toContain('must be an email address');
    expect(emailInput().getAttribute('aria-invalid')).toBe('true');
    http.expectNone('/api/users/invitations');
  });

  it('invites with the chosen role and hands the created invitation up', async () => {
    type('Grace@Example.com');
    const admin = element().querySelector<HTMLInputElement>('input[type="radio"][value="admin"]')!;
    expect(element().querySelector<HTMLInputElement>('input[value="agent"]')!.checked).toBe(true);
    admin.click();
    await submit();
    const request = http.expectOne({ method: 'POST', url: '/api/users/invitations' });
    expect(request.request.body).toEqual({ email: 'Grace@Example.com', role: 'admin' });
    const answer = { invitation: invitation({ role: 'admin' }), token: 'x'.repeat(43) };
    request.flush(answer, { status: 201, statusText: 'Created' });
    await settle();
    expect(created).toEqual([answer]);
  });

  it('shows an email that already has an account beside the field', async () => {
    type('owner@example.com');
    await submit();
    http
      .expectOne('/api/users/invitations')
      .flush(
        { error: { code: 'conflict', message: 'An account with this email already exists.' } },
        { status: 409, statusText: 'Conflict' },
      );
    await settle();
    const field = emailInput().closest('label')!;
    expect(field.querySelector('.error')!.textContent).toBe('An account with this email already exists.');
    expect(created).toEqual([]);
    type('other@example.com');
    await settle();
    expect(field.querySelector('.error')).toBeNull();
  });
});

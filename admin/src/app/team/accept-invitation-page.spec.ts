import type { MockInstance } from 'vitest';
import { provideZonelessChangeDetection, signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { HttpErrorResponse } from '@angular/common/http';
import { provideRouter, Router } from '@angular/router';
import type { AcceptInvitationInput, UserView } from '@chatbot/shared';
import { Session } from '../core/auth/session';
import { AcceptInvitationPage } from './accept-invitation-page';
import { member } from './testing';

const TOKEN = 'tok_' + 'a'.repeat(39);

describe('AcceptInvitationPage', () => {
  let fixture: ComponentFixture<AcceptInvitationPage>;
  let accepted: AcceptInvitationInput[];
  let refusal: unknown;
  let navigate: MockInstance<Router['navigateByUrl']>;
  const user = signal<UserView | null>(null);

  const element = () => fixture.nativeElement as HTMLElement;
  const text = () => element().textContent!.replace(/\s+/g, ' ');
  const input = (type: string) => element().querySelector<HTMLInputElement>(`input[type="${type}"]`)!;
  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  };
  const fill = (type: string, value: string) => {
    input(type).value = value;
    input(type).dispatchEvent(new Event('input'));
  };
  const submit = async () => {
    element().querySelector('form')!.dispatchEvent(new Event('submit'));
    await settle();
  };

  async function open(token: string | undefined) {
    accepted = [];
    refusal = undefined;
    user.set(null);
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideRouter([]),
        {
          provide: Session,
          useValue: {
            user,
            acceptInvitation: (body: AcceptInvitationInput) => {
              accepted.push(body);
              return refusal ? Promise.reject(refusal) : Promise.resolve();
            },
            logout: () => {
              user.set(null);
              return Promise.resolve();
            },
          } satisfies Partial<Session>,
        },
      ],
    });
    navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    fixture = TestBed.createComponent(AcceptInvitationPage);
    if (token !== undefined) fixture.componentRef.setInput('token', token);
    await settle();
  }

  const refused = (status: number, code: string, message: string) =>
    new HttpErrorResponse({ status, error: { error: { code, message } } });

  it('joins with a name and password and lands on the overview', async () => {
    await open(TOKEN);
    expect(text()).toContain('At least 10 characters.');
    fill('text', '  Grace Hopper ');
    fill('password', 'a long enough password');
    await submit();
    expect(accepted).toEqual([{ token: TOKEN, name: 'Grace Hopper', password: 'a long enough password' }]);
    expect(navigate).toHaveBeenCalledWith('/');
  });

  it('checks the name and the password rules before sending', async () => {
    await open(TOKEN);
    await submit();
    expect(text()).toContain('Enter your name, as your colleagues will see it.');
    expect(text()).toContain('Choose a password.');
    fill('text', 'Grace');
    fill('password', 'short');
    await submit();
    expect(text()).toContain('must be at least 10 characters');
    expect(input('password').getAttribute('aria-invalid')).toBe('true');
    expect(accepted).toEqual([]);
  });

  it('says a link without a whole token does not work, without asking for anything', async () => {
    await open(undefined);
    expect(text()).toContain('This invitation link does not work');
    expect(element().querySelector('form')).toBeNull();
    expect(element().querySelector('a[href="/login"]')).not.toBeNull();
  });

  it('says an expired, used or revoked invitation does not work, with a way to sign in', async () => {
    await open(TOKEN);
    refusal = refused(404, 'not_found', 'Invitation not found.');
    fill('text', 'Grace');
    fill('password', 'a long enough password');
    await submit();
    expect(text()).toContain('This invitation link does not work');
    expect(text()).toContain('It has expired, was already used, was revoked');
    expect(element().querySelector('a[href="/login"]')!.textContent).toContain('Sign in');
    expect(navigate).not.toHaveBeenCalled();
  });

  it('sends someone who already has an account to sign in', async () => {
    await open(TOKEN);
    refusal = refused(409, 'conflict', 'An account with this email already exists.');
    fill('text', 'Grace');
    fill('password', 'a long enough password');
    await submit();
    expect(text()).toContain('You already have an account');
  });

  it('asks a signed-in user to sign out before joining', async () => {
    await open(TOKEN);
    user.set(member('owner'));
    await settle();
    expect(text()).toContain('You are signed in as Owner User (owner@example.com)');
    expect(element().querySelector('form')).toBeNull();
    [...element().querySelectorAll('button')].find((b) => b.textContent!.includes('Sign out'))!.click();
    await settle();
    expect(element().querySelector('form')).not.toBeNull();
  });
});

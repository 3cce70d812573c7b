import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';
import type { Role } from '@chatbot/shared';
import { Session } from './session';

/** Signed-in users only; others go to the login page and come back after. */
export const signedIn: CanActivateFn = (_route, state) => {
  const session = inject(Session);
  if (session.signedIn()) return true;
  return inject(Router).createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });
};

/** Users with one of `roles`; others see the page that explains which role is missing. */
export function hasRole(...roles: Role[]): CanActivateFn {
  return (_route, state) => {
    const session = inject(Session);
    if (session.hasRole(...roles)) return true;
    return inject(Router).createUrlTree(['/forbidden'], {
      queryParams: { needs: roles.join(','), from: state.url },
    });
  };
}

/** The login page is for signed-out users; signed-in ones go to the overview. */
export const signedOut: CanActivateFn = () =>
  inject(Session).signedIn() ? inject(Router).createUrlTree(['/']) : true;

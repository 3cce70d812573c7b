import { HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, from, switchMap, throwError } from 'rxjs';
import { Session } from './session';

/**
 * Adds the access token to every `/api` request. On a 401 it renews the token once and retries; when the
 * session cannot be renewed it sends the user to the login page, and back here after signing in.
 */
export const authInterceptor: HttpInterceptorFn = (request, next) => {
  if (!request.url.startsWith('/api/') || request.url.startsWith('/api/auth/')) return next(request);
  const session = inject(Session);
  const router = inject(Router);
  const withToken = (token: string | null) =>
    token ? request.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : request;
  const toLogin = () => {
    session.clear();
    void router.navigateByUrl(router.createUrlTree(['/login'], { queryParams: { returnUrl: router.url } }));
  };
  return from(session.token()).pipe(
    switchMap((token) => next(withToken(token))),
    catchError((error: unknown) => {
      if (!(error instanceof HttpErrorResponse) || error.status !== 401) return throwError(() => error);
      return from(session.refresh()).pipe(
        switchMap((token) => {
          if (!token) {
            toLogin();
            return throwError(() => error);
          }
          return next(withToken(token)).pipe(
            catchError((retryError: unknown) => {
              if (retryError instanceof HttpErrorResponse && retryError.status === 401) toLogin();
              return throwError(() => retryError);
            }),
          );
        }),
      );
    }),
  );
};

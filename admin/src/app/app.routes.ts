import type { Routes } from '@angular/router';
import { hasRole, signedIn, signedOut } from './core/auth/auth.guards';
import { ForbiddenPage } from './layout/forbidden-page';
import { Shell } from './layout/shell';
import { LoginPage } from './login/login-page';

const managers = hasRole('owner', 'admin');

export const routes: Routes = [
  { path: 'login', component: LoginPage, canActivate: [signedOut], title: 'Sign in' },
  {
    path: 'accept-invitation',
    loadComponent: () => import('./team/accept-invitation-page').then((page) => page.AcceptInvitationPage),
    title: 'Join your team',
  },
  {
    path: '',
    component: Shell,
    canActivate: [signedIn],
    children: [
      { path: '', loadChildren: () => import('./overview/overview.routes') },
      { path: 'bots', canActivate: [managers], loadChildren: () => import('./bots/bots.routes') },
      { path: 'inbox', loadChildren: () => import('./conversations/inbox.routes') },
      { path: 'conversations', loadChildren: () => import('./conversations/conversations.routes') },
      { path: 'leads', loadChildren: () => import('./leads/leads.routes') },
      {
        path: 'analytics',
        canActivate: [managers],
        loadChildren: () => import('./analytics/analytics.routes'),
      },
      {
        path: 'settings/webhooks',
        canActivate: [managers],
        loadChildren: () => import('./leads/webhooks.routes'),
      },
      {
        path: 'settings/team',
        canActivate: [managers],
        loadChildren: () => import('./team/team.routes'),
      },
      {
        path: 'settings/privacy',
        canActivate: [managers],
        loadChildren: () => import('./privacy/privacy.routes'),
      },
      { path: 'forbidden', component: ForbiddenPage, title: 'No access' },
    ],
  },
  { path: '**', redirectTo: '' },
];

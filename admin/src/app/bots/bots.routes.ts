import type { Routes } from '@angular/router';
import { unsavedChangesGuard } from './edit/unsaved-changes.guard';

export default [
  {
    path: '',
    loadComponent: () => import('./list/bot-list-page').then((page) => page.BotListPage),
    title: 'Chatbots',
  },
  {
    path: 'new',
    loadComponent: () => import('./edit/bot-edit-page').then((page) => page.BotEditPage),
    canDeactivate: [unsavedChangesGuard],
    title: 'New chatbot',
  },
  {
    path: ':id',
    loadComponent: () => import('./edit/bot-edit-page').then((page) => page.BotEditPage),
    canDeactivate: [unsavedChangesGuard],
    title: 'Chatbot settings',
  },
  // A bot's documents live under the bot (/bots/:id/documents), in their own feature folder.
  { path: ':id/documents', loadChildren: () => import('../documents/documents.routes') },
] satisfies Routes;

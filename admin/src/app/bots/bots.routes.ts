import type { Routes } from '@angular/router';

export default [
  // A bot's documents live under the bot (/bots/:id/documents), in their own feature folder.
  { path: ':id/documents', loadChildren: () => import('../documents/documents.routes') },
] satisfies Routes;

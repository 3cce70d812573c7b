import type { Routes, UrlMatchResult, UrlSegment } from '@angular/router';
import { InboxPage } from './inbox/inbox-page';

/**
 * `/inbox` and `/inbox/:id` as one route, so selecting another conversation keeps the page (its list and
 * socket listeners) and only changes its `id` input.
 */
function inboxPath(segments: UrlSegment[]): UrlMatchResult | null {
  if (segments.length === 0) return { consumed: [] };
  if (segments.length === 1) return { consumed: segments, posParams: { id: segments[0]! } };
  return null;
}

export default [{ matcher: inboxPath, component: InboxPage, title: 'Live inbox' }] satisfies Routes;

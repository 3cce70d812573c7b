import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { LeadEventView } from '@chatbot/shared';
import { statusLabel } from './lead-status';

/** "a", "a and b", "a, b and c". */
function listed(items: string[]): string {
  return items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** One line of the history in words: who did what. */
export function describeEvent(event: LeadEventView): string {
  // Staff make every change but a capture; a removed user's entries keep no author.
  const who = event.authorName ?? 'A former team member';
  switch (event.kind) {
    case 'captured': {
      const changes = (event.changes ?? []).filter((change) => change.field !== 'consent');
      const added = changes.filter((change) => change.from === null).map((change) => change.field);
      const changed = changes
        .filter((change) => change.from !== null)
        .map((change) => `${change.field} from “${change.from}” to “${change.to ?? ''}”`);
      const consented = event.changes?.some((change) => change.field === 'consent' && change.to === 'true');
      const parts = [
        ...(added.length ? [`left their ${listed(added)}`] : []),
        ...(changed.length ? [`changed their ${listed(changed)}`] : []),
        ...(consented ? ['agreed to be contacted'] : []),
      ];
      return parts.length ? `The visitor ${listed(parts)}.` : 'The visitor left the same details again.';
    }
    case 'status':
      return `${who} changed the status from ${statusLabel(event.oldValue)} to ${statusLabel(event.newValue)}.`;
    case 'assignee': {
      const to = event.newValue ? (event.newName ?? 'a former team member') : null;
      if (!to) return `${who} unassigned the lead.`;
      return event.newValue === event.authorId
        ? `${who} took the lead.`
        : `${who} assigned the lead to ${to}.`;
    }
    case 'note':
      return `${who} added a note.`;
  }
}

/** The lead's history, oldest first, as a timeline. */
@Component({
  selector: 'app-lead-history',
  imports: [DatePipe],
  template: `
    <ol class="timeline" aria-label="History">
      @for (entry of entries(); track entry.id) {
        <li [attr.data-kind]="entry.kind">
          <span>{{ entry.text }}</span>
          <time [attr.datetime]="entry.createdAt">{{ entry.createdAt | date: 'medium' }}</time>
        </li>
      }
    </ol>
  `,
  styles: `
    .timeline {
      list-style: none;
      margin: 0;
      padding: 0 0 0 1rem;
      border-left: 2px solid var(--border);
      display: grid;
      gap: 0.9rem;
    }
    li {
      position: relative;
      display: grid;
      gap: 0.15rem;
    }
    li::before {
      content: '';
      position: absolute;
      left: calc(-1rem - 6px);
      top: 0.35rem;
      width: 10px;
      height: 10px;
      border-radius: 50%;
      background: var(--surface);
      border: 2px solid var(--primary);
    }
    li[data-kind='captured']::before {
      background: var(--primary);
    }
    time {
      color: var(--muted);
      font-size: 0.8rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LeadHistory {
  readonly events = input.required<LeadEventView[]>();
  protected readonly entries = computed(() =>
    this.events().map((event) => ({ ...event, text: describeEvent(event) })),
  );
}

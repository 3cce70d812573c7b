import { LeadStatuses, type LeadStatus } from '@chatbot/shared';

/** The statuses in the order a lead moves through them, with the words and badge colour the pages use. */
export const leadStatuses: readonly { value: LeadStatus; label: string; badge: string }[] = LeadStatuses.map(
  (value) => ({
    value,
    label: { new: 'New', contacted: 'Contacted', qualified: 'Qualified', converted: 'Converted' }[value],
    badge: { new: 'info', contacted: 'warning', qualified: 'success', converted: 'success' }[value],
  }),
);

export function statusLabel(status: string | null): string {
  return leadStatuses.find((entry) => entry.value === status)?.label ?? status ?? '';
}

export function isLeadStatus(value: string | undefined): value is LeadStatus {
  return (LeadStatuses as readonly string[]).includes(value ?? '');
}

/** A score's badge: hot leads stand out in the table. */
export function scoreBadge(score: number): string {
  return score >= 70 ? 'success' : score >= 40 ? 'warning' : '';
}

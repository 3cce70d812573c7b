import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { LeadEventView, LeadStatus, LeadView, UpdateLeadInput } from '@chatbot/shared';
import { apiProblem } from '../core/api/api-error';
import { Session } from '../core/auth/session';
import { Toaster } from '../core/ui/toaster';
import { LeadHistory } from './lead-history';
import { LeadNotes } from './lead-notes';
import { leadStatuses, scoreBadge, statusLabel } from './lead-status';
import { TranscriptView } from '../conversations/transcript-view';
import { LeadsApi } from './leads-api';

/** The summary job usually takes a second or two; the page asks again this often, this many times. */
export const SUMMARY_POLL_MS = 2000;
const SUMMARY_POLLS = 30;

/** `/leads/:id`: the lead, its summary and score, the team's follow-up (status, assignee, notes), its history and transcript. */
@Component({
  selector: 'app-lead-detail-page',
  imports: [DatePipe, RouterLink, LeadHistory, LeadNotes, TranscriptView],
  templateUrl: './lead-detail-page.html',
  styleUrl: './lead-detail-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LeadDetailPage {
  private readonly api = inject(LeadsApi);
  private readonly toaster = inject(Toaster);
  private readonly session = inject(Session);

  /** The route's `:id`. */
  readonly id = input.required<string>();

  protected readonly statuses = leadStatuses;
  protected readonly scoreBadge = scoreBadge;
  protected readonly detail = this.api.detail(this.id);
  protected readonly lead = computed(() => (this.detail.hasValue() ? this.detail.value().lead : null));
  protected readonly bots = this.api.bots();
  protected readonly botName = computed(() => {
    const botId = this.lead()?.botId;
    return (this.bots.hasValue() && this.bots.value().chatbots.find((bot) => bot.id === botId)?.name) || null;
  });
  protected readonly problem = computed(() => {
    const error = this.detail.error();
    if (!error) return null;
    const problem = apiProblem(error);
    return problem.status === 404 ? 'This lead does not exist, or it was deleted.' : problem.message;
  });

  private readonly team = this.api.assignees();
  /**
   * Whom the lead can be given to: the team, for every role. Whoever has the lead stays listed while the
   * team loads, or when they are no longer in it, so the select never claims it is unassigned.
   */
  protected readonly assignees = computed(() => {
    const me = this.session.user()?.id;
    const lead = this.lead();
    const team = this.team.hasValue() ? this.team.value().assignees : [];
    const options = team.map((member) => ({ ...member, me: member.id === me }));
    if (lead?.assigneeId && !options.some((option) => option.id === lead.assigneeId)) {
      const name = lead.assigneeName ?? 'A former team member';
      options.push({ id: lead.assigneeId, name, me: lead.assigneeId === me });
    }
    return options;
  });
  protected readonly teamProblem = computed(() => {
    const error = this.team.error();
    return error ? apiProblem(error).message : null;
  });

  constructor() {
    // The summary is written by a background job after the capture: look again until it is there.
    const polls = { leadId: '', count: 0 };
    effect((onCleanup) => {
      const lead = this.lead();
      if (lead && lead.id !== polls.leadId) Object.assign(polls, { leadId: lead.id, count: 0 });
      if (!lead || lead.summary !== null || polls.count >= SUMMARY_POLLS) return;
      const timer = setTimeout(() => {
        polls.count++;
        this.detail.reload();
      }, SUMMARY_POLL_MS);
      onCleanup(() => clearTimeout(timer));
    });
  }

  protected changeStatus(event: Event): Promise<void> {
    const select = event.target as HTMLSelectElement;
    const status = select.value as LeadStatus;
    return this.change(select, { status }, { status }, `Status set to ${statusLabel(status).toLowerCase()}.`);
  }

  protected changeAssignee(event: Event): Promise<void> {
    const select = event.target as HTMLSelectElement;
    const assigneeId = select.value || null;
    const name = this.assignees().find((option) => option.id === assigneeId)?.name ?? null;
    return this.change(
      select,
      { assigneeId },
      { assigneeId, assigneeName: name },
      assigneeId ? `Assigned to ${name}.` : 'The lead is unassigned.',
    );
  }

  protected noteAdded(note: LeadEventView): void {
    this.detail.update((detail) => detail && { ...detail, history: [...detail.history, note] });
    this.toaster.success('Note added.');
  }

  /** Shows the change at once, saves it, then reloads the history; puts the lead back if it is refused. */
  private async change(
    select: HTMLSelectElement,
    input: UpdateLeadInput,
    shown: Partial<LeadView>,
    done: string,
  ): Promise<void> {
    const before = this.lead();
    if (!before) return;
    const chosenBefore = input.status ? before.status : (before.assigneeId ?? '');
    this.patchLead(shown);
    try {
      this.patchLead(await this.api.update(before.id, input));
      this.toaster.success(done);
      this.detail.reload();
    } catch (error) {
      this.patchLead(before);
      // The select shows what the user picked until told otherwise, even when the bindings did not change.
      select.value = chosenBefore;
      this.toaster.error(error);
    }
  }

  private patchLead(change: Partial<LeadView>): void {
    this.detail.update((detail) => detail && { ...detail, lead: { ...detail.lead, ...change } });
  }
}

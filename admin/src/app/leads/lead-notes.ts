import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import { form, FormField, validate, validateStandardSchema } from '@angular/forms/signals';
import { leadNoteSchema, type LeadEventView } from '@chatbot/shared';
import { apiProblem } from '../core/api/api-error';
import { LeadsApi } from './leads-api';

/** The team's notes on a lead, newest first, and the form to add one. */
@Component({
  selector: 'app-lead-notes',
  imports: [DatePipe, FormField],
  template: `
    <form class="note-form" (submit)="add($event)" novalidate>
      <label class="field">
        <span>Add a note</span>
        <textarea
          rows="3"
          placeholder="Called back, wants a quote for 20 seats…"
          [formField]="noteForm.text"
          [attr.aria-invalid]="!!error()"
          (input)="serverError.set(null)"
        ></textarea>
        @if (error(); as error) {
          <span class="error">{{ error }}</span>
        }
      </label>
      <button type="submit" class="button primary small" [disabled]="busy()">
        {{ busy() ? 'Saving…' : 'Add note' }}
      </button>
    </form>
    @if (sorted().length) {
      <ul class="notes" aria-label="Notes">
        @for (note of sorted(); track note.id) {
          <li>
            <p>{{ note.text }}</p>
            <small>
              {{ note.authorName ?? 'A former team member' }} ·
              <time [attr.datetime]="note.createdAt">{{ note.createdAt | date: 'medium' }}</time>
            </small>
          </li>
        }
      </ul>
    } @else {
      <p class="none">No notes yet. Notes are seen by everyone on the team.</p>
    }
  `,
  styles: `
    .note-form {
      display: grid;
      gap: 0.5rem;
      justify-items: start;
    }
    .note-form .field {
      width: 100%;
    }
    textarea {
      resize: vertical;
    }
    .notes {
      list-style: none;
      margin: 1rem 0 0;
      padding: 0;
      display: grid;
      gap: 0.75rem;
    }
    .notes li {
      border-left: 3px solid var(--primary);
      padding: 0.25rem 0 0.25rem 0.75rem;
    }
    .notes p {
      margin: 0 0 0.25rem;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    small,
    .none {
      color: var(--muted);
    }
    .none {
      margin: 1rem 0 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LeadNotes {
  private readonly api = inject(LeadsApi);
  readonly leadId = input.required<string>();
  /** The lead's history; its notes are shown. */
  readonly history = input.required<LeadEventView[]>();
  readonly added = output<LeadEventView>();

  protected readonly sorted = computed(() =>
    this.history()
      .filter((event) => event.kind === 'note')
      .reverse(),
  );
  protected readonly model = signal({ text: '' });
  protected readonly noteForm = form(this.model, (path) => {
    // Blank counts as empty, as the server trims it.
    validate(path.text, ({ value }) =>
      value().trim() ? null : { kind: 'blank', message: 'Write the note first.' },
    );
    validateStandardSchema(path, leadNoteSchema);
  });
  protected readonly busy = signal(false);
  private readonly submitted = signal(false);
  protected readonly serverError = signal<string | null>(null);
  /** The first problem with the note, once the user tried to save it (or the server refused it). */
  protected readonly error = computed(() => {
    if (this.serverError()) return this.serverError();
    if (!this.submitted()) return null;
    const [first] = this.noteForm.text().errors();
    return first ? (first.message ?? 'This note cannot be saved.') : null;
  });

  protected async add(event: Event): Promise<void> {
    event.preventDefault();
    this.submitted.set(true);
    this.serverError.set(null);
    if (this.noteForm().invalid()) return;
    this.busy.set(true);
    try {
      const note = await this.api.addNote(this.leadId(), this.model().text);
      this.model.set({ text: '' });
      this.submitted.set(false);
      this.added.emit(note);
    } catch (error) {
      const problem = apiProblem(error);
      this.serverError.set(problem.fields['text'] ?? problem.message);
    } finally {
      this.busy.set(false);
    }
  }
}

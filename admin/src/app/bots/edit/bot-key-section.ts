import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { FormField, type FieldTree } from '@angular/forms/signals';
import type { BotFormModel } from './bot-form-model';
import { FieldErrors, showsError } from './field-errors';

/**
 * The bot's own OpenAI key, write-only: a new key can be typed (and is sent once, on save); the stored
 * one is never shown, only its last four characters, and can be removed.
 */
@Component({
  selector: 'app-bot-key-section',
  imports: [FormField, FieldErrors],
  styleUrl: './bot-section.css',
  template: `
    <fieldset class="card section">
      <legend><h2>OpenAI API key</h2></legend>
      <p class="lead">
        The bot's own key, stored encrypted. Without one it answers with the platform's key, or offline from
        its documents.
      </p>
      @if (last4(); as last) {
        <div class="stored">
          <span
            >Key ending in <strong>…{{ last }}</strong></span
          >
          <button type="button" class="button small" [disabled]="!canRemove()" (click)="removed.emit()">
            Remove
          </button>
        </div>
      }
      <div class="field">
        <label for="bot-api-key">{{ last4() ? 'Replace the key' : 'Set a key' }}</label>
        <input
          id="bot-api-key"
          type="password"
          autocomplete="new-password"
          spellcheck="false"
          placeholder="sk-…"
          [formField]="form().openaiApiKey"
          [attr.aria-invalid]="invalid(form().openaiApiKey)"
        />
        <span class="hint">Saved with the other settings; leave empty to keep the current one.</span>
        <app-field-errors [field]="form().openaiApiKey" />
      </div>
    </fieldset>
  `,
  styles: `
    .stored {
      display: flex;
      flex-wrap: wrap;
      gap: 0.75rem;
      align-items: center;
      padding: 0.6rem 0.8rem;
      border-radius: 8px;
      background: var(--bg);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BotKeySection {
  readonly form = input.required<FieldTree<BotFormModel>>();
  /** The last four characters of the stored key, or null when the bot has none. */
  readonly last4 = input<string | null>(null);
  /** False while the key is being removed. */
  readonly canRemove = input(true);
  readonly removed = output<void>();
  protected readonly invalid = showsError;
}

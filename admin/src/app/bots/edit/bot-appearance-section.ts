import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { FormField, type FieldTree } from '@angular/forms/signals';
import type { BotView } from '@chatbot/shared';
import { BotAvatarField } from './bot-avatar-field';
import type { BotFormModel } from './bot-form-model';
import { FieldErrors, showsError } from './field-errors';

/** The languages the widget speaks (its own words: buttons, notices); answers follow the visitor. */
const WIDGET_LANGUAGES: [string, string][] = [
  ['en', 'English'],
  ['fr', 'French'],
  ['es', 'Spanish'],
  ['ar', 'Arabic'],
];

/** Colour, bot name, avatar, welcome message, position and language of the chat window. */
@Component({
  selector: 'app-bot-appearance-section',
  imports: [FormField, FieldErrors, BotAvatarField],
  styleUrl: './bot-section.css',
  template: `
    <fieldset class="card section">
      <legend><h2>Appearance</h2></legend>
      <div class="row">
        <div class="field">
          <label for="bot-colour">Primary colour</label>
          <div class="colour">
            <input
              type="color"
              aria-label="Pick the primary colour"
              [value]="pickerValue()"
              (input)="picked($event)"
            />
            <input
              id="bot-colour"
              spellcheck="false"
              [formField]="form().appearance.primaryColor"
              [attr.aria-invalid]="invalid(form().appearance.primaryColor)"
            />
          </div>
          <app-field-errors [field]="form().appearance.primaryColor" />
        </div>
        <div class="field">
          <label for="bot-display-name">Bot name</label>
          <input
            id="bot-display-name"
            [formField]="form().appearance.botName"
            [attr.aria-invalid]="invalid(form().appearance.botName)"
          />
          <span class="hint">Shown in the chat window's header.</span>
          <app-field-errors [field]="form().appearance.botName" />
        </div>
      </div>
      <app-bot-avatar-field [bot]="bot()" [initial]="initial()" (changed)="botChange.emit($event)" />
      <div class="field">
        <label for="bot-welcome">Welcome message</label>
        <textarea
          id="bot-welcome"
          rows="2"
          [formField]="form().welcomeMessage"
          [attr.aria-invalid]="invalid(form().welcomeMessage)"
        ></textarea>
        <app-field-errors [field]="form().welcomeMessage" />
      </div>
      <div class="row">
        <div class="field">
          <label for="bot-position">Position</label>
          <select id="bot-position" [formField]="form().appearance.position">
            <option value="bottom-right">Bottom right</option>
            <option value="bottom-left">Bottom left</option>
          </select>
        </div>
        <div class="field">
          <label for="bot-language">Language</label>
          <select
            id="bot-language"
            [formField]="form().appearance.language"
            [attr.aria-invalid]="invalid(form().appearance.language)"
          >
            @for (language of languages(); track language[0]) {
              <option [value]="language[0]">{{ language[1] }}</option>
            }
          </select>
          <app-field-errors [field]="form().appearance.language" />
        </div>
      </div>
    </fieldset>
  `,
  styles: `
    .colour {
      display: flex;
      gap: 0.5rem;
    }
    .colour input[type='color'] {
      width: 3rem;
      padding: 0.2rem;
      flex: none;
      cursor: pointer;
    }
    .colour input:not([type='color']) {
      flex: 1;
      font-family: ui-monospace, monospace;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BotAppearanceSection {
  readonly form = input.required<FieldTree<BotFormModel>>();
  /** The saved bot (for its avatar); null while it is being created. */
  readonly bot = input<BotView | null>(null);
  /** The bot after its avatar changed on the server. */
  readonly botChange = output<BotView>();
  protected readonly invalid = showsError;

  /** The picker shows the typed colour once it is a whole #rrggbb (an input[type=color] takes nothing else). */
  protected readonly pickerValue = computed(() => {
    const colour = this.form().appearance.primaryColor().value();
    return /^#[0-9a-fA-F]{6}$/.test(colour) ? colour.toLowerCase() : '#000000';
  });

  protected readonly initial = computed(
    () => this.form().appearance.botName().value().trim()[0]?.toUpperCase() ?? '?',
  );

  /** The four languages of the widget, and the bot's own if the API set another. */
  protected readonly languages = computed(() => {
    const current = this.form().appearance.language().value();
    return WIDGET_LANGUAGES.some(([code]) => code === current)
      ? WIDGET_LANGUAGES
      : [...WIDGET_LANGUAGES, [current, current] as [string, string]];
  });

  protected picked(event: Event): void {
    const field = this.form().appearance.primaryColor();
    field.value.set((event.target as HTMLInputElement).value);
    field.markAsTouched();
  }
}

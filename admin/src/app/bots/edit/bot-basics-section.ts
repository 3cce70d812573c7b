import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { FormField, type FieldTree } from '@angular/forms/signals';
import type { BotFormModel } from './bot-form-model';
import { FieldErrors, showsError } from './field-errors';

/** Models offered in the list; any other name the provider knows may be typed. */
const SUGGESTED_MODELS = ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini', 'gpt-4.1', 'gpt-4.1-nano'];

/** Name, description, persona and instructions, model and temperature. */
@Component({
  selector: 'app-bot-basics-section',
  imports: [FormField, FieldErrors],
  styleUrl: './bot-section.css',
  template: `
    <fieldset class="card section">
      <legend><h2>Basics</h2></legend>
      <div class="field">
        <label for="bot-name">Name</label>
        <input id="bot-name" [formField]="form().name" [attr.aria-invalid]="invalid(form().name)" />
        <app-field-errors [field]="form().name" />
      </div>
      <div class="field">
        <label for="bot-description">Description</label>
        <input id="bot-description" [formField]="form().description" />
        <span class="hint">For your team only; visitors never see it.</span>
        <app-field-errors [field]="form().description" />
      </div>
      <div class="field">
        <label for="bot-instructions">Persona and instructions</label>
        <textarea
          id="bot-instructions"
          rows="6"
          [formField]="form().instructions"
          [attr.aria-invalid]="invalid(form().instructions)"
        ></textarea>
        <span class="hint">
          Who the bot is and how it answers: tone, what to say when the documents do not know.
        </span>
        <app-field-errors [field]="form().instructions" />
      </div>
      <div class="row">
        <div class="field">
          <label for="bot-model">Model</label>
          <input
            id="bot-model"
            list="bot-models"
            [formField]="form().model"
            [attr.aria-invalid]="invalid(form().model)"
          />
          <datalist id="bot-models">
            @for (model of models; track model) {
              <option [value]="model"></option>
            }
          </datalist>
          <app-field-errors [field]="form().model" />
        </div>
        <div class="field">
          <label for="bot-temperature">Temperature</label>
          <input
            id="bot-temperature"
            type="number"
            step="0.1"
            [formField]="form().temperature"
            [attr.aria-invalid]="invalid(form().temperature)"
          />
          <span class="hint">0 keeps to the documents; higher is more creative.</span>
          <app-field-errors [field]="form().temperature" />
        </div>
      </div>
      <label class="checkbox">
        <input type="checkbox" [formField]="form().offlineFallback" />
        <span>When the model fails, answer from the documents offline</span>
      </label>
    </fieldset>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BotBasicsSection {
  readonly form = input.required<FieldTree<BotFormModel>>();
  protected readonly models = SUGGESTED_MODELS;
  protected readonly invalid = showsError;
}

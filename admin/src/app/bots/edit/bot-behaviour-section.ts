import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { FormField, type FieldTree } from '@angular/forms/signals';
import type { BotFormModel } from './bot-form-model';
import { FieldErrors, showsError } from './field-errors';

/** Lead capture, human handoff, rate limits, allowed origins and retrieval. */
@Component({
  selector: 'app-bot-behaviour-section',
  imports: [FormField, FieldErrors],
  styleUrl: './bot-section.css',
  template: `
    <fieldset class="card section">
      <legend><h2>Behaviour</h2></legend>

      <div class="group first">
        <h3>Lead capture</h3>
        <label class="checkbox">
          <input type="checkbox" [formField]="form().leadCapture.enabled" />
          <span>Ask interested visitors for their contact details</span>
        </label>
        <div class="field">
          <label for="bot-trigger-words">Trigger words</label>
          <input
            id="bot-trigger-words"
            [formField]="form().leadCapture.triggerWords"
            [attr.aria-invalid]="invalid(form().leadCapture.triggerWords)"
          />
          <span class="hint">Separated by commas: a visitor who writes one of them is offered the form.</span>
          <app-field-errors [field]="form().leadCapture.triggerWords" />
        </div>
      </div>

      <div class="group">
        <h3>Human handoff</h3>
        <label class="checkbox">
          <input type="checkbox" [formField]="form().handoff.enabled" />
          <span>Let visitors ask for a person</span>
        </label>
        <div class="field">
          <label for="bot-handoff-wait">Wait for an agent (seconds)</label>
          <input
            id="bot-handoff-wait"
            type="number"
            [formField]="form().handoff.waitSeconds"
            [attr.aria-invalid]="invalid(form().handoff.waitSeconds)"
          />
          <span class="hint">After this long without an agent, the bot says nobody is free.</span>
          <app-field-errors [field]="form().handoff.waitSeconds" />
        </div>
      </div>

      <div class="group">
        <h3>Rate limits</h3>
        <div class="row">
          <div class="field">
            <label for="bot-rate-minute">Messages per minute</label>
            <input
              id="bot-rate-minute"
              type="number"
              [formField]="form().rateLimits.perMinute"
              [attr.aria-invalid]="invalid(form().rateLimits.perMinute)"
            />
            <app-field-errors [field]="form().rateLimits.perMinute" />
          </div>
          <div class="field">
            <label for="bot-rate-ip">Per visitor IP per minute</label>
            <input
              id="bot-rate-ip"
              type="number"
              [formField]="form().rateLimits.perIpPerMinute"
              [attr.aria-invalid]="invalid(form().rateLimits.perIpPerMinute)"
            />
            <app-field-errors [field]="form().rateLimits.perIpPerMinute" />
          </div>
        </div>
        <div class="row">
          <div class="field">
            <label for="bot-tokens-conversation">Model tokens per conversation</label>
            <input
              id="bot-tokens-conversation"
              type="number"
              [formField]="form().rateLimits.tokensPerConversation"
              [attr.aria-invalid]="invalid(form().rateLimits.tokensPerConversation)"
            />
            <app-field-errors [field]="form().rateLimits.tokensPerConversation" />
          </div>
          <div class="field">
            <label for="bot-tokens-day">Model tokens per day</label>
            <input
              id="bot-tokens-day"
              type="number"
              [formField]="form().rateLimits.tokensPerDay"
              [attr.aria-invalid]="invalid(form().rateLimits.tokensPerDay)"
            />
            <app-field-errors [field]="form().rateLimits.tokensPerDay" />
          </div>
        </div>
        <span class="hint"
          >Past a token budget the bot answers offline from the documents, at no model cost.</span
        >
      </div>

      <div class="group">
        <h3>Allowed websites</h3>
        <div class="field">
          <label for="bot-origins">Allowed origins</label>
          <textarea
            id="bot-origins"
            rows="3"
            spellcheck="false"
            placeholder="https://www.example.com"
            [formField]="form().allowedOrigins"
            [attr.aria-invalid]="invalid(form().allowedOrigins)"
          ></textarea>
          <span class="hint">One a line. Empty lets every website embed the bot.</span>
          <app-field-errors [field]="form().allowedOrigins" />
        </div>
      </div>

      <div class="group">
        <h3>Retrieval</h3>
        <div class="row">
          <div class="field">
            <label for="bot-top-k">Passages per answer (top-k)</label>
            <input
              id="bot-top-k"
              type="number"
              [formField]="form().retrieval.topK"
              [attr.aria-invalid]="invalid(form().retrieval.topK)"
            />
            <app-field-errors [field]="form().retrieval.topK" />
          </div>
          <div class="field">
            <label for="bot-chunk-min">Chunk min tokens</label>
            <input
              id="bot-chunk-min"
              type="number"
              [formField]="form().retrieval.chunkMinTokens"
              [attr.aria-invalid]="invalid(form().retrieval.chunkMinTokens)"
            />
            <app-field-errors [field]="form().retrieval.chunkMinTokens" />
          </div>
          <div class="field">
            <label for="bot-chunk-max">Chunk max tokens</label>
            <input
              id="bot-chunk-max"
              type="number"
              [formField]="form().retrieval.chunkMaxTokens"
              [attr.aria-invalid]="invalid(form().retrieval.chunkMaxTokens)"
            />
            <app-field-errors [field]="form().retrieval.chunkMaxTokens" />
          </div>
          <div class="field">
            <label for="bot-chunk-overlap">Chunk overlap tokens</label>
            <input
              id="bot-chunk-overlap"
              type="number"
              [formField]="form().retrieval.chunkOverlapTokens"
              [attr.aria-invalid]="invalid(form().retrieval.chunkOverlapTokens)"
            />
            <app-field-errors [field]="form().retrieval.chunkOverlapTokens" />
          </div>
        </div>
        <span class="hint"
          >Chunk sizes apply to documents indexed from now on; re-index to apply them to the others.</span
        >
        @if (invalid(form().retrieval)) {
          <!-- Errors about the sizes together (the minimum above the maximum), not one field. -->
          <div class="field"><app-field-errors [field]="form().retrieval" /></div>
        }
      </div>
    </fieldset>
  `,
  styles: `
    .group.first {
      padding-top: 0;
      border-top: none;
    }
    .hint {
      color: var(--muted);
      font-size: 0.8rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BotBehaviourSection {
  readonly form = input.required<FieldTree<BotFormModel>>();
  protected readonly invalid = showsError;
}

import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';
import { BotAvatarLimits, type BotView } from '@chatbot/shared';
import { apiProblem } from '../../core/api/api-error';
import { Confirmer } from '../../core/ui/confirmer';
import { Toaster } from '../../core/ui/toaster';
import { BotsApi } from '../bots-api';

/**
 * The bot's avatar: uploaded at once when chosen (it is a file, not a setting saved with the form),
 * checked for type and size before it leaves, and removable.
 */
@Component({
  selector: 'app-bot-avatar-field',
  template: `
    <div class="field">
      <label for="bot-avatar">Avatar</label>
      <div class="avatar-row">
        @if (bot()?.appearance?.avatarUrl; as url) {
          <img class="avatar" [src]="url" alt="Current avatar" />
        } @else {
          <span class="avatar placeholder" aria-hidden="true">{{ initial() }}</span>
        }
        @if (bot()) {
          <input
            id="bot-avatar"
            type="file"
            [accept]="types"
            [disabled]="busy()"
            [attr.aria-invalid]="problem() !== null"
            (change)="chosen($event)"
          />
          @if (bot()?.appearance?.avatarUrl) {
            <button type="button" class="button small" [disabled]="busy()" (click)="remove()">
              Remove avatar
            </button>
          }
        } @else {
          <input id="bot-avatar" type="file" disabled />
        }
      </div>
      <span class="hint">
        @if (bot()) {
          PNG, JPEG, WebP or GIF, at most 512 KB; square images look best.
        } @else {
          Create the chatbot first, then add its avatar.
        }
      </span>
      @if (problem(); as text) {
        <span class="error" role="alert">{{ text }}</span>
      }
    </div>
  `,
  styles: `
    :host {
      display: block;
    }
    .avatar-row {
      display: flex;
      flex-wrap: wrap;
      gap: 0.75rem;
      align-items: center;
    }
    .avatar {
      width: 2.75rem;
      height: 2.75rem;
      border-radius: 50%;
      object-fit: cover;
      flex: none;
    }
    .placeholder {
      display: grid;
      place-items: center;
      background: var(--primary-soft);
      color: var(--primary);
      font-weight: 650;
    }
    input[type='file'] {
      flex: 1 1 12rem;
      width: 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BotAvatarField {
  private readonly api = inject(BotsApi);
  private readonly toaster = inject(Toaster);
  private readonly confirmer = inject(Confirmer);

  readonly bot = input<BotView | null>(null);
  /** The letter shown when there is no avatar (the bot name's first). */
  readonly initial = input('?');
  /** The bot as the server now has it, after an upload or a removal. */
  readonly changed = output<BotView>();

  protected readonly types = BotAvatarLimits.types.join(',');
  protected readonly busy = signal(false);
  protected readonly problem = signal<string | null>(null);

  protected async chosen(event: Event): Promise<void> {
    const picker = event.target as HTMLInputElement;
    const file = picker.files?.[0];
    const bot = this.bot();
    if (!file || !bot) return;
    picker.value = '';
    this.problem.set(avatarProblem(file));
    if (this.problem()) return;
    await this.run(() => this.api.uploadAvatar(bot.id, file), 'Avatar updated.');
  }

  protected async remove(): Promise<void> {
    const bot = this.bot();
    if (!bot) return;
    const yes = await this.confirmer.ask({
      title: 'Remove the avatar?',
      message: 'The chat window shows the first letter of the bot name instead.',
      action: 'Remove avatar',
      danger: true,
    });
    if (yes)
      await this.run(() => this.api.update(bot.id, { appearance: { avatarUrl: null } }), 'Avatar removed.');
  }

  private async run(request: () => Promise<BotView>, done: string): Promise<void> {
    this.busy.set(true);
    this.problem.set(null);
    try {
      this.changed.emit(await request());
      this.toaster.success(done);
    } catch (error) {
      this.problem.set(apiProblem(error).message);
    } finally {
      this.busy.set(false);
    }
  }
}

/** Why a chosen file cannot be an avatar, checked before upload (the server checks its bytes again). */
export function avatarProblem(file: Pick<File, 'type' | 'size'>): string | null {
  if (!(BotAvatarLimits.types as readonly string[]).includes(file.type)) {
    return 'Choose a PNG, JPEG, WebP or GIF image.';
  }
  if (file.size > BotAvatarLimits.maxBytes) return 'The image is larger than 512 KB.';
  return null;
}

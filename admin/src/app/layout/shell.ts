import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  DOCUMENT,
  effect,
  inject,
  signal,
} from '@angular/core';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { Session } from '../core/auth/session';
import { AdminSocket } from '../core/socket/admin-socket';
import { AssistantPanel } from '../assistant/assistant-panel';
import { HandoffAlerts } from '../conversations/inbox/handoff-alerts';
import { navItems } from './nav-items';

/** The signed-in frame: sidebar, header, the connection banner and the assistant's side panel. */
@Component({
  selector: 'app-shell',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, AssistantPanel],
  templateUrl: './shell.html',
  styleUrl: './shell.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Shell {
  protected readonly session = inject(Session);
  protected readonly socket = inject(AdminSocket);
  private readonly router = inject(Router);
  protected readonly menuOpen = signal(false);
  protected readonly assistantOpen = signal(false);
  protected readonly items = computed(() => navItems.filter((item) => this.session.hasRole(...item.roles)));

  constructor() {
    this.socket.connect();
    // Agents hear a visitor asking for a person on every page, not only in the inbox.
    inject(HandoffAlerts).start(inject(DestroyRef));
    // On a phone the assistant covers the page, which must not scroll behind it (styles.css).
    const body = inject(DOCUMENT).body;
    effect(() => body.classList.toggle('assistant-open', this.assistantOpen()));
    inject(DestroyRef).onDestroy(() => body.classList.remove('assistant-open'));
  }

  protected async logout(): Promise<void> {
    this.socket.disconnect();
    await this.session.logout();
    await this.router.navigateByUrl('/login');
  }
}

import { Injectable } from '@angular/core';

/** The platform's own widget, the very file websites embed, served by the same origin as the dashboard. */
export const WIDGET_SCRIPT = '/widget/chat-bot.js';

/** Loads the widget's script once per page and resolves when `<chat-bot>` is defined. */
@Injectable({ providedIn: 'root' })
export class WidgetLoader {
  private loading: Promise<void> | null = null;

  load(): Promise<void> {
    this.loading ??= new Promise<void>((resolve, reject) => {
      if (customElements.get('chat-bot')) return resolve();
      const script = document.createElement('script');
      script.src = WIDGET_SCRIPT;
      script.async = true;
      script.addEventListener(
        'load',
        () => void customElements.whenDefined('chat-bot').then(() => resolve()),
      );
      script.addEventListener('error', () => {
        // Forgotten, so the next preview tries again (the server may have been restarting).
        this.loading = null;
        script.remove();
        reject(new Error('The chat widget could not be loaded.'));
      });
      document.head.append(script);
    });
    return this.loading;
  }
}

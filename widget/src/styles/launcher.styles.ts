/**
 * The launcher's styles, as a string: the loader draws the button without Lit. Sizes in px, the host
 * reset with `all: initial`, so the page's CSS reaches nothing but the custom properties it may set.
 */
export const launcherStyles = `
:host { all: initial; }
.launcher {
  position: fixed; bottom: 24px; right: 24px; z-index: 2147483000;
  width: 60px; height: 60px; margin: 0; padding: 0; border: 0; border-radius: 50%;
  display: grid; place-items: center; cursor: pointer;
  background: var(--chat-bot-primary, var(--_config-primary, #2563eb)); color: var(--chat-bot-on-primary, #fff);
  box-shadow: 0 6px 24px rgb(0 0 0 / 0.22);
}
.launcher.left { right: auto; left: 24px; }
.launcher svg { width: 28px; height: 28px; fill: currentColor; }
.launcher .close, .launcher[aria-expanded='true'] .chat { display: none; }
.launcher[aria-expanded='true'] .close { display: block; }
.launcher:focus-visible { outline: 3px solid var(--chat-bot-focus, #f59e0b); outline-offset: 3px; }
.badge {
  position: absolute; top: -2px; right: -2px; min-width: 20px; height: 20px; padding: 0 5px;
  border-radius: 10px; background: #dc2626; color: #fff; font: 600 12px/20px system-ui, sans-serif;
}
.badge[hidden] { display: none; }
.failed {
  position: fixed; bottom: 96px; right: 24px; z-index: 2147483000; max-width: 280px; padding: 12px 16px;
  border-radius: 12px; background: #fff; color: #1f2937; font: 400 14px/1.4 system-ui, sans-serif;
  box-shadow: 0 6px 24px rgb(0 0 0 / 0.18);
}
@media (max-width: 480px) { :host([open]) .launcher { display: none; } }
@media (prefers-reduced-motion: no-preference) {
  .launcher { transition: transform 120ms ease-out; }
  .launcher:hover { transform: scale(1.06); }
}
`;

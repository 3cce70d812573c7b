import { css } from 'lit';

/**
 * The chat window's styles. Every size is in px or em from a 16px root set here, so the host page's
 * `html { font-size }` and resets change nothing; colours come from custom properties the page may set
 * (`--chat-bot-primary` …) over the bot's own settings, and `--chat-bot-window-height` sets the
 * window's height (the dashboard's preview fits it in its stage).
 */
export const windowStyles = css`
  :host {
    all: initial;
    display: block;
    --_primary: var(--chat-bot-primary, var(--_config-primary, #2563eb));
    --_on-primary: var(--chat-bot-on-primary, #fff);
    --_surface: var(--chat-bot-surface, #fff);
    --_text: var(--chat-bot-text, #1f2937);
    --_muted: var(--chat-bot-muted, #6b7280);
    --_bubble: var(--chat-bot-bubble, #f3f4f6);
    --_danger: #b91c1c;
    --_radius: var(--chat-bot-radius, 16px);
    --_font: var(
      --chat-bot-font,
      system-ui,
      -apple-system,
      'Segoe UI',
      Roboto,
      'Noto Sans',
      'Noto Sans Arabic',
      sans-serif
    );
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  .window {
    position: fixed;
    bottom: 96px;
    right: 24px;
    width: 380px;
    height: var(--chat-bot-window-height, min(640px, calc(100vh - 120px)));
    display: flex;
    flex-direction: column;
    background: var(--_surface);
    color: var(--_text);
    font: 400 15px/1.45 var(--_font);
    text-align: start;
    border-radius: var(--_radius);
    box-shadow:
      0 12px 48px rgb(0 0 0 / 0.18),
      0 2px 8px rgb(0 0 0 / 0.08);
    overflow: hidden;
    z-index: 2147483000;
    animation: rise 160ms ease-out;
  }
  .window.left {
    right: auto;
    left: 24px;
  }
  @keyframes rise {
    from {
      opacity: 0;
      transform: translateY(12px);
    }
  }
  header {
    display: flex;
    align-items: center;
    gap: 10px;
    padding: 12px 12px 12px 16px;
    background: var(--_primary);
    color: var(--_on-primary);
  }
  .avatar {
    width: 36px;
    height: 36px;
    border-radius: 50%;
    flex: none;
    object-fit: cover;
    background: rgb(255 255 255 / 0.25);
    display: grid;
    place-items: center;
    font-weight: 600;
  }
  .title {
    flex: 1;
    min-width: 0;
  }
  h2 {
    margin: 0;
    font: 600 16px/1.3 var(--_font);
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .status {
    font-size: 12px;
    opacity: 0.9;
  }
  button {
    font: inherit;
    color: inherit;
    cursor: pointer;
    min-width: 24px;
    min-height: 24px;
    border: 0;
    background: none;
    margin: 0;
    padding: 0;
  }
  button:disabled {
    cursor: default;
    opacity: 0.5;
  }
  :focus-visible {
    outline: 3px solid var(--chat-bot-focus, #f59e0b);
    outline-offset: 2px;
  }
  .icon-button {
    width: 36px;
    height: 36px;
    border-radius: 50%;
    display: grid;
    place-items: center;
  }
  .icon-button:hover {
    background: rgb(255 255 255 / 0.18);
  }
  svg {
    width: 20px;
    height: 20px;
    fill: currentColor;
  }
  .banner {
    padding: 8px 16px;
    font-size: 13px;
    background: #fef3c7;
    color: #78350f;
  }
  .scroll {
    flex: 1;
    overflow-y: auto;
    padding: 16px;
    overscroll-behavior: contain;
  }
  [role='log'],
  .draft {
    display: flex;
    flex-direction: column;
    gap: 10px;
  }
  .draft:not(:empty) {
    margin-top: 10px;
  }
  .message {
    max-width: 85%;
    padding: 9px 13px;
    border-radius: 14px;
    background: var(--_bubble);
    overflow-wrap: anywhere;
    align-self: flex-start;
  }
  .message.visitor {
    align-self: flex-end;
    background: var(--_primary);
    color: var(--_on-primary);
  }
  .text {
    white-space: pre-wrap;
  }
  .message.system {
    align-self: center;
    background: none;
    color: var(--_muted);
    font-size: 13px;
    text-align: center;
    padding: 2px 8px;
  }
  .message.failed {
    opacity: 0.75;
  }
  .author {
    display: block;
    font-size: 12px;
    font-weight: 600;
    color: var(--_muted);
    margin-bottom: 2px;
  }
  .body > div > :first-child {
    margin-top: 0;
  }
  .body > div > :last-child {
    margin-bottom: 0;
  }
  .body p,
  .body ul,
  .body ol,
  .body pre,
  .body blockquote {
    margin: 0 0 0.6em;
  }
  .body ul,
  .body ol {
    padding-inline-start: 1.3em;
  }
  .body code {
    font:
      0.9em/1.4 ui-monospace,
      SFMono-Regular,
      Menlo,
      Consolas,
      monospace;
    background: rgb(0 0 0 / 0.06);
    border-radius: 4px;
    padding: 0.1em 0.3em;
  }
  .body pre {
    overflow-x: auto;
    background: rgb(0 0 0 / 0.06);
    border-radius: 8px;
    padding: 8px 10px;
    direction: ltr;
    text-align: left;
  }
  .body pre code {
    background: none;
    padding: 0;
  }
  .body a {
    color: inherit;
    text-decoration: underline;
  }
  .body blockquote {
    border-inline-start: 3px solid rgb(0 0 0 / 0.15);
    padding-inline-start: 8px;
  }
  .citation {
    font-size: 0.75em;
    color: var(--_primary);
    font-weight: 600;
    cursor: help;
  }
  .sources {
    margin: 8px 0 0;
    padding: 6px 0 0;
    border-top: 1px solid rgb(0 0 0 / 0.08);
    list-style: none;
    font-size: 12px;
    color: var(--_muted);
  }
  .sources a {
    color: inherit;
  }
  .meta {
    font-size: 12px;
    margin-top: 4px;
  }
  .meta button,
  .offer button,
  .link-button {
    text-decoration: underline;
    font-weight: 600;
    padding: 2px 4px;
  }
  .offer {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    margin-top: 8px;
  }
  .offer button,
  .chip {
    border: 1px solid var(--_primary);
    color: var(--_primary);
    border-radius: 999px;
    padding: 3px 10px;
    font-size: 13px;
    text-decoration: none;
    min-height: 32px;
  }
  .typing {
    display: inline-flex;
    gap: 4px;
    padding: 12px 14px;
  }
  .typing span {
    width: 7px;
    height: 7px;
    border-radius: 50%;
    background: var(--_muted);
    animation: blink 1.2s infinite ease-in-out;
  }
  .typing span:nth-child(2) {
    animation-delay: 0.2s;
  }
  .typing span:nth-child(3) {
    animation-delay: 0.4s;
  }
  @keyframes blink {
    0%,
    80%,
    100% {
      opacity: 0.3;
    }
    40% {
      opacity: 1;
    }
  }
  .actions {
    display: flex;
    gap: 8px;
    flex-wrap: wrap;
    padding: 0 16px 8px;
  }
  form.composer {
    display: flex;
    align-items: flex-end;
    gap: 8px;
    padding: 10px 12px;
    border-top: 1px solid rgb(0 0 0 / 0.08);
  }
  textarea,
  input {
    font: 400 16px/1.4 var(--_font);
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid #d1d5db;
    border-radius: 10px;
    padding: 8px 10px;
    margin: 0;
    width: 100%;
  }
  textarea {
    resize: none;
    max-height: 120px;
    flex: 1;
  }
  .send {
    width: 40px;
    height: 40px;
    flex: none;
    border-radius: 50%;
    background: var(--_primary);
    color: var(--_on-primary);
    display: grid;
    place-items: center;
  }
  [dir='rtl'] .send svg {
    transform: scaleX(-1);
  }
  .lead {
    border: 1px solid rgb(0 0 0 / 0.1);
    border-radius: 12px;
    padding: 12px;
    margin-top: 10px;
    display: grid;
    gap: 8px;
  }
  .lead h3 {
    margin: 0;
    font: 600 15px/1.3 var(--_font);
  }
  .lead p {
    margin: 0;
    font-size: 13px;
    color: var(--_muted);
  }
  .lead label {
    display: grid;
    gap: 2px;
    font-size: 13px;
  }
  .lead .check {
    display: flex;
    gap: 8px;
    align-items: flex-start;
  }
  .lead .check input {
    width: 20px;
    height: 20px;
    flex: none;
  }
  .lead [aria-invalid='true'] {
    border-color: var(--_danger);
  }
  .field-error,
  .error {
    color: var(--_danger);
    font-size: 12px;
  }
  .lead .buttons {
    display: flex;
    gap: 8px;
    justify-content: flex-end;
  }
  .primary {
    background: var(--_primary);
    color: var(--_on-primary);
    border-radius: 8px;
    padding: 8px 14px;
    font-weight: 600;
    min-height: 36px;
  }
  .center {
    display: grid;
    place-items: center;
    gap: 12px;
    text-align: center;
    height: 100%;
    color: var(--_muted);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  @media (max-width: 480px) {
    .window,
    .window.left {
      inset: var(--_viewport-top, 0px) 0 auto 0;
      width: auto;
      height: var(--_viewport-height, 100%);
      border-radius: 0;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .window,
    .typing span {
      animation: none;
    }
  }
`;

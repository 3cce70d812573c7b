import { html, svg } from 'lit';
import { iconPaths } from './icon-paths';

const icon = (path: string) =>
  html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">${svg`<path d=${path} />`}</svg>`;

export const closeIcon = icon(iconPaths.close);
export const sendIcon = icon(iconPaths.send);

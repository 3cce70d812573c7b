/**
 * The stored-XSS tests' marker, read in the page: whether a payload of
 * server/src/testing/xss-payloads.ts ran (`window.__xss`, a dialog, a popup that ran one), or could run
 * on a click or an event (an `on…` attribute, a `javascript:` link, an iframe), in the document and in
 * every open shadow root; and the text the page shows, to prove the payload was shown and not dropped.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';

export interface PageEvidence {
  /** `window.__xss`: undefined unless a payload ran. */
  marker: unknown;
  /** Markup that would run script: `tag[attribute]` each. */
  findings: string[];
  /** The text of the document and of every shadow root, and the values of form fields. */
  text: string;
}

/**
 * Runs in the page. One self-contained function with no named inner functions: Playwright sends its
 * source, and tsx's name-keeping helpers (`__name`) do not exist there.
 */
function readEvidence(): PageEvidence {
  const urlAttributes = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'style'];
  const findings: string[] = [];
  const texts: string[] = [document.documentElement.textContent ?? ''];
  const roots: Array<Document | ShadowRoot> = [document];
  while (roots.length) {
    const root = roots.pop()!;
    for (const element of root.querySelectorAll('*')) {
      const tag = element.tagName.toLowerCase();
      for (const { name, value } of element.attributes) {
        const lower = name.toLowerCase();
        const hostile =
          lower.startsWith('on') ||
          lower === 'srcdoc' ||
          (urlAttributes.includes(lower) && /^\s*javascript:|url\(\s*['"]?\s*javascript:/i.test(value));
        if (hostile) findings.push(`${tag}[${name}="${value}"]`);
      }
      if (['iframe', 'frame', 'object', 'embed'].includes(tag)) findings.push(tag);
      if (tag === 'script' && /__xss/.test(element.textContent ?? '')) findings.push('script with a payload');
      if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) {
        texts.push(element.value);
      }
      if (element.shadowRoot) {
        roots.push(element.shadowRoot);
        texts.push(element.shadowRoot.textContent ?? '');
      }
    }
  }
  return { marker: (window as { __xss?: unknown }).__xss, findings, text: texts.join('\n') };
}

/** Dialogs a page opened and popups it spawned, from now on, to be checked by {@link assertNoXss}. */
export function watchPage(page: Page) {
  const dialogs: string[] = [];
  const popups: Page[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('popup', (popup) => popups.push(popup));
  return { page, dialogs, popups };
}
export type WatchedPage = ReturnType<typeof watchPage>;

/**
 * Fails if anything of a payload ran or could run on `watched`'s page (or in a popup it opened), or if a
 * text of `shown` is missing from it: a field that drops hostile content would pass the rest vacuously.
 */
export async function assertNoXss(watched: WatchedPage, where: string, shown: readonly string[] = []) {
  // Shown text may still be arriving (a streamed answer, a live update): wait a little for it, no more.
  const deadline = Date.now() + 5_000;
  let evidence = await watched.page.evaluate(readEvidence);
  while (shown.some((text) => !evidence.text.includes(text)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    evidence = await watched.page.evaluate(readEvidence);
  }
  assert.equal(evidence.marker, undefined, `${where}: payload ${String(evidence.marker)} ran`);
  assert.deepEqual(evidence.findings, [], `${where}: script-running markup in the page`);
  assert.deepEqual(watched.dialogs, [], `${where}: the page opened a dialog`);
  for (const popup of watched.popups) {
    const marker = popup.isClosed()
      ? undefined
      : await popup.evaluate(() => (window as { __xss?: unknown }).__xss).catch(() => undefined);
    assert.equal(marker, undefined, `${where}: payload ${String(marker)} ran in a popup (${popup.url()})`);
  }
  const missing = shown.filter((text) => !evidence.text.includes(text));
  assert.deepEqual(missing, [], `${where}: not shown as text in ${evidence.text}`);
}

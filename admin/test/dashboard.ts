/**
 * What the dashboard's browser tests share: a real server in embedded mode serving the built dashboard
 * (`npm run build -w admin`), headless Debian Chromium, signing in through the login page, and screenshots
 * kept in admin/test/artifacts (git ignores them) to look at after a run.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AuthResponse } from '@chatbot/shared';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { adminDist } from '../../server/src/app';
import {
  startTestServer,
  type TestServer,
  type TestServerOptions,
} from '../../server/src/testing/test-server';
import { launchBrowser } from '../../widget/test/browser';

/** The password `buildTenant` gives every owner it registers. */
export const PASSWORD = 'correct horse battery staple';

export const ARTIFACTS = join(import.meta.dirname, 'artifacts');

export interface Dashboard {
  server: TestServer;
  browser: Browser;
  /** A new browser context (its own storage) with a page at the dashboard's origin. */
  newPage(viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }>;
  stop(): Promise<void>;
}

export async function startDashboard(options: TestServerOptions = {}): Promise<Dashboard> {
  if (!existsSync(join(adminDist, 'index.html'))) {
    throw new Error(`The dashboard is not built at ${adminDist}: run npm run build -w admin.`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  const server = await startTestServer(options);
  const browser = await launchBrowser();
  return {
    server,
    browser,
    async newPage(viewport = { width: 1366, height: 850 }) {
      const context = await browser.newContext({ viewport, baseURL: server.url });
      const page = await context.newPage();
      // A page error is a failed test, not a line nobody reads.
      page.on('pageerror', (error) => {
        throw error;
      });
      return { context, page };
    },
    async stop() {
      await browser.close();
      await server.stop();
    },
  };
}

/** Signs in through the login page as `who` (registered with {@link PASSWORD}) and waits for the app. */
export async function signIn(page: Page, who: Pick<AuthResponse, 'user'>, path = '/admin/'): Promise<void> {
  await page.goto(path);
  await page.getByLabel('Email').fill(who.user.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
}

/** A full-page screenshot in admin/test/artifacts/<name>.png. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/**
 * Pixels of a chart's canvas near `rgb` (the colour of its data): axes and labels alone are not a chart
 * drawn. Read in the page, from the canvas itself.
 */
function pixelsOf(canvas: Locator, rgb: [number, number, number]): Promise<number> {
  return canvas.evaluate((element, [r, g, b]) => {
    const canvas = element as HTMLCanvasElement;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      const near = Math.abs(data[i]! - r) + Math.abs(data[i + 1]! - g) + Math.abs(data[i + 2]! - b) < 60;
      if (near && data[i + 3]! > 200) count++;
    }
    return count;
  }, rgb);
}

/**
 * Waits until the chart has drawn at least `min` pixels of its data's colour and stopped changing (its
 * animation is over).
 */
export async function drawn(canvas: Locator, rgb: [number, number, number], min = 150): Promise<number> {
  const deadline = Date.now() + 10_000;
  let last = -1;
  for (;;) {
    const count = await pixelsOf(canvas, rgb);
    if (count >= min && count === last) return count;
    if (Date.now() > deadline) throw new Error(`only ${count} pixels of rgb(${rgb.join(',')}) drawn`);
    last = count;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

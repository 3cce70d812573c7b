import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AuthResponse, BotView, DocumentView } from '@chatbot/shared';
import type { Page } from 'playwright-core';
import { buildBot, buildTenant } from '../../server/src/testing/factories';
import { makeHtml } from '../../server/src/testing/fixtures';
import { shot, signIn, startDashboard, type Dashboard } from './dashboard';

/** Sentences enough to make a file of `bytes`, so an upload takes long enough to watch on a slow link. */
function prose(topic: string, bytes: number): string {
  const sentence = `Our ${topic} policy explains what customers can expect and how long each step takes. `;
  return sentence.repeat(Math.ceil(bytes / sentence.length));
}

/** Drops files built inside the page on the drop zone, as a user dragging them from the desktop would. */
async function dropFiles(
  page: Page,
  files: Array<{ name: string; type: string; text?: string; size?: number }>,
) {
  await page.evaluate((files) => {
    const transfer = new DataTransfer();
    for (const file of files) {
      // A size without text makes a file of zeros in the page: nothing of it crosses from the test.
      const body = file.text ?? new Uint8Array(file.size ?? 0);
      transfer.items.add(new File([body], file.name, { type: file.type }));
    }
    const zone = document.querySelector('[aria-label="Drop files to upload"]')!;
    for (const type of ['dragenter', 'dragover', 'drop']) {
      zone.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }
  }, files);
}

describe('dashboard: a bot’s documents', function () {
  this.timeout(120_000);
  let dashboard: Dashboard;
  let owner: AuthResponse;
  let bot: BotView;
  let site: Server;
  let siteUrl: string;

  before(async () => {
    dashboard = await startDashboard({ allowImportAddress: () => true });
    owner = await buildTenant(dashboard.server.api);
    bot = await buildBot(dashboard.server.api, owner.accessToken, { name: 'Support bot' });
    site = createServer((req, res) => {
      const pages: Record<string, Buffer> = {
        '/hub': makeHtml('Help centre', '<a href="/shipping">Shipping</a> <a href="/warranty">Warranty</a>'),
        '/shipping': makeHtml('Shipping', 'Orders ship from Lisbon within two business days.'),
        '/warranty': makeHtml('Warranty', 'Every kettle has a two-year warranty.'),
      };
      const page = pages[req.url ?? ''];
      if (page) res.writeHead(200, { 'content-type': 'text/html' }).end(page);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as { port: number }).port}`;
  });
  after(async () => {
    site?.close();
    await dashboard?.stop();
  });

  const row = (page: Page, name: string) => page.getByRole('row').filter({ hasText: name });
  const documentsPath = () => `/admin/bots/${bot.id}/documents`;

  it('uploads through the picker and by drag-and-drop, each with its progress, and follows indexing live', async () => {
    const { context, page } = await dashboard.newPage();
    await signIn(page, owner, documentsPath());
    await page.getByRole('heading', { name: 'No documents yet' }).waitFor();
    assert.equal(
      await page.getByRole('link', { name: 'Support bot' }).getAttribute('href'),
      `/admin/bots/${bot.id}`,
    );
    await shot(page, 'documents-empty');

    // From here on the page must neither reload nor fetch the list again: what changes arrives live.
    await page.evaluate(() => ((window as unknown as { samePage: boolean }).samePage = true));
    const listFetches: string[] = [];
    page.on('request', (request) => {
      if (/\/api\/documents\?/.test(request.url())) listFetches.push(request.url());
    });
    // A slow uplink, so both progress bars can be seen moving.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const uplink = (bytesPerSecond: number) =>
      cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: bytesPerSecond,
      });
    await uplink(48 * 1024);

    await page.getByLabel('Choose files').setInputFiles({
      name: 'returns.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(prose('returns', 120 * 1024)),
    });
    await dropFiles(page, [
      { name: 'guide.md', type: 'text/markdown', text: `# Guide\n\n${prose('shipping', 100 * 1024)}` },
    ]);
    for (const name of ['returns.txt', 'guide.md']) {
      await page.getByRole('progressbar', { name: `Upload of ${name}` }).waitFor();
    }
    await page.waitForFunction(() => {
      const bars = [...document.querySelectorAll<HTMLProgressElement>('progress[aria-label^="Upload of"]')];
      return bars.length === 2 && bars.every((bar) => bar.value > 0 && bar.value < 100);
    });
    await shot(page, 'documents-uploading');
    await uplink(-1);

    for (const name of ['returns.txt', 'guide.md']) {
      await row(page, name).getByText('Completed').waitFor({ timeout: 60_000 });
    }
    const cells = await row(page, 'returns.txt').getByRole('cell').allInnerTexts();
    assert.deepEqual(cells.slice(2, 3), ['Plain text']);
    assert.ok(Number(cells[4]!.replace(/,/g, '')) > 1, `chunks: ${cells[4]}`);
    assert.ok(Number(cells[5]!.replace(/,/g, '')) > 1000, `tokens: ${cells[5]}`);
    assert.equal((await row(page, 'guide.md').getByRole('cell').allInnerTexts())[2], 'Markdown');
    assert.equal(await page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage), true);
    assert.deepEqual(listFetches, [], 'no fetch of the list: the rows came from the uploads and the socket');
    await context.close();
  });

  it('refuses a wrong type and a file too big before sending, and shows the server’s refusal in place', async () => {
    const { context, page } = await dashboard.newPage();
    await signIn(page, owner, documentsPath());
    await row(page, 'returns.txt').waitFor();
    const uploads: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api/documents/upload')) uploads.push(request.url());
    });

    await page.getByLabel('Choose files').setInputFiles({
      name: 'photo.png',
      mimeType: 'image/png',
      buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    });
    await page.getByRole('alert').filter({ hasText: ".png files can't be read" }).waitFor();
    await dropFiles(page, [{ name: 'manual.txt', type: 'text/plain', size: 25 * 1024 * 1024 + 1 }]);
    await page
      .getByRole('alert')
      .filter({ hasText: 'The file is too big: files can be at most 25 MB' })
      .waitFor();
    assert.deepEqual(uploads, [], 'neither file was sent');

    // A program renamed report.pdf passes the name check; the server reads its content and says no.
    const program = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(2048, 1)]);
    await page
      .getByLabel('Choose files')
      .setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: program });
    const refusal = page
      .getByRole('alert')
      .filter({ hasText: 'report.pdf: This file looks like a Linux program' });
    await refusal.waitFor();
    const retried = page.waitForResponse((response) => response.url().endsWith('/api/documents/upload'));
    await page.getByRole('button', { name: 'Retry report.pdf' }).click();
    assert.equal((await retried).status(), 415);
    await refusal.waitFor();
    assert.equal(uploads.length, 2, 'sent again on retry');
    for (const name of ['photo.png', 'manual.txt', 'report.pdf']) {
      await page.getByRole('button', { name: `Dismiss ${name}` }).click();
    }
    await page.getByRole('list', { name: 'Uploads' }).waitFor({ state: 'detached' });
    assert.equal(await row(page, 'report.pdf').count(), 0);
    await context.close();
  });

  it('shows why a document failed to index in its row', async () => {
    const { context, page } = await dashboard.newPage();
    await signIn(page, owner, documentsPath());
    await row(page, 'returns.txt').waitFor();
    const corrupt = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2048, 0x41)]);
    await page
      .getByLabel('Choose files')
      .setInputFiles({ name: 'broken.pdf', mimeType: 'application/pdf', buffer: corrupt });
    const broken = row(page, 'broken.pdf');
    await broken.getByText('Failed', { exact: true }).waitFor({ timeout: 30_000 });
    const { body } = await dashboard.server.api.get<{ documents: DocumentView[] }>(
      `/api/documents?botId=${bot.id}&search=broken`,
      owner.accessToken,
    );
    const reason = body.documents[0]!.error!;
    assert.ok(reason.length > 10, reason);
    await broken.getByText(reason).waitFor();
    await shot(page, 'documents-failed-row');
    await context.close();
  });

  it('imports a page and the pages it links to, which appear as the crawl finds them', async () => {
    const { context, page } = await dashboard.newPage();
    await signIn(page, owner, documentsPath());
    await row(page, 'returns.txt').waitFor();
    await page.getByLabel('Page URL').fill('not a url');
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByText('must be an http or https URL').waitFor();

    await page.getByLabel('Page URL').fill(`${siteUrl}/hub`);
    await page.getByLabel('What to import').selectOption('links');
    await page.getByLabel('Link depth').fill('1');
    await page.getByLabel('Pages at most').fill('3');
    await page.getByRole('button', { name: 'Import' }).click();
    for (const path of ['/hub', '/shipping', '/warranty']) {
      const imported = row(page, `${siteUrl}${path}`);
      await imported.getByText('Completed').waitFor({ timeout: 30_000 });
      assert.equal((await imported.getByRole('cell').allInnerTexts())[2], 'Web page');
    }
    await shot(page, 'documents-table');
    await context.close();
  });

  it('fits a phone', async () => {
    const { context, page } = await dashboard.newPage({ width: 375, height: 812 });
    await signIn(page, owner, documentsPath());
    await row(page, 'broken.pdf').waitFor();
    await shot(page, 'documents-phone');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
    await context.close();
  });

  it('searches by name, re-indexes, deletes one and deletes several after a confirmation', async () => {
    const { context, page } = await dashboard.newPage();
    await signIn(page, owner, documentsPath());
    await row(page, 'returns.txt').waitFor();

    await page.getByLabel('Search documents by name').fill('RETURNS');
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
    assert.equal(await row(page, 'returns.txt').count(), 1);
    await page.getByLabel('Search documents by name').fill('');
    await row(page, 'guide.md').waitFor();

    await page.getByRole('button', { name: 'Re-index returns.txt' }).click();
    await page.getByText('Indexing returns.txt again.').waitFor();
    await row(page, 'returns.txt').getByText('Completed').waitFor({ timeout: 30_000 });

    await page.getByRole('button', { name: 'Delete guide.md' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete guide.md?' });
    assert.match(await dialog.innerText(), /its \d+ chunks and their vectors are removed/);
    await dialog.getByRole('button', { name: 'Delete document' }).click();
    await row(page, 'guide.md').waitFor({ state: 'detached' });

    await page.getByLabel('Select returns.txt').check();
    await page.getByLabel('Select broken.pdf').check();
    await page.getByRole('button', { name: 'Delete selected (2)' }).click();
    const bulk = page.getByRole('dialog', { name: 'Delete 2 documents?' });
    assert.match(
      await bulk.innerText(),
      /The 2 documents and their vectors \(\d+ chunks in all\) are removed/,
    );
    await bulk.getByRole('button', { name: 'Delete 2 documents' }).click();
    await row(page, 'returns.txt').waitFor({ state: 'detached' });
    await row(page, 'broken.pdf').waitFor({ state: 'detached' });

    const { body } = await dashboard.server.api.get<{ documents: DocumentView[] }>(
      `/api/documents?botId=${bot.id}`,
      owner.accessToken,
    );
    assert.deepEqual(
      body.documents.map((document) => document.sourceUrl).sort(),
      ['/hub', '/shipping', '/warranty'].map((path) => siteUrl + path),
    );
    assert.equal(
      (await dashboard.server.platform.vectors.stats(bot.id)).documents,
      3,
      'their vectors went too',
    );
    await context.close();
  });
});

import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { AdminServerToClientEvents, AuthResponse, BotView, DocumentView } from '@chatbot/shared';
import { OfflineEmbedder } from '@chatbot/shared/platform';
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeOpenAI } from '@chatbot/shared/testing';
import { buildBot, buildTenant } from '../../testing/factories';
import { makeDocx, makeHtml, makePdf } from '../../testing/fixtures';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { connectAdmin } from '../../testing/chat-clients';
import { upload, waitForStatus } from '../../testing/documents';

type StatusEvent = Parameters<AdminServerToClientEvents['document:status']>[0];

async function search(server: TestServer, botId: string, question: string) {
  const [embedding] = await new OfflineEmbedder().embed([question]);
  return server.platform.vectors.query(botId, embedding!, 5);
}

describe('documents: upload, index, search, delete', () => {
  let server: TestServer;
  let owner: AuthResponse;
  let other: AuthResponse;
  let bot: BotView;
  let pages: Server;
  let pagesUrl: string;

  before(async () => {
    server = await startTestServer({ allowImportAddress: (address) => address === '127.0.0.1' });
    owner = await buildTenant(server.api);
    other = await buildTenant(server.api);
    bot = await buildBot(server.api, owner.accessToken);
    pages = createServer((req, res) => {
      const origin = `http://${req.headers.host}`;
      const html = (title: string, body: string) =>
        res.writeHead(200, { 'content-type': 'text/html' }).end(makeHtml(title, body));
      if (req.url === '/sitemap.xml') {
        return res
          .writeHead(200, { 'content-type': 'application/xml' })
          .end(
            `<?xml version="1.0"?><urlset>${['/guide', '/faq', '/about', 'https://elsewhere.example/page']
              .map((path) => `<url><loc>${path.startsWith('http') ? path : origin + path}</loc></url>`)
              .join('')}</urlset>`,
          );
      }
      if (req.url === '/hub') {
        return html(
          'Hub',
          '<a href="/faq">FAQ</a> <a href="about#team">About</a> <a href="https://elsewhere.example/">Out</a> <a href="mailto:x@example.com">Mail</a>',
        );
      }
      if (req.url === '/faq')
        return html('FAQ', 'Questions about invoices are answered by the billing team.');
      if (req.url === '/about') return html('About', 'The company was founded in Coimbra in 1998.');
      if (req.url === '/guide') {
        return res
          .writeHead(200, { 'content-type': 'text/html' })
          .end(
            makeHtml('Returns guide', 'Customers can return unworn shoes within 30 days for a full refund.'),
          );
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
    pagesUrl = `http://127.0.0.1:${(pages.address() as { port: number }).port}`;
  });
  after(async () => {
    pages.close();
    await server.stop();
  });

  it('indexes a PDF, a DOCX and an HTML file, pushes live status to the tenant only, and finds their chunks', async () => {
    const mine = await connectAdmin(server.url, owner.accessToken);
    const theirs = await connectAdmin(server.url, other.accessToken);
    const events: StatusEvent[] = [];
    const leaked: StatusEvent[] = [];
    mine.on('document:status', (event) => events.push(event));
    theirs.on('document:status', (event) => leaked.push(event));

    const files = [
      {
        name: 'warranty.pdf',
        bytes: await makePdf([
          'The warranty covers manufacturing defects for two years.',
          'Page two explains how to claim the warranty online.',
        ]),
      },
      {
        name: 'shipping.docx',
        bytes: await makeDocx('Shipping', [
          'Orders ship within two business days from our Lisbon warehouse.',
        ]),
      },
      {
        name: 'hours.html',
        bytes: makeHtml('Opening hours', 'The Porto store opens at nine in the morning on weekdays.'),
        type: 'text/html',
      },
    ];
    const accepted = await upload(server, owner.accessToken, bot.id, files);
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    assert.deepEqual(
      accepted.body.documents.map((document: DocumentView) => document.status),
      ['pending', 'pending', 'pending'],
    );

    const done = await Promise.all(
      accepted.body.documents.map((document: DocumentView) =>
        waitForStatus(server, owner.accessToken, document.id, ['completed', 'failed']),
      ),
    );
    for (const document of done) {
      assert.equal(document.status, 'completed', `${document.name}: ${document.error}`);
      assert.ok(document.chunkCount >= 1 && document.tokenCount > 0);
    }
    assert.equal(done[0]!.mimeType, 'application/pdf');

    const [pdf, docx, html] = done as DocumentView[];
    const warranty = await search(server, bot.id, 'how long is the warranty for defects');
    assert.equal(warranty[0]?.documentId, pdf!.id);
    const shipping = await search(server, bot.id, 'when do orders ship from the warehouse');
    assert.equal(shipping[0]?.documentId, docx!.id);
    const hours = await search(server, bot.id, 'what time does the Porto store open');
    assert.equal(hours[0]?.documentId, html!.id);
    assert.equal(hours[0]!.text.includes('tracking'), false, 'scripts are not indexed');

    await new Promise((resolve) => setTimeout(resolve, 100));
    const forPdf = events.filter((event) => event.documentId === pdf!.id);
    assert.equal(forPdf.at(-1)?.status, 'completed');
    assert.ok(forPdf.some((event) => event.status === 'processing'));
    assert.deepEqual(leaked, [], 'another tenant heard nothing');
    mine.close();
    theirs.close();
  });

  it('deletes a document with its vectors and its original', async () => {
    const accepted = await upload(server, owner.accessToken, bot.id, [
      {
        name: 'cartões-presente.txt',
        bytes: Buffer.from('Gift cards never expire and can be used online or in store.'),
      },
    ]);
    assert.equal(accepted.body.documents[0].name, 'cartões-presente.txt', 'UTF-8 names arrive intact');
    assert.equal(accepted.body.documents[0].error, null);
    const document = await waitForStatus(server, owner.accessToken, accepted.body.documents[0].id, [
      'completed',
    ]);
    const before = await server.platform.vectors.stats(bot.id);
    assert.equal((await server.api.delete(`/api/documents/${document.id}`, owner.accessToken)).status, 204);
    const after = await server.platform.vectors.stats(bot.id);
    assert.equal(after.vectors, before.vectors - document.chunkCount);
    assert.ok(
      (await search(server, bot.id, 'do gift cards expire')).every((hit) => hit.documentId !== document.id),
    );
    const blobDir = join(server.dataDir, 'blobs', 'tenants', owner.tenant.id, 'bots', bot.id, 'documents');
    assert.equal(readdirSync(blobDir).includes(document.id), false);
    assert.equal((await server.api.get(`/api/documents/${document.id}`, owner.accessToken)).status, 404);
  });

  it('imports a web page once, and importing it again refreshes the same document', async () => {
    const first = await server.api.post<DocumentView>(
      '/api/documents/url',
      { botId: bot.id, url: `${pagesUrl}/guide` },
      owner.accessToken,
    );
    assert.equal(first.status, 202);
    const indexed = await waitForStatus(server, owner.accessToken, first.body.id, ['completed', 'failed']);
    assert.equal(indexed.status, 'completed', indexed.error ?? '');
    const again = await server.api.post<DocumentView>(
      '/api/documents/url',
      { botId: bot.id, url: `${pagesUrl}/guide` },
      owner.accessToken,
    );
    assert.equal(again.body.id, first.body.id);
    const reindexed = await waitForStatus(server, owner.accessToken, again.body.id, ['completed', 'failed']);
    assert.equal(reindexed.chunkCount, indexed.chunkCount);
    const hits = await search(server, bot.id, 'can I return shoes for a refund');
    assert.equal(hits[0]?.documentId, first.body.id);
    assert.equal(
      hits.filter((hit) => hit.documentId === first.body.id).length,
      indexed.chunkCount,
      'no duplicated chunks',
    );
  });

  it('imports the pages a sitemap lists, same site only, up to the page limit', async () => {
    const site = await buildBot(server.api, owner.accessToken, { name: 'Sitemap' });
    const crawl = { mode: 'sitemap', maxPages: 3 };
    await server.api.post(
      '/api/documents/url',
      { botId: site.id, url: `${pagesUrl}/guide`, crawl },
      owner.accessToken,
    );
    const urls = await waitForSiteDocuments(site.id, 3);
    assert.deepEqual(
      urls,
      ['/about', '/faq', '/guide'].map((path) => pagesUrl + path),
    );
  });

  it('imports the pages linked from a page, same site only', async () => {
    const site = await buildBot(server.api, owner.accessToken, { name: 'Links' });
    const crawl = { mode: 'links', depth: 1, maxPages: 10 };
    await server.api.post(
      '/api/documents/url',
      { botId: site.id, url: `${pagesUrl}/hub`, crawl },
      owner.accessToken,
    );
    const urls = await waitForSiteDocuments(site.id, 3);
    assert.deepEqual(
      urls,
      ['/about', '/faq', '/hub'].map((path) => pagesUrl + path),
    );
  });

  async function waitForSiteDocuments(botId: string, count: number): Promise<string[]> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const { body } = await server.api.get(`/api/documents?botId=${botId}`, owner.accessToken);
      const documents = body.documents as DocumentView[];
      if (documents.length >= count && documents.every((document) => document.status === 'completed')) {
        await new Promise((resolve) => setTimeout(resolve, 200)); // nothing more arrives
        const settled = (await server.api.get(`/api/documents?botId=${botId}`, owner.accessToken)).body
          .documents as DocumentView[];
        return settled.map((document) => document.sourceUrl!).sort();
      }
      if (Date.now() > deadline)
        throw new Error(
          `site documents: ${JSON.stringify(documents.map((d) => [d.sourceUrl, d.status, d.error]))}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('fails an import of a private address with a readable reason', async () => {
    const response = await server.api.post<DocumentView>(
      '/api/documents/url',
      { botId: bot.id, url: 'http://169.254.169.254/latest/meta-data/' },
      owner.accessToken,
    );
    const failed = await waitForStatus(server, owner.accessToken, response.body.id, ['failed', 'completed']);
    assert.equal(failed.status, 'failed');
    assert.match(failed.error!, /private or local address/);
  });

  it('refuses what cannot be indexed before storing anything', async () => {
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(4096, 1)]);
    const renamed = await upload(server, owner.accessToken, bot.id, [
      { name: 'fine.txt', bytes: Buffer.from('A perfectly good text file.') },
      { name: 'report.pdf', bytes: elf, type: 'application/pdf' },
    ]);
    assert.equal(renamed.status, 415, JSON.stringify(renamed.body));
    const empty = await upload(server, owner.accessToken, bot.id, [
      { name: 'empty.txt', bytes: Buffer.alloc(0) },
    ]);
    assert.equal(empty.status, 400);
    const none = await server.api.post('/api/documents/upload', { botId: bot.id }, owner.accessToken);
    assert.equal(none.status, 400);
    const list = await server.api.get(`/api/documents?botId=${bot.id}`, owner.accessToken);
    assert.equal(
      list.body.documents.some((document: DocumentView) =>
        ['fine.txt', 'report.pdf', 'empty.txt'].includes(document.name),
      ),
      false,
    );
  });

  it('fails a corrupt PDF with the reason and leaves no vectors', async () => {
    const corrupt = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2048, 0x41)]);
    const accepted = await upload(server, owner.accessToken, bot.id, [
      { name: 'broken.pdf', bytes: corrupt },
    ]);
    assert.equal(accepted.status, 202);
    const failed = await waitForStatus(server, owner.accessToken, accepted.body.documents[0].id, [
      'failed',
      'completed',
    ]);
    assert.equal(failed.status, 'failed');
    assert.ok(failed.error && failed.error.length > 10, failed.error ?? '');
    assert.ok((await search(server, bot.id, 'anything')).every((hit) => hit.documentId !== failed.id));
  });

  it("keeps every document of one tenant out of another's reach", async () => {
    const accepted = await upload(server, owner.accessToken, bot.id, [
      { name: 'secret.txt', bytes: Buffer.from('The staff discount code is ALPHA.') },
    ]);
    const id = accepted.body.documents[0].id;
    const attempts = [
      await server.api.get(`/api/documents/${id}`, other.accessToken),
      await server.api.post(`/api/documents/${id}/reindex`, undefined, other.accessToken),
      await server.api.delete(`/api/documents/${id}`, other.accessToken),
      await server.api.get(`/api/documents?botId=${bot.id}`, other.accessToken),
      await server.api.post(
        '/api/documents/url',
        { botId: bot.id, url: 'https://example.com/' },
        other.accessToken,
      ),
      await upload(server, other.accessToken, bot.id, [
        { name: 'planted.txt', bytes: Buffer.from('planted text') },
      ]),
    ];
    assert.deepEqual(
      attempts.map((attempt) => attempt.status),
      [404, 404, 404, 404, 404, 404],
    );
    assert.equal((await server.api.get(`/api/documents/${id}`, owner.accessToken)).status, 200);
  });

  it('deleting the bot removes its collection and its originals', async () => {
    const doomed = await buildBot(server.api, owner.accessToken, { name: 'Doomed' });
    const accepted = await upload(server, owner.accessToken, doomed.id, [
      { name: 'a.txt', bytes: Buffer.from('Doomed bot knowledge.') },
    ]);
    await waitForStatus(server, owner.accessToken, accepted.body.documents[0].id, ['completed']);
    assert.equal((await server.platform.vectors.stats(doomed.id)).vectors > 0, true);
    assert.equal((await server.api.delete(`/api/chatbots/${doomed.id}`, owner.accessToken)).status, 204);
    assert.deepEqual(await server.platform.vectors.stats(doomed.id), { vectors: 0, documents: 0 });
    assert.equal(
      existsSync(
        join(
          server.dataDir,
          'blobs',
          'tenants',
          owner.tenant.id,
          'bots',
          doomed.id,
          'documents',
          accepted.body.documents[0].id,
        ),
      ),
      false,
    );
  });
});

describe('documents: limits', () => {
  let server: TestServer;
  let owner: AuthResponse;
  let bot: BotView;
  before(async () => {
    server = await startTestServer({ env: { MAX_UPLOAD_BYTES: '4096', TENANT_STORAGE_QUOTA_BYTES: '6000' } });
    owner = await buildTenant(server.api);
    bot = await buildBot(server.api, owner.accessToken);
  });
  after(() => server.stop());

  it('answers 413 to a file over the upload limit and to an upload over the tenant quota', async () => {
    const tooBig = await upload(server, owner.accessToken, bot.id, [
      { name: 'big.txt', bytes: Buffer.alloc(5000, 0x61) },
    ]);
    assert.equal(tooBig.status, 413);
    const first = await upload(server, owner.accessToken, bot.id, [
      { name: 'a.txt', bytes: Buffer.alloc(4000, 0x61) },
    ]);
    assert.equal(first.status, 202);
    const overQuota = await upload(server, owner.accessToken, bot.id, [
      { name: 'b.txt', bytes: Buffer.alloc(4000, 0x62) },
    ]);
    assert.equal(overQuota.status, 413);
    assert.match(overQuota.body.error.message, /quota/);
  });
});

describe('documents: embeddings through OpenAI (a fake server speaking its wire protocol)', () => {
  let fake: FakeOpenAI;
  let server: TestServer;
  let owner: AuthResponse;
  before(async () => {
    fake = await startFakeOpenAI();
    server = await startTestServer({
      env: { OPENAI_BASE_URL: fake.url },
      allowImportAddress: (address) => address === '127.0.0.1',
    });
    owner = await buildTenant(server.api);
  });
  after(async () => {
    await server.stop();
    await fake.stop();
  });

  it("embeds with the bot's own key, in batches the API accepts", async () => {
    const bot = await buildBot(server.api, owner.accessToken, { openaiApiKey: FAKE_OPENAI_KEY });
    const accepted = await upload(server, owner.accessToken, bot.id, [
      { name: 'a.txt', bytes: Buffer.from('Our support line is open around the clock.') },
    ]);
    const done = await waitForStatus(server, owner.accessToken, accepted.body.documents[0].id, [
      'completed',
      'failed',
    ]);
    assert.equal(done.status, 'completed', done.error ?? '');
    const embeddingCalls = fake.requests.filter((request) => request.path === '/v1/embeddings');
    assert.ok(embeddingCalls.length >= 1);
    assert.ok(
      embeddingCalls.every((request) => request.headers.authorization === `Bearer ${FAKE_OPENAI_KEY}`),
    );
    assert.equal((embeddingCalls[0]!.body as { model: string }).model, 'text-embedding-3-small');
  });

  it('moves the whole bot to the new model when a key is added after indexing offline', async () => {
    const bot = await buildBot(server.api, owner.accessToken);
    const first = await upload(server, owner.accessToken, bot.id, [
      { name: 'old.txt', bytes: Buffer.from('Parcels are insured up to five hundred euros.') },
    ]);
    const offline = await waitForStatus(server, owner.accessToken, first.body.documents[0].id, ['completed']);
    await server.api.patch(`/api/chatbots/${bot.id}`, { openaiApiKey: FAKE_OPENAI_KEY }, owner.accessToken);

    const second = await upload(server, owner.accessToken, bot.id, [
      { name: 'new.txt', bytes: Buffer.from('Express delivery costs nine euros.') },
    ]);
    await waitForStatus(server, owner.accessToken, second.body.documents[0].id, ['completed']);
    const redone = await waitForStatus(server, owner.accessToken, offline.id, ['completed'], 30_000);
    assert.ok(
      new Date(redone.indexedAt!) > new Date(offline.indexedAt!),
      'the offline document was indexed again',
    );
    const embedded = fake.requests
      .filter((request) => request.path === '/v1/embeddings')
      .map((request) => JSON.stringify(request.body));
    assert.ok(
      embedded.some((body) => body.includes('insured')),
      'its text went to the new model',
    );
    assert.equal((await server.platform.vectors.stats(bot.id)).documents, 2);
  });

  it('does not embed a re-imported page whose content has not changed', async () => {
    const pages = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end(makeHtml('Stable', 'This page never changes.')),
    );
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(pages.address() as { port: number }).port}/stable`;
    try {
      const bot = await buildBot(server.api, owner.accessToken, { openaiApiKey: FAKE_OPENAI_KEY });
      const imported = await server.api.post<DocumentView>(
        '/api/documents/url',
        { botId: bot.id, url },
        owner.accessToken,
      );
      await waitForStatus(server, owner.accessToken, imported.body.id, ['completed', 'failed']);
      const calls = fake.requests.length;
      await server.api.post('/api/documents/url', { botId: bot.id, url }, owner.accessToken);
      const again = await waitForStatus(server, owner.accessToken, imported.body.id, ['completed', 'failed']);
      assert.equal(again.status, 'completed', again.error ?? '');
      assert.equal(fake.requests.length, calls, 'no embedding request for unchanged content');
    } finally {
      pages.close();
    }
  });

  it('fails the document with a clear reason when the key is rejected, without retrying', async () => {
    const bot = await buildBot(server.api, owner.accessToken, { openaiApiKey: 'sk-wrong-key-0000000000000' });
    const before = fake.requests.length;
    const accepted = await upload(server, owner.accessToken, bot.id, [
      { name: 'b.txt', bytes: Buffer.from('Anything at all.') },
    ]);
    const failed = await waitForStatus(server, owner.accessToken, accepted.body.documents[0].id, [
      'completed',
      'failed',
    ]);
    assert.equal(failed.status, 'failed');
    assert.match(failed.error!, /key/i);
    assert.equal(fake.requests.length - before, 1, 'a rejected key is not retried');
  });
});

import assert from 'node:assert/strict';
import type { AssistantAnswerResponse, AuthResponse, RetrievalTestView } from '@chatbot/shared';
import {
  OfflineEmbedder,
  VectorStore,
  createCache,
  createLogger,
  type Embedder,
} from '@chatbot/shared/platform';
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeOpenAI } from '@chatbot/shared/testing';
import { teach } from '../../testing/documents';
import { buildBot, buildTenant } from '../../testing/factories';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { ASSISTANT_DOCS_COLLECTION_ID } from './docs/docs-collection';
import { readDocsFiles, type DocsFile } from './docs/docs-files';
import { DocsIndexer } from './docs/docs-indexer';
import { startPrivateChroma } from './testing/private-chroma';
import { waitUntilReady } from './testing/wait-until-ready';

const collection = ASSISTANT_DOCS_COLLECTION_ID;

describe('the assistant’s documentation collection', () => {
  let chroma: Awaited<ReturnType<typeof startPrivateChroma>>;
  let vectors: VectorStore;

  before(async () => {
    chroma = await startPrivateChroma();
    vectors = new VectorStore(chroma.url);
  });
  after(() => chroma.stop());

  describe('indexing', () => {
    const logger = createLogger({ level: 'silent', name: 'test' });
    const cache = createCache(null, 'test');
    let embedded: string[];
    /** The offline embedder, counting what it is asked to embed. */
    const counting = (): Embedder => {
      const inner = new OfflineEmbedder();
      return {
        model: inner.model,
        dimension: inner.dimension,
        embed: (texts) => {
          embedded.push(...texts);
          return inner.embed(texts);
        },
      };
    };
    const index = async (files: DocsFile[], embedder = counting()) => {
      embedded = [];
      const indexer = new DocsIndexer({ vectors, cache, logger, embedder, files: async () => files });
      indexer.start();
      await indexer.ready();
      return indexer.status();
    };
    const storedDocuments = async () => {
      const ids = new Set<string>();
      for await (const page of vectors.chunks(collection))
        for (const chunk of page) ids.add(chunk.documentId);
      return [...ids].sort();
    };
    const guide = { path: 'docs/guide.md', text: '# Guide\n\nUpload files from the documents page.' };
    const faq = { path: 'docs/faq.md', text: '# FAQ\n\nBots answer from their documents.' };

    beforeEach(() => vectors.deleteCollection(collection));

    it('embeds each file once, and nothing on a start with the same files', async () => {
      const first = await index([guide, faq]);
      assert.deepEqual([first.status, first.files, first.chunks], ['ready', 2, 2]);
      assert.equal(embedded.length, 2);
      assert.deepEqual(
        (await storedDocuments()).map((id) => id.replace(/@[0-9a-f]{16}$/, '')),
        ['docs/faq.md', 'docs/guide.md'],
      );
      const again = await index([guide, faq]);
      assert.deepEqual(embedded, []);
      assert.deepEqual([again.status, again.chunks], ['ready', 2]);
    });

    it('replaces a changed file, drops a removed one, and finishes a file a cut-off start left', async () => {
      await index([guide, faq]);
      const [faqId] = (await storedDocuments()).filter((id) => id.startsWith('docs/faq.md'));
      const changed = { ...guide, text: `${guide.text}\n\nImport web pages by their address.` };
      await index([changed, faq].reverse());
      assert.deepEqual(embedded, [
        'Upload files from the documents page.\n\nImport web pages by their address.',
      ]);
      const stored = await storedDocuments();
      assert.equal(stored.length, 2);
      assert.ok(stored.includes(faqId!));

      // A start cut off after the first batches: the file's first chunk, written last, is missing.
      const [guideId] = stored.filter((id) => id.startsWith('docs/guide.md'));
      await vectors.deleteDocument(collection, guideId!);
      await index([changed]);
      assert.equal(embedded.length, 1);
      assert.deepEqual(await storedDocuments(), [guideId]);
    });

    it('rebuilds the collection when the embedding model changes', async () => {
      await index([guide]);
      const other = new OfflineEmbedder({ dimension: 64 });
      const status = await index([guide], {
        model: 'another-model',
        dimension: other.dimension,
        embed: (texts) => (embedded.push(...texts), other.embed(texts)),
      });
      assert.deepEqual(
        [status.status, status.embeddingModel, embedded.length],
        ['ready', 'another-model', 1],
      );
    });

    it('indexes the repository’s own README.md and docs/*.md', async () => {
      const files = await readDocsFiles();
      assert.deepEqual(files.map((file) => file.path).slice(0, 2), ['README.md', 'docs/api.md']);
      assert.ok(files.every((file) => /^(README\.md|docs\/[\w.-]+\.md)$/.test(file.path)));
    });
  });

  describe('on a server', () => {
    let fake: FakeOpenAI;
    let server: TestServer | undefined;
    let owner: AuthResponse;
    const start = async () => {
      const env = { OPENAI_API_KEY: FAKE_OPENAI_KEY, OPENAI_BASE_URL: fake.url, CHROMA_URL: chroma.url };
      server = await startTestServer({ env });
      owner = await buildTenant(server.api);
      return { server, knowledge: await waitUntilReady(server, owner.accessToken) };
    };
    const embeddingInputs = () =>
      fake.requests
        .filter((request) => request.path === '/v1/embeddings')
        .reduce((sum, request) => sum + [request.body.input].flat().length, 0);

    before(async () => {
      fake = await startFakeOpenAI();
      await vectors.deleteCollection(collection);
    });
    after(async () => {
      await server?.stop();
      await fake.stop();
    });

    it('is indexed at start-up once: a second start embeds nothing', async () => {
      const first = await start();
      assert.ok(first.knowledge.chunks > 50, JSON.stringify(first.knowledge));
      assert.equal(first.knowledge.embeddingModel, 'text-embedding-3-small');
      assert.equal(embeddingInputs(), first.knowledge.chunks);
      await first.server.stop();

      fake.reset();
      const second = await start();
      assert.deepEqual(second.knowledge, first.knowledge);
      assert.equal(embeddingInputs(), 0);
    });

    it('never reaches a tenant bot’s retrieval, while the assistant answers from it', async () => {
      const api = server!.api;
      const bot = await buildBot(api, owner.accessToken, { name: 'Shoe shop' });
      await teach(server!, owner.accessToken, bot.id, 'shop.txt', 'Our shop sells red shoes and blue boots.');
      const question = 'How do I upload a document to a bot with the documents API?';
      const found = await api.post<RetrievalTestView>(
        `/api/chatbots/${bot.id}/retrieval-test`,
        { query: question, limit: 20 },
        owner.accessToken,
      );
      assert.equal(found.status, 200, JSON.stringify(found.body));
      assert.deepEqual(new Set(found.body.passages.map((passage) => passage.title)), new Set(['shop.txt']));

      fake.replyWith('Upload it with POST /api/documents/upload [1].');
      const answer = await api.post<AssistantAnswerResponse>(
        '/api/assistant/ask',
        { question },
        owner.accessToken,
      );
      assert.match(answer.body.sources[0]!.title, /^(README\.md|docs\/[\w-]+\.md)$/);
    });

    it('cannot be named as a bot by any route', async () => {
      const api = server!.api;
      const token = owner.accessToken;
      const id = ASSISTANT_DOCS_COLLECTION_ID;
      const attempts = await Promise.all([
        api.get(`/api/chatbots/${id}`, token),
        api.patch(`/api/chatbots/${id}`, { name: 'Mine now' }, token),
        api.delete(`/api/chatbots/${id}`, token),
        api.post(`/api/chatbots/${id}/retrieval-test`, { query: 'upload a document' }, token),
        api.get(`/api/documents?botId=${id}`, token),
        api.get(`/api/conversations?botId=${id}`, token),
        api.get(`/api/public/bot/${id}/config`),
        api.post(`/api/public/conversation/${id}/start`),
      ]);
      // z.uuid() refuses its version (0) before any lookup: no route takes it for a bot id.
      for (const attempt of attempts) assert.equal(attempt.status, 400, JSON.stringify(attempt.body));
      assert.ok((await vectors.stats(collection)).vectors > 50, 'the collection is still there');
    });
  });
});

import assert from 'node:assert/strict';
import type { AuthResponse, BotView } from '@chatbot/shared';
import { buildBot, buildTenant } from '../../testing/factories';
import { startTestServer, type TestServer } from '../../testing/test-server';

describe('documents: URL import input', () => {
  let server: TestServer;
  let owner: AuthResponse;
  let bot: BotView;
  before(async () => {
    server = await startTestServer();
    owner = await buildTenant(server.api);
    bot = await buildBot(server.api, owner.accessToken);
  });
  after(() => server.stop());

  it('names the field and says what it must be, for the form to show beside it, and records nothing', async () => {
    const cases = [
      [{ url: 'ftp://example.com/' }, 'url', 'must be an http or https URL'],
      [
        { url: 'https://example.com/', crawl: { mode: 'links', maxPages: 500 } },
        'crawl.maxPages',
        'must be at most 100',
      ],
      [
        { url: 'https://example.com/', crawl: { mode: 'links', depth: 0 } },
        'crawl.depth',
        'must be at least 1',
      ],
      [
        { url: 'https://example.com/', crawl: { mode: 'links', depth: 1.5 } },
        'crawl.depth',
        'must be a whole number',
      ],
      [
        { url: 'https://example.com/', crawl: { mode: 'sitemap', maxPages: '5' } },
        'crawl.maxPages',
        'must be a number',
      ],
    ] as const;
    for (const [input, path, message] of cases) {
      const response = await server.api.post(
        '/api/documents/url',
        { botId: bot.id, ...input },
        owner.accessToken,
      );
      assert.equal(response.status, 400, JSON.stringify(response.body));
      assert.deepEqual(
        response.body.error.fields.map((field: { path: string; message: string }) => [
          field.path,
          field.message,
        ]),
        [[path, message]],
      );
    }
    const list = await server.api.get(`/api/documents?botId=${bot.id}`, owner.accessToken);
    assert.equal(list.body.total, 0);
  });
});

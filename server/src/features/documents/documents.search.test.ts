import assert from 'node:assert/strict';
import type { AuthResponse, BotView, DocumentView } from '@chatbot/shared';
import { forEachDialect } from '@chatbot/shared/testing';
import { buildBot, buildTenant } from '../../testing/factories';
import { upload } from '../../testing/documents';
import { startTestServer, type TestServer } from '../../testing/test-server';

forEachDialect('documents: search by name', (dialect) => {
  let server: TestServer;
  let owner: AuthResponse;
  let other: AuthResponse;
  let bot: BotView;

  const names = async (query: string, token = owner.accessToken, botId = bot.id) => {
    const response = await server.api.get(`/api/documents?botId=${botId}&${query}`, token);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return {
      names: (response.body.documents as DocumentView[]).map((document) => document.name).sort(),
      total: response.body.total as number,
    };
  };
  const add = async (token: string, botId: string, ...files: string[]) => {
    const response = await upload(
      server,
      token,
      botId,
      files.map((name) => ({ name, bytes: Buffer.from(`# ${name}\n\nSome words about ${name}.`) })),
    );
    assert.equal(response.status, 202, JSON.stringify(response.body));
  };

  before(async () => {
    server = await startTestServer({ dialect });
    owner = await buildTenant(server.api);
    other = await buildTenant(server.api);
    bot = await buildBot(server.api, owner.accessToken);
    await add(owner.accessToken, bot.id, 'Returns Policy.txt', 'shipping-RETURNS.md', 'Pricing 100%.txt');
    await add(owner.accessToken, bot.id, 'pricing_sheet.txt', 'pricingXsheet.txt');
    await add(owner.accessToken, (await buildBot(server.api, owner.accessToken)).id, 'returns-other-bot.txt');
  });
  after(() => server.stop());

  it('finds documents whose name contains the text, in any case, within the bot', async () => {
    assert.deepEqual(await names('search=returns'), {
      names: ['Returns Policy.txt', 'shipping-RETURNS.md'],
      total: 2,
    });
    assert.deepEqual((await names('search=ReTuRnS%20POL')).names, ['Returns Policy.txt']);
  });

  it("treats LIKE's wildcards as the characters they are", async () => {
    assert.deepEqual((await names(`search=${encodeURIComponent('100%')}`)).names, ['Pricing 100%.txt']);
    assert.deepEqual((await names('search=pricing_')).names, ['pricing_sheet.txt']);
  });

  it('combines with the status filter and pagination, and counts the matches', async () => {
    const page = await names('search=returns&limit=1&offset=1');
    assert.equal(page.names.length, 1);
    assert.equal(page.total, 2);
    assert.deepEqual(await names('search=returns&status=failed'), { names: [], total: 0 });
  });

  it('lists everything for a blank search and refuses one longer than a name can be', async () => {
    assert.equal((await names('search=%20%20')).total, 5);
    const tooLong = await server.api.get(
      `/api/documents?botId=${bot.id}&search=${'a'.repeat(256)}`,
      owner.accessToken,
    );
    assert.equal(tooLong.status, 400);
    assert.equal(tooLong.body.error.code, 'validation_failed');
  });

  it("never finds another tenant's documents, nor tells them the bot exists", async () => {
    const theirs = await buildBot(server.api, other.accessToken);
    await add(other.accessToken, theirs.id, 'Returns of theirs.txt');
    assert.deepEqual((await names('search=returns', other.accessToken, theirs.id)).names, [
      'Returns of theirs.txt',
    ]);
    const probe = await server.api.get(`/api/documents?botId=${bot.id}&search=returns`, other.accessToken);
    assert.equal(probe.status, 404);
    assert.equal(JSON.stringify(probe.body).includes('Returns'), false);
    assert.deepEqual((await names('search=theirs')).names, []);
  });
});

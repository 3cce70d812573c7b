import assert from 'node:assert/strict';
import type { AuthResponse, BotView } from '@chatbot/shared';
import { Chatbot, runAsSystem } from '@chatbot/shared/platform';
import { forEachDialect } from '@chatbot/shared/testing';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { buildBot, buildTenant } from '../../testing/factories';

const apiKey = 'sk-test-0123456789abcdefghijWXYZ';

forEachDialect('chatbots', (dialect) => {
  let server: TestServer;
  let owner: AuthResponse;
  before(async () => {
    server = await startTestServer({ dialect });
    owner = await buildTenant(server.api);
  });
  after(() => server.stop());

  it('creates a bot with defaults and reads it back', async () => {
    const bot = await buildBot(server.api, owner.accessToken, {
      name: 'Sales',
      appearance: { primaryColor: '#ff0000' },
    });
    assert.equal(bot.status, 'draft');
    assert.equal(bot.appearance.primaryColor, '#ff0000');
    assert.equal(bot.appearance.position, 'bottom-right');
    assert.equal(bot.retrieval.topK, 5);
    assert.deepEqual(bot.allowedOrigins, []);
    const read = await server.api.get(`/api/chatbots/${bot.id}`, owner.accessToken);
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, bot);
    // Its vector collection exists from the start, for the offline model's 384 dimensions.
    const probe = {
      id: 'probe',
      documentId: 'probe',
      chunkIndex: 0,
      text: 'probe',
      metadata: { source: 'probe' },
    };
    await server.platform.vectors.upsert(bot.id, [
      { ...probe, embedding: Array.from({ length: 384 }, (_, i) => (i ? 0 : 1)) },
    ]);
    assert.equal((await server.platform.vectors.stats(bot.id)).vectors, 1);
  });

  it('keeps the OpenAI key sealed: never returned, only its last four characters', async () => {
    const bot = await buildBot(server.api, owner.accessToken, { openaiApiKey: apiKey });
    assert.equal(bot.openaiApiKeyLast4, 'WXYZ');
    const listed = await server.api.get('/api/chatbots', owner.accessToken);
    assert.equal(JSON.stringify(listed.body).includes(apiKey), false);
    assert.equal(JSON.stringify(listed.body).includes('Sealed'), false);

    const stored = await runAsSystem('test', () =>
      server.platform.orm.em.fork().findOneOrFail(Chatbot, bot.id, { populate: ['openaiApiKeySealed'] }),
    );
    const sealed = stored.openaiApiKeySealed ?? '';
    assert.ok(sealed.startsWith('v1.'));
    assert.equal(sealed.includes(apiKey), false);
    assert.equal(server.platform.secretBox.decrypt(sealed, `chatbot:${bot.id}:openaiApiKey`), apiKey);

    const cleared = await server.api.patch<BotView>(
      `/api/chatbots/${bot.id}`,
      { openaiApiKey: null },
      owner.accessToken,
    );
    assert.equal(cleared.body.openaiApiKeyLast4, null);
  });

  it('updates nested settings by merging them', async () => {
    const bot = await buildBot(server.api, owner.accessToken);
    const updated = await server.api.patch<BotView>(
      `/api/chatbots/${bot.id}`,
      { status: 'published', appearance: { botName: 'Max' }, allowedOrigins: ['https://shop.example.com/'] },
      owner.accessToken,
    );
    assert.equal(updated.status, 200);
    assert.equal(updated.body.status, 'published');
    assert.equal(updated.body.appearance.botName, 'Max');
    assert.equal(updated.body.appearance.primaryColor, bot.appearance.primaryColor);
    assert.deepEqual(updated.body.allowedOrigins, ['https://shop.example.com']);
  });

  it('validates bodies, params and queries', async () => {
    const bad = await server.api.post(
      '/api/chatbots',
      {
        name: '',
        temperature: 5,
        allowedOrigins: ['javascript:alert(1)'],
        appearance: { primaryColor: 'red' },
        bogus: 1,
      },
      owner.accessToken,
    );
    assert.equal(bad.status, 400);
    const paths = bad.body.error.fields.map((field: { path: string }) => field.path);
    for (const path of ['name', 'temperature', 'allowedOrigins.0', 'appearance.primaryColor', 'bogus']) {
      assert.ok(paths.includes(path), `${path} in ${paths}`);
    }
    const emptyPatch = await server.api.patch(
      `/api/chatbots/${(await buildBot(server.api, owner.accessToken)).id}`,
      {},
      owner.accessToken,
    );
    assert.equal(emptyPatch.status, 400);
    assert.equal((await server.api.get('/api/chatbots/not-a-uuid', owner.accessToken)).status, 400);
    const bot = await buildBot(server.api, owner.accessToken);
    const inverted = await server.api.patch(
      `/api/chatbots/${bot.id}`,
      { retrieval: { chunkMinTokens: 1500 } },
      owner.accessToken,
    );
    assert.equal(inverted.status, 400);
    const invertedAtCreation = await server.api.post(
      '/api/chatbots',
      { name: 'x', retrieval: { chunkMinTokens: 1500 } },
      owner.accessToken,
    );
    assert.equal(invertedAtCreation.status, 400);
    const overlapTooLarge = await server.api.patch(
      `/api/chatbots/${bot.id}`,
      { retrieval: { chunkOverlapTokens: 500 } },
      owner.accessToken,
    );
    assert.equal(overlapTooLarge.status, 400);
    assert.equal(
      (await server.api.get<BotView>(`/api/chatbots/${bot.id}`, owner.accessToken)).body.retrieval
        .chunkMinTokens,
      500,
    );
    assert.equal((await server.api.get('/api/chatbots?limit=1000', owner.accessToken)).status, 400);
    assert.equal((await server.api.get('/api/chatbots?unknown=1', owner.accessToken)).status, 400);
  });

  it('lists with search, status filter and pagination', async () => {
    const tenant = await buildTenant(server.api);
    for (const name of ['Alpha 100%', 'Beta', 'Gamma'])
      await buildBot(server.api, tenant.accessToken, { name });
    await buildBot(server.api, tenant.accessToken, { name: 'Delta', status: 'published' });
    const all = await server.api.get('/api/chatbots?limit=2', tenant.accessToken);
    assert.equal(all.body.total, 4);
    assert.equal(all.body.chatbots.length, 2);
    const published = await server.api.get('/api/chatbots?status=published', tenant.accessToken);
    assert.deepEqual(
      published.body.chatbots.map((bot: BotView) => bot.name),
      ['Delta'],
    );
    const search = await server.api.get(
      `/api/chatbots?search=${encodeURIComponent('100%')}`,
      tenant.accessToken,
    );
    assert.deepEqual(
      search.body.chatbots.map((bot: BotView) => bot.name),
      ['Alpha 100%'],
    );
  });

  it('deletes a bot', async () => {
    const bot = await buildBot(server.api, owner.accessToken);
    assert.equal((await server.api.delete(`/api/chatbots/${bot.id}`, owner.accessToken)).status, 204);
    assert.equal((await server.api.get(`/api/chatbots/${bot.id}`, owner.accessToken)).status, 404);
    assert.equal((await server.api.delete(`/api/chatbots/${bot.id}`, owner.accessToken)).status, 404);
  });

  it('lets an agent read bots but not change them', async () => {
    const invite = await server.api.post(
      '/api/users/invitations',
      { email: `agent-${dialect}@example.com`, role: 'agent' },
      owner.accessToken,
    );
    assert.equal(invite.status, 201);
    const agent = await server.api.post<AuthResponse>('/api/auth/accept-invitation', {
      token: invite.body.token,
      name: 'Agent',
      password: 'agent password 123',
    });
    assert.equal(agent.status, 201);
    const bot = await buildBot(server.api, owner.accessToken);
    assert.equal((await server.api.get(`/api/chatbots/${bot.id}`, agent.body.accessToken)).status, 200);
    const attempts = [
      await server.api.post('/api/chatbots', { name: 'x' }, agent.body.accessToken),
      await server.api.patch(`/api/chatbots/${bot.id}`, { openaiApiKey: apiKey }, agent.body.accessToken),
      await server.api.delete(`/api/chatbots/${bot.id}`, agent.body.accessToken),
    ];
    assert.deepEqual(
      attempts.map((attempt) => attempt.status),
      [403, 403, 403],
    );
    assert.equal(
      (await server.api.get(`/api/chatbots/${bot.id}`, owner.accessToken)).body.openaiApiKeyLast4,
      null,
    );
  });
});

import assert from 'node:assert/strict';
import type { AuthResponse, BotView } from '@chatbot/shared';
import { forEachDialect } from '@chatbot/shared/testing';
import { startTestServer, type TestServer } from '../testing/test-server';
import { buildBot, buildTenant } from '../testing/factories';

forEachDialect('tenant isolation', (dialect) => {
  let server: TestServer;
  let first: AuthResponse;
  let second: AuthResponse;
  let bot: BotView;
  let invitationId: string;

  before(async () => {
    server = await startTestServer({ dialect });
    first = await buildTenant(server.api);
    second = await buildTenant(server.api);
    bot = await buildBot(server.api, first.accessToken, {
      name: 'First tenant secret bot',
      openaiApiKey: 'sk-first-tenant-key-000000001234',
    });
    const invite = await server.api.post(
      '/api/users/invitations',
      { email: `invitee-${dialect}@example.com`, role: 'agent' },
      first.accessToken,
    );
    invitationId = invite.body.invitation.id;
  });
  after(() => server.stop());

  it("answers 404 to another tenant's reads, updates and deletes of a bot, and changes nothing", async () => {
    const token = second.accessToken;
    const attempts = [
      await server.api.get(`/api/chatbots/${bot.id}`, token),
      await server.api.patch(`/api/chatbots/${bot.id}`, { name: 'hijacked', openaiApiKey: null }, token),
      await server.api.delete(`/api/chatbots/${bot.id}`, token),
    ];
    for (const attempt of attempts) {
      assert.equal(attempt.status, 404);
      assert.equal(attempt.body.error.code, 'not_found');
    }
    // The same answer as for an id that exists nowhere: nothing tells the bot exists.
    const missing = await server.api.get(`/api/chatbots/${crypto.randomUUID()}`, token);
    assert.deepEqual({ ...missing.body.error, requestId: 0 }, { ...attempts[0]!.body.error, requestId: 0 });

    const after = await server.api.get<BotView>(`/api/chatbots/${bot.id}`, first.accessToken);
    assert.equal(after.body.name, 'First tenant secret bot');
    assert.equal(after.body.openaiApiKeyLast4, '1234');
  });

  it("never lists another tenant's bots, even when searching for them", async () => {
    await buildBot(server.api, second.accessToken, { name: 'Second tenant bot' });
    for (const query of ['', '?search=secret', '?status=draft', '?limit=100&offset=0']) {
      const list = await server.api.get(`/api/chatbots${query}`, second.accessToken);
      assert.equal(list.status, 200);
      assert.ok(list.body.chatbots.every((listed: BotView) => listed.id !== bot.id));
      assert.equal(JSON.stringify(list.body).includes('First tenant'), false);
    }
    const own = await server.api.get('/api/chatbots', second.accessToken);
    assert.equal(own.body.total, 1);
  });

  it("hides another tenant's users and invitations and refuses to change them", async () => {
    const list = await server.api.get('/api/users', second.accessToken);
    assert.deepEqual(
      list.body.users.map((user: { id: string }) => user.id),
      [second.user.id],
    );
    assert.deepEqual(list.body.invitations, []);
    const attempts = [
      await server.api.patch(`/api/users/${first.user.id}`, { role: 'agent' }, second.accessToken),
      await server.api.delete(`/api/users/${first.user.id}`, second.accessToken),
      await server.api.delete(`/api/users/invitations/${invitationId}`, second.accessToken),
    ];
    assert.deepEqual(
      attempts.map((attempt) => attempt.status),
      [404, 404, 404],
    );
    const firstList = await server.api.get('/api/users', first.accessToken);
    assert.equal(firstList.body.users[0].role, 'owner');
    assert.equal(firstList.body.invitations.length, 1);
  });

  it('keeps each tenant to its own record on /api/me', async () => {
    const me = await server.api.get('/api/me', second.accessToken);
    assert.equal(me.body.tenant.id, second.tenant.id);
    assert.notEqual(me.body.tenant.id, first.tenant.id);
  });
});

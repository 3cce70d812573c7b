import assert from 'node:assert/strict';
import type { AuthResponse } from '@chatbot/shared';
import { forEachDialect } from '@chatbot/shared/testing';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { buildTenant } from '../../testing/factories';

forEachDialect('users and invitations', (dialect) => {
  let server: TestServer;
  let owner: AuthResponse;
  before(async () => {
    server = await startTestServer({ dialect });
    owner = await buildTenant(server.api);
  });
  after(() => server.stop());

  async function invite(email: string, role: 'admin' | 'agent', token = owner.accessToken) {
    const response = await server.api.post('/api/users/invitations', { email, role }, token);
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body as { invitation: { id: string }; token: string };
  }

  async function accept(token: string) {
    return server.api.post<AuthResponse>('/api/auth/accept-invitation', {
      token,
      name: 'New person',
      password: 'a long enough password',
    });
  }

  it('invites a user who joins the tenant with the given role, once', async () => {
    const created = await invite(`admin-${dialect}@example.com`, 'admin');
    const joined = await accept(created.token);
    assert.equal(joined.status, 201);
    assert.equal(joined.body.user.role, 'admin');
    assert.equal(joined.body.tenant.id, owner.tenant.id);
    assert.equal((await accept(created.token)).status, 404);
    const list = await server.api.get('/api/users', owner.accessToken);
    assert.equal(list.body.users.length, 2);
    assert.equal(list.body.invitations.length, 0);
  });

  it('refuses to invite an owner or an email that already has an account', async () => {
    const ownerRole = await server.api.post(
      '/api/users/invitations',
      { email: 'x@example.com', role: 'owner' },
      owner.accessToken,
    );
    assert.equal(ownerRole.status, 400);
    const taken = await server.api.post(
      '/api/users/invitations',
      { email: owner.user.email, role: 'agent' },
      owner.accessToken,
    );
    assert.equal(taken.status, 409);
  });

  it('replaces a pending invitation when the same email is invited again, in this tenant only', async () => {
    const email = `again-${dialect}@example.com`;
    const other = await buildTenant(server.api);
    const elsewhere = await invite(email, 'agent', other.accessToken);
    const first = await invite(email, 'agent');
    const second = await invite(email, 'admin');
    const list = await server.api.get('/api/users', owner.accessToken);
    const pending = list.body.invitations.filter(
      (invitation: { email: string }) => invitation.email === email,
    );
    assert.deepEqual(
      pending.map((invitation: { id: string; role: string }) => [invitation.id, invitation.role]),
      [[second.invitation.id, 'admin']],
    );
    assert.equal((await accept(first.token)).status, 404, 'the replaced link no longer works');
    const otherList = await server.api.get('/api/users', other.accessToken);
    assert.deepEqual(
      otherList.body.invitations.map((invitation: { id: string }) => invitation.id),
      [elsewhere.invitation.id],
      "another tenant's invitation of the same email stays",
    );
    const joined = await accept(second.token);
    assert.equal(joined.status, 201);
    assert.equal(joined.body.user.role, 'admin');
  });

  it('revokes an invitation', async () => {
    const created = await invite(`revoked-${dialect}@example.com`, 'agent');
    assert.equal(
      (await server.api.delete(`/api/users/invitations/${created.invitation.id}`, owner.accessToken)).status,
      204,
    );
    assert.equal((await accept(created.token)).status, 404);
  });

  it('keeps agents out of team management and only owners change roles', async () => {
    const agent = (await accept((await invite(`agent-${dialect}@example.com`, 'agent')).token)).body;
    assert.equal((await server.api.get('/api/users', agent.accessToken)).status, 403);
    assert.equal(
      (
        await server.api.post(
          '/api/users/invitations',
          { email: 'y@example.com', role: 'admin' },
          agent.accessToken,
        )
      ).status,
      403,
    );

    const admin = (await accept((await invite(`admin2-${dialect}@example.com`, 'admin')).token)).body;
    assert.equal(
      (await server.api.patch(`/api/users/${agent.user.id}`, { role: 'admin' }, admin.accessToken)).status,
      403,
    );
    const promoted = await server.api.patch(
      `/api/users/${agent.user.id}`,
      { role: 'admin' },
      owner.accessToken,
    );
    assert.equal(promoted.status, 200);
    assert.equal(promoted.body.role, 'admin');
    // The new role applies to the live session at once: roles are read per request, not from the token.
    assert.equal((await server.api.get('/api/users', agent.accessToken)).status, 200);
  });

  it('keeps at least one owner and ends a removed user’s sessions', async () => {
    const demote = await server.api.patch(
      `/api/users/${owner.user.id}`,
      { role: 'admin' },
      owner.accessToken,
    );
    assert.equal(demote.status, 409);
    assert.equal((await server.api.delete(`/api/users/${owner.user.id}`, owner.accessToken)).status, 409);

    const leaving = (await accept((await invite(`leaving-${dialect}@example.com`, 'agent')).token)).body;
    assert.equal((await server.api.delete(`/api/users/${leaving.user.id}`, owner.accessToken)).status, 204);
    assert.equal((await server.api.get('/api/me', leaving.accessToken)).status, 401);
    assert.equal(
      (await server.api.post('/api/auth/refresh', { refreshToken: leaving.refreshToken })).status,
      401,
    );
  });
});

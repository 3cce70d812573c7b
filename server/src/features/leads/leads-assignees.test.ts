import assert from 'node:assert/strict';
import type { AuthResponse, LeadAssigneesResponse } from '@chatbot/shared';
import { buildTenant } from '../../testing/factories';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { invite } from '../conversations/conversations.fixtures';

describe('GET /api/leads/assignees', function () {
  this.timeout(60_000);
  let server: TestServer;
  let owner: AuthResponse;
  let admin: AuthResponse;
  let agent: AuthResponse;
  let stranger: AuthResponse;
  let strangerAgent: AuthResponse;
  const assignees = (token: string) => server.api.get<LeadAssigneesResponse>('/api/leads/assignees', token);

  before(async () => {
    server = await startTestServer();
    owner = await buildTenant(server.api, { name: 'Olivia Owner' });
    admin = await invite(server.api, owner.accessToken, 'admin', 'Aaron');
    agent = await invite(server.api, owner.accessToken, 'agent', 'Zoe');
    stranger = await buildTenant(server.api, { name: 'Stan Stranger' });
    strangerAgent = await invite(server.api, stranger.accessToken, 'agent', 'Sue');
  });
  after(() => server.stop());

  it('gives an agent the whole team by name, sorted, with nothing but ids and names', async () => {
    const { status, body } = await assignees(agent.accessToken);
    assert.equal(status, 200, JSON.stringify(body));
    assert.deepEqual(body, {
      assignees: [
        { id: admin.user.id, name: 'Aaron' },
        { id: owner.user.id, name: 'Olivia Owner' },
        { id: agent.user.id, name: 'Zoe' },
      ],
    });
    const text = JSON.stringify(body);
    assert.ok(!text.includes('@example.com') && !text.includes('"role"'), text);
  });

  it('answers every role of the tenant alike', async () => {
    const forAgent = (await assignees(agent.accessToken)).body;
    for (const member of [owner, admin])
      assert.deepEqual((await assignees(member.accessToken)).body, forAgent);
  });

  it('lists only the caller’s tenant: neither tenant learns of the other’s team', async () => {
    assert.deepEqual((await assignees(strangerAgent.accessToken)).body.assignees, [
      { id: stranger.user.id, name: 'Stan Stranger' },
      { id: strangerAgent.user.id, name: 'Sue' },
    ]);
    const ours = (await assignees(owner.accessToken)).body.assignees.map((assignee) => assignee.id);
    assert.ok(!ours.includes(stranger.user.id) && !ours.includes(strangerAgent.user.id));
  });

  it('is not open without a login, and takes no query', async () => {
    assert.equal((await server.api.get('/api/leads/assignees')).status, 401);
    assert.equal((await server.api.get('/api/leads/assignees?role=admin', agent.accessToken)).status, 400);
  });
});

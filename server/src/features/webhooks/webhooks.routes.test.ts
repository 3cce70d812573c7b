import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { AuthResponse, WebhookView, WebhookWithSecret } from '@chatbot/shared';
import { Webhook, openWebhookSecret, runAsSystem } from '@chatbot/shared/platform';
import { forEachDialect } from '@chatbot/shared/testing';
import { buildTenant } from '../../testing/factories';
import { startTestServer, type TestServer } from '../../testing/test-server';

const hook = { url: 'https://hooks.example.com/chatbot', events: ['conversation.closed'] };

forEachDialect('webhooks API', (dialect) => {
  let server: TestServer;
  let owner: AuthResponse;
  let other: AuthResponse;

  before(async () => {
    server = await startTestServer({ dialect });
    owner = await buildTenant(server.api);
    other = await buildTenant(server.api);
  });
  after(() => server.stop());

  const create = async (body: unknown = hook, token = owner.accessToken) => {
    const response = await server.api.post<WebhookWithSecret>('/api/webhooks', body, token);
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body;
  };

  const member = async (role: 'admin' | 'agent') => {
    const invite = await server.api.post(
      '/api/users/invitations',
      { email: `${role}-${randomBytes(4).toString('hex')}@example.com`, role },
      owner.accessToken,
    );
    const accepted = await server.api.post<AuthResponse>('/api/auth/accept-invitation', {
      token: invite.body.token,
      name: role,
      password: 'correct horse battery staple',
    });
    assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
    return accepted.body;
  };

  it('creates a webhook with a secret shown once, sealed at rest, never listed or read back', async () => {
    const created = await create({
      ...hook,
      description: '  CRM  ',
      events: ['lead.created', 'conversation.closed', 'lead.created'],
    });
    assert.match(created.secret, /^whsec_[A-Za-z0-9_-]{43}$/);
    assert.equal(created.description, 'CRM');
    assert.deepEqual(created.events, ['lead.created', 'conversation.closed']);
    assert.equal(created.enabled, true);
    assert.equal(created.consecutiveFailures, 0);
    assert.equal(created.disabledAt, null);

    const read = await server.api.get<WebhookView>(`/api/webhooks/${created.id}`, owner.accessToken);
    assert.equal(read.status, 200);
    const list = await server.api.get<{ webhooks: WebhookView[]; total: number }>(
      '/api/webhooks',
      owner.accessToken,
    );
    assert.equal(list.status, 200);
    assert.ok(list.body.webhooks.some((webhook) => webhook.id === created.id));
    for (const shown of [read.body, ...list.body.webhooks]) {
      assert.ok(!('secret' in shown) && !('secretSealed' in shown), 'no secret in a read');
      assert.ok(!JSON.stringify(shown).includes(created.secret));
    }

    const stored = await runAsSystem('test', () =>
      server.platform.orm.em.fork().findOneOrFail(Webhook, created.id),
    );
    assert.ok(!stored.secretSealed.includes(created.secret), 'stored sealed');
    assert.equal(openWebhookSecret(server.platform.secretBox, stored), created.secret);
  });

  it('rotates the secret: the new one is shown once and replaces the old', async () => {
    const created = await create();
    const rotated = await server.api.post<WebhookWithSecret>(
      `/api/webhooks/${created.id}/rotate-secret`,
      undefined,
      owner.accessToken,
    );
    assert.equal(rotated.status, 200);
    assert.match(rotated.body.secret, /^whsec_/);
    assert.notEqual(rotated.body.secret, created.secret);
    const stored = await runAsSystem('test', () =>
      server.platform.orm.em.fork().findOneOrFail(Webhook, created.id),
    );
    assert.equal(openWebhookSecret(server.platform.secretBox, stored), rotated.body.secret);
  });

  it('refuses URLs that are not public http(s) addresses, and bad events, with field errors', async () => {
    for (const url of [
      'http://10.0.0.1/',
      'http://localhost/',
      'http://LOCALHOST.:8080/x',
      'http://api.localhost/',
      'http://169.254.169.254/latest/meta-data',
      'http://127.1/',
      'http://[::1]/',
      'http://[::ffff:192.168.1.1]/',
      'http://192.168.0.10:8080/hook',
    ]) {
      const response = await server.api.post('/api/webhooks', { ...hook, url }, owner.accessToken);
      assert.equal(response.status, 400, url);
      assert.equal(response.body.error.code, 'validation_failed');
      const field = response.body.error.fields[0];
      assert.equal(field.path, 'url', url);
      assert.match(field.message, /must not point to (localhost|a private, loopback or link-local address)/);
    }
    for (const url of ['ftp://example.com/', 'not a url', 'https://user:pass@example.com/']) {
      const response = await server.api.post('/api/webhooks', { ...hook, url }, owner.accessToken);
      assert.equal(response.status, 400, url);
      assert.equal(response.body.error.fields[0].path, 'url');
    }
    const badEvents = await server.api.post(
      '/api/webhooks',
      { ...hook, events: ['lead.deleted'] },
      owner.accessToken,
    );
    assert.equal(badEvents.status, 400);
    assert.equal(badEvents.body.error.fields[0].path, 'events.0');
    const noEvents = await server.api.post('/api/webhooks', { ...hook, events: [] }, owner.accessToken);
    assert.equal(noEvents.body.error.fields[0].message, 'subscribe to at least one event');
    const extra = await server.api.post('/api/webhooks', { ...hook, secret: 'mine' }, owner.accessToken);
    assert.equal(extra.status, 400);

    const created = await create();
    const patched = await server.api.patch(
      `/api/webhooks/${created.id}`,
      { url: 'http://169.254.169.254/' },
      owner.accessToken,
    );
    assert.equal(patched.status, 400);
    assert.equal(patched.body.error.fields[0].path, 'url');
    const empty = await server.api.patch(`/api/webhooks/${created.id}`, {}, owner.accessToken);
    assert.equal(empty.status, 400);
  });

  it('updates a webhook; enabling it again clears the failures that disabled it', async () => {
    const created = await create();
    await runAsSystem('test', () =>
      server.platform.orm.em
        .fork()
        .nativeUpdate(
          Webhook,
          { id: created.id },
          { enabled: false, consecutiveFailures: 20, disabledAt: new Date(), disabledReason: 'kept failing' },
        ),
    );
    const renamed = await server.api.patch<WebhookView>(
      `/api/webhooks/${created.id}`,
      { description: 'Renamed', events: ['document.failed', 'lead.updated'], url: 'https://b.example.com/h' },
      owner.accessToken,
    );
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.description, 'Renamed');
    assert.deepEqual(renamed.body.events, ['document.failed', 'lead.updated']);
    assert.equal(renamed.body.url, 'https://b.example.com/h');
    assert.equal(renamed.body.enabled, false);
    assert.equal(renamed.body.disabledReason, 'kept failing');

    const enabled = await server.api.patch<WebhookView>(
      `/api/webhooks/${created.id}`,
      { enabled: true },
      owner.accessToken,
    );
    assert.equal(enabled.body.enabled, true);
    assert.equal(enabled.body.consecutiveFailures, 0);
    assert.equal(enabled.body.disabledAt, null);
    assert.equal(enabled.body.disabledReason, null);
  });

  it('deletes a webhook', async () => {
    const created = await create();
    assert.equal((await server.api.delete(`/api/webhooks/${created.id}`, owner.accessToken)).status, 204);
    assert.equal((await server.api.get(`/api/webhooks/${created.id}`, owner.accessToken)).status, 404);
    assert.equal((await server.api.delete(`/api/webhooks/${created.id}`, owner.accessToken)).status, 404);
  });

  it('lets owners and admins manage webhooks; agents get 403 on every route', async () => {
    const admin = await member('admin');
    const agent = await member('agent');
    const byAdmin = await create(hook, admin.accessToken);
    assert.equal((await server.api.get(`/api/webhooks/${byAdmin.id}`, owner.accessToken)).status, 200);
    const id = byAdmin.id;
    for (const [method, path, body] of [
      ['GET', '/api/webhooks', undefined],
      ['POST', '/api/webhooks', hook],
      ['GET', `/api/webhooks/${id}`, undefined],
      ['PATCH', `/api/webhooks/${id}`, { enabled: false }],
      ['DELETE', `/api/webhooks/${id}`, undefined],
      ['POST', `/api/webhooks/${id}/rotate-secret`, undefined],
      ['POST', `/api/webhooks/${id}/test`, undefined],
      ['GET', `/api/webhooks/${id}/deliveries`, undefined],
    ] as const) {
      const response = await server.api.request(method, path, { body, token: agent.accessToken });
      assert.equal(response.status, 403, `${method} ${path}`);
      assert.equal(response.body.error.code, 'forbidden');
    }
    assert.equal((await server.api.get(`/api/webhooks/${id}`, owner.accessToken)).body.enabled, true);
    assert.equal((await server.api.get('/api/webhooks')).status, 401);
  });

  it("answers another tenant 404 on every route with the first tenant's ids, and lists nothing of it", async () => {
    const mine = await create();
    const before = await server.api.get<WebhookView>(`/api/webhooks/${mine.id}`, owner.accessToken);
    for (const [method, path, body] of [
      ['GET', `/api/webhooks/${mine.id}`, undefined],
      ['PATCH', `/api/webhooks/${mine.id}`, { enabled: false, url: 'https://evil.example.com/' }],
      ['POST', `/api/webhooks/${mine.id}/rotate-secret`, undefined],
      ['POST', `/api/webhooks/${mine.id}/test`, undefined],
      ['GET', `/api/webhooks/${mine.id}/deliveries`, undefined],
      ['DELETE', `/api/webhooks/${mine.id}`, undefined],
    ] as const) {
      const response = await server.api.request(method, path, { body, token: other.accessToken });
      assert.equal(response.status, 404, `${method} ${path}`);
      assert.deepEqual(
        { code: response.body.error.code, message: response.body.error.message },
        { code: 'not_found', message: 'Webhook not found.' },
      );
    }
    const theirs = await server.api.get('/api/webhooks', other.accessToken);
    assert.deepEqual(
      { webhooks: theirs.body.webhooks, total: theirs.body.total },
      { webhooks: [], total: 0 },
    );

    const after = await server.api.get<WebhookView>(`/api/webhooks/${mine.id}`, owner.accessToken);
    assert.deepEqual(after.body, before.body, 'unchanged');
    const stored = await runAsSystem('test', () =>
      server.platform.orm.em.fork().findOneOrFail(Webhook, mine.id),
    );
    assert.equal(openWebhookSecret(server.platform.secretBox, stored), mine.secret, 'secret not rotated');
  });
});

import assert from 'node:assert/strict';
import type { AuthResponse, BotView } from '@chatbot/shared';
import { buildBot, buildTenant } from '../../testing/factories';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { avatarKey } from './bot-avatars';
import { imageTypeOf } from './image-type';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('0000000d49484452', 'hex'),
  Buffer.alloc(64, 1),
]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 2)]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 '), Buffer.alloc(32)]);
const GIF = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(32, 3)]);
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

/** Uploads `files` to the bot's avatar endpoint, as the dashboard's file input does. */
function uploadAvatar(
  server: TestServer,
  token: string,
  botId: string,
  files: Array<{ bytes: Buffer; name: string; type: string }>,
) {
  const form = new FormData();
  for (const file of files)
    form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  return fetch(`${server.url}/api/chatbots/${botId}/avatar`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${token}` },
  }).then(async (response) => ({ status: response.status, body: (await response.json()) as any }));
}

describe('bot avatars', () => {
  let server: TestServer;
  let owner: AuthResponse;
  const png = { bytes: PNG, name: 'avatar.png', type: 'image/png' };
  const stored = (bot: BotView) => server.platform.storage.exists(avatarKey(owner.tenant.id, bot.id));

  before(async () => {
    server = await startTestServer();
    owner = await buildTenant(server.api);
  });
  after(() => server.stop());

  it('knows the four image types by their bytes, and nothing else', () => {
    assert.equal(imageTypeOf(PNG), 'image/png');
    assert.equal(imageTypeOf(JPEG), 'image/jpeg');
    assert.equal(imageTypeOf(WEBP), 'image/webp');
    assert.equal(imageTypeOf(GIF), 'image/gif');
    assert.equal(imageTypeOf(SVG), null);
    assert.equal(imageTypeOf(Buffer.from('RIFF0000WAVE')), null);
    assert.equal(imageTypeOf(Buffer.alloc(0)), null);
  });

  it('stores an avatar and serves it publicly with its type, nosniff and caching', async () => {
    const bot = await buildBot(server.api, owner.accessToken, { status: 'published' });
    const uploaded = await uploadAvatar(server, owner.accessToken, bot.id, [png]);
    assert.equal(uploaded.status, 200, JSON.stringify(uploaded.body));
    const url: string = uploaded.body.appearance.avatarUrl;
    assert.match(url, new RegExp(`^${server.url}/api/public/bot/${bot.id}/avatar\\?v=[0-9a-f]{12}$`));
    assert.equal(uploaded.body.appearance.primaryColor, bot.appearance.primaryColor);

    const config = await server.api.get(`/api/public/bot/${bot.id}/config`);
    assert.equal(config.body.appearance.avatarUrl, url);
    const image = await fetch(url);
    assert.equal(image.status, 200);
    assert.equal(image.headers.get('content-type'), 'image/png');
    assert.equal(image.headers.get('x-content-type-options'), 'nosniff');
    assert.match(image.headers.get('cache-control') ?? '', /public, max-age=\d+/);
    assert.equal(image.headers.get('cross-origin-resource-policy'), 'cross-origin');
    assert.deepEqual(Buffer.from(await image.arrayBuffer()), PNG);
  });

  it('reads the type from the bytes, not from the name or the declared type', async () => {
    const bot = await buildBot(server.api, owner.accessToken);
    const disguised = await uploadAvatar(server, owner.accessToken, bot.id, [
      { bytes: SVG, name: 'avatar.png', type: 'image/png' },
    ]);
    assert.equal(disguised.status, 415);
    assert.equal(disguised.body.error.code, 'unsupported_media_type');
    const text = await uploadAvatar(server, owner.accessToken, bot.id, [
      { bytes: Buffer.from('hello'), name: 'a.gif', type: 'image/gif' },
    ]);
    assert.equal(text.status, 415);
    assert.equal(await stored(bot), false);

    const named = await uploadAvatar(server, owner.accessToken, bot.id, [
      { bytes: WEBP, name: 'picture.svg', type: 'image/svg+xml' },
    ]);
    assert.equal(named.status, 200);
    const image = await fetch(named.body.appearance.avatarUrl);
    assert.equal(image.headers.get('content-type'), 'image/webp');
  });

  it('refuses an image over 512 KB, a second file and a missing one', async () => {
    const bot = await buildBot(server.api, owner.accessToken);
    const big = Buffer.concat([PNG, Buffer.alloc(512 * 1024)]);
    const tooBig = await uploadAvatar(server, owner.accessToken, bot.id, [{ ...png, bytes: big }]);
    assert.equal(tooBig.status, 413);
    assert.equal(tooBig.body.error.code, 'payload_too_large');
    const two = await uploadAvatar(server, owner.accessToken, bot.id, [png, png]);
    assert.equal(two.status, 400);
    const none = await uploadAvatar(server, owner.accessToken, bot.id, []);
    assert.equal(none.status, 400);
    assert.equal(none.body.error.fields[0].path, 'file');
    assert.equal(await stored(bot), false);
    assert.equal(
      (await server.api.get<BotView>(`/api/chatbots/${bot.id}`, owner.accessToken)).body.appearance.avatarUrl,
      null,
    );
  });

  it('replaces the old image in place, and deletes it when the avatar is removed', async () => {
    const bot = await buildBot(server.api, owner.accessToken);
    const first = await uploadAvatar(server, owner.accessToken, bot.id, [png]);
    const second = await uploadAvatar(server, owner.accessToken, bot.id, [
      { bytes: JPEG, name: 'new.jpg', type: 'image/jpeg' },
    ]);
    assert.notEqual(second.body.appearance.avatarUrl, first.body.appearance.avatarUrl);
    const image = await fetch(first.body.appearance.avatarUrl);
    assert.equal(image.headers.get('content-type'), 'image/jpeg');
    assert.deepEqual(Buffer.from(await image.arrayBuffer()), JPEG);

    const removed = await server.api.patch<BotView>(
      `/api/chatbots/${bot.id}`,
      { appearance: { avatarUrl: null } },
      owner.accessToken,
    );
    assert.equal(removed.body.appearance.avatarUrl, null);
    assert.equal(await stored(bot), false);
    assert.equal((await fetch(`${server.url}/api/public/bot/${bot.id}/avatar`)).status, 404);
  });

  it('deletes the avatar with the bot', async () => {
    const bot = await buildBot(server.api, owner.accessToken);
    await uploadAvatar(server, owner.accessToken, bot.id, [png]);
    assert.equal(await stored(bot), true);
    assert.equal((await server.api.delete(`/api/chatbots/${bot.id}`, owner.accessToken)).status, 204);
    assert.equal(await stored(bot), false);
    assert.equal((await fetch(`${server.url}/api/public/bot/${bot.id}/avatar`)).status, 404);
  });

  it('answers 404 to another tenant and 403 to an agent, and changes nothing', async () => {
    const bot = await buildBot(server.api, owner.accessToken);
    const stranger = await buildTenant(server.api);
    assert.equal((await uploadAvatar(server, stranger.accessToken, bot.id, [png])).status, 404);

    const invite = await server.api.post(
      '/api/users/invitations',
      { email: `avatar-agent-${Date.now()}@example.com`, role: 'agent' },
      owner.accessToken,
    );
    const agent = await server.api.post<AuthResponse>('/api/auth/accept-invitation', {
      token: invite.body.token,
      name: 'Agent',
      password: 'agent password 123',
    });
    const refused = await uploadAvatar(server, agent.body.accessToken, bot.id, [png]);
    assert.equal(refused.status, 403);
    assert.equal(await stored(bot), false);
    assert.equal((await fetch(`${server.url}/api/public/bot/${bot.id}/avatar`)).status, 404);
  });
});

describe('bot avatars behind a configured public address', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ env: { PUBLIC_URL: 'https://chat.example.com/' } });
  });
  after(() => server.stop());

  it('points the avatar URL at PUBLIC_URL', async () => {
    const owner = await buildTenant(server.api);
    const bot = await buildBot(server.api, owner.accessToken);
    const uploaded = await uploadAvatar(server, owner.accessToken, bot.id, [
      { bytes: GIF, name: 'a.gif', type: 'image/gif' },
    ]);
    assert.match(
      uploaded.body.appearance.avatarUrl,
      new RegExp(`^https://chat\\.example\\.com/api/public/bot/${bot.id}/avatar\\?v=`),
    );
  });
});

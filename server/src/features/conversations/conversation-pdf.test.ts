import assert from 'node:assert/strict';
import type { AuthResponse } from '@chatbot/shared';
import { Conversation, runInTenant } from '@chatbot/shared/platform';
import { teach } from '../../testing/documents';
import { buildBot, buildTenant } from '../../testing/factories';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { appendMessage } from './conversation-messages';
import { invite, pdfText, visit, visitorBrowser } from './conversations.fixtures';

describe('GET /api/conversations/:id/export.pdf', function () {
  this.timeout(60_000);
  let server: TestServer;
  let owner: AuthResponse;
  let agent: AuthResponse;
  let stranger: AuthResponse;
  /** Ada's conversation: a question answered from the returns policy, her details, a failed answer. */
  let ada: string;
  const pdfOf = (id: string, token = owner.accessToken) =>
    fetch(`${server.url}/api/conversations/${id}/export.pdf`, {
      headers: { authorization: `Bearer ${token}` },
    });
  const textOf = async (response: Response) => pdfText(new Uint8Array(await response.arrayBuffer()));
  const append = (content: string, extra: { role?: 'bot' | 'visitor'; state?: 'failed' } = {}) =>
    runInTenant(owner.tenant.id, async () => {
      const em = server.platform.orm.em.fork();
      const conversation = await em.findOneOrFail(Conversation, ada);
      await appendMessage(em, { conversation, role: extra.role ?? 'visitor', content, state: extra.state });
    });

  before(async () => {
    server = await startTestServer();
    owner = await buildTenant(server.api);
    agent = await invite(server.api, owner.accessToken, 'agent', 'Sam');
    const bot = await buildBot(server.api, owner.accessToken, {
      name: 'Returns helper',
      status: 'published',
      rateLimits: { perIpPerMinute: 1000, perMinute: 1000 },
    });
    await teach(
      server,
      owner.accessToken,
      bot.id,
      'returns-policy.txt',
      'Returns are accepted within 30 days of delivery with the receipt.',
    );
    ada = await visit(server.api, bot.id, {
      text: 'How many days do I have for returns?',
      lead: { email: 'ada@example.com', name: 'Ada Lovelace' },
    });
    await append('Sorry, I could not answer.', { role: 'bot', state: 'failed' });
    await append('Привет 日本 — café, Łódź, Kőszeg 🙂');
    stranger = await buildTenant(server.api);
  });
  after(() => server.stop());

  it('holds the visitor panel and the transcript with its sources and failures, for any role', async () => {
    const response = await pdfOf(ada, agent.accessToken);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/pdf');
    assert.equal(
      response.headers.get('content-disposition'),
      `attachment; filename="conversation-${ada}.pdf"`,
    );
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const text = await textOf(response);
    for (const expected of [
      'Conversation with Ada Lovelace',
      'Returns helper',
      'ada@example.com',
      visitorBrowser.userAgent,
      visitorBrowser.referrer,
      'How many days do I have for returns?',
      'returns-policy.txt',
      'answer failed',
      'Sorry, I could not answer.',
      'page 1 of 1',
    ]) {
      assert.ok(text.includes(expected), `"${expected}" is not in the PDF:\n${text}`);
    }
    assert.match(text, /IP address\s+(127\.0\.0\.1|::1)/);
    assert.match(text, /Language\s+Swiss French \(fr-CH\)/);
    assert.match(text, /Visitor · \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    assert.match(text, /Bot · .*answer failed/);
  });

  it('writes Western European text as it is, other accented letters without the accent, other scripts as "?", and says so', async () => {
    const text = await textOf(await pdfOf(ada));
    assert.ok(text.includes('?????? ?? — café, ?ódz, Koszeg ?'), text);
    assert.ok(text.includes('cannot be shown by the font of this PDF'), text);
  });

  it('runs a long transcript onto as many pages as it needs', async () => {
    const long = 'A long line of a patient visitor explaining the problem once more. '.repeat(40);
    for (let i = 0; i < 6; i++) await append(long);
    assert.match(await textOf(await pdfOf(ada)), /page 3 of \d/);
  });

  it('does not export, nor reveal, another tenant’s conversation; a malformed id is refused', async () => {
    const response = await pdfOf(ada, stranger.accessToken);
    assert.equal(response.status, 404);
    assert.ok(!(await response.text()).includes('Ada'));
    assert.equal((await pdfOf('not-an-id')).status, 400);
    assert.equal((await fetch(`${server.url}/api/conversations/${ada}/export.pdf`)).status, 401);
  });
});

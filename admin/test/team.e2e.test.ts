import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { AuthResponse, CreatedInvitation, UsersResponse } from '@chatbot/shared';
import type { Page } from 'playwright-core';
import { buildTenant } from '../../server/src/testing/factories';
import { PASSWORD, shot, signIn, startDashboard, type Dashboard } from './dashboard';

describe('dashboard: team and invitations', function () {
  this.timeout(90_000);
  let dashboard: Dashboard;
  let owner: AuthResponse;

  before(async () => {
    dashboard = await startDashboard();
    owner = await buildTenant(dashboard.server.api);
  });
  after(() => dashboard?.stop());

  const team = async () =>
    (await dashboard.server.api.get<UsersResponse>('/api/users', owner.accessToken)).body;
  const invite = async (email: string, role: 'admin' | 'agent' = 'agent') => {
    const created = await dashboard.server.api.post<CreatedInvitation>(
      '/api/users/invitations',
      { email, role },
      owner.accessToken,
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body;
  };
  const join = async (email: string, name: string) => {
    const { token } = await invite(email);
    const joined = await dashboard.server.api.post<AuthResponse>('/api/auth/accept-invitation', {
      token,
      name,
      password: PASSWORD,
    });
    assert.equal(joined.status, 201, JSON.stringify(joined.body));
    return joined.body;
  };
  const member = (page: Page, name: string) => page.getByRole('row', { name, exact: true });
  const confirm = (page: Page, action: string) =>
    page.getByRole('dialog').getByRole('button', { name: action }).click();

  it('invites an agent whose link, opened in another browser, signs them in as an agent', async () => {
    const { context, page } = await dashboard.newPage();
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await signIn(page, owner, '/admin/settings/team');
    await page.getByRole('heading', { name: 'Team' }).waitFor();
    await member(page, owner.user.name).getByText('You').waitFor();
    await page.getByText('No pending invitations.').waitFor();
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByRole('button', { name: 'Create invitation' }).click();
    await page.getByText('must be an email address').waitFor();
    await shot(page, 'team-invite-form');
    await page.getByLabel('Email').fill('grace.agent@example.com');
    assert.equal(await page.getByRole('radio', { name: /^Agent/ }).isChecked(), true);
    await page.getByRole('button', { name: 'Create invitation' }).click();

    const linkField = page.getByRole('textbox', { name: 'Invitation link' });
    await linkField.waitFor();
    const link = await linkField.inputValue();
    assert.match(link, new RegExp(`^${dashboard.server.url}/admin/accept-invitation\\?token=[\\w-]{20,}$`));
    await page
      .getByText(/the platform sends no email\. It is shown only this once and expires on /)
      .waitFor();
    await page.getByRole('button', { name: 'Copy link' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, link);
    await page.getByRole('row', { name: 'Invitation of grace.agent@example.com' }).waitFor();
    await shot(page, 'team-invitation-link');

    // The colleague opens the link in their own browser: nobody is signed in there.
    const colleague = await dashboard.newPage();
    await colleague.page.goto(copied);
    await colleague.page.getByRole('heading', { name: 'Join your team' }).waitFor();
    await colleague.page.getByText('At least 10 characters.').waitFor();
    await colleague.page.getByLabel('Your name').fill('Grace Agent');
    await colleague.page.getByLabel('Password').fill('short');
    await colleague.page.getByRole('button', { name: 'Join' }).click();
    await colleague.page.getByText('must be at least 10 characters').waitFor();
    await shot(colleague.page, 'team-accept-invitation');
    await colleague.page.getByLabel('Password').fill(PASSWORD);
    await colleague.page.getByRole('button', { name: 'Join' }).click();
    const nav = colleague.page.getByRole('navigation', { name: 'Main navigation' });
    await nav.waitFor();
    await colleague.page.waitForURL(/\/admin\/$/);
    await colleague.page.getByRole('banner').getByText('Grace Agent').waitFor();
    assert.equal(await colleague.page.getByRole('banner').locator('.badge').textContent(), 'agent');
    const entries = (await nav.getByRole('link').allTextContents()).map((entry) => entry.trim());
    assert.ok(entries.includes('Conversations') && entries.includes('Leads'), entries.join());
    for (const hidden of ['Chatbots', 'Team', 'Privacy', 'Webhooks']) {
      assert.ok(!entries.includes(hidden), `an agent sees no ${hidden} entry`);
    }
    await colleague.page.goto('/admin/settings/team');
    await colleague.page.getByRole('heading', { name: "You don't have access to this page" }).waitFor();
    await colleague.page.getByText('It needs the owner or admin role; you are signed in as agent.').waitFor();
    // Still signed in after a reload: the session was kept like a login's.
    await colleague.page.reload();
    await nav.waitFor();
    await colleague.context.close();

    const joined = (await team()).users.find((user) => user.email === 'grace.agent@example.com');
    assert.equal(joined?.role, 'agent');
    assert.equal(joined?.name, 'Grace Agent');
    await page.reload();
    await member(page, 'Grace Agent').waitFor();
    await page.getByText('No pending invitations.').waitFor();
    await shot(page, 'team-page');
    await context.close();
  });

  it('changes a role in the row', async () => {
    const ada = await join('ada.agent@example.com', 'Ada Agent');
    const { context, page } = await dashboard.newPage();
    await signIn(page, owner, '/admin/settings/team');
    const role = page.getByRole('combobox', { name: 'Role of Ada Agent' });
    assert.equal(await role.inputValue(), 'agent');
    await role.selectOption('admin');
    await page.getByText('Ada Agent is now an admin.').waitFor();
    const saved = (await team()).users.find((user) => user.id === ada.user.id);
    assert.equal(saved?.role, 'admin');
    // The owner is the only one: their own role cannot be changed here.
    assert.equal(await page.getByRole('combobox', { name: `Role of ${owner.user.name}` }).count(), 0);
    await page.reload();
    assert.equal(await page.getByRole('combobox', { name: 'Role of Ada Agent' }).inputValue(), 'admin');
    await context.close();
  });

  it('revokes an invitation after a confirmation, and its link stops working', async () => {
    const { token } = await invite('revoked@example.com');
    const { context, page } = await dashboard.newPage();
    await signIn(page, owner, '/admin/settings/team');
    const row = page.getByRole('row', { name: 'Invitation of revoked@example.com' });
    await row.getByRole('button', { name: 'Revoke the invitation of revoked@example.com' }).click();
    await page.getByRole('dialog').getByText('The link you sent stops working at once.').waitFor();
    await confirm(page, 'Revoke invitation');
    await row.waitFor({ state: 'detached' });
    assert.deepEqual(
      (await team()).invitations.filter((invitation) => invitation.email === 'revoked@example.com'),
      [],
    );
    const refused = await dashboard.server.api.post('/api/auth/accept-invitation', {
      token,
      name: 'Too late',
      password: PASSWORD,
    });
    assert.equal(refused.status, 404);
    await context.close();
  });

  it('removes a user after a confirmation that says what becomes of their work', async () => {
    const leaving = await join('leaving@example.com', 'Leo Leaving');
    const { context, page } = await dashboard.newPage();
    await signIn(page, owner, '/admin/settings/team');
    await member(page, 'Leo Leaving').getByRole('button', { name: 'Remove Leo Leaving' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'Remove Leo Leaving?' }).waitFor();
    const message = (await dialog.textContent())!;
    for (const words of ['signed out at once', 'become unassigned', 'lead notes', 'audit log']) {
      assert.ok(message.includes(words), `the confirmation says ${words}`);
    }
    await shot(page, 'team-remove-confirmation');
    await confirm(page, 'Remove user');
    await member(page, 'Leo Leaving').waitFor({ state: 'detached' });
    assert.ok(!(await team()).users.some((user) => user.id === leaving.user.id));
    assert.equal((await dashboard.server.api.get('/api/me', leaving.accessToken)).status, 401);
    await context.close();
  });

  it('says an unknown or cut-short invitation link does not work, with a way to sign in', async () => {
    const { context, page } = await dashboard.newPage({ width: 375, height: 740 });
    await page.goto('/admin/accept-invitation?token=cut-short');
    await page.getByRole('heading', { name: 'This invitation link does not work' }).waitFor();

    await page.goto(`/admin/accept-invitation?token=${randomBytes(32).toString('base64url')}`);
    await page.getByLabel('Your name').fill('Nobody');
    await page.getByLabel('Password').fill(PASSWORD);
    await shot(page, 'team-accept-phone');
    await page.getByRole('button', { name: 'Join' }).click();
    await page.getByRole('heading', { name: 'This invitation link does not work' }).waitFor();
    await page.getByText('It has expired, was already used, was revoked').waitFor();
    await shot(page, 'team-invalid-invitation');
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.waitForURL(/\/admin\/login$/);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await context.close();
  });

  it('fits a phone', async () => {
    await invite('phone.invite@example.com', 'admin');
    const { context, page } = await dashboard.newPage({ width: 375, height: 740 });
    await signIn(page, owner, '/admin/settings/team');
    await page.getByRole('row', { name: 'Invitation of phone.invite@example.com' }).waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 375, `nothing sticks out sideways (${width}px)`);
    await shot(page, 'team-phone');
    await context.close();
  });
});

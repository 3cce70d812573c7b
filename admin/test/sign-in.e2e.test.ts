import assert from 'node:assert/strict';
import type { AuthResponse } from '@chatbot/shared';
import { buildTenant } from '../../server/src/testing/factories';
import { shot, signIn, startDashboard, type Dashboard } from './dashboard';

describe('dashboard: signing in and out', function () {
  this.timeout(60_000);
  let dashboard: Dashboard;
  let owner: AuthResponse;

  before(async () => {
    dashboard = await startDashboard();
    owner = await buildTenant(dashboard.server.api);
  });
  after(() => dashboard?.stop());

  it('sends a signed-out visitor to the login page and back to the page they asked for', async () => {
    const { context, page } = await dashboard.newPage();
    await page.goto('/admin/leads');
    await page.waitForURL(/\/admin\/login\?returnUrl=%2Fleads/);
    await shot(page, 'login');
    await signIn(page, owner, page.url());
    await page.waitForURL(/\/admin\/leads$/);
    assert.equal(await page.getByText(owner.tenant.name).first().isVisible(), true);
    await context.close();
  });

  it('refuses a wrong password with a message and keeps the user on the login page', async () => {
    const { context, page } = await dashboard.newPage();
    await page.goto('/admin/login');
    await page.getByLabel('Email').fill(owner.user.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'The email or password is wrong.' }).waitFor();
    assert.match(page.url(), /\/admin\/login/);
    await context.close();
  });

  it('stays signed in across a reload and is signed out by Log out', async () => {
    const { context, page } = await dashboard.newPage();
    await signIn(page, owner);
    await page.reload();
    await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/admin\/login/);
    await page.goto('/admin/');
    await page.waitForURL(/\/admin\/login/);
    await context.close();
  });
});

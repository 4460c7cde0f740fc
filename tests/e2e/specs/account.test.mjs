// 我的: rename, export my data, delete the account.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, newPhone, withScreenshot } from '../lib/browser.mjs';
import { apiLogin } from '../lib/api.mjs';
import { login, masked, nextResponse, openLogin, randomPassword, randomPhone } from '../lib/flows.mjs';
import { startServer } from '../lib/server.mjs';

/** Registers through the login sheet's 注册 form and waits for the sheet to close. */
async function register(page, phone, password, name) {
  await page.goto('/');
  await openLogin(page);
  await page.getByTestId('goto-register').click();
  await page.getByTestId('register-phone').fill(phone);
  await page.getByTestId('register-password').fill(password);
  await page.getByTestId('register-display_name').fill(name);
  await page.getByTestId('register-submit').click();
  await page.getByTestId('login-sheet').waitFor({ state: 'detached' });
}

describe('my account', () => {
  /** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
  /** @type {import('playwright-core').Browser} */ let browser;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('a rider renames themself, exports their data, and deletes the account', async () => {
    const { context, page } = await newPhone(browser, server.baseURL);
    await withScreenshot('account', page, async () => {
      const phone = randomPhone();
      const password = randomPassword();
      await register(page, phone, password, '旧名字');
      await page.getByTestId('rider-home').waitFor();
      await page.getByTestId('tab-me').click();

      // Rename.
      await page.getByTestId('edit-name').click();
      await page.getByTestId('profile-display_name').fill('新名字');
      const [patch] = await Promise.all([
        nextResponse(page, 'PATCH', '/api/v1/me'),
        page.getByTestId('save-name').click(),
      ]);
      assert.equal(patch.status(), 200);
      assert.deepEqual(patch.request().postDataJSON(), { display_name: '新名字' });
      assert.equal(await page.getByTestId('profile-display-name').innerText(), '新名字');
      await page.reload();
      await page.getByTestId('profile-display-name').waitFor();
      assert.equal(await page.getByTestId('profile-display-name').innerText(), '新名字');

      // Export: a JSON file with this account in it.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-data').click()]);
      assert.match(download.suggestedFilename(), /^warmnew-my-data-\d{8}\.json$/);
      const exported = JSON.parse(await readFile(await download.path(), 'utf8'));
      assert.equal(exported.user.phone, phone);
      assert.equal(exported.user.display_name, '新名字');
      await page.getByTestId('export-done').waitFor();

      // Delete: cancel first, then confirm.
      await page.getByTestId('delete-account').click();
      await page.getByTestId('delete-dialog-cancel').click();
      await page.getByTestId('delete-dialog').waitFor({ state: 'detached' });
      assert.equal(await page.getByTestId('profile-phone').innerText(), masked(phone));

      await page.getByTestId('delete-account').click();
      const [del] = await Promise.all([
        nextResponse(page, 'DELETE', '/api/v1/me'),
        page.getByTestId('delete-dialog-confirm').click(),
      ]);
      assert.equal(del.status(), 204);
      await page.getByTestId('notice-deleted').waitFor();
      assert.equal(await page.evaluate(() => localStorage.getItem('warmnew.me')), null);

      // The account is gone: its password no longer logs in.
      const again = await login(page, phone, password);
      assert.equal(again.status(), 401);
      assert.equal(await page.getByTestId('login-error').getAttribute('data-code'), 'invalid_credentials');
    }, server.logs);
    await context.close();
  });

  test('退出所有设备 ends the session on this phone and on every other device', async () => {
    const { context, page } = await newPhone(browser, server.baseURL);
    await withScreenshot('logout-all', page, async () => {
      const phone = randomPhone();
      const password = randomPassword();
      await register(page, phone, password, '两台手机');
      // The same rider on another device.
      const other = await apiLogin(server.baseURL, phone, password);
      const me = (token) => fetch(`${server.baseURL}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal((await me(other)).status, 200);

      await page.getByTestId('tab-me').click();
      const [res] = await Promise.all([
        nextResponse(page, 'POST', '/api/v1/auth/logout-all'),
        page.getByTestId('logout-all').click(),
      ]);
      assert.equal(res.status(), 204);
      await page.getByTestId('tab-me').click();
      await page.getByTestId('me-guest').waitFor();
      assert.equal((await me(other)).status, 401, 'the other device is logged out too');
    }, server.logs);
    await context.close();
  });
});

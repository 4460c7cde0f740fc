// Flow 3: switching to English changes the UI, survives a reload, and is saved on the account.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, newPhone, withScreenshot } from '../lib/browser.mjs';
import { htmlLang, login, loginAs, navLabels, nextResponse, openLogin } from '../lib/flows.mjs';
import { DEMO, startServer } from '../lib/server.mjs';

describe('language switch', () => {
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

  test('on the login screen: English at once, kept over a reload', async () => {
    const { context, page } = await newPhone(browser, server.baseURL);
    await withScreenshot('i18n-login', page, async () => {
      await page.goto('/');
      await openLogin(page);
      assert.equal((await page.getByTestId('login-submit').innerText()).trim(), '登录');
      const sheet = page.getByTestId('login-sheet');
      await sheet.getByTestId('lang-en').click();
      assert.equal((await page.getByTestId('login-submit').innerText()).trim(), 'Log in');
      assert.equal(await htmlLang(page), 'en');
      assert.equal(await sheet.getByTestId('lang-en').getAttribute('aria-pressed'), 'true');
      await page.reload();
      await page.getByTestId('login-form').waitFor();
      assert.equal((await page.getByTestId('login-submit').innerText()).trim(), 'Log in');
      assert.equal(await htmlLang(page), 'en');
      assert.equal(await page.title(), 'Warm-New Stations');

      // Chosen before logging in, it is saved on the account at login.
      const saved = nextResponse(page, 'PATCH', '/api/v1/me');
      assert.equal((await login(page, DEMO.operator)).status(), 200);
      const res = await saved;
      assert.equal(res.status(), 200);
      assert.equal((await res.json()).locale, 'en');
      await page.getByTestId('operator-home').waitFor();
      assert.equal(await page.getByTestId('page-title').innerText(), 'Station management');
    }, server.logs);
    await context.close();
  });

  test('on 我的: nav labels change, persist over a reload, and follow the account to a new phone', async () => {
    const { context, page } = await newPhone(browser, server.baseURL);
    await withScreenshot('i18n-me', page, async () => {
      await loginAs(page, DEMO.rider, 'rider-home');
      assert.deepEqual(await navLabels(page), ['驿站', '求助', '微课堂', '我的']);
      await page.getByTestId('tab-me').click();

      const [res] = await Promise.all([
        nextResponse(page, 'PATCH', '/api/v1/me'),
        page.getByTestId('lang-en').click(),
      ]);
      assert.equal(res.status(), 200);
      assert.deepEqual(res.request().postDataJSON(), { locale: 'en' });
      assert.equal((await res.json()).locale, 'en');

      assert.deepEqual(await navLabels(page), ['Stations', 'Help', 'Lessons', 'Me']);
      assert.equal(await htmlLang(page), 'en');
      assert.equal(await page.getByTestId('profile-role').innerText(), 'Rider');

      await page.reload();
      await page.getByTestId('rider-home').waitFor();
      assert.deepEqual(await navLabels(page), ['Stations', 'Help', 'Lessons', 'Me']);
      assert.equal(await htmlLang(page), 'en');
    }, server.logs);
    await context.close();

    // Another phone, nothing stored: the account's language is taken from the server.
    const other = await newPhone(browser, server.baseURL);
    await withScreenshot('i18n-new-phone', other.page, async () => {
      await other.page.goto('/');
      assert.equal(await htmlLang(other.page), 'zh-CN');
      assert.equal((await login(other.page, DEMO.rider)).status(), 200);
      await other.page.getByTestId('rider-home').waitFor();
      assert.deepEqual(await navLabels(other.page), ['Stations', 'Help', 'Lessons', 'Me']);

      // And back to Chinese.
      await other.page.getByTestId('tab-me').click();
      const [res] = await Promise.all([
        nextResponse(other.page, 'PATCH', '/api/v1/me'),
        other.page.getByTestId('lang-zh-CN').click(),
      ]);
      assert.equal((await res.json()).locale, 'zh-CN');
      assert.deepEqual(await navLabels(other.page), ['驿站', '求助', '微课堂', '我的']);
      assert.equal(await htmlLang(other.page), 'zh-CN');
    }, server.logs);
    await other.context.close();
  });
});

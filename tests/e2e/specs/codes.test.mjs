// Item 2 of issue 11: log in with a one-time code (a new number becomes a rider), and reset a
// forgotten password by code. Codes come from the dev console sender's log line.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, newPhone, withScreenshot } from '../lib/browser.mjs';
import { devCode, login, loginWithCode, masked, nextResponse, openLogin, randomPassword, randomPhone } from '../lib/flows.mjs';
import { startServer } from '../lib/server.mjs';

describe('one-time codes', () => {
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

  test('a brand-new number logs in by code and is a rider at once', async () => {
    const { context, page } = await newPhone(browser, server.baseURL);
    await withScreenshot('codes-login', page, async () => {
      await page.goto('/');
      await openLogin(page);
      // Code login is what the form opens on.
      await page.locator('[data-testid="login-form"][data-mode="code"]').waitFor();
      const codeInput = page.getByTestId('login-code');
      assert.equal(await codeInput.getAttribute('inputmode'), 'numeric');
      assert.equal(await codeInput.getAttribute('autocomplete'), 'one-time-code');
      const send = page.getByTestId('login-send-code');
      assert.equal((await send.innerText()).trim(), '获取验证码');
      for (const id of ['login-send-code', 'login-submit', 'login-use-password', 'goto-reset']) {
        const box = await page.getByTestId(id).boundingBox();
        assert.ok(box && box.height >= 48, `${id} is at least 48 px high: ${JSON.stringify(box)}`);
      }

      const phone = randomPhone();
      await page.getByTestId('login-phone').fill(phone);
      const sent = nextResponse(page, 'POST', '/api/v1/auth/codes');
      await send.click();
      assert.equal((await sent).status(), 202);
      // Sent: where to, and a countdown before another may be asked.
      assert.match(await page.getByTestId('login-code-sent').innerText(), new RegExp(masked(phone).replace(/\*/g, '\\*')));
      await page.waitForFunction(() => /秒后可重新获取/.test(document.querySelector('[data-testid="login-send-code"]')?.textContent ?? ''));
      assert.equal(await send.isDisabled(), true);
      const code = await devCode(server, phone);

      // A wrong code: our words, in Chinese, and the form stays.
      const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
      await codeInput.fill(wrong);
      const [refused] = await Promise.all([
        nextResponse(page, 'POST', '/api/v1/auth/login/code'),
        page.getByTestId('login-submit').click(),
      ]);
      assert.equal(refused.status(), 422);
      const error = page.getByTestId('login-error');
      await error.waitFor();
      assert.equal(await error.getAttribute('data-code'), 'invalid_code');
      assert.equal(await error.innerText(), '验证码不对或已失效，请重新获取');

      await codeInput.fill(code);
      const [ok] = await Promise.all([
        nextResponse(page, 'POST', '/api/v1/auth/login/code'),
        page.getByTestId('login-submit').click(),
      ]);
      assert.equal(ok.status(), 200);
      const tokens = await ok.json();
      assert.equal(tokens.user.role, 'rider');
      await page.getByTestId('login-sheet').waitFor({ state: 'detached' });
      await page.getByTestId('rider-home').waitFor();
      await page.getByTestId('profile').waitFor();
      assert.equal((await page.getByTestId('profile-phone').innerText()).trim(), masked(phone));

      // The number itself never reached the log; only the masked form did.
      const logs = server.logs();
      assert.ok(logs.includes(`dev sms to ${masked(phone)}`));
      assert.ok(!logs.includes(phone), 'the phone number is in the server log');
    }, server.logs);
    await context.close();
  });

  test('a forgotten password is reset by code, then the new password logs in', async () => {
    const phone = randomPhone();
    const oldPassword = randomPassword();
    const registered = await fetch(`${server.baseURL}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ phone, password: oldPassword, display_name: '忘了密码' }),
    });
    assert.equal(registered.status, 201);

    const newPassword = randomPassword();
    const first = await newPhone(browser, server.baseURL);
    await withScreenshot('codes-reset', first.page, async () => {
      const page = first.page;
      await page.goto('/');
      await openLogin(page);
      await page.getByTestId('goto-reset').click();
      await page.getByTestId('reset-form').waitFor();
      await page.getByTestId('reset-phone').fill(phone);
      const sent = nextResponse(page, 'POST', '/api/v1/auth/codes');
      await page.getByTestId('reset-send-code').click();
      assert.equal((await sent).status(), 202);
      await page.getByTestId('reset-code').fill(await devCode(server, phone));
      await page.getByTestId('reset-new_password').fill(newPassword);
      const [res] = await Promise.all([
        nextResponse(page, 'POST', '/api/v1/auth/password-reset'),
        page.getByTestId('reset-submit').click(),
      ]);
      assert.equal(res.status(), 200);
      await page.getByTestId('login-sheet').waitFor({ state: 'detached' });
      await page.getByTestId('profile').waitFor();
    }, server.logs);
    await first.context.close();

    // Another phone: the new password logs in with the password form; the old one does not.
    const second = await newPhone(browser, server.baseURL);
    await withScreenshot('codes-reset-login', second.page, async () => {
      const page = second.page;
      await page.goto('/');
      const refused = await login(page, phone, oldPassword);
      assert.equal(refused.status(), 401);
      const res = await login(page, phone, newPassword);
      assert.equal(res.status(), 200);
      await page.getByTestId('login-sheet').waitFor({ state: 'detached' });
      await page.getByTestId('rider-home').waitFor();
    }, server.logs);
    await second.context.close();
  });

  test('loginWithCode logs a rider in from the English form', async () => {
    const { context, page } = await newPhone(browser, server.baseURL, { locale: 'en' });
    await withScreenshot('codes-helper', page, async () => {
      await page.goto('/');
      await openLogin(page);
      const phone = randomPhone();
      const res = await loginWithCode(page, server, phone);
      assert.equal(res.status(), 200);
      await page.getByTestId('login-sheet').waitFor({ state: 'detached' });
      await page.getByTestId('profile').waitFor();
    }, server.logs);
    await context.close();
  });
});

// Flows 1 and 2: a rider registers; logs out; logs in (and a wrong password is refused).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, newPhone, withScreenshot } from '../lib/browser.mjs';
import { htmlLang, login, masked, navLabels, nextResponse, openLogin, randomPassword, randomPhone, usePasswordLogin } from '../lib/flows.mjs';
import { DEMO, DEMO_PASSWORD, startServer } from '../lib/server.mjs';

describe('rider sign-up and sign-in', () => {
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

  test('a new rider registers and lands on the rider home with four tabs in Chinese', async () => {
    const { context, page, problems } = await newPhone(browser, server.baseURL);
    await withScreenshot('register', page, async () => {
      await page.goto('/');
      assert.equal(await htmlLang(page), 'zh-CN');
      // No login wall: the rider home shows; registering starts from 我的.
      await openLogin(page);
      await page.getByTestId('goto-register').click();

      const phone = randomPhone();
      const name = `测试骑手${phone.slice(-4)}`;
      await page.getByTestId('register-phone').fill(phone);
      await page.getByTestId('register-password').fill(randomPassword());
      await page.getByTestId('register-display_name').fill(name);
      const [res] = await Promise.all([
        nextResponse(page, 'POST', '/api/v1/auth/register'),
        page.getByTestId('register-submit').click(),
      ]);
      assert.equal(res.status(), 201);

      await page.getByTestId('rider-home').waitFor();
      await page.getByTestId('login-sheet').waitFor({ state: 'detached' });
      assert.deepEqual(await navLabels(page), ['驿站', '求助', '微课堂', '我的']);
      // Back where registering started, now with the account.
      assert.equal(await page.getByTestId('tab-me').getAttribute('aria-current'), 'page');
      await page.getByTestId('profile').waitFor();
      await page.getByTestId('tab-stations').click();
      assert.equal(await page.getByTestId('tab-stations').getAttribute('aria-current'), 'page');
      // The stations tab first says why it wants the location (and that it is not stored).
      assert.match(await page.getByTestId('location-consent').innerText(), /不会保存你的坐标/);

      // One-handed: the navigation sits at the bottom and every tab is a big target.
      const viewport = page.viewportSize();
      for (const id of ['stations', 'help', 'lessons', 'me']) {
        const box = await page.getByTestId(`tab-${id}`).boundingBox();
        assert.ok(box && box.height >= 48 && box.width >= 48, `tab ${id} is at least 48×48: ${JSON.stringify(box)}`);
        assert.ok(viewport && box.y + box.height >= viewport.height - 2, `tab ${id} sits at the bottom`);
      }

      await page.getByTestId('tab-help').click();
      await page.getByTestId('help-home').waitFor();
      assert.match(await page.getByTestId('hr-sos').innerText(), /SOS 紧急求助/);
      await page.getByTestId('hr-mine-empty').waitFor(); // a new rider has no requests yet
      await page.getByTestId('tab-lessons').click();
      await page.getByTestId('lessons-list').getByTestId('lesson-card').first().waitFor();

      await page.getByTestId('tab-me').click();
      assert.equal(await page.getByTestId('profile-phone').innerText(), masked(phone));
      assert.equal(await page.getByTestId('profile-display-name').innerText(), name);
      assert.equal(await page.getByTestId('profile-role').innerText(), '骑手');
      assert.deepEqual(problems, []);
    }, server.logs);
    await context.close();
  });

  test('registration shows the server’s field errors under the fields', async () => {
    const { context, page } = await newPhone(browser, server.baseURL);
    await withScreenshot('register-errors', page, async () => {
      await page.goto('/');
      await openLogin(page);
      await page.getByTestId('goto-register').click();
      await page.getByTestId('register-phone').fill(randomPhone());
      await page.getByTestId('register-password').fill('password123'); // long enough, but common
      await page.getByTestId('register-display_name').fill('小李');
      const [res] = await Promise.all([
        nextResponse(page, 'POST', '/api/v1/auth/register'),
        page.getByTestId('register-submit').click(),
      ]);
      assert.equal(res.status(), 422);
      const body = await res.json();
      assert.ok(body.errors.some((e) => e.field === 'password'), JSON.stringify(body));
      assert.equal(await page.getByTestId('field-error-password').innerText(), '这个密码太常见，请换一个');
      assert.equal(await page.getByTestId('register-password').getAttribute('aria-invalid'), 'true');

      // A number that is already registered.
      await page.getByTestId('register-phone').fill(DEMO.rider);
      await page.getByTestId('register-password').fill('Warm-a-long-unusual-passphrase');
      const [dup] = await Promise.all([
        nextResponse(page, 'POST', '/api/v1/auth/register'),
        page.getByTestId('register-submit').click(),
      ]);
      assert.equal(dup.status(), 409);
      assert.equal(await page.getByTestId('register-error').getAttribute('data-code'), 'phone_taken');
      assert.equal(await page.getByTestId('field-error-phone').innerText(), '该手机号已注册');
    }, server.logs);
    await context.close();
  });

  test('log out, then log in as the demo rider; a wrong password shows the server’s error', async () => {
    const { context, page, problems } = await newPhone(browser, server.baseURL);
    await withScreenshot('login', page, async () => {
      await page.goto('/');
      assert.equal((await login(page, DEMO.rider)).status(), 200);
      await page.getByTestId('rider-home').waitFor();
      await page.getByTestId('tab-me').click();
      assert.equal(await page.getByTestId('profile-phone').innerText(), '138****0001');

      // Log out: the server is told (the refresh token stops working); the rider home stays,
      // without the account.
      const refreshToken = await page.evaluate(() => localStorage.getItem('warmnew.refresh_token'));
      assert.ok(refreshToken);
      const [out] = await Promise.all([
        nextResponse(page, 'POST', '/api/v1/auth/logout'),
        page.getByTestId('logout').click(),
      ]);
      assert.equal(out.status(), 204);
      await page.getByTestId('tab-me').click();
      await page.getByTestId('me-login').waitFor();
      assert.equal(await page.evaluate(() => localStorage.getItem('warmnew.access_token')), null);
      const reuse = await fetch(`${server.baseURL}/api/v1/auth/refresh`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refresh_token: refreshToken }),
      });
      assert.equal(reuse.status, 401, 'the refresh token is revoked by logout');

      // Wrong password: the button shows progress while the request is out, then the error.
      let release = () => {};
      const held = new Promise((r) => (release = r));
      await page.route('**/api/v1/auth/login', async (route) => {
        await held;
        await route.continue();
      });
      await openLogin(page);
      await usePasswordLogin(page);
      await page.getByTestId('login-phone').fill(DEMO.rider);
      await page.getByTestId('login-password').fill('not-the-password');
      const wrong = nextResponse(page, 'POST', '/api/v1/auth/login');
      await page.getByTestId('login-submit').click();
      const submit = page.getByTestId('login-submit');
      await page.waitForFunction(() => document.querySelector('[data-testid="login-submit"]')?.hasAttribute('disabled'));
      assert.equal((await submit.innerText()).trim(), '正在登录…');
      release();
      assert.equal((await wrong).status(), 401);
      await page.unroute('**/api/v1/auth/login');
      const error = page.getByTestId('login-error');
      await error.waitFor();
      assert.equal(await error.getAttribute('data-code'), 'invalid_credentials');
      assert.equal(await error.innerText(), '手机号或密码错误');
      assert.equal(await submit.isEnabled(), true);

      // The right password gets in.
      assert.equal((await login(page, DEMO.rider, DEMO_PASSWORD)).status(), 200);
      await page.getByTestId('rider-home').waitFor();
      assert.equal(await page.getByTestId('login-form').count(), 0);
      assert.deepEqual(problems.filter((p) => !p.includes('401')), []);
    }, server.logs);
    await context.close();
  });
});

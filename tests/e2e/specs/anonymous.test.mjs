// Issue 11: a rider needs no account to find a station, open it or read a lesson; the first
// action that needs one (check-in, filing a help request) asks for login, and the action
// completes right after it without another tap. At a big and a small phone screen.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiJson, apiLogin } from '../lib/api.mjs';
import { launchBrowser, newPhone, withScreenshot } from '../lib/browser.mjs';
import { login, loginWithCode, nextResponse, openTab, randomPhone } from '../lib/flows.mjs';
import { DEMO, startServer } from '../lib/server.mjs';

/** A rider new to the app logs in on the login sheet that is showing, with a one-time code
 * (the account is made by that login). */
async function signInNewRider(page, server) {
  const res = await loginWithCode(page, server, randomPhone());
  assert.equal(res.status(), 200, 'logged in by code');
}

/** Every response that says "log in first", and every page error. */
function watch(page) {
  const unauthorized = [];
  const errors = [];
  page.on('response', (r) => {
    if (r.status() === 401) unauthorized.push(`${r.request().method()} ${new URL(r.url()).pathname}`);
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return { unauthorized, errors };
}

const VIEWPORTS = [
  { width: 390, height: 844 },
  { width: 360, height: 640 },
];

describe('browsing without an account', () => {
  /** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
  /** @type {import('playwright-core').Browser} */ let browser;
  let operatorToken;
  let station;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    operatorToken = await apiLogin(server.baseURL, DEMO.operator);
    const me = await apiJson(server.baseURL, '/api/v1/me', { token: operatorToken });
    station = await apiJson(server.baseURL, `/api/v1/stations/${me.station_id}`);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const vp of VIEWPORTS) {
    test(`at ${vp.width}×${vp.height}: stations, a station and a lesson without login; check-in asks for it and completes after`, async () => {
      const { context, page } = await newPhone(browser, server.baseURL);
      await page.setViewportSize(vp);
      await context.grantPermissions(['geolocation'], { origin: server.baseURL });
      await context.setGeolocation({ latitude: station.lat + 0.0003, longitude: station.lng, accuracy: 15 });
      const seen = watch(page);
      await withScreenshot(`anonymous-${vp.width}`, page, async () => {
        await page.goto('/');
        await page.getByTestId('rider-home').waitFor();
        assert.equal(await page.getByTestId('login-sheet').count(), 0, 'no login wall');

        // The nearest stations, and one of them.
        const [nearby] = await Promise.all([nextResponse(page, 'GET', '/api/v1/stations/nearby'), page.getByTestId('location-allow').click()]);
        assert.equal(nearby.status(), 200);
        const card = page.locator(`[data-testid="station-card"][data-station-id="${station.id}"] button`);
        await card.click();
        await page.getByTestId('station-detail').waitFor();
        assert.equal(await page.getByTestId('detail-name').innerText(), station.name);
        await page.getByTestId('nav-amap').waitFor();

        // A lesson, read to the end of its page.
        await openTab(page, 'lessons');
        const lesson = page.getByTestId('lesson-card').first();
        await lesson.locator('button').click();
        await page.getByTestId('lesson-reader').waitFor();
        assert.ok((await page.getByTestId('lesson-body').innerText()).length > 100, 'the lesson text shows');

        // 我的: a login button, no account data asked for.
        await openTab(page, 'me');
        await page.getByTestId('me-login').waitFor();
        assert.deepEqual(seen.unauthorized, [], 'nothing asked that needs a token');

        // Check in at the station with its typed code: login is asked, then it completes.
        await openTab(page, 'stations');
        await card.click();
        await page.getByTestId('station-detail').waitFor();
        const { code } = await apiJson(server.baseURL, `/api/v1/stations/${station.id}/checkin-code`, { token: operatorToken });
        await page.getByTestId('station-detail').getByTestId('checkin-code').fill(code);
        await page.getByTestId('station-detail').getByTestId('checkin-submit').click();
        await page.getByTestId('login-sheet').waitFor();
        assert.equal(await page.getByTestId('gate-reason').getAttribute('data-kind'), 'checkin');
        const checkedIn = nextResponse(page, 'POST', `/api/v1/stations/${station.id}/check-ins`);
        await signInNewRider(page, server);
        const res = await checkedIn;
        assert.equal(res.status(), 201, 'checked in without another tap');
        assert.deepEqual(JSON.parse(res.request().postData()), { code });
        await page.getByTestId('login-sheet').waitFor({ state: 'detached' });
        const done = page.getByTestId('station-detail').getByTestId('checkin-done');
        await done.waitFor();
        assert.equal(await page.getByTestId('detail-name').innerText(), station.name, 'still on the station');
        assert.match(await page.getByTestId('station-detail').getByTestId('checkin-points').innerText(), /\+5\s*积分/);
        assert.deepEqual(seen.errors, []);
      }, server.logs);
      await context.close();
    });
  }

  test('a help request typed without an account is filed right after logging in', async () => {
    const { context, page } = await newPhone(browser, server.baseURL);
    const seen = watch(page);
    await withScreenshot('anonymous-help', page, async () => {
      await page.goto('/#/help');
      await page.getByTestId('help-home').waitFor();
      await page.getByTestId('hr-guest-mine').waitFor();
      await page.getByTestId('hr-new').click();
      await page.getByTestId('hr-form').waitFor();
      const text = `没登录时写的求助 ${Date.now()}：电瓶车在路口没电了`;
      await page.getByTestId('hr-cat-vehicle_breakdown').click();
      await page.getByTestId('hr-description').fill(text);
      await page.getByTestId('hr-submit').click();
      await page.getByTestId('login-sheet').waitFor();
      assert.equal(await page.getByTestId('gate-reason').getAttribute('data-kind'), 'help');
      assert.deepEqual(seen.unauthorized, []);

      // A reload (the phone went to the SMS app) keeps the request waiting for the login.
      await page.reload();
      await page.getByTestId('login-sheet').waitFor();
      const filed = nextResponse(page, 'POST', '/api/v1/help-requests');
      await signInNewRider(page, server);
      const res = await filed;
      assert.equal(res.status(), 201);
      const created = await res.json();
      assert.equal(created.category, 'vehicle_breakdown');
      await page.getByTestId('help-home').waitFor();
      await page.locator(`[data-testid="hr-item"][data-id="${created.id}"]`).waitFor();
      // Once: nothing is left waiting to be filed again.
      assert.equal(await page.evaluate(() => sessionStorage.getItem('warmnew.login_gate')), null);
      assert.deepEqual(seen.errors, []);
    }, server.logs);
    await context.close();
  });

  test('quiz answers given without an account are submitted right after logging in', async () => {
    const { context, page } = await newPhone(browser, server.baseURL);
    await withScreenshot('anonymous-quiz', page, async () => {
      await page.goto('/#/lessons');
      const card = page.getByTestId('lesson-card').first();
      const slug = await card.getAttribute('data-slug');
      await card.locator('button').click();
      await page.getByTestId('lesson-reader').waitFor();
      await page.getByTestId('lesson-start-quiz').click();
      const total = Number(await page.getByTestId('quiz').getAttribute('data-total'));
      for (let i = 0; i < total; i++) {
        await page.locator(`[data-testid="quiz"][data-index="${i}"]`).waitFor();
        await page.getByTestId('quiz-option').first().click();
        await page.getByTestId(i === total - 1 ? 'quiz-submit' : 'quiz-next').click();
      }
      await page.getByTestId('login-sheet').waitFor();
      assert.equal(await page.getByTestId('gate-reason').getAttribute('data-kind'), 'quiz');
      const sent = nextResponse(page, 'POST', `/api/v1/lessons/${slug}/attempts`);
      await signInNewRider(page, server);
      const res = await sent;
      assert.ok(res.ok(), `attempt → ${res.status()}`);
      assert.equal(JSON.parse(res.request().postData()).answers.length, total, 'every answer given before the login');
      await page.getByTestId('quiz-result').waitFor();
    }, server.logs);
    await context.close();
  });

  test('closing the login drops the action; staff logging in from the rider screens get their own home', async () => {
    const { context, page } = await newPhone(browser, server.baseURL);
    await withScreenshot('anonymous-cancel', page, async () => {
      await page.goto('/#/lessons');
      await page.getByTestId('lesson-card').first().waitFor();
      await openTab(page, 'me');
      await page.getByTestId('me-login').click();
      await page.getByTestId('login-sheet').waitFor();
      await page.getByTestId('login-sheet-close').click();
      await page.getByTestId('login-sheet').waitFor({ state: 'detached' });
      assert.equal(await page.evaluate(() => sessionStorage.getItem('warmnew.login_gate')), null);
      await page.reload();
      await page.getByTestId('me-login').waitFor();
      assert.equal(await page.getByTestId('login-sheet').count(), 0);

      const res = await login(page, DEMO.staff);
      assert.equal(res.status(), 200);
      await page.getByTestId('staff-home').waitFor();
      assert.equal(new URL(page.url()).hash, '');
    }, server.logs);
    await context.close();
  });
});

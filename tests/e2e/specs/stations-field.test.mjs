// Issue 11, the 驿站 tab in the field: three cards on a small phone, amenity labels that never
// break, hours in words (never the OSM rule), the check-in entry at the top with its points,
// a check-in made offline that arrives exactly once, a code replaced meanwhile that fails
// clearly, a map dot that opens a preview first, distances from a district's centre, the
// station's call button, English names, and the offline state of an empty cache.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiJson, apiLogin } from '../lib/api.mjs';
import { launchBrowser, newPhone, withScreenshot } from '../lib/browser.mjs';
import { loginAs, nextResponse, openTab } from '../lib/flows.mjs';
import { DEMO, startServer } from '../lib/server.mjs';

const SMALL = { width: 360, height: 640 };

/** A phone whose GPS says it stands at `at`, at `size`. */
async function phoneAt(browser, server, at, size) {
  const phone = await newPhone(browser, server.baseURL);
  if (size) await phone.page.setViewportSize(size);
  await phone.context.grantPermissions(['geolocation'], { origin: server.baseURL });
  await phone.context.setGeolocation({ latitude: at.lat, longitude: at.lng, accuracy: 15 });
  return phone;
}

/** Logged in as the demo rider, location allowed: returns the nearby answer's items. */
async function riderNearby(page) {
  await loginAs(page, DEMO.rider, 'rider-home');
  await page.getByTestId('location-consent').waitFor();
  const [res] = await Promise.all([nextResponse(page, 'GET', '/api/v1/stations/nearby'), page.getByTestId('location-allow').click()]);
  assert.equal(res.status(), 200);
  const { items } = await res.json();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="station-card"]').length === n, items.length);
  return items;
}

/** The rider's check-ins at `stationId`, counted by the server (GET /me/export). */
async function checkInsAt(baseURL, token, stationId) {
  const data = await apiJson(baseURL, '/api/v1/me/export', { token });
  return data.check_ins.filter((c) => c.station_id === stationId).length;
}

const overlaps = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('stations in the field', () => {
  /** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
  /** @type {import('playwright-core').Browser} */ let browser;
  let admin;
  let rider;
  let station;
  let riderAt;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    admin = await apiLogin(server.baseURL, DEMO.admin);
    rider = await apiLogin(server.baseURL, DEMO.rider);
    const op = await apiLogin(server.baseURL, DEMO.operator);
    const me = await apiJson(server.baseURL, '/api/v1/me', { token: op });
    station = await apiJson(server.baseURL, `/api/v1/stations/${me.station_id}`);
    riderAt = { lat: station.lat + 0.0003, lng: station.lng };
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('360×640: three whole cards under the check-in entry, labels in one line, hours in words, a call button', async () => {
    const { context, page, problems } = await phoneAt(browser, server, riderAt, SMALL);
    await withScreenshot('field-small', page, async () => {
      const items = await riderNearby(page);
      await page.evaluate(() => window.scrollTo(0, 0));
      assert.ok(items.length >= 3, `stations near the demo station: ${items.length}`);

      // Three cards wholly inside the first screen: below the header, above the bottom nav.
      const nav = await page.getByTestId('bottom-nav').boundingBox();
      const boxes = await page.getByTestId('station-card').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON()));
      const whole = boxes.filter((b) => b.top >= 0 && b.bottom <= nav.y && b.right <= 360);
      assert.ok(whole.length >= 3, `cards fully visible at 360×640: ${whole.length} (${JSON.stringify(boxes.slice(0, 4).map((b) => [b.top, b.bottom]))}, nav at ${nav.y})`);

      // The check-in entry is at the top, above the first card, and says what it pays.
      const entry = await page.getByTestId('checkin-entry-open').boundingBox();
      assert.ok(entry.y + entry.height <= boxes[0].top && entry.y < 200, `entry at the top: ${JSON.stringify(entry)}`);
      assert.ok(entry.height >= 48, 'a big target');
      assert.match(await page.getByTestId('checkin-entry-open').innerText(), /扫码签到 \/ 输入签到码\s*\+5 积分/);

      // Every amenity label on one line: its height is one line of its text.
      const labels = await page.getByTestId('amenity-label').evaluateAll((els) =>
        els.map((e) => ({ text: e.textContent, h: e.getBoundingClientRect().height, line: parseFloat(getComputedStyle(e).lineHeight), lines: e.querySelector('span').getClientRects().length })),
      );
      assert.ok(labels.length > 0);
      for (const l of labels) assert.ok(l.lines === 1 && l.h < l.line * 1.6, `label “${l.text}” is one line: ${JSON.stringify(l)}`);

      // Hours in words; no OSM rule of any listed station anywhere on the page.
      const rules = [...new Set(items.map((i) => i.opening_hours))];
      const text = await page.evaluate(() => document.body.innerText);
      for (const rule of rules) assert.ok(!text.includes(rule), `the raw rule “${rule}” is not shown`);
      const hours = await page.getByTestId('station-hours').allInnerTexts();
      assert.ok(hours.length === items.length && hours.every((h) => h.trim().length > 0));
      assert.ok(hours.includes('全天开放'), `24/7 in words: ${hours.join(' | ')}`);

      // A station with hours other than 24/7: its detail has them in words too, a tel: call
      // button, and the check-in near the top.
      const other = items.find((i) => i.opening_hours !== '24/7') ?? items[0];
      const [detailRes] = await Promise.all([
        nextResponse(page, 'GET', `/api/v1/stations/${other.id}`),
        page.locator(`[data-testid="station-card"][data-station-id="${other.id}"] button`).click(),
      ]);
      const detail = await detailRes.json();
      await page.getByTestId('detail-call').waitFor();
      assert.match(detail.contact_phone, /^021-0\d{7}$/);
      assert.equal(await page.getByTestId('detail-call').getAttribute('href'), `tel:${detail.contact_phone.replace(/-/g, '')}`);
      assert.match(await page.getByTestId('detail-call').innerText(), /拨打驿站电话/);
      const call = await page.getByTestId('detail-call').boundingBox();
      assert.ok(call.height >= 48, 'the call button is big');
      const detailText = await page.evaluate(() => document.body.innerText);
      assert.ok(!detailText.includes(detail.opening_hours), `the detail shows no OSM rule: ${detail.opening_hours}`);
      assert.notEqual((await page.getByTestId('detail-hours').innerText()).trim(), '');
      const checkin = await page.getByTestId('checkin').boundingBox();
      assert.ok(checkin.y < 640, `check-in starts within the first screen: ${checkin.y}`);
      assert.deepEqual(problems, []);
    }, server.logs);
    await context.close();
  });

  test('a check-in made offline is queued, sent once on reconnect, and shows its points where no button is', async () => {
    const { context, page, problems } = await phoneAt(browser, server, riderAt);
    await withScreenshot('field-offline-checkin', page, async () => {
      await riderNearby(page);
      const before = await checkInsAt(server.baseURL, rider, station.id);
      const { code } = await apiJson(server.baseURL, `/api/v1/stations/${station.id}/checkin-code`, { token: admin });
      const posts = [];
      page.on('request', (r) => r.method() === 'POST' && new URL(r.url()).pathname === `/api/v1/stations/${station.id}/check-ins` && posts.push(r));

      await context.setOffline(true);
      await page.getByTestId('checkin-entry-open').click();
      // The nearest station is chosen for a typed code.
      assert.equal(await page.getByTestId('checkin-station').inputValue(), station.id);
      await page.getByTestId('checkin-code').fill(code);
      await page.getByTestId('checkin-submit').click();
      const state = page.locator(`[data-testid="checkin-state"][data-station-id="${station.id}"]`);
      await page.waitForSelector(`[data-testid="checkin-state"][data-station-id="${station.id}"][data-state="queued"]`);
      assert.match(await state.innerText(), /排队中/);
      // The form closed once sent; opened and sent again offline, it does not queue a second one.
      assert.equal(await page.getByTestId('checkin-code').count(), 0);
      await page.getByTestId('checkin-entry-open').click();
      await page.getByTestId('checkin-code').fill(code);
      await page.getByTestId('checkin-submit').click();
      assert.equal(await page.getByTestId('checkin-state').count(), 1);
      assert.equal(posts.length, 0, 'nothing sent while offline');

      const sent = nextResponse(page, 'POST', `/api/v1/stations/${station.id}/check-ins`);
      await context.setOffline(false);
      const res = await sent;
      assert.ok([200, 201].includes(res.status()), `check-in ${res.status()}`);
      assert.deepEqual(JSON.parse(res.request().postData()), { code });
      const body = await res.json();
      await page.waitForSelector(`[data-testid="checkin-state"][data-station-id="${station.id}"][data-state="done"]`);
      const done = page.getByTestId('checkin-done');
      assert.equal(Number(await done.getAttribute('data-points')), body.points_awarded);
      if (body.points_awarded > 0) assert.equal(await page.getByTestId('checkin-points').innerText(), `+${body.points_awarded} 积分`);
      else assert.match(await done.innerText(), /今日已签到/);

      // The result sits in the page, over no button or link.
      const result = await done.boundingBox();
      const controls = await page.locator('button:visible, a:visible, input:visible, select:visible').evaluateAll((els) =>
        els.map((e) => ({ id: e.getAttribute('data-testid'), box: e.getBoundingClientRect().toJSON() })),
      );
      for (const c of controls) assert.ok(!overlaps(result, c.box), `the result covers ${c.id}`);

      // Exactly once, also after a reload.
      assert.equal(await checkInsAt(server.baseURL, rider, station.id), before + 1, 'one check-in arrived');
      await page.reload();
      await page.getByTestId('station-list').waitFor();
      await page.waitForSelector(`[data-testid="checkin-state"][data-station-id="${station.id}"][data-state="done"]`);
      assert.equal(posts.length, 1, 'sent once');
      assert.equal(await checkInsAt(server.baseURL, rider, station.id), before + 1);
      assert.deepEqual(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(p)), []);
    }, server.logs);
    await context.close();
  });

  test('a code replaced while the check-in waited fails clearly and is not retried', async () => {
    const { context, page } = await phoneAt(browser, server, riderAt);
    await withScreenshot('field-expired-code', page, async () => {
      const items = await riderNearby(page);
      const other = items.find((i) => i.id !== station.id && i.status !== 'closed_permanently');
      const before = await checkInsAt(server.baseURL, rider, other.id);
      const { code } = await apiJson(server.baseURL, `/api/v1/stations/${other.id}/checkin-code`, { token: admin });

      await context.setOffline(true);
      await page.getByTestId('checkin-entry-open').click();
      await page.getByTestId('checkin-station').selectOption(other.id);
      await page.getByTestId('checkin-code').fill(code);
      await page.getByTestId('checkin-submit').click();
      await page.waitForSelector(`[data-testid="checkin-state"][data-station-id="${other.id}"][data-state="queued"]`);
      // The operator prints a new QR meanwhile.
      await apiJson(server.baseURL, `/api/v1/stations/${other.id}/checkin-code/rotate`, { token: admin, method: 'POST' });

      const sent = nextResponse(page, 'POST', `/api/v1/stations/${other.id}/check-ins`);
      await context.setOffline(false);
      assert.equal((await sent).status(), 422);
      await page.waitForSelector(`[data-testid="checkin-state"][data-station-id="${other.id}"][data-state="failed"]`);
      const error = page.locator(`[data-testid="checkin-state"][data-station-id="${other.id}"] [data-testid="checkin-error"]`);
      assert.equal(await error.getAttribute('data-code'), 'invalid_checkin_code');
      assert.match(await error.innerText(), /签到失败.*已更换/s);
      assert.equal(await checkInsAt(server.baseURL, rider, other.id), before);
      // Dismissed, it is gone.
      await page.locator(`[data-testid="checkin-state"][data-station-id="${other.id}"] [data-testid="checkin-dismiss"]`).click();
      assert.equal(await page.locator(`[data-testid="checkin-state"][data-station-id="${other.id}"]`).count(), 0);
    }, server.logs);
    await context.close();
  });

  test('a map dot opens a preview first; without tiles the map says so in words; English names', async () => {
    const { context, page } = await phoneAt(browser, server, riderAt);
    await withScreenshot('field-map', page, async () => {
      const items = await riderNearby(page);
      const [cfg] = await Promise.all([nextResponse(page, 'GET', '/api/v1/config'), page.getByTestId('view-map').click()]);
      const config = await cfg.json();
      await page.waitForFunction((n) => document.querySelectorAll('.station-marker').length === n, items.length);
      if (!config.map_tile_url) assert.equal(await page.getByTestId('map-no-tiles').innerText(), '暂无地图底图，可用列表或导航查看');

      await page.locator(`.station-marker-${station.id}`).dispatchEvent('click');
      const sheet = page.getByTestId('map-preview');
      await sheet.waitFor();
      assert.equal(await page.getByTestId('station-detail').count(), 0, 'the detail is not opened yet');
      assert.equal(await page.getByTestId('preview-name').innerText(), station.name);
      assert.match(await sheet.locator('[data-testid="station-distance"]').innerText(), /米|公里/);
      assert.ok(['open', 'closing_soon', 'closed', 'paused', 'gone'].includes(await page.getByTestId('preview-open-state').getAttribute('data-state')));
      assert.match(await page.getByTestId('preview-navigate').getAttribute('href'), /^https:\/\/uri\.amap\.com\/marker\?/);
      assert.ok(await sheet.isVisible());
      await page.getByTestId('preview-detail').click();
      await page.getByTestId('station-detail').waitFor();
      assert.equal(await page.getByTestId('detail-name').innerText(), station.name);

      // English: name_en in the detail, the list and the map preview.
      assert.ok(station.name_en, 'the demo station has an English name');
      await openTab(page, 'me');
      await page.getByTestId('lang-en').click();
      await openTab(page, 'stations');
      if (await page.getByTestId('station-detail').isVisible()) await page.getByTestId('station-back').click();
      await page.getByTestId('view-list').click();
      const first = page.locator(`[data-testid="station-card"][data-station-id="${station.id}"] [data-testid="station-name"]`);
      assert.equal(await first.innerText(), station.name_en);
      await page.locator(`[data-testid="station-card"][data-station-id="${station.id}"] button`).click();
      await page.waitForFunction((n) => document.querySelector('[data-testid="detail-name"]')?.textContent === n, station.name_en);
      await page.getByTestId('station-back').click();
      await page.getByTestId('view-map').click();
      await page.locator(`.station-marker-${station.id}`).dispatchEvent('click');
      assert.equal(await page.getByTestId('preview-name').innerText(), station.name_en);
      assert.match(await page.getByTestId('preview-detail').innerText(), /Details/);
    }, server.logs);
    // The language is the account's: back to Chinese for the other tests.
    await apiJson(server.baseURL, '/api/v1/me', { token: rider, method: 'PATCH', body: { locale: 'zh-CN' } });
    await context.close();
  });

  test('without location permission, distances are from the district centre', async () => {
    const { context, page } = await newPhone(browser, server.baseURL);
    await page.setViewportSize(SMALL);
    await withScreenshot('field-district', page, async () => {
      await loginAs(page, DEMO.rider, 'rider-home');
      await page.getByTestId('location-consent').waitFor();
      await page.getByTestId('location-allow').click();
      await page.getByTestId('district-picker').waitFor();
      const [res] = await Promise.all([nextResponse(page, 'GET', '/api/v1/stations/nearby'), page.getByTestId('district-310106').click()]);
      const { items } = await res.json();
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="station-card"]').length === n, items.length);
      const distances = await page.getByTestId('station-distance').allInnerTexts();
      assert.ok(distances.length > 0);
      for (const d of distances) assert.match(d, /^距区中心 \d+(\.\d)? (米|公里)$/);
      await page.getByTestId('station-card').first().locator('button').click();
      await page.getByTestId('station-detail').waitFor();
      assert.match(await page.getByTestId('station-detail').getByTestId('station-distance').innerText(), /^距区中心 /);
    }, server.logs);
    await context.close();
  });

  test('an empty cache and a connection that hangs: the offline state within 10 s, with a retry', async () => {
    const { context, page } = await phoneAt(browser, server, riderAt, SMALL);
    await withScreenshot('field-hang', page, async () => {
      await loginAs(page, DEMO.rider, 'rider-home');
      await page.getByTestId('location-consent').waitFor();
      // A dead connection: the request goes out and nothing ever comes back.
      await page.route('**/api/v1/stations/**', () => {});
      const started = Date.now();
      await page.getByTestId('location-allow').click();
      await page.getByTestId('stations-offline').waitFor({ timeout: 10_000 });
      assert.ok(Date.now() - started <= 10_000, `offline state after ${Date.now() - started} ms`);
      assert.equal(await page.getByTestId('stations-offline').getAttribute('data-code'), 'network');
      assert.match(await page.getByTestId('stations-offline').innerText(), /连不上网络/);
      // The connection comes back: retry shows the list.
      await page.unroute('**/api/v1/stations/**');
      const [res] = await Promise.all([nextResponse(page, 'GET', '/api/v1/stations/nearby'), page.getByTestId('stations-retry').click()]);
      assert.equal(res.status(), 200);
      await page.getByTestId('station-card').first().waitFor();
      const shown = await page.getByTestId('station-card').count();

      // Hanging again, now with a kept copy: the copy stays, with its age, within 10 s.
      await page.route('**/api/v1/stations/**', () => {});
      const again = Date.now();
      await page.getByTestId('stations-refresh').click();
      await page.getByTestId('stations-error').waitFor({ timeout: 10_000 });
      assert.ok(Date.now() - again <= 10_000);
      assert.equal(await page.getByTestId('stations-error').getAttribute('data-code'), 'network');
      assert.equal(await page.getByTestId('stations-age').getAttribute('data-stale'), 'true');
      assert.match(await page.getByTestId('stations-age').innerText(), /的数据/);
      assert.equal(await page.getByTestId('station-card').count(), shown);
      await page.unroute('**/api/v1/stations/**');
    }, server.logs);
    await context.close();
  });

  test('an empty cache and no network at all: the offline state at once, with a retry', async () => {
    const { context, page } = await phoneAt(browser, server, riderAt);
    await withScreenshot('field-offline-empty', page, async () => {
      await loginAs(page, DEMO.rider, 'rider-home');
      await page.getByTestId('location-consent').waitFor();
      await context.setOffline(true);
      const started = Date.now();
      await page.getByTestId('location-allow').click();
      await page.getByTestId('stations-offline').waitFor({ timeout: 10_000 });
      assert.ok(Date.now() - started <= 10_000);
      await context.setOffline(false);
      const [res] = await Promise.all([nextResponse(page, 'GET', '/api/v1/stations/nearby'), page.getByTestId('stations-retry').click()]);
      assert.equal(res.status(), 200);
      await page.getByTestId('station-card').first().waitFor();
    }, server.logs);
    await context.close();
  });
});

// Issue 4: help requests (诉求). A rider files a request while offline (one entry for a double
// tap), it goes out when the network returns and appears as 已提交; the demo operator accepts,
// starts and resolves it from the queue while the rider's detail (another browser, open all the
// time) follows live over SSE; the rider rates it and it is closed. The queue shows a request
// that arrives while it is open with a "new" badge; reject needs a note; SOS files an `sos`
// request with the rough location.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiJson, apiLogin } from '../lib/api.mjs';
import { launchBrowser, newPhone, withScreenshot } from '../lib/browser.mjs';
import { loginAs, nextResponse, openTab, waitForText } from '../lib/flows.mjs';
import { DEMO, startServer } from '../lib/server.mjs';

/** A phone whose GPS says it stands at `at` (permission granted). */
async function phoneAt(browser, server, at) {
  const phone = await newPhone(browser, server.baseURL);
  await phone.context.grantPermissions(['geolocation'], { origin: server.baseURL });
  await phone.context.setGeolocation({ latitude: at.lat, longitude: at.lng, accuracy: 15 });
  return phone;
}

/** Waits until the element matching `selector` has attribute `name` = `value`. */
async function waitForAttr(page, selector, name, value, timeout = 10_000) {
  try {
    await page.waitForFunction(([s, n, v]) => document.querySelector(s)?.getAttribute(n) === v, [selector, name, value], { timeout });
  } catch {
    const shown = await page.evaluate(([s, n]) => document.querySelector(s)?.getAttribute(n) ?? '<missing>', [selector, name]);
    throw new Error(`${selector} has ${name}=${JSON.stringify(shown)}, expected ${JSON.stringify(value)}`);
  }
}

/** Files a request through the API as the given rider; returns the detail. */
async function fileByApi(baseURL, token, body, key = crypto.randomUUID()) {
  const res = await fetch(`${baseURL}/api/v1/help-requests`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': key },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  assert.equal(res.status, 201, text.slice(0, 300));
  return { detail: JSON.parse(text), replayed: res.headers.get('Idempotent-Replayed') };
}

describe('help requests', () => {
  /** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
  /** @type {import('playwright-core').Browser} */ let browser;
  let station;
  let riderAt;
  let riderToken;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const operatorToken = await apiLogin(server.baseURL, DEMO.operator);
    const me = await apiJson(server.baseURL, '/api/v1/me', { token: operatorToken });
    assert.ok(me.station_id, 'the demo operator runs a station');
    station = await apiJson(server.baseURL, `/api/v1/stations/${me.station_id}`);
    assert.equal(station.name, '静安寺街道暖新驿站');
    riderAt = { lat: station.lat + 0.0003, lng: station.lng };
    riderToken = await apiLogin(server.baseURL, DEMO.rider);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const mine = async () => (await apiJson(server.baseURL, '/api/v1/help-requests?per_page=100', { token: riderToken })).items;

  test('filed offline, delivered once online, handled by the operator while the rider watches live, rated and closed', async () => {
    const rider = await phoneAt(browser, server, riderAt);
    const op = await newPhone(browser, server.baseURL);
    const { page } = rider;
    const text = `电动车在南京西路爆胎，离线提交 ${Date.now()}`;
    await withScreenshot('help-rider-offline', page, async () => {
      await loginAs(page, DEMO.rider, 'rider-home');
      await page.getByTestId('tab-help').click();
      await page.getByTestId('help-home').waitFor();
      await page.getByTestId('hr-new').click();
      await page.getByTestId('hr-form').waitFor();

      // Online still: the rough location finds the stations around; pick the operator's.
      const [nearby] = await Promise.all([nextResponse(page, 'GET', '/api/v1/stations/nearby'), page.getByTestId('hr-use-location').click()]);
      assert.equal(nearby.status(), 200);
      await page.getByTestId('hr-location-set').waitFor();
      const option = page.locator(`[data-testid="hr-station-option"][data-station-id="${station.id}"]`);
      await option.click();
      assert.equal(await option.getAttribute('aria-checked'), 'true');

      // Into the basement.
      await rider.context.setOffline(true);
      await page.getByTestId('offline-banner').waitFor();
      await page.getByTestId('hr-cat-vehicle_breakdown').click();
      await page.getByTestId('hr-urgency-urgent').click();
      assert.equal(await page.getByTestId('hr-sla').innerText(), '2 小时内受理，3 天内办结');
      await page.getByTestId('hr-description').fill(text);
      assert.equal(await page.getByTestId('hr-description-count').innerText(), `${[...text].length} / 2000`);
      // A double tap: two clicks before the page can react.
      await page.evaluate(() => {
        const b = /** @type {HTMLButtonElement} */ (document.querySelector('[data-testid="hr-submit"]'));
        b.click();
        b.click();
      });
      await page.getByTestId('help-home').waitFor();
      const item = page.getByTestId('hr-outbox-item');
      await item.waitFor();
      assert.equal(await item.count(), 1, 'one entry for a double tap');
      assert.equal(await item.getAttribute('data-state'), 'queued');
      assert.equal(await item.getByTestId('hr-outbox-state').innerText(), '排队中');
      await item.getByTestId('hr-outbox-waiting').waitFor();
      assert.equal((await mine()).filter((r) => r.description_preview.startsWith('电动车在南京西路爆胎')).length, 0, 'nothing reached the server');

      // Back online: it goes out by itself, once.
      const posted = nextResponse(page, 'POST', '/api/v1/help-requests');
      await rider.context.setOffline(false);
      const res = await posted;
      assert.equal(res.status(), 201);
      const created = await res.json();
      assert.equal(created.station_id, station.id);
      assert.equal(created.status, 'submitted');
      assert.equal(created.urgency, 'urgent');
      await waitForAttr(page, '[data-testid="hr-outbox-item"]', 'data-state', 'sent');
      assert.equal(await page.getByTestId('hr-outbox-state').innerText(), '已送达');
      const row = page.locator(`[data-testid="hr-item"][data-id="${created.id}"]`);
      await row.waitFor();
      assert.equal(await row.getByTestId('hr-status').innerText(), '已提交');
      assert.match(await row.getByTestId('hr-due').innerText(), /内受理$/);
      const ours = (await mine()).filter((r) => r.description_preview.startsWith('电动车在南京西路爆胎'));
      assert.equal(ours.length, 1, 'sent once');

      // The rider keeps the detail open from here on.
      await row.locator('button').click();
      await page.getByTestId('hr-detail').waitFor();
      assert.equal(await page.getByTestId('hr-detail-status').innerText(), '已提交');
      assert.equal(await page.getByTestId('hr-detail-description').innerText(), text);
      assert.equal(await page.getByTestId('hr-detail-station').innerText(), '静安寺街道暖新驿站');
      await page.locator('[data-testid="hr-live"][data-live="true"]').waitFor();
      await page.evaluate(() => (/** @type {any} */ (window).__notReloaded = true));

      // The operator's queue, on another phone.
      await withScreenshot('help-operator', op.page, async () => {
        await loginAs(op.page, DEMO.operator, 'operator-home');
        await openTab(op.page, 'help');
        const queue = op.page.getByTestId('help-queue');
        const qrow = queue.locator(`[data-testid="hr-item"][data-id="${created.id}"]`);
        await qrow.waitFor();
        assert.equal(await qrow.getByTestId('hr-status').innerText(), '已提交');
        await qrow.locator('button').click();
        await op.page.getByTestId('hq-detail').waitFor();
        assert.equal(await op.page.getByTestId('hq-rider-phone').innerText(), '138****0001');
        assert.equal(await op.page.getByTestId('hq-description').innerText(), text);
        // Where the rider was, as a place; never as coordinates.
        assert.match(await op.page.getByTestId('hq-place').innerText(), /静安寺街道暖新驿站/);
        assert.doesNotMatch(await op.page.getByTestId('hq-detail').innerText(), /\d+\.\d{3}\s*,\s*\d+\.\d{3}/);

        const step = async (action, status, riderStatus) => {
          const [r] = await Promise.all([
            nextResponse(op.page, 'POST', `/api/v1/help-requests/${created.id}/transitions`),
            op.page.getByTestId(`hq-action-${action}`).click(),
          ]);
          assert.equal(r.status(), 200, `${action}: ${await r.text()}`);
          await waitForText(op.page, 'hq-status', status);
          // The rider's screen follows without a reload.
          await waitForText(page, 'hr-detail-status', riderStatus);
        };
        await step('accept', '已受理', '已受理');
        await step('start', '处理中', '处理中');
        await op.page.getByTestId('hq-note').fill('已联系附近修车师傅，车胎已补好');
        await step('resolve', '已解决', '已解决');
      }, server.logs);

      assert.equal(await page.evaluate(() => /** @type {any} */ (window).__notReloaded), true, 'the rider page was not reloaded');
      await page.locator('[data-testid="hr-timeline-note"]', { hasText: '已联系附近修车师傅' }).waitFor();
      await page.getByTestId('hr-rate').waitFor();
      await page.getByTestId('hr-rate-5').click();
      const [fb] = await Promise.all([
        nextResponse(page, 'POST', `/api/v1/help-requests/${created.id}/feedback`),
        page.getByTestId('hr-rate-submit').click(),
      ]);
      assert.equal(fb.status(), 200);
      await waitForText(page, 'hr-detail-status', '已办结');
      assert.match(await page.getByTestId('hr-rated').innerText(), /5 星/);
      const final = await apiJson(server.baseURL, `/api/v1/help-requests/${created.id}`, { token: riderToken });
      assert.equal(final.status, 'closed');
      assert.equal(final.feedback.rating, 5);
    }, server.logs);
    await op.context.close();
    await rider.context.close();
  });

  test('the open queue shows a new request live with a badge; reject needs a note; a replayed key creates nothing new', async () => {
    const op = await newPhone(browser, server.baseURL);
    await withScreenshot('help-queue-live', op.page, async () => {
      await loginAs(op.page, DEMO.operator, 'operator-home');
      await openTab(op.page, 'help');
      const queue = op.page.getByTestId('help-queue');
      await queue.getByTestId('hq-filters').waitFor();
      await op.page.locator('[data-testid="help-queue"] [data-testid="hr-live"][data-live="true"]').waitFor();

      const key = crypto.randomUUID();
      const body = { category: 'customer_dispute', urgency: 'normal', description: '顾客拒收并投诉，需要调解', station_id: station.id };
      const first = await fileByApi(server.baseURL, riderToken, body, key);
      const again = await fileByApi(server.baseURL, riderToken, body, key);
      assert.equal(again.detail.id, first.detail.id);
      assert.equal(again.replayed, 'true');

      const qrow = queue.locator(`[data-testid="hr-item"][data-id="${first.detail.id}"]`);
      await qrow.waitFor();
      await qrow.getByTestId('hr-new-badge').waitFor();
      await queue.getByTestId('hq-new-count').waitFor();
      await qrow.locator('button').click();
      await op.page.getByTestId('hq-detail').waitFor();
      assert.equal(await op.page.getByTestId('hr-new-badge').count(), 0, 'opened: no longer new');

      // Reject without a reason is stopped here, with the reason it is sent.
      await op.page.getByTestId('hq-action-reject').click();
      assert.equal(await op.page.getByTestId('hq-note-error').innerText(), '驳回需要填写原因');
      await op.page.getByTestId('hq-note').fill('属于平台纠纷，请通过平台申诉');
      const [r] = await Promise.all([
        nextResponse(op.page, 'POST', `/api/v1/help-requests/${first.detail.id}/transitions`),
        op.page.getByTestId('hq-action-reject').click(),
      ]);
      assert.equal(r.status(), 200);
      await waitForText(op.page, 'hq-status', '已驳回');
      await op.page.getByTestId('hq-no-actions').waitFor();
      await op.page.getByTestId('hq-back').click();
      // Rejected is not to do any more.
      await queue.locator(`[data-testid="hr-item"][data-id="${first.detail.id}"]`).waitFor({ state: 'detached' });
    }, server.logs);
    await op.context.close();
  });

  test('SOS asks once and files an sos request with the rough location', async () => {
    const rider = await phoneAt(browser, server, { lat: 31.2237481, lng: 121.4456119 });
    const { page } = rider;
    await withScreenshot('help-sos', page, async () => {
      await loginAs(page, DEMO.rider, 'rider-home');
      await page.getByTestId('tab-help').click();
      await page.getByTestId('hr-sos').click();
      // The SOS screen: the emergency calls first, then the request.
      await page.getByTestId('sos-screen').getByTestId('call-120').waitFor();
      await page.getByTestId('hr-sos-send').click();
      const dialog = page.getByTestId('hr-sos-dialog');
      await dialog.waitFor();
      assert.match(await dialog.innerText(), /医疗求助/);
      const posted = nextResponse(page, 'POST', '/api/v1/help-requests');
      await page.getByTestId('hr-sos-dialog-confirm').click();
      const res = await posted;
      assert.equal(res.status(), 201);
      const sos = await res.json();
      assert.equal(sos.urgency, 'sos');
      assert.equal(sos.category, 'medical');
      assert.match(sos.description, /^SOS 紧急求助 · 位置约 31\.224, 121\.446$/);
      const request = JSON.parse(res.request().postData() ?? '{}');
      assert.deepEqual([request.lat, request.lng], [31.224, 121.446], 'coarsened before sending');
      await dialog.waitFor({ state: 'detached' });
      const row = page.locator(`[data-testid="hr-item"][data-id="${sos.id}"]`);
      await row.waitFor();
      assert.equal(await row.getByTestId('hr-urgency').innerText(), 'SOS');
      assert.match(await row.getByTestId('hr-due').innerText(), /^(30|29) 分钟内受理$/);
    }, server.logs);
    await rider.context.close();
  });
});

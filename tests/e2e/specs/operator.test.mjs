// Issue 9: the operator console. Services logged offline wait in the outbox ("待同步 5"), go out
// once when the network returns and the day's summary counts exactly 5 more; an answer lost
// mid-sync is resent with its key and counted once; 已满 reaches the riders' nearby list; a new
// help request rings (beep + notification) on any tab and one passed up to the street shows
// as 已上报; a long press asks how many; undo takes an entry back (unsent: dropped, sent:
// voided); a rider identified by their code gets the service in their name and sees it in 我的;
// the opening hours are edited without OSM syntax; and the console on a landscape tablet.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiJson, apiLogin } from '../lib/api.mjs';
import { launchBrowser, newPhone, withScreenshot } from '../lib/browser.mjs';
import { loginAs, nextResponse, openTab, waitForText } from '../lib/flows.mjs';
import { DEMO, startServer } from '../lib/server.mjs';

/** Today in Shanghai, as the summary names it. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
const quantityOf = (summary, type) => summary.services.find((s) => s.service_type === type)?.quantity ?? 0;

/** Waits until `[data-testid=testid]` has `data-count` = n. */
async function waitForCount(page, testid, n, timeout = 10_000) {
  try {
    await page.waitForFunction(([id, want]) => document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-count') === String(want), [testid, n], { timeout });
  } catch {
    const shown = await page.evaluate((id) => document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-count') ?? '<missing>', testid);
    throw new Error(`[data-testid=${testid}] counts ${shown}, expected ${n}`);
  }
}

/** The outbox's entries in IndexedDB, as the page sees them. */
const outboxEntries = (page) =>
  page.evaluate(
    () =>
      new Promise((ok, fail) => {
        const req = indexedDB.open('warmnew-service-logs');
        req.onerror = () => fail(req.error);
        req.onsuccess = () => {
          const all = req.result.transaction('entries').objectStore('entries').getAll();
          all.onsuccess = () => ok(all.result.map((e) => ({ type: e.body.service_type, sent: !!e.sentAt, key: e.batch?.key ?? null })));
          all.onerror = () => fail(all.error);
        };
      }),
  );

/** Holds the pointer down on the element until `until` shows, then lets go. */
async function longPress(page, testid, until) {
  const box = await page.getByTestId(testid).boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.getByTestId(until).waitFor();
  await page.mouse.up();
}

describe('operator console', () => {
  /** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
  /** @type {import('playwright-core').Browser} */ let browser;
  let opToken;
  let riderToken;
  let station;

  const summary = () => apiJson(server.baseURL, `/api/v1/stations/${station.id}/summary?date=${today()}`, { token: opToken });
  const logsPath = () => `/api/v1/stations/${station.id}/service-logs`;

  /** The operator's phone on the log tab, once today's counters hold the server's summary. */
  async function operatorOnLog(opts = {}) {
    const phone = await newPhone(browser, server.baseURL, opts);
    const first = phone.page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/stations/${station.id}/summary` && r.status() === 200);
    await loginAs(phone.page, DEMO.operator, 'operator-home');
    await first;
    await phone.page.getByTestId('panel-log').getByTestId('svc-grid').waitFor();
    return phone;
  }

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    opToken = await apiLogin(server.baseURL, DEMO.operator);
    riderToken = await apiLogin(server.baseURL, DEMO.rider);
    const me = await apiJson(server.baseURL, '/api/v1/me', { token: opToken });
    station = await apiJson(server.baseURL, `/api/v1/stations/${me.station_id}`);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('five services logged offline wait as 待同步 5, go out once online, and today counts exactly 5 more', async () => {
    const { context, page, problems } = await operatorOnLog();
    await withScreenshot('operator-offline-log', page, async () => {
      const before = await summary();
      const hotWater = quantityOf(before, 'hot_water');
      await waitForCount(page, 'svc-hot_water', hotWater);
      await waitForCount(page, 'sl-pending', 0);

      const posts = [];
      page.on('request', (r) => r.method() === 'POST' && new URL(r.url()).pathname === logsPath() && posts.push(r));
      await context.setOffline(true);
      await page.getByTestId('offline-banner').waitFor();
      for (let i = 1; i <= 5; i++) {
        await page.getByTestId('svc-hot_water').click();
        await waitForCount(page, 'svc-hot_water', hotWater + i);
      }
      await waitForCount(page, 'sl-pending', 5);
      assert.equal(await page.getByTestId('sl-pending').innerText(), '待同步 5');
      assert.equal(await page.getByTestId('tab-log-badge').innerText(), '5');
      await page.getByTestId('sl-waiting').waitFor();
      // Kept in IndexedDB, not sent.
      const kept = await outboxEntries(page);
      assert.equal(kept.filter((e) => e.type === 'hot_water' && !e.sent).length, 5);
      assert.equal(posts.length, 0, 'nothing is tried while offline');

      // Back online: one batch of 5 with an Idempotency-Key.
      const sent = nextResponse(page, 'POST', logsPath());
      await context.setOffline(false);
      const res = await sent;
      assert.equal(res.status(), 201);
      const body = res.request().postDataJSON();
      assert.ok(Array.isArray(body));
      assert.equal(body.filter((e) => e.service_type === 'hot_water').length, 5);
      const key = res.request().headers()['idempotency-key'];
      assert.ok(key && key.length <= 100, key);
      await waitForCount(page, 'sl-pending', 0);
      assert.equal(await page.getByTestId('sl-pending').innerText(), '已全部同步');
      assert.equal(await page.getByTestId('tab-log-badge').count(), 0);
      await waitForCount(page, 'svc-hot_water', hotWater + 5);

      const after1 = await summary();
      assert.equal(after1.services_total, before.services_total + 5);
      assert.equal(quantityOf(after1, 'hot_water'), hotWater + 5);
      // The same batch again (as a phone would resend it) is a replay and changes nothing.
      const replay = await fetch(`${server.baseURL}${logsPath()}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${opToken}`, 'Content-Type': 'application/json', 'Idempotency-Key': key },
        body: JSON.stringify(body),
      });
      assert.equal(replay.status, 201);
      assert.equal(replay.headers.get('idempotent-replayed'), 'true');
      assert.equal((await summary()).services_total, before.services_total + 5);

      // 今日 shows the server's figures.
      await openTab(page, 'today');
      await waitForText(page, 'td-services-value', String(before.services_total + 5));
      await page.locator(`[data-testid="td-type"][data-type="hot_water"][data-quantity="${hotWater + 5}"]`).waitFor();
      assert.deepEqual(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|Failed to load resource/.test(p)), []);
    }, server.logs);
    await context.close();
  });

  test('an answer lost mid-sync is sent again with the same key and counted once', async () => {
    const { context, page } = await operatorOnLog();
    await withScreenshot('operator-lost-answer', page, async () => {
      const before = await summary();
      // The first POST reaches the server, but its answer never comes back.
      let cut = 0;
      await page.route(`**${logsPath()}`, async (route) => {
        if (route.request().method() !== 'POST' || cut > 0) return route.fallback();
        cut++;
        await route.fetch();
        await route.abort('connectionreset');
      });
      const cutOff = page.waitForEvent('requestfailed', (r) => r.method() === 'POST' && new URL(r.url()).pathname === logsPath());
      await page.getByTestId('svc-drinking_water').click();
      const first = await cutOff;
      // The phone thinks the network failed: the entry still waits, with its batch formed.
      await page.getByTestId('sl-waiting').waitFor();
      await page.locator('[data-testid="sl-pending"][data-count="1"]').waitFor();
      assert.equal((await summary()).services_total, before.services_total + 1, 'the server has it');

      const [again] = await Promise.all([nextResponse(page, 'POST', logsPath()), page.getByTestId('sl-sync-now').click()]);
      assert.equal(again.status(), 201);
      assert.equal(again.headers()['idempotent-replayed'], 'true');
      assert.equal(again.request().headers()['idempotency-key'], first.headers()['idempotency-key']);
      assert.equal(again.request().postData(), first.postData());
      await waitForCount(page, 'sl-pending', 0);
      assert.equal((await summary()).services_total, before.services_total + 1);
    }, server.logs);
    await context.close();
  });

  test('已满 on the console reaches the riders’ nearby list', async () => {
    const { context, page } = await operatorOnLog();
    await withScreenshot('operator-full', page, async () => {
      const nearby = async () => (await apiJson(server.baseURL, `/api/v1/stations/nearby?lat=${station.lat}&lng=${station.lng}&radius_m=500`)).items.find((s) => s.id === station.id);
      await page.getByTestId('station-bar').waitFor();
      if ((await page.getByTestId('op-status-open').getAttribute('aria-pressed')) !== 'true') {
        await Promise.all([nextResponse(page, 'PATCH', `/api/v1/stations/${station.id}`), page.getByTestId('op-status-open').click()]);
      }
      assert.notEqual((await nearby()).status, 'full');
      // On the log tab: the bar is on every tab.
      const [patch] = await Promise.all([nextResponse(page, 'PATCH', `/api/v1/stations/${station.id}`), page.getByTestId('op-status-full').click()]);
      assert.equal(patch.status(), 200);
      assert.deepEqual(patch.request().postDataJSON(), { status: 'full' });
      await page.locator('[data-testid="op-status-full"][aria-pressed="true"]').waitFor();
      assert.equal((await nearby()).status, 'full');
      // And open again for the other tests.
      await Promise.all([nextResponse(page, 'PATCH', `/api/v1/stations/${station.id}`), page.getByTestId('op-status-open').click()]);
      assert.equal((await nearby()).status, 'open');
    }, server.logs);
    await context.close();
  });

  test('a new help request rings on any tab (beep and notification, asked once); one passed up shows as 已上报', async () => {
    const phone = await newPhone(browser, server.baseURL);
    const { context, page } = phone;
    // Count what the page asks of the speaker and the notification centre.
    await context.addInitScript(() => {
      const w = /** @type {any} */ (window);
      w.__beeps = 0;
      w.__notes = [];
      w.__asked = 0;
      class FakeAudio {
        constructor() {
          this.state = 'running';
          this.currentTime = 0;
          this.destination = {};
        }
        resume() {
          return Promise.resolve();
        }
        createOscillator() {
          w.__beeps++;
          return { type: '', frequency: { value: 0 }, connect: (n) => n, start() {}, stop() {} };
        }
        createGain() {
          const node = { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} }, connect: (n) => n };
          return node;
        }
      }
      w.AudioContext = FakeAudio;
      class FakeNotification {
        static permission = 'default';
        static requestPermission() {
          w.__asked++;
          FakeNotification.permission = 'granted';
          return Promise.resolve('granted');
        }
        constructor(title, options) {
          w.__notes.push({ title, body: options?.body ?? '' });
        }
        close() {}
      }
      w.Notification = FakeNotification;
    });
    await withScreenshot('operator-ring', page, async () => {
      await loginAs(page, DEMO.operator, 'operator-home');
      await openTab(page, 'help');
      // Asked once, on a tap; granted, the question goes.
      await page.getByTestId('notify-ask').waitFor();
      await page.getByTestId('notify-yes').click();
      await page.getByTestId('notify-ask').waitFor({ state: 'detached' });
      assert.equal(await page.evaluate(() => /** @type {any} */ (window).__asked), 1);
      await page.locator('[data-testid="help-queue"] [data-testid="hr-live"][data-live="true"]').waitFor();

      // On another tab, a rider asks this station for help.
      await openTab(page, 'log');
      const body = { category: 'vehicle_breakdown', urgency: 'urgent', description: '电动车没电了，能不能借个充电宝', station_id: station.id, lat: station.lat, lng: station.lng, coord: 'wgs84' };
      const res = await fetch(`${server.baseURL}/api/v1/help-requests`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${riderToken}`, 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
        body: JSON.stringify(body),
      });
      assert.equal(res.status, 201, await res.clone().text());
      const created = await res.json();
      await page.locator('[data-testid="operator-home"][data-alerts="1"]').waitFor();
      await waitForText(page, 'tab-help-badge', '1');
      await page.waitForFunction(() => /** @type {any} */ (window).__beeps >= 2);
      await page.waitForFunction(() => /** @type {any} */ (window).__notes.length === 1);
      const [note] = await page.evaluate(() => /** @type {any} */ (window).__notes);
      assert.equal(note.title, '新求助：车辆故障');
      assert.match(note.body, /紧急/);
      assert.doesNotMatch(note.body, /充电宝/, 'no complaint text on the lock screen');

      // The queue marks it new until opened.
      await openTab(page, 'help');
      const row = page.getByTestId('hq-list').locator(`[data-testid="hr-item"][data-id="${created.id}"]`);
      await row.getByTestId('hr-new-badge').waitFor();
      await row.locator('button').click();
      await page.getByTestId('hq-detail').waitFor();
      assert.match(await page.getByTestId('hq-place').innerText(), /静安/);
      assert.equal(await page.getByTestId('tab-help-badge').count(), 0);
      await page.getByTestId('hq-back').click();

      // Passed up to the street: nothing for the station to do, so under 已上报, not in 待办.
      const esc = await apiJson(server.baseURL, `/api/v1/help-requests/${created.id}/transitions`, { token: opToken, method: 'POST', body: { action: 'escalate', note: '需要街道协调' } });
      assert.equal(esc.tier, 'street');
      const reported = page.getByTestId('hq-reported').locator(`[data-testid="hr-item"][data-id="${created.id}"]`);
      await reported.waitFor();
      assert.equal(await page.getByTestId('hq-list').locator(`[data-testid="hr-item"][data-id="${created.id}"]`).count(), 0);
      // Escalating is not a new request: no second ring.
      assert.equal(await page.evaluate(() => /** @type {any} */ (window).__notes.length), 1);

      // Asked once: a reload does not ask again.
      await page.reload();
      await page.getByTestId('operator-home').waitFor();
      await page.getByTestId('panel-help').waitFor();
      assert.equal(await page.getByTestId('notify-ask').count(), 0);
    }, server.logs);
    await context.close();
  });

  test('a long press asks how many; undo drops an unsent entry and voids a sent one', async () => {
    const { context, page } = await operatorOnLog();
    await withScreenshot('operator-long-press', page, async () => {
      const before = await summary();
      const toilet = quantityOf(before, 'toilet');
      await waitForCount(page, 'svc-toilet', toilet);

      // A long press: the picker opens while the pointer is still down.
      await longPress(page, 'svc-toilet', 'qty-picker');
      assert.match(await page.getByTestId('qty-picker').innerText(), /如厕：登记几次？/);
      await page.getByTestId('qty-chip-3').click();
      assert.equal(await page.getByTestId('qty-value').inputValue(), '3');
      await page.getByTestId('qty-plus').click();
      const [sent] = await Promise.all([nextResponse(page, 'POST', logsPath()), page.getByTestId('qty-confirm').click()]);
      await page.getByTestId('qty-picker').waitFor({ state: 'detached' });
      assert.equal(sent.status(), 201);
      assert.deepEqual(
        sent.request().postDataJSON().map((e) => [e.service_type, e.quantity]),
        [['toilet', 4]],
      );
      const logged = (await sent.json()).items[0];
      await waitForText(page, 'undo-text', '已登记：如厕 ×4');
      await waitForCount(page, 'svc-toilet', toilet + 4);
      await waitForCount(page, 'sl-pending', 0);
      assert.equal(quantityOf(await summary(), 'toilet'), toilet + 4);

      // Undo a sent entry: voided on the server with the reason, and the counter goes back.
      const [voided] = await Promise.all([nextResponse(page, 'POST', `${logsPath()}/${logged.id}/void`), page.getByTestId('undo-button').click()]);
      assert.equal(voided.status(), 200);
      assert.deepEqual(voided.request().postDataJSON(), { reason: '撤销' });
      await waitForText(page, 'undo-text', '已撤销：如厕 ×4');
      await waitForCount(page, 'svc-toilet', toilet);
      assert.equal(quantityOf(await summary(), 'toilet'), toilet);
      const list = await apiJson(server.baseURL, `${logsPath()}?type=toilet&include_void=true&per_page=100`, { token: opToken });
      const entry = list.items.find((x) => x.id === logged.id);
      assert.ok(entry.voided_at, 'kept, marked void');
      assert.equal(entry.void_reason, '撤销');

      // Undo an entry not sent yet: it leaves the outbox and never reaches the server.
      const wifi = quantityOf(await summary(), 'wifi');
      const posts = [];
      page.on('request', (r) => r.method() === 'POST' && new URL(r.url()).pathname === logsPath() && posts.push(r.postDataJSON()));
      await context.setOffline(true);
      await page.getByTestId('offline-banner').waitFor();
      await page.getByTestId('svc-wifi').click();
      await waitForCount(page, 'sl-pending', 1);
      await waitForCount(page, 'svc-wifi', wifi + 1);
      await page.getByTestId('undo-button').click();
      await waitForCount(page, 'sl-pending', 0);
      await waitForCount(page, 'svc-wifi', wifi);
      assert.equal((await outboxEntries(page)).filter((e) => !e.sent).length, 0);
      await context.setOffline(false);
      await page.getByTestId('offline-banner').waitFor({ state: 'detached' });
      // A tap after it goes out alone: the undone one is not in any batch.
      const [next] = await Promise.all([nextResponse(page, 'POST', logsPath()), page.getByTestId('svc-umbrella').click()]);
      assert.equal(next.status(), 201);
      assert.deepEqual(posts.flat().map((e) => e.service_type), ['umbrella']);
      assert.equal(quantityOf(await summary(), 'wifi'), wifi);

      // A plain tap never opens the picker.
      await page.getByTestId('svc-umbrella').click();
      assert.equal(await page.getByTestId('qty-picker').count(), 0);
      await waitForCount(page, 'sl-pending', 0);
    }, server.logs);
    await context.close();
  });

  test('a rider identified by their code gets the service in their name and sees it under 我接受的服务', async () => {
    const { context, page } = await operatorOnLog();
    const rider = await newPhone(browser, server.baseURL);
    await withScreenshot('operator-rider', page, async () => {
      // The rider shows their code (the same one redeems points): the screen says what it is for.
      await loginAs(rider.page, DEMO.rider, 'rider-home');
      await openTab(rider.page, 'me');
      await rider.page.getByTestId('show-code').click();
      await rider.page.locator('[data-testid="code-screen"][data-state="active"]').waitFor();
      assert.equal(await rider.page.getByTestId('code-mode').innerText(), '出示给驿站管理员：登记服务 / 兑换奖励');
      const code = await rider.page.getByTestId('code-digits').getAttribute('data-code');

      await page.getByTestId('sl-rider-open').click();
      await page.getByTestId('sl-rider-code').fill('12');
      await page.getByTestId('sl-rider-submit').click();
      assert.equal(await page.getByTestId('sl-rider-error').innerText(), '骑手的码是 6 位数字');
      await page.getByTestId('sl-rider-code').fill(code);
      const [ident] = await Promise.all([nextResponse(page, 'POST', `/api/v1/stations/${station.id}/rider-identifications`), page.getByTestId('sl-rider-submit').click()]);
      assert.equal(ident.status(), 201);
      const who = await ident.json();
      await waitForText(page, 'sl-rider-name', `${who.display_name} · 138****0001`);

      const [sent] = await Promise.all([nextResponse(page, 'POST', logsPath()), page.getByTestId('svc-phone_charging').click()]);
      assert.equal(sent.status(), 201);
      assert.equal(sent.request().postDataJSON()[0].rider_id, who.rider_id);
      await waitForText(page, 'undo-text', `已登记：手机充电 ×1（${who.display_name}）`);
      await page.getByTestId('sl-rider-clear').click();
      await page.getByTestId('sl-rider-open').waitFor();
      const [plain] = await Promise.all([nextResponse(page, 'POST', logsPath()), page.getByTestId('svc-phone_charging').click()]);
      assert.equal(plain.request().postDataJSON()[0].rider_id, undefined);

      const mine = await apiJson(server.baseURL, '/api/v1/me/services?per_page=100', { token: riderToken });
      assert.equal(mine.items.filter((s) => s.service_type === 'phone_charging' && s.station_id === station.id).length, 1);

      // 我的: the rider sees it.
      await rider.page.getByTestId('code-close').click();
      await rider.page.reload();
      await rider.page.getByTestId('rider-home').waitFor();
      const item = rider.page.getByTestId('my-services').locator('[data-testid="ms-item"][data-type="phone_charging"]');
      await item.first().waitFor();
      assert.match(await item.first().innerText(), new RegExp(`手机充电[\\s\\S]*${station.name}`));
    }, server.logs);
    await rider.context.close();
    await context.close();
  });

  test('opening hours are set with weekday chips and times, read back, and refused in plain words', async () => {
    await apiJson(server.baseURL, `/api/v1/stations/${station.id}`, { token: opToken, method: 'PATCH', body: { opening_hours: 'Mo-Su 08:00-20:00' } });
    const { context, page } = await operatorOnLog();
    await withScreenshot('operator-hours', page, async () => {
      await openTab(page, 'station');
      const form = page.getByTestId('op-hours-form');
      await form.waitFor();
      assert.equal(await form.getAttribute('data-mode'), 'editor');
      assert.equal(await form.getAttribute('data-osm'), 'Mo-Su 08:00-20:00');
      const group = (i) => page.locator(`[data-testid="hw-group"][data-index="${i}"]`);
      const errors = () => page.getByTestId('hw-errors').innerText();

      // Weekdays 08:00–20:00, the weekend 10:00–18:00.
      await group(0).getByTestId('hw-day-Sa').click();
      await group(0).getByTestId('hw-day-Su').click();
      await page.getByTestId('hw-add-group').click();
      assert.equal(await group(1).getByTestId('hw-day-Sa').getAttribute('aria-pressed'), 'true');
      assert.equal(await group(1).getByTestId('hw-day-Su').getAttribute('aria-pressed'), 'true');
      assert.equal(await page.getByTestId('hw-preview').innerText(), '将显示为：周一至周五 08:00–20:00；周六、周日 10:00–18:00');

      // What is wrong, in plain words: no day, start = end, overlapping ranges.
      await group(1).getByTestId('hw-day-Sa').click();
      await group(1).getByTestId('hw-day-Su').click();
      assert.equal(await errors(), '第 2 组还没有选星期');
      await group(1).getByTestId('hw-day-Sa').click();
      await group(1).getByTestId('hw-day-Su').click();
      await group(1).getByTestId('hw-end').fill('10:00');
      assert.equal(await errors(), '第 2 组的第 1 个时间段开始和结束是同一时间');
      await group(1).getByTestId('hw-end').fill('18:00');
      await group(0).getByTestId('hw-add-range').click();
      await group(0).locator('[data-testid="hw-range"][data-index="1"]').getByTestId('hw-start').fill('19:00');
      assert.equal(await errors(), '第 1 组的第 2 个时间段和第 1 个重叠了');
      const patches = [];
      page.on('request', (r) => r.method() === 'PATCH' && patches.push(r.postDataJSON()));
      await page.getByTestId('op-hours-save').click();
      await page.getByTestId('hw-errors').waitFor();
      await group(0).locator('[data-testid="hw-range"][data-index="1"]').getByTestId('hw-remove-range').click();
      assert.equal(await page.getByTestId('hw-errors').count(), 0);

      // An end before the start runs into the next day, and says so.
      await group(1).getByTestId('hw-end').fill('02:00');
      await group(1).getByTestId('hw-next-day').waitFor();
      assert.match(await page.getByTestId('hw-preview').innerText(), /周六、周日 10:00–次日 02:00/);
      await group(1).getByTestId('hw-end').fill('18:00');
      assert.equal(await group(1).getByTestId('hw-next-day').count(), 0);

      // Closed on public holidays; saved as OSM.
      await page.getByTestId('hw-ph').click();
      const osm = 'Mo-Fr 08:00-20:00; Sa,Su 10:00-18:00; PH off';
      assert.equal(await form.getAttribute('data-osm'), osm);
      const [saved] = await Promise.all([nextResponse(page, 'PATCH', `/api/v1/stations/${station.id}`), page.getByTestId('op-hours-save').click()]);
      assert.equal(saved.status(), 200);
      assert.deepEqual(saved.request().postDataJSON(), { opening_hours: osm });
      assert.deepEqual(patches, [{ opening_hours: osm }], 'nothing was sent while something was wrong');
      await page.getByTestId('op-saved-hours').waitFor();
      assert.equal((await apiJson(server.baseURL, `/api/v1/stations/${station.id}`)).opening_hours, osm);

      // Read back after a reload.
      await page.reload();
      await openTab(page, 'station');
      await form.waitFor();
      assert.equal(await form.getAttribute('data-osm'), osm);
      assert.equal(await page.getByTestId('hw-group').count(), 2);
      assert.equal(await page.getByTestId('hw-ph').getAttribute('aria-checked'), 'true');

      // A refusal by the server is said in our words, not the parser's.
      await page.route(`**/api/v1/stations/${station.id}`, (route) =>
        route.request().method() === 'PATCH'
          ? route.fulfill({
              status: 422,
              contentType: 'application/problem+json',
              body: JSON.stringify({ type: 'about:blank', title: 'Unprocessable', status: 422, code: 'validation_failed', errors: [{ field: 'opening_hours', code: 'invalid_opening_hours', message: 'unexpected token at 9' }] }),
            })
          : route.fallback(),
      );
      await page.getByTestId('hw-always').click();
      await page.getByTestId('op-hours-save').click();
      await waitForText(page, 'op-hours-error', '服务器没有接受这个营业时间，请检查后重新设置');
      await page.unroute(`**/api/v1/stations/${station.id}`);

      // Hours richer than the editor: shown as they are, with a way to set them again.
      await apiJson(server.baseURL, `/api/v1/stations/${station.id}`, { token: opToken, method: 'PATCH', body: { opening_hours: 'Mo-Fr 08:00-12:00, We 14:00-18:00' } });
      await page.getByTestId('op-reload').click();
      await page.locator('[data-testid="op-hours-form"][data-mode="complex"]').waitFor();
      assert.equal(await page.getByTestId('hw-raw').innerText(), 'Mo-Fr 08:00-12:00, We 14:00-18:00');
      await page.getByTestId('hw-reset').click();
      await page.locator('[data-testid="op-hours-form"][data-mode="editor"]').waitFor();
      await apiJson(server.baseURL, `/api/v1/stations/${station.id}`, { token: opToken, method: 'PATCH', body: { opening_hours: station.opening_hours } });
    }, server.logs);
    await context.close();
  });

  test('on a landscape tablet the tabs are a rail on the left and the buttons use the width', async () => {
    const ctx = await browser.newContext({ baseURL: server.baseURL, viewport: { width: 1180, height: 820 }, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', serviceWorkers: 'block' });
    ctx.setDefaultTimeout(15_000);
    const page = await ctx.newPage();
    await withScreenshot('operator-tablet', page, async () => {
      await loginAs(page, DEMO.operator, 'operator-home');
      await page.getByTestId('svc-grid').waitFor();
      await page.getByTestId('station-bar').waitFor();
      const nav = await page.getByTestId('bottom-nav').boundingBox();
      assert.ok(nav.x === 0 && nav.width < 160 && nav.height >= 800, `a rail on the left: ${JSON.stringify(nav)}`);
      const tops = await page.locator('[data-testid="svc-grid"] .svc-btn').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
      const perRow = tops.filter((y) => y === tops[0]).length;
      assert.ok(perRow >= 5, `${perRow} buttons in a row`);
      // Status and occupancy side by side in one row.
      const status = await page.getByTestId('op-status-full').boundingBox();
      const plus = await page.getByTestId('op-occupancy-plus').boundingBox();
      assert.ok(Math.abs(status.y - plus.y) < status.height, `${JSON.stringify(status)} ${JSON.stringify(plus)}`);
      assert.ok(status.height >= 48 && plus.height >= 48);
      // Every tab opens in this layout too.
      for (const tab of ['station', 'help', 'redeem', 'today', 'log']) await openTab(page, tab);
    }, server.logs);
    await ctx.close();
  });
});

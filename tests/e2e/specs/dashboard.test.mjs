// Issue 10: the city dashboard (数据看板) on a desktop. The Jing'an staff sees the KPI numbers the
// API gives for the same range (and again after picking 7 days and a street), sorts the station
// table as the server sorts it, downloads its CSV (BOM, header, one line a station), and sees on
// the map exactly the cells and blank spots the coverage API reports — including one made here
// by five riders asking for help from a place more than 5 minutes from any station; the region
// picker offers nothing outside Jing'an. A city-level staff member finds a request escalated to
// the city in 待办诉求 and accepts it.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { apiJson, apiLogin, haversineM } from '../lib/api.mjs';
import { launchBrowser, newDesktop, withScreenshot } from '../lib/browser.mjs';
import { login, loginAs, randomPassword, randomPhone } from '../lib/flows.mjs';
import { DEMO, startServer } from '../lib/server.mjs';

const JINGAN = '310106';
const DASH = '—';
const count = (v) => (v === null || v === undefined ? DASH : new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 }).format(v));
const rate = (v) => (v === null || v === undefined ? DASH : `${(Math.round(v * 1000) / 10).toFixed(1)}%`);
const minutes = (v) => (v === null || v === undefined ? DASH : new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1 }).format(v));
/** What the card's change line must start with: "↑ 12.5%", "↓ 3.2 个百分点" (rates), "→ 0%", or a dash. */
function changeText(change, isRate) {
  if (change === null || change === undefined) return DASH;
  const tenths = Math.round(Math.abs(change) * 1000) / 10;
  const arrow = tenths === 0 ? '→' : change > 0 ? '↑' : '↓';
  return `${arrow} ${tenths === 0 ? '0' : tenths.toFixed(1)}${isRate ? ' 个百分点' : '%'}`;
}

/** KPI card id → [how the value is written, where it is in the overview]. */
const KPIS = {
  check_ins: [count, (o) => o.check_ins],
  unique_riders: [count, (o) => o.unique_riders],
  services_total: [count, (o) => o.services_total],
  help_opened: [count, (o) => o.help.opened],
  help_resolved: [count, (o) => o.help.resolved],
  response_rate: [rate, (o) => o.help.response_rate],
  resolution_rate: [rate, (o) => o.help.resolution_rate],
  satisfaction_rate: [rate, (o) => o.help.satisfaction_rate],
  sla_breach_rate: [rate, (o) => o.help.sla_breach_rate],
  lesson_completions: [count, (o) => o.lesson_completions],
  points_earned: [count, (o) => o.points_earned],
  points_spent: [count, (o) => o.points_spent],
};

const query = (params) => new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== '')).toString();

/** The next GET of `path` from the page, with its query and JSON body. */
async function nextAnswer(page, path, match = () => true) {
  const res = await page.waitForResponse((r) => {
    const u = new URL(r.url());
    return r.request().method() === 'GET' && u.pathname === path && match(u.searchParams);
  });
  assert.equal(res.status(), 200, `${path} → ${res.status()}`);
  return { params: new URL(res.url()).searchParams, body: await res.json() };
}

/** Waits until `[data-testid=testid]` says it is no longer loading. */
const settled = (page, testid) => page.locator(`[data-testid="${testid}"][data-loading="false"]`).waitFor();

/** A place in Jing'an whose nearest serving station is 1.4–2.4 km away (over 5 minutes by the
 * coverage rule, straight line × 1.4 at 15 km/h) and whose nearest station is in Jing'an (so a
 * help request from there is routed to the district). */
function farSpot(stations) {
  const serving = stations.filter((s) => s.status === 'open' || s.status === 'full');
  let best = null;
  for (let lat = 31.21; lat <= 31.32; lat += 0.002) {
    for (let lng = 121.42; lng <= 121.49; lng += 0.002) {
      const at = { lat: Number(lat.toFixed(3)), lng: Number(lng.toFixed(3)) };
      const d = (s) => haversineM(at, s);
      const nearestServing = Math.min(...serving.map(d));
      const nearest = stations.reduce((a, b) => (d(a) <= d(b) ? a : b));
      if (!nearest.region_code.startsWith(JINGAN) || nearestServing < 1400 || nearestServing > 2400) continue;
      if (!best || nearestServing > best.distance) best = { at, distance: nearestServing };
    }
  }
  assert.ok(best, 'a place in Jing’an more than 5 minutes from any station');
  return best.at;
}

describe('city dashboard', () => {
  /** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
  /** @type {import('playwright-core').Browser} */ let browser;
  let staffToken;
  let spot;
  const riders = [];

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    staffToken = await apiLogin(server.baseURL, DEMO.staff);
    const geo = await apiJson(server.baseURL, '/api/v1/stations.geojson');
    const stations = geo.features.map((f) => ({ lat: f.geometry.coordinates[1], lng: f.geometry.coordinates[0], status: f.properties.status, region_code: f.properties.region_code }));
    spot = farSpot(stations);
    // Five riders ask for help from the same far place: demand of 5 there (not suppressed).
    for (let i = 0; i < 5; i++) {
      const reg = await apiJson(server.baseURL, '/api/v1/auth/register', {
        method: 'POST',
        body: { phone: randomPhone(), password: randomPassword(), display_name: `看板骑手${i + 1}` },
        expect: 201,
      });
      riders.push(reg.access_token);
      const hr = await apiJson(server.baseURL, '/api/v1/help-requests', {
        token: reg.access_token,
        method: 'POST',
        body: { category: 'hazard_report', urgency: 'normal', description: `路口积水很深，电动车过不去（${i + 1}）`, lat: spot.lat, lng: spot.lng },
        expect: 201,
      });
      assert.equal(hr.status, 'submitted');
    }
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** The staff on the dashboard's overview, once its first numbers are in. */
  async function staffOnDashboard() {
    const desk = await newDesktop(browser, server.baseURL);
    const first = nextAnswer(desk.page, '/api/v1/analytics/overview');
    await loginAs(desk.page, DEMO.staff, 'staff-home');
    const answer = await first;
    await settled(desk.page, 'db-overview');
    return { ...desk, answer };
  }

  async function assertKpis(page, o) {
    for (const [id, [write, pick]] of Object.entries(KPIS)) {
      const trend = pick(o);
      assert.equal((await page.getByTestId(`kpi-${id}-value`).innerText()).trim(), write(trend.value), `${id} value`);
      const change = (await page.getByTestId(`kpi-${id}-change`).innerText()).trim();
      const want = changeText(trend.change, id.endsWith('_rate'));
      assert.ok(change.startsWith(want), `${id}: change "${change}", expected "${want}…" for ${trend.change}`);
    }
    assert.equal(await page.getByTestId('kpi-median_accept-value').innerText(), minutes(o.help.median_minutes_to_accept));
    assert.equal(await page.getByTestId('kpi-median_resolve-value').innerText(), minutes(o.help.median_minutes_to_resolve));
    assert.equal(await page.getByTestId('kpi-stations-total').innerText(), count(o.stations.total));
    assert.equal(await page.getByTestId('kpi-stations-open').innerText(), count(o.stations.open));
  }

  test('the KPI cards show what the overview API answers for the same range', async () => {
    const { context, page, problems, answer } = await staffOnDashboard();
    await withScreenshot('dashboard-kpis', page, async () => {
      const range = page.getByTestId('db-range');
      const from = await range.getAttribute('data-from');
      const to = await range.getAttribute('data-to');
      assert.equal(answer.params.get('from'), from);
      assert.equal(answer.params.get('to'), to);
      assert.equal(answer.params.get('region'), JINGAN, 'the staff’s own district by default');
      const api = await apiJson(server.baseURL, `/api/v1/analytics/overview?${query({ from, to, region: JINGAN })}`, { token: staffToken });
      const { as_of: _a, ...same } = api;
      const { as_of: _b, ...shown } = answer.body;
      assert.deepEqual(shown, same, 'the page asked the same question');
      // The five requests filed above are in the period.
      assert.ok(api.help.opened.value >= 5);
      await assertKpis(page, api);
      // The chart (Chart.js, loaded now) draws the series; its table is there too.
      await page.locator('[data-testid="series-chart"][data-state="ready"]').waitFor();
      await page.getByTestId('series-table').first().waitFor({ state: 'attached' });

      // Last 7 days: asked again, shown again.
      const week = nextAnswer(page, '/api/v1/analytics/overview');
      await page.getByTestId('db-range-7').click();
      const w = await week;
      await settled(page, 'db-overview');
      const wFrom = w.params.get('from');
      const wTo = w.params.get('to');
      assert.equal(await range.getAttribute('data-from'), wFrom);
      assert.equal(Math.round((Date.parse(wTo) - Date.parse(wFrom)) / 86_400_000) + 1, 7);
      await assertKpis(page, await apiJson(server.baseURL, `/api/v1/analytics/overview?${query({ from: wFrom, to: wTo, region: JINGAN })}`, { token: staffToken }));

      // A custom range with the end before the start is refused in words, not sent.
      await page.getByTestId('db-range-custom').click();
      await page.getByTestId('db-from').fill(wTo);
      await page.getByTestId('db-to').fill(wFrom);
      await page.getByTestId('db-range-apply').click();
      assert.equal(await page.getByTestId('db-range-error').innerText(), '开始日期不能晚于结束日期');
      assert.deepEqual(problems, []);
    }, server.logs);
    await context.close();
  });

  test('the region picker offers the district and its streets only; a street narrows the numbers', async () => {
    const { context, page } = await staffOnDashboard();
    await withScreenshot('dashboard-regions', page, async () => {
      const picker = page.getByTestId('db-region');
      await page.locator('[data-testid="db-region"]:not([disabled])').waitFor();
      const offered = await picker.locator('option').evaluateAll((os) => os.map((o) => o.value));
      const regions = (await apiJson(server.baseURL, '/api/v1/regions')).items;
      const inside = regions.filter((r) => r.code.startsWith(JINGAN)).map((r) => r.code).sort();
      assert.deepEqual([...offered].sort(), inside, 'Jing’an and each of its streets');
      assert.ok(offered.length > 1);
      for (const outside of ['3101', '310101', '310104']) assert.ok(!offered.includes(outside), `${outside} not offered`);
      // The server agrees: another district is out of scope.
      await apiJson(server.baseURL, '/api/v1/analytics/overview?region=310101', { token: staffToken, expect: 403 });

      const street = offered.find((c) => c.length === 9);
      const narrowed = nextAnswer(page, '/api/v1/analytics/overview', (q) => q.get('region') === street);
      await picker.selectOption(street);
      const n = await narrowed;
      await settled(page, 'db-overview');
      await assertKpis(page, await apiJson(server.baseURL, `/api/v1/analytics/overview?${n.params}`, { token: staffToken }));
    }, server.logs);
    await context.close();
  });

  test('the station table sorts as the server does and downloads as CSV', async () => {
    const { context, page, problems } = await staffOnDashboard();
    await withScreenshot('dashboard-stations', page, async () => {
      const firstPage = nextAnswer(page, '/api/v1/analytics/stations');
      await page.getByTestId('dash-tab-stations').click();
      const shown = await firstPage;
      await settled(page, 'db-stations');
      const ids = () => page.getByTestId('st-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));
      const apiIds = async (params) => (await apiJson(server.baseURL, `/api/v1/analytics/stations?${params}`, { token: staffToken })).items.map((s) => s.station_id);
      assert.equal(shown.params.get('sort'), 'check_ins');
      assert.deepEqual(await ids(), await apiIds(shown.params));

      for (const order of ['desc', 'asc']) {
        const sorted = nextAnswer(page, '/api/v1/analytics/stations', (q) => q.get('sort') === 'services' && q.get('order') === order);
        await page.getByTestId('st-sort-services').click();
        const s = await sorted;
        await page.locator(`[data-testid="db-stations"][data-sort="services"][data-order="${order}"][data-loading="false"]`).waitFor();
        const want = await apiIds(s.params);
        assert.deepEqual(await ids(), want, `services ${order}`);
        // The numbers on screen run the right way.
        const services = await page.locator('[data-testid="st-row"] [data-col="services"]').allInnerTexts();
        const nums = services.map((x) => Number(x.replace(/,/g, '')));
        const ordered = [...nums].sort((a, b) => (order === 'asc' ? a - b : b - a));
        assert.deepEqual(nums, ordered);
      }

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('db-stations-csv').click()]);
      assert.match(download.suggestedFilename(), /^warmnew-stations-310106-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
      const bytes = await readFile(await download.path());
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
      const lines = bytes.subarray(3).toString('utf8').trimEnd().split(/\r?\n/);
      assert.equal(lines[0], 'station_id,name,region_code,status,check_ins,visitors,services,peak_occupancy,help_handled,last_verified_at');
      const total = Number(await page.getByTestId('st-page').getAttribute('data-total'));
      assert.equal(lines.length - 1, total, 'one line a station');
      assert.ok(!bytes.includes(Buffer.from(DEMO.rider)), 'no phone numbers in the export');
      assert.deepEqual(problems, []);
    }, server.logs);
    await context.close();
  });

  test('the map draws the coverage cells and blank spots the API reports, for the minutes chosen', async () => {
    const { context, page, problems } = await staffOnDashboard();
    await withScreenshot('dashboard-map', page, async () => {
      const from = await page.getByTestId('db-range').getAttribute('data-from');
      const to = await page.getByTestId('db-range').getAttribute('data-to');
      const first = nextAnswer(page, '/api/v1/analytics/coverage');
      await page.getByTestId('dash-tab-map').click();
      const c15 = await first;
      assert.equal(c15.params.get('minutes'), '15', 'the 15-minute circle first');
      await page.getByTestId('coverage-map').waitFor();
      await page.locator('[data-testid="coverage-map"][data-tiles="off"]').waitFor();

      async function assertMap(mins) {
        const api = await apiJson(server.baseURL, `/api/v1/analytics/coverage?${query({ from, to, region: JINGAN, minutes: mins })}`, { token: staffToken });
        const sites = api.features.filter((f) => f.properties.kind === 'suggested_site').length;
        const cells = page.getByTestId('coverage-cell-layer');
        const blanks = page.getByTestId('blank-spot-layer');
        await page.locator(`[data-testid="blank-spot-layer"][data-count="${api.metadata.blank_spots}"]`).waitFor({ state: 'attached' });
        assert.equal(await cells.getAttribute('data-count'), String(api.metadata.cells));
        assert.equal(await cells.locator('path.coverage-cell').count(), api.metadata.cells);
        assert.equal(await blanks.locator('path.blank-spot').count(), api.metadata.blank_spots);
        assert.equal(await page.getByTestId('site-layer').locator('.site-marker').count(), sites);
        assert.equal(await page.getByTestId('db-cov-blank-spots').innerText(), count(api.metadata.blank_spots));
        assert.equal(await page.getByTestId('db-cov-cells').innerText(), count(api.metadata.cells));
        assert.equal(await page.getByTestId('db-site').count(), sites);
        // District centres are labelled even without tiles; the stations are there.
        assert.ok((await page.getByTestId('district-layer').locator('.district-label').count()) >= 1);
        assert.ok((await page.getByTestId('station-layer').locator('path.coverage-station').count()) >= 1);
        return api;
      }
      await page.locator('[data-testid="db-coverage"][data-loading="false"]').waitFor();
      await assertMap(15);

      // A 5-minute circle: the riders' far place is a blank spot now.
      const five = nextAnswer(page, '/api/v1/analytics/coverage', (q) => q.get('minutes') === '5');
      await page.getByTestId('db-minutes').fill('5');
      await five;
      await page.locator('[data-testid="db-coverage"][data-minutes="5"][data-loading="false"]').waitFor();
      const api5 = await assertMap(5);
      assert.ok(api5.metadata.blank_spots >= 1, 'at least the riders’ place');
      const ours = api5.features.find((f) => f.properties.kind === 'cell' && f.properties.blank_spot && f.properties.demand >= 5);
      assert.ok(ours, 'a blank spot with the five riders');
      assert.ok(api5.features.some((f) => f.properties.kind === 'suggested_site'), 'a next site is suggested');

      // Outside 5–60 the field says so in words and nothing is asked.
      await page.getByTestId('db-minutes').fill('70');
      assert.equal(await page.getByTestId('db-minutes-error').innerText(), '服务圈须在 5 到 60 分钟之间');
      assert.deepEqual(problems, []);
    }, server.logs);
    await context.close();
  });

  test('city-level staff see a request escalated to the city and accept it', async (t) => {
    if (!server.cli) return t.skip('needs the server’s database (not with E2E_BASE_URL)');
    const phone = randomPhone();
    const password = randomPassword();
    await server.cli(['user', 'add', '--role', 'staff', '--phone', phone, '--region', '3101', '--name', '市社工部'], `${password}\n`);
    const cityToken = await apiLogin(server.baseURL, phone, password);

    // A rider asks at a Jing'an station; the district staff passes it up until it reaches the city.
    const station = (await apiJson(server.baseURL, `/api/v1/stations?region=${JINGAN}&per_page=1`)).items[0];
    let r = await apiJson(server.baseURL, '/api/v1/help-requests', {
      token: riders[0],
      method: 'POST',
      body: { category: 'wage_arrears', urgency: 'normal', description: '站点拖欠工资两个月，区里也没办法，请求市里协调', station_id: station.id },
      expect: 201,
    });
    for (let i = 0; i < 4 && r.tier !== 'city'; i++) {
      r = await apiJson(server.baseURL, `/api/v1/help-requests/${r.id}/transitions`, { token: staffToken, method: 'POST', body: { action: 'escalate', note: '需要市级协调' } });
    }
    assert.equal(r.tier, 'city');
    const district = await apiJson(server.baseURL, `/api/v1/help-requests/${r.id}`, { token: staffToken });
    assert.deepEqual(district.allowed_actions, [], 'the district has passed it on');

    const { context, page, problems } = await newDesktop(browser, server.baseURL);
    await withScreenshot('dashboard-city-queue', page, async () => {
      await page.goto('/');
      assert.equal((await login(page, phone, password)).status(), 200);
      await page.getByTestId('staff-home').waitFor();
      await page.getByTestId('dash-tab-queue').click();
      const level = page.getByTestId('hq-filter-level');
      assert.equal(await level.innerText(), '市级待办');
      const listed = nextAnswer(page, '/api/v1/help-requests', (q) => q.get('tier') === 'city');
      await level.click();
      const l = await listed;
      assert.ok(l.body.items.some((x) => x.id === r.id));
      const row = page.locator(`[data-testid="hq-list"] [data-testid="hr-item"][data-id="${r.id}"]`);
      await row.locator('button').click();
      await page.locator(`[data-testid="hq-detail"][data-id="${r.id}"]`).waitFor();
      assert.match(await page.getByTestId('hq-tier').innerText(), /^市/);
      await page.getByTestId('hq-action-accept').click();
      await page.locator('[data-testid="hq-done"][data-action="accept"]').waitFor();
      const after = await apiJson(server.baseURL, `/api/v1/help-requests/${r.id}`, { token: cityToken });
      assert.equal(after.status, 'accepted');
      assert.equal(after.tier, 'city');
      assert.deepEqual(problems, []);
    }, server.logs);
    await context.close();
  });
});

// Field fitness of help (issue 11): the emergency calls work offline and come first, SOS and
// 我要求助 sit in the thumb's reach, a dead connection ends in an offline state (never an
// endless spinner), server texts read in the app's language, and toasts cover no button.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiJson, apiLogin } from '../lib/api.mjs';
import { launchBrowser, newPhone, withScreenshot } from '../lib/browser.mjs';
import { loginAs, openTab } from '../lib/flows.mjs';
import { DEMO, startServer } from '../lib/server.mjs';

const CALLS = ['120', '110', '122'];
/** Words of the English notes the SLA worker used to write. */
const ENGLISH_SYSTEM_WORDS = /deadline|passed|escalated|automatically|accept|resolve/i;
const CJK = /[\u4e00-\u9fff]/;

/**
 * The interactive elements (outside the toast) that the toast hides: for each one whose box
 * meets the toast's, the middle of the overlap is hit-tested with the toast made invisible
 * (its layout kept). If the element is what is there, the toast covers a visible part of it; if
 * something else is (the app bar a list scrolled under), it was not visible anyway.
 */
function coveredBy(page, toastTestId) {
  return page.evaluate((id) => {
    const toast = document.querySelector(`[data-testid="${id}"]`);
    if (!toast) return ['<no toast>'];
    const t = toast.getBoundingClientRect();
    const saved = toast.style.visibility;
    toast.style.visibility = 'hidden';
    try {
      return [...document.querySelectorAll('button, a[href], input, select, textarea, [role="button"]')]
        .filter((el) => !toast.contains(el))
        .filter((el) => {
          const r = el.getBoundingClientRect();
          if (r.width === 0 || r.height === 0) return false;
          const x0 = Math.max(r.left, t.left), x1 = Math.min(r.right, t.right);
          const y0 = Math.max(r.top, t.top), y1 = Math.min(r.bottom, t.bottom);
          if (x0 >= x1 || y0 >= y1) return false;
          const hit = document.elementFromPoint((x0 + x1) / 2, (y0 + y1) / 2);
          return !!hit && (el === hit || el.contains(hit));
        })
        .map((el) => el.getAttribute('data-testid') ?? el.textContent?.trim().slice(0, 24) ?? el.tagName);
    } finally {
      toast.style.visibility = saved;
    }
  }, toastTestId);
}

async function assertCoversNoButton(page, toastTestId) {
  const toast = page.getByTestId(toastTestId);
  await toast.waitFor();
  const box = await toast.boundingBox();
  assert.ok(box && box.height > 0, `${toastTestId} is shown`);
  const vh = page.viewportSize().height;
  assert.ok(box.y >= 0 && box.y + box.height <= vh, `${toastTestId} is on screen: ${JSON.stringify(box)}`);
  assert.deepEqual(await coveredBy(page, toastTestId), [], `${toastTestId} ${JSON.stringify(box)} covers no button`);
}

/** Asserts the element's box lies in the bottom third of the viewport. */
async function assertBottomThird(page, testid) {
  const box = await page.getByTestId(testid).boundingBox();
  const vh = page.viewportSize().height;
  assert.ok(box, `${testid} is shown`);
  assert.ok(box.y >= (vh * 2) / 3 && box.y + box.height <= vh, `${testid} sits in the bottom third: ${JSON.stringify(box)} of ${vh}`);
  assert.ok(box.height >= 48 && box.width >= 48, `${testid} is a big target: ${JSON.stringify(box)}`);
}

async function assertCalls(scope) {
  for (const n of CALLS) {
    const call = scope.getByTestId(`call-${n}`);
    await call.waitFor();
    assert.equal(await call.getAttribute('href'), `tel:${n}`);
    const box = await call.boundingBox();
    assert.ok(box && box.height >= 48 && box.width >= 48, `call ${n} is a big target`);
  }
}

describe('field help', () => {
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

  test('SOS shows the three emergency calls offline; SOS and 我要求助 are in thumb reach; the toast covers no button', async () => {
    const { context, page } = await newPhone(browser, server.baseURL, { serviceWorkers: 'allow' });
    await withScreenshot('field-sos-offline', page, async () => {
      await loginAs(page, DEMO.rider, 'rider-home');
      // SOS sits in the tab bar on the stations tab: in thumb reach and over no other control.
      await assertBottomThird(page, 'sos-fab');
      const bar = await page.getByTestId('bottom-nav').boundingBox();
      const sos = await page.getByTestId('sos-fab').boundingBox();
      assert.ok(sos.y >= bar.y && sos.y + sos.height <= bar.y + bar.height + 1, `SOS inside the tab bar: ${JSON.stringify({ sos, bar })}`);
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
      // The first install says "ready to work offline": a toast, which must cover no button.
      await assertCoversNoButton(page, 'offline-ready-toast');
      await openTab(page, 'help');
      await assertCoversNoButton(page, 'offline-ready-toast');
      await assertBottomThird(page, 'hr-sos');
      await assertBottomThird(page, 'hr-new');
      assert.equal(await page.getByTestId('sos-fab').isVisible(), false, 'the help home shows its own SOS');

      await context.setOffline(true);
      await page.getByTestId('offline-banner').waitFor();
      const nav = await page.reload();
      assert.equal(nav?.fromServiceWorker(), true, 'the shell came from the service worker');
      await page.getByTestId('rider-home').waitFor();
      await openTab(page, 'stations');
      await page.getByTestId('sos-fab').click();
      const screen = page.getByTestId('sos-screen');
      await screen.waitFor();
      await assertCalls(screen);
      // The calls come before the SOS request.
      const calls = await screen.getByTestId('emergency-calls').boundingBox();
      const send = await screen.getByTestId('hr-sos-send').boundingBox();
      assert.ok(calls && send && calls.y + calls.height <= send.y, 'calls first, then the request');
      assert.match(await screen.innerText(), /急救[\s\S]*报警[\s\S]*交通事故/);

      // From the help home too, still offline.
      await page.getByTestId('hr-back').click();
      await page.getByTestId('help-home').waitFor();
      await page.getByTestId('hr-sos').click();
      await assertCalls(page.getByTestId('sos-screen'));
    }, server.logs);
    await context.close();
  });

  test('choosing 医疗 or 交通事故 shows the calls before the rest of the form; other categories do not', async () => {
    const { context, page } = await newPhone(browser, server.baseURL);
    await withScreenshot('field-help-calls-first', page, async () => {
      await loginAs(page, DEMO.rider, 'rider-home');
      await openTab(page, 'help');
      await page.getByTestId('hr-new').click();
      await page.getByTestId('hr-form').waitFor();
      assert.equal(await page.getByTestId('hr-form-calls').count(), 0);
      for (const cat of ['medical', 'traffic_accident']) {
        await page.getByTestId(`hr-cat-${cat}`).click();
        const calls = page.getByTestId('hr-form-calls');
        await assertCalls(calls);
        const callsBox = await calls.boundingBox();
        const urgency = await page.getByTestId('hr-urgency-normal').boundingBox();
        const description = await page.getByTestId('hr-description').boundingBox();
        assert.ok(callsBox.y + callsBox.height <= urgency.y && urgency.y < description.y, `${cat}: calls before the form`);
      }
      await page.getByTestId('hr-cat-wage_arrears').click();
      await page.getByTestId('hr-form-calls').waitFor({ state: 'detached' });
    }, server.logs);
    await context.close();
  });

  test('an escalated request’s timeline reads in Chinese only, and in English in the English app', async () => {
    // The demo riders' requests: find one the SLA escalated (system entries).
    let escalated = null;
    let owner = null;
    for (const phone of [DEMO.rider, '13800000005', '13800000006']) {
      const token = await apiLogin(server.baseURL, phone);
      const mine = await apiJson(server.baseURL, '/api/v1/help-requests?per_page=100', { token });
      for (const item of mine.items) {
        const d = await apiJson(server.baseURL, `/api/v1/help-requests/${item.id}`, { token });
        const system = (kind) => d.timeline.some((e) => e.actor_role === 'system' && e.kind === kind);
        if (system('sla_breached') && system('escalated')) {
          escalated = d;
          owner = phone;
          break;
        }
      }
      if (escalated) break;
    }
    assert.ok(escalated, 'a demo rider has a request the SLA escalated');

    const { context, page } = await newPhone(browser, server.baseURL);
    await withScreenshot('field-help-timeline-language', page, async () => {
      await loginAs(page, owner, 'rider-home');
      await page.goto(`/#/help/${escalated.id}`);
      const timeline = page.getByTestId('hr-timeline');
      await timeline.waitFor();
      await page.locator('[data-testid="hr-timeline-item"][data-kind="sla_breached"]').first().waitFor();
      const zh = await timeline.innerText();
      assert.doesNotMatch(zh, ENGLISH_SYSTEM_WORDS, zh);
      assert.doesNotMatch(zh, /\b[A-Za-z]{3,}\b/, `no English words in the Chinese timeline: ${zh}`);
      assert.match(zh, /超过(受理|办结)时限/);
      assert.match(zh, /从.+升级到.+处理/);

      // English app: the same entries in English (people's own notes stay as written).
      await openTab(page, 'me');
      await page.getByTestId('lang-en').click();
      await page.locator('html[lang="en"]').waitFor();
      await page.goto(`/#/help/${escalated.id}`);
      await page.locator('[data-testid="hr-timeline-item"][data-kind="sla_breached"]').first().waitFor();
      const titles = await page.getByTestId('hr-timeline-what').allInnerTexts();
      assert.ok(titles.length >= 3);
      for (const t of titles) assert.doesNotMatch(t, CJK, `an English title: ${t}`);
      const en = await timeline.innerText();
      assert.match(en, /Deadline to (accept|resolve) missed/);
      assert.match(en, /Escalated from \w+ to \w+/);
      // Back to Chinese for whoever uses this rider next.
      await openTab(page, 'me');
      await page.getByTestId('lang-zh-CN').click();
      await page.locator('html[lang="zh-CN"]').waitFor();
    }, server.logs);
    await context.close();
  });

  test('a hung API ends in the offline state with a retry within 10 s (lessons, my requests)', async () => {
    const { context, page } = await newPhone(browser, server.baseURL);
    await withScreenshot('field-help-hung', page, async () => {
      // A dead connection that never answers, from the start: no copy is ever kept on this
      // fresh phone (logging in passes 我的, which reads the lessons for their titles).
      await page.route('**/api/v1/lessons**', () => {});
      await page.route('**/api/v1/help-requests**', () => {});
      await loginAs(page, DEMO.rider, 'rider-home');
      const t0 = Date.now();
      await openTab(page, 'lessons');
      await page.locator('[data-testid="lessons-error"][data-offline-state="network"]').waitFor({ timeout: 10_000 });
      assert.ok(Date.now() - t0 < 10_000);
      assert.match(await page.getByTestId('lessons-error').innerText(), /网络不可用[\s\S]*重试/);

      const t1 = Date.now();
      await openTab(page, 'help');
      const offline = page.locator('[data-testid="hr-list-offline"][data-offline-state="network"]');
      await offline.waitFor({ timeout: 10_000 });
      assert.ok(Date.now() - t1 < 10_000);
      // The network is back: the retry shows the list.
      await page.unroute('**/api/v1/help-requests**');
      await offline.getByTestId('offline-retry').click();
      await page.getByTestId('hr-item').first().waitFor();
      await offline.waitFor({ state: 'detached' });
    }, server.logs);
    await context.close();
  });

  test('an unknown server error reads in Chinese, never the server’s English', async () => {
    const { context, page } = await newPhone(browser, server.baseURL);
    await withScreenshot('field-help-unknown-error', page, async () => {
      await loginAs(page, DEMO.rider, 'rider-home');
      await page.route('**/api/v1/help-requests**', (route) =>
        route.fulfill({
          status: 500,
          contentType: 'application/problem+json',
          body: JSON.stringify({ type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'the flux capacitor broke', code: 'flux_capacitor' }),
        }),
      );
      await openTab(page, 'help');
      const state = page.locator('[data-testid="hr-list-offline"][data-offline-state="error"]');
      await state.waitFor();
      const text = await state.innerText();
      assert.match(text, /服务暂时出了问题，请稍后再试/);
      assert.doesNotMatch(text, /flux|Internal|Server|Error/i);
    }, server.logs);
    await context.close();
  });

  test('the operator’s undo toast covers no button', async () => {
    const { context, page } = await newPhone(browser, server.baseURL);
    await withScreenshot('field-undo-toast', page, async () => {
      await loginAs(page, DEMO.operator, 'operator-home');
      await page.getByTestId('panel-log').getByTestId('svc-grid').waitFor();
      await page.getByTestId('svc-hot_water').click();
      await assertCoversNoButton(page, 'undo-toast');
      // Scrolled to the end of the grid, still nothing under it.
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await assertCoversNoButton(page, 'undo-toast');
    }, server.logs);
    await context.close();
  });
});

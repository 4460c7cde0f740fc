// Flow 4: after one online visit the service worker serves the shell offline.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, newPhone, withScreenshot } from '../lib/browser.mjs';
import { loginAs, navLabels } from '../lib/flows.mjs';
import { DEMO, startServer } from '../lib/server.mjs';

describe('offline', () => {
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

  test('the manifest is served and describes an installable app', async () => {
    const res = await fetch(`${server.baseURL}/manifest.webmanifest`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/manifest\+json/);
    const m = await res.json();
    assert.equal(m.name, '暖新驿站');
    assert.equal(m.display, 'standalone');
    assert.equal(m.start_url, '/');
    const sizes = m.icons.map((i) => `${i.sizes}:${i.purpose ?? 'any'}`);
    assert.ok(sizes.includes('192x192:any') && sizes.includes('512x512:any') && sizes.includes('512x512:maskable'), sizes.join());
    for (const icon of m.icons) {
      const img = await fetch(new URL(icon.src, server.baseURL));
      assert.equal(img.status, 200, icon.src);
      assert.equal(img.headers.get('content-type'), 'image/png', icon.src);
    }
    const sw = await fetch(`${server.baseURL}/sw.js`);
    assert.equal(sw.status, 200);
    assert.match(sw.headers.get('cache-control') ?? '', /no-cache/);
  });

  test('with the service worker in control, a reload while offline still shows the shell and the offline banner', async () => {
    const { context, page } = await newPhone(browser, server.baseURL, { serviceWorkers: 'allow' });
    await withScreenshot('offline', page, async () => {
      await loginAs(page, DEMO.rider, 'rider-home');
      await page.getByTestId('tab-me').click();
      await page.getByTestId('profile-display-name').waitFor();
      const name = await page.getByTestId('profile-display-name').innerText();

      // The service worker is installed (shell precached) and controls this page.
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      assert.equal(await page.getByTestId('offline-banner').count(), 0);
      const status = (path, init) =>
        page.evaluate(([p, i]) => fetch(p, i).then((r) => r.status, () => 0), [path, init]);
      assert.equal(await status('/api/v1/regions'), 200); // online: fills the runtime cache

      await context.setOffline(true);
      await page.getByTestId('offline-banner').waitFor(); // the offline event alone shows it
      const nav = await page.reload();
      assert.ok(nav, 'the reload produced a response');
      assert.equal(nav.fromServiceWorker(), true, 'the shell came from the service worker');

      const banner = page.getByTestId('offline-banner');
      await banner.waitFor();
      assert.equal(await banner.innerText(), '离线模式 — 显示的是缓存数据');
      await page.getByTestId('rider-home').waitFor();
      assert.deepEqual(await navLabels(page), ['驿站', '求助', '微课堂', '我的']);
      // The last /api/v1/me is kept, so the profile still shows who is logged in.
      assert.equal(await page.getByTestId('profile-display-name').innerText(), name);
      assert.equal(await page.getByTestId('profile-phone').innerText(), '138****0001');
      // Regions come from the runtime cache; nothing else under /api is cached, POSTs never.
      assert.equal(await status('/api/v1/regions'), 200);
      assert.equal(await status('/api/v1/me'), 0);
      assert.equal(await status('/api/v1/auth/login', { method: 'POST', body: '{}' }), 0);
      // A client-side route is also answered from the cache.
      await page.goto('/#/help');
      await page.getByTestId('help-home').waitFor();

      await context.setOffline(false);
      await banner.waitFor({ state: 'detached' });
    }, server.logs);
    await context.close();
  });
});

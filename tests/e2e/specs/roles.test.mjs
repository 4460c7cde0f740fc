// Flow 5: each role lands on its own home.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, newPhone, withScreenshot } from '../lib/browser.mjs';
import { loginAs, waitForText } from '../lib/flows.mjs';
import { DEMO, startServer } from '../lib/server.mjs';

describe('role homes', () => {
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

  const cases = [
    { role: 'operator', phone: DEMO.operator, home: 'operator-home', title: '驿站管理', label: '驿站管理员', cards: ['placeholder-service-log'], live: 'operator-station' },
    { role: 'staff', phone: DEMO.staff, home: 'staff-home', title: '数据看板', label: '社会工作部门工作人员', cards: ['placeholder-usage', 'placeholder-help-stats', 'placeholder-coverage'] },
    { role: 'admin', phone: DEMO.admin, home: 'admin-home', title: '系统管理', label: '系统管理员', cards: ['placeholder-admin-stations', 'placeholder-admin-users', 'placeholder-admin-content'] },
  ];

  for (const c of cases) {
    test(`the ${c.role} demo account sees the ${c.role} home`, async () => {
      const { context, page } = await newPhone(browser, server.baseURL);
      await withScreenshot(`role-${c.role}`, page, async () => {
        await loginAs(page, c.phone, c.home);
        assert.equal(await page.getByTestId('page-title').innerText(), c.title);
        if (c.live) await page.getByTestId(c.live).waitFor();
        // Operators redeem riders' points at the counter; nobody else does.
        assert.equal(await page.getByTestId('redeem-panel').count(), c.role === 'operator' ? 1 : 0);
        // Every handler role has the live help queue.
        await page.getByTestId('help-queue').getByTestId('hq-filters').waitFor();
        for (const card of c.cards) {
          assert.match(await page.getByTestId(card).innerText(), /后续版本/);
        }
        // Not the rider's tabs.
        assert.equal(await page.getByTestId('bottom-nav').count(), 0);
        assert.equal(await page.getByTestId('rider-home').count(), 0);
        assert.equal(await page.getByTestId('profile-role').innerText(), c.label);
        assert.equal(await page.getByTestId('profile-phone').innerText(), `138****${c.phone.slice(7)}`);
        if (c.role === 'staff') {
          // The staff scope is shown by name, from /api/v1/regions.
          await waitForText(page, 'profile-region', '静安区');
        }
      }, server.logs);
      await context.close();
    });
  }
});

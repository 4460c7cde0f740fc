// Flow 5: each role lands on its own home; the operator's is the station console in tabs, staff
// and admin land on the city dashboard (tabs across the top, the help queue one of them).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, newPhone, withScreenshot } from '../lib/browser.mjs';
import { loginAs, navLabels, openTab, waitForText } from '../lib/flows.mjs';
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
    { role: 'operator', phone: DEMO.operator, home: 'operator-home', title: '驿站管理', label: '驿站管理员', cards: [] },
    { role: 'staff', phone: DEMO.staff, home: 'staff-home', title: '数据看板', label: '社会工作部门工作人员', cards: [] },
    { role: 'admin', phone: DEMO.admin, home: 'admin-home', title: '系统管理', label: '系统管理员', cards: ['placeholder-admin-stations', 'placeholder-admin-users', 'placeholder-admin-content'] },
  ];

  for (const c of cases) {
    test(`the ${c.role} demo account sees the ${c.role} home`, async () => {
      const { context, page } = await newPhone(browser, server.baseURL);
      await withScreenshot(`role-${c.role}`, page, async () => {
        await loginAs(page, c.phone, c.home);
        assert.equal(await page.getByTestId('page-title').innerText(), c.title);
        if (c.role === 'operator') {
          // Five tabs at the bottom, the service log first; the status bar above every tab.
          assert.deepEqual(await navLabels(page), ['服务登记', '驿站状态', '求助', '兑换', '今日']);
          await page.getByTestId('panel-log').getByTestId('svc-grid').waitFor();
          await page.getByTestId('station-bar').waitFor();
          assert.equal(await page.getByTestId('placeholder-service-log').count(), 0, 'no "later" placeholder any more');
          await openTab(page, 'help');
          await page.getByTestId('help-queue').getByTestId('hq-filters').waitFor();
          await page.getByTestId('station-bar').waitFor();
          await openTab(page, 'redeem');
          await page.getByTestId('redeem-panel').waitFor();
          await openTab(page, 'station');
          await page.getByTestId('operator-station').waitFor();
        } else {
          // The dashboard first, with no "later" placeholder for what it now shows.
          await page.getByTestId('db-overview').waitFor();
          assert.equal(await page.getByTestId('placeholder-usage').count(), 0);
          assert.deepEqual(
            (await page.getByTestId('dash-tabs').locator('.dash-tab').allInnerTexts()).map((x) => x.trim()),
            ['概览', '驿站', '诉求办理', '微课堂', '覆盖地图', '待办诉求', ...(c.role === 'admin' ? ['系统管理'] : []), '我的账号'],
          );
          // Operators redeem riders' points at the counter; nobody else does.
          assert.equal(await page.getByTestId('redeem-panel').count(), 0);
          // Every handler role has the live help queue.
          await page.getByTestId('dash-tab-queue').click();
          await page.getByTestId('help-queue').getByTestId('hq-filters').waitFor();
          // Not the rider's tabs.
          assert.equal(await page.getByTestId('bottom-nav').count(), 0);
          if (c.role === 'admin') await page.getByTestId('dash-tab-manage').click();
        }
        for (const card of c.cards) {
          assert.match(await page.getByTestId(card).innerText(), /后续版本/);
        }
        if (c.role !== 'operator') await page.getByTestId('dash-tab-me').click();
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

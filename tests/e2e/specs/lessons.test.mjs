// Issue 5: 微课堂 offline (read, answer, queued, sent when back online, points paid) and
// points at the counter (the rider's one-time code redeemed by the operator, only once).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { apiJson, apiLogin } from '../lib/api.mjs';
import { launchBrowser, newPhone, withScreenshot } from '../lib/browser.mjs';
import { loginAs, nextResponse, openTab } from '../lib/flows.mjs';
import { DEMO, startServer } from '../lib/server.mjs';

const seedDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../api/seed/lessons');
const OPTION_IDS = ['a', 'b', 'c', 'd'];

/** The right answers of a lesson, read from its source file (TOML front matter). */
function lessonKey(slug, locale = 'zh-CN') {
  const text = readFileSync(resolve(seedDir, `${slug}.${locale}.md`), 'utf8');
  const front = text.split(/^\+\+\+\s*$/m)[1];
  assert.ok(front, `front matter of ${slug}`);
  const head = front.split('[[quiz]]')[0];
  const num = (src, key) => Number(new RegExp(`^${key}\\s*=\\s*(\\d+)`, 'm').exec(src)?.[1]);
  const questions = front
    .split('[[quiz]]')
    .slice(1)
    .map((block) => ({ id: /^id\s*=\s*"([^"]+)"/m.exec(block)?.[1], answer: OPTION_IDS[num(block, 'answer')] }));
  assert.ok(questions.length > 0 && questions.every((q) => q.id && q.answer), `quiz of ${slug}`);
  return { points: num(head, 'points'), passMark: num(head, 'pass_mark'), questions };
}

const balanceOf = async (baseURL, token) => (await apiJson(baseURL, '/api/v1/me/points?per_page=1', { token })).balance;

describe('lessons and points', () => {
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

  test('a lesson read online stays readable offline; answers given offline are sent when back online and pay points', async () => {
    const token = await apiLogin(server.baseURL, DEMO.rider);
    const list = await apiJson(server.baseURL, '/api/v1/lessons?locale=zh-CN', { token });
    const lesson = list.items.find((l) => !l.progress?.passed);
    assert.ok(lesson, 'the demo rider has a lesson not passed yet');
    const key = lessonKey(lesson.slug);
    assert.equal(lesson.points, key.points);
    const before = await balanceOf(server.baseURL, token);

    const { context, page, problems } = await newPhone(browser, server.baseURL, { serviceWorkers: 'allow' });
    await withScreenshot('lessons-offline', page, async () => {
      await loginAs(page, DEMO.rider, 'rider-home');
      await page.getByTestId('tab-lessons').click();
      const cards = page.getByTestId('lessons-list').getByTestId('lesson-card');
      await cards.first().waitFor();
      assert.equal(await cards.count(), list.items.length);
      const passed = list.items.filter((l) => l.progress?.passed).length;
      assert.equal(await page.getByTestId('lessons-progress').getAttribute('data-done'), String(passed));
      // Passed lessons carry the tick.
      for (const l of list.items) {
        const card = page.locator(`[data-testid="lesson-card"][data-slug="${l.slug}"]`);
        assert.equal(await card.getAttribute('data-passed'), l.progress?.passed ? 'true' : 'false', l.slug);
      }

      await page.locator(`[data-testid="lesson-card"][data-slug="${lesson.slug}"] button`).click();
      await page.getByTestId('lesson-reader').waitFor();
      assert.equal(await page.getByTestId('lesson-title').innerText(), lesson.title);
      // Large text, generous lines: readable in sunlight, at arm's length.
      const type = await page.getByTestId('lesson-body').evaluate((el) => {
        const s = getComputedStyle(el);
        return { size: parseFloat(s.fontSize), line: parseFloat(s.lineHeight) };
      });
      assert.ok(type.size >= 18, `body text is ${type.size}px`);
      assert.ok(type.line / type.size >= 1.65, `line height ${type.line}/${type.size}`);
      const bodyText = await page.getByTestId('lesson-body').innerText();
      assert.ok(bodyText.length > 200, 'the lesson body is shown');

      // "Download all" keeps every lesson for offline reading, counting as it goes.
      await page.getByTestId('lesson-back').click();
      await page.getByTestId('lessons-download').click();
      await page.getByTestId('lessons-downloaded').waitFor({ timeout: 30_000 });
      assert.equal((await page.getByTestId('lessons-downloaded').innerText()).trim(), `${list.items.length} 节课都已下载，没网也能看`);
      await page.locator(`[data-testid="lesson-card"][data-slug="${lesson.slug}"] button`).click();
      await page.getByTestId('lesson-reader').waitFor();

      // The service worker has the shell; then the network goes.
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
      await context.setOffline(true);
      await page.getByTestId('offline-banner').waitFor();
      const nav = await page.reload();
      assert.equal(nav?.fromServiceWorker(), true, 'the shell came from the service worker');
      await page.getByTestId('lesson-reader').waitFor();
      assert.equal(await page.getByTestId('lesson-title').innerText(), lesson.title);
      assert.equal(await page.getByTestId('lesson-body').innerText(), bodyText);
      assert.match(await page.getByTestId('lesson-age').innerText(), /的数据$/);

      // Back to the list, into a lesson never opened (downloaded), and back in, all offline.
      await page.getByTestId('lesson-back').click();
      await page.getByTestId('lessons-list').waitFor();
      assert.equal(await page.getByTestId('lessons-age').getAttribute('data-stale'), 'true');
      assert.equal(await cards.count(), list.items.length);
      const other = list.items.find((l) => l.slug !== lesson.slug);
      await page.locator(`[data-testid="lesson-card"][data-slug="${other.slug}"] button`).click();
      await page.locator(`[data-testid="lesson-reader"][data-slug="${other.slug}"]`).waitFor();
      assert.equal(await page.getByTestId('lesson-title').innerText(), other.title);
      await page.getByTestId('lesson-back').click();
      await page.locator(`[data-testid="lesson-card"][data-slug="${lesson.slug}"] button`).click();
      await page.locator(`[data-testid="lesson-reader"][data-slug="${lesson.slug}"]`).waitFor();

      // The quiz, one question at a time. One answer wrong when the rest still pass.
      const total = key.questions.length;
      const oneWrong = ((total - 1) / total) * 100 >= key.passMark;
      const wrongId = oneWrong ? key.questions[0].id : null;
      await page.getByTestId('lesson-start-quiz').click();
      for (const [i, q] of key.questions.entries()) {
        await page.locator(`[data-testid="quiz"][data-index="${i}"]`).waitFor();
        assert.equal(await page.getByTestId('quiz-prompt').getAttribute('data-question-id'), q.id);
        assert.equal(await page.getByTestId('quiz-counter').innerText(), `第 ${i + 1}/${total} 题`);
        const pick = q.id === wrongId ? OPTION_IDS.find((o) => o !== q.answer) : q.answer;
        const option = page.locator(`[data-testid="quiz-option"][data-option-id="${pick}"]`);
        const box = await option.boundingBox();
        assert.ok(box && box.height >= 48, `option is a big target: ${JSON.stringify(box)}`);
        await option.click();
        assert.equal(await option.getAttribute('aria-checked'), 'true');
        await page.getByTestId(i === total - 1 ? 'quiz-submit' : 'quiz-next').click();
      }
      const queued = page.getByTestId('quiz-queued');
      await queued.waitFor();
      assert.match(await queued.innerText(), /已保存，联网后提交/);
      const outbox = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('warmnew.lessons.outbox.')));
      assert.equal(outbox.length, 1, 'the answers wait in local storage');

      // Back online: sent by itself, graded, paid.
      const sent = nextResponse(page, 'POST', `/api/v1/lessons/${lesson.slug}/attempts`);
      await context.setOffline(false);
      const res = await sent;
      assert.ok(res.ok(), `attempt → ${res.status()}`);
      const graded = await res.json();
      const result = page.getByTestId('quiz-result');
      await result.waitFor();
      assert.equal(graded.passed, true);
      assert.deepEqual(graded.wrong_question_ids, wrongId ? [wrongId] : []);
      assert.equal(graded.points_awarded, key.points);
      assert.equal(await result.getAttribute('data-passed'), 'true');
      assert.equal(await page.getByTestId('quiz-score').innerText(), `${graded.score} 分`);
      assert.equal(await page.getByTestId('quiz-points').locator('strong').innerText(), `+${key.points} 积分`);
      assert.equal(await page.getByTestId('quiz-balance').getAttribute('data-balance'), String(before + key.points));
      await page.getByTestId('quiz-from-queue').waitFor();
      const rows = page.getByTestId('review-row');
      assert.equal(await rows.count(), total);
      for (const [i, q] of key.questions.entries()) {
        assert.equal(await rows.nth(i).getAttribute('data-right'), q.id === wrongId ? 'false' : 'true', q.id);
      }

      // The list shows it passed; 我的 shows the new balance, and the ledger the lesson.
      await page.getByTestId('quiz-to-list').click();
      await page.locator(`[data-testid="lesson-card"][data-slug="${lesson.slug}"][data-passed="true"]`).waitFor();
      await page.getByTestId('tab-me').click();
      await page.locator(`[data-testid="points-balance"][data-balance="${before + key.points}"]`).waitFor();
      // The kept copy shows first (its balance already updated by the graded attempt); the
      // history follows from the server.
      await page.waitForFunction(
        (delta) => document.querySelector('[data-testid="points-entry"]')?.getAttribute('data-delta') === delta,
        String(key.points),
      );
      const first = page.getByTestId('points-entry').first();
      assert.equal(await first.getAttribute('data-reason'), 'lesson');
      assert.equal(await first.getAttribute('data-delta'), String(key.points));
      assert.equal(await balanceOf(server.baseURL, token), before + key.points);
      assert.deepEqual(problems.filter((p) => !/Failed to load resource|ERR_INTERNET_DISCONNECTED/.test(p)), []);
    }, server.logs);
    await context.close();
  });

  test('the rider shows a one-time code; the operator redeems it once, and the same code again is refused', async () => {
    const riderToken = await apiLogin(server.baseURL, DEMO.rider);
    const opToken = await apiLogin(server.baseURL, DEMO.operator);
    const me = await apiJson(server.baseURL, '/api/v1/me', { token: opToken });
    const balance = await balanceOf(server.baseURL, riderToken);
    const { items } = await apiJson(server.baseURL, `/api/v1/rewards?station_id=${me.station_id}`, { token: opToken });
    const affordable = items.filter((r) => r.active && r.cost <= balance && r.stock !== 0);
    // Prefer one with a stock, so the stock left is checked too.
    const reward = affordable.find((r) => r.stock !== null) ?? affordable[0];
    assert.ok(reward, `a reward the demo rider (${balance} points) can have`);

    const rider = await newPhone(browser, server.baseURL);
    const op = await newPhone(browser, server.baseURL);
    await withScreenshot('redeem-rider', rider.page, async () => {
      await loginAs(rider.page, DEMO.rider, 'rider-home');
      await rider.page.getByTestId('tab-me').click();
      await rider.page.locator(`[data-testid="points-balance"][data-balance="${balance}"]`).waitFor();
      const [created] = await Promise.all([
        nextResponse(rider.page, 'POST', '/api/v1/me/redemption-codes'),
        rider.page.getByTestId('show-code').click(),
      ]);
      assert.equal(created.status(), 201);
      const screen = rider.page.getByTestId('code-screen');
      await rider.page.locator('[data-testid="code-screen"][data-state="active"]').waitFor();
      const code = await rider.page.getByTestId('code-digits').getAttribute('data-code');
      assert.match(code ?? '', /^\d{6}$/);
      assert.equal(code, (await created.json()).code);
      assert.equal(await rider.page.getByTestId('code-digits').innerText(), `${code.slice(0, 3)} ${code.slice(3)}`);
      assert.match(await rider.page.getByTestId('code-countdown').innerText(), /^[45]:[0-5]\d 后失效$/);
      assert.ok(await rider.page.getByTestId('code-qr').evaluate((img) => img.complete && img.naturalWidth > 0), 'the QR image renders');
      // Full screen: the code covers the tabs.
      const box = await screen.boundingBox();
      assert.ok(box && box.width >= 389 && box.height >= 843, JSON.stringify(box));

      await withScreenshot('redeem-operator', op.page, async () => {
        await loginAs(op.page, DEMO.operator, 'operator-home');
        await openTab(op.page, 'redeem');
        const panel = op.page.getByTestId('redeem-panel');
        await panel.waitFor();
        const redeemOnce = async () => {
          await op.page.getByTestId('redeem-code').fill(code);
          await op.page.locator(`[data-testid="redeem-reward"][data-reward-id="${reward.id}"]`).click();
          const [res] = await Promise.all([
            nextResponse(op.page, 'POST', `/api/v1/stations/${me.station_id}/redemptions`),
            op.page.getByTestId('redeem-submit').click(),
          ]);
          return res;
        };

        const ok = await redeemOnce();
        assert.equal(ok.status(), 201);
        await op.page.getByTestId('redeem-done').waitFor();
        assert.equal(await op.page.getByTestId('redeem-rider').innerText(), `${(await apiJson(server.baseURL, '/api/v1/me', { token: riderToken })).display_name} · 138****0001`);
        assert.equal(await op.page.getByTestId('redeem-cost').innerText(), `\u2212${reward.cost}`);
        assert.equal(await op.page.getByTestId('redeem-balance').innerText(), String(balance - reward.cost));
        if (reward.stock !== null) assert.equal(await op.page.getByTestId('redeem-stock').innerText(), String(reward.stock - 1));

        // The rider's screen sees it happen.
        await rider.page.getByTestId('code-redeemed').waitFor({ timeout: 15_000 });
        assert.match(await rider.page.getByTestId('code-redeemed').innerText(), new RegExp(`\u2212${reward.cost} 积分`));

        // The same code a second time: refused, in words.
        await op.page.getByTestId('redeem-next').click();
        const again = await redeemOnce();
        assert.equal(again.status(), 409);
        const error = op.page.getByTestId('redeem-error');
        await error.waitFor();
        assert.equal(await error.getAttribute('data-code'), 'redemption_code_used');
        assert.match(await error.innerText(), /已经用过了/);
        assert.equal(await op.page.getByTestId('redeem-done').count(), 0);
      }, server.logs);

      assert.equal(await balanceOf(server.baseURL, riderToken), balance - reward.cost);
      await rider.page.getByTestId('code-close').click();
      await screen.waitFor({ state: 'detached' });
      await rider.page.locator(`[data-testid="points-balance"][data-balance="${balance - reward.cost}"]`).waitFor();
      assert.equal(await rider.page.getByTestId('points-entry').first().getAttribute('data-reason'), 'redemption');
    }, server.logs);
    await rider.context.close();
    await op.context.close();
  });
});

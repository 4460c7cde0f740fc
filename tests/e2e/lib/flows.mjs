// Steps the specs share. Every wait is on an element or a response, never on time.
import assert from 'node:assert/strict';
import { DEMO_PASSWORD } from './server.mjs';

/** A valid mainland mobile number outside the demo range. */
export function randomPhone() {
  const rest = String(Math.floor(Math.random() * 1e9)).padStart(9, '0');
  return `19${rest}`;
}

/** A password the server accepts: long, not common, not containing the phone number. */
export function randomPassword() {
  return `Warm-${Math.random().toString(36).slice(2, 10)}-station-e2e`;
}

export const masked = (phone) => `${phone.slice(0, 3)}****${phone.slice(7)}`;

/**
 * Resolves with the response to the first request matching method and path.
 * @param {import('playwright-core').Page} page
 */
export function nextResponse(page, method, path) {
  return page.waitForResponse(
    (r) => r.request().method() === method && new URL(r.url()).pathname === path,
  );
}

/** Logs in through the form and waits for the login response; returns it. */
export async function login(page, phone, password = DEMO_PASSWORD) {
  await page.getByTestId('login-phone').fill(phone);
  await page.getByTestId('login-password').fill(password);
  const [res] = await Promise.all([
    nextResponse(page, 'POST', '/api/v1/auth/login'),
    page.getByTestId('login-submit').click(),
  ]);
  return res;
}

/** Opens the app and logs in as a demo account, expecting success and the given home. */
export async function loginAs(page, phone, homeTestId) {
  await page.goto('/');
  const res = await login(page, phone);
  assert.equal(res.status(), 200, `login as ${phone}`);
  await page.getByTestId(homeTestId).waitFor();
}

export async function navLabels(page) {
  return page.getByTestId('bottom-nav').locator('.tab-label').allTextContents();
}

export const htmlLang = (page) => page.evaluate(() => document.documentElement.lang);

/**
 * Waits until the element with `testid` shows exactly `expected` (for text filled in by a
 * later response); fails with what it showed instead.
 * @param {import('playwright-core').Page} page
 */
export async function waitForText(page, testid, expected, timeout = 10_000) {
  try {
    await page.waitForFunction(
      ([id, want]) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() === want,
      [testid, expected],
      { timeout },
    );
  } catch {
    const shown = await page.getByTestId(testid).first().textContent({ timeout: 1_000 }).catch(() => '<missing>');
    throw new Error(`[data-testid=${testid}] shows ${JSON.stringify(shown)}, expected ${JSON.stringify(expected)}`);
  }
}

/**
 * Opens a tab of the bottom navigation (rider home or operator console) and waits for its panel.
 * @param {import('playwright-core').Page} page
 * @param {string} id
 */
export async function openTab(page, id) {
  await page.getByTestId(`tab-${id}`).click();
  await page.getByTestId(`panel-${id}`).waitFor();
}

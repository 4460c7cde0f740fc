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

/**
 * Opens the login from wherever the app is: nothing to do when it already shows (a gated
 * action asked for it); otherwise 我的 → 登录 in the rider shell anyone sees without an account.
 * @param {import('playwright-core').Page} page
 */
export async function openLogin(page) {
  const form = page.getByTestId('login-form');
  const sheet = page.getByTestId('login-sheet');
  await page.getByTestId('rider-home').or(sheet).first().waitFor();
  if (await sheet.isVisible()) return form.waitFor();
  await page.getByTestId('tab-me').click();
  await page.getByTestId('me-login').click();
  await form.waitFor();
}

/** Logs in through the form (opening it first when needed) and waits for the login response; returns it. */
export async function login(page, phone, password = DEMO_PASSWORD) {
  await openLogin(page);
  await usePasswordLogin(page);
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
  if (homeTestId === 'rider-home') {
    // Logged in from 我的: back to the first tab, where a rider's flows start.
    await page.getByTestId('login-sheet').waitFor({ state: 'detached' });
    await page.getByTestId('tab-stations').click();
    await page.getByTestId('panel-stations').waitFor();
  }
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

/**
 * The login form opens on code login (获取验证码); switches it to the password form when it
 * is not already showing.
 * @param {import('playwright-core').Page} page
 */
export async function usePasswordLogin(page) {
  const form = page.getByTestId('login-form');
  await form.waitFor();
  if ((await form.getAttribute('data-mode')) === 'code') {
    await page.getByTestId('login-use-password').click();
    await page.locator('[data-testid="login-form"][data-mode="password"]').waitFor();
  }
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Per server, how many codes each phone had when devCode last returned one. */
const codesRead = new WeakMap();

/**
 * The latest one-time code the dev console sender logged for `phone` (logged masked, as
 * `dev sms to 138****0001: code 123456`), waiting until one newer than the last this returned
 * for that phone shows up: the log streams in, and a second code must not be mistaken for the
 * first.
 * @param {{ logs: () => string }} server
 * @param {string} phone
 */
export async function devCode(server, phone, timeout = 10_000) {
  const re = new RegExp(`dev sms to ${escapeRe(masked(phone))}: code (\\d{6})`, 'g');
  if (!codesRead.has(server)) codesRead.set(server, new Map());
  const read = codesRead.get(server);
  const deadline = Date.now() + timeout;
  for (;;) {
    const all = [...server.logs().matchAll(re)];
    if (all.length > (read.get(phone) ?? 0)) {
      read.set(phone, all.length);
      return all[all.length - 1][1];
    }
    if (Date.now() > deadline) throw new Error(`no new code for ${masked(phone)} in the server log`);
    // Bounded poll of a child process's output (nothing on the page to wait for).
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Logs in by code on the login form (already showing, in code mode): phone → 获取验证码 →
 * the code from the server log → 登录. Returns the login response.
 * @param {import('playwright-core').Page} page
 * @param {{ logs: () => string }} server
 * @param {string} phone
 */
export async function loginWithCode(page, server, phone) {
  await page.locator('[data-testid="login-form"][data-mode="code"]').waitFor();
  await page.getByTestId('login-phone').fill(phone);
  const sent = nextResponse(page, 'POST', '/api/v1/auth/codes');
  await page.getByTestId('login-send-code').click();
  const res = await sent;
  assert.equal(res.status(), 202, 'code requested');
  const code = await devCode(server, phone);
  await page.getByTestId('login-code').fill(code);
  const [login] = await Promise.all([
    nextResponse(page, 'POST', '/api/v1/auth/login/code'),
    page.getByTestId('login-submit').click(),
  ]);
  return login;
}

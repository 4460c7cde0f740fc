// Debian's Chromium through playwright-core, at a phone's size, in Chinese.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const artifacts = resolve(dirname(fileURLToPath(import.meta.url)), '../artifacts');

export function launchBrowser() {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}: apt-get install -y chromium fonts-noto-cjk, or set CHROMIUM_PATH`,
    );
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A fresh phone: its own storage, 390×844, touch, zh-CN, Shanghai time.
 * @param {import('playwright-core').Browser} browser
 * @param {string} baseURL
 * @param {{ serviceWorkers?: 'allow' | 'block', locale?: string }} [opts]
 */
export async function newPhone(browser, baseURL, opts = {}) {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: opts.locale ?? 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    // Only the offline test needs the service worker; elsewhere it would only add caching.
    serviceWorkers: opts.serviceWorkers ?? 'block',
    acceptDownloads: true,
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  return { context, page, problems };
}

/**
 * A desktop browser (the city dashboard's device): 1440×900, mouse, zh-CN, Shanghai time.
 * @param {import('playwright-core').Browser} browser
 * @param {string} baseURL
 */
export async function newDesktop(browser, baseURL) {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    serviceWorkers: 'block',
    acceptDownloads: true,
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  return { context, page, problems };
}

/**
 * Runs `fn`; on failure keeps a screenshot in tests/e2e/artifacts/ and adds the server log.
 * @template T
 * @param {string} name
 * @param {import('playwright-core').Page} page
 * @param {() => Promise<T>} fn
 * @param {() => string} [serverLogs]
 */
export async function withScreenshot(name, page, fn, serverLogs) {
  try {
    return await fn();
  } catch (err) {
    mkdirSync(artifacts, { recursive: true });
    const file = join(artifacts, `${name.replace(/[^\w-]+/g, '_')}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => {});
    const e = /** @type {Error} */ (err);
    e.message += `\nscreenshot: ${file}\nurl: ${page.url()}`;
    if (serverLogs) e.message += `\n${serverLogs().slice(-4000)}`;
    throw e;
  }
}

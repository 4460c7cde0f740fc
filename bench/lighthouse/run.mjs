#!/usr/bin/env node
// Lighthouse, mobile (its default: Moto G Power screen, simulated slow 4G and 4× CPU slowdown),
// against the warmnew binary with demo data: the rider's first screen without an account, and
// the station list (a district picked earlier, so no GPS prompt). Each page is measured RUNS
// times and the median run by performance is kept. A benchmark, not a CI step.
//
//   (cd bench/lighthouse && npm ci && node run.mjs)
// Env: WARMNEW_BIN (default target/release/warmnew, else target/debug/warmnew), LH_PORT (18082),
//      CHROME_PATH (/usr/bin/chromium), RUNS (3).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import puppeteer from 'puppeteer-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const bin =
  process.env.WARMNEW_BIN ?? [join(root, 'target/release/warmnew'), join(root, 'target/debug/warmnew')].find((p) => existsSync(p));
const port = Number(process.env.LH_PORT ?? 18082);
const runs = Number(process.env.RUNS ?? 3);
const chromePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const base = `http://127.0.0.1:${port}`;

const PAGES = [
  { id: 'first-screen', title: 'rider first screen (no account, asks for location)', path: '/', storage: {} },
  {
    id: 'station-list',
    title: 'station list (district 静安区 picked before)',
    path: '/',
    storage: { 'warmnew.location': JSON.stringify({ mode: 'district', code: '310106' }) },
  },
];
const CATEGORIES = ['performance', 'accessibility', 'best-practices'];
const METRICS = ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index', 'interactive'];

async function startServer() {
  if (!bin || !existsSync(bin)) throw new Error('no warmnew binary: cargo build --release (or set WARMNEW_BIN)');
  const dir = mkdtempSync(join(tmpdir(), 'warmnew-lh-'));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WARMNEW_') && k !== 'DATABASE_URL' && k !== 'REDIS_URL'));
  Object.assign(env, {
    DATABASE_URL: `sqlite://${dir}/lh.db?mode=rwc`,
    WARMNEW_BIND: `127.0.0.1:${port}`,
    WARMNEW_DATA_DIR: dir,
    WARMNEW_ENV: 'dev',
    WARMNEW_DEMO_DATA: 'true',
    WARMNEW_DEMO_DAYS: '0',
    RUST_LOG: 'warn',
  });
  const child = spawn(bin, ['serve'], { cwd: dir, env, stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (child.exitCode !== null) throw new Error(`warmnew exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    stop: () => {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One Lighthouse run of `page` in a fresh browser context (nothing cached, no service worker). */
async function measure(browser, chromePort, spec) {
  const context = await browser.createBrowserContext();
  const tab = await context.newPage();
  const seeded = Object.keys(spec.storage).length > 0;
  if (seeded) {
    // Same origin, but a page that registers no service worker: only the storage is set.
    await tab.goto(`${base}/healthz`);
    await tab.evaluate((entries) => Object.entries(entries).forEach(([k, v]) => localStorage.setItem(k, v)), spec.storage);
  }
  const result = await lighthouse(
    `${base}${spec.path}`,
    { port: chromePort, output: 'json', logLevel: 'error', onlyCategories: CATEGORIES, disableStorageReset: seeded },
    undefined,
    tab,
  );
  await context.close();
  if (!result) throw new Error('lighthouse returned nothing');
  const lhr = result.lhr;
  if (lhr.runtimeError) throw new Error(`${spec.id}: ${lhr.runtimeError.message}`);
  const failing = (category) =>
    lhr.categories[category].auditRefs
      .filter((ref) => ref.weight > 0)
      .map((ref) => lhr.audits[ref.id])
      .filter((a) => a && a.score !== null && a.score < 0.9)
      .map((a) => `${a.id} (${a.displayValue ?? a.score})`);
  return {
    scores: Object.fromEntries(CATEGORIES.map((c) => [c, Math.round((lhr.categories[c].score ?? 0) * 100)])),
    metrics: Object.fromEntries(METRICS.map((m) => [m, lhr.audits[m]?.numericValue ?? null])),
    below90: { performance: failing('performance'), accessibility: failing('accessibility') },
    lighthouse: lhr.lighthouseVersion,
    userAgent: lhr.environment.hostUserAgent,
  };
}

const server = await startServer();
const chrome = await chromeLauncher.launch({ chromePath, chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'] });
const results = [];
try {
  const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}`, defaultViewport: null });
  for (const spec of PAGES) {
    const all = [];
    for (let i = 0; i < runs; i++) all.push(await measure(browser, chrome.port, spec));
    all.sort((a, b) => a.scores.performance - b.scores.performance);
    const median = all[Math.floor(all.length / 2)];
    results.push({ page: spec.id, title: spec.title, runs: all.map((r) => r.scores), median });
    console.error(`${spec.id}: ${JSON.stringify(median.scores)}`);
  }
  await browser.disconnect();
} finally {
  chrome.kill();
  server.stop();
}

const summary = {
  date: new Date().toISOString(),
  binary: bin.replace(`${root}/`, ''),
  settings: 'Lighthouse default mobile: simulated throttling (150 ms RTT, 1.6 Mbps, 4x CPU), 412x823 @2.625',
  runs,
  results,
};
writeFileSync(join(here, 'results.json'), `${JSON.stringify(summary, null, 2)}\n`);

const ms = (v) => (v === null ? '—' : v < 10 ? v.toFixed(3) : `${Math.round(v)} ms`);
console.log('| page | performance | accessibility | best practices | FCP | LCP | TBT | CLS | SI |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of results) {
  const m = r.median.metrics;
  console.log(
    `| ${r.title} | ${r.median.scores.performance} (runs ${r.runs.map((x) => x.performance).join(', ')}) | ${r.median.scores.accessibility} | ${r.median.scores['best-practices']} | ${ms(m['first-contentful-paint'])} | ${ms(m['largest-contentful-paint'])} | ${ms(m['total-blocking-time'])} | ${ms(m['cumulative-layout-shift'])} | ${ms(m['speed-index'])} |`,
  );
}
for (const r of results) {
  const b = r.median.below90;
  if (b.performance.length || b.accessibility.length) console.log(`\n${r.page} audits under 0.9: ${[...b.performance, ...b.accessibility].join(', ')}`);
}

// The budget check counts the entry and its static imports, not chunks loaded on demand, and
// fails (exit 1, with the table) above the limit.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { firstLoad } from './budget.mjs';

const script = fileURLToPath(new URL('./budget.mjs', import.meta.url));
/** @type {string[]} */
const dirs = [];

/** A dist/ with an entry, a chunk it imports statically and one it imports on demand;
 * sizes roughly in gzipped KB (random bytes as base64: gzip only undoes the base64). */
/** @param {{ entryKb: number, sharedKb: number, lazyKb: number }} sizes */
function fixture({ entryKb, sharedKb, lazyKb }) {
  const dist = mkdtempSync(join(tmpdir(), 'budget-'));
  dirs.push(dist);
  mkdirSync(join(dist, 'assets'));
  mkdirSync(join(dist, '.vite'));
  /** @param {number} kb */
  const js = (kb) => `export const x = "${randomBytes(Math.round(kb * 1024)).toString('base64')}";`;
  writeFileSync(join(dist, 'assets/index-a1.js'), js(entryKb));
  writeFileSync(join(dist, 'assets/shared-b2.js'), js(sharedKb));
  writeFileSync(join(dist, 'assets/Lazy-c3.js'), js(lazyKb));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><script type="module" crossorigin src="/assets/index-a1.js"></script><div id="app"></div>');
  writeFileSync(
    join(dist, '.vite/manifest.json'),
    JSON.stringify({
      'index.html': { file: 'assets/index-a1.js', isEntry: true, imports: ['_shared-b2.js'], dynamicImports: ['src/Lazy.tsx'] },
      '_shared-b2.js': { file: 'assets/shared-b2.js' },
      'src/Lazy.tsx': { file: 'assets/Lazy-c3.js', isDynamicEntry: true, imports: ['_shared-b2.js'] },
    }),
  );
  return dist;
}

/** @param {string} dist */
const run = (dist) => spawnSync(process.execPath, [script, dist], { encoding: 'utf8' });

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('first-load budget', () => {
  it('counts the entry and its static imports, not what loads on demand', () => {
    const files = firstLoad(fixture({ entryKb: 5, sharedKb: 5, lazyKb: 100 })).map((r) => r.file);
    expect(files).toEqual(['assets/index-a1.js', 'assets/shared-b2.js']);
  });

  it('passes under the budget', () => {
    const r = run(fixture({ entryKb: 30, sharedKb: 10, lazyKb: 200 }));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/within budget/);
  });

  it('fails above the budget, with the table', () => {
    const r = run(fixture({ entryKb: 40, sharedKb: 30, lazyKb: 1 }));
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/assets\/index-a1\.js/);
    expect(r.stdout).toMatch(/assets\/shared-b2\.js/);
    expect(r.stderr).toMatch(/over the 60 KB budget/);
  });

  it('fails when the manifest is missing (build.manifest off)', () => {
    const dist = fixture({ entryKb: 1, sharedKb: 1, lazyKb: 1 });
    rmSync(join(dist, '.vite'), { recursive: true });
    expect(run(dist).status).not.toBe(0);
  });
});

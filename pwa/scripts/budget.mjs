#!/usr/bin/env node
// First-load budget: the JavaScript a rider's phone must fetch before the first screen works —
// the scripts and module preloads of dist/index.html and every chunk they import statically
// (followed through Vite's manifest, dist/.vite/manifest.json) — gzipped at level 9. Chunks
// loaded on demand (dynamic import()) do not count. Exits 1 above the limit, with the table.
//
//   node scripts/budget.mjs [dist] [--limit-kb 60]
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const DEFAULT_LIMIT_KB = 60;

/** @typedef {{ file: string, bytes: number, gzip: number }} Row */
/** @typedef {{ file: string, isEntry?: boolean, imports?: string[] }} Chunk */

/**
 * The files of the first load, entry first.
 * @param {string} dist
 * @returns {Row[]}
 */
export function firstLoad(dist) {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const manifestPath = join(dist, '.vite', 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`${manifestPath} is missing: build with build.manifest = true`);
  /** @type {Record<string, Chunk>} */
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const byFile = new Map(Object.entries(manifest).map(([key, chunk]) => [chunk.file, key]));

  /** @type {string[]} */
  const files = [];
  const seen = new Set();
  /** @param {string} file */
  const add = (file) => {
    const clean = file.replace(/^\//, '');
    if (seen.has(clean) || !clean.endsWith('.js')) return;
    seen.add(clean);
    files.push(clean);
    const key = byFile.get(clean);
    for (const imported of (key && manifest[key]?.imports) || []) {
      const chunk = manifest[imported];
      if (chunk) add(chunk.file);
    }
  };
  // What the page itself names: module scripts and module preloads (inline scripts count too).
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"[^>]*>/g)) add(m[1] ?? '');
  for (const m of html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"[^>]*>/g)) add(m[1] ?? '');
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry && key.endsWith('.html')) add(chunk.file);

  const rows = files.map((file) => {
    const data = readFileSync(join(dist, file));
    return { file, bytes: data.length, gzip: gzipSync(data, { level: 9 }).length };
  });
  const inline = [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('');
  if (inline.trim()) rows.push({ file: 'index.html (inline scripts)', bytes: Buffer.byteLength(inline), gzip: gzipSync(inline, { level: 9 }).length });
  return rows;
}

/**
 * @param {Row[]} rows
 * @param {number} limitKb
 */
export function report(rows, limitKb) {
  const total = rows.reduce((n, r) => n + r.gzip, 0);
  /** @param {number} n */
  const kb = (n) => (n / 1024).toFixed(1).padStart(7);
  const width = Math.max(...rows.map((r) => r.file.length), 5);
  const lines = [
    `${'file'.padEnd(width)}  ${'raw KB'.padStart(7)}  ${'gzip KB'.padStart(7)}`,
    ...rows.map((r) => `${r.file.padEnd(width)}  ${kb(r.bytes)}  ${kb(r.gzip)}`),
    `${'total'.padEnd(width)}  ${kb(rows.reduce((n, r) => n + r.bytes, 0))}  ${kb(total)}   (budget ${limitKb} KB gzip)`,
  ];
  return { ok: total <= limitKb * 1024, total, text: lines.join('\n') };
}

/** @param {string[]} argv */
function main(argv) {
  const args = [...argv];
  let limitKb = DEFAULT_LIMIT_KB;
  const at = args.indexOf('--limit-kb');
  if (at >= 0) {
    limitKb = Number(args[at + 1]);
    args.splice(at, 2);
  }
  const dist = resolve(args[0] ?? join(fileURLToPath(new URL('.', import.meta.url)), '..', 'dist'));
  const { ok, total, text } = report(firstLoad(dist), limitKb);
  console.log(text);
  if (!ok) {
    console.error(`\nFirst-load JavaScript is ${(total / 1024).toFixed(1)} KB gzipped, over the ${limitKb} KB budget: load more of it on demand (lazyScreen, import()).`);
    process.exit(1);
  }
  console.log(`\nFirst-load JavaScript within budget: ${(total / 1024).toFixed(1)} of ${limitKb} KB gzipped.`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));

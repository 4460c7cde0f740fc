// The catalogue is split (see index.ts): a screen loaded on demand registers the parts whose
// keys it shows. A key of a part that is not loaded renders as an empty string, so this test
// reads the import graph of src/ the way the bundler cuts it — every dynamic import() starts a
// chunk — and fails when a file uses keys of a part that its chunk (or a chunk that loads it)
// does not register. The first load (main.tsx) registers none.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '..');
const PARTS = ['help', 'learn', 'operator', 'dashboard'] as const;
type Part = (typeof PARTS)[number];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return files(p);
    return /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) && !f.endsWith('.d.ts') ? [p] : [];
  });
}

const keysOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/^\s+([a-z][a-z0-9_]*):\s/gm)].map((m) => m[1]!);
const coreKeys = new Set(keysOf(join(SRC, 'i18n/zh-CN.ts')));
const partKeys = Object.fromEntries(PARTS.map((p) => [p, keysOf(join(SRC, `i18n/${p}.zh-CN.ts`)).filter((k) => !coreKeys.has(k))])) as Record<Part, string[]>;

function resolveImport(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      /* try the next */
    }
  }
  return null;
}

interface Module {
  imports: string[];
  dynamic: string[];
  uses: Set<Part>;
  registers: Set<Part>;
}

function parse(file: string): Module {
  const src = readFileSync(file, 'utf8');
  const imports: string[] = [];
  const dynamic: string[] = [];
  for (const m of src.matchAll(/^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\s+from\s+)?['"](\.[^'"]+)['"]/gm)) {
    const target = resolveImport(file, m[1]!);
    if (target) imports.push(target);
  }
  for (const m of src.matchAll(/import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
    const target = resolveImport(file, m[1]!);
    if (target) dynamic.push(target);
  }
  const registers = new Set<Part>(PARTS.filter((p) => imports.includes(join(SRC, `i18n/${p}.ts`))));
  // String literals: whole keys, and prefixes a key is built from (`hr_status_${s}`, label(t, 'hr_cat_', c)).
  const literals = [...src.matchAll(/'([a-z][a-z0-9_]*)'|"([a-z][a-z0-9_]*)"|`([a-z][a-z0-9_]*)(?:`|\$\{)/g)].map((m) => (m[1] ?? m[2] ?? m[3])!);
  const uses = new Set<Part>();
  for (const lit of literals) {
    for (const p of PARTS) {
      const hit = lit.endsWith('_')
        ? partKeys[p].some((k) => k.startsWith(lit)) && ![...coreKeys].some((k) => k.startsWith(lit))
        : partKeys[p].includes(lit);
      if (hit) uses.add(p);
    }
  }
  return { imports, dynamic, uses, registers };
}

describe('catalogue split', () => {
  const modules = new Map(files(SRC).map((f) => [f, parse(f)]));
  const closure = (root: string) => {
    const seen = new Set<string>();
    const walk = (f: string) => {
      if (seen.has(f) || !modules.has(f)) return;
      seen.add(f);
      modules.get(f)!.imports.forEach(walk);
    };
    walk(root);
    return seen;
  };
  const main = join(SRC, 'main.tsx');
  const roots = new Set([main, ...[...modules.values()].flatMap((m) => m.dynamic)]);
  const graph = new Map([...roots].map((r) => [r, closure(r)]));
  const registered = (r: string) => new Set([...graph.get(r)!].flatMap((f) => [...modules.get(f)!.registers]));

  // What a chunk can count on: what it registers, and what every chunk that loads it has.
  const available = new Map([...roots].map((r) => [r, registered(r)]));
  for (let round = 0; round < 5; round++) {
    for (const r of roots) {
      if (r === main) continue;
      const loaders = [...roots].filter((o) => [...graph.get(o)!].some((f) => modules.get(f)!.dynamic.includes(r)));
      const inherited = loaders.map((o) => available.get(o)!);
      const common = inherited.length ? PARTS.filter((p) => inherited.every((s) => s.has(p))) : [];
      available.set(r, new Set([...registered(r), ...common]));
    }
  }

  it('finds the parts and the chunks', () => {
    for (const p of PARTS) expect(partKeys[p].length, p).toBeGreaterThan(10);
    expect(roots.size).toBeGreaterThan(4);
  });

  it('every chunk registers the parts whose keys its files use', () => {
    const missing: string[] = [];
    for (const r of roots) {
      const have = available.get(r)!;
      for (const f of graph.get(r)!) {
        for (const p of modules.get(f)!.uses) {
          if (!have.has(p)) missing.push(`${relative(SRC, f)} uses i18n/${p} keys, not loaded with chunk ${relative(SRC, r)}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});

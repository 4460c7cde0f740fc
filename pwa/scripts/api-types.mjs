// Generates src/api/schema.d.ts from the committed OpenAPI document with openapi-typescript,
// or (with `check`) fails when the committed types differ from what the document gives.
//
//   node scripts/api-types.mjs write   # npm run gen:api
//   node scripts/api-types.mjs check   # npm run check:api
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const spec = resolve(root, process.env.WARMNEW_OPENAPI ?? '../openapi/openapi.json');
const target = join(root, 'src/api/schema.d.ts');
const cli = join(root, 'node_modules/openapi-typescript/bin/cli.js');
const mode = process.argv[2];

if (mode !== 'write' && mode !== 'check') {
  console.error('usage: node scripts/api-types.mjs write|check');
  process.exit(2);
}
if (!existsSync(spec)) {
  console.error(`api-types: ${spec} not found (generate it with \`warmnew openapi\`).`);
  process.exit(1);
}

/** @param {string} out */
const generate = (out) =>
  execFileSync(process.execPath, [cli, spec, '--output', out], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });

if (mode === 'write') {
  generate(target);
  console.log(`api-types: wrote ${relative(root, target)} from ${relative(root, spec)}`);
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'warmnew-api-types-'));
try {
  const fresh = join(dir, 'schema.d.ts');
  generate(fresh);
  const want = readFileSync(fresh, 'utf8');
  const have = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (want !== have) {
    const a = have.split('\n');
    const b = want.split('\n');
    let line = 0;
    while (line < a.length && line < b.length && a[line] === b[line]) line++;
    console.error(
      `api-types: ${relative(root, target)} is out of date with ${relative(root, spec)} ` +
        `(first difference at line ${line + 1}).\n` +
        `  committed: ${JSON.stringify(a[line] ?? '<end of file>')}\n` +
        `  generated: ${JSON.stringify(b[line] ?? '<end of file>')}\n` +
        'Run `npm run gen:api` in pwa/ and commit the result.',
    );
    process.exit(1);
  }
  console.log(`api-types: ${relative(root, target)} matches ${relative(root, spec)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

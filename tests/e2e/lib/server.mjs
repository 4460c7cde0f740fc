// Starts the real warmnew binary on a free loopback port with a fresh SQLite database in a
// temporary directory, waits until /readyz answers 200, and stops it again.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const e2eDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const READY_TIMEOUT_MS = Number(process.env.E2E_READY_TIMEOUT_MS ?? 60_000);
const LOG_LIMIT = 64 * 1024;

export const DEMO_PASSWORD = 'nuanxin-demo-2026';
export const DEMO = {
  rider: '13800000001',
  operator: '13800000002',
  staff: '13800000003',
  admin: '13800000004',
};

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (srv.address());
      srv.close(() => ok(port));
    });
  });
}

const tail = (s) => (s.length > LOG_LIMIT ? s.slice(-LOG_LIMIT) : s);

/**
 * @returns {Promise<{ baseURL: string, stop: () => Promise<void>, logs: () => string, cli?: (args: string[], input?: string) => Promise<string> }>}
 */
export async function startServer() {
  // Against a server someone else runs (e.g. `vite preview` in front of a running binary
  // while working on the PWA): no process is started, and nothing is cleaned up.
  if (process.env.E2E_BASE_URL) {
    const baseURL = process.env.E2E_BASE_URL.replace(/\/$/, '');
    return { baseURL, stop: async () => {}, logs: () => `(server at ${baseURL} not started by the tests)` };
  }
  const bin = resolve(e2eDir, process.env.WARMNEW_BIN ?? '../../target/debug/warmnew');
  if (!existsSync(bin)) {
    throw new Error(`warmnew binary not found at ${bin}: run \`cargo build\` first or set WARMNEW_BIN`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'warmnew-e2e-'));
  const port = await freePort();
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('WARMNEW_') && k !== 'DATABASE_URL' && k !== 'REDIS_URL',
    ),
  );
  Object.assign(env, {
    DATABASE_URL: `sqlite://${dir}/e2e.db?mode=rwc`,
    WARMNEW_BIND: `127.0.0.1:${port}`,
    WARMNEW_ENV: 'dev',
    WARMNEW_DEMO_DATA: 'true',
    // A week of history is enough for the dashboard and keeps a debug build's start quick.
    WARMNEW_DEMO_DAYS: '7',
  });

  const child = spawn(bin, ['serve'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (stdout = tail(stdout + d)));
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr = tail(stderr + d)));
  /** @type {{code: number | null, signal: string | null} | null} */
  let exited = null;
  const exit = new Promise((ok) =>
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      ok(exited);
    }),
  );
  const spawnError = new Promise((_, fail) => child.on('error', fail));
  const logs = () => `--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`;
  /** Runs `warmnew …args` on this server's database (e.g. `user add`, which has no API);
   * `input` goes to its stdin. Resolves with its stdout, rejects on a non-zero exit. */
  const cli = (args, input = '') =>
    new Promise((ok, fail) => {
      const run = spawn(bin, args, { cwd: dir, env, stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      run.stdout.setEncoding('utf8').on('data', (d) => (out += d));
      run.stderr.setEncoding('utf8').on('data', (d) => (err = tail(err + d)));
      run.on('error', fail);
      run.on('exit', (code) => (code === 0 ? ok(out) : fail(new Error(`warmnew ${args.join(' ')} exited ${code}\n${err}`))));
      run.stdin.end(input);
    });

  const baseURL = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    for (;;) {
      if (exited) throw new Error(`warmnew exited early (${JSON.stringify(exited)})`);
      try {
        const res = await fetch(`${baseURL}/readyz`, { signal: AbortSignal.timeout(2_000) });
        if (res.status === 200) break;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) throw new Error(`warmnew not ready after ${READY_TIMEOUT_MS} ms`);
      // Bounded readiness poll of a child process (not used to synchronise with the page).
      await Promise.race([new Promise((r) => setTimeout(r, 200)), exit, spawnError]);
    }
  } catch (err) {
    await stop();
    throw new Error(`${/** @type {Error} */ (err).message}\n${logs()}`);
  }
  return { baseURL, stop, logs, cli };
}

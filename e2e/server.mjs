// Starts the real KAIRR server for the browser tests: a free loopback port, a
// throw-away SQLite file, the built front end in dist/, and a fast demo clock.
//
// KAIRR_SERVER_BIN picks the binary (default target/debug/kairr-server, which
// `./kairr test` builds); KAIRR_E2E_PRESIMULATE_DAYS overrides the simulated history;
// KAIRR_E2E_STATIC_DIR the front end (default dist/). The demo accounts
// (demo.researcher, demo.reviewer, demo.committee, demo.admin) get the fixed
// password DEMO_PASSWORD.

import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Password of the demo accounts in the browser tests. */
export const DEMO_PASSWORD = 'e2e-password-2026';

/** A port nobody listens on right now (the OS picks it). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Spawns the server and resolves once `GET /healthz` answers 200 with the
 * status page's histories read (`histories_ready`).
 * Returns `{ baseUrl, stop(), log() }`; `stop()` kills it and removes the temp dir.
 * `port` fixes the port (else a free one); `settingsToml` is written to a
 * settings file the server reads (`--config`); `tickSeconds` is the demo clock
 * (1 s: the browser tests see changes fast; `./kairr up` runs 5 s).
 */
export async function startServer({ healthTimeoutMs = 120_000, port: fixedPort, settingsToml, tickSeconds = 1 } = {}) {
  const bin = resolve(REPO_ROOT, process.env.KAIRR_SERVER_BIN ?? 'target/debug/kairr-server');
  if (!existsSync(bin)) {
    throw new Error(`server binary ${bin} not found: build it with 'cargo build -p kairr-server'`);
  }
  const dist = resolve(REPO_ROOT, process.env.KAIRR_E2E_STATIC_DIR ?? 'dist');
  if (!existsSync(join(dist, 'index.html'))) {
    throw new Error(`${dist}/index.html not found: build the front end with 'trunk build --release' in app/`);
  }
  const port = fixedPort ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'kairr-e2e-'));
  const args = [];
  if (settingsToml) {
    writeFileSync(join(dir, 'kairr.toml'), settingsToml);
    args.push('--config', join(dir, 'kairr.toml'));
  }
  const logPath = join(dir, 'server.log');
  const logFile = createWriteStream(logPath);
  const child = spawn(bin, args, {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      KAIRR_LISTEN: `127.0.0.1:${port}`,
      KAIRR_DATABASE_PATH: join(dir, 'kairr.sqlite'),
      KAIRR_STATIC_DIR: dist,
      KAIRR_DEMO__TICK_SECONDS: String(tickSeconds),
      KAIRR_DEMO__PRESIMULATE_DAYS: process.env.KAIRR_E2E_PRESIMULATE_DAYS ?? '90',
      KAIRR_RECORD_INTERVAL_SECONDS: '60',
      KAIRR_DEMO__ACCOUNTS_PASSWORD: DEMO_PASSWORD,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(logFile);
  child.stderr.pipe(logFile);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);

  const log = () => (existsSync(logPath) ? readFileSync(logPath, 'utf8') : '');
  const tail = () => log().split('\n').slice(-40).join('\n');
  const stop = async () => {
    process.off('exit', killOnExit);
    if (exited === null) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await gone;
      clearTimeout(timer);
    }
    logFile.end();
    rmSync(dir, { recursive: true, force: true });
  };

  const baseUrl = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (exited !== null) {
      const out = tail();
      await stop();
      throw new Error(`kairr-server exited during start-up (${JSON.stringify(exited)}); log:\n${out}`);
    }
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      // Ready: healthy, and the status page's histories read (else its
      // first view may go without some, as a cold server's does).
      if (res.status === 200 && (await res.json()).histories_ready) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > healthTimeoutMs) {
      const out = tail();
      await stop();
      throw new Error(`/healthz did not answer 200 with histories_ready within ${healthTimeoutMs} ms; log:\n${out}`);
    }
    await sleep(250);
  }
  const startupMs = Date.now() - started;
  return { baseUrl, startupMs, stop, log };
}

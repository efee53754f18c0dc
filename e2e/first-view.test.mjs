// The status page before and without its WebAssembly: the server's first
// view (server/src/first_view.rs) carries the live status as HTML; the app
// takes it over without moving anything. Layout shift is measured with the
// browser's own Layout Instability API and held to a budget.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { startServer } from './server.mjs';
import { SHOTS_DIR, checkPage, eventually, launchBrowser, startWatchdog } from './support.mjs';

const TEST_TIMEOUT_MS = 120_000;
/** CLS a page may reach while it loads (Google's "good" threshold). */
const CLS_BUDGET = 0.1;
/** Per page with a first view: elements whose boxes it and the app must share, and when the app has loaded all it loads. */
const PAGES = {
  '/': {
    steady: ['overall-status', 'component', 'incidents', 'maintenance', 'system', 'pool-card', 'start-answer', 'uptime-bars', 'load-chart', 'past-incidents'],
    // Uptime bars and charts for every system.
    loaded: async (page) => {
      const days = await page.$$eval('[data-testid=uptime-bars]', (bars) => bars.map((b) => b.childElementCount));
      assert.ok(days.length > 0 && days.every((n) => n === 90), `uptime bars still loading: ${days}`);
    },
  },
  '/allocations': {
    steady: ['public-round', 'round-title', 'demo-note', 'public-totals', 'pool-totals'],
    loaded: async (page) => {
      assert.ok(await page.locator('[data-testid=projects-table]').count() > 0, 'awarded projects still loading');
      assert.ok(await page.locator('[data-testid=account], [data-testid=nav-sign-in]').count() > 0);
    },
  },
};

startWatchdog(10);

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
}, { timeout: 180_000 });

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A context in `lang` (the language cookie, as the app sets it) at `width`. */
async function newContext(width, lang = 'ko') {
  const context = await browser.newContext({ viewport: { width, height: width === 375 ? 812 : 900 } });
  if (lang !== 'ko') {
    await context.addCookies([{ name: 'kairr_locale', value: lang, url: server.baseUrl }]);
    await context.addInitScript((l) => localStorage.setItem('kairr.locale', l), lang);
  }
  return context;
}

/** Boxes of the `steady` elements, by test id and index, rounded to pixels. */
function boxes(page, steady) {
  return page.evaluate((ids) => {
    const out = {};
    for (const id of ids) {
      document.querySelectorAll(`[data-testid="${id}"]`).forEach((e, i) => {
        const r = e.getBoundingClientRect();
        out[`${id}#${i}`] = [r.x, r.y + window.scrollY, r.width, r.height].map(Math.round);
      });
    }
    return out;
  }, steady);
}

describe('the status page before its WebAssembly', { timeout: 8 * 60_000 }, () => {
  test('the first HTML carries the live status, readable with no script at all', { timeout: TEST_TIMEOUT_MS }, async () => {
    const status = await (await fetch(`${server.baseUrl}/api/v1/status`)).json();
    for (const lang of ['ko', 'en']) {
      const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 812 } });
      if (lang === 'en') await context.addCookies([{ name: 'kairr_locale', value: 'en', url: server.baseUrl }]);
      const page = await context.newPage();
      try {
        const res = await page.goto(`${server.baseUrl}/`, { waitUntil: 'load' });
        assert.match(res.headers()['vary'] ?? '', /cookie/i, 'the first view varies with the language cookie');
        const html = await res.text();
        assert.match(html, new RegExp(`<html lang=("?)${lang}\\1`), `<html lang> is ${lang}`);
        assert.equal(await page.locator('[data-testid=system]').count(), status.systems.length);
        const pools = status.systems.flatMap((s) => s.pools);
        assert.equal(await page.locator('[data-testid=pool-card]').count(), pools.length);
        assert.equal(await page.locator('[data-testid=start-answer]').count(), pools.length, 'every pool answers for the default GPU count');
        assert.ok(['operational', 'maintenance', 'degraded', 'partial_outage', 'major_outage'].includes(
          await page.locator('[data-testid=overall-status]').getAttribute('data-status')));
        const free = await page.locator('[data-testid=free-gpus]').first().innerText();
        assert.match(free, /\d/, 'free GPUs are shown as figures');
        const heading = await page.locator('#systems-title').innerText();
        assert.equal(/[\uAC00-\uD7A3]/.test(heading), lang === 'ko', `the first view is in ${lang}: ${heading}`);
        await page.screenshot({ path: join(SHOTS_DIR, `first-view-nojs-${lang}-375.png`), fullPage: true });
        // The transparency page: its round and what each pool awarded.
        const pub = await (await fetch(`${server.baseUrl}/api/v1/allocations/public`)).json();
        await page.goto(`${server.baseUrl}/allocations`, { waitUntil: 'load' });
        assert.equal(await page.locator('[data-testid=round-title]').innerText(), lang === 'ko' ? pub.title_ko : pub.title_en);
        assert.match(await page.locator('[data-testid=public-totals]').innerText(), new RegExp(String(pub.requests)));
        assert.equal(await page.locator('[data-testid=pool-totals] li').count(), pub.pools.length);
        assert.equal(await page.locator('[aria-current=page]').innerText(), lang === 'ko' ? '자원 배분 현황' : 'Allocations');
      } finally {
        await context.close();
      }
    }
  });

  test('the first view is accessible and fits a phone before the app starts', { timeout: 2 * TEST_TIMEOUT_MS }, async () => {
    const failures = [];
    for (const path of Object.keys(PAGES)) {
      for (const width of [375, 1280]) {
        const context = await newContext(width);
        const page = await context.newPage();
        // No wasm: what a visitor sees while it downloads.
        await page.route(/_bg\.wasm$/, (route) => route.abort());
        try {
          await page.goto(`${server.baseUrl}${path}`, { waitUntil: 'load' });
          assert.equal(await page.locator('#first-view').count(), 1);
          const name = path === '/' ? 'status' : path.slice(1);
          await page.screenshot({ path: join(SHOTS_DIR, `first-view-${name}-ko-${width}.png`), fullPage: width === 375 });
          await checkPage(page, `first view of ${path} ${width}px`, width, failures);
        } finally {
          await context.close();
        }
      }
    }
    assert.deepEqual(failures, [], 'serious or critical axe violations, or horizontal scroll at 375 px, in the first view');
  });

  test('the app takes the first view over without moving it, and the page stays within its layout-shift budget', { timeout: 4 * TEST_TIMEOUT_MS }, async () => {
    const figures = [];
    for (const [path, { steady, loaded }] of Object.entries(PAGES)) for (const lang of ['ko', 'en']) {
      for (const width of [375, 1280]) {
        const context = await newContext(width, lang);
        await context.addInitScript(() => {
          window.__cls = 0;
          window.__shifts = [];
          new PerformanceObserver((list) => {
            for (const e of list.getEntries()) {
              if (e.hadRecentInput) continue;
              window.__cls += e.value;
              window.__shifts.push({ value: e.value, at: Math.round(e.startTime), nodes: (e.sources ?? []).map((s) => s.node?.dataset?.testid ?? s.node?.className ?? s.node?.nodeName) });
            }
          }).observe({ type: 'layout-shift', buffered: true });
        });
        const page = await context.newPage();
        const errors = [];
        page.on('pageerror', (err) => errors.push(String(err)));
        // Hold the wasm back until the first view has been measured.
        let release;
        const held = new Promise((r) => { release = r; });
        await page.route(/_bg\.wasm$/, async (route) => { await held; await route.continue(); });
        try {
          await page.goto(`${server.baseUrl}${path}`, { waitUntil: 'domcontentloaded' });
          await page.locator(`#first-view [data-testid=${steady[0]}]`).first().waitFor();
          const before = await boxes(page, steady);
          release();
          await page.waitForFunction((id) => !document.getElementById('first-view') && document.querySelector(`[data-testid=${id}]`), steady[0], { timeout: 60_000 });
          // Everything the app loads later.
          await eventually(() => loaded(page), { timeoutMs: 30_000 });
          await page.waitForTimeout(500);
          const afterBoxes = await boxes(page, steady);
          const moved = Object.entries(before)
            .filter(([k, b]) => !afterBoxes[k] || b.some((v, i) => Math.abs(v - afterBoxes[k][i]) > 2))
            .map(([k, b]) => `${k}: ${JSON.stringify(b)} → ${JSON.stringify(afterBoxes[k])}`);
          assert.deepEqual(moved, [], `${path} ${lang} ${width}px: the app moved what the first view showed`);
          assert.deepEqual(Object.keys(afterBoxes).sort(), Object.keys(before).sort(), 'the same elements before and after');
          const { cls, shifts } = await page.evaluate(() => ({ cls: window.__cls, shifts: window.__shifts }));
          figures.push(`${path} ${lang} ${width}px ${cls.toFixed(3)}`);
          assert.ok(cls <= CLS_BUDGET, `${path} ${lang} ${width}px: CLS ${cls.toFixed(3)} over ${CLS_BUDGET}: ${JSON.stringify(shifts)}`);
          assert.deepEqual(errors, []);
          const name = path === '/' ? 'status' : path.slice(1);
          await page.screenshot({ path: join(SHOTS_DIR, `first-view-app-${name}-${lang}-${width}.png`), fullPage: width === 375 });
        } finally {
          release();
          await context.close();
        }
      }
    }
    console.log(`e2e: cumulative layout shift while each page loads (budget ${CLS_BUDGET}): ${figures.join(', ')}`);
  });
});

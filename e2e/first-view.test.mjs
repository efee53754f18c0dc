// The status page before and without its WebAssembly: the server's first
// view (server/src/first_view.rs) carries the live status as HTML; the app
// takes it over without moving anything. Layout shift is measured with the
// browser's own Layout Instability API and held to a budget.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { DEMO_PASSWORD, REPO_ROOT, startServer } from './server.mjs';
import { SHOTS_DIR, appReady, checkPage, eventually, launchBrowser, signIn, startWatchdog } from './support.mjs';

const TEST_TIMEOUT_MS = 120_000;
/** CLS a page may reach while it loads (Google's "good" threshold). */
const CLS_BUDGET = 0.1;
/**
 * Per page with a first view: elements whose boxes it and the app must share
 * (`steady`), those whose words must be the same too (`sameText`), who is
 * signed in (`user`), and when the app has loaded all it loads.
 */
const PAGES = {
  '/': {
    steady: ['overall-status', 'component', 'incidents', 'maintenance', 'system', 'pool-card', 'start-answer', 'uptime-key', 'uptime-bars', 'load-chart', 'past-incidents'],
    sameText: ['uptime-key'],
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
  // Pages whose content the app loads open with their introduction in the HTML.
  '/advisor': {
    steady: ['page-intro', 'nav-advisor', 'nav-sign-in'],
    sameText: ['page-intro', 'nav-advisor'],
    loaded: async (page) => {
      assert.ok(await page.locator('[data-testid=top-pick]').count() > 0, 'the recommendation still loading');
    },
  },
  '/login': {
    steady: ['page-intro', 'nav-sign-in'],
    sameText: ['page-intro', 'nav-sign-in'],
    loaded: async (page) => {
      assert.ok(await page.locator('[data-testid=login-form]').count() > 0, 'the sign-in form still loading');
    },
  },
  '/committee': {
    user: 'demo.committee',
    steady: ['page-intro', 'nav-home', 'account'],
    sameText: ['page-intro', 'nav-home', 'account'],
    loaded: async (page) => {
      assert.ok(await page.locator('[data-testid=committee-overview]').count() > 0, 'the overview still loading');
    },
  },
  '/admin/people': {
    user: 'demo.admin',
    steady: ['page-intro', 'nav-admin', 'account'],
    sameText: ['page-intro', 'nav-admin', 'account'],
    loaded: async (page) => {
      assert.ok(await page.locator('[data-testid=people-table] tbody tr').count() > 0, 'the people still loading');
    },
  },
};

// `KAIRR_FV_PAGES=/advisor,/committee node --test first-view.test.mjs` checks only those.
for (const path of Object.keys(PAGES)) {
  if (process.env.KAIRR_FV_PAGES && !process.env.KAIRR_FV_PAGES.split(',').includes(path)) delete PAGES[path];
}

/** Reads a locale pair's JSON (`shared/locales/<app>/<lang>.json`). */
function locale(app, lang) {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'shared', 'locales', app, `${lang}.json`), 'utf8'));
}

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

/** A context in `lang` (the language cookie, as the app sets it) at `width`, `user` signed in. */
async function newContext(width, lang = 'ko', user = undefined) {
  const phone = { 375: { height: 812 }, 412: { height: 823, deviceScaleFactor: 1.75 } }[width];
  const context = await browser.newContext({ viewport: { width, height: phone?.height ?? 900 }, deviceScaleFactor: phone?.deviceScaleFactor ?? 1 });
  if (lang !== 'ko') {
    await context.addCookies([{ name: 'kairr_locale', value: lang, url: server.baseUrl }]);
    await context.addInitScript((l) => localStorage.setItem('kairr.locale', l), lang);
  }
  if (user) {
    const page = await context.newPage();
    await signIn(page, server.baseUrl, user, DEMO_PASSWORD, '/committee');
    await page.close();
  }
  return context;
}

/** The words of the `ids` elements, by test id and index. */
function texts(page, ids) {
  return page.evaluate((ids) => {
    const out = {};
    for (const id of ids) {
      document.querySelectorAll(`[data-testid="${id}"]`).forEach((e, i) => { out[`${id}#${i}`] = e.innerText.trim(); });
    }
    return out;
  }, ids);
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
        const common = JSON.parse(readFileSync(join(REPO_ROOT, 'shared', 'locales', `${lang}.json`), 'utf8'));
        assert.equal(await page.title(), common['app.title'], 'the title is in the page\'s language');
        // The history is drawn by the server: 90 days per system, a chart per system naming its range.
        const days = await page.$$eval('[data-testid=uptime-bars]', (bars) => bars.map((b) => b.querySelectorAll('[data-testid=uptime-day]').length));
        assert.deepEqual(days, status.systems.map(() => 90), 'every system has its 90 days in the first HTML');
        assert.equal(await page.locator('[data-testid=load-chart] svg path.chart-utilisation').count(), status.systems.length);
        const dayLabel = await page.locator('[data-testid=load-chart]').first().getAttribute('aria-label');
        assert.match(dayLabel, lang === 'ko' ? /최근 24시간/ : /last 24 h/, `the chart says its range: ${dayLabel}`);
        await page.screenshot({ path: join(SHOTS_DIR, `first-view-nojs-${lang}-375.png`), fullPage: true });
        // Without script the charts' range is a link to the page over a week.
        await Promise.all([
          page.waitForURL((u) => u.search === '?range=7d', { timeout: 10_000 }),
          page.locator('[data-testid=range-7d]').click(),
        ]);
        assert.equal(await page.locator('[data-testid=range-7d]').getAttribute('aria-current'), 'true');
        assert.match(await page.locator('[data-testid=load-chart]').first().getAttribute('aria-label'), lang === 'ko' ? /최근 7일/ : /last 7 days/);
        // Without script the GPU question still works: Enter asks the server (and keeps the range).
        await page.locator('[data-testid=gpu-input]').fill('1024');
        await Promise.all([
          page.waitForURL((u) => u.search === '?gpus=1024&range=7d', { timeout: 10_000 }),
          page.locator('[data-testid=gpu-input]').press('Enter'),
        ]);
        assert.match(await page.locator('[data-testid=start-answer]').first().innerText(), /1,024/);
        // The transparency page: its round and what each pool awarded.
        const pub = await (await fetch(`${server.baseUrl}/api/v1/allocations/public`)).json();
        await page.goto(`${server.baseUrl}/allocations`, { waitUntil: 'load' });
        assert.equal(await page.locator('[data-testid=round-title]').innerText(), lang === 'ko' ? pub.title_ko : pub.title_en);
        assert.match(await page.locator('[data-testid=public-totals]').innerText(), new RegExp(String(pub.requests)));
        assert.equal(await page.locator('[data-testid=pool-totals] li').count(), pub.pools.length);
        assert.equal(await page.locator('[aria-current=page]').innerText(), lang === 'ko' ? '자원 배분 현황' : 'Allocations');
        // Pages whose content the app loads: their introduction, in the language asked for.
        for (const [path, app, key] of [['/advisor', 'advisor', 'advisor'], ['/committee', 'programme', 'programme.committee'],
          ['/requests/new', 'programme', 'programme.request'], ['/admin/provisioning', 'admin', 'admin.prov'],
          ['/login', 'programme', 'programme.login']]) {
          const strings = locale(app, lang);
          await page.goto(`${server.baseUrl}${path}`, { waitUntil: 'load' });
          assert.equal(await page.locator('#first-view [data-testid=page-intro] h2').innerText(), strings[`${key}.title`], path);
          assert.equal(await page.locator('#first-view [data-testid=page-intro] p').innerText(), strings[`${key}.intro`], path);
          assert.equal(await page.locator('#first-view [data-testid=nav-sign-in]').count(), 1, `${path}: nobody signed in`);
        }
      } finally {
        await context.close();
      }
    }
  });

  test('the first view is accessible and fits a phone before the app starts', { timeout: 2 * TEST_TIMEOUT_MS }, async () => {
    const failures = [];
    for (const [path, { user }] of Object.entries(PAGES)) {
      for (const width of [375, 1280]) {
        const context = await newContext(width, 'ko', user);
        const page = await context.newPage();
        // No wasm: what a visitor sees while it downloads.
        await page.route(/_bg\.wasm$/, (route) => route.abort());
        try {
          await page.goto(`${server.baseUrl}${path}`, { waitUntil: 'load' });
          assert.equal(await page.locator('#first-view').count(), 1);
          const name = path === '/' ? 'status' : path.slice(1).replaceAll('/', '-');
          await page.screenshot({ path: join(SHOTS_DIR, `first-view-${name}-ko-${width}.png`), fullPage: width === 375 });
          await checkPage(page, `first view of ${path} ${width}px`, width, failures);
        } finally {
          await context.close();
        }
      }
    }
    assert.deepEqual(failures, [], 'serious or critical axe violations, or horizontal scroll at 375 px, in the first view');
  });

  test('the app takes the first view over without moving it or painting anything larger, and the page stays within its layout-shift budget', { timeout: 4 * TEST_TIMEOUT_MS }, async () => {
    const figures = [];
    for (const [path, { steady, sameText = [], user, loaded }] of Object.entries(PAGES)) for (const lang of ['ko', 'en']) {
      // 412 px at 1.75 device pixels per CSS pixel is Lighthouse's phone.
      for (const width of [375, 412, 1280]) {
        const context = await newContext(width, lang, user);
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
          // Largest contentful paints: the first view's must stay the page's
          // largest, or the page's LCP waits for the wasm.
          window.__lcp = [];
          new PerformanceObserver((list) => {
            for (const e of list.getEntries()) {
              window.__lcp.push({ at: Math.round(e.startTime), size: e.size, inFirstView: !!e.element?.closest('#first-view'), what: `${e.element?.nodeName} ${(e.element?.textContent ?? '').trim().slice(0, 60)}` });
            }
          }).observe({ type: 'largest-contentful-paint', buffered: true });
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
          const wordsBefore = await texts(page, sameText);
          const titleBefore = await page.title();
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
          assert.deepEqual(await texts(page, sameText), wordsBefore, `${path} ${lang} ${width}px: the first view says what the app says`);
          // The document title names the page, in its language, as the app titles it.
          assert.equal(await page.title(), titleBefore, `${path} ${lang} ${width}px: the first view is titled as the app titles it`);
          if (steady.includes('page-intro') && path !== '/advisor') {
            const name = await page.locator('[data-testid=page-intro] h2').innerText();
            assert.ok(titleBefore.startsWith(`${name} · KAIRR`), `${path} ${lang}: the title names the page: "${titleBefore}"`);
          }
          const { cls, shifts } = await page.evaluate(() => ({ cls: window.__cls, shifts: window.__shifts }));
          figures.push(`${path} ${lang} ${width}px ${cls.toFixed(3)}`);
          assert.ok(cls <= CLS_BUDGET, `${path} ${lang} ${width}px: CLS ${cls.toFixed(3)} over ${CLS_BUDGET}: ${JSON.stringify(shifts)}`);
          assert.deepEqual(errors, []);
          const lcp = await page.evaluate(() => window.__lcp);
          assert.ok(lcp.length > 0 && lcp[0].inFirstView, `${path} ${lang} ${width}px: the first largest paint is the first view's: ${JSON.stringify(lcp)}`);
          // Content the app loads later may be larger; what the first view
          // already showed must not be painted again as a larger candidate.
          const shown = new Set(lcp.filter((e) => e.inFirstView).map((e) => e.what));
          assert.deepEqual(lcp.filter((e) => !e.inFirstView && shown.has(e.what)), [], `${path} ${lang} ${width}px: the app repainted the first view's largest element larger (the page's LCP would wait for the wasm)`);
          const name = path === '/' ? 'status' : path.slice(1).replaceAll('/', '-');
          await page.screenshot({ path: join(SHOTS_DIR, `first-view-app-${name}-${lang}-${width}.png`), fullPage: width === 375 });
        } finally {
          release();
          await context.close();
        }
      }
    }
    console.log(`e2e: cumulative layout shift while each page loads (budget ${CLS_BUDGET}): ${figures.join(', ')}`);
  });

  test('an app whose storage holds no language keeps the one its page came in (the cookie\'s)', { timeout: TEST_TIMEOUT_MS }, async () => {
    // The language cookie without the stored choice: storage cleared, or not
    // available. The server renders the page in English; the app must not
    // switch it to Korean when it takes over.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addCookies([{ name: 'kairr_locale', value: 'en', url: server.baseUrl }]);
    const strings = JSON.parse(readFileSync(join(REPO_ROOT, 'shared', 'locales', 'advisor', 'en.json'), 'utf8'));
    try {
      for (const path of ['/advisor', '/reviews']) {
        const page = await context.newPage();
        await page.goto(`${server.baseUrl}${path}`);
        await appReady(page);
        await page.waitForTimeout(300);
        assert.equal(await page.evaluate(() => document.documentElement.lang), 'en', `${path}: <html lang> stays en`);
        assert.equal(await page.evaluate(() => localStorage.getItem('kairr.locale')), 'en', `${path}: the app remembers the page's language`);
        if (path === '/advisor') {
          assert.equal(await page.locator('[data-testid=page-intro] h2').innerText(), strings['advisor.title']);
        }
        await page.evaluate(() => localStorage.clear());
        await page.close();
      }
    } finally {
      await context.close();
    }
  });
});

// Browser journeys of the public status page, one per test, against the real
// server (e2e/server.mjs) and the release front end in dist/, in Debian's
// headless Chromium driven by playwright-core. Accessibility is checked with axe-core.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { startServer } from './server.mjs';
import { SHOTS_DIR, appReady, checkPage, eventually, htmlLang, launchBrowser, startWatchdog, useLanguage } from './support.mjs';

const SYSTEM_IDS = ['kakao', 'kisti6', 'naver', 'nhn'];
const ANSWERS = ['now', 'if_shorter_than', 'before_maintenance', 'waits', 'too_large', 'unavailable'];
const HANGUL = /[\uAC00-\uD7A3]/;
const ISO_DATE = /\d{4}-\d{2}-\d{2}/;
const TEST_TIMEOUT_MS = 120_000;

// The whole file may not run longer than 15 minutes, whatever hangs.
startWatchdog(15);

let server;
let browser;

/** A fresh browser context (own storage) with the page loaded and the systems rendered. */
async function openStatusPage({ width = 1280, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  await page.goto(`${server.baseUrl}/`, { waitUntil: 'load' });
  await appReady(page);
  await page.locator('[data-testid=system]').first().waitFor({ timeout: 30_000 });
  return { context, page, errors };
}

/** Waits until the 90-day uptime bars of every system have rendered. */
async function waitForUptimeBars(page) {
  await eventually(async () => {
    const counts = await page.$$eval('[data-testid=uptime-bars]', (bars) =>
      bars.map((b) => b.querySelectorAll('[data-testid=uptime-day]').length),
    );
    assert.ok(counts.length >= SYSTEM_IDS.length, `expected uptime bars for every system, found ${counts.length}`);
    assert.ok(
      counts.every((n) => n === 90),
      `every [data-testid=uptime-bars] must hold 90 [data-testid=uptime-day], found ${JSON.stringify(counts)}`,
    );
  }, { timeoutMs: 30_000 });
}

/** The JSON body of a response, failing with the text when it is not JSON. */
async function jsonBody(res) {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    assert.fail(`expected a JSON body from ${res.url} (HTTP ${res.status}), got: ${text.slice(0, 300)}`);
  }
}

/** The answer `shared::start_now::start_now` gives for `pool` and `n` GPUs (the Rust rules, ported). */
function expectedStartAnswer(pool, n) {
  const per = Math.max(pool.gpus_per_node, 1);
  const gpus = Math.ceil(n / per) * per; // jobs take whole nodes
  if (gpus > pool.max_job_gpus) return 'too_large';
  if (pool.status === 'major_outage') return 'unavailable';
  // A whole-pool maintenance bounds a job when it comes before the walltime limit (or the pool has none).
  const m = pool.maintenance_in_seconds > 0 ? pool.maintenance_in_seconds : null;
  const binds = m != null && (pool.walltime_limit_hours == null || m < pool.walltime_limit_hours * 3600);
  if (gpus <= pool.largest_startable_gpus) return binds ? 'before_maintenance' : 'now';
  if (gpus <= pool.backfill_gpus) {
    const window = pool.backfill_window_seconds > 0 ? pool.backfill_window_seconds : null;
    if (window != null) return m != null && m <= window ? 'before_maintenance' : 'if_shorter_than';
    if (binds) return 'before_maintenance';
  }
  return 'waits';
}

before(async () => {
  server = await startServer();
  console.log(`e2e: kairr-server ready at ${server.baseUrl} after ${server.startupMs} ms`);
  browser = await launchBrowser();
}, { timeout: 180_000 });

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the public status page', { timeout: 14 * 60_000 }, () => {
  test('all four systems show with demo data in Korean by default', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page, errors } = await openStatusPage();
    try {
      await eventually(async () => {
        const ids = await page.$$eval('[data-testid=system]', (els) => els.map((e) => e.dataset.systemId));
        assert.deepEqual([...ids].sort(), SYSTEM_IDS, `data-system-id of [data-testid=system]: ${JSON.stringify(ids)}`);
      });
      const pools = await page.locator('[data-testid=pool-card]').count();
      assert.ok(pools >= 4, `expected at least 4 [data-testid=pool-card], found ${pools}`);
      assert.ok(await page.locator('[data-testid=demo-badge]').first().isVisible(), 'the demo badge must be visible');
      await waitForUptimeBars(page);

      const free = await page.$$eval('[data-testid=free-gpus]', (els) => els.map((e) => e.textContent.trim()));
      assert.ok(free.length >= 1, 'expected [data-testid=free-gpus] elements');
      for (const text of free) assert.match(text, /\d/, `free GPUs text without digits: "${text}"`);

      assert.equal(await htmlLang(page), 'ko', '<html lang> must be "ko" by default');
      const body = await page.evaluate(() => document.body.innerText);
      assert.match(body, HANGUL, 'the page must show Korean text by default');
      assert.deepEqual(errors, [], 'the page raised uncaught errors');
    } finally {
      await context.close();
    }
  });

  test('the component list says which systems are up before anything else', { timeout: TEST_TIMEOUT_MS }, async () => {
    for (const [width, height] of [[1280, 900], [375, 812]]) {
      const { context, page } = await openStatusPage({ width, height });
      try {
        const status = await (await fetch(`${server.baseUrl}/api/v1/status`)).json();
        const pools = status.systems.flatMap((s) => s.pools);
        const rows = page.locator('[data-testid=component]');
        assert.equal(await rows.count(), pools.length, 'one line per pool');
        // Read in one go: the live page replaces list and cards together, each second here.
        const lines = await page.evaluate((ids) => ids.map((id) => {
          const row = document.querySelector(`[data-testid=component][data-pool-id="${id}"]`);
          const card = document.querySelector(`[data-testid=pool-card][data-pool-id="${id}"]`);
          return {
            id,
            listed: row?.querySelector('[data-testid=component-status]')?.dataset.status,
            carded: card?.querySelector('[data-testid=pool-status]')?.dataset.status,
            text: row?.innerText ?? '',
            href: row?.querySelector('a')?.getAttribute('href'),
          };
        }), pools.map((p) => p.id));
        for (const line of lines) {
          assert.ok(line.listed, `${line.id}: a status in the list`);
          assert.equal(line.listed, line.carded, `${line.id}: the list and the card agree`);
          assert.match(line.text, /\d+ \/ [\d,]+/, `${line.id}: idle GPUs of all`);
          assert.equal(line.href, `#pool-${line.id}-name`);
        }
        // Above the fold: the first line on a phone, the whole list on a desktop.
        const bottoms = await page.$$eval('[data-testid=component]', (els) => els.map((e) => e.getBoundingClientRect().bottom));
        assert.ok(bottoms[0] <= height, `${width}px: the first line is visible without scrolling`);
        if (width === 1280) {
          const last = bottoms[pools.length - 1];
          assert.ok(last <= height, `1280px: every line is visible without scrolling (last ends at ${last})`);
        }
        await page.screenshot({ path: join(SHOTS_DIR, `status-components-${width}.png`) });
      } finally {
        await context.close();
      }
    }
  });

  test('the language toggle switches to English and the choice is remembered', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await openStatusPage();
    try {
      assert.equal(await htmlLang(page), 'ko');
      await page.locator('[data-testid=lang-toggle]').click();
      await page.waitForFunction(() => document.documentElement.lang === 'en', null, { timeout: 10_000 });
      await eventually(async () => {
        const badge = await page.locator('[data-testid=demo-badge]').first().innerText();
        assert.match(badge, /demo/i, `the demo badge should read in English, got "${badge}"`);
      });

      await page.reload({ waitUntil: 'load' });
      // The server's first view is in English already (the language cookie).
      assert.equal(await htmlLang(page), 'en', 'English must be remembered across a reload');
      await appReady(page);
      await page.locator('[data-testid=system]').first().waitFor({ timeout: 30_000 });
      assert.equal(await htmlLang(page), 'en', 'English must be remembered across a reload');
      await eventually(async () => {
        const badge = await page.locator('[data-testid=demo-badge]').first().innerText();
        assert.match(badge, /demo/i, `after reload the demo badge should still be English, got "${badge}"`);
      });

      await page.locator('[data-testid=lang-toggle]').click();
      await page.waitForFunction(() => document.documentElement.lang === 'ko', null, { timeout: 10_000 });
      await eventually(async () => {
        const badge = await page.locator('[data-testid=demo-badge]').first().innerText();
        assert.match(badge, HANGUL, `back in Korean the demo badge should be Korean, got "${badge}"`);
      });
    } finally {
      await context.close();
    }
  });

  test('a server-sent update reaches the page without a reload', { timeout: TEST_TIMEOUT_MS }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const streams = [];
    page.on('request', (req) => {
      if (req.resourceType() === 'eventsource') streams.push(req.url());
    });
    try {
      await page.goto(`${server.baseUrl}/`, { waitUntil: 'load' });
      const updated = page.locator('[data-testid=updated-ago]').first();
      await updated.waitFor({ timeout: 30_000 });
      await page.evaluate(() => {
        window.__marker = 1;
        // The histories shown are kept through a live update, not drawn again.
        document.querySelector('.system-history').__kept = 1;
      });
      const parts = [];
      page.on('request', (req) => {
        if (req.resourceType() === 'fetch' && new URL(req.url()).pathname === '/') parts.push(req.headers()['x-kairr-part'] ?? 'whole');
      });
      // What the reader opened stays open through the update.
      const past = page.locator('[data-testid=past-incidents] details').first();
      const hasPast = (await past.count()) > 0;
      if (hasPast) await past.locator('summary').click();
      // What an update leaves the same stays in the document: the systems'
      // heading is the same element, with the reader's selection on it.
      const selected = await page.evaluate(() => {
        const heading = document.getElementById('systems-title');
        heading.__same = 1;
        window.getSelection().selectAllChildren(heading);
        return window.getSelection().toString();
      });
      assert.ok(selected.length > 0, 'the heading could not be selected');
      const before = await updated.getAttribute('data-updated-at');
      assert.ok(before, '[data-testid=updated-ago] must carry data-updated-at');
      assert.ok(!Number.isNaN(Date.parse(before)), `data-updated-at is not a timestamp: "${before}"`);

      await page.waitForFunction(
        (prev) => {
          const el = document.querySelector('[data-testid=updated-ago]');
          return el && el.dataset.updatedAt && el.dataset.updatedAt !== prev;
        },
        before,
        { timeout: 15_000 },
      );
      const afterValue = await updated.getAttribute('data-updated-at');
      assert.ok(Date.parse(afterValue) > Date.parse(before), `updated-at went from ${before} to ${afterValue}`);
      assert.equal(await page.evaluate(() => window.__marker), 1, 'the page navigated or reloaded instead of updating in place');
      // The update's page is put in place after its stamp changes: a moment for it.
      await page.waitForTimeout(1_000);
      assert.equal(await page.evaluate(() => document.getElementById('systems-title').__same), 1, 'the update replaced what it left the same (the systems\' heading)');
      assert.equal(await page.evaluate(() => window.getSelection().toString()), selected, 'the update cleared the reader\'s selection');
      if (hasPast) {
        // The swap comes with the update's page: give it a moment, then the list must still be open.
        await page.waitForTimeout(1_000);
        assert.equal(await page.locator('[data-testid=past-incidents] details').first().getAttribute('open'), '', 'the past incidents closed on refresh');
      }
      assert.ok(streams.length >= 1, 'the page opened no EventSource (server-sent events) connection');
      assert.ok(parts.includes('live'), `each event fetches the page's live part: ${JSON.stringify(parts)}`);
      // The stream is up: its warning is there for when it is not, and hidden.
      assert.equal(await page.locator('[data-testid=stream-down]').count(), 1);
      assert.equal(await page.locator('[data-testid=stream-down]').isVisible(), false, 'the "live updates stopped" warning shows while they flow');
      assert.equal(await page.evaluate(() => document.querySelector('.system-history').__kept), 1, 'the live update redrew the histories');
      assert.equal(await page.locator('[data-testid=uptime-bars]').first().locator('[data-testid=uptime-day]').count(), 90);
    } finally {
      await context.close();
    }
  });

  test('a page whose live updates cannot arrive says so', { timeout: TEST_TIMEOUT_MS }, async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 812 } });
    await context.route('**/api/v1/events', (route) => route.abort());
    const page = await context.newPage();
    try {
      await page.goto(`${server.baseUrl}/`, { waitUntil: 'load' });
      const warning = page.locator('[data-testid=stream-down]');
      await warning.waitFor({ state: 'visible', timeout: 15_000 });
      assert.match(await warning.innerText(), /실시간 연결이 끊겨/);
    } finally {
      await context.close();
    }
  });

  test('asking for N GPUs answers for every pool and rejects bad input', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await openStatusPage();
    try {
      const input = page.locator('[data-testid=gpu-input]');
      const answers = () => page.$$eval('[data-testid=start-answer]', (els) => els.map((e) => e.dataset.answer));

      await input.fill('8');
      await eventually(async () => {
        const got = await answers();
        assert.ok(got.length >= 4, `expected a [data-testid=start-answer] per pool, found ${got.length}`);
        for (const a of got) assert.ok(ANSWERS.includes(a), `unexpected data-answer "${a}" in ${JSON.stringify(got)}`);
      });

      // Cross-check against the API on one consistent snapshot: the page's
      // data-updated-at must equal the API's updated_at and stay put while read.
      const snapshot = await eventually(async () => {
        const s = await page.evaluate(async () => {
          const api = await (await fetch('/api/v1/status')).json();
          const read = () => ({
            updatedAt: document.querySelector('[data-testid=updated-ago]')?.dataset.updatedAt ?? null,
            answers: [...document.querySelectorAll('[data-testid=start-answer]')].map((e) => ({
              answer: e.dataset.answer,
              poolId: e.dataset.poolId ?? e.closest('[data-pool-id]')?.dataset.poolId ?? null,
            })),
          });
          const first = read();
          await new Promise((r) => setTimeout(r, 100));
          return { api, first, second: read() };
        });
        assert.deepEqual(s.first, s.second, 'the page changed while being read');
        assert.equal(
          Date.parse(s.first.updatedAt),
          Date.parse(s.api.updated_at),
          `page data-updated-at ${s.first.updatedAt} never matched the API's updated_at ${s.api.updated_at}`,
        );
        return s;
      }, { timeoutMs: 30_000, intervalMs: 50 });

      const apiPools = snapshot.api.systems.flatMap((sys) => sys.pools);
      const shown = snapshot.first.answers;
      console.log(`e2e: answers for 8 GPUs at ${snapshot.api.updated_at}: ${shown.map((a) => `${a.poolId}=${a.answer}`).join(', ')}`);
      // The relation that must hold: if the node-rounded width fits the pool's
      // largest startable job and the pool accepts it and is not in a major
      // outage, the answer is `now`; conversely `now` needs that fit.
      for (const pool of apiPools) {
        const per = Math.max(pool.gpus_per_node, 1);
        const rounded = Math.ceil(8 / per) * per;
        const mustBeNow = rounded <= pool.largest_startable_gpus && rounded <= pool.max_job_gpus && pool.status !== 'major_outage';
        assert.equal(expectedStartAnswer(pool, 8) === 'now', mustBeNow);
      }
      if (shown.every((a) => a.poolId)) {
        for (const pool of apiPools) {
          const mine = shown.filter((a) => a.poolId === pool.id).map((a) => a.answer);
          assert.ok(mine.length >= 1, `no start-answer shown for pool ${pool.id}`);
          const want = expectedStartAnswer(pool, 8);
          for (const got of mine) {
            assert.equal(got, want, `pool ${pool.id} for 8 GPUs: page says ${got}, API figures imply ${want} ` +
              `(largest_startable_gpus=${pool.largest_startable_gpus}, gpus_per_node=${pool.gpus_per_node}, ` +
              `max_job_gpus=${pool.max_job_gpus}, status=${pool.status}, backfill_gpus=${pool.backfill_gpus}, ` +
              `backfill_window_seconds=${pool.backfill_window_seconds})`);
          }
        }
      } else {
        console.log('e2e: note: [data-testid=start-answer] carries no data-pool-id (nor an ancestor); comparing the answers as a multiset');
        const want = apiPools.map((p) => expectedStartAnswer(p, 8)).sort();
        const got = shown.map((a) => a.answer).sort();
        assert.deepEqual(got, want, 'answers for 8 GPUs on the page differ from what /api/v1/status implies');
      }

      await input.fill('100000');
      await eventually(async () => {
        const got = await answers();
        assert.ok(got.length >= 4, `expected a start answer per pool, found ${got.length}`);
        assert.ok(got.every((a) => a === 'too_large'), `100000 GPUs must be too_large everywhere, got ${JSON.stringify(got)}`);
      });

      await input.fill('abc');
      const error = page.locator('[data-testid=gpu-input-error]');
      await error.waitFor({ state: 'visible', timeout: 5_000 });
      assert.equal(await input.getAttribute('aria-invalid'), 'true', 'the input must have aria-invalid="true" on bad input');

      await input.fill('8');
      await error.waitFor({ state: 'hidden', timeout: 5_000 });
      assert.notEqual(await input.getAttribute('aria-invalid'), 'true', 'aria-invalid must clear once the input is valid');
      // Typing through refreshes (one a second here): the input never loses the focus (a phone would
      // close its keyboard), its error line is the same node throughout (announced once).
      await input.focus();
      await page.evaluate(() => {
        window.__blurs = 0;
        const el = document.getElementById('gpu-input');
        el.addEventListener('blur', () => { window.__blurs += 1; });
        window.__errorLine = document.getElementById('gpu-input-error');
      });
      const before = await page.locator('[data-testid=updated-ago]').getAttribute('data-updated-at');
      await page.keyboard.type('x');
      await page.waitForFunction((prev) => document.querySelector('[data-testid=updated-ago]').dataset.updatedAt !== prev, before, { timeout: 15_000 });
      await page.keyboard.press('Backspace');
      await page.waitForTimeout(2_500);
      assert.equal(await page.evaluate(() => window.__blurs), 0, 'the GPU input lost the focus during a refresh');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'gpu-input');
      assert.equal(await page.evaluate(() => window.__errorLine === document.getElementById('gpu-input-error')), true, 'the error line was replaced');
      // The count is kept in the address (a bad entry leaves the last good one).
      assert.equal(new URL(page.url()).search, '?gpus=8');
    } finally {
      await context.close();
    }
  });

  test('a link with ?gpus= opens the page asking about that count, in its first HTML and in the app', { timeout: TEST_TIMEOUT_MS }, async () => {
    const html = await (await fetch(`${server.baseUrl}/?gpus=1024`)).text();
    assert.match(html, /data-testid="gpu-input"[^>]*value="1024"|value="1024"[^>]*data-testid="gpu-input"/, 'the first view asks about 1,024 GPUs');
    assert.match(html, /1,024/);
    const odd = await fetch(`${server.baseUrl}/?gpus=-3`);
    assert.equal(odd.status, 200, 'a count that is not one opens the default page');
    assert.match(await odd.text(), /value="64"/);
    const context = await browser.newContext({ viewport: { width: 375, height: 812 } });
    const page = await context.newPage();
    try {
      await page.goto(`${server.baseUrl}/?gpus=1024`, { waitUntil: 'load' });
      await appReady(page);
      const input = page.locator('[data-testid=gpu-input]');
      assert.equal(await input.inputValue(), '1024');
      await eventually(async () => assert.match(await page.locator('[data-testid=start-answer]').first().innerText(), /1,024/));
      await input.fill('64');
      await eventually(async () => assert.equal(new URL(page.url()).search, '', 'the default count needs no query'));
      // Enter does not reload the page (the form is for a browser without the wasm).
      await page.evaluate(() => { window.__stay = 1; });
      await input.press('Enter');
      await page.waitForTimeout(500);
      assert.equal(await page.evaluate(() => window.__stay), 1, 'Enter reloaded the page');
    } finally {
      await context.close();
    }
  });

  test('the page has no serious accessibility violations and fits a phone screen', { timeout: 4 * TEST_TIMEOUT_MS }, async () => {
    const failures = [];
    for (const lang of ['ko', 'en']) {
      for (const width of [1280, 375]) {
        const { context, page } = await openStatusPage({ width, height: width === 375 ? 812 : 900 });
        try {
          await useLanguage(page, lang);
          await waitForUptimeBars(page);
          // A phone shows the last 30 days of each bar (wide enough to see and tap), a desktop all 90.
          const shown = await page.$$eval('[data-testid=uptime-bars]', (bars) => bars.map((b) =>
            [...b.querySelectorAll('[data-testid=uptime-day]')].filter((d) => d.getBoundingClientRect().width > 0).length));
          assert.ok(shown.length > 0);
          for (const days of shown) assert.equal(days, width === 375 ? 30 : 90, `${lang} ${width}px: days shown per bar`);
          const key = await page.locator('[data-testid=uptime-key]').innerText();
          assert.match(key, lang === 'ko' ? /가동률 = 1 − \(주요 장애 시간 \+ 0\.3 × 부분 장애 시간\)/ : /Uptime = 1 − \(major outage time \+ 0\.3 × partial outage time\)/);
          await page.screenshot({ path: join(SHOTS_DIR, `status-${lang}-${width}.png`), fullPage: true });

          await checkPage(page, `${lang} ${width}px`, width, failures);
        } finally {
          await context.close();
        }
      }
    }
    if (failures.length) console.log(`e2e: accessibility / layout problems:\n  ${failures.join('\n  ')}`);
    assert.deepEqual(failures, [], 'serious or critical axe violations, or horizontal scroll at 375 px');
  });

  test('the uptime bars can be explored with the keyboard', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await openStatusPage();
    try {
      await waitForUptimeBars(page);
      const inFirstBars = () =>
        page.evaluate(() => {
          const bars = document.querySelector('[data-testid=uptime-bars]');
          return !!bars && !!document.activeElement && bars.contains(document.activeElement);
        });
      let tabs = 0;
      while (!(await inFirstBars())) {
        assert.ok(tabs < 300, 'the first [data-testid=uptime-bars] was not reached with 300 Tab presses');
        await page.keyboard.press('Tab');
        tabs += 1;
      }

      // A screen reader hears the bar's hint once (its description) and
      // then each focused day's own name; nothing live repeats the day.
      const hint = await page.evaluate(() => {
        const bars = document.querySelector('[data-testid=uptime-bars]');
        return document.getElementById(bars.getAttribute('aria-describedby'))?.textContent.trim() ?? '';
      });
      assert.ok(hint.length > 10, `the bar is described by its hint: "${hint}"`);
      const focusedName = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
      const liveTexts = () =>
        page.evaluate(() =>
          [...document.querySelectorAll('[aria-live]:not([aria-live=off]), [role=status], [role=log], [role=alert]')].map(
            (e) => e.textContent.trim(),
          ),
        );
      const beforeName = await focusedName();
      await page.keyboard.press('ArrowLeft');
      const announced = await eventually(async () => {
        const name = await focusedName();
        assert.ok(ISO_DATE.test(name) && name !== beforeName, `after ArrowLeft the focused day names its date: "${name}" (was "${beforeName}")`);
        return name;
      }, { timeoutMs: 5_000 });
      // The detail line shows the same day for the eyes, hidden from the accessibility tree.
      const detail = page.locator('[data-testid=uptime-detail]').first();
      await eventually(async () => assert.equal((await detail.innerText()).trim(), announced), { timeoutMs: 5_000 });
      assert.equal(await detail.getAttribute('aria-hidden'), 'true');
      const repeated = (await liveTexts()).filter((t) => t.includes(announced));
      assert.deepEqual(repeated, [], 'no live region reads the focused day a second time');
      console.log(`e2e: reached the uptime bars after ${tabs} Tab presses; ArrowLeft moved to: "${announced}"`);
    } finally {
      await context.close();
    }
  });

  test('the load charts switch to a week without a reload, and the address keeps it', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page, errors } = await openStatusPage();
    try {
      await page.evaluate(() => {
        window.__marker = 1;
      });
      const labels = () => page.$$eval('[data-testid=load-chart]', (els) => els.map((e) => e.getAttribute('aria-label')));
      for (const label of await labels()) assert.match(label, /최근 24시간/, `a day's chart: ${label}`);
      // The input's count travels with the range.
      await page.locator('[data-testid=gpu-input]').fill('16');
      await page.waitForURL((u) => u.search === '?gpus=16', { timeout: 10_000 });
      await page.locator('[data-testid=range-7d]').click();
      await page.waitForURL((u) => u.search === '?gpus=16&range=7d', { timeout: 10_000 });
      await eventually(async () => {
        for (const label of await labels()) assert.match(label, /최근 7일/, `a week's chart: ${label}`);
        assert.equal(await page.locator('[data-testid=range-7d]').getAttribute('aria-current'), 'true');
      }, { timeoutMs: 15_000 });
      // A week of hourly buckets: 168 rows in each chart's table.
      const rows = await page.$$eval('[data-testid=load-table]', (ts) => ts.map((t) => t.querySelectorAll('tbody tr').length));
      assert.ok(rows.every((n) => n >= 160 && n <= 169), `hourly rows over a week: ${rows}`);
      assert.equal(await page.evaluate(() => window.__marker), 1, 'the range link reloaded the page');
      assert.equal(await page.locator('[data-testid=gpu-input]').inputValue(), '16');
      await page.locator('[data-testid=range-24h]').click();
      await page.waitForURL((u) => u.search === '?gpus=16', { timeout: 10_000 });
      await eventually(async () => {
        for (const label of await labels()) assert.match(label, /최근 24시간/);
      }, { timeoutMs: 15_000 });
      assert.deepEqual(errors, [], 'the page raised uncaught errors');
    } finally {
      await context.close();
    }
  });

  test('pointing at a day of the uptime bars says that day', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await openStatusPage();
    try {
      await waitForUptimeBars(page);
      const bars = page.locator('[data-testid=uptime-bars]').first();
      const detail = page.locator('[data-testid=uptime-detail]').first();
      const hint = await detail.innerText();
      const day = bars.locator('[data-testid=uptime-day]').nth(80);
      await day.hover();
      const date = await day.getAttribute('data-date');
      await eventually(async () => assert.ok((await detail.innerText()).startsWith(date), `the detail names ${date}: ${await detail.innerText()}`), { timeoutMs: 5_000 });
      assert.equal(await detail.innerText(), await day.getAttribute('aria-label'), 'the detail says what the day\'s name says');
      await page.mouse.move(5, 5);
      await eventually(async () => assert.equal(await detail.innerText(), hint, 'leaving the bars brings the hint back'), { timeoutMs: 5_000 });
    } finally {
      await context.close();
    }
  });

  test('an address no page has is a 404 page in the reader\'s language, with a way back', { timeout: TEST_TIMEOUT_MS }, async () => {
    const failures = [];
    for (const [lang, title] of [['ko', '페이지를 찾을 수 없습니다'], ['en', 'Page not found']]) {
      const context = await browser.newContext({ viewport: { width: 375, height: 812 } });
      if (lang === 'en') await context.addCookies([{ name: 'kairr_locale', value: 'en', url: server.baseUrl }]);
      const page = await context.newPage();
      try {
        const res = await page.goto(`${server.baseUrl}/no/such/page`, { waitUntil: 'load' });
        assert.equal(res.status(), 404);
        assert.equal(await htmlLang(page), lang);
        assert.match(await page.locator('main').innerText(), new RegExp(title));
        await page.locator('[data-testid=not-found]').waitFor();
        assert.equal(await page.locator('main a[href="/"]').count(), 1, 'a link back to the status page');
        await checkPage(page, `404 ${lang} 375px`, 375, failures);
        await page.screenshot({ path: join(SHOTS_DIR, `not-found-${lang}-375.png`), fullPage: true });
      } finally {
        await context.close();
      }
    }
    assert.deepEqual(failures, []);
  });

  test('the history API answers 404 for an unknown system and 400 for an unknown range', { timeout: TEST_TIMEOUT_MS }, async () => {
    const ok = await fetch(`${server.baseUrl}/api/v1/status/history?system=kisti6&range=24h`);
    assert.equal(ok.status, 200);
    const history = await jsonBody(ok);
    assert.equal(history.uptime_days.length, 90, 'history must carry 90 uptime days');

    const missing = await fetch(`${server.baseUrl}/api/v1/status/history?system=nope&range=24h`);
    assert.equal(missing.status, 404);
    assert.match(missing.headers.get('content-type') ?? '', /json/, '404 must be JSON');
    assert.equal(typeof (await jsonBody(missing)), 'object');

    const badRange = await fetch(`${server.baseUrl}/api/v1/status/history?system=kisti6&range=3y`);
    assert.equal(badRange.status, 400);
    assert.match(badRange.headers.get('content-type') ?? '', /json/, '400 must be JSON');
    assert.equal(typeof (await jsonBody(badRange)), 'object');
  });
});

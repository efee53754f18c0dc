// Browser journeys of the placement wizard (/advisor), one per test, against
// the real server (e2e/server.mjs) and the release front end in dist/ and
// dist/advisor/, in Debian's headless Chromium driven by playwright-core.
// Accessibility is checked with axe-core; the render time of an input change
// is measured with the app's performance marks and printed.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { startServer } from './server.mjs';
import { SHOTS_DIR, checkPage, eventually, htmlLang, launchBrowser, sleep, startWatchdog, useLanguage } from './support.mjs';

const HANGUL = /[\uAC00-\uD7A3]/;
const TEST_TIMEOUT_MS = 120_000;
const KISTI = 'kisti6-gh200';

startWatchdog(15);

let server;
let browser;
/** pool id → "hpc" | "cloud", from the catalogue the wizard uses. */
let poolKinds;

/** A fresh context with the wizard at `path` loaded and its first result shown. */
async function openAdvisor({ path = '/advisor', width = 1280, height = 900, context: given } = {}) {
  const context = given ?? (await browser.newContext({ viewport: { width, height }, acceptDownloads: true }));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  await page.goto(`${server.baseUrl}${path}`, { waitUntil: 'load' });
  await page.locator('[data-testid=top-pick], [data-testid=no-result]').first().waitFor({ timeout: 30_000 });
  return { context, page, errors };
}

const topPick = (page) => page.locator('[data-testid=top-pick]').getAttribute('data-pool-id');

async function goToStep(page, n) {
  await page.locator('[data-testid=step-button]').nth(n - 1).click();
  await page.locator(`fieldset[data-step="${n}"]`).waitFor({ state: 'visible', timeout: 5_000 });
}

/** Clicks the preset `id` and waits until the top pick reflects it. */
async function usePreset(page, id) {
  await page.locator(`[data-testid=preset][data-preset="${id}"]`).click();
  await eventually(async () => {
    assert.equal(await page.locator(`[data-preset="${id}"]`).getAttribute('aria-pressed'), 'true');
  });
  await page.locator('[data-testid=top-pick]').waitFor({ timeout: 10_000 });
}

/** The allocation and run-time text of the top pool's card. */
async function topEstimates(page) {
  return page.evaluate(() => {
    const card = document.querySelector('[data-testid=pool-result].top');
    const text = (id) => card?.querySelector(`[data-estimate="${id}"] dd`)?.textContent.trim() ?? null;
    return { pool: card?.dataset.poolId ?? null, allocation: text('allocation'), run: text('run') };
  });
}

before(async () => {
  server = await startServer();
  console.log(`e2e: kairr-server ready at ${server.baseUrl} after ${server.startupMs} ms`);
  const catalogue = await (await fetch(`${server.baseUrl}/api/v1/catalogue`)).json();
  poolKinds = Object.fromEntries(catalogue.systems.flatMap((s) => s.pools.map((p) => [p.id, s.kind])));
  browser = await launchBrowser();
}, { timeout: 180_000 });

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the placement wizard', { timeout: 14 * 60_000 }, () => {
  test('the status page links to the wizard, which opens in Korean with a recommendation', { timeout: TEST_TIMEOUT_MS }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (err) => errors.push(String(err)));
      await page.goto(`${server.baseUrl}/`, { waitUntil: 'load' });
      await page.locator('[data-testid=nav-advisor]').click();
      await page.waitForURL(/\/advisor/, { timeout: 10_000 });
      await page.locator('[data-testid=top-pick]').waitFor({ timeout: 30_000 });
      assert.equal(await htmlLang(page), 'ko');
      assert.match(await page.locator('main').innerText(), HANGUL);
      assert.ok(poolKinds[await topPick(page)], 'the top pick must be a catalogue pool');
      assert.equal(await page.locator('.site-nav a[aria-current=page]').getAttribute('href'), '/advisor');
      assert.deepEqual(errors, [], 'the wizard raised uncaught errors');
    } finally {
      await context.close();
    }
  });

  test('each preset yields the kind of pool the domain rules expect', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await openAdvisor();
    try {
      const expected = {
        cfd_mpi_256: (id) => id === KISTI,
        climate_emulator: (id) => id === KISTI,
        fine_tune_70b: (id) => poolKinds[id] === 'cloud',
        pretrain_7b: (id) => poolKinds[id] === 'cloud',
        inference_endpoint: (id) => poolKinds[id] === 'cloud',
        notebook: (id) => poolKinds[id] === 'cloud',
      };
      const got = {};
      for (const [preset, ok] of Object.entries(expected)) {
        await usePreset(page, preset);
        got[preset] = await eventually(async () => {
          const id = await topPick(page);
          assert.ok(ok(id), `preset ${preset}: top pick ${id} (${poolKinds[id]}) is not what the rules expect`);
          return id;
        }, { timeoutMs: 5_000 });
        const deciding = await page.locator('[data-testid=deciding]').innerText();
        assert.ok(deciding.length > 10, `preset ${preset} must name its deciding reason`);
      }
      console.log(`e2e: presets → ${Object.entries(got).map(([k, v]) => `${k}=${v}`).join(', ')}`);
    } finally {
      await context.close();
    }
  });

  test('the result follows an input change, computed in the browser', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await openAdvisor();
    try {
      const posts = [];
      page.on('request', (req) => {
        if (req.url().includes('/api/v1/placement')) posts.push(req.url());
      });
      await usePreset(page, 'cfd_mpi_256');
      const before = await topEstimates(page);
      await goToStep(page, 3);
      await page.locator('#f-gpus').fill('64');
      const afterChange = await eventually(async () => {
        const now = await topEstimates(page);
        assert.notEqual(now.allocation, before.allocation, `allocation stayed "${before.allocation}" after 256 → 64 GPUs`);
        assert.match(now.allocation, /64/);
        return now;
      }, { timeoutMs: 5_000 });
      assert.equal(await page.locator('[data-preset="cfd_mpi_256"]').getAttribute('aria-pressed'), 'false');
      assert.deepEqual(posts, [], 'the wizard must not ask the server for the ranking');
      console.log(`e2e: top pool ${before.pool} "${before.allocation}" → ${afterChange.pool} "${afterChange.allocation}"`);
    } finally {
      await context.close();
    }
  });

  test('invalid input is marked at the field with the engine message in the current language', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await openAdvisor();
    try {
      await goToStep(page, 3);
      const gpus = page.locator('#f-gpus');
      const error = page.locator('[data-field=gpus] [data-testid=field-error]');
      await gpus.fill('abc');
      await error.waitFor({ state: 'visible', timeout: 5_000 });
      assert.equal(await gpus.getAttribute('aria-invalid'), 'true');
      assert.match(await gpus.getAttribute('aria-describedby'), /f-gpus-error/);
      assert.equal(await error.getAttribute('role'), 'alert');
      assert.match(await error.innerText(), HANGUL, 'the message is Korean by default');
      await page.locator('[data-testid=no-result]').waitFor({ timeout: 5_000 });
      assert.ok(await page.locator('[data-testid=error-summary]').isVisible(), 'the error summary lists the field');
      // By its label, not its API name.
      const summary = page.locator('[data-testid=error-summary] li');
      assert.match(await summary.first().innerText(), /^GPU 수: /);
      assert.doesNotMatch(await summary.first().innerText(), /gpus/);

      await useLanguage(page, 'en');
      await eventually(async () => assert.match(await error.innerText(), /number/i));
      await eventually(async () => assert.match(await summary.first().innerText(), /^GPUs: /));

      await gpus.fill('16');
      await error.waitFor({ state: 'hidden', timeout: 5_000 });
      assert.equal(await gpus.getAttribute('aria-invalid'), 'false');
      await page.locator('[data-testid=top-pick]').waitFor({ timeout: 5_000 });
    } finally {
      await context.close();
    }
  });

  test('the link of a wizard state reproduces it in a fresh page', { timeout: TEST_TIMEOUT_MS }, async () => {
    const first = await openAdvisor();
    try {
      const { page } = first;
      await usePreset(page, 'climate_emulator');
      await goToStep(page, 3);
      await page.locator('#f-gpus').fill('96');
      await goToStep(page, 4);
      const url = await eventually(async () => {
        const u = new URL(page.url());
        assert.equal(u.searchParams.get('gpus'), '96', `URL not updated yet: ${page.url()}`);
        assert.equal(u.searchParams.get('step'), '4');
        return page.url();
      }, { timeoutMs: 5_000 });
      const shown = await topEstimates(page);
      console.log(`e2e: wizard URL ${url}`);

      const second = await openAdvisor({ path: url.slice(server.baseUrl.length) });
      try {
        const p2 = second.page;
        assert.ok(await p2.locator('fieldset[data-step="4"]').isVisible(), 'step 4 must be shown');
        assert.equal(await p2.locator('#f-gpus').inputValue(), '96');
        assert.equal(await p2.locator('#f-purpose').inputValue(), 'ai_coupled_simulation');
        await eventually(async () => {
          const again = await topEstimates(p2);
          assert.equal(again.pool, shown.pool);
          assert.equal(again.allocation, shown.allocation);
          assert.equal(again.run, shown.run);
        }, { timeoutMs: 5_000 });
      } finally {
        await second.context.close();
      }
    } finally {
      await first.context.close();
    }
  });

  test('the export downloads a JSON allocation draft the placement API accepts', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await openAdvisor();
    try {
      await usePreset(page, 'pretrain_7b');
      const top = await topPick(page);
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: 10_000 }),
        page.locator('[data-testid=export]').click(),
      ]);
      assert.match(download.suggestedFilename(), /\.json$/);
      const draft = JSON.parse(readFileSync(await download.path(), 'utf8'));
      assert.equal(draft.version, 1);
      assert.equal(draft.workload.purpose, 'llm_pretraining');
      assert.equal(draft.recommended_pool, top);
      assert.ok(draft.gpus >= 256 && draft.gpu_hours > 0, `gpus ${draft.gpus}, gpu_hours ${draft.gpu_hours}`);
      assert.ok(!Number.isNaN(Date.parse(draft.generated_at)));
      assert.equal(await page.locator('a[data-testid=request]').getAttribute('href'), '/requests/new', '"Request this allocation" links to the request form');

      const res = await fetch(`${server.baseUrl}/api/v1/placement`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(draft.workload),
      });
      if (res.status === 404) {
        console.log('e2e: note: POST /api/v1/placement is not served yet; the API check is skipped');
      } else {
        const body = await res.text();
        assert.equal(res.status, 200, `the API rejected the exported workload: ${body}`);
        const rec = JSON.parse(body);
        assert.ok(rec.pools.length >= 4 && rec.top, 'the API must rank the exported workload');
      }
    } finally {
      await context.close();
    }
  });

  test('the workflow mode places the virtuous cycle across both kinds of pool', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await openAdvisor();
    try {
      await page.locator('[data-testid=mode-workflow]').click();
      await page.locator('[data-testid=workflow-preset]').click();
      // The preset's stages are named in the page's language (Korean here).
      const names = await page.locator('[id$="--name"]').evaluateAll((xs) => xs.map((x) => x.value));
      assert.deepEqual(names, ['시뮬레이션 데이터 생성', '대리모델 학습', '시뮬레이션과 결합']);
      // Each stage is ranked with its simulated waits, as a single workload is;
      // the export lists one request per pool of the same plan.
      const { pools, lines } = await eventually(async () => {
        const section = page.locator('[data-testid=workflow-result]');
        assert.equal(await section.getAttribute('data-waits-pending'), 'false', 'waits still being simulated');
        const ids = await page.$$eval('[data-testid=stage-row]', (rows) => rows.map((r) => r.dataset.poolId));
        assert.equal(ids.length, 3, `expected 3 stage rows, got ${JSON.stringify(ids)}`);
        const ls = await page.$$eval('[data-testid=workflow-request]', (xs) => xs.map((l) => l.dataset.poolId));
        assert.deepEqual([...ls].sort(), [...new Set(ids)].sort(), 'one request per pool the stages use');
        return { pools: ids, lines: ls };
      });
      // Where each stage lands depends on the live demo queues at this moment
      // (a long KISTI-6 queue rightly sends the 512-GPU simulation to a cloud
      // pool); the queue-free placement (KISTI-6 → cloud → KISTI-6) is pinned by
      // the unit test `the_virtuous_cycle_alternates_between_kisti6_and_the_cloud`.
      // Here: every stage is placed in a catalogue pool, with a simulated wait and
      // a reason.
      for (const id of pools) assert.ok(poolKinds[id], `stage pool ${id} must be a catalogue pool`);
      const cells = await page.$$eval('[data-testid=stage-row]', (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent.trim())));
      for (const [i, row] of cells.entries()) {
        assert.match(row[3], /\d/, `stage ${i + 1} must show its simulated wait, got ${JSON.stringify(row)}`);
      }
      const reasons = await page.$$eval('[data-testid=stage-reason]', (xs) => xs.map((x) => x.textContent.trim()));
      assert.equal(reasons.length, 3);
      for (const r of reasons) assert.ok(r.split(':').slice(1).join(':').trim().length > 5, `each stage names why it went where it did: ${r}`);
      assert.match(await page.locator('[data-testid=workflow-total]').innerText(), /\d/);
      await eventually(async () => assert.match(page.url(), /mode=workflow/));
      console.log(`e2e: workflow stages → ${pools.join(' → ')}`);
      const failures = [];
      await checkPage(page, 'workflow 1280px', 1280, failures);
      assert.deepEqual(failures, [], 'serious or critical axe violations in workflow mode');
      // Each request hands its draft, naming its stages, to the request form.
      await page.locator('[data-testid=workflow-request] a').first().click();
      await page.waitForURL((u) => u.pathname === '/requests/new', { timeout: 20_000 });
      const draft = JSON.parse(await page.evaluate(() => localStorage.getItem('kairr.advisor.draft')));
      assert.equal(draft.recommended_pool, lines[0]);
      const expected = pools.filter((p) => p === lines[0]).length;
      assert.equal(draft.stages.length, expected, `the ${lines[0]} request covers its ${expected} stage(s)`);
    } finally {
      await context.close();
    }
  });

  test('what the reader opened, pressed and focused survives a change and a language switch', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await openAdvisor();
    try {
      // A second pool's criteria, opened by the reader, stay open when the result changes.
      const second = page.locator('[data-testid=pool-result]').nth(1);
      const poolId = await second.getAttribute('data-pool-id');
      await second.locator('summary').click();
      await goToStep(page, 3);
      const before = await topEstimates(page);
      await page.locator('#f-run-hours').fill('30');
      await eventually(async () => assert.notDeepEqual(await topEstimates(page), before));
      const card = page.locator(`[data-testid=pool-result][data-pool-id="${poolId}"]`);
      assert.equal(await card.locator('details').evaluate((d) => d.open), true, 'the criteria the reader opened were closed by the change');
      // Adding and removing a workflow stage keeps the focus on the button pressed.
      await page.locator('[data-testid=mode-workflow]').click();
      const add = page.locator('[data-action=stage-add]');
      const stages = await page.locator('[data-testid=stage-editor]').count();
      await add.focus();
      await page.keyboard.press('Enter');
      await eventually(async () => assert.equal(await page.locator('[data-testid=stage-editor]').count(), stages + 1));
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.action), 'stage-add', 'the focus left "add a stage"');
      await page.locator('[data-action=stage-remove]').focus();
      await page.keyboard.press('Enter');
      await eventually(async () => assert.equal(await page.locator('[data-testid=stage-editor]').count(), stages));
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.action), 'stage-remove', 'the focus left "remove the last stage"');
      // A preset, then the other language: the same form, its preset still pressed, the focus back on the toggle.
      await page.locator('[data-testid=mode-single]').click();
      await usePreset(page, 'pretrain_7b');
      await useLanguage(page, 'en');
      await page.locator('[data-testid=top-pick]').waitFor({ timeout: 30_000 });
      assert.equal(await page.locator('[data-preset="pretrain_7b"]').getAttribute('aria-pressed'), 'true', 'the preset is no longer pressed after the switch');
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'lang-toggle', 'the focus is not back on the language toggle');
    } finally {
      await context.close();
    }
  });

  test('the wizard has no serious accessibility violations and fits a phone screen', { timeout: 4 * TEST_TIMEOUT_MS }, async () => {
    const failures = [];
    for (const lang of ['ko', 'en']) {
      for (const width of [1280, 375]) {
        const { context, page } = await openAdvisor({ width, height: width === 375 ? 812 : 900 });
        try {
          await useLanguage(page, lang);
          await usePreset(page, 'cfd_mpi_256');
          await page.screenshot({ path: join(SHOTS_DIR, `advisor-${lang}-${width}.png`), fullPage: true });
          await checkPage(page, `${lang} ${width}px`, width, failures);
          // A phone keeps the top pick in view under the form and jumps to the result; a desktop shows both side by side.
          const dock = page.locator('[data-testid=result-dock]');
          assert.equal(await dock.isVisible(), width === 375, `${lang} ${width}px: the result dock`);
          if (width === 375) {
            const top = await page.locator('[data-testid=top-pick] .top-pick-name').innerText();
            await eventually(async () => assert.equal(await dock.locator('.result-dock-text').innerText(), top));
            const box = await dock.boundingBox();
            assert.ok(box && box.y + box.height <= 812 + 1 && box.y > 812 - 150, `the dock sits at the bottom of the screen: ${JSON.stringify(box)}`);
            await dock.locator('[data-testid=result-dock-link]').click();
            await eventually(async () => {
              const title = await page.locator('#result-title').boundingBox();
              assert.ok(title && title.y >= -1 && title.y < 812, `the result is in view: ${JSON.stringify(title)}`);
            });
          }
        } finally {
          await context.close();
        }
      }
    }
    if (failures.length) console.log(`e2e: accessibility / layout problems:\n  ${failures.join('\n  ')}`);
    assert.deepEqual(failures, [], 'serious or critical axe violations, or horizontal scroll at 375 px');
  });

  test('an input change re-renders the result within a frame (measured, printed)', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await openAdvisor();
    try {
      await usePreset(page, 'pretrain_7b');
      await goToStep(page, 3);
      const gpus = page.locator('#f-gpus');
      const count = () => page.evaluate(() => (window.__kairrRenderTimings ?? []).length);
      const changes = 20;
      for (let i = 0; i < changes; i += 1) {
        const n = await count();
        await gpus.fill(String(64 + 8 * i));
        await page.waitForFunction((k) => (window.__kairrRenderTimings ?? []).length > k, n, { timeout: 5_000 });
        await sleep(50);
      }
      const timings = await page.evaluate(() => window.__kairrRenderTimings);
      const measures = await page.evaluate(() => performance.getEntriesByName('kairr:render').length);
      assert.ok(timings.length >= changes, `expected ≥ ${changes} timings, got ${timings.length}`);
      assert.ok(timings.every((t) => Number.isFinite(t) && t >= 0), `timings must be finite: ${timings}`);
      assert.ok(measures >= changes, `expected ≥ ${changes} performance measures named kairr:render, got ${measures}`);
      const last = timings.slice(-changes).sort((a, b) => a - b);
      const median = (last[changes / 2 - 1] + last[changes / 2]) / 2;
      const max = last[last.length - 1];
      console.log(`e2e: input → result rendered over ${changes} changes: median ${median.toFixed(2)} ms, max ${max.toFixed(2)} ms (budget 16 ms, printed only)`);
      assert.match((await topEstimates(page)).allocation, /216/, 'the last change (216 GPUs) must be shown');
    } finally {
      await context.close();
    }
  });
});

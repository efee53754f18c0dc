// Status operators in the browser (issue 10 §1): the demo operator signs in,
// lands on /admin/status, posts an incident (missing fields named in place
// first), sees it on the public status page beside the detected ones,
// resolves it with a timed update, and announces a maintenance window on
// the KST clock; the status page's history links the incident and the
// completed maintenance to their own pages. axe-core at 1280 and 375 px,
// Korean and English.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { DEMO_PASSWORD, startServer } from './server.mjs';
import { SHOTS_DIR, appReady, checkPage, launchBrowser, signIn, startWatchdog, useLanguage } from './support.mjs';

const TEST_TIMEOUT_MS = 150_000;

startWatchdog(10);

let server;
let browser;

describe('status operators', () => {
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  }, { timeout: 180_000 });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('an operator posts an incident that the status page shows, resolves it, and announces maintenance', { timeout: TEST_TIMEOUT_MS }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (err) => errors.push(String(err)));
    try {
      await signIn(page, server.baseUrl, 'demo.operator', DEMO_PASSWORD, '/admin/status');
      await page.locator('[data-testid=incident-form]').waitFor({ timeout: 30_000 });
      // Missing fields are named in place and above the form, before anything is sent.
      const opsPosts = [];
      const onOps = (r) => { if (r.method() !== 'GET' && r.url().includes('/api/v1/ops/')) opsPosts.push(r.url()); };
      page.on('request', onOps);
      await page.locator('[data-testid=incident-submit]').click();
      await page.locator('#inc-system-error:not(:empty)').waitFor({ timeout: 20_000 });
      await page.locator('#inc-title_ko-error:not(:empty)').waitFor();
      const incidentSummary = page.locator('[data-testid=incident-form] [data-testid=form-error-summary]');
      assert.equal(await incidentSummary.locator('li').count(), 5, 'system, both titles, both texts');
      await incidentSummary.locator('a[href="#inc-title_en"]').click();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'inc-title_en');
      // A window that ends before it starts is refused the same way.
      await page.locator('#mnt-starts_at').fill('2030-01-02T10:00');
      await page.locator('#mnt-ends_at').fill('2030-01-02T09:00');
      await page.locator('[data-testid=maintenance-submit]').click();
      await page.locator('#mnt-ends_at-error:not(:empty)').waitFor({ timeout: 20_000 });
      assert.match(await page.locator('#mnt-ends_at-error').innerText(), /시작보다 늦어야/);
      assert.deepEqual(opsPosts, [], 'nothing was sent');
      page.off('request', onOps);
      await page.locator('#mnt-starts_at').fill('');
      await page.locator('#mnt-ends_at').fill('');
      const failures = [];
      for (const width of [1280, 375]) {
        await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
        for (const lang of ['ko', 'en']) {
          await useLanguage(page, lang);
          await checkPage(page, `/admin/status ${lang} ${width}`, width, failures);
          await page.screenshot({ path: join(SHOTS_DIR, `admin-status-${lang}-${width}.png`), fullPage: true });
        }
      }
      assert.deepEqual(failures, []);
      await useLanguage(page, 'ko');
      await page.setViewportSize({ width: 1280, height: 900 });

      const system = await page.locator('[data-testid=inc-system] option:not([value=""])').first().getAttribute('value');
      await page.locator('[data-testid=inc-system]').selectOption(system);
      await page.locator('[data-testid=inc-impact]').selectOption('partial_outage');
      await page.locator('#inc-title_ko').fill('공유 스토리지 지연');
      await page.locator('#inc-title_en').fill('Shared storage latency');
      await page.locator('#inc-body_ko').fill('공유 스토리지 응답이 느려 원인을 조사하고 있습니다.');
      await page.locator('#inc-body_en').fill('Shared storage is slow; we are investigating.');
      await page.locator('[data-testid=incident-submit]').click();
      await page.locator('[data-testid=incident-posted]:not(:empty)').waitFor({ timeout: 20_000 });
      const posted = page.locator('[data-testid=ops-incident]');
      await posted.waitFor({ timeout: 20_000 });
      const id = await posted.getAttribute('data-id');
      assert.match(id, /^op-/);

      // Public, beside the detected incidents.
      const status = await context.newPage();
      await status.goto(`${server.baseUrl}/`, { waitUntil: 'load' });
      const shown = status.locator('[data-testid=incidents] [data-testid=incident]', { hasText: '공유 스토리지 지연' });
      await shown.waitFor({ timeout: 30_000 });
      assert.match(await shown.innerText(), /원인을 조사하고 있습니다/);

      // Resolved with a timed update: it leaves the open list.
      await posted.locator('[data-testid=upd-state]').selectOption('resolved');
      await posted.locator(`[id="upd-${id}-body_ko"]`).fill('스토리지를 복구했습니다.');
      await posted.locator(`[id="upd-${id}-body_en"]`).fill('Storage is back to normal.');
      await posted.locator('[data-testid=update-submit]').click();
      await page.locator('[data-testid=ops-none-open]').waitFor({ timeout: 20_000 });
      await status.reload({ waitUntil: 'load' });
      await status.locator('[data-testid=past-incidents]', { hasText: '공유 스토리지 지연' }).waitFor({ state: 'attached', timeout: 30_000 });

      // A maintenance window, entered on the KST clock.
      const kstDay = new Date(Date.now() + 9 * 3_600_000 + 3 * 86_400_000).toISOString().slice(0, 10);
      await page.locator('[data-testid=mnt-system]').selectOption(system);
      await page.locator('#mnt-title_ko').fill('전원 설비 정기 점검');
      await page.locator('#mnt-title_en').fill('Power equipment maintenance');
      await page.locator('#mnt-starts_at').fill(`${kstDay}T09:00`);
      await page.locator('#mnt-ends_at').fill(`${kstDay}T18:00`);
      await page.locator('[data-testid=maintenance-submit]').click();
      await page.locator('[data-testid=maintenance-posted]:not(:empty)').waitFor({ timeout: 20_000 });
      await status.reload({ waitUntil: 'load' });
      const window = status.locator('[data-testid=maintenance]', { hasText: '전원 설비 정기 점검' });
      await window.waitFor({ timeout: 30_000 });
      assert.match(await window.innerText(), /09:00/);
      await status.screenshot({ path: join(SHOTS_DIR, 'status-with-operator-posts-ko-1280.png'), fullPage: false });

      // The history: the resolved incident and the completed maintenance, each a link to its own page.
      const past = status.locator('[data-testid=past-incidents]');
      await appReady(status);
      await past.locator('summary').click();
      const completed = past.locator('[data-testid=maintenance-window][data-state=completed]');
      assert.ok((await completed.count()) > 0, 'completed maintenance is history');
      assert.match(await past.locator('summary').innerText(), new RegExp(`완료된 점검 ${await completed.count()}건`));
      const windowId = await completed.first().getAttribute('data-maintenance-id');
      await past.locator(`[data-incident-id="${id}"] h3 a`).click();
      await status.waitForURL((u) => u.pathname === `/incidents/${id}`, { timeout: 20_000 });
      const incidentPage = status.locator('[data-testid=incident-page]');
      assert.match(await incidentPage.innerText(), /공유 스토리지 지연|스토리지를 복구했습니다/);
      const updates = await status.locator('[data-testid=incident-update]').allInnerTexts();
      assert.equal(updates.length, 2);
      assert.match(updates[0], /스토리지를 복구했습니다/, 'newest update first');
      const pageFailures = [];
      for (const width of [1280, 375]) {
        await status.setViewportSize({ width, height: width === 375 ? 812 : 900 });
        for (const lang of ['ko', 'en']) {
          await status.goto(`${server.baseUrl}/incidents/${id}?lang=${lang}`, { waitUntil: 'load' });
          await checkPage(status, `/incidents/{id} ${lang} ${width}`, width, pageFailures);
          await status.screenshot({ path: join(SHOTS_DIR, `incident-page-${lang}-${width}.png`), fullPage: true });
          await status.goto(`${server.baseUrl}/maintenance/${windowId}?lang=${lang}`, { waitUntil: 'load' });
          await status.locator('[data-testid=maintenance-page][data-state=completed]').waitFor();
          await checkPage(status, `/maintenance/{id} ${lang} ${width}`, width, pageFailures);
          await status.screenshot({ path: join(SHOTS_DIR, `maintenance-page-${lang}-${width}.png`), fullPage: true });
        }
      }
      assert.deepEqual(pageFailures, []);
      // The language link keeps the page.
      await status.goto(`${server.baseUrl}/incidents/${id}?lang=ko`, { waitUntil: 'load' });
      await status.evaluate(() => localStorage.setItem('kairr.locale', 'ko'));
      await status.locator('[data-testid=lang-link]').click();
      await status.waitForURL((u) => u.pathname === `/incidents/${id}` && u.search === '?lang=en');
      assert.match(await status.locator('h2').first().innerText(), /Shared storage latency/);
      // The choice holds on the next page, an app's too (over what an app stored before).
      await status.goto(`${server.baseUrl}/advisor`, { waitUntil: 'load' });
      await appReady(status);
      await status.waitForTimeout(300);
      assert.equal(await status.evaluate(() => document.documentElement.lang), 'en', 'the wizard follows the choice');
      assert.equal(await status.evaluate(() => localStorage.getItem('kairr.locale')), 'en');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});

// Status-page subscriptions in the browser (issue 10 §3): /subscribe is a
// plain form the server renders (no script on the page: it works as well
// from a mail client's browser without JavaScript): the footer of the status page leads
// there, a bad address is named at its field, a webhook gets its secret and
// unsubscribe token once, e-mail on a portal without a mail server says so,
// and a link with a forged token says it is not valid. axe-core at 1280 and
// 375 px, Korean and English. The e-mail round trip (opt-in, one-click
// unsubscribe) runs against the real SMTP server in
// server/tests/subscriptions_api.rs.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { startServer } from './server.mjs';
import { SHOTS_DIR, checkPage, launchBrowser, startWatchdog } from './support.mjs';

const TEST_TIMEOUT_MS = 120_000;

startWatchdog(10);

let server;
let browser;

describe('status subscriptions', () => {
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  }, { timeout: 180_000 });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the status page leads to /subscribe, which works without JavaScript and names bad input', { timeout: TEST_TIMEOUT_MS }, async () => {
    const failures = [];
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await page.goto(`${server.baseUrl}/`, { waitUntil: 'load' });
      await page.locator('[data-testid=subscribe-link]').first().click();
      await page.waitForURL((u) => u.pathname === '/subscribe', { timeout: 20_000 });
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'ko');
      assert.equal(await page.locator('script').count(), 0, 'the page needs no script');
      for (const lang of ['ko', 'en']) {
        for (const width of [1280, 375]) {
          await page.setViewportSize({ width, height: 900 });
          await page.goto(`${server.baseUrl}/subscribe?lang=${lang}`, { waitUntil: 'load' });
          await page.screenshot({ path: join(SHOTS_DIR, `subscribe-${lang}-${width}.png`), fullPage: true });
          await checkPage(page, `/subscribe ${lang} ${width}`, width, failures);
        }
      }
      await page.setViewportSize({ width: 1280, height: 900 });
      // A bad webhook address is named at its field; what was entered stays.
      await page.locator('input[name=kind][value=webhook]').check();
      await page.locator('[data-testid=subscribe-target]').fill('http://127.0.0.1/hook');
      await page.locator('input[name=systems][value=kisti6]').check();
      await page.locator('[data-testid=subscribe-submit]').click();
      await page.locator('[data-testid=subscribe-errors]').waitFor({ timeout: 20_000 });
      assert.match(await page.locator('#sub-target-error').innerText(), /https:\/\//);
      assert.equal(await page.locator('[data-testid=subscribe-target]').inputValue(), 'http://127.0.0.1/hook');
      assert.equal(await page.locator('input[name=systems][value=kisti6]').isChecked(), true);
      await checkPage(page, '/subscribe with errors', 1280, failures);
      // A webhook: active at once, its secret and token shown this once.
      await page.locator('[data-testid=subscribe-target]').fill('https://hooks.example.org/kairr');
      await page.locator('[data-testid=subscribe-submit]').click();
      await page.locator('[data-testid=subscribe-active]').waitFor({ timeout: 20_000 });
      assert.match(await page.locator('[data-testid=webhook-secret]').innerText(), /^[A-Za-z0-9]{32,}$/);
      assert.match(await page.locator('[data-testid=webhook-token]').innerText(), /^\d+\.[0-9a-f]{40}$/);
      await page.screenshot({ path: join(SHOTS_DIR, 'subscribe-webhook-1280.png'), fullPage: true });
      await checkPage(page, '/subscribe webhook done', 1280, failures);
      // E-mail on a portal without a mail server: said plainly, in English on the English page.
      await page.goto(`${server.baseUrl}/subscribe?lang=en`, { waitUntil: 'load' });
      await page.locator('[data-testid=subscribe-target]').fill('kim@example.kr');
      await page.locator('[data-testid=subscribe-submit]').click();
      await page.locator('[role=alert]').first().waitFor({ timeout: 20_000 });
      assert.match(await page.locator('main').innerText(), /sends no e-mail/);
      // A forged link: not valid, nothing done.
      const res = await page.goto(`${server.baseUrl}/subscriptions/unsubscribe?token=1.deadbeef&lang=en`, { waitUntil: 'load' });
      assert.equal(res.status(), 404);
      await page.locator('[data-testid=link-invalid]').waitFor();
      await checkPage(page, '/subscriptions/unsubscribe invalid', 1280, failures);
    } finally {
      await context.close();
    }
    if (failures.length) console.log(`e2e: accessibility / layout problems:\n  ${failures.join('\n  ')}`);
    assert.deepEqual(failures, [], 'serious or critical axe violations, or horizontal scroll at 375 px');
  });
});

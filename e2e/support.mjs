// Helpers shared by the browser tests: launching Debian's headless Chromium
// through playwright-core, a whole-file watchdog, polling, the language
// toggle, and the accessibility (axe-core, serious and critical violations)
// and 375 px layout checks every page goes through.

import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

import { REPO_ROOT } from './server.mjs';

const require = createRequire(import.meta.url);

/** axe-core's browser build, evaluated in pages (see `axeViolations`). */
export const AXE_PATH = require.resolve('axe-core/axe.min.js');

/** Where screenshots go (created on first use of `launchBrowser`). */
export const SHOTS_DIR = join(REPO_ROOT, 'target', 'e2e-shots');

/** Headless Chromium flags that keep it offline and quiet. */
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches Debian's Chromium (`CHROMIUM_PATH` overrides `/usr/bin/chromium`);
 * never a downloaded browser. A browser that dies while starting (CI once saw
 * Chromium end with SIGSEGV before its first page, on a loaded machine) is
 * started again, up to three times, saying so: the launch is the harness, not
 * the product, and a crash of the product's pages still fails the test.
 */
export async function launchBrowser() {
  mkdirSync(SHOTS_DIR, { recursive: true });
  const options = { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS };
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await chromium.launch(options);
    } catch (err) {
      if (attempt >= 3) throw err;
      console.error(`e2e: Chromium failed to start (attempt ${attempt} of 3), starting it again: ${String(err).split('\n')[0]}`);
      await sleep(1_000 * attempt);
    }
  }
}

/** Ends the process if the test file runs longer than `minutes`, whatever hangs. */
export function startWatchdog(minutes = 15) {
  const watchdog = setTimeout(() => {
    console.error(`e2e: overall timeout of ${minutes} minutes reached, giving up`);
    process.exit(1);
  }, minutes * 60_000);
  watchdog.unref();
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Re-runs `check` (which throws while unmet) until it passes or `timeoutMs` elapses. */
export async function eventually(check, { timeoutMs = 20_000, intervalMs = 200 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    await sleep(intervalMs);
  }
}

/** The page's `<html lang>`. */
export const htmlLang = (page) => page.evaluate(() => document.documentElement.lang);

/**
 * Waits until the app has taken over the server's first view (its buttons
 * and inputs only work from then on); at once on pages without one.
 */
export async function appReady(page) {
  await page.waitForFunction(() => !document.getElementById('first-view'), null, { timeout: 60_000 });
}

/** Switches the page to `lang` with the visible toggle (no-op if already there). */
export async function useLanguage(page, lang) {
  await appReady(page);
  if ((await htmlLang(page)) === lang) return;
  await page.locator('[data-testid=lang-toggle]').click();
  await page.waitForFunction((l) => document.documentElement.lang === l, lang, { timeout: 10_000 });
}

/**
 * Runs axe-core on the page and returns its serious and critical violations
 * as readable lines prefixed with `label` (empty when clean).
 */
let axeText;
const axeSource = () => (axeText ??= readFileSync(AXE_PATH, 'utf8'));

export async function axeViolations(page, label) {
  // Evaluated through the DevTools protocol, not as an inline <script>: the
  // portal's Content-Security-Policy (rightly) blocks inline scripts.
  if (!(await page.evaluate(() => Boolean(window.axe)))) {
    await page.evaluate(axeSource());
  }
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(0, 3).join(' ')}`),
        count: v.nodes.length,
      }));
  });
  return violations.map((v) => `[${label}] ${v.impact} ${v.id} (${v.count} nodes): ${v.help}\n      ${v.nodes.join('\n      ')}`);
}

/**
 * At a 375 px viewport: a line naming the widest elements when the page
 * scrolls sideways (tables inside `.table-scroll` may), else null.
 */
export async function horizontalOverflow(page, label) {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  if (scrollWidth <= 375) return null;
  const wide = await page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > 376 && !e.closest('.table-scroll'))
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}${e.dataset.testid ? `[data-testid=${e.dataset.testid}]` : ''}${e.className ? `.${String(e.className).split(' ').join('.')}` : ''} right=${Math.round(e.getBoundingClientRect().right)}`),
  );
  return `[${label}] horizontal scroll: scrollWidth ${scrollWidth} > 375; widest: ${wide.join(', ')}`;
}

/**
 * A line quoting Rust source text the page shows (a `view!` macro that took
 * code for text, e.g. an attribute closure with a bare `>=`), else null.
 */
export async function macroSourceText(page, label) {
  const hits = await page.evaluate(() => {
    const found = document.body.innerText.match(/move \|[^|\n]{0,12}\||\.(get|set|update|with)\(\)|\bon:[a-z]+ ?=|\bprop:[a-z]+ ?=/g);
    return found ? [...new Set(found)].slice(0, 5) : [];
  });
  return hits.length ? `[${label}] Rust source text on the page: ${hits.join(' · ')}` : null;
}

/**
 * A line naming dates, times and figures the page breaks across lines
 * (`2027-01-20` as `2027-01-` / `20`, `12,345` as `12,3` / `45`), else
 * null: each such token of every visible text node must sit on one line.
 * Text in form controls is not looked at.
 */
export async function brokenTokens(page, label) {
  const broken = await page.evaluate(() => {
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const token = /\d{4}-\d{2}-\d{2}|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\d{2}:\d{2}/g;
    for (let node = walker.nextNode(); node && found.length < 5; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('script, style, textarea, select, [hidden]')) continue;
      for (const m of node.data.matchAll(token)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (tops.size > 1) {
          const within = parent.closest('[data-testid]');
          found.push(`"${m[0]}" in ${parent.tagName.toLowerCase()}${parent.className ? `.${String(parent.className).split(' ').join('.')}` : ''}${within ? ` within [data-testid=${within.dataset.testid}]` : ''}`);
        }
      }
    }
    return found;
  });
  return broken.length ? `[${label}] broken across lines: ${broken.join(', ')}` : null;
}

/**
 * Runs `axeViolations`, `macroSourceText` and, at 375 px, `horizontalOverflow`
 * and `brokenTokens`;
 * pushes every problem onto `failures`.
 */
export async function checkPage(page, label, width, failures) {
  failures.push(...(await axeViolations(page, label)));
  const source = await macroSourceText(page, label);
  if (source) failures.push(source);
  if (width === 375) {
    const overflow = await horizontalOverflow(page, label);
    if (overflow) failures.push(overflow);
    const broken = await brokenTokens(page, label);
    if (broken) failures.push(broken);
  }
}

/** Signs in at `${baseUrl}/login` with a demo account and waits for the page it leads to. */
export async function signIn(page, baseUrl, username, password, expectPath) {
  await page.goto(`${baseUrl}/login`, { waitUntil: 'load' });
  await page.locator('[data-testid=login-username]').fill(username);
  await page.locator('[data-testid=login-password]').fill(password);
  await page.locator('[data-testid=login-submit]').click();
  await page.waitForURL((u) => u.pathname === expectPath, { timeout: 20_000 });
  await page.locator('[data-testid=account]').waitFor({ timeout: 10_000 });
}

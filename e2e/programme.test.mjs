// Browser journeys of the allocation programme (/allocations, /login,
// /committee, /requests/*), one per test, against the real server
// (e2e/server.mjs, demo accounts with a fixed password) and the release front
// end in dist/, dist/advisor/ and dist/programme/, in Debian's headless
// Chromium driven by playwright-core. Accessibility is checked with axe-core;
// the committee overview's render time after its data arrives is measured
// with the app's performance marks (`kairr:committee-render`) and printed,
// for the demo round and for a synthetic round of 10,000 requests and 5,000
// allocations.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { DEMO_PASSWORD, startServer } from './server.mjs';
import { SHOTS_DIR, appReady, checkPage, eventually, launchBrowser, signIn as signInAs, startWatchdog, useLanguage } from './support.mjs';

const TEST_TIMEOUT_MS = 120_000;
/** The seeded demo round (first 2026 call): 159 awarded projects, 4,224 GPUs. */
const DEMO_AWARDS = 159;
const DEMO_GPUS = '4,224';
/** Render budget of the committee overview after its data arrives. */
const RENDER_BUDGET_MS = 300;

startWatchdog(15);

let server;
let browser;

async function open(path, { width = 1280, height = 900, context: given } = {}) {
  const context = given ?? (await browser.newContext({ viewport: { width, height } }));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  await page.goto(`${server.baseUrl}${path}`, { waitUntil: 'load' });
  await appReady(page);
  return { context, page, errors };
}

/** Signs in through the form and waits for the page it leads to. */
const signIn = (page, username, expectPath) => signInAs(page, server.baseUrl, username, DEMO_PASSWORD, expectPath);

/** Waits until every canvas was sized and drawn (an undrawn one keeps the default 300 × 150). */
async function chartsDrawn(page) {
  await page.waitForFunction(
    () => [...document.querySelectorAll('canvas')].every((c) => Math.abs(c.width - c.clientWidth * devicePixelRatio) <= 4 * devicePixelRatio),
    null,
    { timeout: 10_000 },
  );
}

async function renderTimings(page, atLeast) {
  await page.waitForFunction((n) => (window.__kairrCommitteeRender ?? []).length >= n, atLeast, { timeout: 30_000 });
  return page.evaluate(() => window.__kairrCommitteeRender);
}

/** A synthetic round as large as the speed requirement: 5,000 allocations, 10,000 proposal lines. */
function scaleUp(overview, proposal) {
  const rows = overview.timeline;
  const timeline = Array.from({ length: 5_000 }, (_, i) => ({ ...rows[i % rows.length], allocation: i + 1 }));
  const lines = Array.from({ length: 10_000 }, (_, i) => ({ ...proposal.lines[i % proposal.lines.length], request: i + 1 }));
  return [{ ...overview, timeline }, { ...proposal, lines }];
}

/**
 * Clicks a paged table's "next" until it is disabled; returns the pages seen
 * (the pager's `data-page` of `data-pages`) and, per page, `rows(page)` when given.
 */
async function pageThrough(page, name, rows) {
  const pager = page.locator(`[data-testid=pager-${name}]`);
  const [previous, next] = [pager.locator('button').nth(0), pager.locator('button').nth(1)];
  const status = pager.locator('span');
  const numbers = async () => [Number(await pager.getAttribute('data-page')), Number(await pager.getAttribute('data-pages'))];
  assert.ok(await previous.isDisabled(), `${name}: "previous" is disabled on the first page`);
  const seen = [await numbers()];
  const collected = rows ? [...(await rows(page))] : [];
  while (await next.isEnabled()) {
    const before = await status.innerText();
    await next.click();
    await eventually(async () => assert.notEqual(await status.innerText(), before, `${name}: "page N of M" follows the page`));
    seen.push(await numbers());
    if (rows) collected.push(...(await rows(page)));
    assert.ok(seen.length <= 1000, `${name}: "next" never ends`);
  }
  const [last, total] = seen.at(-1);
  assert.equal(last, total, `${name}: "next" is disabled only on the last page (${last} of ${total})`);
  assert.deepEqual(seen.map(([n]) => n), Array.from({ length: total }, (_, i) => i + 1), `${name}: every page in turn`);
  assert.match((await next.textContent()).trim(), /^\S.{0,20}$/, `${name}: the "next" button is a short label`);
  return { pages: total, rows: collected };
}

describe('allocation programme', () => {
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the public page shows the demo round and its awarded projects to anonymous visitors', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page, errors } = await open('/allocations');
    try {
      await page.locator('[data-testid=public-round]').waitFor({ timeout: 30_000 });
      assert.match(await page.locator('[data-testid=demo-note]').innerText(), /데모/);
      assert.match(await page.locator('[data-testid=public-totals]').innerText(), new RegExp(`${DEMO_AWARDS}건 선정`));
      assert.match(await page.locator('[data-testid=projects-count]').innerText(), new RegExp(`${DEMO_AWARDS}개 중 ${DEMO_AWARDS}개`));
      assert.equal(await page.locator('[data-testid=projects-table] tbody tr').count(), 25, 'one page of 25 projects');
      assert.ok(await page.locator('[data-testid=public-sector-table] tbody tr').count() >= 5);
      assert.equal(await page.locator('canvas[data-testid=public-chart]').count(), 2);
      await chartsDrawn(page);
      // The filter narrows the list to the projects of one organisation.
      const org = await page.locator('[data-testid=projects-table] tbody tr >> nth=0 >> td >> nth=0').innerText();
      await page.locator('[data-testid=projects-filter]').fill(org);
      await page.waitForFunction(
        (total) => !document.querySelector('[data-testid=projects-count]').textContent.startsWith(`${total}개 중 ${total}개`),
        DEMO_AWARDS,
      );
      const rows = await page.locator('[data-testid=projects-table] tbody tr td:nth-child(2)').allInnerTexts();
      assert.ok(rows.length > 0 && rows.every((r) => r.toLowerCase().includes(org.toLowerCase())), `filtered rows: ${rows}`);
      // The filter and the page are in the address: a reload (or a shared link) shows the same rows.
      assert.equal(new URL(page.url()).searchParams.get('q'), org);
      await page.locator('[data-testid=projects-filter]').fill('');
      const pager = page.locator('[data-testid=pager-projects]');
      await pager.locator('button').last().click();
      await pager.locator('button').last().click();
      assert.equal(await pager.getAttribute('data-page'), '3');
      assert.equal(new URL(page.url()).searchParams.get('page'), '3');
      assert.equal(new URL(page.url()).searchParams.get('q'), null, 'an empty filter leaves the address');
      const third = await page.locator('[data-testid=projects-table] tbody tr th').first().innerText();
      await page.reload();
      await page.waitForFunction(() => !document.getElementById('first-view'));
      await page.locator('[data-testid=projects-table] tbody tr').first().waitFor();
      assert.equal(await page.locator('[data-testid=pager-projects]').getAttribute('data-page'), '3');
      assert.equal(await page.locator('[data-testid=projects-table] tbody tr th').first().innerText(), third);
      // A filter nothing matches says so.
      await page.locator('[data-testid=projects-filter]').fill('없는-과제-zzz');
      await page.locator('[data-testid=projects-count]', { hasText: '맞는 과제가 없습니다' }).waitFor();
      assert.equal(await page.locator('[data-testid=projects-table] tbody tr').count(), 0);
      await useLanguage(page, 'en');
      assert.match(await page.locator('[data-testid=public-totals]').innerText(), new RegExp(`${DEMO_AWARDS} of \\d+ requests awarded`));
      assert.match(await page.locator('[data-testid=nav-sign-in]').innerText(), /Sign in/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('anonymous visitors of /committee are asked to sign in', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await open('/committee');
    try {
      await page.locator('[data-testid=sign-in-prompt]').waitFor({ timeout: 20_000 });
      assert.equal(await page.locator('[data-testid=committee-overview]').count(), 0);
    } finally {
      await context.close();
    }
  });

  test('a wrong password is reported at the password field', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await open('/login');
    try {
      await page.locator('[data-testid=login-username]').fill('demo.reviewer');
      await page.locator('[data-testid=login-password]').fill('not-the-password');
      await page.locator('[data-testid=login-submit]').click();
      await page.locator('[data-testid=password-error]:not(:empty)').waitFor({ timeout: 10_000 });
      assert.match(await page.locator('[data-testid=password-error]').innerText(), /비밀번호가 맞지 않습니다/);
      assert.equal(await page.locator('[data-testid=login-password]').getAttribute('aria-invalid'), 'true');
      assert.equal(new URL(page.url()).pathname, '/login');
    } finally {
      await context.close();
    }
  });

  test('a committee member signs in and sees the overview, fairness figures and proposal (render time printed)', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page, errors } = await open('/login');
    try {
      await signIn(page, 'demo.committee', '/committee');
      await page.locator('[data-testid=committee-overview]').waitFor({ timeout: 30_000 });
      assert.match(await page.locator('[data-testid=awarded-gpus]').innerText(), new RegExp(DEMO_GPUS));
      const jain = Number(await page.locator('[data-testid=overview-jain]').innerText());
      const gini = Number(await page.locator('[data-testid=overview-gini]').innerText());
      assert.ok(jain > 0 && jain <= 1, `Jain's index ${jain}`);
      assert.ok(gini >= 0 && gini < 1, `Gini ${gini}`);
      // The definition shows on keyboard focus and is the button's description.
      const metric = page.locator('[data-testid=overview-fairness] .metric-button').first();
      await metric.focus();
      const tooltip = page.locator(`#${await metric.getAttribute('aria-describedby')}`);
      assert.ok(await tooltip.isVisible(), 'the definition shows on focus');
      assert.match(await tooltip.innerText(), /J = /);
      assert.ok((await page.locator('[data-testid=pool-table] tbody tr').count()) >= 3);
      assert.equal(await page.locator('canvas[data-testid=share-chart]').count(), 2);
      await page.locator('canvas[data-testid=timeline-chart]').waitFor();
      await chartsDrawn(page);
      // The timeline counts what is held at once against the round's offer, and says so.
      assert.match(await page.locator('[data-testid=timeline-axis]').innerText(), /세로축: 동시에 (보유한 서버|쓸 수 있는 (GPU|노드))/);
      const overview = await page.evaluate(async () => (await fetch('/api/v1/committee/overview')).json());
      const chosen = await page.locator('[data-testid=timeline-pool]').inputValue();
      const offer = overview.pools.find((p) => p.pool === chosen);
      assert.ok(offer, 'the chosen pool is one of the round');
      const label = await page.locator('canvas[data-testid=timeline-chart]').getAttribute('aria-label');
      if (offer.unit === 'servers') {
        assert.match(await page.locator('[data-testid=timeline-capacity]').innerText(), new RegExp(`제공량 \\(${offer.capacity.toLocaleString('en-US')}\\)`));
        assert.match(label, new RegExp(`제공량 ${offer.capacity.toLocaleString('en-US')}`));
      }
      assert.match(label, /최대 [\d,.]+/);
      await page.locator('[data-testid=proposal-lines] tbody tr').first().waitFor({ timeout: 30_000 });
      // Amounts are bare figures in their columns; the unit stands under each pool's name.
      const poolCell = await page.locator('[data-testid=proposal-lines] tbody tr').first().locator('td').nth(1).innerText();
      assert.match(poolCell, /\n(서버\(\d GPU\)|GPU-시간|노드-시간)/, `the pool cell names the unit: ${poolCell}`);
      assert.match(await page.locator('[data-testid=export-csv]').getAttribute('href'), /requests\.csv\?round=/);
      // Every export also comes for Korean Excel: UTF-8 with a byte-order mark.
      for (const what of ['reviews', 'allocations']) {
        const href = await page.locator(`[data-testid=export-${what}-excel]`).getAttribute('href');
        assert.match(href, new RegExp(`${what}\\.csv\\?round=.+&excel=true`));
        const head = await page.evaluate(async (url) => [...new Uint8Array(await (await fetch(url)).arrayBuffer()).slice(0, 3)], href);
        assert.deepEqual(head, [0xef, 0xbb, 0xbf], `${what} for Excel starts with a BOM`);
      }
      await page.locator('[data-testid=queue-unavailable], [data-testid=queue-table]').first().waitFor({ timeout: 20_000 });
      const timings = await renderTimings(page, 1);
      console.log(`e2e: committee overview (demo round) rendered ${timings[0].toFixed(1)} ms after its data arrived (kairr:committee-render)`);
      assert.ok((await page.evaluate(() => performance.getEntriesByName('kairr:committee-render').length)) >= 1);
      await page.screenshot({ path: join(SHOTS_DIR, 'committee-ko-1280.png'), fullPage: true });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('the overview of 10,000 requests and 5,000 allocations renders within budget (measured, printed)', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await open('/login');
    try {
      await signIn(page, 'demo.committee', '/committee');
      await page.locator('[data-testid=committee-overview]').waitFor({ timeout: 30_000 });
      const [overview, proposal] = await page.evaluate(async () => {
        const get = async (u) => (await fetch(u)).json();
        return Promise.all([get('/api/v1/committee/overview'), get('/api/v1/committee/proposal')]);
      });
      const [bigOverview, bigProposal] = scaleUp(overview, proposal);
      await page.route('**/api/v1/committee/overview*', (route) => route.fulfill({ json: bigOverview }));
      await page.route('**/api/v1/committee/proposal*', (route) => route.fulfill({ json: bigProposal }));
      const samples = [];
      for (let i = 0; i < 3; i += 1) {
        await page.reload({ waitUntil: 'load' });
        const t = await renderTimings(page, 1);
        samples.push(t[0]);
        assert.match(await page.locator('[data-testid=proposal] [role=status]').innerText(), /10,000/);
      }
      samples.sort((a, b) => a - b);
      console.log(`e2e: committee overview with 5,000 allocations and 10,000 proposal lines rendered in ${samples.map((s) => s.toFixed(1)).join(', ')} ms (median ${samples[1].toFixed(1)} ms, budget ${RENDER_BUDGET_MS} ms)`);
      assert.ok(samples[1] < RENDER_BUDGET_MS, `median render ${samples[1]} ms over ${RENDER_BUDGET_MS} ms`);
    } finally {
      await context.close();
    }
  });

  test('a researcher is not permitted on /committee and can request from the wizard', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await open('/login');
    try {
      await signIn(page, 'demo.researcher', '/requests/mine');
      await page.locator('[data-testid=endpoint-missing], [data-testid=my-requests] li, [data-testid=mine-empty]').first().waitFor({ timeout: 20_000 });
      await page.goto(`${server.baseUrl}/committee`, { waitUntil: 'load' });
      await page.locator('[data-testid=not-permitted]').waitFor({ timeout: 20_000 });
      assert.match(await page.locator('[data-testid=not-permitted]').innerText(), /연구자/);
      // From the wizard's result, "Request this allocation" opens the pre-filled form.
      await page.goto(`${server.baseUrl}/advisor`, { waitUntil: 'load' });
      await page.locator('[data-testid=top-pick]').waitFor({ timeout: 30_000 });
      const pool = await page.locator('[data-testid=top-pick]').getAttribute('data-pool-id');
      await page.locator('a[data-testid=request]').click();
      await page.waitForURL((u) => u.pathname === '/requests/new', { timeout: 20_000 });
      await page.locator('[data-testid=draft-loaded]').waitFor({ timeout: 20_000 });
      assert.equal(await page.locator('[data-testid=req-pool]').inputValue(), pool);
      const offered = await page.locator(`[data-testid=req-pool] option[value="${pool}"]`).count();
      assert.ok(offered >= 1, `the wizard's pool ${pool} is kept in the form`);
    } finally {
      await context.close();
    }
  });

  test('a researcher follows, changes and withdraws their request on its own page, which a co-investigator follows', { timeout: 3 * TEST_TIMEOUT_MS }, async () => {
    const failures = [];
    const { context, page } = await open('/login');
    try {
      await signIn(page, 'demo.researcher', '/requests/mine');
      // Submitted through the API with this session (the form itself is covered above and in oidc.test.mjs).
      const id = await page.evaluate(async () => {
        const s = await (await fetch('/api/v1/auth/session')).json();
        const open = await (await fetch('/api/v1/rounds/open')).json();
        const r = open.round;
        const pool = r.pools[0].pool;
        const body = {
          title_ko: '내 신청서 화면 시험', title_en: 'Own request page test', abstract: '시험', pi: '김연구',
          organisation: '', sector: 'university', region: 'capital', pool, amount: 2,
          period_start: r.period_start, period_end: r.period_end, co_investigators: ['demo.reviewer'],
        };
        const res = await fetch(`/api/v1/requests?round=${encodeURIComponent(r.id)}`, {
          method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': s.csrf_token }, body: JSON.stringify(body),
        });
        if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
        return (await res.json()).id;
      });
      // From the list to the page: receipt number, history, the applicant's actions.
      await page.goto(`${server.baseUrl}/requests/mine`, { waitUntil: 'load' });
      await page.locator(`#request-${id} [data-testid=mine-open]`).click();
      await page.waitForURL((u) => u.pathname === `/requests/${id}`, { timeout: 20_000 });
      await page.locator('[data-testid=own-request]').waitFor({ timeout: 20_000 });
      assert.match(await page.locator('[data-testid=own-request]').innerText(), new RegExp(`#${id}[\\s\\S]*demo\\.reviewer`));
      assert.deepEqual(await page.locator('[data-testid=own-history] li').evaluateAll((ls) => ls.map((l) => l.dataset.kind)), ['submitted']);
      for (const lang of ['ko', 'en']) {
        for (const width of [1280, 375]) {
          await page.setViewportSize({ width, height: 900 });
          await useLanguage(page, lang);
          await page.screenshot({ path: join(SHOTS_DIR, `programme-request-own-${lang}-${width}.png`), fullPage: true });
          await checkPage(page, `/requests/${id} ${lang} ${width}`, width, failures);
        }
      }
      await page.setViewportSize({ width: 1280, height: 900 });
      await useLanguage(page, 'ko');
      // A change: an invalid amount is refused at its field, a valid one saved and in the history.
      await page.locator('[data-testid=own-change]').click();
      await page.locator('[data-testid=own-form]').waitFor();
      await checkPage(page, `/requests/${id} change form`, 1280, failures);
      await page.locator('[data-testid=req-amount]').fill('0');
      await page.locator('[data-testid=own-save]').click();
      await page.locator('#req-amount-error:not(:empty)').waitFor({ timeout: 20_000 });
      // Checked before sending: the summary above the form names the field by its label.
      assert.match(await page.locator('[data-testid=form-error-summary]').innerText(), /신청량 \(풀 단위\): 1 이상 [\d,]+ 이하의 정수를 입력하세요/);
      // A figure that is not a whole number stays as typed and is refused as what it is, not as missing.
      for (const typed of ['1.5', '-3']) {
        await page.locator('[data-testid=req-amount]').fill(typed);
        await page.locator('[data-testid=own-save]').click();
        await eventually(async () => assert.equal(await page.locator('#req-amount-error').innerText(), '1 이상의 정수를 입력하세요.'));
        assert.equal(await page.locator('[data-testid=req-amount]').inputValue(), typed, 'the typed figure is kept');
      }
      await page.locator('[data-testid=req-amount]').fill('3');
      await page.locator('[data-testid=own-save]').click();
      await page.locator('[data-testid=own-done]').waitFor({ timeout: 20_000 });
      await eventually(async () => {
        const kinds = await page.locator('[data-testid=own-history] li').evaluateAll((ls) => ls.map((l) => l.dataset.kind));
        assert.deepEqual(kinds, ['submitted', 'edited']);
      });
      assert.match(await page.locator('[data-testid=own-history] li[data-kind=edited]').innerText(), /신청량|Amount|수량|amount/i);
      // Withdrawal asks first; cancelling keeps the request.
      await page.locator('[data-testid=own-withdraw]').click();
      await checkPage(page, `/requests/${id} withdrawal confirmation`, 1280, failures);
      await page.locator('[data-testid=own-withdraw-confirm]').click();
      await page.locator('[data-testid=own-done]').waitFor({ timeout: 20_000 });
      await eventually(async () => {
        assert.match(await page.locator('[data-testid=own-request]').innerText(), /철회/);
        const kinds = await page.locator('[data-testid=own-history] li').evaluateAll((ls) => ls.map((l) => l.dataset.kind));
        assert.deepEqual(kinds, ['submitted', 'edited', 'withdrawn']);
      });
      assert.equal(await page.locator('[data-testid=own-change]').count(), 0, 'nothing to change once withdrawn');
      // The co-investigator follows it, without the applicant's actions.
      await page.locator('[data-testid=sign-out]').click();
      await page.waitForURL((u) => u.pathname === '/allocations', { timeout: 20_000 });
      await page.goto(`${server.baseUrl}/login`, { waitUntil: 'load' });
      await signIn(page, 'demo.reviewer', '/reviews');
      await page.goto(`${server.baseUrl}/requests/${id}`, { waitUntil: 'load' });
      await page.locator('[data-testid=own-co-investigator]').waitFor({ timeout: 20_000 });
      assert.equal(await page.locator('[data-testid=own-actions]').count(), 0);
    } finally {
      await context.close();
    }
    if (failures.length) console.log(`e2e: accessibility / layout problems:\n  ${failures.join('\n  ')}`);
    assert.deepEqual(failures, [], 'serious or critical axe violations, or horizontal scroll at 375 px');
  });

  test('the proposal of the decided demo round keeps every decision: no line can be changed or decided again, nothing is left to adopt', { timeout: 2 * TEST_TIMEOUT_MS }, async () => {
    // Adjusting undecided lines in the browser needs an undecided, reviewed round: every demo request is decided
    // (the adjustment rules and their fairness moves are tested in adopt_api.rs and the proposal's unit tests).
    const { context, page, errors } = await open('/login');
    try {
      await signIn(page, 'demo.committee', '/committee');
      const lines = page.locator('[data-testid=proposal-lines] tbody tr');
      await lines.first().waitFor({ timeout: 30_000 });
      const rows = await lines.evaluateAll((trs) =>
        trs.map((tr) => [...[...tr.children].map((c) => c.textContent.trim()), !!tr.querySelector('[data-testid=proposal-change]'), !!tr.querySelector('[data-testid=proposal-decide]')]),
      );
      assert.ok(rows.length > 0);
      for (const r of rows) {
        assert.equal(r[6], '결정됨', JSON.stringify(r));
        assert.deepEqual([r[8], r[9]], [false, false], `no change or decide on a decided line: ${JSON.stringify(r)}`);
      }
      // The pools' proposed totals are the awards: 4,224 GPUs are 528 servers.
      const cells = await page.locator('[data-testid=proposal-pools] tbody tr td:nth-child(4)').allInnerTexts();
      assert.equal(cells.reduce((sum, c) => sum + Number(c.replace(/,/g, '')), 0), 528);
      assert.equal(await page.locator('[data-testid=adopt-start]').isDisabled(), true, 'nothing left to adopt');
      const failures = [];
      await checkPage(page, 'committee proposal 1280', 1280, failures);
      assert.deepEqual(failures, []);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('every paged table pages to its end, anonymous and as the committee', { timeout: 2 * TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await open('/allocations');
    try {
      await page.locator('[data-testid=projects-table] tbody tr').first().waitFor({ timeout: 30_000 });
      const projectRows = (p) => p.locator('[data-testid=projects-table] tbody tr td:nth-child(2)').allInnerTexts();
      const projects = await pageThrough(page, 'projects', projectRows);
      assert.equal(projects.rows.length, DEMO_AWARDS, 'every awarded project is reachable');
      assert.equal(projects.pages, Math.ceil(DEMO_AWARDS / 25));
      await page.goto(`${server.baseUrl}/login`, { waitUntil: 'load' });
      await signIn(page, 'demo.committee', '/committee');
      await page.locator('[data-testid=proposal-lines] tbody tr').first().waitFor({ timeout: 30_000 });
      // Amounts are bare figures in their columns; the unit stands under each pool's name.
      const poolCell = await page.locator('[data-testid=proposal-lines] tbody tr').first().locator('td').nth(1).innerText();
      assert.match(poolCell, /\n(서버\(\d GPU\)|GPU-시간|노드-시간)/, `the pool cell names the unit: ${poolCell}`);
      const figures = [`projects ${projects.pages}`];
      for (const name of ['proposal', 'timeline', 'queue']) {
        if ((await page.locator(`[data-testid=pager-${name}]`).count()) === 0) continue;
        const { pages } = await pageThrough(page, name);
        figures.push(`${name} ${pages}`);
      }
      assert.ok(figures.length >= 3, `the committee page has paged tables: ${figures}`);
      console.log(`e2e: paged through every table (pages): ${figures.join(', ')}`);
      const failures = [];
      await checkPage(page, 'committee after paging', 1280, failures);
      assert.deepEqual(failures, []);
    } finally {
      await context.close();
    }
  });

  test('the programme pages have no serious accessibility violations and fit a phone screen', { timeout: 4 * TEST_TIMEOUT_MS }, async () => {
    const failures = [];
    const pages = [
      { path: '/allocations', ready: '[data-testid=public-round]' },
      { path: '/login', ready: '[data-testid=login-form]' },
      { path: '/committee', ready: '[data-testid=committee-overview]', user: 'demo.committee' },
    ];
    for (const lang of ['ko', 'en']) {
      for (const width of [1280, 375]) {
        const context = await browser.newContext({ viewport: { width, height: width === 375 ? 812 : 900 } });
        try {
          for (const { path, ready, user } of pages) {
            const { page } = await open('/login', { context });
            if (user) await signIn(page, user, path);
            else await page.goto(`${server.baseUrl}${path}`, { waitUntil: 'load' });
            await page.locator(ready).waitFor({ timeout: 30_000 });
            await useLanguage(page, lang);
            await page.screenshot({ path: join(SHOTS_DIR, `programme${path.replace('/', '-')}-${lang}-${width}.png`), fullPage: true });
            await checkPage(page, `${path} ${lang} ${width}`, width, failures);
            if (user) {
              await page.locator('[data-testid=sign-out]').click();
              await page.waitForURL((u) => u.pathname === '/allocations', { timeout: 20_000 });
            }
            await page.close();
          }
        } finally {
          await context.close();
        }
      }
    }
    if (failures.length) console.log(`e2e: accessibility / layout problems:\n  ${failures.join('\n  ')}`);
    assert.deepEqual(failures, [], 'serious or critical axe violations, or horizontal scroll at 375 px');
  });
});

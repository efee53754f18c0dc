// The allocation programme's decision journey in the browser, against its own
// server so the open round starts empty: a researcher submits to the open
// round (the form offers exactly that round's pools, units and period), a
// reviewer scores the request and is refused with a conflict of interest on
// one from their own organisation, a committee member opens the request from
// the queue and from the proposal; an admin closes the call from the
// administration page and decides before the review window ends (with a
// reason), and the overview's figures and charts change; the award stays off
// the public page until the round is published. axe-core checks every new
// page in Korean and English at 1280 and 375 px.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { DEMO_PASSWORD, startServer } from './server.mjs';
import { SHOTS_DIR, checkPage, eventually, launchBrowser, signIn as signInAs, startWatchdog, useLanguage } from './support.mjs';

const TEST_TIMEOUT_MS = 120_000;
const TITLE = '한국어 기상 예측 파운데이션 모델';
const COI_TITLE = '카이스트 자체 과제';

startWatchdog(15);

let server;
let browser;
/** The two requests' ids: reviewed and decided, and the one from the reviewer's organisation. */
const ids = {};

async function page({ width = 1280 } = {}) {
  const context = await browser.newContext({ viewport: { width, height: width === 375 ? 812 : 900 } });
  const p = await context.newPage();
  const errors = [];
  p.on('pageerror', (err) => errors.push(String(err)));
  return { context, page: p, errors };
}

const signIn = (p, user, path) => signInAs(p, server.baseUrl, user, DEMO_PASSWORD, path);
const go = (p, path) => p.goto(`${server.baseUrl}${path}`, { waitUntil: 'load' });
const number = (text) => Number(text.replace(/[^0-9.]/g, ''));

describe('committee decision journey', () => {
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  }, { timeout: 180_000 });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('a researcher submits to the open round, whose pools, units and period the form offers', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page: p, errors } = await page();
    try {
      const open = await (await fetch(`${server.baseUrl}/api/v1/rounds/open`)).json();
      await signIn(p, 'demo.researcher', '/requests/mine');
      await go(p, '/requests/new');
      await p.locator('[data-testid=open-round]').waitFor({ timeout: 20_000 });
      assert.match(await p.locator('[data-testid=open-round]').innerText(), new RegExp(open.round.period_start));
      const offered = await p.locator('[data-testid=req-pool] option:not([value=""])').evaluateAll((os) => os.map((o) => o.value));
      assert.deepEqual(offered, open.round.pools.map((x) => x.pool), 'exactly the open round pools');
      const kakao = open.round.pools.find((x) => x.pool === 'kakao-b200');
      assert.match(await p.locator('[data-testid=req-pool] option[value="kakao-b200"]').innerText(), /서버 [\d,]+대/, 'the capacity in words');
      // The amount is counted in the chosen pool's unit, named next to it.
      assert.equal(await p.locator('[data-testid=req-amount-unit]').innerText(), '');
      await p.locator('[data-testid=req-pool]').selectOption('kakao-b200');
      assert.equal(await p.locator('[data-testid=req-amount-unit]').innerText(), '서버(8 GPU)');
      await p.locator('[data-testid=req-pool]').selectOption('');
      assert.match(await p.locator('[data-testid=req-pool] option[value="kakao-b200"]').innerText(), new RegExp(`${kakao.capacity}`));
      const { pools } = await (await fetch(`${server.baseUrl}/api/v1/auth/session`)).json();
      const kakaoName = pools.find((x) => x.id === 'kakao-b200').name_ko;
      assert.ok(kakaoName.startsWith('카카오클라우드 GPU · '), `the session names the pools: ${kakaoName}`);
      assert.ok((await p.locator('[data-testid=req-pool] option[value="kakao-b200"]').innerText()).startsWith(`${kakaoName}: `), 'the pool by its Korean name');
      assert.equal(await p.locator('#req-start').inputValue(), open.round.period_start, 'the period starts with the round');
      // Sent empty, the form names what to fix above it, without asking the server, and leads to each field.
      const sent = [];
      p.on('request', (r) => { if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/requests') sent.push(r.url()); });
      await p.locator('[data-testid=request-submit]').click();
      const summary = p.locator('[data-testid=form-error-summary]');
      await summary.waitFor({ timeout: 10_000 });
      const items = await summary.locator('li').allInnerTexts();
      // Every missing field at once: the amount too, though its bound waits for a pool.
      assert.deepEqual(items.map((t) => t.split(':')[0]), ['과제명 (국문)', '연구 요약', '자원 풀', '신청량 (풀 단위)'], `the summary names the fields by their labels: ${items}`);
      assert.ok(items.every((t) => !/[a-z]+_[a-z]+/.test(t)), `no API field names: ${items}`);
      assert.ok(await summary.evaluate((e) => e === document.activeElement), 'the summary takes the focus');
      await summary.locator('li a').nth(1).click();
      assert.equal(await p.evaluate(() => document.activeElement?.id), 'req-abstract', 'a summary item focuses its field');
      assert.equal(await p.locator('#req-abstract-error').innerText(), '필수 항목입니다.');
      // Each refused control is marked and outlined (the form's own rules beat the base input style).
      for (const id of ['req-title_ko', 'req-abstract', 'req-pool']) {
        assert.equal(await p.locator(`#${id}`).getAttribute('aria-invalid'), 'true', id);
        assert.equal(await p.locator(`#${id}`).evaluate((e) => getComputedStyle(e).borderTopWidth), '2px', `${id} outlined`);
      }
      assert.equal(await p.locator('#req-pi').getAttribute('aria-invalid'), 'false');
      assert.deepEqual(sent, [], 'the form checked itself; nothing was sent');
      const failures = [];
      await checkPage(p, '/requests/new with its error summary', 1280, failures);
      assert.deepEqual(failures, [], 'the form with its error summary is accessible');
      await p.locator('#req-title_ko').fill(TITLE);
      await p.locator('#req-abstract').fill('기상 재분석 자료로 한국형 예측 모델을 학습합니다.');
      await p.locator('#req-pi').fill('김연구');
      // The organisation is the account's, shown, not typed.
      assert.equal(await p.locator('#req-organisation').inputValue(), '부산대학교');
      assert.equal(await p.locator('#req-organisation').getAttribute('readonly'), '');
      // Its sector and region come from the directory entry, not from the form.
      await p.locator('[data-testid=req-sector-from-directory]').waitFor();
      assert.equal(await p.locator('[data-testid=req-sector]').count(), 0);
      await p.locator('[data-testid=req-pool]').selectOption('kakao-b200');
      await p.locator('[data-testid=req-amount]').fill('2');
      await p.locator('[data-testid=request-submit]').click();
      await p.waitForURL((u) => u.pathname === '/requests/mine', { timeout: 20_000 });
      await p.locator('[data-testid=my-requests] li').first().waitFor({ timeout: 20_000 });
      assert.match(await p.locator('[data-testid=my-requests] li').first().innerText(), new RegExp(TITLE));
      const first = await p.evaluate(async () => (await (await fetch('/api/v1/requests/mine')).json())[0].request.id);
      // A second request from the reviewer's organisation (KAIST): a request's organisation is its applicant's
      // account's, so an admin makes a KAIST researcher's account (API, with the admin page's session) …
      const { context: adminCtx, page: a } = await page();
      try {
        await signIn(a, 'demo.admin', '/committee');
        const accepted = await a.evaluate(async () => {
          const s = await (await fetch('/api/v1/auth/session')).json();
          const post = (url, body) => fetch(url, {
            method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': s.csrf_token }, body: JSON.stringify(body),
          });
          const invited = await (await post('/api/v1/admin/people', {
            username: 'kaist.researcher', display_name: '최카이', organisation: 'KAIST', role: 'researcher',
          })).json();
          const token = invited.link.split('token=')[1];
          return (await post('/api/v1/auth/invite', { token, password: 'kaist researcher password' })).status;
        });
        assert.equal(accepted, 200);
      } finally {
        await adminCtx.close();
      }
      // … who submits through the API with their own session.
      const { context: kaistCtx, page: k } = await page();
      let made;
      try {
        await signInAs(k, server.baseUrl, 'kaist.researcher', 'kaist researcher password', '/requests/mine');
        made = await k.evaluate(async ([title, round]) => {
          const s = await (await fetch('/api/v1/auth/session')).json();
          const body = {
            title_ko: title, abstract: '이해충돌 확인용', pi: '최카이', organisation: 'KAIST', sector: 'university',
            region: 'non_capital', pool: 'kakao-b200', amount: 1, period_start: round.period_start, period_end: round.period_end,
          };
          const res = await fetch(`/api/v1/requests?round=${round.id}`, {
            method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': s.csrf_token }, body: JSON.stringify(body),
          });
          const json = await res.json();
          return { status: res.status, coi: json.id, organisation: json.organisation };
        }, [COI_TITLE, open.round]);
      } finally {
        await kaistCtx.close();
      }
      assert.equal(made.organisation, 'KAIST');
      made.first = first;
      assert.equal(made.status, 200);
      Object.assign(ids, { plain: made.first, coi: made.coi, period: { from: open.round.period_start, to: open.round.period_end } });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a reviewer scores a request; one from their own organisation is refused as a conflict of interest', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page: p, errors } = await page();
    try {
      await signIn(p, 'demo.reviewer', '/reviews');
      const plain = p.locator(`[data-testid=review-item-${ids.plain}]`);
      const coi = p.locator(`[data-testid=review-item-${ids.coi}]`);
      await plain.waitFor({ timeout: 20_000 });
      assert.equal(await plain.locator('[data-testid=review-conflict-warning]').count(), 0);
      assert.equal(await coi.locator('[data-testid=review-conflict-warning]').count(), 1);
      // Missing scores are named before anything is sent: at each field, and
      // above the form by their labels, each link leading to its control.
      const posted = [];
      p.on('request', (r) => { if (r.method() !== 'GET' && r.url().includes('/review')) posted.push(r.url()); });
      await plain.locator('[data-testid=review-comment]').fill('명확한 계획과 공공 데이터 활용이 돋보입니다.');
      await plain.locator('[data-testid=review-submit]').click();
      await plain.locator('#review-' + ids.plain + '-impact-error:not(:empty)').waitFor({ timeout: 20_000 });
      const summary = plain.locator('[data-testid=form-error-summary]');
      assert.match(await summary.innerText(), /사회·경제적 파급효과: 1~5점 중 하나를 고르세요/);
      assert.equal(await summary.locator('li').count(), 4, 'the four scores, not the comment');
      // The summary takes the focus (after it is drawn).
      await p.waitForFunction(() => document.activeElement?.dataset.testid === 'form-error-summary', null, { timeout: 5_000 });
      await summary.locator(`a[href="#review-${ids.plain}-impact"]`).click();
      assert.equal(await p.evaluate(() => document.activeElement?.id), `review-${ids.plain}-impact`);
      assert.equal(await plain.locator('[data-testid=review-impact]').getAttribute('aria-invalid'), 'true');
      assert.deepEqual(posted, [], 'nothing was sent');
      await plain.screenshot({ path: join(SHOTS_DIR, 'review-form-errors-ko-1280.png') });
      for (const f of ['technical_merit', 'impact', 'ecosystem', 'team_readiness']) {
        await plain.locator(`[data-testid=review-${f}]`).selectOption('4');
      }
      await plain.locator('[data-testid=review-submit]').click();
      await plain.locator('[data-testid=review-done]').waitFor({ timeout: 20_000 });
      assert.match(await plain.locator('[data-testid=review-done]').innerText(), /4\.00/);
      // The review stays the reviewer's to change while the window is open: the form starts from it.
      await plain.locator('[data-testid=review-edit]').click();
      assert.equal(await plain.locator('[data-testid=review-impact]').inputValue(), '4');
      await plain.locator('[data-testid=review-comment]').fill('명확한 계획과 공공 데이터 활용이 돋보입니다. 일정도 현실적입니다.');
      await plain.locator('[data-testid=review-submit]').click();
      await eventually(async () => {
        const list = await p.evaluate(async () => (await (await fetch('/api/v1/reviews/assigned')).json()).items);
        const mine = list.find((i) => i.request.id === ids.plain).mine;
        assert.match(mine.comment, /일정도 현실적입니다/);
      });
      await plain.locator('[data-testid=review-done]').waitFor({ timeout: 20_000 });
      for (const f of ['technical_merit', 'impact', 'ecosystem', 'team_readiness']) {
        await coi.locator(`[data-testid=review-${f}]`).selectOption('5');
      }
      await coi.locator('[data-testid=review-comment]').fill('우수');
      await coi.locator('[data-testid=review-submit]').click();
      await coi.locator('[data-testid=review-conflict]').waitFor({ timeout: 20_000 });
      assert.match(await coi.locator('[data-testid=review-conflict]').innerText(), /이해충돌/);
      assert.match(await coi.locator('[data-testid=review-conflict]').innerText(), /KAIST/);
      // The server's code is translated: no English sentence of its on the Korean page.
      assert.doesNotMatch(await coi.locator('[data-testid=review-conflict]').innerText(), /applied|organisation|conflict of interest/i);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('the new pages have no serious accessibility violations and fit a phone screen', { timeout: 4 * TEST_TIMEOUT_MS }, async () => {
    const failures = [];
    const pages = [
      { user: 'demo.researcher', home: '/requests/mine', path: '/requests/new', ready: '[data-testid=open-round]' },
      { user: 'demo.reviewer', home: '/reviews', path: '/reviews', ready: `[data-testid=review-item-${ids.coi}]` },
      // The call is still receiving: a committee member is told what the decision waits for, not offered a form the server would refuse.
      { user: 'demo.committee', home: '/committee', path: `/committee/requests/${ids.plain}`, ready: '[data-testid=decision-waits]' },
      { user: 'demo.admin', home: '/committee', path: '/admin', ready: '[data-testid=round-2026-2]' },
    ];
    for (const width of [1280, 375]) {
      for (const { user, home, path, ready } of pages) {
        const { context, page: p } = await page({ width });
        try {
          await signIn(p, user, home);
          await go(p, path);
          await p.locator(ready).waitFor({ timeout: 30_000 });
          for (const lang of ['ko', 'en']) {
            await useLanguage(p, lang);
            await p.screenshot({ path: join(SHOTS_DIR, `programme${path.replace(/\//g, '-').replace(/-\d+$/, '-id')}-${lang}-${width}.png`), fullPage: true });
            await checkPage(p, `${path} ${lang} ${width}`, width, failures);
          }
          // Text built from data follows the language toggle too.
          if (path === '/reviews') assert.match(await p.locator('[data-testid=review-done]').innerText(), /^Reviewed \(mean 4\.00\)$/);
          if (path.startsWith('/committee/')) {
            assert.match(await p.locator('[data-testid=decision-waits]').innerText(), /^Decisions are recorded while the call is under review/);
            assert.equal(await p.locator('[data-testid=decision-form]').count(), 0);
          }
        } finally {
          await context.close();
        }
      }
    }
    if (failures.length) console.log(`e2e: accessibility / layout problems:\n  ${failures.join('\n  ')}`);
    assert.deepEqual(failures, [], 'serious or critical axe violations, or horizontal scroll at 375 px');
  });

  test('a request no one has: the page is titled "not found" and says so in words, without status codes', { timeout: TEST_TIMEOUT_MS }, async () => {
    for (const { user, home, path } of [
      { user: 'demo.committee', home: '/committee', path: '/committee/requests/987654' },
      { user: 'demo.researcher', home: '/requests/mine', path: '/requests/987654' },
    ]) {
      const { context, page: p } = await page({ width: 375 });
      try {
        await signIn(p, user, home);
        await go(p, path);
        const error = p.locator('[data-testid=fetch-error]');
        await error.waitFor({ timeout: 30_000 });
        const text = await error.innerText();
        assert.match(text, /찾는 항목이 없습니다/, `${path}: the refusal in Korean words`);
        assert.doesNotMatch(text, /HTTP|not_found/, `${path}: no status code or error code for a refusal: ${text}`);
        await eventually(async () => assert.match(await p.title(), /^페이지를 찾을 수 없습니다 · /, `${path}: title`));
        assert.doesNotMatch(await p.title(), /987654/);
      } finally {
        await context.close();
      }
    }
  });

  test('an admin closes the call from the administration page after confirming what the step changes', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page: p, errors } = await page();
    try {
      // The round asks for two reviews: a committee member (who may review) gives the second.
      const { context: c2, page: cp } = await page();
      try {
        await signIn(cp, 'demo.committee', '/committee');
        const status = await cp.evaluate(async (id) => {
          const s = await (await fetch('/api/v1/auth/session')).json();
          const body = { technical_merit: 4, impact: 4, ecosystem: 4, team_readiness: 4, comment: '타당함' };
          const res = await fetch(`/api/v1/requests/${id}/reviews`, {
            method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': s.csrf_token }, body: JSON.stringify(body),
          });
          return res.status;
        }, ids.plain);
        assert.equal(status, 200);
      } finally {
        await c2.close();
      }
      await signIn(p, 'demo.admin', '/committee');
      await go(p, '/admin');
      const round = p.locator('[data-testid=round-2026-2]');
      await round.waitFor({ timeout: 30_000 });
      assert.equal(await round.locator('[data-testid=round-stage]').innerText(), '접수 중');
      assert.match(await round.locator('[data-testid=round-progress]').innerText(), /신청 2건, 결정 대기 2건/);
      assert.equal(await p.locator('[data-testid=round-2026-1] [data-testid=round-stage]').innerText(), '공개');
      // The step asks for a confirmation saying what it changes; cancelling changes nothing.
      await round.locator('[data-testid=round-advance]').click();
      assert.match(await round.locator('[data-testid=round-confirm]').innerText(), /‘접수 중’에서 ‘심사 중’/);
      assert.match(await round.locator('[data-testid=round-confirm]').innerText(), /접수가 끝납니다/);
      await round.locator('[data-testid=round-confirm-no]').click();
      assert.equal(await round.locator('[data-testid=round-confirm]').count(), 0);
      await round.locator('[data-testid=round-advance]').click();
      await round.locator('[data-testid=round-confirm-yes]').click();
      await eventually(async () => assert.equal(await round.locator('[data-testid=round-stage]').innerText(), '심사 중'));
      // Submissions are closed: the request form says so.
      const open = await fetch(`${server.baseUrl}/api/v1/rounds/open`);
      assert.equal(open.status, 404);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('an admin decides before the review window closes, with a reason; the overview figures and charts change and the award stays private until publication', { timeout: 2 * TEST_TIMEOUT_MS }, async () => {
    const { context, page: p, errors } = await page();
    try {
      await signIn(p, 'demo.admin', '/committee');
      await p.locator('[data-testid=committee-overview]').waitFor({ timeout: 30_000 });
      const figures = async () => {
        await p.locator('canvas[data-testid=share-chart]').first().waitFor();
        return {
          gpus: number(await p.locator('[data-testid=awarded-gpus]').innerText()),
          university: await p.locator('[data-testid=shares-sector-table] tbody tr').filter({ hasText: /대학/ }).locator('td').allInnerTexts(),
          chart: await p.locator('canvas[data-testid=share-chart]').first().evaluate((c) => c.toDataURL()),
        };
      };
      const before = await figures();
      assert.equal(before.gpus, 0, 'nothing is awarded in the open round yet');
      // A second member's tab stays open on the overview through the decision.
      const watcher = await context.newPage();
      await go(watcher, '/committee');
      await watcher.locator('[data-testid=committee-overview]').waitFor({ timeout: 30_000 });
      await watcher.evaluate(() => { window.__marker = 1; });
      // The queue links to the request's page.
      await p.locator('[data-testid=queue-table] tbody tr').first().waitFor({ timeout: 20_000 });
      await p.locator('[data-testid=queue-open]', { hasText: `#${ids.plain}` }).click();
      await p.waitForURL((u) => u.pathname === `/committee/requests/${ids.plain}`, { timeout: 20_000 });
      await p.locator('[data-testid=request-title]').waitFor({ timeout: 20_000 });
      assert.match(await p.locator('[data-testid=request-title]').innerText(), new RegExp(TITLE));
      assert.equal(await p.locator('[data-testid=request-reviews] tbody tr').count(), 2);
      // From the proposal: "decide" pre-fills the proposed amount.
      await go(p, '/committee');
      const line = p.locator('[data-testid=proposal-lines] tbody tr', { hasText: `#${ids.plain}` });
      await line.waitFor({ timeout: 30_000 });
      const proposed = number(await line.locator('td').nth(4).innerText());
      assert.equal(proposed, 2, 'the whole ask fits the round');
      await line.locator('[data-testid=proposal-decide]').click();
      await p.waitForURL((u) => u.pathname === `/committee/requests/${ids.plain}`, { timeout: 20_000 });
      await p.locator('[data-testid=decision-form]').waitFor({ timeout: 20_000 });
      assert.equal(await p.locator('[data-testid=decision-amount]').inputValue(), String(proposed));
      assert.ok(await p.locator('[data-testid=decision-approve]').isChecked());
      // Without a rationale, with an end past the round's period and without a reason for deciding inside the
      // review window, the form names all three fields before sending anything (the server's own rules, from
      // `kairr-shared`): next to each field, and above the form by their labels.
      const decisionPosts = [];
      p.on('request', (r) => { if (r.method() !== 'GET' && r.url().includes('/decision')) decisionPosts.push(r.url()); });
      assert.match(await p.locator('#decision-override-hint').innerText(), /\d{4}-\d{2}-\d{2}까지만 필요/);
      const asked = await p.locator('[data-testid=decision-end]').inputValue();
      await p.locator('[data-testid=decision-end]').fill('2099-12-31');
      await p.locator('[data-testid=decision-submit]').click();
      await p.locator('[data-testid=decision-rationale-error]:not(:empty)').waitFor({ timeout: 20_000 });
      await p.locator('[data-testid=decision-end-error]:not(:empty)').waitFor({ timeout: 20_000 });
      await p.locator('[data-testid=decision-override-error]:not(:empty)').waitFor({ timeout: 20_000 });
      assert.match(await p.locator('[data-testid=decision-override-error]').innerText(), /심사 기간/);
      assert.equal(await p.locator('[data-testid=decision-rationale]').getAttribute('aria-invalid'), 'true');
      assert.equal(await p.locator('[data-testid=decision-end]').getAttribute('aria-invalid'), 'true');
      const decisionSummary = p.locator('[data-testid=decision-form] [data-testid=form-error-summary]');
      assert.equal(await decisionSummary.locator('li').count(), 3);
      assert.match(await decisionSummary.innerText(), /결정 사유: /);
      assert.match(await decisionSummary.innerText(), /종료일: 배분 기간\(/);
      await p.waitForFunction(() => document.activeElement?.dataset.testid === 'form-error-summary', null, { timeout: 5_000 });
      await decisionSummary.locator('a[href="#decision-end"]').click();
      assert.equal(await p.evaluate(() => document.activeElement?.id), 'decision-end');
      assert.deepEqual(decisionPosts, [], 'nothing was sent');
      await p.locator('[data-testid=decision-form]').screenshot({ path: join(SHOTS_DIR, 'decision-form-errors-ko-1280.png') });
      await p.locator('[data-testid=decision-end]').fill(asked);
      await p.locator('[data-testid=decision-rationale]').fill('공공 데이터 활용과 비수도권 연구 역량 강화에 기여');
      await p.locator('[data-testid=decision-override]').fill('재난 대응 연구로 위원회가 조기 배분을 의결함');
      await p.locator('[data-testid=decision-submit]').click();
      await p.locator('[data-testid=decision-saved]').waitFor({ timeout: 20_000 });
      await p.locator('[data-testid=request-allocation]').waitFor({ timeout: 20_000 });
      assert.match(await p.locator('[data-testid=request-decision]').innerText(), /승인/);
      assert.match(await p.locator('[data-testid=request-allocation]').innerText(), /서버 2대/);
      assert.equal(await p.locator('[data-testid=decision-form]').count(), 0, 'a decided request has no form');
      // The other tab follows the decision without a reload (SSE `programme` event → re-fetch).
      await eventually(async () => {
        assert.equal(number(await watcher.locator('[data-testid=awarded-gpus]').innerText()), before.gpus + 16);
      }, { timeoutMs: 20_000 });
      assert.equal(await watcher.evaluate(() => window.__marker), 1, 'the watching tab updated in place');
      // The overview's totals, the sector table and its chart moved.
      await go(p, '/committee');
      await p.locator('[data-testid=committee-overview]').waitFor({ timeout: 30_000 });
      const afterDecision = await figures();
      assert.equal(afterDecision.gpus, before.gpus + 16, '2 servers of 8 GPUs');
      assert.notDeepEqual(afterDecision.university, before.university, `university row ${before.university} → ${afterDecision.university}`);
      assert.match(afterDecision.university[3], /^1 \/ 2$/, 'one of two university requests awarded');
      assert.notEqual(afterDecision.chart, before.chart, 'the sector chart was redrawn with the award');
      // The proposal keeps the decision: the line is marked decided and offers no "decide" again.
      const decidedLine = p.locator('[data-testid=proposal-lines] tbody tr', { hasText: `#${ids.plain}` });
      await decidedLine.waitFor({ timeout: 20_000 });
      assert.equal(await decidedLine.locator('[data-testid=proposal-note]').innerText(), '결정됨');
      assert.equal(await decidedLine.locator('[data-testid=proposal-decide]').count(), 0);
      assert.equal(await decidedLine.locator('[data-testid=proposal-change]').count(), 0);
      // The rest is adopted as a batch (rationale, the admin's reason, a confirmation); the KAIST request has
      // too few reviews and is skipped, named with its reason.
      await p.locator('[data-testid=adopt-rationale]').fill('위원회 배분안 채택');
      await p.locator('[data-testid=adopt-override]').fill('재난 대응 연구로 조기 배분');
      await p.locator('[data-testid=adopt-start]').click();
      await p.locator('[data-testid=adopt-confirm]').click();
      await p.locator('[data-testid=adopt-result]').waitFor({ timeout: 20_000 });
      const adopted = await p.locator('[data-testid=adopt-result]').innerText();
      assert.match(adopted, /승인 0건, 기각 0건, 건너뜀 1건/);
      assert.match(adopted, new RegExp(`#${ids.coi} \\(`));
      // The committee can switch rounds: the decided first call's figures, in the URL too.
      const options = await p.locator('[data-testid=committee-round] option').evaluateAll((os) => os.map((o) => o.value));
      assert.deepEqual(options, ['2026-2', '2026-1']);
      await p.locator('[data-testid=committee-round]').selectOption('2026-1');
      await p.waitForURL((u) => u.search === '?round=2026-1', { timeout: 20_000 });
      await eventually(async () => assert.equal(number(await p.locator('[data-testid=awarded-gpus]').innerText()), 4224));
      assert.match(await p.locator('[data-testid=queue-table] tbody tr').first().innerText(), /#\d+/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
    // Anyone: the public page shows only published rounds, so the new award is not there yet.
    const { context: anon, page: pub } = await page();
    try {
      await go(pub, '/allocations');
      await pub.locator('[data-testid=projects-count]', { hasText: '159개 중' }).waitFor({ timeout: 30_000 });
      assert.equal(await pub.locator('[data-testid=projects-table]', { hasText: TITLE }).count(), 0, 'not published yet');
      const select = pub.locator('[data-testid=round-select]');
      if (await select.count()) {
        assert.deepEqual(await select.locator('option').evaluateAll((os) => os.map((o) => o.value)), ['2026-1']);
      }
    } finally {
      await anon.close();
    }
    // The researcher follows the award: awarded against used GPU-hours (2 servers × 8 GPUs × 24 h × days of the period).
    const days = (Date.parse(ids.period.to) - Date.parse(ids.period.from)) / 86_400_000 + 1;
    const { context: own, page: mine } = await page();
    try {
      await signIn(mine, 'demo.researcher', '/requests/mine');
      const item = mine.locator('[data-testid=my-requests] li', { hasText: TITLE });
      await item.locator('[data-testid=mine-usage]').waitFor({ timeout: 20_000 });
      assert.equal(
        await item.locator('[data-testid=mine-usage]').innerText(),
        `사용 0 / 배분 ${(2 * 8 * 24 * days).toLocaleString('en-US')} GPU-시간 (0.0%)`,
      );
    } finally {
      await own.close();
    }
  });
});

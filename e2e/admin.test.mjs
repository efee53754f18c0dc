// The centre's administration in the browser (issue 10): an admin creates a
// round with two pools and sector targets from the round form (as a draft),
// creates a reviewer's account, and the reviewer sets a password with the
// one-time link and signs in; the link works once. axe-core checks the new
// pages in Korean and English at 1280 and 375 px.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { DEMO_PASSWORD, startServer } from './server.mjs';
import { SHOTS_DIR, appReady, checkPage, eventually, launchBrowser, signIn as signInAs, startWatchdog, useLanguage } from './support.mjs';

const TEST_TIMEOUT_MS = 120_000;

startWatchdog(10);

let server;
let browser;
let inviteLink;

async function page({ width = 1280 } = {}) {
  const context = await browser.newContext({ viewport: { width, height: width === 375 ? 812 : 900 } });
  const p = await context.newPage();
  const errors = [];
  p.on('pageerror', (err) => errors.push(String(err)));
  p.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) console.log('CONSOLE', m.text().slice(0, 3000).replace(/\n/g, ' | ')); });
  return { context, page: p, errors };
}

const signIn = (p, user, path, password = DEMO_PASSWORD) => signInAs(p, server.baseUrl, user, password, path);
const go = (p, path) => p.goto(`${server.baseUrl}${path}`, { waitUntil: 'load' });

describe('administration', () => {
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  }, { timeout: 180_000 });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('an admin creates a round with two pools and targets as a draft and publishes it; the public page shows it without a demo label', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page: p, errors } = await page();
    try {
      await signIn(p, 'demo.admin', '/committee');
      await p.locator('[data-testid=nav-admin]').click();
      await p.waitForURL((u) => u.pathname === '/admin', { timeout: 20_000 });
      await p.locator('[data-testid=round-2026-2]').waitFor({ timeout: 30_000 });
      // Missing fields are named next to each field, in Korean.
      await p.locator('[data-testid=round-submit]').click();
      await p.locator('#round-id-error:not(:empty)').waitFor({ timeout: 20_000 });
      assert.match(await p.locator('#round-id-error').innerText(), /필수/);
      const day = (d) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
      await p.locator('[data-testid=round-id]').fill('2027-1');
      await p.locator('[data-testid=round-title_ko]').fill('2027년 1차 국가 AI 컴퓨팅 자원 지원 사업');
      await p.locator('[data-testid=round-title_en]').fill('2027 first call for national AI computing resources');
      for (const [field, d] of [['opens', 10], ['closes', 40], ['review_closes', 55], ['period_start', 70], ['period_end', 250]]) {
        await p.locator(`[data-testid=round-${field}]`).fill(day(d));
      }
      await p.locator('[data-testid=round-add-pool]').click();
      await p.locator('[data-testid=round-pool-0]').fill('kakao-b200');
      await p.locator('[data-testid=round-unit-0]').selectOption('servers');
      await p.locator('[data-testid=round-capacity-0]').fill('12');
      await p.locator('[data-testid=round-add-pool]').click();
      await p.locator('[data-testid=round-pool-1]').fill('kisti6-gh200');
      // The wrong unit for a batch pool is refused at the field.
      await p.locator('[data-testid=round-unit-1]').selectOption('servers');
      await p.locator('[data-testid=round-capacity-1]').fill('80000');
      await p.locator('[data-testid=round-target-university]').fill('50');
      await p.locator('[data-testid=round-target-startup]').fill('20');
      await p.locator('[data-testid=round-submit]').click();
      await p.locator('[data-testid=round-pool-row-1] .field-error:not(:empty)').waitFor({ timeout: 20_000 });
      assert.match(await p.locator('[data-testid=round-pool-row-1]').innerText(), /노드-시간/);
      // The summary above the form names it as the form does and leads to it.
      const summary = p.locator('[data-testid=form-error-summary]');
      assert.match(await summary.innerText(), /풀 2 · 단위: /);
      await summary.locator('a', { hasText: '풀 2 · 단위' }).click();
      assert.equal(await p.evaluate(() => document.activeElement?.id), 'round-unit-1');
      await p.locator('[data-testid=round-unit-1]').selectOption('node_hours');
      await p.locator('[data-testid=round-submit]').click();
      await p.locator('[data-testid=round-created]').waitFor({ timeout: 20_000 });
      const created = p.locator('[data-testid=round-2027-1]');
      await created.waitFor({ timeout: 20_000 });
      assert.equal(await created.locator('[data-testid=round-stage]').innerText(), '준비 중');
      assert.equal(await created.locator('.badge-demo').count(), 0, 'a real round carries no demo label');
      const rounds = await p.evaluate(async () => (await fetch('/api/v1/admin/rounds')).json());
      const round = rounds.find((r) => r.round.id === '2027-1').round;
      assert.deepEqual(round.pools.map((x) => [x.pool, x.unit, x.capacity]), [['kakao-b200', 'servers', 12], ['kisti6-gh200', 'node_hours', 80000]]);
      assert.deepEqual(round.sector_targets, { university: 0.5, startup: 0.2 });
      // A round not yet published can be changed: its form comes back filled, its id fixed.
      await created.locator('[data-testid=round-edit]').click();
      assert.equal(await p.locator('[data-testid=round-id]').inputValue(), '2027-1');
      assert.equal(await p.locator('[data-testid=round-id]').getAttribute('readonly'), '');
      await p.locator('[data-testid=round-title_en]').fill('2027 first call (changed)');
      await p.locator('[data-testid=round-submit]').click();
      await eventually(async () => assert.match(await p.locator('[data-testid=round-created]').innerText(), /2027-1/));
      await eventually(async () => {
        const after = await p.evaluate(async () => (await fetch('/api/v1/admin/rounds')).json());
        assert.equal(after.find((r) => r.round.id === '2027-1').round.title_en, '2027 first call (changed)');
      });
      assert.equal(await p.locator('[data-testid=round-id]').inputValue(), '', 'the form is a new round again');
      // Through every stage (nothing was submitted, so it can be decided) to publication, each step confirmed.
      for (const stage of ['접수 중', '심사 중', '결정 완료', '공개']) {
        await created.locator('[data-testid=round-advance]').click();
        await created.locator('[data-testid=round-confirm-yes]').click();
        await eventually(async () => assert.equal(await created.locator('[data-testid=round-stage]').innerText(), stage));
      }
      assert.equal(await created.locator('[data-testid=round-advance]').count(), 0, 'published is final');
      assert.equal(await created.locator('[data-testid=round-edit]').count(), 0, 'a published round cannot be changed');
      // Copying a round fills the form with its settings and an empty id.
      await p.locator('[data-testid=round-2026-2] [data-testid=round-copy]').click();
      assert.equal(await p.locator('[data-testid=round-id]').inputValue(), '');
      assert.match(await p.locator('[data-testid=round-title_ko]').inputValue(), /2차/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
    // The published real round is the public page's, without any demo label: in the server's first HTML
    // (JavaScript off) and once the app has taken over.
    for (const javaScriptEnabled of [false, true]) {
      const context2 = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled });
      try {
        const q = await context2.newPage();
        await q.goto(`${server.baseUrl}/allocations`, { waitUntil: 'load' });
        if (javaScriptEnabled) await q.locator('[data-testid=public-round]').waitFor({ timeout: 30_000 });
        const main = await q.locator('main').innerText();
        assert.match(main, /2027년 1차 국가 AI 컴퓨팅 자원 지원 사업/, `JS ${javaScriptEnabled}`);
        assert.equal(await q.locator('[data-testid=demo-badge]').count(), 0, `no demo badge (JS ${javaScriptEnabled})`);
        assert.equal(await q.locator('[data-testid=demo-note]').count(), 0, `no demo note (JS ${javaScriptEnabled})`);
        const footer = await q.locator('footer').innerText();
        assert.match(footer, /포털에 기록된/);
        assert.doesNotMatch(footer, /데모/);
        if (!javaScriptEnabled) continue;
        // Two published rounds: choosing the other one shows it without a reload and puts it in the
        // address; the back and forward buttons go between the two, the chooser following.
        await appReady(q);
        await q.evaluate(() => { window.__samePage = true; });
        const select = q.locator('[data-testid=round-select]');
        const title = q.locator('[data-testid=round-title]');
        assert.deepEqual(await select.locator('option').evaluateAll((os) => os.map((o) => o.value)), ['2027-1', '2026-1']);
        await select.selectOption('2026-1');
        await eventually(async () => assert.match(await title.innerText(), /2026년 1차/));
        assert.equal(new URL(q.url()).search, '?round=2026-1');
        await q.goBack();
        await eventually(async () => assert.match(await title.innerText(), /2027년 1차/));
        assert.equal(await select.inputValue(), '2027-1');
        await q.goForward();
        await eventually(async () => assert.match(await title.innerText(), /2026년 1차/));
        assert.equal(await select.inputValue(), '2026-1');
        assert.equal(await q.evaluate(() => window.__samePage), true, 'no reload');
      } finally {
        await context2.close();
      }
    }
  });

  test('an admin creates a reviewer who sets a password with the one-time link and signs in', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page: p, errors } = await page();
    try {
      await signIn(p, 'demo.admin', '/committee');
      await go(p, '/admin/people');
      await p.locator('[data-testid=person-demo-researcher], [data-testid="person-demo.researcher"]').first().waitFor({ timeout: 30_000 });
      await p.locator('[data-testid=new-person-username]').fill('Park Reviewer');
      await p.locator('[data-testid=new-person-display_name]').fill('박심사');
      // The organisation is chosen from the directory (grouped by sector), not typed.
      await p.locator('[data-testid=new-person-organisation] option[value=knu]').waitFor({ state: 'attached', timeout: 20_000 });
      await p.locator('[data-testid=new-person-organisation]').selectOption('knu');
      await p.locator('[data-testid=new-person-role]').selectOption('reviewer');
      await p.locator('[data-testid=new-person-submit]').click();
      await p.locator('#person-username-error:not(:empty)').waitFor({ timeout: 20_000 });
      // Named above the form too, by its label (the server's answer: whether
      // the organisation and username are free is the server's to say).
      const personSummary = p.locator('[data-testid=person-form] [data-testid=form-error-summary]');
      assert.deepEqual(await personSummary.locator('li').allInnerTexts(), [`${await p.locator('label[for=person-username]').innerText()}: 아이디는 영문 소문자, 숫자, . _ - 로 3–32자입니다.`]);
      await p.locator('[data-testid=new-person-username]').fill('park.reviewer');
      await p.locator('[data-testid=new-person-submit]').click();
      await p.locator('[data-testid=invitation-link]').waitFor({ timeout: 20_000 });
      inviteLink = await p.locator('[data-testid=invitation-link]').innerText();
      assert.match(inviteLink, /^http:\/\/127\.0\.0\.1:\d+\/invite\?token=/);
      const row = p.locator('[data-testid="person-park.reviewer"]');
      await row.waitFor({ timeout: 20_000 });
      assert.equal(await row.locator('[data-testid=person-state]').innerText(), '초대됨 (비밀번호 미설정)');
      assert.equal(await row.locator('[data-testid=person-organisation]').inputValue(), 'knu');
      const account = await p.evaluate(async () => (await (await fetch('/api/v1/admin/people')).json()).find((x) => x.username === 'park.reviewer'));
      assert.deepEqual([account.organisation, account.organisation_id], ['경북대학교', 'knu']);
      // Their login on the clusters: a user name the schedulers take, else a message in place.
      const login = row.locator('[data-testid=person-login]');
      assert.equal(await login.getAttribute('placeholder'), 'park.reviewer');
      await login.fill('Park');
      await login.press('Tab');
      await eventually(async () => assert.match(await row.locator('[data-testid=fetch-error]').innerText(), /클러스터 계정은 영문 소문자/));
      await login.fill('park_r');
      await login.press('Tab');
      await eventually(async () => {
        const people = await p.evaluate(async () => (await fetch('/api/v1/admin/people')).json());
        assert.equal(people.find((x) => x.username === 'park.reviewer').cluster_login, 'park_r');
      });
      await eventually(async () => assert.equal(await row.locator('[data-testid=fetch-error]').count(), 0));
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
    const { context: anon, page: q, errors: anonErrors } = await page();
    try {
      await q.goto(inviteLink, { waitUntil: 'load' });
      await q.locator('[data-testid=invite-form]').waitFor({ timeout: 30_000 });
      await q.locator('[data-testid=invite-password]').fill('gyeongbuk reviewer 2027');
      await q.locator('[data-testid=invite-again]').fill('gyeongbuk reviewer 2028');
      await q.locator('[data-testid=invite-submit]').click();
      assert.match(await q.locator('[data-testid=invite-password-error]').innerText(), /다릅니다/);
      await q.locator('[data-testid=invite-password]').fill('short');
      await q.locator('[data-testid=invite-again]').fill('short');
      await q.locator('[data-testid=invite-submit]').click();
      await eventually(async () => assert.match(await q.locator('[data-testid=invite-password-error]').innerText(), /12자/));
      await q.locator('[data-testid=invite-password]').fill('gyeongbuk reviewer 2027');
      await q.locator('[data-testid=invite-again]').fill('gyeongbuk reviewer 2027');
      await q.locator('[data-testid=invite-submit]').click();
      await q.locator('[data-testid=invite-done]').waitFor({ timeout: 20_000 });
      await signIn(q, 'park.reviewer', '/reviews', 'gyeongbuk reviewer 2027');
      assert.match(await q.locator('[data-testid=account]').innerText(), /박심사/);
      // The link worked once.
      await q.goto(inviteLink, { waitUntil: 'load' });
      await q.locator('[data-testid=invite-password]').fill('another long password');
      await q.locator('[data-testid=invite-again]').fill('another long password');
      await q.locator('[data-testid=invite-submit]').click();
      await eventually(async () => assert.match(await q.locator('[data-testid=invite-form]').innerText(), /더 이상 쓸 수 없는 링크/));
      assert.deepEqual(anonErrors, []);
    } finally {
      await anon.close();
    }
  });

  test('an admin adds an organisation, finds it by an alias, renames it, and attaches a person to it', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page: p, errors } = await page();
    try {
      await signIn(p, 'demo.admin', '/committee');
      await go(p, '/admin');
      await p.locator('[data-testid=admin-nav-organisations]').click();
      await p.waitForURL((u) => u.pathname === '/admin/organisations', { timeout: 20_000 });
      await p.locator('[data-testid=org-kaist]').waitFor({ timeout: 30_000 });
      // A name another entry already has is refused next to its field, in Korean.
      await p.locator('[data-testid=org-field-id]').fill('daegu-robotics');
      await p.locator('[data-testid=org-field-name_ko]').fill('(주)대구로보틱스');
      await p.locator('[data-testid=org-field-name_en]').fill('Daegu Robotics Inc.');
      await p.locator('[data-testid=org-field-aliases]').fill('DRX\n카이스트');
      await p.locator('[data-testid=org-field-sector]').selectOption('startup');
      await p.locator('[data-testid=org-field-province]').selectOption('daegu');
      await p.locator('[data-testid=org-submit]').click();
      await p.locator('#org-aliases-error:not(:empty)').waitFor({ timeout: 20_000 });
      assert.match(await p.locator('#org-aliases-error').innerText(), /KAIST/);
      // Named above the form too.
      assert.equal(await p.locator('[data-testid=org-form] [data-testid=form-error-summary] li').count(), 1);
      await p.locator('[data-testid=org-field-aliases]').fill('DRX');
      await p.locator('[data-testid=org-submit]').click();
      await p.locator('[data-testid=org-saved]').waitFor({ timeout: 20_000 });
      // Found by its alias, with its sector and province in words.
      await p.locator('[data-testid=org-filter]').fill('drx');
      await eventually(async () => assert.equal(await p.locator('[data-testid=orgs-table] tbody tr').count(), 1));
      const row = p.locator('[data-testid=org-daegu-robotics]');
      assert.match(await row.innerText(), /\(주\)대구로보틱스[\s\S]*스타트업[\s\S]*대구/);
      // Renamed: the id stays (not editable), the list shows the new name.
      await row.locator('[data-testid=org-edit]').click();
      assert.equal(await p.locator('[data-testid=org-field-id]').count(), 0);
      await p.locator('[data-testid=org-field-name_ko]').fill('(주)대구로봇');
      await p.locator('[data-testid=org-submit]').click();
      await p.locator('[data-testid=org-saved]').waitFor({ timeout: 20_000 });
      await eventually(async () => assert.match(await p.locator('[data-testid=org-daegu-robotics]').innerText(), /\(주\)대구로봇/));
      // A person is moved to it from the people page.
      await go(p, '/admin/people');
      const researcher = p.locator('[data-testid="person-demo.researcher"]');
      await researcher.waitFor({ timeout: 30_000 });
      await researcher.locator('[data-testid=person-organisation] option[value=daegu-robotics]').waitFor({ state: 'attached', timeout: 20_000 });
      await researcher.locator('[data-testid=person-organisation]').selectOption('daegu-robotics');
      await eventually(async () => {
        const people = await p.evaluate(async () => (await (await fetch('/api/v1/admin/people')).json()));
        const r = people.find((x) => x.username === 'demo.researcher');
        assert.deepEqual([r.organisation, r.organisation_id], ['(주)대구로봇', 'daegu-robotics']);
      });
      // … and back, so the other tests keep their applicant at 부산대학교.
      await p.locator('[data-testid="person-demo.researcher"] [data-testid=person-organisation]').selectOption('pnu');
      await eventually(async () => {
        const people = await p.evaluate(async () => (await (await fetch('/api/v1/admin/people')).json()));
        assert.equal(people.find((x) => x.username === 'demo.researcher').organisation_id, 'pnu');
      });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('the committee assigns reviewers automatically; a reviewer sees the place, declares a conflict, and the committee sees it', { timeout: 2 * TEST_TIMEOUT_MS }, async () => {
    // A request in the open round, submitted by the demo researcher (부산대학교).
    const { context: rc, page: r } = await page();
    let id;
    try {
      await signIn(r, 'demo.researcher', '/requests/mine');
      id = await r.evaluate(async () => {
        const s = await (await fetch('/api/v1/auth/session')).json();
        const open = await (await fetch('/api/v1/rounds/open')).json();
        const res = await fetch(`/api/v1/requests?round=${open.round.id}`, {
          method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': s.csrf_token },
          body: JSON.stringify({ title_ko: '배정 시험 과제', title_en: 'Assignment check', abstract: '기상 모델', pi: '김연구',
            pool: open.round.pools[0].pool, amount: 1, period_start: open.round.period_start, period_end: open.round.period_end }),
        });
        return (await res.json()).id;
      });
      assert.ok(Number.isInteger(id), `request id ${id}`);
    } finally {
      await rc.close();
    }
    const { context, page: p, errors } = await page();
    try {
      await signIn(p, 'demo.committee', '/committee');
      await p.locator('[data-testid=committee-assignments]').waitFor({ timeout: 30_000 });
      await p.locator('[data-testid=committee-assignments]').click();
      await p.waitForURL((u) => u.pathname === '/admin/assignments', { timeout: 20_000 });
      const row = p.locator(`[data-testid=assign-request-${id}]`);
      await p.locator('[data-testid=assign-only-short]').check();
      await p.locator('[data-testid=pager-assignments]').waitFor({ timeout: 30_000 });
      // The newest request is on the last page of those short of reviewers.
      for (let i = 0; i < 40 && !(await row.count()); i += 1) await p.locator('[data-testid=pager-assignments] button').last().click();
      await row.waitFor({ timeout: 20_000 });
      assert.match(await row.locator('[data-testid=assign-progress]').innerText(), /0명 심사/);
      await p.locator('[data-testid=auto-assign]').click();
      await p.locator('[data-testid=auto-outcome]').waitFor({ timeout: 20_000 });
      assert.match(await p.locator('[data-testid=auto-outcome]').innerText(), /자리를 배정했습니다/);
      await p.locator('[data-testid=assign-only-short]').uncheck();
      for (let i = 0; i < 40 && !(await row.count()); i += 1) await p.locator('[data-testid=pager-assignments] button').last().click();
      // demo.reviewer (KAIST) has a place; nobody of 부산대학교 has.
      await row.locator('[data-testid="place-demo.reviewer"]').waitFor({ timeout: 20_000 });
      assert.equal(await row.locator('[data-testid="place-demo.reviewer"]').getAttribute('data-state'), 'pending');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
    const { context: vc, page: v, errors: vErrors } = await page();
    try {
      await signIn(v, 'demo.reviewer', '/reviews');
      const item = v.locator(`[data-testid=review-item-${id}]`);
      await item.waitFor({ timeout: 30_000 });
      assert.match(await v.locator('[data-testid=reviews-due]').innerText(), /심사 마감 \d{4}-\d{2}-\d{2}/);
      assert.match(await item.locator('[data-testid=review-progress]').innerText(), /0명 심사 완료/);
      // The rubric says what a 1, 3 and 5 mean.
      assert.match(await item.locator('.rubric-anchors').first().innerText(), /1 .*3 .*5 /);
      await item.locator(`[data-testid=declare-conflict-${id}] summary`).click();
      await item.locator('[data-testid=conflict-submit]').click();
      await item.locator(`#conflict-${id}-reason-error:not(:empty)`).waitFor({ timeout: 20_000 });
      await item.locator('[data-testid=conflict-reason]').fill('신청 책임자와 공동 연구 중');
      await item.locator('[data-testid=conflict-submit]').click();
      await v.locator(`[data-testid=review-item-${id}] [data-testid=review-declared]`).waitFor({ timeout: 20_000 });
      assert.deepEqual(vErrors, []);
    } finally {
      await vc.close();
    }
    // The committee sees the declared conflict on the place.
    const { context: cc, page: c } = await page();
    try {
      await signIn(c, 'demo.committee', '/committee');
      await go(c, '/admin/assignments');
      const row = c.locator(`[data-testid=assign-request-${id}]`);
      await c.locator('[data-testid=pager-assignments]').waitFor({ timeout: 30_000 });
      for (let i = 0; i < 40 && !(await row.count()); i += 1) await c.locator('[data-testid=pager-assignments] button').last().click();
      await eventually(async () => assert.equal(await row.locator('[data-testid="place-demo.reviewer"]').getAttribute('data-state'), 'declined'));
      assert.match(await row.innerText(), /공동 연구/);
    } finally {
      await cc.close();
    }
  });

  test('the administration pages have no serious accessibility violations and fit a phone screen', { timeout: 4 * TEST_TIMEOUT_MS }, async () => {
    const failures = [];
    for (const width of [1280, 375]) {
      for (const { path, ready, user } of [
        { path: '/admin', ready: '[data-testid=round-2026-2]', user: 'demo.admin' },
        { path: '/admin/people', ready: '[data-testid="person-demo.admin"]', user: 'demo.admin' },
        { path: '/admin/organisations', ready: '[data-testid=org-kaist]', user: 'demo.admin' },
        { path: '/admin/assignments', ready: '[data-testid=assign-requests]', user: 'demo.committee' },
        { path: '/admin/provisioning', ready: '[data-testid=prov-unconfigured]', user: 'demo.admin' },
        { path: '/invite?token=unknown', ready: '[data-testid=invite-form]', user: null },
      ]) {
        const { context, page: p } = await page({ width });
        try {
          if (user) await signIn(p, user, '/committee');
          await go(p, path);
          await p.locator(ready).waitFor({ timeout: 30_000 });
          for (const lang of ['ko', 'en']) {
            await useLanguage(p, lang);
            const name = path.replace(/\?.*$/, '').replace(/\//g, '-');
            await p.screenshot({ path: join(SHOTS_DIR, `admin${name}-${lang}-${width}.png`), fullPage: true });
            await checkPage(p, `${path} ${lang} ${width}`, width, failures);
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

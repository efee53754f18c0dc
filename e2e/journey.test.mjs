// One real allocation call from start to finish, in the browser, with the
// demo turned off (no demo accounts, no demo rounds) and the real pieces a
// deployment has: the first admin made with `kairr-server create-admin`, a
// real OpenID Connect provider (npm `oidc-provider`, e2e/oidc-provider.mjs)
// for the researcher, and a real SMTP server (aiosmtpd, scripts/smtp-sink.py,
// from the venv `./kairr test` installs in target/smtp-venv) for the mail.
//
//  1. The admin signs in, adds two organisations (one carrying the
//     provider's organisation value as an alias), creates a round with two
//     pools, sector targets and a review policy, opens it, and invites three
//     reviewers and a committee member, who set their passwords with the links.
//  2. A researcher starts from the placement wizard, signs in through the
//     institution, and submits the pre-filled request; the receipt is shown,
//     mailed in Korean, and the researcher asks for English from then on.
//  3. The call closes; reviewers are assigned automatically; one declares a
//     conflict, the freed place goes to the third, and the two others review.
//  4. A committee member adjusts the proposal (kept across a reload) but may
//     not decide inside the review window; once it has closed (the test moves
//     the round's dates into the past with the admin's Change form) the member
//     adopts the adjusted proposal; the admin moves the round to decided and
//     published.
//  5. The researcher is told by e-mail (in English, with the award) and in the
//     portal (unread count, /notifications, /requests/mine).
//  6. /allocations shows the round, without any demo label.
//  7. No page of the journey about the real round is labelled demo, as
//     README promises with the demo off.
//
// axe-core (serious and critical) and the 375 px layout check run on every
// page visited, at 1280 and 375 px; in Korean and English on the round page,
// the request form, the committee page and /allocations. Screenshots:
// target/e2e-shots/journey-*.png.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { ORGANISATIONS, startProvider } from './oidc-provider.mjs';
import { DEMO_PASSWORD, REPO_ROOT, freePort, startServer } from './server.mjs';
import { SHOTS_DIR, appReady, checkPage, eventually, launchBrowser, signIn as signInAs, sleep, startWatchdog, useLanguage } from './support.mjs';

const TEST_TIMEOUT_MS = 150_000;

startWatchdog(10);

/** KST calendar day `offset` days from today (the programme's dates are KST days). */
const kstDay = (offset = 0) => new Date(Date.now() + 9 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);
const number = (text) => Number(text.replace(/[^0-9.]/g, ''));
/** `1234` → `1,234`, as the portal and the e-mails write amounts. */
const thousands = (n) => n.toLocaleString('en-US');
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const ADMIN = { username: 'admin', password: 'portal keeper 2027 first' };
/** The researcher's login at the provider; its organisation claim is ORGANISATIONS.stranger. */
const RESEARCHER_LOGIN = 'stranger';
const RESEARCHER_EMAIL = `${RESEARCHER_LOGIN}@example.ac.kr`;
const STARTUP = {
  id: 'unheard-things',
  name_ko: '(주)미지사물연구소',
  name_en: 'Unheard Things Lab Inc.',
  alias: ORGANISATIONS[RESEARCHER_LOGIN],
  sector: 'startup',
  province: 'daejeon',
};
const INSTITUTE = {
  id: 'ai-policy-institute',
  name_ko: '국가AI정책연구원',
  name_en: 'National AI Policy Institute',
  sector: 'government_institute',
  province: 'sejong',
};
const ROUND = {
  id: '2027-1',
  title_ko: '2027년 1차 국가 AI 컴퓨팅 자원 공모',
  title_en: '2027 first call for national AI computing',
  dates: { opens: kstDay(-1), closes: kstDay(20), review_closes: kstDay(35), period_start: kstDay(45), period_end: kstDay(200) },
  pools: [
    { pool: 'kisti6-gh200', unit: 'node_hours', capacity: 20_000 },
    { pool: 'kakao-b200', unit: 'servers', capacity: 10 },
  ],
  targets: { university: 50, startup: 30 },
  policy: { min_score: 3, min_reviews: 2, reviewers_per_request: 2, org_cap: 4 },
};
/** Two reviewers whose expertise matches the request (chosen first), one whose does not. */
const PEOPLE = [
  { username: 'ahn.reviewer', display_name: '안심사', organisation: 'knu', role: 'reviewer', expertise: '기후, climate' },
  { username: 'bae.reviewer', display_name: '배심사', organisation: 'pnu', role: 'reviewer', expertise: '기후 모델링, 기후' },
  { username: 'cho.reviewer', display_name: '조심사', organisation: 'postech', role: 'reviewer', expertise: '단백질 구조' },
  { username: 'choi.committee', display_name: '최위원', organisation: INSTITUTE.id, role: 'committee' },
];
/** Each person's password (a password may not contain its username). */
const passwordOf = (username) => `${username.replace('.', ' ')} long password 2027`;
const REQUEST = {
  title_ko: '한반도 기후 에뮬레이터 결합 모델 학습',
  title_en: 'Korean Peninsula climate emulator',
  abstract: '기후 재분석 자료로 ML 에뮬레이터를 학습하고 기후 모델과 결합합니다.',
  pi: '김미지',
};

let server;
let provider;
let browser;
let sink;
/** What the steps pass on: invitation links, the request's id, amounts and period. */
const journey = { links: {}, demoLabelled: [] };
/** Signed-in browser contexts, one per account, kept across the steps. */
const contexts = new Map();

// ---------------------------------------------------------------- real mail server

/** Starts scripts/smtp-sink.py (aiosmtpd) on `port`; it stores each message it accepts in a temporary folder. */
async function startSink(port) {
  const python = process.env.KAIRR_SMTP_PYTHON ?? join(REPO_ROOT, 'target/smtp-venv/bin/python');
  if (!existsSync(python)) throw new Error(`${python} not found: './kairr test' installs aiosmtpd there (or set KAIRR_SMTP_PYTHON)`);
  const dir = mkdtempSync(join(tmpdir(), 'kairr-e2e-mail-'));
  const child = spawn(python, [join(REPO_ROOT, 'scripts/smtp-sink.py'), String(port), dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  await eventually(() => new Promise((ok, fail) => {
    const s = connect(port, '127.0.0.1', () => { s.end(); ok(); });
    s.on('error', fail);
  }), { timeoutMs: 20_000 });
  return {
    port,
    /** The summaries of the messages received so far (recipients, decoded subject, text body), in order. */
    received: () => readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8'))),
    stop: async () => {
      process.off('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await gone;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until the sink holds `n` messages (mail is sent from the outbox every second here). */
const mails = (n) => eventually(() => {
  const got = sink.received();
  assert.ok(got.length >= n, `${got.length} of ${n} e-mails received`);
  return got;
}, { timeoutMs: 30_000, intervalMs: 250 });

// ---------------------------------------------------------------- the first admin

/** `kairr-server create-admin` on the running server's database and settings, as an operator would. */
async function createAdmin() {
  const found = await eventually(() => {
    const m = server.log().match(/database_path: "([^"]+)"/);
    assert.ok(m, 'the server logs its settings at start-up, with database_path');
    return m[1];
  });
  const bin = resolve(REPO_ROOT, process.env.KAIRR_SERVER_BIN ?? 'target/debug/kairr-server');
  const child = spawn(bin, ['--config', join(dirname(found), 'kairr.toml'), 'create-admin', '--username', ADMIN.username, '--display-name', '포털 관리자'], {
    cwd: REPO_ROOT,
    env: { ...process.env, KAIRR_DATABASE_PATH: found, KAIRR_ADMIN_PASSWORD: ADMIN.password },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const code = await new Promise((r) => child.on('exit', r));
  assert.equal(code, 0, `create-admin failed:\n${out}`);
  assert.match(out, /admin account "admin" is ready/);
}

// ---------------------------------------------------------------- browser helpers

async function newContext(width = 1280) {
  const context = await browser.newContext({ viewport: { width, height: width === 375 ? 812 : 900 } });
  context.errors = [];
  context.on('page', (p) => p.on('pageerror', (err) => context.errors.push(String(err))));
  return context;
}

/** A page of the context signed in as `username` (signed in through the form the first time). */
async function as(username, password, home) {
  let context = contexts.get(username);
  if (!context) {
    context = await newContext();
    const page = await context.newPage();
    await signInAs(page, server.baseUrl, username, password, home);
    contexts.set(username, context);
    return page;
  }
  const [page] = context.pages();
  return page ?? context.newPage();
}

const go = async (page, path) => {
  await page.goto(`${server.baseUrl}${path}`, { waitUntil: 'load' });
  await appReady(page);
};

/** Signs in as `login` at the provider's development form (and consents), ending back at the portal. */
async function atProvider(page, login) {
  await page.waitForURL((u) => u.origin === provider.issuer, { timeout: 20_000 });
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill('any password');
  await page.locator('button[type=submit]').click();
  await page.waitForURL((u) => u.origin === server.baseUrl || /interaction/.test(u.pathname), { timeout: 20_000 });
  if (new URL(page.url()).origin === provider.issuer) await page.locator('button[type=submit]').first().click();
  await page.waitForURL((u) => u.origin === server.baseUrl, { timeout: 20_000 });
}

const sessionOf = (page) => page.evaluate(async () => (await fetch('/api/v1/auth/session')).json());

/**
 * axe-core and the 375 px layout check at 1280 and 375 px in each of `langs`,
 * with a screenshot each; back to Korean at 1280 px afterwards. Returns the problems.
 */
async function audit(page, name, langs = ['ko', 'en']) {
  const failures = [];
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
    for (const lang of langs) {
      await useLanguage(page, lang);
      await checkPage(page, `${name} ${lang} ${width}`, width, failures);
      await page.screenshot({ path: join(SHOTS_DIR, `journey-${name.replace(/[^a-z0-9]+/gi, '-')}-${lang}-${width}.png`), fullPage: true });
    }
  }
  await useLanguage(page, 'ko');
  await page.setViewportSize({ width: 1280, height: 900 });
  return failures;
}

/**
 * Notes `name` when the page carries the demo label (header badge or the footer's demo source line):
 * with the demo off, README says nothing is labelled demo (checked by the last test).
 */
async function noteDemoLabel(page, name) {
  const badge = (await page.locator('[data-testid=demo-badge]').count()) > 0;
  const footer = (await page.locator('footer').innerText()).split('\n').find((l) => /데모|\bdemo\b/i.test(l));
  if (badge || footer) journey.demoLabelled.push(`${name}: ${[badge && 'header badge', footer && `footer “${footer}”`].filter(Boolean).join(', ')}`);
}

function noProblems(failures) {
  if (failures.length) console.log(`e2e: accessibility / layout problems:\n  ${failures.join('\n  ')}`);
  assert.deepEqual(failures, [], 'serious or critical axe violations, or horizontal scroll at 375 px');
}

/** Moves the round on /admin one stage on, checking the confirmation names both stages. */
async function advance(page, from, to) {
  const round = page.locator(`[data-testid=round-${ROUND.id}]`);
  await round.waitFor({ timeout: 30_000 });
  assert.equal(await round.locator('[data-testid=round-stage]').innerText(), from);
  await round.locator('[data-testid=round-advance]').click();
  assert.match(await round.locator('[data-testid=round-confirm]').innerText(), new RegExp(`‘${from}’에서 ‘${to}’`));
  await round.locator('[data-testid=round-confirm-yes]').click();
  await eventually(async () => assert.equal(await round.locator('[data-testid=round-stage]').innerText(), to));
  await round.locator('[data-testid=round-confirm]').waitFor({ state: 'detached', timeout: 10_000 });
}

/** The proposal's line of the journey's request on /committee: its cells as numbers and text. */
async function proposalLine(page) {
  const line = page.locator('[data-testid=proposal-lines] tbody tr', { hasText: `#${journey.id}` });
  await line.waitFor({ timeout: 30_000 });
  const cells = await line.locator('td').allInnerTexts();
  return { line, score: cells[2], asked: number(cells[3]), proposed: number(cells[4]), note: cells[5] };
}

/** Pool `id`'s name for people as the portal writes it in `lang`: its system's name and its own. */
async function poolName(id, lang = 'ko') {
  const catalogue = await (await fetch(`${server.baseUrl}/api/v1/catalogue`)).json();
  const system = catalogue.systems.find((s) => s.pools.some((x) => x.id === id));
  const pool = system.pools.find((x) => x.id === id);
  return lang === 'ko' ? `${system.name_ko} · ${pool.name_ko}` : `${system.name_en} · ${pool.name_en}`;
}

// ---------------------------------------------------------------- the journey

describe('a real allocation call, from the first admin to the public page', () => {
  before(async () => {
    const [portalPort, providerPort, smtpPort] = [await freePort(), await freePort(), await freePort()];
    const portalUrl = `http://127.0.0.1:${portalPort}`;
    sink = await startSink(smtpPort);
    provider = await startProvider({ port: providerPort, portalUrl });
    // The status page's simulated history is not part of this journey: a week is enough.
    process.env.KAIRR_E2E_PRESIMULATE_DAYS ??= '7';
    server = await startServer({
      port: portalPort,
      settingsToml: `
public_url = "${portalUrl}"

[demo]
accounts = false
programme = false

[[oidc]]
id = "uni"
name_ko = "한국연구인증"
name_en = "Korea Research Login"
issuer = "${provider.issuer}"
client_id = "kairr"
client_secret = "kairr-secret"
organisation_claim = "organisation"

[mail]
smtp_host = "127.0.0.1"
smtp_port = ${smtpPort}
security = "none"
from = "KAIRR <noreply@kairr.test>"
poll_seconds = 1
`,
    });
    browser = await launchBrowser();
    journey.portalUrl = portalUrl;
  }, { timeout: 180_000 });

  after(async () => {
    for (const c of contexts.values()) await c.close().catch(() => {});
    await browser?.close();
    await server?.stop();
    await provider?.stop();
    await sink?.stop();
  });

  test('the first admin (create-admin) adds organisations, creates and opens a round with two pools, and invites reviewers and a committee member', { timeout: TEST_TIMEOUT_MS }, async () => {
    // Nothing of the demo: no demo accounts, no rounds.
    const rounds = await (await fetch(`${server.baseUrl}/api/v1/rounds`)).json();
    assert.deepEqual(rounds, [], 'no demo rounds');
    await createAdmin();
    const failures = [];
    const context = await newContext();
    contexts.set(ADMIN.username, context);
    const p = await context.newPage();
    // No demo accounts: demo.admin with the password the tests give the demo is refused.
    await go(p, '/login');
    await p.locator('[data-testid=login-username]').fill('demo.admin');
    await p.locator('[data-testid=login-password]').fill(DEMO_PASSWORD);
    await p.locator('[data-testid=login-submit]').click();
    await p.locator('[data-testid=password-error]:not(:empty)').waitFor({ timeout: 20_000 });
    await signInAs(p, server.baseUrl, ADMIN.username, ADMIN.password, '/committee');
    assert.match(await p.locator('[data-testid=account]').innerText(), /포털 관리자/);

    // Organisations: the researcher's start-up, known by the value the provider sends, and an institute.
    await p.locator('[data-testid=nav-admin]').click();
    await p.waitForURL((u) => u.pathname === '/admin', { timeout: 20_000 });
    await p.locator('[data-testid=admin-nav-organisations]').click();
    await p.waitForURL((u) => u.pathname === '/admin/organisations', { timeout: 20_000 });
    await p.locator('[data-testid=org-kaist]').waitFor({ timeout: 30_000 });
    assert.equal(await p.locator('[data-testid=org-hanbit-ai]').count(), 0, 'no demo companies without the demo');
    for (const org of [STARTUP, INSTITUTE]) {
      await p.locator('[data-testid=org-field-id]').fill(org.id);
      await p.locator('[data-testid=org-field-name_ko]').fill(org.name_ko);
      await p.locator('[data-testid=org-field-name_en]').fill(org.name_en);
      await p.locator('[data-testid=org-field-aliases]').fill(org.alias ?? '');
      await p.locator('[data-testid=org-field-sector]').selectOption(org.sector);
      await p.locator('[data-testid=org-field-province]').selectOption(org.province);
      await p.locator('[data-testid=org-submit]').click();
      await eventually(async () => assert.match(await p.locator('[data-testid=org-saved]').innerText(), new RegExp(escape(org.name_ko))));
      await p.locator(`[data-testid=org-${org.id}]`).waitFor({ timeout: 20_000 });
    }
    assert.match(await p.locator(`[data-testid=org-${STARTUP.id}]`).innerText(), /\(주\)미지사물연구소[\s\S]*스타트업[\s\S]*대전/);
    await p.locator('[data-testid=org-filter]').fill('unheard-of institute');
    await eventually(async () => assert.equal(await p.locator('[data-testid=orgs-table] tbody tr').count(), 1));
    await p.locator(`[data-testid=org-${STARTUP.id}]`).waitFor();
    await p.locator('[data-testid=org-filter]').fill('');
    failures.push(...(await audit(p, 'admin-organisations', ['ko'])));

    // The round: two pools, sector targets and the review policy; a draft first.
    await p.locator('[data-testid=admin-nav-rounds]').click();
    await p.waitForURL((u) => u.pathname === '/admin', { timeout: 20_000 });
    await p.locator('[data-testid=round-form]').waitFor({ timeout: 30_000 });
    await p.locator('[data-testid=round-id]').fill(ROUND.id);
    await p.locator('[data-testid=round-title_ko]').fill(ROUND.title_ko);
    await p.locator('[data-testid=round-title_en]').fill(ROUND.title_en);
    for (const [field, day] of Object.entries(ROUND.dates)) await p.locator(`[data-testid=round-${field}]`).fill(day);
    for (const [i, pool] of ROUND.pools.entries()) {
      await p.locator('[data-testid=round-add-pool]').click();
      await p.locator(`[data-testid=round-pool-${i}]`).fill(pool.pool);
      await p.locator(`[data-testid=round-unit-${i}]`).selectOption(pool.unit);
      await p.locator(`[data-testid=round-capacity-${i}]`).fill(String(pool.capacity));
    }
    for (const [sector, percent] of Object.entries(ROUND.targets)) await p.locator(`[data-testid=round-target-${sector}]`).fill(String(percent));
    for (const [field, value] of Object.entries(ROUND.policy)) await p.locator(`[data-testid=round-${field}]`).fill(String(value));
    await p.locator('[data-testid=round-submit]').click();
    await p.locator('[data-testid=round-created]').waitFor({ timeout: 20_000 });
    const item = p.locator(`[data-testid=round-${ROUND.id}]`);
    await item.waitFor({ timeout: 20_000 });
    assert.equal(await item.locator('[data-testid=round-stage]').innerText(), '준비 중');
    assert.equal(await item.locator('.badge-demo').count(), 0, 'a real round carries no demo label');
    const stored = (await p.evaluate(async () => (await fetch('/api/v1/admin/rounds')).json())).find((r) => r.round.id === ROUND.id).round;
    assert.deepEqual(stored.pools.map((x) => [x.pool, x.unit, x.capacity]), ROUND.pools.map((x) => [x.pool, x.unit, x.capacity]));
    assert.deepEqual(stored.sector_targets, { university: 0.5, startup: 0.3 });
    assert.deepEqual(
      [stored.policy.min_score, stored.policy.min_reviews, stored.policy.reviewers_per_request, stored.policy.org_cap],
      [3, 2, 2, { servers: 4 }],
    );
    assert.deepEqual([stored.opens, stored.closes, stored.review_closes], [ROUND.dates.opens, ROUND.dates.closes, ROUND.dates.review_closes]);
    // A draft is no one else's business yet.
    assert.equal((await fetch(`${server.baseUrl}/api/v1/rounds/open`)).status, 404);
    await advance(p, '준비 중', '접수 중');
    const open = await (await fetch(`${server.baseUrl}/api/v1/rounds/open`)).json();
    assert.equal(open.round.id, ROUND.id);
    assert.equal(open.source, undefined, 'a real round is not demo data');
    failures.push(...(await audit(p, 'admin-rounds')));

    // People: three reviewers (with their expertise) and a committee member, each with a one-time link.
    await p.locator('[data-testid=admin-nav-people]').click();
    await p.waitForURL((u) => u.pathname === '/admin/people', { timeout: 20_000 });
    await p.locator('[data-testid="person-admin"]').waitFor({ timeout: 30_000 });
    for (const person of PEOPLE) {
      const previous = (await p.locator('[data-testid=invitation-link]').count()) ? await p.locator('[data-testid=invitation-link]').innerText() : '';
      await p.locator('[data-testid=new-person-username]').fill(person.username);
      await p.locator('[data-testid=new-person-display_name]').fill(person.display_name);
      await p.locator(`[data-testid=new-person-organisation] option[value="${person.organisation}"]`).waitFor({ state: 'attached', timeout: 20_000 });
      await p.locator('[data-testid=new-person-organisation]').selectOption(person.organisation);
      await p.locator('[data-testid=new-person-role]').selectOption(person.role);
      await p.locator('[data-testid=new-person-expertise]').fill(person.expertise ?? '');
      await p.locator('[data-testid=new-person-expertise]').press('Tab');
      await p.locator('[data-testid=new-person-submit]').click();
      const link = await eventually(async () => {
        const text = await p.locator('[data-testid=invitation-link]').innerText();
        assert.notEqual(text, previous, `a new link for ${person.username}`);
        return text;
      });
      assert.match(link, new RegExp(`^${escape(journey.portalUrl)}/invite\\?token=`));
      journey.links[person.username] = link;
      const row = p.locator(`[data-testid="person-${person.username}"]`);
      await row.waitFor({ timeout: 20_000 });
      assert.equal(await row.locator('[data-testid=person-state]').innerText(), '초대됨 (비밀번호 미설정)');
      assert.equal(await row.locator('[data-testid=person-organisation]').inputValue(), person.organisation);
    }
    const people = await p.evaluate(async () => (await fetch('/api/v1/admin/people')).json());
    for (const person of PEOPLE) {
      const account = people.find((x) => x.username === person.username);
      assert.deepEqual([account.role, account.organisation_id], [person.role, person.organisation], person.username);
      if (person.expertise) assert.deepEqual(account.expertise, person.expertise.split(',').map((s) => s.trim()), `${person.username}'s expertise`);
    }
    failures.push(...(await audit(p, 'admin-people', ['ko'])));

    // Each sets a password with their link (a fresh browser, not signed in).
    for (const [n, person] of PEOPLE.entries()) {
      const context = await newContext();
      try {
        const q = await context.newPage();
        await q.goto(journey.links[person.username], { waitUntil: 'load' });
        await q.locator('[data-testid=invite-form]').waitFor({ timeout: 30_000 });
        if (n === 0) failures.push(...(await audit(q, 'invite', ['ko'])));
        await q.locator('[data-testid=invite-password]').fill(passwordOf(person.username));
        await q.locator('[data-testid=invite-again]').fill(passwordOf(person.username));
        await q.locator('[data-testid=invite-submit]').click();
        await q.locator('[data-testid=invite-done]').waitFor({ timeout: 20_000 });
        assert.deepEqual(context.errors, []);
      } finally {
        await context.close();
      }
    }
    await go(p, '/admin/people');
    for (const person of PEOPLE) {
      const row = p.locator(`[data-testid="person-${person.username}"]`);
      await row.waitFor({ timeout: 20_000 });
      assert.notEqual(await row.locator('[data-testid=person-state]').innerText(), '초대됨 (비밀번호 미설정)', person.username);
    }
    assert.deepEqual(contexts.get(ADMIN.username).errors, []);
    noProblems(failures);
  });

  test('a researcher goes from the placement wizard through institutional sign-in to the pre-filled request form, submits, and gets the receipt (portal and Korean e-mail)', { timeout: TEST_TIMEOUT_MS }, async () => {
    assert.ok(journey.links['choi.committee'], 'the round and people exist');
    const failures = [];
    const context = await newContext();
    contexts.set(RESEARCHER_LOGIN, context);
    const p = await context.newPage();
    await go(p, '/advisor');
    await p.locator('[data-testid=top-pick]').waitFor({ timeout: 30_000 });
    await p.locator('[data-testid=preset][data-preset="climate_emulator"]').click();
    await eventually(async () => assert.equal(await p.locator('[data-testid=top-pick]').getAttribute('data-pool-id'), 'kisti6-gh200'));
    failures.push(...(await audit(p, 'advisor', ['ko'])));
    await p.locator('a[data-testid=request]').click();
    await p.waitForURL((u) => u.pathname === '/requests/new', { timeout: 20_000 });
    await p.locator('[data-testid=sign-in-link]').click();
    await p.waitForURL((u) => u.pathname === '/login', { timeout: 20_000 });
    assert.equal(new URL(p.url()).searchParams.get('return_to'), '/requests/new');
    await p.locator('[data-testid=provider-uni]').waitFor({ timeout: 20_000 });
    failures.push(...(await audit(p, 'login', ['ko'])));
    await p.locator('[data-testid=provider-uni]').click();
    await atProvider(p, RESEARCHER_LOGIN);

    // Back on the form, signed in: the provider's organisation value found the admin's new entry.
    await p.waitForURL((u) => u.pathname === '/requests/new', { timeout: 20_000 });
    await p.locator('[data-testid=draft-loaded]').waitFor({ timeout: 20_000 });
    const session = await sessionOf(p);
    assert.deepEqual([session.user.username, session.user.role, session.user.organisation_id], [RESEARCHER_LOGIN, 'researcher', STARTUP.id]);
    assert.equal(await p.locator('[data-testid=organisation-pending]').count(), 0);
    assert.match(await p.locator('[data-testid=open-round]').innerText(), new RegExp(escape(ROUND.title_ko)));
    const offered = await p.locator('[data-testid=req-pool] option:not([value=""])').evaluateAll((os) => os.map((o) => o.value));
    assert.deepEqual(offered, ROUND.pools.map((x) => x.pool), 'exactly the round\'s two pools');
    assert.equal(await p.locator('[data-testid=req-pool]').inputValue(), 'kisti6-gh200', 'the wizard\'s pick');
    assert.match(await p.locator('[data-testid=req-pool] option[value="kisti6-gh200"]').innerText(), /20,000 노드-시간/);
    assert.match(await p.locator('[data-testid=req-pool] option[value="kisti6-gh200"]').innerText(), new RegExp(`^${escape(await poolName('kisti6-gh200'))}: `), 'the pool by its name');
    assert.equal(await p.locator('#req-organisation').inputValue(), STARTUP.name_ko);
    await p.locator('[data-testid=req-sector-from-directory]').waitFor();
    const asked = Number(await p.locator('[data-testid=req-amount]').inputValue());
    assert.ok(Number.isInteger(asked) && asked >= 2 && asked <= 20_000, `the wizard's node-hours: ${asked}`);
    const [start, end] = [await p.locator('#req-start').inputValue(), await p.locator('#req-end').inputValue()];
    assert.equal(start, ROUND.dates.period_start, 'the period starts with the round\'s');
    assert.ok(end >= start && end <= ROUND.dates.period_end, `period ${start} ~ ${end}`);
    await p.locator('#req-title_ko').fill(REQUEST.title_ko);
    await p.locator('#req-title_en').fill(REQUEST.title_en);
    await p.locator('#req-abstract').fill(REQUEST.abstract);
    await p.locator('#req-pi').fill(REQUEST.pi);
    failures.push(...(await audit(p, 'request-form')));
    await noteDemoLabel(p, `/requests/new (the real round ${ROUND.id} open)`);
    // The form kept what was typed through the checks and language changes.
    assert.equal(await p.locator('#req-title_ko').inputValue(), REQUEST.title_ko);
    await p.locator('[data-testid=request-submit]').click();
    await p.waitForURL((u) => u.pathname === '/requests/mine', { timeout: 20_000 });
    const id = Number(new URL(p.url()).searchParams.get('submitted'));
    assert.ok(Number.isInteger(id) && id > 0, `receipt number ${id}`);
    Object.assign(journey, { id, asked, start, end });
    assert.match(await p.locator('[data-testid=receipt]').innerText(), new RegExp(`접수 번호는 #${id}입니다`));
    const item = p.locator(`[data-testid=my-requests] li#request-${id}`);
    await item.waitFor({ timeout: 20_000 });
    assert.match(await item.innerText(), new RegExp(escape(REQUEST.title_ko)));
    await p.locator('[data-testid=unread-count]').waitFor({ timeout: 20_000 });
    assert.equal(await p.locator('[data-testid=unread-count]').innerText(), '1');
    failures.push(...(await audit(p, 'requests-mine', ['ko'])));
    await noteDemoLabel(p, '/requests/mine');

    // The receipt by e-mail, in Korean (the default), to the address the institution gave.
    const [receipt] = await mails(1);
    assert.deepEqual(receipt.rcpt_tos, [RESEARCHER_EMAIL]);
    assert.equal(receipt.subject, `[KAIRR] 신청 #${id} 접수 완료`);
    assert.match(receipt.body, new RegExp(`“${escape(REQUEST.title_ko)}”`));
    assert.match(receipt.body, new RegExp(`${escape(journey.portalUrl)}/requests/\\S*\\b${id}\\b`), 'a link to the request in the portal');

    // From now on the researcher wants e-mail in English; the notice is read.
    await p.locator('[data-testid=nav-notifications]').click();
    await p.waitForURL((u) => u.pathname === '/notifications', { timeout: 20_000 });
    const notice = p.locator('[data-testid=notice][data-kind=submission_received]');
    await notice.waitFor({ timeout: 20_000 });
    assert.match(await notice.innerText(), new RegExp(`신청 #${id} 접수 완료`));
    assert.equal(await p.locator('[data-testid=pref-email]').inputValue(), RESEARCHER_EMAIL);
    await p.locator('[data-testid=pref-locale]').selectOption('en');
    await p.locator('[data-testid=pref-save]').click();
    await eventually(async () => assert.notEqual(await p.locator('[data-testid=pref-saved]').innerText(), ''));
    await p.locator('[data-testid=mark-all-read]').click();
    await p.locator('[data-testid=unread-count]').waitFor({ state: 'detached', timeout: 20_000 });
    failures.push(...(await audit(p, 'notifications', ['ko'])));
    const prefs = await p.evaluate(async () => (await fetch('/api/v1/me/notifications')).json());
    assert.deepEqual([prefs.email, prefs.locale, prefs.unread], [RESEARCHER_EMAIL, 'en', 0]);
    assert.deepEqual(context.errors, []);
    noProblems(failures);
  });

  test('the call closes; reviewers are assigned automatically, one declares a conflict and is replaced, and the two others review', { timeout: TEST_TIMEOUT_MS }, async () => {
    assert.ok(journey.id, 'the request was submitted');
    const { id } = journey;
    const failures = [];
    const a = await as(ADMIN.username, ADMIN.password, '/committee');
    await go(a, '/admin');
    assert.match(await a.locator(`[data-testid=round-${ROUND.id}] [data-testid=round-progress]`).innerText(), /신청 1건, 결정 대기 1건/);
    await advance(a, '접수 중', '심사 중');
    assert.equal((await fetch(`${server.baseUrl}/api/v1/rounds/open`)).status, 404, 'submissions are closed');

    // Automatic assignment: the two whose expertise matches the request.
    await go(a, `/admin/assignments?round=${ROUND.id}`);
    const row = a.locator(`[data-testid=assign-request-${id}]`);
    await row.waitFor({ timeout: 30_000 });
    assert.match(await row.locator('[data-testid=assign-progress]').innerText(), /2명 중 0명 심사/);
    await a.locator('[data-testid=auto-assign]').click();
    await eventually(async () => assert.match(await a.locator('[data-testid=auto-outcome]').innerText(), /^2자리를 배정했습니다\.$/));
    await row.locator('[data-testid="place-ahn.reviewer"]').waitFor({ timeout: 20_000 });
    await row.locator('[data-testid="place-bae.reviewer"]').waitFor({ timeout: 20_000 });
    assert.equal(await row.locator('[data-testid="place-cho.reviewer"]').count(), 0);
    assert.equal(await row.locator('[data-testid="place-ahn.reviewer"]').getAttribute('data-state'), 'pending');

    // The first declares a conflict of interest.
    const ahn = await as('ahn.reviewer', passwordOf('ahn.reviewer'), '/reviews');
    const mine = ahn.locator(`[data-testid=review-item-${id}]`);
    await mine.waitFor({ timeout: 30_000 });
    assert.match(await ahn.locator('[data-testid=reviews-due]').innerText(), new RegExp(`심사 마감 ${ROUND.dates.review_closes}`));
    assert.match(await mine.innerText(), new RegExp(escape(REQUEST.title_ko)));
    assert.match(await mine.locator('[data-testid=review-progress]').innerText(), /심사위원 2명 중 0명 심사 완료/);
    await mine.locator(`[data-testid=declare-conflict-${id}] summary`).click();
    await mine.locator('[data-testid=conflict-reason]').fill('신청 책임자와 공동 연구 중');
    await mine.locator('[data-testid=conflict-submit]').click();
    await ahn.locator(`[data-testid=review-item-${id}] [data-testid=review-declared]`).waitFor({ timeout: 20_000 });
    failures.push(...(await audit(ahn, 'reviews-declared', ['ko'])));

    // The freed place goes to the third reviewer (never back to the one who declared).
    await go(a, `/admin/assignments?round=${ROUND.id}`);
    await row.waitFor({ timeout: 30_000 });
    assert.equal(await row.locator('[data-testid="place-ahn.reviewer"]').getAttribute('data-state'), 'declined');
    assert.match(await row.innerText(), /공동 연구/);
    await a.locator('[data-testid=auto-assign]').click();
    await eventually(async () => assert.match(await a.locator('[data-testid=auto-outcome]').innerText(), /^1자리를 배정했습니다\.$/));
    await row.locator('[data-testid="place-cho.reviewer"]').waitFor({ timeout: 20_000 });
    assert.equal(await row.locator('[data-testid="place-cho.reviewer"]').getAttribute('data-state'), 'pending');

    // The two others score the rubric.
    const scores = { 'bae.reviewer': [4, 4, 4, 4], 'cho.reviewer': [5, 5, 4, 4] };
    for (const [reviewer, [technical_merit, impact, ecosystem, team_readiness]] of Object.entries(scores)) {
      const r = await as(reviewer, passwordOf(reviewer), '/reviews');
      const it = r.locator(`[data-testid=review-item-${id}]`);
      await it.waitFor({ timeout: 30_000 });
      for (const [field, v] of Object.entries({ technical_merit, impact, ecosystem, team_readiness })) {
        await it.locator(`[data-testid=review-${field}]`).selectOption(String(v));
      }
      await it.locator('[data-testid=review-comment]').fill('공공 기후 자료 활용 계획이 구체적입니다.');
      await it.locator('[data-testid=review-submit]').click();
      await it.locator('[data-testid=review-done]').waitFor({ timeout: 20_000 });
      const mean = (technical_merit + impact + ecosystem + team_readiness) / 4;
      assert.match(await it.locator('[data-testid=review-done]').innerText(), new RegExp(`평균 ${mean.toFixed(2)}`));
      if (reviewer === 'cho.reviewer') {
        failures.push(...(await audit(r, 'reviews', ['ko'])));
        await noteDemoLabel(r, `/reviews (the real round ${ROUND.id} under review)`);
      }
      assert.deepEqual(contexts.get(reviewer).errors, []);
    }
    await go(a, `/admin/assignments?round=${ROUND.id}`);
    await row.waitFor({ timeout: 30_000 });
    assert.match(await row.locator('[data-testid=assign-progress]').innerText(), /2명 중 2명 심사/);
    failures.push(...(await audit(a, 'admin-assignments', ['ko'])));
    assert.deepEqual(contexts.get('ahn.reviewer').errors, []);
    noProblems(failures);
  });

  test('the committee adjusts the proposal (kept across a reload), may not decide inside the review window, adopts it once the window has closed; the round is decided and published', { timeout: TEST_TIMEOUT_MS }, async () => {
    assert.ok(journey.id, 'the request was submitted');
    const { id, asked } = journey;
    const failures = [];
    const c = await as('choi.committee', passwordOf('choi.committee'), '/committee');
    await go(c, `/committee?round=${ROUND.id}`);
    await c.locator('[data-testid=committee-overview]').waitFor({ timeout: 30_000 });
    assert.equal(await c.locator('[data-testid=committee-round]').inputValue(), ROUND.id);
    const before = await proposalLine(c);
    assert.deepEqual([before.asked, before.proposed, before.score], [asked, asked, '4.25'], 'the whole ask is proposed; mean of 4.00 and 4.50');
    // The committee gives a little over half.
    const award = Math.ceil(asked * 0.6);
    assert.ok(award < asked);
    journey.award = award;
    await before.line.locator('[data-testid=proposal-change]').click();
    await c.locator('[data-testid=line-editor]').waitFor({ timeout: 10_000 });
    // More than asked is named at the field, in Korean, and nothing is asked of the server.
    const adjustPosts = [];
    const onAdjust = (r) => { if (r.method() !== 'GET' && r.url().includes('/proposal')) adjustPosts.push(r.url()); };
    c.on('request', onAdjust);
    await c.locator('[data-testid=adjust-amount]').fill(String(asked + 1));
    await c.locator('[data-testid=adjust-apply]').click();
    assert.equal(await c.locator('[data-testid=adjust-amount-error]').innerText(), `0 이상 ${asked.toLocaleString('en-US')} 이하의 정수를 입력하세요.`);
    assert.equal(await c.locator('[data-testid=adjust-amount]').getAttribute('aria-invalid'), 'true');
    assert.deepEqual(adjustPosts, [], 'nothing was sent');
    c.off('request', onAdjust);
    await c.locator('[data-testid=adjust-amount]').fill(String(award));
    await c.locator('[data-testid=adjust-apply]').click();
    await eventually(async () => assert.equal((await proposalLine(c)).proposed, award));
    await c.locator('[data-testid=adjust-changes]').waitFor({ timeout: 10_000 });
    await eventually(async () => {
      const draft = await c.evaluate(async (r) => (await fetch(`/api/v1/committee/proposal/draft?round=${r}`)).json(), ROUND.id);
      assert.deepEqual(draft.adjustments, [{ request: id, amount: award }]);
      assert.equal(draft.saved_by, 'choi.committee');
    });
    // A reload keeps it: the saved draft is applied again.
    await c.reload({ waitUntil: 'load' });
    await c.locator('[data-testid=committee-overview]').waitFor({ timeout: 30_000 });
    await eventually(async () => assert.equal((await proposalLine(c)).proposed, award), { timeoutMs: 30_000 });
    await c.locator('[data-testid=adjust-changes]').waitFor({ timeout: 10_000 });
    const kisti = c.locator('[data-testid=proposal-pools] tbody tr', { hasText: await poolName('kisti6-gh200') });
    assert.equal(number((await kisti.locator('td').allInnerTexts())[2]), award, 'the pool\'s proposed total follows');
    assert.equal(await c.locator('[data-testid=demo-badge]').count(), 0, 'the committee page of a real round is not labelled demo');
    failures.push(...(await audit(c, 'committee')));

    // Inside the review window a committee member cannot decide; no override field is offered to them.
    assert.equal(await c.locator('[data-testid=adopt-override]').count(), 0);
    await c.locator('[data-testid=adopt-rationale]').fill('위원회 조정안');
    await c.locator('[data-testid=adopt-start]').click();
    await c.locator('[data-testid=adopt-confirm]').click();
    const refusal = c.locator('[data-testid=adopt] [data-testid=fetch-error]');
    await refusal.waitFor({ timeout: 20_000 });
    assert.match(await refusal.innerText(), /심사 기간이 아직 끝나지 않았습니다/);
    assert.equal(await c.locator('[data-testid=adopt-result]').count(), 0);
    assert.equal((await proposalLine(c)).note, '', 'still undecided');

    // Weeks pass: the call closed, the review window ended. The test moves the round's windows into the
    // past with the admin's Change form (a round under review may still change; its dates are the clock).
    const a = await as(ADMIN.username, ADMIN.password, '/admin');
    await go(a, '/admin');
    await a.locator(`[data-testid=round-${ROUND.id}] [data-testid=round-edit]`).click();
    assert.equal(await a.locator('[data-testid=round-id]').inputValue(), ROUND.id);
    await a.locator('[data-testid=round-opens]').fill(kstDay(-40));
    await a.locator('[data-testid=round-closes]').fill(kstDay(-20));
    await a.locator('[data-testid=round-review_closes]').fill(kstDay(-1));
    await a.locator('[data-testid=round-submit]').click();
    await eventually(async () => {
      const rounds = await a.evaluate(async () => (await fetch('/api/v1/admin/rounds')).json());
      const r = rounds.find((x) => x.round.id === '2027-1').round;
      assert.equal(r.review_closes, kstDay(-1));
      assert.equal(r.stage, 'under_review');
    });

    // Now the committee member adopts the adjusted proposal: no override needed, none offered.
    await go(c, `/committee?round=${ROUND.id}`);
    await c.locator('[data-testid=committee-overview]').waitFor({ timeout: 30_000 });
    await eventually(async () => assert.equal((await proposalLine(c)).proposed, award), { timeoutMs: 30_000 });
    assert.equal(await c.locator('[data-testid=adopt-override]').count(), 0);
    await c.locator('[data-testid=adopt-rationale]').fill('심사 결과와 위원회 조정안에 따라 배분');
    await c.locator('[data-testid=adopt-start]').click();
    await c.locator('[data-testid=adopt-confirm]').click();
    await c.locator('[data-testid=adopt-result]').waitFor({ timeout: 20_000 });
    assert.match(await c.locator('[data-testid=adopt-result]').innerText(), /승인 1건, 기각 0건, 건너뜀 0건/);
    // The request's page: a partial award of the adjusted amount over the asked period.
    await go(a, `/committee/requests/${id}`);
    await a.locator('[data-testid=request-allocation]').waitFor({ timeout: 20_000 });
    assert.match(await a.locator('[data-testid=request-allocation]').innerText(),
      new RegExp(`${escape(thousands(award))} 노드-시간[\\s\\S]*${journey.start} ~ ${journey.end}`));
    assert.match(await a.locator('[data-testid=request-decision]').innerText(), /부분/);
    assert.equal(await a.locator('[data-testid=decision-form]').count(), 0, 'decided: no form');
    await noteDemoLabel(a, `/committee/requests/${id}`);
    failures.push(...(await audit(a, 'committee-request', ['ko'])));
    // The member's open page follows the decision (line decided, nothing left to adopt).
    await go(c, `/committee?round=${ROUND.id}`);
    await eventually(async () => assert.equal((await proposalLine(c)).note, '결정됨'), { timeoutMs: 30_000 });
    assert.equal((await proposalLine(c)).proposed, award);
    assert.ok(await c.locator('[data-testid=adopt-start]').isDisabled(), 'nothing left to adopt');

    // Decided, then published.
    await go(a, '/admin');
    assert.match(await a.locator(`[data-testid=round-${ROUND.id}] [data-testid=round-progress]`).innerText(), /신청 1건, 결정 대기 0건/);
    await advance(a, '심사 중', '결정 완료');
    await advance(a, '결정 완료', '공개');
    assert.equal(await a.locator(`[data-testid=round-${ROUND.id}] [data-testid=round-advance]`).count(), 0, 'published is final');
    assert.deepEqual(contexts.get('choi.committee').errors, []);
    assert.deepEqual(contexts.get(ADMIN.username).errors, []);
    noProblems(failures);
  });

  test('the researcher is told the decision by e-mail, in English, with the award, and in the portal', { timeout: TEST_TIMEOUT_MS }, async () => {
    assert.ok(journey.award, 'the round was decided');
    const { id, award, start, end } = journey;
    const poolEn = await poolName('kisti6-gh200', 'en');
    assert.ok(poolEn, 'the pool\'s English name');
    const all = await mails(2);
    const decision = all[1];
    assert.deepEqual(decision.rcpt_tos, [RESEARCHER_EMAIL]);
    assert.equal(decision.subject, `[KAIRR] Decision on request #${id}`);
    assert.ok(
      decision.body.includes(`Your request “${REQUEST.title_en}” was partly approved: ${thousands(award)} node-hours on ${poolEn} (${start} ~ ${end}).`),
      decision.body,
    );
    assert.match(decision.body, new RegExp(`${escape(journey.portalUrl)}/requests/\\S*\\b${id}\\b`), 'a link to the request in the portal');
    assert.doesNotMatch(decision.body, /[가-힣]/, 'all in English');
    await sleep(2_000);
    assert.equal(sink.received().length, 2, 'one receipt and one decision, each sent once');

    // In the portal: a fresh sign-in through the institution; the unread count, the notice, the award.
    const context = await newContext();
    try {
      const p = await context.newPage();
      await go(p, '/login');
      await p.locator('[data-testid=provider-uni]').click();
      await atProvider(p, RESEARCHER_LOGIN);
      await p.waitForURL((u) => u.pathname === '/requests/mine', { timeout: 20_000 });
      await p.locator('[data-testid=unread-count]').waitFor({ timeout: 20_000 });
      assert.equal(await p.locator('[data-testid=unread-count]').innerText(), '1');
      const item = p.locator(`[data-testid=my-requests] li#request-${id}`);
      await item.waitFor({ timeout: 20_000 });
      assert.match(await item.innerText(), new RegExp(`배분: ${escape(thousands(award))} 노드-시간, ${start} ~ ${end}`));
      await p.locator('[data-testid=nav-notifications]').click();
      await p.waitForURL((u) => u.pathname === '/notifications', { timeout: 20_000 });
      const notice = p.locator('[data-testid=notice][data-kind=decision_made]');
      await notice.waitFor({ timeout: 20_000 });
      assert.match(await notice.innerText(), new RegExp(`신청 #${id} 심사 결과`));
      assert.match(await notice.innerText(), new RegExp(`“${escape(REQUEST.title_ko)}”이 일부 선정되었습니다`));
      assert.match(await notice.innerText(), new RegExp(`${escape(await poolName('kisti6-gh200'))} ${escape(thousands(award))} 노드-시간 \\(${start} ~ ${end}\\)`));
      noProblems(await audit(p, 'notifications-decision'));
      await noteDemoLabel(p, '/notifications (a real decision)');
      // The text follows the page's language.
      await useLanguage(p, 'en');
      assert.match(await notice.innerText(), new RegExp(`partly approved: ${escape(thousands(award))} node-hours on ${escape(poolEn)}`));
      await p.locator('[data-testid=mark-all-read]').click();
      await p.locator('[data-testid=unread-count]').waitFor({ state: 'detached', timeout: 20_000 });
      assert.deepEqual(context.errors, []);
    } finally {
      await context.close();
    }
  });

  test('/allocations shows the published round and its award, with no demo label anywhere, with and without JavaScript', { timeout: TEST_TIMEOUT_MS }, async () => {
    assert.ok(journey.award, 'the round was published');
    const { award, start, end } = journey;
    const publicData = await (await fetch(`${server.baseUrl}/api/v1/allocations/public`)).json();
    assert.equal(publicData.round, ROUND.id);
    assert.equal(publicData.source ?? null, null, 'not demo data');
    for (const javaScriptEnabled of [false, true]) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled });
      const errors = [];
      try {
        const p = await context.newPage();
        p.on('pageerror', (err) => errors.push(String(err)));
        await p.goto(`${server.baseUrl}/allocations`, { waitUntil: 'load' });
        if (javaScriptEnabled) await appReady(p);
        await p.locator('[data-testid=public-round]').waitFor({ timeout: 30_000 });
        const label = `JS ${javaScriptEnabled ? 'on' : 'off'}`;
        assert.equal(await p.locator('[data-testid=round-title]').innerText(), ROUND.title_ko, label);
        assert.match(await p.locator('[data-testid=public-totals]').innerText(), /신청 1건 중 1건 선정 \(선정률 100\.0%\)/, label);
        assert.match(await p.locator('[data-testid=pool-totals]').innerText(), new RegExp(`${escape(await poolName('kisti6-gh200'))}: ${escape(thousands(award))} 노드-시간`), label);
        const checkNoDemo = async (lang) => {
          assert.equal(await p.locator('[data-testid=demo-badge]').count(), 0, `no demo badge (${label}, ${lang})`);
          assert.equal(await p.locator('[data-testid=demo-note]').count(), 0, `no demo note (${label}, ${lang})`);
          const text = await p.locator('body').innerText();
          assert.doesNotMatch(text, /데모|\bdemo\b/i, `no demo label anywhere (${label}, ${lang})`);
          assert.match(await p.locator('footer').innerText(), lang === 'ko' ? /포털에 기록된/ : /records/i, `the footer names the portal's records (${label})`);
        };
        await checkNoDemo('ko');
        if (!javaScriptEnabled) continue;
        // The awarded project, anonymised to its title, organisation and award.
        const project = p.locator('[data-testid=projects-table] tbody tr', { hasText: REQUEST.title_ko });
        await project.waitFor({ timeout: 20_000 });
        assert.match(await project.innerText(), new RegExp(`${escape(STARTUP.name_ko)}[\\s\\S]*${escape(await poolName('kisti6-gh200'))}[\\s\\S]*${escape(thousands(award))} 노드-시간[\\s\\S]*${start} ~ ${end}`));
        assert.doesNotMatch(await p.locator('main').innerText(), new RegExp(escape(REQUEST.abstract)), 'no abstract on the public page');
        const failures = await audit(p, 'allocations');
        await useLanguage(p, 'en');
        assert.equal(await p.locator('[data-testid=round-title]').innerText(), ROUND.title_en);
        assert.match(await p.locator('[data-testid=public-totals]').innerText(), /1 of 1 request awarded/, "one request: the singular");
        await checkNoDemo('en');
        noProblems(failures);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    }
  });

  // README: "With KAIRR_DEMO__PROGRAMME=false and KAIRR_DEMO__ACCOUNTS=false, nothing is labelled demo";
  // pages without a round of their own follow the portal's flag in the session.
  test('with the demo off, no page of the journey about the real round carries the demo label', () => {
    assert.ok(journey.award, 'the journey ran to the end');
    assert.deepEqual(journey.demoLabelled, [], 'pages labelled demo with the demo off');
  });
});

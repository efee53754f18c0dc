// An award decided in the browser becomes the project's Slurm account (issue
// 13), against a real slurmctld + slurmdbd + MariaDB started by
// `scripts/slurm-cluster.sh --accounting` on loopback:
//
//  1. A real round on the GH200 batch pool is made and opened, a request
//     submitted and reviewed (through the API, as in the other files); the
//     admin decides it in the browser on the request's page (early, with a
//     reason).
//  2. /admin/provisioning shows the account provisioned; `sacctmgr show
//     assoc` holds the award as the account's node-minute limit and the
//     applicant as its user.
//  3. A job runs under the account; its GPU-hours reach the allocation from
//     Slurm's accounting (`sacct`), equal to Slurm's own ElapsedRaw × GPUs.
//  4. A limit raised by hand is put back from the admin page's "Reconcile
//     now", and the page says what changed.
//
// axe-core and the 375 px layout check run on /admin/provisioning in both
// languages. Screenshots: target/e2e-shots/provisioning-*.png.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { DEMO_PASSWORD, REPO_ROOT, startServer } from './server.mjs';
import { SHOTS_DIR, checkPage, eventually, launchBrowser, signIn as signInAs, startWatchdog, useLanguage } from './support.mjs';

const TEST_TIMEOUT_MS = 240_000;
const ROUND = '2027-8';
/** The applicant: a demo account whose name is also the cluster login the job runs as. */
const APPLICANT = 'demo.researcher';

startWatchdog(10);

/** KST calendar day `offset` days from today. */
const kstDay = (offset = 0) => new Date(Date.now() + 9 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);

const SCRIPT = join(REPO_ROOT, 'scripts/slurm-cluster.sh');
let clusterDir;
let server;
let browser;

/** A first port such that it and the `n - 1` after it are free on loopback. */
async function freeRange(n) {
  const free = (port) => new Promise((ok) => {
    const s = createServer();
    s.once('error', () => ok(false));
    s.listen(port, '127.0.0.1', () => s.close(() => ok(true)));
  });
  // Below the kernel's ephemeral range: ports it hands out on its own (to
  // listen(0) and outgoing connections) never collide with this choice.
  const ephemeralLow = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32_768;
  for (let i = 0; i < 200; i += 1) {
    const base = 10_000 + Math.floor(Math.random() * (ephemeralLow - 10_000 - n));
    let all = true;
    for (let p = base; p < base + n && all; p += 1) all = await free(p);
    if (all) return base;
  }
  throw new Error(`no ${n} consecutive free ports`);
}

/** Runs a Slurm command against the test cluster; its standard output. */
function slurm(...args) {
  const r = spawnSync('timeout', ['10', ...args], { env: { ...process.env, SLURM_CONF: join(clusterDir, 'etc/slurm.conf') }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** The account's own association line `account||GrpTRESMins|GrpJobs|GrpSubmit` and its users. */
function assoc(account) {
  const lines = slurm('sacctmgr', '-n', '-P', 'show', 'assoc', 'cluster=kairrtest', `account=${account}`, 'format=account,user,grptresmins,grpjobs,grpsubmit')
    .trim().split('\n');
  return { own: lines.find((l) => l.split('|')[1] === ''), users: lines.map((l) => l.split('|')[1]).filter(Boolean).sort() };
}

/** JSON API call from a signed-in page (its session and CSRF token). */
async function api(page, method, path, body) {
  return page.evaluate(async ({ method, path, body }) => {
    const s = await (await fetch('/api/v1/auth/session')).json();
    const res = await fetch(path, {
      method, headers: { 'content-type': 'application/json', 'x-csrf-token': s.csrf_token }, body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: await res.json() };
  }, { method, path, body });
}

async function signedIn(user, path, width = 1280) {
  const context = await browser.newContext({ viewport: { width, height: width === 375 ? 812 : 900 } });
  const page = await context.newPage();
  await signInAs(page, server.baseUrl, user, DEMO_PASSWORD, path);
  return { context, page };
}

describe('scheduler accounts from awards (real slurmdbd)', () => {
  before(async () => {
    for (const b of ['slurmdbd', 'mariadbd', 'sacctmgr', 'sbatch']) {
      assert.equal(spawnSync('sh', ['-c', `command -v ${b}`]).status, 0, `${b} missing: ./kairr test installs Slurm with slurmdbd and MariaDB`);
    }
    if (spawnSync('id', [APPLICANT]).status !== 0) {
      const r = spawnSync('useradd', ['-M', '-N', '-s', '/usr/sbin/nologin', APPLICANT], { encoding: 'utf8' });
      assert.equal(r.status, 0, `useradd ${APPLICANT}: ${r.stderr}`);
    }
    const parent = mkdtempSync(join(tmpdir(), 'kairr-e2e-slurm-'));
    chmodSync(parent, 0o755); // munged wants every folder above its socket searchable by all
    clusterDir = join(parent, 'c');
    const up = spawnSync(SCRIPT, ['up', clusterDir, String(await freeRange(10)), '--accounting'], { encoding: 'utf8' });
    assert.equal(up.status, 0, `slurm-cluster.sh up: ${up.stdout}\n${up.stderr}`);
    server = await startServer({
      settingsToml: `
[provisioning.slurm]
cluster = "kairrtest"
pools = ["kisti6-gh200"]
slurm_conf = "${join(clusterDir, 'etc/slurm.conf')}"
interval_seconds = 3600
usage_interval_seconds = 2
`,
    });
    browser = await launchBrowser();
  }, { timeout: 240_000 });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (clusterDir) spawnSync(SCRIPT, ['down', clusterDir]);
  });

  test('the admin decides in the browser; the account enforces the award, a job runs under it, accounting meters it, drift is put back, ending it closes the account', { timeout: TEST_TIMEOUT_MS }, async () => {
    const admin = await signedIn('demo.admin', '/committee');
    const researcher = await signedIn(APPLICANT, '/requests/mine');
    const reviewer = await signedIn('demo.reviewer', '/reviews');
    const a = admin.page;
    try {
      // A real round whose allocation period began three days ago, a request of 1 node-hour from then, one review.
      const round = {
        id: ROUND, title_ko: '스케줄러 계정 시험 공모', title_en: 'Scheduler account test call',
        opens: kstDay(0), closes: kstDay(30), review_closes: kstDay(40), period_start: kstDay(-3), period_end: kstDay(200),
        pools: [{ pool: 'kisti6-gh200', unit: 'node_hours', capacity: 100_000 }],
        sector_targets: {}, min_score: 1, min_reviews: 1, reviewers_per_request: 1,
      };
      assert.equal((await api(a, 'POST', '/api/v1/admin/rounds', round)).status, 200);
      assert.equal((await api(a, 'POST', `/api/v1/admin/rounds/${ROUND}/stage`, { from: 'draft', to: 'open' })).status, 200);
      const submitted = await api(researcher.page, 'POST', `/api/v1/requests?round=${ROUND}`, {
        title_ko: '기후 에뮬레이터 학습', title_en: 'Climate emulator training', abstract: '시험', pi: '김연구',
        organisation: '부산대학교', sector: 'university', region: 'non_capital', pool: 'kisti6-gh200', amount: 1,
        period_start: kstDay(-3), period_end: kstDay(30),
      });
      assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
      const id = submitted.body.id;
      const account = `r${ROUND}-${String(id).padStart(4, '0')}`;
      assert.equal((await api(a, 'POST', `/api/v1/admin/rounds/${ROUND}/stage`, { from: 'open', to: 'under_review' })).status, 200);
      const review = await api(reviewer.page, 'POST', `/api/v1/requests/${id}/reviews`, {
        technical_merit: 5, impact: 4, ecosystem: 4, team_readiness: 4, comment: '좋음',
      });
      assert.equal(review.status, 200, JSON.stringify(review.body));

      // The decision, in the browser: approve early with a reason (the review window is still open).
      await a.goto(`${server.baseUrl}/committee/requests/${id}`, { waitUntil: 'load' });
      await a.locator('[data-testid=decision-form]').waitFor({ timeout: 20_000 });
      await a.locator('[data-testid=decision-approve]').check();
      await a.locator('[data-testid=decision-rationale]').fill('계산 계획이 분명합니다.');
      await a.locator('[data-testid=decision-override]').fill('스케줄러 계정 시험');
      await a.locator('[data-testid=decision-submit]').click();
      await a.locator('[data-testid=request-allocation]').waitFor({ timeout: 20_000 });

      // Provisioned within seconds of the decision, shown on the admin page.
      await a.goto(`${server.baseUrl}/admin/provisioning`, { waitUntil: 'load' });
      await eventually(async () => {
        await a.reload({ waitUntil: 'load' });
        const row = a.locator('[data-testid=prov-table] tr', { hasText: account });
        await row.waitFor({ timeout: 5_000 });
        assert.equal(await row.locator('[data-testid=prov-state]').innerText(), '생성됨');
      }, { timeoutMs: 40_000, intervalMs: 1_000 });
      // Slurm's own view: the award as the account's limit (1 node-hour = 60 node-minutes), open, the applicant its user.
      assert.deepEqual(assoc(account), { own: `${account}||node=60||`, users: [APPLICANT] });

      // A job runs under the account; accounting meters it into the allocation's usage.
      const job = slurm('sbatch', '--parsable', '--uid', APPLICANT, '-A', account, '-p', 'gpu', '-N', '1', '--gres', 'gpu:2', '-t', '1',
        '-o', '/dev/null', '--wrap', 'sleep 2').trim();
      await eventually(() => assert.equal(slurm('sacct', '-n', '-X', '-P', '-j', job, '-o', 'state').trim(), 'COMPLETED'),
        { timeoutMs: 60_000, intervalMs: 500 });
      const [elapsed] = slurm('sacct', '-n', '-X', '-P', '-j', job, '-o', 'elapsedraw').trim().split('\n');
      const expected = (Number(elapsed) * 2) / 3_600;
      await eventually(async () => {
        const o = await api(a, 'GET', `/api/v1/committee/overview?round=${ROUND}`);
        assert.equal(o.status, 200);
        const used = o.body.pools.find((p) => p.pool === 'kisti6-gh200').used_gpu_hours;
        assert.ok(Math.abs(used - expected) < 1e-9, `portal ${used} GPU-hours vs sacct ${expected}`);
      }, { timeoutMs: 30_000, intervalMs: 1_000 });

      // A limit raised by hand is put back from the page; the page says one change was made.
      slurm('sacctmgr', '-i', 'modify', 'account', 'where', `name=${account}`, 'set', 'GrpTRESMins=node=99999');
      assert.equal(assoc(account).own, `${account}||node=99999||`);
      await a.reload({ waitUntil: 'load' });
      await a.locator('[data-testid=prov-run]').click();
      await eventually(async () => {
        assert.match(await a.locator('[data-testid=prov-run-summary]').innerText(), /변경 1건/);
      }, { timeoutMs: 20_000 });
      assert.equal(assoc(account).own, `${account}||node=60||`);

      // The admin ends the allocation now from the request page, with a reason: the woken pass closes the account.
      await a.goto(`${server.baseUrl}/committee/requests/${id}`, { waitUntil: 'load' });
      await a.locator('[data-testid=period-form]').waitFor({ timeout: 20_000 });
      const periodPosts = [];
      a.on('request', (r) => { if (r.method() !== 'GET' && r.url().includes('/period')) periodPosts.push(r.url()); });
      await a.locator('[data-testid=period-submit]').click();
      // Nothing changed and no reason: both named in place and above the form, in Korean, before anything is sent.
      await eventually(async () => assert.match(await a.locator('[data-testid=period-reason-error]').innerText(), /필수/));
      assert.match(await a.locator('[data-testid=period-end-error]').innerText(), /지금의 기간/);
      const periodSummary = a.locator('[data-testid=period-form] [data-testid=form-error-summary]');
      assert.deepEqual(await periodSummary.locator('li').allInnerTexts(), ['종료일: 지금의 기간과 같습니다.', '변경 사유(감사 기록, 신청자에게 전달): 필수 항목입니다.']);
      await periodSummary.locator('a[href="#period-reason"]').click();
      assert.equal(await a.evaluate(() => document.activeElement?.id), 'period-reason');
      assert.deepEqual(periodPosts, [], 'nothing was sent');
      await a.locator('[data-testid=period-end-now]').click();
      assert.equal(await a.locator('[data-testid=period-end]').inputValue(), kstDay(-1));
      await a.locator('[data-testid=period-reason]').fill('과제 조기 종료');
      await a.locator('[data-testid=period-submit]').click();
      await a.locator('[data-testid=period-saved]').waitFor({ timeout: 20_000 });
      await eventually(async () => assert.match(await a.locator('[data-testid=request-allocation]').innerText(), new RegExp(kstDay(-1))));
      await eventually(() => assert.equal(assoc(account).own, `${account}||node=60|0|0`), { timeoutMs: 30_000, intervalMs: 500 });
      const told = await api(researcher.page, 'GET', '/api/v1/me/notifications');
      assert.ok(told.body.items.some((n) => n.notice.kind === 'allocation_changed'), JSON.stringify(told.body));

      // The pages at both widths, in both languages.
      const failures = [];
      for (const width of [1280, 375]) {
        const { context, page } = await signedIn('demo.admin', '/committee', width);
        try {
          await page.goto(`${server.baseUrl}/admin/provisioning`, { waitUntil: 'load' });
          await page.locator('[data-testid=prov-table]').waitFor({ timeout: 20_000 });
          for (const lang of ['ko', 'en']) {
            await useLanguage(page, lang);
            await page.screenshot({ path: join(SHOTS_DIR, `provisioning-${lang}-${width}.png`), fullPage: true });
            await checkPage(page, `/admin/provisioning ${lang} ${width}`, width, failures);
          }
          await page.goto(`${server.baseUrl}/committee/requests/${id}`, { waitUntil: 'load' });
          await page.locator('[data-testid=period-form]').waitFor({ timeout: 20_000 });
          for (const lang of ['ko', 'en']) {
            await useLanguage(page, lang);
            await page.locator('[data-testid=period-form]').screenshot({ path: join(SHOTS_DIR, `period-form-${lang}-${width}.png`) });
            await checkPage(page, `/committee/requests/${id} ${lang} ${width}`, width, failures);
          }
        } finally {
          await context.close();
        }
      }
      assert.deepEqual(failures, [], 'serious or critical axe violations, or horizontal scroll at 375 px');
    } finally {
      await admin.context.close();
      await researcher.context.close();
      await reviewer.context.close();
    }
  });
});

// Institutional sign-in (issue 10 §2) against a real OpenID Connect provider
// (npm `oidc-provider`, started here on loopback): discovery, the
// authorisation code flow with PKCE through the browser, ID-token
// validation, the account created on the first sign-in (a researcher, its
// organisation from the mapped claim, else awaiting an admin), the return to
// the page that asked for the sign-in (the request form pre-filled by the
// wizard), the provider's logout, and an ID token altered on the way refused.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { startProvider } from './oidc-provider.mjs';
import { freePort, startServer } from './server.mjs';
import { SHOTS_DIR, checkPage, launchBrowser, startWatchdog, useLanguage } from './support.mjs';

const TEST_TIMEOUT_MS = 120_000;

startWatchdog(10);

let server;
let provider;
let browser;

async function open(width = 1280) {
  const context = await browser.newContext({ viewport: { width, height: width === 375 ? 812 : 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  return { context, page, errors };
}

/** Signs in as `login` at the provider's development form (and consents), ending back at the portal. */
async function atProvider(page, login) {
  await page.waitForURL((u) => u.origin === provider.issuer, { timeout: 20_000 });
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill('any password');
  await page.locator('button[type=submit]').click();
  // The consent prompt (the first time this account meets the client).
  await page.waitForURL((u) => u.origin === server.baseUrl || /interaction/.test(u.pathname), { timeout: 20_000 });
  if (new URL(page.url()).origin === provider.issuer) {
    await page.locator('button[type=submit]').first().click();
  }
  await page.waitForURL((u) => u.origin === server.baseUrl, { timeout: 20_000 });
}

const sessionOf = (page) =>
  page.evaluate(async () => (await fetch('/api/v1/auth/session', { credentials: 'same-origin' })).json());

describe('institutional sign-in', () => {
  before(async () => {
    const [portalPort, providerPort] = [await freePort(), await freePort()];
    const portalUrl = `http://127.0.0.1:${portalPort}`;
    provider = await startProvider({ port: providerPort, portalUrl });
    server = await startServer({
      port: portalPort,
      settingsToml: `
public_url = "${portalUrl}"

[[oidc]]
id = "uni"
name_ko = "한국연구인증"
name_en = "Korea Research Login"
issuer = "${provider.issuer}"
client_id = "kairr"
client_secret = "kairr-secret"
organisation_claim = "organisation"
`,
    });
    browser = await launchBrowser();
  }, { timeout: 180_000 });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await provider?.stop();
  });

  test('a researcher signs in through their institution from the wizard, returns to the pre-filled request form, and signs out at the provider too', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page, errors } = await open();
    try {
      await page.goto(`${server.baseUrl}/advisor`, { waitUntil: 'load' });
      await page.locator('[data-testid=top-pick]').waitFor({ timeout: 30_000 });
      const pool = await page.locator('[data-testid=top-pick]').getAttribute('data-pool-id');
      await page.locator('a[data-testid=request]').click();
      await page.waitForURL((u) => u.pathname === '/requests/new', { timeout: 20_000 });
      // Not signed in: the form asks for it, and the sign-in page remembers where to return.
      await page.locator('[data-testid=sign-in-link]').click();
      await page.waitForURL((u) => u.pathname === '/login', { timeout: 20_000 });
      assert.equal(new URL(page.url()).searchParams.get('return_to'), '/requests/new');
      const button = page.locator('[data-testid=provider-uni]');
      await button.waitFor({ timeout: 20_000 });
      assert.equal(await button.innerText(), '한국연구인증 계정으로 로그인');
      const failures = [];
      for (const width of [1280, 375]) {
        await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
        for (const lang of ['ko', 'en']) {
          await useLanguage(page, lang);
          await checkPage(page, `/login with a provider ${lang} ${width}`, width, failures);
          await page.screenshot({ path: join(SHOTS_DIR, `login-oidc-${lang}-${width}.png`), fullPage: true });
        }
      }
      assert.deepEqual(failures, []);
      await useLanguage(page, 'ko');
      await page.setViewportSize({ width: 1280, height: 900 });

      await button.click();
      await atProvider(page, 'minji');
      // Back on the page that asked, signed in, the wizard's draft still there.
      await page.waitForURL((u) => u.pathname === '/requests/new', { timeout: 20_000 });
      await page.locator('[data-testid=draft-loaded]').waitFor({ timeout: 20_000 });
      assert.equal(await page.locator('[data-testid=req-pool]').inputValue(), pool);
      const session = await sessionOf(page);
      assert.equal(session.user.username, 'minji');
      assert.equal(session.user.role, 'researcher');
      assert.equal(session.user.display_name, 'Test minji');
      assert.equal(session.user.organisation_id, 'kaist', 'the organisation claim names a directory entry');
      assert.equal(await page.locator('[data-testid=organisation-pending]').count(), 0);
      assert.match(await page.locator('[data-testid=account]').innerText(), /Test minji/);

      // Signing out ends the provider's session too (its confirmation page), then back to the portal.
      await page.locator('[data-testid=sign-out]').click();
      await page.waitForURL((u) => u.origin === provider.issuer, { timeout: 20_000 });
      await page.locator('button[name=logout]').click();
      await page.waitForURL((u) => u.origin === server.baseUrl, { timeout: 20_000 });
      assert.equal((await sessionOf(page)).user, null);

      // A second sign-in of the same person is the same account, not a new one.
      await page.goto(`${server.baseUrl}/login`, { waitUntil: 'load' });
      await page.locator('[data-testid=provider-uni]').click();
      await atProvider(page, 'minji');
      await page.waitForURL((u) => u.pathname === '/requests/mine', { timeout: 20_000 });
      assert.equal((await sessionOf(page)).user.username, 'minji');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('the researcher submits a request, gets its receipt number and is told in the portal, in Korean and English', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page, errors } = await open();
    try {
      await page.goto(`${server.baseUrl}/login?return_to=${encodeURIComponent('/requests/new')}`, { waitUntil: 'load' });
      await page.locator('[data-testid=provider-uni]').click();
      await atProvider(page, 'minji');
      await page.waitForURL((u) => u.pathname === '/requests/new', { timeout: 20_000 });
      await page.locator('#req-title_ko').fill('한국어 기상 예측 모델');
      await page.locator('#req-title_en').fill('Korean weather forecasting model');
      await page.locator('#req-abstract').fill('기상 재분석 자료로 예측 모델을 학습합니다.');
      await page.locator('#req-pi').fill('김민지');
      await page.locator('[data-testid=req-pool]').selectOption({ index: 1 });
      await page.locator('[data-testid=req-amount]').fill('2');
      await page.locator('[data-testid=request-submit]').click();
      await page.waitForURL((u) => u.pathname === '/requests/mine', { timeout: 20_000 });
      const id = new URL(page.url()).searchParams.get('submitted');
      assert.match(id ?? '', /^\d+$/);
      assert.match(await page.locator('[data-testid=receipt]').innerText(), new RegExp(`#${id}`));
      // The navigation counts the unread notice; the page shows it and its link.
      await page.locator('[data-testid=unread-count]').waitFor({ timeout: 20_000 });
      assert.equal(await page.locator('[data-testid=unread-count]').innerText(), '1');
      await page.locator('[data-testid=nav-notifications]').click();
      await page.waitForURL((u) => u.pathname === '/notifications', { timeout: 20_000 });
      const notice = page.locator('[data-testid=notice][data-kind=submission_received]');
      await notice.waitFor({ timeout: 20_000 });
      assert.match(await notice.innerText(), new RegExp(`신청 #${id} 접수 완료`));
      assert.match(await notice.innerText(), /“한국어 기상 예측 모델”/);
      // The e-mail address the institution gave is the default.
      assert.equal(await page.locator('[data-testid=pref-email]').inputValue(), 'minji@example.ac.kr');
      const failures = [];
      for (const width of [1280, 375]) {
        await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
        for (const lang of ['ko', 'en']) {
          await useLanguage(page, lang);
          await checkPage(page, `/notifications ${lang} ${width}`, width, failures);
          await page.screenshot({ path: join(SHOTS_DIR, `notifications-${lang}-${width}.png`), fullPage: true });
        }
      }
      assert.deepEqual(failures, []);
      assert.match(await notice.innerText(), new RegExp(`Request #${id} received`));
      await page.locator('[data-testid=mark-all-read]').click();
      await page.locator('[data-testid=unread-count]').waitFor({ state: 'detached', timeout: 20_000 });
      // A bad address is refused at the field.
      await page.locator('[data-testid=pref-email]').fill('minji@');
      await page.locator('[data-testid=pref-save]').click();
      await page.locator('#pref-email-error:not(:empty)').waitFor({ timeout: 20_000 });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('an organisation the directory does not know leaves the new account waiting for an admin; it cannot submit yet', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await open(375);
    try {
      await page.goto(`${server.baseUrl}/login?return_to=${encodeURIComponent('/requests/new')}`, { waitUntil: 'load' });
      await page.locator('[data-testid=provider-uni]').click();
      await atProvider(page, 'stranger');
      await page.waitForURL((u) => u.pathname === '/requests/new', { timeout: 20_000 });
      const session = await sessionOf(page);
      assert.equal(session.user.username, 'stranger');
      assert.equal(session.user.organisation_id, undefined);
      await page.locator('[data-testid=organisation-pending]').waitFor({ timeout: 20_000 });
      await page.screenshot({ path: join(SHOTS_DIR, 'request-organisation-pending-ko-375.png'), fullPage: true });
      // The server refuses a submission whatever the form says.
      const answer = await page.evaluate(async () => {
        const { csrf_token } = await (await fetch('/api/v1/auth/session')).json();
        const res = await fetch('/api/v1/requests', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': csrf_token },
          body: JSON.stringify({ title_ko: '시험', title_en: 'Test', organisation: 'KAIST' }),
        });
        return { status: res.status, body: await res.json() };
      });
      assert.equal(answer.status, 409, JSON.stringify(answer.body));
      assert.equal(answer.body.error, 'organisation_unconfirmed');
    } finally {
      await context.close();
    }
  });

  test('an ID token altered after the provider signed it is refused, and nobody is signed in', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await open();
    provider.tamper.idToken = true;
    try {
      await page.goto(`${server.baseUrl}/login`, { waitUntil: 'load' });
      await page.locator('[data-testid=provider-uni]').click();
      await atProvider(page, 'mallory');
      await page.waitForURL((u) => u.pathname === '/login', { timeout: 20_000 });
      assert.equal(new URL(page.url()).searchParams.get('error'), 'oidc_invalid');
      await page.locator('[data-testid=institutional-error]:not(:empty)').waitFor({ timeout: 20_000 });
      assert.match(await page.locator('[data-testid=institutional-error]').innerText(), /검증하지 못해/);
      assert.equal((await sessionOf(page)).user, null);
      await page.screenshot({ path: join(SHOTS_DIR, 'login-oidc-refused-ko-1280.png'), fullPage: true });
    } finally {
      provider.tamper.idToken = false;
      await context.close();
    }
  });

  test('a callback without its flow (a forged or replayed link) signs nobody in', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await open();
    try {
      await page.goto(`${server.baseUrl}/api/v1/auth/oidc/uni/callback?code=stolen&state=guessed`, { waitUntil: 'load' });
      await page.waitForURL((u) => u.pathname === '/login', { timeout: 20_000 });
      assert.equal(new URL(page.url()).searchParams.get('error'), 'oidc_state');
      assert.equal((await sessionOf(page)).user, null);
    } finally {
      await context.close();
    }
  });
});

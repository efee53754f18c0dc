import { startServer } from './server.mjs';
import { launchBrowser, appReady, useLanguage } from './support.mjs';
const server = await startServer();
const browser = await launchBrowser();
try {
  for (const [w, lang] of [[375, 'ko'], [1280, 'en']]) {
    const ctx = await browser.newContext({ viewport: { width: w, height: 900 } });
    const page = await ctx.newPage();
    await page.goto(`${server.baseUrl}/`, { waitUntil: 'load' });
    await appReady(page);
    await useLanguage(page, lang);
    const past = page.locator('[data-testid=past-incidents]');
    await past.locator('summary').click();
    await past.scrollIntoViewIfNeeded();
    const top = { y: await past.evaluate((e) => e.getBoundingClientRect().top + scrollY) };
    await page.screenshot({ path: `/tmp/past-${lang}-${w}.png`, fullPage: true, clip: { x: 0, y: top.y, width: w, height: 500 } });
    const pw = page.locator('.past-windows');
    const b = { y: await pw.evaluate((e) => e.getBoundingClientRect().top + scrollY) };
    await page.screenshot({ path: `/tmp/pastw-${lang}-${w}.png`, fullPage: true, clip: { x: 0, y: b.y - 200, width: w, height: 600 } });
    console.log(await past.locator('summary').innerText(), await past.locator('.past-windows li').count(), await past.locator('[data-testid=past-incident]').count());
    await ctx.close();
  }
} finally { await browser.close(); await server.stop(); }

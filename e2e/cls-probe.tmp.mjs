import { startServer } from './server.mjs';
import { launchBrowser } from './support.mjs';
const server = await startServer();
const browser = await launchBrowser();
for (const path of ['/allocations', '/advisor']) {
  for (const width of [375, 1280]) {
    const context = await browser.newContext({ viewport: { width, height: width === 375 ? 812 : 900 } });
    await context.addInitScript(() => { window.__cls = 0; window.__s=[]; new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) { window.__cls += e.value; window.__s.push([Math.round(e.startTime), e.value.toFixed(3), (e.sources??[]).map(s=>s.node?.dataset?.testid||s.node?.className||s.node?.nodeName).join('|')]); } }).observe({ type: 'layout-shift', buffered: true }); });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}${path}`, { waitUntil: 'networkidle' }).catch(()=>{});
    await page.waitForTimeout(4000);
    console.log(path, width, (await page.evaluate(() => window.__cls)).toFixed(3), JSON.stringify(await page.evaluate(() => window.__s)));
    await page.screenshot({ path: `/tmp/cls-${path.slice(1)}-${width}.png` });
    await context.close();
  }
}
await browser.close(); await server.stop();

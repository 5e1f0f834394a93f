// The portal in a real browser: every page given, in Arabic and French, screenshotted and
// checked with axe-core (no serious or critical violation), the skip link first in the tab
// order, and the certificate check working with JavaScript turned off.
//
// node pages.mjs <base-url> <pages-json> <screenshot-dir>
//   pages-json: [{"name": "home", "path": "", "status": 200}, …], paths after the language;
//   status defaults to 200.
// Exits 1 when any check fails, listing every failure.

import { mkdirSync } from 'node:fs';
import { axeViolations, checker, launch } from './checks.mjs';

const [base, pagesJson, outDir] = process.argv.slice(2);
if (!base || !pagesJson || !outDir) {
  console.error('usage: node pages.mjs <base-url> <pages-json> <screenshot-dir>');
  process.exit(2);
}
const pages = JSON.parse(pagesJson);
mkdirSync(outDir, { recursive: true });
const browser = await launch();
const { check, finish } = checker('browser');

for (const lang of ['ar', 'fr']) {
  const context = await browser.newContext({ locale: lang === 'ar' ? 'ar-MA' : 'fr-MA', viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  for (const { name, path, status = 200 } of pages) {
    const url = `${base}/${lang}/${path}`;
    const response = await page.goto(url);
    check(response && response.status() === status, `${url}: status ${response && response.status()}, not ${status}`);
    check((await page.getAttribute('html', 'lang')) === lang, `${url}: html lang`);
    check((await page.getAttribute('html', 'dir')) === (lang === 'ar' ? 'rtl' : 'ltr'), `${url}: html dir`);
    await page.screenshot({ path: `${outDir}/${lang}-${name}.png`, fullPage: true });
    const violations = await axeViolations(page);
    for (const v of violations) {
      console.log(`${url}: axe ${v.impact} ${v.id}: ${v.help} (${v.targets.join(', ')})`);
      check(!['serious', 'critical'].includes(v.impact), `${url}: axe ${v.impact} ${v.id}`);
    }
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => document.activeElement && document.activeElement.className);
    check(first === 'skip-link', `${url}: the skip link is the first stop (got ${first})`);
  }
  await context.close();

  // Without JavaScript: the certificate check is a plain form.
  const plain = await browser.newContext({ javaScriptEnabled: false, locale: lang });
  const form = await plain.newPage();
  await form.goto(`${base}/${lang}/verify`);
  await form.fill('#code', 'NOPE-0000');
  await Promise.all([form.waitForNavigation(), form.click('button[type=submit]')]);
  check(await form.isVisible('.error-summary'), `${lang}: an unknown code shows the error summary without JavaScript`);
  check((await form.title()).startsWith(lang === 'ar' ? 'خطأ:' : 'Erreur :'), `${lang}: the title says error first`);
  check((await form.inputValue('#code')) === 'NOPE-0000', `${lang}: the answer is kept`);
  await form.screenshot({ path: `${outDir}/${lang}-verify-error-nojs.png`, fullPage: true });
  await plain.close();
}

await browser.close();
finish();

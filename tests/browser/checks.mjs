// What the browser scripts share: Debian's chromium, the list of checks with its report, and
// axe-core run through the DevTools protocol (so the page's CSP, which forbids script, stays
// whole).

import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';

const axeSource = readFileSync(new URL('./node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');

export async function launch() {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  return chromium.launch({ executablePath, args: ['--no-sandbox'] });
}

// Checks counted, failures kept; `finish` prints them and exits 1 when any failed.
export function checker(label) {
  const failures = [];
  let checks = 0;
  const check = (ok, what) => {
    checks += 1;
    if (!ok) failures.push(what);
  };
  const finish = () => {
    for (const f of failures) console.log(`FAILED ${f}`);
    console.log(`${label}: ${checks - failures.length} passed, ${failures.length} failed`);
    process.exit(failures.length === 0 ? 0 : 1);
  };
  return { check, finish };
}

// The page's axe-core violations under WCAG 2.2 AA and best practice.
export async function axeViolations(page) {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  });
}

// A page looked at as the tests do everywhere: a screenshot `<prefix>-<lang>-<name>.png`, the
// page's lang and dir, one h1; unless `withAxe` is false (JavaScript off: no axe), axe-core's
// violations (none serious or critical) and the skip link as the first stop.
export function looker(outDir, prefix, check) {
  return async function look(page, name, lang, withAxe = true) {
    await page.screenshot({ path: `${outDir}/${prefix}-${lang}-${name}.png`, fullPage: true });
    check((await page.getAttribute('html', 'lang')) === lang, `${lang} ${name}: html lang`);
    check((await page.getAttribute('html', 'dir')) === (lang === 'ar' ? 'rtl' : 'ltr'), `${lang} ${name}: html dir`);
    check((await page.locator('h1').count()) === 1, `${lang} ${name}: one h1`);
    if (!withAxe) return;
    for (const v of await axeViolations(page)) {
      console.log(`# ${lang} ${name}: axe ${v.impact} ${v.id}: ${v.help} (${v.targets.join(', ')})`);
      check(!['serious', 'critical'].includes(v.impact), `${lang} ${name}: axe ${v.impact} ${v.id}`);
    }
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => document.activeElement && document.activeElement.className);
    check(first === 'skip-link', `${lang} ${name}: the skip link is the first stop (got ${first})`);
  };
}

// Clicks a form's button and waits for the page it leads to.
export async function submit(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

// Signs `person` ({email, password}) in on a new page of `context`, asking to come back to
// `/<lang>/<next>`, and checks that it did.
export async function signIn(context, base, lang, person, next, check) {
  const page = await context.newPage();
  await page.goto(`${base}/${lang}/sign-in?next=${encodeURIComponent(`/${lang}/${next}`)}`);
  await page.fill('#identifier', person.email);
  await page.fill('#password', person.password);
  await submit(page, 'main form button[type=submit]');
  check(page.url().endsWith(`/${lang}/${next}`), `${lang}: signing in leads to /${lang}/${next} (${page.url()})`);
  return page;
}

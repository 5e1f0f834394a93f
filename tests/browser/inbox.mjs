// The inbox in a real browser, in Arabic and French: the inbox and the preferences
// screenshotted and checked with axe-core (no serious or critical violation), the skip link
// first in the tab order and unread messages marked by a word; then, with JavaScript turned
// off, one message marked read (Arabic: the header's count goes from 2 to 1), every message
// marked read (French: the count disappears) and preferences saved.
//
// node inbox.mjs <base-url> <setup-json> <screenshot-dir>
//   setup-json: {"email", "password"} of a person with two unread messages
// Exits 1 when any check fails, listing every failure.

import { mkdirSync } from 'node:fs';
import { checker, launch, looker, signIn as signInAs, submit } from './checks.mjs';

const [base, setupJson, outDir] = process.argv.slice(2);
if (!base || !setupJson || !outDir) {
  console.error('usage: node inbox.mjs <base-url> <setup-json> <screenshot-dir>');
  process.exit(2);
}
const setup = JSON.parse(setupJson);
mkdirSync(outDir, { recursive: true });
const browser = await launch();
const { check, finish } = checker('inbox');

const look = looker(outDir, 'inbox', check);

const signIn = (context, lang) => signInAs(context, base, lang, setup, 'account/notifications', check);

const badge = async (page) => ((await page.locator('.site-nav .count-badge').allTextContents())[0] || '').trim();

for (const lang of ['ar', 'fr']) {
  const locale = lang === 'ar' ? 'ar-MA' : 'fr-MA';
  const at = (rest) => `${base}/${lang}/${rest}`;

  const context = await browser.newContext({ locale, viewport: { width: 1000, height: 800 } });
  const page = await signIn(context, lang);
  for (const [name, rest] of [['inbox', 'account/notifications'], ['preferences', 'account/notifications/preferences'], ['account', 'account']]) {
    const response = await page.goto(at(rest));
    check(response && response.status() === 200, `${lang} ${name}: status ${response && response.status()}`);
    await look(page, name, lang);
  }
  await context.close();

  const plain = await browser.newContext({ javaScriptEnabled: false, locale, viewport: { width: 1000, height: 800 } });
  const p = await signIn(plain, lang);
  if (lang === 'ar') {
    check((await p.locator('.tag-unread').count()) === 2, 'ar: two messages marked unread in words');
    check(/رسالتان/.test(await badge(p)), `ar: the header counts two (${await badge(p)})`);
    await submit(p, 'main .message-unread form button[type=submit]');
    check(p.url().includes('done=read'), `ar: one marked read (${p.url()})`);
    check((await p.locator('.tag-unread').count()) === 1, 'ar: one left unread');
    check(/واحدة/.test(await badge(p)), `ar: the header counts one (${await badge(p)})`);
    await look(p, 'marked-one-nojs', lang, false);
  } else {
    check((await p.locator('.tag-unread').count()) === 1, 'fr: one message still unread');
    await submit(p, 'main form[action$="/account/notifications/read"] button[type=submit]');
    check(p.url().includes('done=all-read'), `fr: all marked read (${p.url()})`);
    check((await p.locator('.tag-unread').count()) === 0, 'fr: nothing unread');
    check((await badge(p)) === '', 'fr: no count in the header');
    await look(p, 'marked-all-nojs', lang, false);
    await p.goto(at('account/notifications/preferences'));
    await p.uncheck('input[type=checkbox][value="email.certificate_issued"]');
    await submit(p, 'main form button[type=submit]');
    check(p.url().includes('done=saved'), `fr: preferences saved (${p.url()})`);
    check(!(await p.isChecked('input[type=checkbox][value="email.certificate_issued"]')), 'fr: the box stays unticked');
    await look(p, 'preferences-saved-nojs', lang, false);
  }
  await plain.close();
}

await browser.close();
finish();

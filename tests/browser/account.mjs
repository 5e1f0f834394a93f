// The contact and password pages in a real browser, in Arabic and French: each page
// screenshotted and checked with axe-core (no serious or critical violation), one h1, the
// skip link first in the tab order, the header's link to the inbox on a public page; then,
// with JavaScript turned off, a password change refused beside its field, the consent to
// messages by email saved, and the verification link's page and its failure page.
//
// node account.mjs <base-url> <setup-json> <screenshot-dir>
//   setup-json: {"email", "password"} of a signed-up person
// Exits 1 when any check fails, listing every failure.

import { mkdirSync } from 'node:fs';
import { checker, launch, looker, signIn as signInAs, submit } from './checks.mjs';

const [base, setupJson, outDir] = process.argv.slice(2);
if (!base || !setupJson || !outDir) {
  console.error('usage: node account.mjs <base-url> <setup-json> <screenshot-dir>');
  process.exit(2);
}
const setup = JSON.parse(setupJson);
mkdirSync(outDir, { recursive: true });
const browser = await launch();
const { check, finish } = checker('account');

const look = looker(outDir, 'account', check);

const signIn = (context, lang) => signInAs(context, base, lang, setup, 'account/contact', check);

for (const lang of ['ar', 'fr']) {
  const locale = lang === 'ar' ? 'ar-MA' : 'fr-MA';
  const at = (rest) => `${base}/${lang}/${rest}`;

  // Signed out: the forgotten password and the emailed links.
  const anonymous = await browser.newContext({ locale, viewport: { width: 1000, height: 800 } });
  const a = await anonymous.newPage();
  for (const [name, rest, status] of [
    ['forgot', 'password/forgot', 200],
    ['forgot-sent', 'password/forgot/sent', 200],
    ['reset-link', 'password/reset?token=abc', 200],
    ['reset-code', 'password/reset?sent=1', 200],
    ['reset-done', 'password/reset/done', 200],
    ['verify-link', 'account/contact/verify?token=abc', 200],
    ['verify-link-failed', 'account/contact/verify', 422],
    ['verified', 'account/contact/verified', 200],
  ]) {
    const response = await a.goto(at(rest));
    check(response && response.status() === status, `${lang} ${name}: status ${response && response.status()}`);
    await look(a, name, lang);
  }
  await a.goto(at('password/forgot'));
  await submit(a, 'main form button[type=submit]');
  check((await a.locator('.error-summary a[href="#identifier"]').count()) === 1, `${lang}: forgot, the summary links to the field`);
  await look(a, 'forgot-error', lang);
  await anonymous.close();

  const context = await browser.newContext({ locale, viewport: { width: 1000, height: 800 } });
  const page = await signIn(context, lang);
  for (const [name, rest] of [['contact', 'account/contact'], ['password', 'account/password'], ['account', 'account']]) {
    const response = await page.goto(at(rest));
    check(response && response.status() === 200, `${lang} ${name}: status ${response && response.status()}`);
    await look(page, name, lang);
  }
  await page.goto(at('petitions'));
  check((await page.locator('.site-nav a[href$="/account/notifications"]').count()) === 1, `${lang}: a public page shows the inbox's link to a signed-in person`);
  await context.close();

  const plain = await browser.newContext({ javaScriptEnabled: false, locale, viewport: { width: 1000, height: 800 } });
  const p = await signIn(plain, lang);
  await p.goto(at('account/password'));
  await p.fill('#current_password', setup.password);
  await p.fill('#new_password', 'une nouvelle phrase de passe');
  await p.fill('#new_password_again', 'pas la même phrase');
  await submit(p, 'main form button[type=submit]');
  check((await p.locator('#new_password_again-error').count()) === 1, `${lang}: the second password refused beside its field`);
  check((await p.title()).startsWith(lang === 'ar' ? 'خطأ' : 'Erreur'), `${lang}: the title says error first`);
  await look(p, 'password-error-nojs', lang, false);
  await p.goto(at('account/contact'));
  await p.check('#messages-email');
  await submit(p, 'main form[action$="/account/contact/messages"] button[type=submit]');
  check(p.url().includes('done=messages'), `${lang}: the consent saved (${p.url()})`);
  check(await p.isChecked('#messages-email'), `${lang}: the email box stays ticked`);
  await look(p, 'contact-saved-nojs', lang, false);
  await p.goto(at('account/contact/verify?token=made-up'));
  await submit(p, 'main form button[type=submit]');
  check((await p.locator('.error-summary').count()) === 1, `${lang}: a made-up link is refused`);
  await plain.close();
}

await browser.close();
finish();

// A citizen's whole journey in a real browser, in one language: registers, is verified (by
// staff, through the test that drives this script), answers a survey, supports a proposal,
// signs a petition and registers for a session with JavaScript turned off, checks in with the
// day's code, evaluates, downloads the certificate; then an anonymous visitor verifies it.
// Every page on the way is screenshotted and checked with axe-core.
//
// node journey.mjs <base-url> <lang> <ids-json> <out-dir>
//   ids-json: {"consultation": …, "petition": …, "session": …} (the session is today's)
// Staff steps are asked of the driving test on stdout ("STAFF verify <email>", "STAFF code
// <session>", "STAFF held <session>") and answered on stdin ("OK" or "CODE <code>"). Prints
// "CERT <path> <code>" for the certificate, then "N passed, M failed"; exits 1 on any failure.

import { mkdirSync } from 'node:fs';
import { axeViolations, checker, launch } from './checks.mjs';
import { createInterface } from 'node:readline';

const [base, lang, idsJson, outDir] = process.argv.slice(2);
if (!base || !lang || !idsJson || !outDir) {
  console.error('usage: node journey.mjs <base-url> <lang> <ids-json> <out-dir>');
  process.exit(2);
}
const ids = JSON.parse(idsJson);
mkdirSync(outDir, { recursive: true });
const browser = await launch();
const answers = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

const { check, finish } = checker('journey');

async function staff(request) {
  console.log(`STAFF ${request}`);
  const { value } = await answers.next();
  return value || '';
}

let shot = 0;
// Screenshot, then axe-core (through the DevTools protocol: the page's CSP forbids script).
async function look(page, name) {
  shot += 1;
  await page.screenshot({ path: `${outDir}/journey-${lang}-${String(shot).padStart(2, '0')}-${name}.png`, fullPage: true });
  check((await page.getAttribute('html', 'lang')) === lang, `${name}: html lang`);
  for (const v of await axeViolations(page)) {
    console.log(`# ${name}: axe ${v.impact} ${v.id}: ${v.help} (${v.targets.join(', ')})`);
    check(!['serious', 'critical'].includes(v.impact), `${name}: axe ${v.impact} ${v.id}`);
  }
}

// Submits the page's main form and waits for where it leads.
async function submit(page) {
  await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
}

const locale = lang === 'ar' ? 'ar-MA' : 'fr-MA';
const context = await browser.newContext({ locale, viewport: { width: 1100, height: 900 }, acceptDownloads: true });
const page = await context.newPage();
const at = (rest) => `${base}/${lang}/${rest}`;
const email = `journey-${lang}-${Date.now()}@browser.test`;
const name = lang === 'ar' ? 'مريم' : 'Meryem';

// Registers, and is signed in at once.
await page.goto(at('register'));
await look(page, 'register');
await page.fill('#display_name', name);
await page.fill('#email', email);
await page.fill('#password', 'a long enough passphrase');
await submit(page);
check(page.url().endsWith(`/${lang}/account?welcome=1`), `after registering: ${page.url()}`);
await look(page, 'account-welcome');

// Staff verify the person's identity card at the council's desk.
check((await staff(`verify ${email}`)) === 'OK', 'staff verified the account');
await page.goto(at('account'));
await look(page, 'account-verified');
for (const rest of ['account/profile', 'account/statistics', 'account/export', 'account/delete', 'petitions/mine', 'associations', 'associations/new', 'petitions/new']) {
  const response = await page.goto(at(rest));
  check(response.status() === 200, `${rest}: status ${response.status()}`);
  await look(page, rest.replaceAll('/', '-'));
}

// Answers the survey: the first choice of every question.
await page.goto(at(`consultations/${ids.consultation}`));
await Promise.all([page.waitForNavigation(), page.click(`a[href="/${lang}/consultations/${ids.consultation}/answer"]`)]);
await look(page, 'answer');
// The question's Tamazight prompt and options, in Tifinagh left to right, describing the inputs.
check((await page.locator('main form [lang="zgh"][dir="ltr"]').count()) === 3, 'answer: the Tamazight prompt and labels');
check((await page.getAttribute('main form fieldset', 'aria-describedby')).includes('q1-zgh'), 'answer: the Tamazight prompt describes the question');
for (const group of await page.$$('main form fieldset')) {
  const first = await group.$('input[type=radio], input[type=checkbox]');
  if (first) await first.check();
}
await submit(page);
check(page.url().includes('/answer?saved=1'), `after answering: ${page.url()}`);
await look(page, 'answer-saved');

// Supports the first proposal.
await page.goto(at(`consultations/${ids.consultation}`));
await Promise.all([page.waitForNavigation(), page.click('a[href*="/support"]')]);
await look(page, 'support');
await submit(page);
check(page.url().includes(`/consultations/${ids.consultation}`), `after supporting: ${page.url()}`);

// Without JavaScript: sign the petition, register for the session (the session cookie carried over).
const plain = await browser.newContext({ javaScriptEnabled: false, locale, viewport: { width: 1100, height: 900 } });
await plain.addCookies(await context.cookies());
const nojs = await plain.newPage();
await nojs.goto(at(`petitions/${ids.petition}`));
await Promise.all([nojs.waitForNavigation(), nojs.click(`a[href="/${lang}/petitions/${ids.petition}/sign"]`)]);
await nojs.screenshot({ path: `${outDir}/journey-${lang}-sign-nojs.png`, fullPage: true });
await submit(nojs);
check(nojs.url().includes('signed=1'), `after signing without JavaScript: ${nojs.url()}`);
await nojs.screenshot({ path: `${outDir}/journey-${lang}-signed-nojs.png`, fullPage: true });
await page.goto(nojs.url());
await look(page, 'signed');

await nojs.goto(at(`training/sessions/${ids.session}`));
await Promise.all([nojs.waitForNavigation(), nojs.click(`a[href="/${lang}/training/sessions/${ids.session}/register"]`)]);
await nojs.screenshot({ path: `${outDir}/journey-${lang}-register-session-nojs.png`, fullPage: true });
await submit(nojs);
check(nojs.url().endsWith('/registered'), `after registering for the session without JavaScript: ${nojs.url()}`);
await page.goto(nojs.url());
await look(page, 'registered');
await plain.close();

// On the day: checks in with the code staff give out.
const code = (await staff(`code ${ids.session}`)).replace(/^CODE /, '');
await page.goto(at(`training/sessions/${ids.session}/check-in`));
await look(page, 'check-in');
await page.fill('#code', code);
await submit(page);
check(!(await page.isVisible('.error-summary')), `the day's code was accepted: ${page.url()}`);

// Evaluates.
await page.goto(at(`training/sessions/${ids.session}/evaluate`));
await look(page, 'evaluate');
await page.check('#satisfaction-5');
await page.fill('#comment', lang === 'ar' ? 'دورة مفيدة جدا' : 'Très utile');
await submit(page);
check(!(await page.isVisible('.error-summary')), `the evaluation was accepted: ${page.url()}`);

// After the session: the certificate.
check((await staff(`held ${ids.session}`)) === 'OK', 'staff marked the session held');
await page.goto(at('training/registrations'));
await look(page, 'registrations');
const [download] = await Promise.all([
  page.waitForEvent('download'),
  page.click(`a[href$="/training/sessions/${ids.session}/certificate.pdf"]`),
]);
const suggested = download.suggestedFilename();
const certificateCode = suggested.replace(/^certificate-/, '').replace(/\.pdf$/, '');
const pdf = `${outDir}/journey-${lang}-${suggested}`;
await download.saveAs(pdf);
check(certificateCode.length > 0 && certificateCode !== suggested, `certificate file name: ${suggested}`);
console.log(`CERT ${pdf} ${certificateCode}`);

// Signing out, then anyone checks the certificate from its QR code's address.
await page.goto(at('account'));
await submit(page);
const anonymous = await browser.newContext({ locale, viewport: { width: 1100, height: 900 } });
const visitor = await anonymous.newPage();
const response = await visitor.goto(`${base}/verify/${certificateCode}`);
check(response.status() === 200, `verifying the certificate: ${response.status()}`);
check((await visitor.textContent('main')).includes(lang === 'ar' ? 'مريم بنعلي' : 'Meryem Benali'), 'the verified holder is shown');
await look(visitor, 'verify-certificate');
await anonymous.close();
await context.close();
await browser.close();
finish();

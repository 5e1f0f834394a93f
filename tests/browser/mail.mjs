// Email end to end in a real browser, in Arabic then French, over a platform whose
// notification service sends to a real SMTP server: a citizen registers, opens the
// verification link of the email they received, consents to messages by email; staff answer
// their proposal on the staff console's answers desk; the citizen finds the answer in the
// inbox, and the email's HTML is rendered and screenshotted. Then the password is forgotten: the reset link of the received email,
// a new password, signing in with it, the inbox telling of the change; the preferences page.
//
// node mail.mjs <base-url> <setup-json> <out-dir>
//   setup-json: {"staff": {"email", "password"}} of a member of council staff
// What needs the SMTP server or staff is asked of the driving test on stdout and answered on
// stdin: "LINK verify <email>" / "LINK reset <email>" -> "PATH <path?token=…>" (the received
// link's path and query, the platform's portal address standing for its host);
// "PROPOSE <email>" -> "PROPOSAL <id>" (staff verified the person, who proposed in a new
// consultation); "ANSWERED <lang> <email>" -> "HTML <file>" (the received answer's HTML part,
// checked and written to a file). Prints "N passed, M failed"; exits 1 on any failure.

import { mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { axeViolations, checker, launch } from './checks.mjs';

const [base, setupJson, outDir] = process.argv.slice(2);
if (!base || !setupJson || !outDir) {
  console.error('usage: node mail.mjs <base-url> <setup-json> <out-dir>');
  process.exit(2);
}
const setup = JSON.parse(setupJson);
mkdirSync(outDir, { recursive: true });
const browser = await launch();
const answers = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const { check, finish } = checker('mail');

async function ask(request, prefix) {
  console.log(request);
  const { value } = await answers.next();
  const line = value || '';
  check(line.startsWith(`${prefix} `), `${request}: answered ${line}`);
  return line.slice(prefix.length + 1);
}

async function look(page, name, lang) {
  await page.screenshot({ path: `${outDir}/mail-${lang}-${name}.png`, fullPage: true });
  check((await page.getAttribute('html', 'lang')) === lang, `${lang} ${name}: html lang`);
  check((await page.getAttribute('html', 'dir')) === (lang === 'ar' ? 'rtl' : 'ltr'), `${lang} ${name}: html dir`);
  for (const v of await axeViolations(page)) {
    console.log(`# ${lang} ${name}: axe ${v.impact} ${v.id}: ${v.help} (${v.targets.join(', ')})`);
    check(!['serious', 'critical'].includes(v.impact), `${lang} ${name}: axe ${v.impact} ${v.id}`);
  }
}

async function submit(page, selector = 'main form button[type=submit]') {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

const expected = {
  ar: { answer: 'قُبل مقترحك', inbox: 'رد على مقترحك', changed: 'تغيير كلمة المرور', name: 'سلمى' },
  fr: { answer: 'Votre proposition a été acceptée', inbox: 'Réponse à votre proposition', changed: 'Mot de passe changé', name: 'Salma' },
};

for (const lang of ['ar', 'fr']) {
  const locale = lang === 'ar' ? 'ar-MA' : 'fr-MA';
  const at = (rest) => `${base}/${lang}/${rest}`;
  const email = `mail-${lang}-${Date.now()}@browser.test`;
  const password = 'a long enough passphrase';

  // Registers, and is signed in at once; the verification email is on its way.
  const context = await browser.newContext({ locale, viewport: { width: 1000, height: 800 } });
  const page = await context.newPage();
  await page.goto(at('register'));
  await page.fill('#display_name', expected[lang].name);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await submit(page);
  check(page.url().endsWith(`/${lang}/account?welcome=1`), `${lang}: registered (${page.url()})`);

  // The link from the received email, opened in the browser.
  const verify = await ask(`LINK verify ${email}`, 'PATH');
  check(verify.startsWith(`/${lang}/account/contact/verify?token=`), `${lang}: the verification link (${verify})`);
  await page.goto(`${base}${verify}`);
  await look(page, 'verify-link', lang);
  await submit(page);
  check(page.url().endsWith(`/${lang}/account/contact/verified`), `${lang}: the address confirmed (${page.url()})`);

  // Consents to messages by email.
  await page.goto(at('account/contact'));
  await page.check('#messages-email');
  await submit(page, 'main form[action$="/account/contact/messages"] button[type=submit]');
  check(page.url().includes('done=messages'), `${lang}: the consent saved (${page.url()})`);
  await look(page, 'contact-consented', lang);

  // Staff answer the person's proposal on the answers desk: the inbox has it, and so does the
  // mailbox.
  const proposal = await ask(`PROPOSE ${email}`, 'PROPOSAL');
  const desk = await browser.newContext({ locale, viewport: { width: 1000, height: 800 } });
  const s = await desk.newPage();
  await s.goto(`${base}/${lang}/sign-in?next=${encodeURIComponent(`/${lang}/staff/answers/proposals/${proposal}`)}`);
  await s.fill('#identifier', setup.staff.email);
  await s.fill('#password', setup.staff.password);
  await submit(s, 'main form button[type=submit]');
  check(s.url().endsWith(`/staff/answers/proposals/${proposal}`), `${lang}: staff reach the proposal on the desk (${s.url()})`);
  await s.selectOption('#answer', 'accepted');
  await s.fill('#reasons', lang === 'ar' ? 'مدرجة في برنامج الصيف.' : 'Inscrite au programme de l’été.');
  await look(s, 'desk-answer', lang);
  await submit(s, 'main form[method=post] button[type=submit]');
  check(!(await s.isVisible('.error-summary')), `${lang}: the desk took the answer (${s.url()})`);
  await desk.close();
  const html = await ask(`ANSWERED ${lang} ${email}`, 'HTML');
  await page.goto(at('account/notifications'));
  const inbox = await page.locator('main').innerText();
  check(inbox.includes(expected[lang].inbox), `${lang}: the inbox shows the answer (${inbox})`);
  check((await page.locator('.tag-unread').count()) === 1, `${lang}: one unread message`);
  await look(page, 'inbox', lang);
  const mail = await context.newPage();
  await mail.goto(pathToFileURL(html).href);
  await mail.screenshot({ path: `${outDir}/mail-${lang}-email.png`, fullPage: true });
  check((await mail.getAttribute('html', 'dir')) === (lang === 'ar' ? 'rtl' : 'ltr'), `${lang} email: dir`);
  const body = await mail.locator('body').innerText();
  check(body.includes(expected[lang].answer), `${lang} email: the answer (${body})`);
  check(body.includes(expected[lang].name), `${lang} email: the person's name (${body})`);
  await context.close();

  // Forgotten: the reset link from the received email, a new password, signing in with it.
  const anonymous = await browser.newContext({ locale, viewport: { width: 1000, height: 800 } });
  const a = await anonymous.newPage();
  await a.goto(at('password/forgot'));
  await a.fill('#identifier', email);
  await submit(a);
  check(a.url().includes(`/${lang}/password/forgot/sent`), `${lang}: the reset asked (${a.url()})`);
  const reset = await ask(`LINK reset ${email}`, 'PATH');
  check(reset.startsWith(`/${lang}/password/reset?token=`), `${lang}: the reset link (${reset})`);
  await a.goto(`${base}${reset}`);
  await look(a, 'reset-link', lang);
  const renewed = 'une toute nouvelle phrase de passe';
  await a.fill('#new_password', renewed);
  await a.fill('#new_password_again', renewed);
  await submit(a);
  check(a.url().endsWith(`/${lang}/password/reset/done`), `${lang}: the password reset (${a.url()})`);
  await a.goto(at('sign-in'));
  await a.fill('#identifier', email);
  await a.fill('#password', password);
  await submit(a);
  check(a.url().includes('/sign-in'), `${lang}: the old password no longer signs in (${a.url()})`);
  await a.fill('#identifier', email);
  await a.fill('#password', renewed);
  await submit(a);
  check(!a.url().includes('/sign-in'), `${lang}: the new password signs in (${a.url()})`);
  await look(a, 'signed-in-after-reset', lang);
  // The inbox tells of the reset, in case it was not them.
  await a.goto(at('account/notifications'));
  const told = await a.locator('main').innerText();
  check(told.includes(expected[lang].changed), `${lang}: the inbox tells of the reset (${told})`);
  check((await a.locator('main a[href$="/account/password"]').count()) === 1, `${lang}: the notice leads to the password page`);
  await look(a, 'inbox-after-reset', lang);
  await a.goto(at('account/notifications/preferences'));
  check((await a.locator('main a[href$="/account/contact"]').count()) >= 1, `${lang}: the preferences lead to the contact page`);
  await look(a, 'preferences', lang);
  await anonymous.close();
}

await browser.close();
finish();

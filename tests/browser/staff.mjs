// The staff console in a real browser, in Arabic and French: every desk's page (the commitment
// tracker and the audit view included) screenshotted
// and checked with axe-core (no serious or critical violation) and the skip link first in the
// tab order; then, with JavaScript turned off, an account verified (an error first: the
// summary, "Error:" in the title, the CIN not kept), the day's check-in code shown on the
// venue's screen in digits and as a QR code, a registrant checked in by staff, and a comment hidden (a reason required) and
// restored; the Forum, programs and certificate names desks, a Forum contribution hidden and
// restored from the moderation queue, a certificate's name approved; a consultation's
// documents (a refused type, then a PDF attached); an instance member's proposal of a
// consultation, and the staff's page to approve or reject it.
//
// node staff.mjs <base-url> <setup-json> <screenshot-dir>
//   setup-json: {"admin": {"email", "password"}, "targets": {"ar": {"email", "id"}, "fr": …},
//                "session": "<id of a session held today>", "consultation": "<id>",
//                "comment": "<id of a visible comment on it>", "program": "<id of a program>",
//                "proposals": {"member": {"email", "password"}, "instance": "<id>",
//                              "consultation": "<id of a proposal waiting for staff>"}}
// Exits 1 when any check fails, listing every failure.

import { mkdirSync } from 'node:fs';
import { checker, launch, looker, signIn as signInAs, submit as submitForm } from './checks.mjs';

const [base, setupJson, outDir] = process.argv.slice(2);
if (!base || !setupJson || !outDir) {
  console.error('usage: node staff.mjs <base-url> <setup-json> <screenshot-dir>');
  process.exit(2);
}
const setup = JSON.parse(setupJson);
mkdirSync(outDir, { recursive: true });
const browser = await launch();
const { check, finish } = checker('staff');

const look = looker(outDir, 'staff', check);

const submit = (page, selector = 'main form[method=post] button[type=submit]') => submitForm(page, selector);

const signIn = (context, lang) => signInAs(context, base, lang, setup.admin, 'staff', check);

for (const lang of ['ar', 'fr']) {
  const locale = lang === 'ar' ? 'ar-MA' : 'fr-MA';
  const at = (rest) => `${base}/${lang}/${rest}`;
  const target = setup.targets[lang];
  const who = encodeURIComponent(target.email);

  // Every desk's page, with JavaScript (axe needs it).
  const context = await browser.newContext({ locale, viewport: { width: 1000, height: 800 } });
  const page = await signIn(context, lang);
  const tour = [
    ['home', 'staff'],
    ['accounts', `staff/accounts?q=${who}`],
    ['verify', `staff/accounts/${target.id}/verify?who=${who}`],
    ['roles', `staff/accounts/${target.id}/roles?who=${who}`],
    ['sessions', 'staff/sessions'],
    ['screen', `staff/sessions/${setup.session}/screen`],
    ['check-in', `staff/sessions/${setup.session}/check-in`],
    ['moderation', 'staff/moderation'],
    ['comments', `staff/moderation/${setup.consultation}`],
    // The commitment tracker and the audit view.
    ['commitments', 'staff/commitments'],
    ['audit', 'staff/audit'],
  ];
  for (const [name, rest] of tour) {
    const response = await page.goto(at(rest));
    check(response && response.status() === 200, `${lang} ${name}: status ${response && response.status()}`);
    await look(page, name, lang);
  }
  await context.close();

  // Without JavaScript: verify an account, an error first.
  const plain = await browser.newContext({ javaScriptEnabled: false, locale, viewport: { width: 1000, height: 800 } });
  const p = await signIn(plain, lang);
  await p.goto(at('staff/accounts'));
  await p.fill('#q', target.email);
  await submit(p, 'main form[role=search] button[type=submit]');
  await Promise.all([p.waitForNavigation(), p.click(`a[href*="/staff/accounts/${target.id}/verify"]`)]);
  check(p.url().includes(`/staff/accounts/${target.id}/verify`), `${lang}: the verify link opens the form`);
  await p.fill('#cin', 'Q9-77-XZ');
  await p.selectOption('#residence_province_code', 'laayoune');
  await submit(p);
  check(await p.isVisible('.error-summary'), `${lang}: a bad CIN shows the error summary without JavaScript`);
  check((await p.title()).startsWith(lang === 'ar' ? 'خطأ:' : 'Erreur :'), `${lang}: the title says error first`);
  check((await p.inputValue('#cin')) === '', `${lang}: the CIN is not shown back`);
  check((await p.inputValue('#residence_province_code')) === 'laayoune', `${lang}: the province is kept`);
  await look(p, 'verify-error-nojs', lang, false);
  await p.fill('#cin', target.cin);
  await submit(p);
  check(p.url().includes('done=verified'), `${lang}: verified, back to the search (${p.url()})`);
  check(!(await p.content()).includes(target.cin), `${lang}: the CIN appears nowhere after`);
  await look(p, 'verified-nojs', lang, false);

  // Without JavaScript: the venue's screen shows the day's code and its QR code.
  await p.goto(at(`staff/sessions/${setup.session}/screen`));
  await submit(p);
  const code = (await p.textContent('.screen-code') || '').trim();
  check(/^[0-9]{6}$/.test(code), `${lang}: the screen shows a six-digit code (${code})`);
  check(await p.isVisible('.screen-qr svg'), `${lang}: and its QR code`);
  const box = await p.locator('.screen-code').boundingBox();
  check(box && box.height >= 60, `${lang}: the code is in large digits (${box && box.height}px)`);
  await look(p, 'screen-code-nojs', lang, false);

  // Without JavaScript: staff check a registrant in (Arabic; French then sees them present).
  await p.goto(at(`staff/sessions/${setup.session}/check-in`));
  if (lang === 'ar') {
    await submit(p);
    check(p.url().includes('done=checked-in'), `${lang}: checked in by staff (${p.url()})`);
  }
  check((await p.locator('main form[method=post]').count()) === 0, `${lang}: the registrant is present`);
  await look(p, 'check-in-nojs', lang, false);

  // Without JavaScript: hiding a comment needs a reason; restoring brings it back (Arabic
  // hides, French restores, so each language leaves it as the next expects).
  await p.goto(at(`staff/moderation/${setup.consultation}`));
  const reason = `#reason-${setup.comment}`;
  const form = (action) => `main form[action$="/comments/${setup.comment}/${action}"] button[type=submit]`;
  if (lang === 'ar') {
    await submit(p, form('hide'));
    check(await p.isVisible('.error-summary'), `${lang}: hiding without a reason shows the error summary`);
    check(await p.isVisible(`${reason}-error`), `${lang}: and the message beside the reason`);
    await look(p, 'hide-error-nojs', lang, false);
    await p.fill(reason, 'إساءة لشخص');
    await submit(p, form('hide'));
    check(p.url().includes('done=hidden'), `${lang}: hidden (${p.url()})`);
    check(await p.isVisible(form('restore')), `${lang}: the hidden comment can be restored`);
    await look(p, 'hidden-nojs', lang, false);
  } else {
    await submit(p, form('restore'));
    check(p.url().includes('done=restored'), `${lang}: restored (${p.url()})`);
    await submit(p, form('hide'));
    await p.fill(reason, 'Propos injurieux');
    await submit(p, form('hide'));
    check(p.url().includes('done=hidden'), `${lang}: hidden again (${p.url()})`);
  }
  // Scheduling, editing and cancelling sessions: the three forms with axe; then, without
  // JavaScript, a schedule form sent empty shows its refusals beside the fields.
  {
    const forms = await browser.newContext({ locale, viewport: { width: 1000, height: 800 } });
    const f = await signIn(forms, lang);
    for (const [name, rest] of [
      ['session-new', 'staff/sessions/new'],
      ['session-edit', `staff/sessions/${setup.session}/edit`],
      ['session-cancel', `staff/sessions/${setup.session}/cancel`],
    ]) {
      const response = await f.goto(at(rest));
      check(response && response.status() === 200, `${lang} ${name}: status ${response && response.status()}`);
      await look(f, name, lang);
    }
    check((await f.locator('#reason').count()) === 1, `${lang}: the cancel confirmation asks for the reason`);
    await forms.close();
    await p.goto(at('staff/sessions/new'));
    await p.fill('#day0_date', '2020-01-01');
    await p.fill('#day0_start', '10:00');
    await p.fill('#day0_end', '09:00');
    await submit(p);
    check(await p.isVisible('.error-summary'), `${lang}: an empty schedule form shows the error summary`);
    check(await p.isVisible('#day0_end-error'), `${lang}: and the day's end beside its field`);
    await look(p, 'session-new-error-nojs', lang, false);
  }
  // The petitions desk: the list and a collecting petition's page (axe, with JavaScript),
  // then, without JavaScript, a paper signature without its signer refused beside the field.
  const desk = await browser.newContext({ locale, viewport: { width: 1000, height: 800 } });
  const d = await signIn(desk, lang);
  for (const [name, rest] of [['petitions', 'staff/petitions?state=collecting'], ['petition', `staff/petitions/${setup.petition}`]]) {
    const response = await d.goto(at(rest));
    check(response && response.status() === 200, `${lang} ${name}: status ${response && response.status()}`);
    await look(d, name, lang);
  }
  check((await d.locator(`a[href$="/staff/petitions"][aria-current=page]`).count()) === 1, `${lang}: the petitions desk is current`);
  await desk.close();
  await p.goto(at(`staff/petitions/${setup.petition}`));
  await submit(p, 'main form[action$="/paper"] button[type=submit]');
  check(await p.isVisible('.error-summary'), `${lang}: a paper signature without its signer shows the error summary`);
  check(await p.isVisible('#who-error'), `${lang}: and the message beside the signer's field`);
  check((await p.title()).startsWith(lang === 'ar' ? 'خطأ:' : 'Erreur :'), `${lang}: the paper form's title says error first`);
  await look(p, 'paper-error-nojs', lang, false);

  // News and plain-language pages: the desk, its form and the public pages it feeds, with
  // axe; then, without JavaScript, a news item refused for its address, written and published.
  {
    const news = await browser.newContext({ locale, viewport: { width: 1000, height: 800 } });
    const n = await signIn(news, lang);
    for (const [name, rest] of [
      ['news', 'staff/news'],
      ['news-new', 'staff/news/new'],
      ['news-edit', `staff/news/${setup.news.news.id}`],
      ['public-news', 'news'],
      ['public-article', `news/${setup.news.news.slug}`],
      ['public-page', `pages/${setup.news.page.slug}`],
    ]) {
      const response = await n.goto(at(rest));
      check(response && response.status() === 200, `${lang} ${name}: status ${response && response.status()}`);
      await look(n, name, lang);
    }
    await news.close();
    await p.goto(at('staff/news/new'));
    await p.fill('#slug', 'Pas Bon');
    await p.fill('#fr_title', 'Titre');
    await p.fill('#fr_body', 'Texte');
    await submit(p);
    check(await p.isVisible('.error-summary'), `${lang}: a bad address shows the error summary without JavaScript`);
    check(await p.isVisible('#slug-error'), `${lang}: and the message beside the address`);
    check((await p.inputValue('#fr_title')) === 'Titre', `${lang}: the title is kept`);
    await look(p, 'news-error-nojs', lang, false);
    const slug = `browser-${lang}-${setup.news.suffix}`;
    await p.fill('#slug', slug);
    await p.fill('#ar_title', 'خبر من المتصفح');
    await p.fill('#ar_body', 'نص <script>alert(1)</script>');
    await submit(p);
    check(p.url().includes('done=created'), `${lang}: written (${p.url()})`);
    await submit(p, `main form[action$="/publish"] button[type=submit]`);
    check(p.url().includes('done=published'), `${lang}: published (${p.url()})`);
    await look(p, 'news-published-nojs', lang, false);
    await p.goto(`${base}/ar/news/${slug}`);
    check((await p.textContent('main .prose')).includes('<script>alert(1)</script>'), `${lang}: the body's markup is shown as text`);
  }
  // Answers and follow-up: the desk, a proposal's page and an opinion's recommendation with
  // axe; then, without JavaScript, a proposal's answer without reasons refused beside the field.
  {
    const answers = await browser.newContext({ locale, viewport: { width: 1000, height: 800 } });
    const a = await signIn(answers, lang);
    const { proposal, opinion, recommendation, edition, forum_recommendation } = setup.answers;
    for (const [name, rest] of [
      ['answers', 'staff/answers'],
      ['answers-proposal', `staff/answers/proposals/${proposal}`],
      ['answers-opinion', `staff/answers/opinions/${opinion}`],
      ['answers-recommendation', `staff/answers/opinions/${opinion}/recommendations/${recommendation}`],
      ['answers-forum', `staff/answers/forum/${edition}`],
      ['answers-forum-recommendation', `staff/answers/forum/${edition}/recommendations/${forum_recommendation}`],
    ]) {
      const response = await a.goto(at(rest));
      check(response && response.status() === 200, `${lang} ${name}: status ${response && response.status()}`);
      await look(a, name, lang);
    }
    check((await a.locator(`a[href$="/staff/answers"][aria-current=page]`).count()) === 1, `${lang}: the answers desk is current`);
    await answers.close();
    await p.goto(at(`staff/answers/proposals/${proposal}`));
    await p.selectOption('#answer', 'evaluating');
    await submit(p);
    check(await p.isVisible('.error-summary'), `${lang}: an answer without reasons shows the error summary`);
    check(await p.isVisible('#reasons-error'), `${lang}: and the message beside the reasons`);
    check((await p.title()).startsWith(lang === 'ar' ? 'خطأ:' : 'Erreur :'), `${lang}: the answer form's title says error first`);
    await look(p, 'answers-error-nojs', lang, false);
  }

  // Consultations: the list, the new consultation's form and an open consultation's desk page,
  // with axe.
  {
    const consult = await browser.newContext({ locale, viewport: { width: 1000, height: 800 } });
    const c = await signIn(consult, lang);
    for (const [name, rest] of [
      ['consultations', 'staff/consultations?state=all'],
      ['consultation-new', 'staff/consultations/new'],
      ['consultation-desk', `staff/consultations/${setup.consultation}`],
    ]) {
      const response = await c.goto(at(rest));
      check(response && response.status() === 200, `${lang} ${name}: status ${response && response.status()}`);
      await look(c, name, lang);
    }
    await consult.close();
  }
  // Imports: the desk and a file with bad rows (every bad row listed) with axe; then, without
  // JavaScript, a good file of associations checked and imported, a progress line per batch.
  {
    const imports = await browser.newContext({ locale, viewport: { width: 1000, height: 800 } });
    const i = await signIn(imports, lang);
    const response = await i.goto(at('staff/imports'));
    check(response && response.status() === 200, `${lang} imports: status ${response && response.status()}`);
    await look(i, 'imports', lang);
    check((await i.locator(`a[href$="/staff/imports"][aria-current=page]`).count()) === 1, `${lang}: the imports desk is current`);
    const header = 'registration_number,name_ar,name_fr,founded_on,province_code,fields_of_activity\n';
    const bad = `${header},جمعية,,2099-01-01,casablanca,Pas Un Mot\nBR-DUP,جمعية,Association,2010-01-01,laayoune,youth\nBR-DUP,جمعية,Association,2010-01-01,laayoune,youth\n`;
    await i.setInputFiles('#file-associations', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await submit(i, 'main form[action$="/associations/check"] button[type=submit]');
    check((await i.locator('table.import-problems tbody tr').count()) === 6, `${lang}: every bad row is listed`);
    check((await i.title()).startsWith(lang === 'ar' ? 'خطأ:' : 'Erreur :'), `${lang}: a file with bad rows says error first`);
    await look(i, 'imports-problems', lang);
    await imports.close();

    const number = `BR-${lang}-${setup.news.suffix}`;
    const good = `${header}${number},جمعية المتصفح,Association du navigateur,2010-05-05,laayoune,youth;culture\n`;
    await p.goto(at('staff/imports'));
    await p.setInputFiles('#file-associations', { name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await submit(p, 'main form[action$="/associations/check"] button[type=submit]');
    check(await p.isVisible('main form[action$="/associations/run"]'), `${lang}: a good file offers the import`);
    await look(p, 'imports-check-nojs', lang, false);
    await submit(p, 'main form[action$="/associations/run"] button[type=submit]');
    check((await p.locator('main progress').count()) === 1, `${lang}: a progress line for the one batch`);
    check((await p.locator('main [role=status]').count()) === 1, `${lang}: the import's end is announced`);
    await look(p, 'imports-done', lang, false);

    // Sessions held before the platform: checked and imported without JavaScript, then shown
    // held and recorded after the fact, with how many attended, in the list and on their page
    // (with axe).
    const day = new Date(Date.now() - (lang === 'ar' ? 40 : 41) * 86400000).toISOString().slice(0, 10);
    const sessions = 'program_id,title_ar,title_fr,kind,province_code,address,days,start,end,attended_count\n'
      + `${setup.program},لقاء جهوي سابق,Rencontre régionale passée,regional_meeting,laayoune,Siège du Conseil régional,${day},09:00,13:00,64\n`;
    await p.goto(at('staff/imports'));
    await p.setInputFiles('#file-sessions', { name: 'sessions.csv', mimeType: 'text/csv', buffer: Buffer.from(sessions) });
    await submit(p, 'main form[action$="/sessions/check"] button[type=submit]');
    check(await p.isVisible('main form[action$="/sessions/run"]'), `${lang}: a good file of sessions offers the import`);
    await submit(p, 'main form[action$="/sessions/run"] button[type=submit]');
    check((await p.locator('main [role=status]').count()) === 1, `${lang}: the sessions' import is announced`);
    await look(p, 'imports-sessions-done', lang, false);
    const tagged = lang === 'ar' ? 'سُجّل لاحقا' : 'Enregistré après coup';
    const shown = await browser.newContext({ locale, viewport: { width: 1000, height: 800 } });
    const s = await signIn(shown, lang);
    await s.goto(at('staff/sessions'));
    const card = s.locator('li.card', { hasText: tagged }).first();
    check((await card.count()) === 1, `${lang}: the imported session is tagged in the list`);
    await card.scrollIntoViewIfNeeded();
    await look(s, 'sessions-imported', lang);
    await Promise.all([s.waitForNavigation(), card.locator('h2 a').click()]);
    check((await s.locator('main .tag', { hasText: tagged }).count()) === 1, `${lang}: the session's page says recorded after the fact`);
    check((await s.locator('main a[href$="/register"]').count()) === 0, `${lang}: an imported session takes no registration`);
    await look(s, 'session-imported', lang);
    await shown.close();
  }
  // The Forum, programs and certificate names desks, and the moderation queue's Forum
  // contributions: the pages with axe; then, without JavaScript, a contribution hidden (a
  // reason required) and restored, and a name approved (a name required).
  {
    const { edition, workshop, contribution, certificate } = setup.desks;
    const desks = await browser.newContext({ locale, viewport: { width: 1000, height: 800 } });
    const k = await signIn(desks, lang);
    for (const [name, rest] of [
      ['forum', 'staff/forum'],
      ['forum-new', 'staff/forum/new'],
      ['forum-edition', `staff/forum/${edition}`],
      ['forum-workshop', `staff/forum/${edition}/workshops/${workshop}`],
      ['programs', 'staff/programs'],
      ['program-new', 'staff/programs/new'],
      ['certificate-names', 'staff/certificate-names'],
      ['moderation-queue', 'staff/moderation'],
    ]) {
      const response = await k.goto(at(rest));
      check(response && response.status() === 200, `${lang} ${name}: status ${response && response.status()}`);
      await look(k, name, lang);
      if (name === 'forum-edition') {
        check((await k.locator(`a[href$="/staff/answers/forum/${edition}"]`).count()) === 1, `${lang}: the edition links to its answers`);
      }
    }
    await desks.close();
    const reason = `#reason-${contribution}`;
    const form = (action) => `main form[action$="/contributions/${contribution}/${action}"] button[type=submit]`;
    await p.goto(at('staff/moderation'));
    if (lang === 'ar') {
      await submit(p, form('hide'));
      check(await p.isVisible('.error-summary'), `${lang}: hiding a contribution without a reason shows the error summary`);
      check(await p.isVisible(`${reason}-error`), `${lang}: and the message beside its reason`);
      await look(p, 'contribution-error-nojs', lang, false);
      await p.fill(reason, 'إشهار تجاري');
      await submit(p, form('hide'));
      check(p.url().includes('done=hidden'), `${lang}: the contribution hidden (${p.url()})`);
      check(await p.isVisible(form('restore')), `${lang}: the hidden contribution can be restored`);
      await look(p, 'contribution-hidden-nojs', lang, false);
    } else {
      await submit(p, form('restore'));
      check(p.url().includes('done=restored'), `${lang}: the contribution restored (${p.url()})`);
      // Restored, its reports are cleared: it leaves the queue.
      check((await p.locator(reason).count()) === 0, `${lang}: the restored contribution leaves the queue`);
      await look(p, 'contribution-restored-nojs', lang, false);
    }
    const name = `#name-${certificate}`;
    const approve = `main form[action$="/certificate-names/${certificate}/approve"] button[type=submit]`;
    await p.goto(at('staff/certificate-names'));
    await p.fill(name, '');
    await submit(p, approve);
    check(await p.isVisible('.error-summary'), `${lang}: approving an empty name shows the error summary`);
    check(await p.isVisible(`${name}-error`), `${lang}: and the message beside the name`);
    await look(p, 'certificate-name-error-nojs', lang, false);
    if (lang === 'fr') {
      await p.fill(name, 'Salma El Ouali Idrissi');
      await submit(p, approve);
      check(p.url().includes('done=approved'), `${lang}: the name approved (${p.url()})`);
      await look(p, 'certificate-name-approved-nojs', lang, false);
    }
  }
  // Documents: the consultation's documents page with axe, a file of a refused type said
  // beside the field (axe on the error too); then, without JavaScript, a PDF attached and
  // listed with its download link.
  {
    const docs = await browser.newContext({ locale, viewport: { width: 1000, height: 800 } });
    const o = await signIn(docs, lang);
    const documents = at(`staff/documents/consultation/${setup.consultation}`);
    const upload = 'main form[enctype="multipart/form-data"] button[type=submit]';
    const response = await o.goto(documents);
    check(response && response.status() === 200, `${lang} documents: status ${response && response.status()}`);
    await look(o, 'documents', lang);
    check((await o.locator(`a[href$="/staff/consultations"][aria-current=page]`).count()) === 1, `${lang}: the documents page is the consultations desk's`);
    await o.setInputFiles('#file', { name: 'programme.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ\x90\0 not a PDF at all') });
    await submit(o, upload);
    check(await o.isVisible('.error-summary'), `${lang}: a refused type shows the error summary`);
    check(await o.isVisible('#file-error'), `${lang}: and the message beside the file field`);
    check((await o.getAttribute('#file', 'aria-describedby')) === 'file-hint file-error', `${lang}: the file field is described by its hint then its error`);
    check((await o.title()).startsWith(lang === 'ar' ? 'خطأ:' : 'Erreur :'), `${lang}: a refused file says error first`);
    await look(o, 'documents-refused', lang);
    await docs.close();
    await p.goto(documents);
    const name = `programme-${lang}.pdf`;
    await p.setInputFiles('#file', { name, mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n% programme\n%%EOF\n') });
    await submit(p, upload);
    check(p.url().includes('done=added'), `${lang}: the document attached (${p.url()})`);
    check((await p.locator('main a[download]', { hasText: name }).count()) === 1, `${lang}: and listed with its download link`);
    await look(p, 'documents-added-nojs', lang, false);
  }
  // An instance's proposal: the member's instances page and form with axe, then, without
  // JavaScript, the form sent without its French title (refused beside the field) and sent
  // whole; the staff's list of proposals and a proposal's page with its approval and
  // rejection, with axe.
  {
    const members = await browser.newContext({ locale, viewport: { width: 1000, height: 800 } });
    const m = await signInAs(members, base, lang, setup.proposals.member, 'account/instances', check);
    await look(m, 'member-instances', lang);
    const propose = `account/instances/${setup.proposals.instance}/propose`;
    const response = await m.goto(at(propose));
    check(response && response.status() === 200, `${lang} propose: status ${response && response.status()}`);
    await look(m, 'member-propose', lang);
    await members.close();
    const plainMember = await browser.newContext({ javaScriptEnabled: false, locale, viewport: { width: 1000, height: 800 } });
    const n = await signInAs(plainMember, base, lang, setup.proposals.member, propose, check);
    const title = lang === 'ar' ? 'ملاعب القرب' : 'Les terrains de proximité';
    await n.fill('#title_ar', title);
    await n.fill('#body_ar', 'ما رأيكم؟');
    await n.fill('#body_fr', 'Qu’en pensez-vous ?');
    await submit(n);
    check(await n.isVisible('.error-summary'), `${lang}: a proposal without its French title shows the error summary`);
    check(await n.isVisible('#title_fr-error'), `${lang}: and the message beside the French title`);
    check((await n.inputValue('#title_ar')) === title, `${lang}: the Arabic title is kept`);
    await look(n, 'member-propose-error-nojs', lang, false);
    await n.fill('#title_fr', `${title} (fr)`);
    await submit(n);
    check(n.url().includes('/account/instances?proposed=1'), `${lang}: the proposal sent (${n.url()})`);
    check((await n.locator('main li.card', { hasText: title }).count()) === 1, `${lang}: and listed for the member`);
    await look(n, 'member-proposed-nojs', lang, false);
    await plainMember.close();

    const staffDesk = await browser.newContext({ locale, viewport: { width: 1000, height: 800 } });
    const t = await signIn(staffDesk, lang);
    for (const [name, rest] of [
      ['consultations-proposed', 'staff/consultations?state=proposed'],
      ['consultation-proposed', `staff/consultations/${setup.proposals.consultation}`],
    ]) {
      const answer = await t.goto(at(rest));
      check(answer && answer.status() === 200, `${lang} ${name}: status ${answer && answer.status()}`);
      await look(t, name, lang);
    }
    check((await t.locator('main form[action$="/approve"]').count()) === 1, `${lang}: a proposal can be approved`);
    check((await t.locator('main form[action$="/reject"] #reason').count()) === 1, `${lang}: or rejected with a reason`);
    await staffDesk.close();
  }
  await plain.close();
}

await browser.close();
finish();

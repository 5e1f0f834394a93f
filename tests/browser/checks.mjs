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

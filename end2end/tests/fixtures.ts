import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, Page } from '@playwright/test';

/** Every test fails on any error the page reports: an uncaught exception, a console error
 *  (a CSP violation, a failed hydration, a 5xx from a server function). */
export const test = base.extend<{ pageErrors: string[]; allowedConsoleErrors: RegExp[] }>({
  // A test that expects an error (the browser logs a 404 document as one) lists it here.
  allowedConsoleErrors: [[], { option: true }],
  pageErrors: [
    async ({ page, allowedConsoleErrors }, use) => {
      const errors: string[] = [];
      // Every document's address, status and policy, so that a CSP report says which
      // response it came from.
      const documents: string[] = [];
      page.on('response', (r) => {
        if (r.request().resourceType() !== 'document') return;
        const csp = r.headers()['content-security-policy'] ?? '(none)';
        documents.push(`${r.status()} ${r.url()} csp: ${csp.slice(0, 60)}`);
      });
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() !== 'error') return;
        if (allowedConsoleErrors.some((re) => re.test(m.text()))) return;
        const where = m.text().includes('Content Security Policy') ? ` [documents: ${documents.join(' | ')}]` : '';
        errors.push(`console: ${m.text()}${where}`);
      });
      await use(errors);
      expect(errors, 'errors in the browser').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** With JavaScript on, wait until the WASM has hydrated the page. A cold visit to a
 *  coordinators' page in the debug build fetches and compiles the app's WASM and its lazy
 *  area (several MB unoptimised): on a busy 2-core CI machine that once took over the
 *  default 10 s, so this wait allows 30 s (a wait, not a measure: sizes are the budget
 *  spec's, on the release build). */
export async function ready(page: Page, javaScriptEnabled: boolean) {
  if (javaScriptEnabled) {
    await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 });
  }
}

/** The server's database and binary, exported by scripts/test for tests that act as an
 *  operator would (importing an edited catalogue) while a learner has a page open. */
export function operator() {
  const bin = process.env.E2E_TOHU_BIN;
  const db = process.env.E2E_DATABASE_URL;
  if (!bin || !db) throw new Error('E2E_TOHU_BIN and E2E_DATABASE_URL are set by scripts/test');
  return { bin, db };
}

/** Fills the registration form's learner fields with `who` (an intake already chosen),
 *  agreeing to the privacy statement. */
export async function fillLearner(page: Page, who: { given: string; family: string; email: string; region: string }) {
  await page.getByLabel('Given name').fill(who.given);
  await page.getByLabel('Family name').fill(who.family);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Phone').fill('021 123 4567');
  await page.getByLabel('Region').selectOption(who.region);
  await page.getByLabel('Date of birth (YYYY-MM-DD)').fill('1990-04-23');
  await page.getByLabel('I agree to the privacy statement').check();
}

/** On a phone the facets sit behind the "Filters" disclosure: open it if it is shown and
 *  closed (on a wide screen the facets are always shown and this does nothing). */
export async function openFilters(page: Page) {
  const toggle = page.locator('summary.filters-toggle');
  if (!(await toggle.isVisible())) return;
  const details = page.locator('details.filters');
  // A page still settling (hydrating after a back navigation) may render the panel closed
  // again right after a click: retry until it stays open.
  await expect(async () => {
    if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await toggle.click();
    expect(await details.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
  }).toPass({ timeout: 10_000 });
}

/** The WCAG tags every axe check here runs. */
export const axeTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/** With JavaScript at 1280 px: axe finds nothing. At 360 px: nothing overflows sideways
 *  (a mobile browser widens its layout viewport to fit content that overflows, so the
 *  window must still be 360 px wide, and nothing wider than it), and nothing sticks out
 *  of the page's column into its margin (`outsideColumn`). */
export async function checkPage(page: Page, project: string) {
  if (project === 'js') {
    const results = await new AxeBuilder({ page }).withTags(axeTags).analyze();
    expect(results.violations).toEqual([]);
  }
  if (project === 'mobile-360') {
    const [inner, scroll] = await page.evaluate(() => [window.innerWidth, document.documentElement.scrollWidth]);
    expect([inner, scroll], 'the page fits 360 px (tables scroll inside their region)').toEqual([360, 360]);
    expect(await outsideColumn(page), 'elements past the edge of the page\'s column').toEqual([]);
  }
}

/** Elements under <main> that stick out of its content box sideways, outside any region
 *  that scrolls or clips on its own (a table's). The window's width does not catch them
 *  while they stay within main's padding: the sort box once ended 9 px past the cards'
 *  edge on a phone, over the panel's border. */
export async function outsideColumn(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const main = document.querySelector('main')!;
    const style = getComputedStyle(main);
    const box = main.getBoundingClientRect();
    const left = box.left + parseFloat(style.paddingLeft) - 0.5;
    const right = box.right - parseFloat(style.paddingRight) + 0.5;
    const out: string[] = [];
    for (const el of main.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width <= 1 || r.height <= 1) continue;
      let up = el.parentElement;
      while (up && up !== main && getComputedStyle(up).overflowX === 'visible') up = up.parentElement;
      if (up !== main) continue;
      if (r.left < left || r.right > right) {
        out.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} from ${Math.round(r.left)} to ${Math.round(r.right)} px`);
      }
    }
    return out;
  });
}

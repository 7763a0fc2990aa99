import { Locator, Page } from '@playwright/test';
import { test, expect, ready } from './fixtures';

// The learner's way through the site, search → credential → form → confirmation, and Back
// and Forward over it, happen in the one document the learner first loaded (issue 28):
// the islands router (src/ui/islands_routing.js) fetches each next learner's page and puts
// it into the page shown, and the form registers through the `register` server function.
// Every step must still be what a page load of its address would be, for each kind of
// visitor: the same address and head for a search engine or a shared link (title,
// description, canonical, robots, Open Graph, JSON-LD), a new page at its top with focus
// on its heading for a screen reader or keyboard user, and Back where the learner left
// the page. Without JavaScript every step is a page load, which the other specs cover.

type Marked = { tohuMarker?: string };

// Credentials whose intakes other specs fill, close or register at (refusals, registration,
// live, dashboard, group): the registration here must find room at the first intake listed.
const BUSY = new Set([
  'carry-out-a-conservation-activity',
  'assess-and-manage-risks-to-freshwater-from-horticultural-production',
  'commercial-road-transport-driver-safety',
  'demonstrate-basic-chainsaw-operation',
]);

/** What a page's head says about it. `html` null: the document shown; otherwise a cold
 *  load's HTML, parsed as the browser would. Runs in the page. Every tag of a kind is
 *  listed, so a second description or canonical left beside the new one shows. */
function headOf(html: string | null) {
  const doc = html === null ? document : new DOMParser().parseFromString(html, 'text/html');
  const all = (selector: string, attribute: string) =>
    [...doc.head.querySelectorAll(selector)].map((el) => el.getAttribute(attribute));
  return {
    title: doc.title,
    description: all('meta[name="description"]', 'content'),
    canonical: all('link[rel="canonical"]', 'href'),
    robots: all('meta[name="robots"]', 'content'),
    openGraph: [...doc.head.querySelectorAll('meta[property^="og:"]')]
      .map((m) => `${m.getAttribute('property')}=${m.getAttribute('content')}`)
      .sort(),
    jsonLd: [...doc.querySelectorAll('script[type="application/ld+json"]')].map((s) => s.textContent),
  };
}

/** The page shown has the address and head a cold load of that address has. */
async function expectAsLoaded(page: Page, url: string | RegExp, step: string) {
  await expect(page, step).toHaveURL(url);
  const address = page.url();
  const html = await (await page.request.get(address)).text();
  const cold = await page.evaluate(headOf, html);
  expect(cold.title, `${step}: a cold load of ${address} has a title`).not.toBe('');
  await expect.poll(() => page.evaluate(headOf, null), `${step}: the head shown for ${address}`).toEqual(cold);
}

const scrollY = (page: Page) => page.evaluate(() => window.scrollY);

/** Clicks `target` and gives the page's scroll position at the moment of the click: the
 *  position Back must restore. (Playwright may scroll before it clicks, for instance while
 *  the previous page's view transition still covers the page.) */
async function clickAt(page: Page, target: Locator): Promise<number> {
  await page.evaluate(() =>
    addEventListener('click', () => ((window as unknown as { clickedAt: number }).clickedAt = window.scrollY), { capture: true, once: true }),
  );
  await target.click();
  return page.evaluate(() => (window as unknown as { clickedAt: number }).clickedAt);
}

/** A page reached by a link or a submit (a push) starts at its top, with focus on its
 *  <h1>, as a page load would put a screen reader there. */
async function expectNewPage(page: Page, step: string) {
  await expect(page.locator('main h1'), `${step}: focus on the page's heading`).toBeFocused();
  await expect.poll(() => scrollY(page), `${step}: at the top`).toBe(0);
}

/** A page Back or Forward reached is where the learner left it. */
async function expectScrolledTo(page: Page, y: number, step: string) {
  await expect.poll(async () => Math.abs((await scrollY(page)) - y), `${step}: scrolled to ${y} px`).toBeLessThanOrEqual(3);
}

test('search, credential, form and confirmation, then Back three times and Forward, in one document', async ({ page, javaScriptEnabled }, info) => {
  test.skip(!javaScriptEnabled, 'the router needs JavaScript; without it each step is a page load');
  await page.goto('/');
  await ready(page, true);
  // A page load would drop this marker; the router keeps the document.
  await page.evaluate(() => ((window as unknown as Marked).tohuMarker = 'set on /'));
  const documents: string[] = [];
  page.on('request', (r) => {
    if (r.isNavigationRequest()) documents.push(`${r.method()} ${r.url()}`);
  });
  await expectAsLoaded(page, /\/$/, 'the search');

  // A card below the first screenful (so the search page is left scrolled), whose
  // credential takes registrations.
  const results = page.getByRole('region', { name: 'Results' });
  const cards = await results.locator('ul.cards h3 a').evaluateAll((links) =>
    links.map((a) => ({ href: a.getAttribute('href') ?? '', top: a.getBoundingClientRect().top + window.scrollY })),
  );
  const screen = await page.evaluate(() => window.innerHeight);
  let chosen: { href: string; top: number } | undefined;
  for (const card of cards) {
    if (card.top < screen || BUSY.has(card.href.split('/').pop() ?? '')) continue;
    const form = await (await page.request.get(`${card.href}/register`)).text();
    if (/<input\b[^>]*\bname="intake"/.test(form)) {
      chosen = card;
      break;
    }
  }
  if (!chosen) throw new Error('no card below the first screenful whose credential is open for enrolment');
  await page.evaluate((top) => window.scrollTo(0, top - window.innerHeight / 2), chosen.top);
  const searchY = await clickAt(page, results.locator(`ul.cards h3 a[href="${chosen.href}"]`));
  expect(searchY, 'the search page scrolled down').toBeGreaterThan(100);

  const credential = new URL(chosen.href, page.url()).href;
  await expect(page).toHaveURL(credential);
  const register = page.getByRole('link', { name: 'Register for an intake' });
  await expect(register).toBeVisible();
  await ready(page, true);
  await expectNewPage(page, 'the credential');
  await expectAsLoaded(page, credential, 'the credential');

  await register.scrollIntoViewIfNeeded();
  const credentialY = await clickAt(page, register);
  await expect(page.getByRole('heading', { level: 1, name: /^Register for / })).toBeVisible();
  await ready(page, true);
  await expectNewPage(page, 'the form');
  await expectAsLoaded(page, `${credential}/register`, 'the form');

  await page.getByRole('radio').first().check();
  await page.getByLabel('Given name').fill('Aroha');
  await page.getByLabel('Family name').fill('Te Rangi');
  await page.getByLabel('Email').fill(`nav-${info.project.name}-${Date.now()}@example.co.nz`);
  await page.getByLabel('Phone').fill('021 555 0199');
  await page.getByLabel('Region').selectOption('Northland');
  await page.getByLabel('Date of birth (YYYY-MM-DD)').fill('1995-03-14');
  await page.getByLabel('I agree to the privacy statement').check();
  const submit = page.getByRole('button', { name: 'Register' });
  await submit.scrollIntoViewIfNeeded();
  // The form registers through the server function, then shows the confirmation.
  const call = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/registration/register');
  const formY = await clickAt(page, submit);
  expect((await call).status(), 'the register server function\'s answer').toBe(200);
  await expect(page.getByRole('heading', { level: 1, name: /^You're (registered|on the waitlist)$/ })).toBeVisible();
  await ready(page, true);
  await expectNewPage(page, 'the confirmation');
  await expectAsLoaded(page, /\/registrations\/TOHU-[2-9A-HJKMNP-TV-Z]{6}\?token=/, 'the confirmation');

  // Back to each page where it was left, its head that of its address again.
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: /^Register for / })).toBeVisible();
  await ready(page, true);
  await expectAsLoaded(page, `${credential}/register`, 'Back to the form');
  await expectScrolledTo(page, formY, 'Back to the form');

  await page.goBack();
  await expect(page.getByRole('link', { name: 'Register for an intake' })).toBeVisible();
  await ready(page, true);
  await expectAsLoaded(page, credential, 'Back to the credential');
  await expectScrolledTo(page, credentialY, 'Back to the credential');

  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: 'Find a micro-credential' })).toBeVisible();
  await ready(page, true);
  await expectAsLoaded(page, /\/$/, 'Back to the search');
  await expectScrolledTo(page, searchY, 'Back to the search');
  await expect(results.locator(`ul.cards h3 a[href="${chosen.href}"]`)).toBeInViewport();

  await page.goForward();
  await expect(page.getByRole('link', { name: 'Register for an intake' })).toBeVisible();
  await ready(page, true);
  await expectAsLoaded(page, credential, 'Forward to the credential');
  await expectScrolledTo(page, credentialY, 'Forward to the credential');

  // All of it in the document loaded at `/`.
  expect(documents, 'documents requested after the first').toEqual([]);
  const end = await page.evaluate(() => {
    const loads = performance.getEntriesByType('navigation');
    return {
      marker: (window as unknown as Marked).tohuMarker,
      loads: loads.length,
      loaded: new URL(loads[0].name).pathname,
    };
  });
  expect(end).toEqual({ marker: 'set on /', loads: 1, loaded: '/' });
});

// The sign-in page and the coordinators' pages are not learner's pages: the router hands a
// link to them to the browser, which loads the document, and the page hydrates the app.
test('links to the sign-in and coordinators\' pages load them, and they hydrate', async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'the router needs JavaScript');
  const marked = () =>
    page.evaluate(() => ({
      marker: (window as unknown as Marked).tohuMarker ?? null,
      loaded: new URL(performance.getEntriesByType('navigation')[0].name).pathname,
    }));

  await page.goto('/');
  await ready(page, true);
  await page.evaluate(() => ((window as unknown as Marked).tohuMarker = 'set on /'));
  await page.getByRole('link', { name: 'Training coordinators: sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await ready(page, true);
  expect(await marked(), 'the sign-in page is a document of its own').toEqual({ marker: null, loaded: '/sign-in' });

  // From a credential reached by the router, the group form (the coordinators' area).
  await page.goto('/?q=chainsaw');
  await ready(page, true);
  await page.evaluate(() => ((window as unknown as Marked).tohuMarker = 'set on the search'));
  await page.getByRole('region', { name: 'Results' }).getByRole('link', { name: 'Chainsaw use', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Chainsaw use' })).toBeVisible();
  await ready(page, true);
  expect(await marked(), 'the credential came by the router').toEqual({ marker: 'set on the search', loaded: '/' });
  await page.getByRole('link', { name: 'register a group' }).click();
  // Signed out, the coordinators' area sends the visitor to sign in: a document of its own.
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await ready(page, true);
  expect(await marked(), 'the group page is a document of its own').toEqual({ marker: null, loaded: '/sign-in' });
});

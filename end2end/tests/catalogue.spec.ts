import AxeBuilder from '@axe-core/playwright';
import { test, expect, ready, openFilters, outsideColumn, axeTags } from './fixtures';

test('search, filter by sector, open a credential and go back', async ({ page, javaScriptEnabled }) => {
  await page.goto('/');
  await ready(page, javaScriptEnabled);
  await expect(page.getByRole('heading', { level: 1, name: 'Find a micro-credential' })).toBeVisible();

  const search = page.getByLabel('Search micro-credentials');
  await search.fill('chainsaw');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/[?&]q=chainsaw/);
  const results = page.getByRole('region', { name: 'Results' });
  await expect(results.getByRole('link', { name: 'Chainsaw use', exact: true })).toBeVisible();
  await expect(results.getByRole('link', { name: 'Demonstrate basic chainsaw operation' })).toBeVisible();

  // No chainsaw credential is in Manufacturing: its count is 0 and it cannot be ticked,
  // but it stays in place.
  await openFilters(page);
  await expect(page.getByRole('checkbox', { name: 'Manufacturing (0)' })).toBeDisabled();
  await page.getByRole('checkbox', { name: 'Forestry' }).check();
  if (!javaScriptEnabled) await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/sector=forestry/);
  await expect(page).not.toHaveURL(/sector=manufacturing/);
  await expect(results.getByRole('link', { name: 'Chainsaw use', exact: true })).toBeVisible();

  await results.getByRole('link', { name: 'Chainsaw use', exact: true }).click();
  await expect(page).toHaveURL(/\/credentials\/chainsaw-use$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Chainsaw use' })).toBeVisible();
  const standards = page.getByRole('table');
  await expect(standards.getByRole('rowheader', { name: '23411' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Intakes' })).toBeVisible();
  await expect(page.getByText(/Scheme ended 31 December 2022/)).toBeVisible();

  await page.goBack();
  await expect(page).toHaveURL(/q=chainsaw/);
  await expect(page.getByLabel('Search micro-credentials')).toHaveValue('chainsaw');
  await openFilters(page);
  await expect(page.getByRole('checkbox', { name: 'Forestry' })).toBeChecked();
  await expect(results.getByRole('link', { name: 'Chainsaw use', exact: true })).toBeVisible();
});

test('typing updates the results in place once hydrated', async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'needs JavaScript');
  await page.goto('/');
  await ready(page, javaScriptEnabled);
  // A full page load would drop this marker.
  await page.evaluate(() => ((window as unknown as { tohuMarker: number }).tohuMarker = 42));
  // Each search asks the search server function (GET /api/catalogue/search), never for
  // the page's HTML again: a fetch of `/` or `/?…`, as the router or the old enhancement
  // would make, is a whole page's worth of bytes for a list of cards.
  const pages: string[] = [];
  const searches: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname === '/') pages.push(`${r.resourceType()} ${r.url()}`);
    if (url.pathname === '/api/catalogue/search') searches.push(`${r.method()} ${url.search}`);
  });
  const search = page.getByLabel('Search micro-credentials');
  await search.pressSequentially('sustainab', { delay: 40 });
  await expect(page.getByRole('link', { name: 'Sustainable Practices in Manufacturing' })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText(/^1 micro-credential found/);
  await expect(page).toHaveURL(/\?q=sustainab$/);
  await expect(search).toBeFocused();
  await expect(search).toHaveValue('sustainab');
  expect(await page.evaluate(() => (window as unknown as { tohuMarker?: number }).tohuMarker)).toBe(42);

  // Two sectors combine with OR, still without a page load; back undoes the last tick.
  await search.fill('');
  await expect(page).toHaveURL(/\/$/);
  await openFilters(page);
  await page.getByRole('checkbox', { name: 'Hospitality' }).check();
  await expect(page.getByRole('status')).toHaveText(/^1 micro-credential found/);
  // One tick, one request.
  const before = searches.length;
  const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/catalogue/search');
  await page.getByRole('checkbox', { name: 'Te reo and tikanga Māori' }).check();
  await answered;
  await expect(page.getByRole('status')).toHaveText(/^4 micro-credentials found/);
  await expect(page.getByRole('link', { name: 'He Pātaka Reo' })).toBeVisible();
  expect(searches.slice(before), 'requests for one tick').toHaveLength(1);
  await page.goBack();
  await expect(page.getByRole('status')).toHaveText(/^1 micro-credential found/);
  await expect(page.getByRole('checkbox', { name: 'Te reo and tikanga Māori' })).not.toBeChecked();
  expect(await page.evaluate(() => (window as unknown as { tohuMarker?: number }).tohuMarker)).toBe(42);

  // Typing, ticks and Back all went to the server function, by GET (cacheable), and none
  // asked for the page.
  expect(pages, 'requests for the page\'s HTML').toEqual([]);
  expect(searches.length, 'search server function calls').toBeGreaterThan(0);
  expect(searches.filter((s) => !s.startsWith('GET ')), 'search calls not made by GET').toEqual([]);
});

// A newer search supersedes an older one still on its way: the older request is aborted, and
// its late answer never replaces the newer results.
test.describe('a search superseded while on its way', () => {
  test.use({ allowedConsoleErrors: [/^Failed to load resource: net::ERR_(FAILED|ABORTED)/] });

  test('is aborted, and the newer results stay', async ({ page, javaScriptEnabled }) => {
    test.skip(!javaScriptEnabled, 'needs JavaScript');
    await page.goto('/');
    await ready(page, javaScriptEnabled);
    // The search for "chainsaw" is slow to answer; the one for "forestry" is not.
    await page.route((url) => url.pathname === '/api/catalogue/search' && url.search.includes('chainsaw'), async (route) => {
      await new Promise((done) => setTimeout(done, 1500));
      await route.continue().catch(() => {});
    });
    const aborted: string[] = [];
    page.on('requestfailed', (r) => {
      if (new URL(r.url()).pathname === '/api/catalogue/search') aborted.push(r.url());
    });
    const search = page.getByLabel('Search micro-credentials');
    const slow = page.waitForRequest((r) => r.url().includes('/api/catalogue/search') && r.url().includes('chainsaw'));
    await search.fill('chainsaw');
    await slow;
    await search.fill('forestry');
    await expect(page).toHaveURL(/\?q=forestry$/);
    await expect(page.getByRole('status')).toContainText('matching “forestry”');
    await expect.poll(() => aborted.filter((u) => u.includes('chainsaw')).length, 'the older search aborted').toBe(1);
    // Long after the slow answer would have come, the page still shows the newer search.
    await page.waitForTimeout(2000);
    await expect(page).toHaveURL(/\?q=forestry$/);
    await expect(page.getByRole('status')).toContainText('matching “forestry”');
    await expect(search).toHaveValue('forestry');
  });
});

test.describe('a search that cannot be answered', () => {
  test.use({ allowedConsoleErrors: [/^Failed to load resource: net::ERR_FAILED/] });

  test('keeps the results and the typed text, and says so', async ({ page, javaScriptEnabled }) => {
    test.skip(!javaScriptEnabled, 'needs JavaScript');
    await page.goto('/?q=chainsaw');
    await ready(page, javaScriptEnabled);
    const results = page.getByRole('region', { name: 'Results' });
    await expect(results.getByRole('link', { name: 'Chainsaw use', exact: true })).toBeVisible();
    // The network drops every search the page asks for from now on: each is a call to
    // the search server function.
    const searches = (url: URL) => url.pathname === '/api/catalogue/search';
    await page.route(searches, (route) => route.abort('failed'));
    const search = page.getByLabel('Search micro-credentials');
    await search.fill('chainsaw safety');
    await expect(page.getByRole('alert')).toHaveText('The results could not be updated: check your connection, then try again.');
    await expect(results.getByRole('link', { name: 'Chainsaw use', exact: true })).toBeVisible();
    await expect(search).toHaveValue('chainsaw safety');
    await expect(search).toBeFocused();
    await expect(page).toHaveURL(/\?q=chainsaw$/);

    // Once the network is back, the next search replaces results and alert alike.
    await page.unroute(searches);
    await search.fill('chainsaw use');
    await expect(page).toHaveURL(/\?q=chainsaw\+use$/);
    await expect(page.getByRole('alert')).toHaveCount(0);
  });
});

test('the search page is live when reached from a hydrated page, and a learner\'s page loads as served', async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'needs JavaScript');
  // The sign-in page hydrates the Leptos app; the learner's pages are not part of it.
  await page.goto('/sign-in');
  await ready(page, javaScriptEnabled);
  // The app's router reaches `/` from the sign-in page; the search page loads as served.
  await page.locator('a.brand').click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Find a micro-credential' })).toBeVisible();
  await ready(page, javaScriptEnabled);
  await page.evaluate(() => ((window as unknown as { tohuMarker: number }).tohuMarker = 5));
  await page.getByLabel('Search micro-credentials').pressSequentially('chainsaw', { delay: 30 });
  await expect(page).toHaveURL(/\?q=chainsaw$/);
  const result = page.getByRole('region', { name: 'Results' }).getByRole('link', { name: 'Chainsaw use', exact: true });
  await expect(result).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { tohuMarker?: number }).tohuMarker)).toBe(5);
  // Back returns to the sign-in page it came from (typing replaced the search's entry).
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await page.goForward();
  await expect(result).toBeVisible();
  await ready(page, javaScriptEnabled);
  // A learner's page from the results, then its link back to the catalogue: both are the
  // server's pages, each live as served.
  await result.click();
  await expect(page.getByRole('heading', { level: 1, name: 'Chainsaw use' })).toBeVisible();
  await ready(page, javaScriptEnabled);
  await page.getByRole('link', { name: 'All micro-credentials' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Find a micro-credential' })).toBeVisible();
  await ready(page, javaScriptEnabled);
  await page.getByLabel('Search micro-credentials').fill('forestry');
  await expect(page).toHaveURL(/\?q=forestry$/);
});

test('Forward pressed while a page\'s code is still on its way shows the page the address names', async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'needs JavaScript');
  await page.goto('/sign-in');
  await ready(page, javaScriptEnabled);
  await page.locator('a.brand').click();
  await ready(page, javaScriptEnabled);
  await page.getByLabel('Search micro-credentials').pressSequentially('chainsaw', { delay: 30 });
  await expect(page).toHaveURL(/\?q=chainsaw$/);
  // From here the WASM arrives a second late, as on a slow phone: Back to the sign-in
  // page, then Forward before that page is live.
  await page.route('**/*.wasm', async (route) => {
    await new Promise((done) => setTimeout(done, 1000));
    await route.continue();
  });
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await page.goForward();
  await expect(page).toHaveURL(/\?q=chainsaw$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Find a micro-credential' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Results' }).getByRole('link', { name: 'Chainsaw use', exact: true })).toBeVisible();
  await ready(page, javaScriptEnabled);
  await page.getByLabel('Search micro-credentials').fill('forestry');
  await expect(page).toHaveURL(/\?q=forestry$/);
});

test('an empty result offers to clear the filters', async ({ page, javaScriptEnabled }) => {
  await page.goto('/?q=zzzz-nothing&sector=forestry');
  await ready(page, javaScriptEnabled);
  await expect(page.getByText('No micro-credentials found')).toBeVisible();
  await page.getByRole('link', { name: 'Clear search and filters' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('status')).toHaveText(/\d\d micro-credentials found/);
  await expect(page.getByLabel('Search micro-credentials')).toHaveValue('');
});

test('learners\' words: a synonym finds the catalogue\'s word, and a search no credential matches in full shows the closest', async ({ page, javaScriptEnabled }) => {
  await page.goto('/?q=pasifika');
  await ready(page, javaScriptEnabled);
  const results = page.getByRole('region', { name: 'Results' });
  await expect(results.getByRole('link', { name: 'Improving well-being outcomes for Pacific families' })).toBeVisible();
  await page.goto('/?q=dairy+farming');
  await ready(page, javaScriptEnabled);
  await expect(page.getByText('No micro-credential matches all of “dairy farming”; showing those that match “dairy”.')).toBeVisible();
  await expect(results.getByRole('link', { name: 'Contract Milking 101' })).toBeVisible();
});

test.describe('not found', () => {
  test.use({ allowedConsoleErrors: [/^Failed to load resource: the server responded with a status of 404/] });

  test('an unknown credential answers 404 with a way back', async ({ page, javaScriptEnabled }) => {
  const res = await page.goto('/credentials/no-such-credential');
  expect(res?.status()).toBe(404);
  await ready(page, javaScriptEnabled);
  await expect(page.getByRole('heading', { level: 1, name: "We couldn't find that page" })).toBeVisible();
  await page.getByRole('link', { name: 'Browse all micro-credentials' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Find a micro-credential' })).toBeVisible();
  });
});

test('pages fit a 360 px wide screen', async ({ page, javaScriptEnabled }, info) => {
  test.skip(info.project.name !== 'mobile-360', 'mobile project only');
  const fits = async (path: string) => {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `horizontal overflow on ${path}`).toBeLessThanOrEqual(0);
    expect(await outsideColumn(page), `elements past the edge of the column on ${path}`).toEqual([]);
  };
  for (const path of ['/', '/?q=chainsaw', '/?q=chaimsww&level=3', '/?page=2&sector=forestry', '/credentials/forestry-environment', '/credentials/demonstrate-basic-chainsaw-operation/register']) {
    await page.goto(path);
    await ready(page, javaScriptEnabled);
    await fits(path);
  }
  // The phone's filter panel, open.
  await page.goto('/?q=chainsaw');
  await ready(page, javaScriptEnabled);
  await openFilters(page);
  await fits('/?q=chainsaw with the filters open');
});

test('no accessibility violations on the catalogue and detail pages', async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'axe needs JavaScript');
  test.setTimeout(120_000); // seven pages, each analysed in full
  for (const path of ['/', '/?q=chainsaw&sector=forestry', '/?q=zzzz', '/?q=chaimsww&level=3', '/?page=3', '/credentials/demonstrate-basic-chainsaw-operation', '/credentials/demonstrate-basic-chainsaw-operation/register']) {
    await page.goto(path);
    await ready(page, javaScriptEnabled);
    const result = await new AxeBuilder({ page }).withTags(axeTags).analyze();
    expect(result.violations.map((v) => `${path}: ${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
  }
});

test('two sectors, facet counts and paging, with and without JavaScript', async ({ page, javaScriptEnabled }) => {
  await page.goto('/');
  await ready(page, javaScriptEnabled);
  await page.evaluate(() => ((window as unknown as { tohuMarker: number }).tohuMarker = 7));
  const status = page.getByRole('status');
  const total = Number((await status.textContent())?.match(/^(\d+)/)?.[1]);
  expect(total).toBeGreaterThan(40);
  const pages = Math.ceil(total / 20);
  await expect(status).toContainText(`(page 1 of ${pages})`);

  // Paging by plain links: the second page shows other credentials.
  const results = page.getByRole('region', { name: 'Results' });
  const firstOnPage1 = await results.getByRole('heading', { level: 3 }).first().textContent();
  const nav = page.getByRole('navigation', { name: 'Pages' });
  await nav.getByRole('link', { name: 'Next' }).click();
  await expect(page).toHaveURL(/[?&]page=2$/);
  await expect(status).toContainText(`(page 2 of ${pages})`);
  await expect(results.getByRole('heading', { level: 3 }).first()).not.toHaveText(firstOnPage1 ?? '');
  await expect(nav.getByRole('link', { name: 'Page 2' })).toHaveAttribute('aria-current', 'page');
  await nav.getByRole('link', { name: `Page ${pages}` }).click();
  await expect(page).toHaveURL(new RegExp(`[?&]page=${pages}$`));
  await expect(results.locator('ul.cards > li')).toHaveCount(total - 20 * (pages - 1));

  // Two sectors combine with OR: the result count is the sum of their facet counts, and
  // ticking goes back to page 1.
  await openFilters(page);
  const forestry = page.getByRole('checkbox', { name: /^Forestry \(\d+\)$/ });
  const manufacturing = page.getByRole('checkbox', { name: /^Manufacturing \(\d+\)$/ });
  const countOf = async (name: RegExp) =>
    Number((await page.locator('label', { hasText: name }).first().textContent())?.match(/\((\d+)\)/)?.[1]);
  const f = await countOf(/^Forestry \(/);
  const m = await countOf(/^Manufacturing \(/);
  await forestry.check();
  if (!javaScriptEnabled) await page.getByRole('button', { name: /^Show \d+ results?$/ }).click();
  await expect(page).toHaveURL(/sector=forestry/);
  await expect(page).not.toHaveURL(/page=/);
  await manufacturing.check();
  if (!javaScriptEnabled) await page.getByRole('button', { name: /^Show \d+ results?$/ }).click();
  await expect(page).toHaveURL(/sector=forestry&sector=manufacturing/);
  await expect(status).toHaveText(new RegExp(`^${f + m} micro-credentials found in Forestry or Manufacturing`));
  if (javaScriptEnabled) {
    // Ticking kept keyboard focus on the checkbox, and the page never reloaded.
    await expect(manufacturing).toBeFocused();
    expect(await page.evaluate(() => (window as unknown as { tohuMarker?: number }).tohuMarker)).toBe(7);
  }
});

test('a misspelt search offers the catalogue word that was meant', async ({ page, javaScriptEnabled }) => {
  await page.goto('/?q=chaimsww');
  await ready(page, javaScriptEnabled);
  await expect(page.getByText('No micro-credentials found')).toBeVisible();
  await page.getByRole('link', { name: 'chainsaw' }).click();
  await expect(page).toHaveURL(/\?q=chainsaw$/);
  await expect(page.getByRole('link', { name: 'Chainsaw use', exact: true })).toBeVisible();
  if (javaScriptEnabled) await expect(page.getByLabel('Search micro-credentials')).toHaveValue('chainsaw');
});

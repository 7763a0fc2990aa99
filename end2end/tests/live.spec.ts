import { test, expect, ready } from './fixtures';

// Seats stay true while a page is open: a seat taken elsewhere (here a plain form POST, as
// another learner's browser without JavaScript would send) shows on an open detail page and
// an open registration form within a few seconds, without a reload.
test('a seat taken elsewhere shows on open pages', async ({ page, browser, javaScriptEnabled }, info) => {
  test.skip(!javaScriptEnabled || info.project.name !== 'js', 'live updates need JavaScript; one project');
  const slug = 'demonstrate-basic-chainsaw-operation';
  await page.goto(`/credentials/${slug}`);
  await ready(page, javaScriptEnabled);
  const seats = page.locator('span.seats[data-intake="A06"]');
  const before = Number((await seats.textContent())?.match(/^(\d+)/)?.[1]);
  expect(before).toBeGreaterThan(1);

  const form = await browser.newPage();
  await form.goto(`/credentials/${slug}/register`);
  await ready(form, true);
  const option = form.locator('span.seats[data-intake="A06"]');
  await expect(option).toHaveText(`${before} seats left`);

  await page.evaluate(() => ((window as unknown as { tohuMarker: number }).tohuMarker = 9));
  const stamp = Date.now();
  const res = await page.request.post(`/credentials/${slug}/register`, {
    form: {
      intake: 'A06', given_name: 'Aroha', family_name: 'Live', email: `live-${stamp}@example.co.nz`,
      phone: '021 555 0100', region: 'Waikato', date_of_birth: '1995-06-01', consent: 'on',
    },
    maxRedirects: 0,
  });
  expect(res.status()).toBe(303);
  await expect(seats).toHaveText(new RegExp(`^${before - 1} (of \\d+ seats left|seat left)$`));
  await expect(option).toHaveText(before - 1 === 1 ? '1 seat left' : `${before - 1} seats left`);
  expect(await page.evaluate(() => (window as unknown as { tohuMarker?: number }).tohuMarker)).toBe(9);
  await form.close();
});

// A tab follows at most one seats stream, however often the learner goes between a
// credential, its form and the search in one document: the router's page change closes
// the stream of the page it leaves, and the new page's figures open their own.
test('round trips between pages leave at most one seats stream open', async ({ page, javaScriptEnabled }, info) => {
  test.skip(!javaScriptEnabled || info.project.name !== 'js', 'live updates need JavaScript; one project');
  await page.addInitScript(() => {
    const opened: EventSource[] = [];
    (window as unknown as { streams: EventSource[] }).streams = opened;
    const Native = window.EventSource;
    window.EventSource = class extends Native {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        opened.push(this);
      }
    };
  });
  const open = () =>
    page.evaluate(() => (window as unknown as { streams: EventSource[] }).streams.filter((s) => s.readyState !== EventSource.CLOSED).length);
  await page.goto('/?q=chainsaw');
  await ready(page, true);
  for (let round = 0; round < 2; round++) {
    await page.getByRole('region', { name: 'Results' }).getByRole('link', { name: 'Demonstrate basic chainsaw operation' }).click();
    await expect(page.locator('span.seats').first()).toBeVisible();
    await ready(page, true);
    await expect.poll(open, 'on the credential').toBe(1);
    await page.getByRole('link', { name: 'Register for an intake' }).click();
    await expect(page.getByRole('heading', { level: 1, name: /^Register for / })).toBeVisible();
    await ready(page, true);
    await expect.poll(open, 'on the form').toBe(1);
    await page.goBack();
    await page.goBack();
    await expect(page.getByRole('heading', { level: 1, name: 'Find a micro-credential' })).toBeVisible();
    await ready(page, true);
    await expect.poll(open, 'back on the search').toBe(0);
  }
  expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
});

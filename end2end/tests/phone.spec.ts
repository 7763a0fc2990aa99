import { test, expect, ready } from './fixtures';

// Results first on a phone: at 360 × 740 the facets wait behind one "Filters" disclosure,
// the first result card starts on the first screen, active filters show as removable
// chips, and no card breaks a word across lines. At 1280 the facets stand beside the
// results with no disclosure to open.

/** Words inside result cards that the browser laid out across two lines. */
async function brokenWords(page: import('@playwright/test').Page): Promise<string[]> {
  return page.evaluate(() => {
    const broken: string[] = [];
    const walker = document.createTreeWalker(document.querySelector('ul.cards')!, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      for (const m of text.matchAll(/[^\s-]+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index!);
        range.setEnd(node, m.index! + m[0].length);
        const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
    return broken;
  });
}

test('on a phone the first result is on the first screen and filters wait behind one button', async ({ page, javaScriptEnabled }, info) => {
  test.skip(info.project.name !== 'mobile-360', 'phone layout');
  for (const path of ['/', '/?q=chainsaw']) {
    await page.goto(path);
    await ready(page, javaScriptEnabled);
    const first = page.locator('ul.cards > li').first();
    const box = await first.boundingBox();
    expect(box, `a result card on ${path}`).not.toBeNull();
    expect(box!.y, `first card's top on ${path}`).toBeLessThan(740);
    await expect(page.getByRole('checkbox', { name: /^Forestry/ })).toBeHidden();
    expect(await brokenWords(page), `words broken across lines on ${path}`).toEqual([]);
  }

  // The panel opens, a tick applies at once and the panel stays open; "Show N results"
  // closes it and the filter shows as a chip that removes it.
  const toggle = page.getByText('Filters', { exact: true });
  await toggle.click();
  await page.getByRole('checkbox', { name: /^Forestry \(\d+\)$/ }).check();
  await expect(page).toHaveURL(/sector=forestry/);
  await expect(page.getByRole('checkbox', { name: /^Forestry \(\d+\)$/ })).toBeChecked();
  await expect(page.locator('summary.filters-toggle')).toContainText('1 active');
  const status = page.getByRole('status');
  const n = Number((await status.textContent())?.match(/^(\d+)/)?.[1]);
  await page.getByRole('button', { name: `Show ${n} result${n === 1 ? '' : 's'}` }).click();
  await expect(page.getByRole('checkbox', { name: /^Forestry/ })).toBeHidden();
  const chips = page.getByRole('list', { name: 'Active filters' });
  await expect(chips.getByRole('link')).toHaveCount(1);
  const firstCard = await page.locator('ul.cards > li').first().boundingBox();
  expect(firstCard!.y).toBeLessThan(740);
  await chips.getByRole('link', { name: /Forestry/ }).click();
  await expect(page).toHaveURL(/\/(\?q=chainsaw)?$/);
  await expect(page.getByRole('list', { name: 'Active filters' })).toHaveCount(0);
});

test('on a wide screen the facets stand beside the results', async ({ page, javaScriptEnabled }, info) => {
  test.skip(info.project.name === 'mobile-360', 'wide layout');
  await page.goto('/?q=chainsaw&sector=forestry');
  await ready(page, javaScriptEnabled);
  await expect(page.locator('summary.filters-toggle')).toBeHidden();
  const facet = page.getByRole('checkbox', { name: /^Forestry \(\d+\)$/ });
  await expect(facet).toBeVisible();
  const cards = await page.locator('ul.cards').boundingBox();
  const filters = await page.locator('details.filters').boundingBox();
  expect(filters!.x + filters!.width).toBeLessThanOrEqual(cards!.x);
  // The chip removes the filter without JavaScript too (a plain link).
  await page.getByRole('list', { name: 'Active filters' }).getByRole('link', { name: /Forestry/ }).click();
  await expect(page).toHaveURL(/\/\?q=chainsaw$/);
  expect(await brokenWords(page)).toEqual([]);
});

test('a credential without linked standards does not claim 0 unit standards', async ({ page, javaScriptEnabled }) => {
  await page.goto('/');
  await ready(page, javaScriptEnabled);
  // Every "Unit standard(s)" fact on a card holds a count above 0, and some card has none.
  const counts = await page.locator('ul.cards li').evaluateAll((cards) =>
    cards.map((card) => {
      const dt = [...card.querySelectorAll('dt')].find((d) => /^Unit standards?$/.test(d.textContent ?? ''));
      return dt ? Number(dt.nextElementSibling?.textContent) : null;
    }));
  expect(counts.filter((n) => n !== null && !(n > 0)), 'standards facts that are not a positive count').toEqual([]);
  expect(counts.some((n) => n !== null), 'some card names its standards').toBe(true);
});

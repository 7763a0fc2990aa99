// `/verify`, the page anyone uses to check a credential: it reads well (axe), works at
// 360 px, and without JavaScript an unreadable paste comes back with the message at its
// field and every typed value kept (HTTP 422, the browser logs it as an error).
import AxeBuilder from '@axe-core/playwright';
import { test, expect, axeTags } from './fixtures';

test.use({ allowedConsoleErrors: [/status of 422/] });

test('a paste that is not a credential is refused at its field, text kept', async ({ page }) => {
  await page.goto('/verify');
  await expect(page.getByRole('heading', { level: 1, name: 'Check a credential' })).toBeVisible();
  await page.getByLabel('The credential (JSON)').fill('{"not": "a credential"');
  await page.getByLabel('Their name').fill('Aroha Te Whare');
  await page.getByRole('button', { name: 'Check' }).click();
  await expect(page.locator('#credential-error')).toContainText('not JSON');
  await expect(page.getByLabel('The credential (JSON)')).toHaveValue('{"not": "a credential"');
  await expect(page.getByLabel('Their name')).toHaveValue('Aroha Te Whare');
  await expect(page.getByRole('alert')).toContainText('That could not be checked');
});

test('the page passes axe and fits a phone', async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'axe needs JavaScript');
  await page.goto('/verify');
  const result = await new AxeBuilder({ page }).withTags(axeTags).analyze();
  expect(result.violations.map((v) => v.id)).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

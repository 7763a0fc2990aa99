import AxeBuilder from '@axe-core/playwright';
import { test, expect, ready } from './fixtures';

// The registrations table, with and without JavaScript: a learner registers, the provider's
// coordinator signs in, filters by the learner's email and finds exactly that row.
test('a coordinator finds a new registration in the table by email', async ({ page, request, baseURL, javaScriptEnabled }, info) => {
  const email = process.env.E2E_DASHBOARD_EMAIL;
  const password = process.env.E2E_PASSWORD;
  if (!email || !password) throw new Error('E2E_DASHBOARD_EMAIL and E2E_PASSWORD are set by scripts/test');
  const learner = `table-${info.project.name}-${Date.now()}@example.co.nz`;
  const slug = 'demonstrate-basic-chainsaw-operation';
  await page.goto(`/credentials/${slug}/register`);
  const intake = (await page.getByRole('radio').first().getAttribute('value'))!;
  const registered = await request.post(`/credentials/${slug}/register`, {
    form: {
      intake, given_name: 'Rāwiri', family_name: 'Te Ao', email: learner, phone: '021 000 1111',
      employer: '', region: 'Gisborne', nsn: '', date_of_birth: '1991-03-04', consent: 'on',
    },
    headers: { origin: baseURL! },
    maxRedirects: 0,
  });
  expect(registered.status()).toBe(303);

  await page.goto('/dashboard/registrations');
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Kia ora/ })).toBeVisible();
  await page.getByRole('link', { name: 'Registrations' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Registrations' })).toBeVisible();
  await ready(page, javaScriptEnabled);

  await page.getByLabel('Name, email or reference').fill(learner);
  await page.getByLabel('Status').selectOption('confirmed');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/status=confirmed/);
  await expect(page.getByRole('status')).toHaveText('1 registration');
  const row = page.getByRole('row').filter({ hasText: learner });
  await expect(row).toContainText('Rāwiri Te Ao');
  await expect(row).toContainText('Confirmed');
  await expect(page.getByLabel('Name, email or reference')).toHaveValue(learner);
  await ready(page, javaScriptEnabled);

  if (javaScriptEnabled) {
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
    expect(results.violations).toEqual([]);
  }
  if (info.project.name === 'mobile-360') {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflow, 'the page fits 360 px (the table scrolls inside its region)').toBe(false);
  }
  await page.goto('/dashboard');
  await page.getByRole('button', { name: 'Sign out' }).click();
});

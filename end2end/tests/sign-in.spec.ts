import AxeBuilder from '@axe-core/playwright';
import { test, expect, ready, axeTags } from './fixtures';

// A refused sign-in answers 422, which Chromium logs as a console error.
test.use({ allowedConsoleErrors: [/^Failed to load resource: the server responded with a status of 422/] });

function account() {
  const email = process.env.E2E_EMAIL;
  const password = process.env.E2E_PASSWORD;
  if (!email || !password) throw new Error('E2E_EMAIL and E2E_PASSWORD are set by scripts/test');
  return { email, password };
}

test('a coordinator signs in, sees who they are, and signs out', async ({ page, javaScriptEnabled }) => {
  const { email, password } = account();
  // The dashboard sends someone not signed in to the sign-in page.
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await ready(page, javaScriptEnabled);

  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('That email and password do not match an account.');
  await expect(alert).toBeFocused();
  await expect(page.getByLabel('Email')).toHaveValue(email);
  await expect(page.getByLabel('Password')).toHaveValue('');
  await ready(page, javaScriptEnabled);

  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Kia ora, Mere Parata' })).toBeVisible();
  await expect(page.getByText('Provider coordinator, Tohu Training (sample provider)')).toBeVisible();
  await ready(page, javaScriptEnabled);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('status')).toContainText('You have signed out.');
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/sign-in$/);
});

test('no accessibility violations on the sign-in page and the dashboard', async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'axe needs JavaScript');
  const { email, password } = account();
  await page.goto('/sign-in');
  await ready(page, true);
  expect((await new AxeBuilder({ page }).withTags(axeTags).analyze()).violations).toEqual([]);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Kia ora/ })).toBeVisible();
  await ready(page, true);
  expect((await new AxeBuilder({ page }).withTags(axeTags).analyze()).violations).toEqual([]);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('status')).toContainText('You have signed out.');
});

test('a dashboard address visited signed out is where signing in lands, and only this site', async ({ page, javaScriptEnabled }) => {
  const { email, password } = account();
  const asked = '/dashboard/registrations?status=waitlisted';
  await page.goto(asked);
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fdashboard%2Fregistrations%3Fstatus%3Dwaitlisted$/);
  await ready(page, javaScriptEnabled);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`${asked.replace(/[?]/g, '\\?')}$`));
  await expect(page.getByRole('heading', { level: 1, name: 'Registrations' })).toBeVisible();
  await ready(page, javaScriptEnabled);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('status')).toContainText('You have signed out.');

  // An address elsewhere, typed into the link: signing in goes to the overview instead.
  await page.goto('/sign-in?next=%2F%2Fevil.example');
  await ready(page, javaScriptEnabled);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await ready(page, javaScriptEnabled);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('status')).toContainText('You have signed out.');
});

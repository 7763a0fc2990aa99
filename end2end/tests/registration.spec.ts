import { test, expect, ready } from './fixtures';

// Without JavaScript a refused form comes back with HTTP 422, which Chromium logs.
test.use({ allowedConsoleErrors: [/^Failed to load resource: the server responded with a status of 422/] });

test('register from the detail page, fix a mistake without retyping, then cancel', async ({ page, javaScriptEnabled }, info) => {
  const email = `e2e-${info.project.name}-${Date.now()}@example.co.nz`;
  await page.goto('/credentials/demonstrate-basic-chainsaw-operation');
  await ready(page, javaScriptEnabled);
  await page.getByRole('link', { name: 'Register for an intake' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Register for Demonstrate basic chainsaw operation/ })).toBeVisible();
  await ready(page, javaScriptEnabled);

  await page.getByRole('radio').first().check();
  await page.getByLabel('Given name').fill('Māhina');
  await page.getByLabel('Family name').fill('Ngāti Tūhoe');
  await page.getByLabel('Email').fill('mahina@');
  await page.getByLabel('Phone').fill('021 123 4567');
  await page.getByLabel('Region').selectOption('Bay of Plenty');
  await page.getByLabel('Date of birth (YYYY-MM-DD)').fill('1990-04-23');
  await page.getByLabel('I agree to the privacy statement').check();
  await page.getByRole('button', { name: 'Register' }).click();

  const summary = page.getByRole('alert');
  await expect(summary).toContainText('Enter an email address like name@example.co.nz.');
  // Everything typed is still there.
  await expect(page.getByLabel('Given name')).toHaveValue('Māhina');
  await expect(page.getByLabel('Family name')).toHaveValue('Ngāti Tūhoe');
  await expect(page.getByLabel('Region')).toHaveValue('Bay of Plenty');
  await expect(page.getByLabel('Date of birth (YYYY-MM-DD)')).toHaveValue('1990-04-23');
  await expect(page.getByLabel('I agree to the privacy statement')).toBeChecked();
  await expect(page.getByRole('radio').first()).toBeChecked();

  await page.getByLabel('Email').fill(email);
  if (javaScriptEnabled) {
    // Once corrected, the field's message goes as the learner types.
    await expect(page.getByText('Enter an email address like name@example.co.nz.')).toHaveCount(0);
  }
  await page.getByRole('button', { name: 'Register' }).click();
  await expect(page.getByRole('heading', { level: 1, name: "You're registered" })).toBeVisible();
  await expect(page).toHaveURL(/\/registrations\/TOHU-[2-9A-HJKMNP-TV-Z]{6}\?token=/);
  await expect(page.getByText('Māhina Ngāti Tūhoe')).toBeVisible();
  await ready(page, javaScriptEnabled);

  await page.getByRole('button', { name: 'Cancel my registration' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Registration cancelled' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancel my registration' })).toHaveCount(0);
});

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request as apiRequest } from '@playwright/test';
import { test, expect, ready, operator, checkPage } from './fixtures';

// A preview with problems answers 422, which Chromium logs as a console error.
test.use({ allowedConsoleErrors: [/^Failed to load resource: the server responded with a status of 422/] });

const slug = 'demonstrate-basic-chainsaw-operation';

/** Invites an employer coordinator as an operator would; the path of their one-time link. */
function invite(email: string): string {
  const { bin, db } = operator();
  const out = execFileSync(
    bin,
    ['user', 'add', '--email', email, '--name', 'Kiri Walker', '--role', 'employer', '--org', 'Pine Crew Ltd', '--link'],
    { env: { ...process.env, DATABASE_URL: db, RUST_LOG: 'warn' }, stdio: 'pipe' },
  ).toString();
  const link = out.split('\n').find((l) => l.includes('/reset-password'));
  if (!link) throw new Error(`no link in: ${out}`);
  const url = new URL(link.trim());
  return url.pathname + url.search;
}

test('an invited employer registers five staff, fixing one bad row first', async ({ page, javaScriptEnabled, baseURL }, info) => {
  const tag = `${info.project.name.replace(/\W/g, '')}${Date.now()}`;
  const email = `kiri.${tag}@example.co.nz`;
  const password = `harakeke ${tag} weaving`;

  // Accept the invitation: choose a password, then sign in with it.
  await page.goto(invite(email));
  await ready(page, javaScriptEnabled);
  await page.getByLabel('New password').fill(password);
  await page.getByLabel('The same password again').fill(password);
  await page.getByRole('button', { name: 'Set my password' }).click();
  await expect(page.getByRole('status')).toContainText('Your password is set');
  await ready(page, javaScriptEnabled);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Kia ora/ })).toBeVisible();

  // From the credential's page to the group form.
  await page.goto(`/credentials/${slug}`);
  await page.getByRole('link', { name: 'register a group' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Register a group/ })).toBeVisible();
  await expect(page.getByText('You are registering staff of Pine Crew Ltd')).toBeVisible();
  await ready(page, javaScriptEnabled);
  // Each project and run its own intake where there are several.
  const intakes = page.locator('input[type=radio][name=intake]');
  await intakes.nth(info.project.name.length % (await intakes.count())).check();
  const rows = (bad: string) =>
    [
      'Given name\tFamily name\tEmail\tRegion',
      `Aroha\tNgata\taroha.${tag}@example.co.nz\tGisborne`,
      `Hēmi\tWalker\themi.${tag}@example.co.nz\tGisborne`,
      `Mere\tTūhoe\t${bad}\tGisborne`,
      `Tama\tParata\ttama.${tag}@example.co.nz\tGisborne`,
      `Ana\tKōwhai\tana.${tag}@example.co.nz\tGisborne`,
    ].join('\n');
  await page.getByLabel('Paste the rows').fill(rows(`mere.${tag}@`));
  await page.getByRole('button', { name: 'Check the list' }).click();

  // The preview: one row to fix, on its line and field; the list kept; nothing registered.
  const summary = page.getByRole('alert');
  await expect(summary).toContainText('1 of 5 rows need fixing');
  await expect(summary).toBeFocused();
  await expect(page.getByText(/^Line 4, email:/)).toBeVisible();
  await expect(page.getByLabel('Paste the rows')).toHaveValue(rows(`mere.${tag}@`));
  await expect(page.getByRole('button', { name: /^Register \d/ })).toHaveCount(0);
  await ready(page, javaScriptEnabled);
  await checkPage(page, info.project.name);

  // Fixed and checked again: all five ready.
  await page.getByLabel('Paste the rows').fill(rows(`mere.${tag}@example.co.nz`));
  await page.getByRole('button', { name: 'Check the list' }).click();
  await expect(page.getByText('All 5 people are ready to register')).toBeVisible();
  await ready(page, javaScriptEnabled);
  await page.getByLabel(/Every person on this list has read the privacy statement/).check();
  await page.getByRole('button', { name: 'Register 5 people' }).click();

  // The result, row by row, and as a CSV file.
  await expect(page.getByRole('heading', { level: 2, name: 'Your group is registered' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'refused' })).toContainText(/^\d confirmed, \d waitlisted, 0 refused/);
  const result = page.getByRole('region', { name: "The group's result" });
  await expect(result.getByRole('row')).toHaveCount(6);
  await expect(result.getByRole('row').filter({ hasText: 'Hēmi Walker' })).toContainText(/Confirmed|Waitlisted/);
  await ready(page, javaScriptEnabled);
  await checkPage(page, info.project.name);
  if (javaScriptEnabled) {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download this result (CSV)' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.startsWith('\ufeff"Line","Given name"')).toBe(true);
    expect(csv).toContain('"Ana","Kōwhai"');
  }

  // Their dashboard shows their five, and only theirs.
  await page.getByRole('link', { name: 'See your registrations' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Registrations' })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: tag })).toHaveCount(5);

  // The provider marks one of them completed: the employer sees "Completed", and never the
  // learner's credential.
  const confirmed = page.getByRole('row').filter({ hasText: tag }).filter({ hasText: 'Confirmed' }).first();
  const reference = (await confirmed.getByRole('link').first().textContent())!.trim();
  const provider = await apiRequest.newContext({ baseURL });
  const signedIn = await provider.post('/sign-in', {
    form: { email: process.env.E2E_DASHBOARD_EMAIL!, password: process.env.E2E_PASSWORD! },
    headers: { origin: baseURL! }, maxRedirects: 0,
  });
  expect(signedIn.status()).toBe(303);
  const completed = await provider.post('/api/dashboard/registration/act', {
    form: { reference, action: 'complete', reason: 'Assessed competent', achieved_on: '' },
    headers: { origin: baseURL!, accept: 'application/json' },
  });
  expect(completed.status(), await completed.text()).toBe(200);
  await provider.dispose();
  await page.reload();
  await expect(page.getByRole('row').filter({ hasText: reference })).toContainText('Completed');
  await page.getByRole('link', { name: reference }).click();
  await expect(page.locator('.lede .status')).toHaveText('Completed');
  await expect(page.getByRole('heading', { name: 'Open Badges credential' })).toHaveCount(0);
  await expect(page.getByText('urn:uuid:')).toHaveCount(0);
  await expect(page.getByRole('link', { name: /Download/ })).toHaveCount(0);
});

import { readFileSync } from 'fs';
import { ready, checkPage } from './fixtures';
import { test, expect, registerLearner } from './coordinator';

// A refused action answers 422 (with JavaScript), which Chromium logs as a console error.
test.use({ allowedConsoleErrors: [/^Failed to load resource: the server responded with a status of 422/] });

const slug = 'demonstrate-basic-chainsaw-operation';

/** An intake open for registration, a different one per test and project where there
 *  are several, so repeated runs do not fill one intake and its waitlist. */
async function openIntake(page: import('@playwright/test').Page, n: number) {
  await page.goto(`/credentials/${slug}/register`);
  const radios = page.locator('input[type=radio][name=intake]:not([disabled])');
  const count = await radios.count();
  return (await radios.nth(n % count).getAttribute('value'))!;
}

test('filter, select two rows and change them together', async ({ page, request, baseURL, javaScriptEnabled }, info) => {
  const family = `Bulk${info.project.name.replace(/\W/g, '')}${Date.now()}`;
  const intake = await openIntake(page, info.project.name.length);
  for (const given of ['Aroha', 'Hēmi']) {
    await registerLearner(request, baseURL!, intake, { given, family, email: `${given.toLowerCase()}.${family}@example.co.nz`.normalize('NFD').replace(/[\u0300-\u036f]/g, '') });
  }
  await page.goto('/dashboard/registrations');
  await expect(page.getByRole('heading', { level: 1, name: 'Registrations' })).toBeVisible();
  await ready(page, javaScriptEnabled);
  await page.getByLabel('Name, email or reference').fill(family);
  await page.getByLabel('Sort by').selectOption('name');
  await page.getByRole('button', { name: 'Show registrations' }).click();
  await expect(page).toHaveURL(/sort=name/);
  await expect(page.locator('.result-count')).toHaveText('2 registrations, page 1 of 1');
  await ready(page, javaScriptEnabled);
  await checkPage(page, info.project.name);

  await page.getByLabel(/^Select Aroha/).check();
  await page.getByLabel(/^Select Hēmi/).check();
  await page.getByLabel('Change to').selectOption('withdraw');
  // No reason: refused at the reason field, the selection kept (with JavaScript).
  await page.getByRole('button', { name: 'Change selected' }).click();
  const summary = page.getByRole('alert');
  await expect(summary).toContainText('Say why');
  if (javaScriptEnabled) {
    await expect(summary).toBeFocused();
    await expect(page.getByLabel(/^Select Aroha/)).toBeChecked();
  } else {
    await page.getByLabel(/^Select Aroha/).check();
    await page.getByLabel(/^Select Hēmi/).check();
    await page.getByLabel('Change to').selectOption('withdraw');
  }
  await page.getByLabel(/^Reason/).fill('Moved to the Hawke’s Bay crew');
  await page.getByRole('button', { name: 'Change selected' }).click();
  if (javaScriptEnabled) {
    await expect(page.locator('.done')).toHaveText('2 registrations changed.');
  }
  const rows = page.getByRole('row').filter({ hasText: family });
  await expect(rows).toHaveCount(2);
  for (const row of await rows.all()) await expect(row).toContainText('Withdrawn');
});

test('the detail page shows the timeline and takes a note and a withdrawal', async ({ page, request, baseURL, javaScriptEnabled }, info) => {
  const family = `Detail${info.project.name.replace(/\W/g, '')}${Date.now()}`;
  const intake = await openIntake(page, info.project.name.length + 1);
  const reference = await registerLearner(request, baseURL!, intake, { given: 'Mere', family, email: `mere.${family}@example.co.nz` });
  await page.goto(`/dashboard/registrations?q=${family}`);
  await ready(page, javaScriptEnabled);
  await page.getByRole('link', { name: reference }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(reference);
  await expect(page.getByRole('listitem').filter({ hasText: /Registered: (Confirmed|Waitlisted)/ })).toBeVisible();
  await ready(page, javaScriptEnabled);
  await checkPage(page, info.project.name);

  await page.getByLabel('What to do').selectOption('withdraw');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('alert')).toContainText('Say why');
  await ready(page, javaScriptEnabled);
  await page.getByLabel('What to do').selectOption('note');
  await page.getByLabel('Reason or note').fill('Rang to check PPE; all good.');
  await page.getByRole('button', { name: 'Apply' }).click();
  const note = page.getByRole('listitem').filter({ hasText: 'Rang to check PPE; all good.' });
  await expect(note).toContainText('Note by Mere Parata');
  await ready(page, javaScriptEnabled);

  await page.getByLabel('What to do').selectOption('withdraw');
  await page.getByLabel('Reason or note').fill('Changed employer');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('listitem').filter({ hasText: /→ Withdrawn/ })).toContainText('Changed employer');
  await expect(page.locator('.lede .status')).toHaveText('Withdrawn');
});

test('the CSV download is the filtered view, macrons intact', async ({ page, request, baseURL, javaScriptEnabled }, info) => {
  const family = `Csv${info.project.name.replace(/\W/g, '')}${Date.now()}`;
  const intake = await openIntake(page, info.project.name.length + 2);
  await registerLearner(request, baseURL!, intake, { given: 'Ngāio', family, email: `ngaio.${family}@example.co.nz` });
  await page.goto(`/dashboard/registrations?q=${family}`);
  await ready(page, javaScriptEnabled);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download these as CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^registrations-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = readFileSync((await download.path())!, 'utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const lines = text.slice(1).trim().split('\r\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toContain('"Reference","Status","Given name","Family name"');
  expect(lines[1]).toContain(`"Ngāio","${family}"`);
});

test('overview, intakes and an intake page read well and pass axe', async ({ page, javaScriptEnabled }, info) => {
  // The dashboard's code comes in split chunks, loaded under the page's nonce policy (any
  // policy violation is a console error, which fails the test).
  const chunks: string[] = [];
  page.on('response', (r) => { if (/\/pkg\/chunk_\d+(\.[\w-]+)?\.wasm$/.test(r.url())) chunks.push(r.url()); });
  await page.goto('/dashboard');
  await expect(page.getByRole('heading', { level: 1, name: /Kia ora/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /Registrations per week/ })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Registrations by sector' })).toBeVisible();
  await ready(page, javaScriptEnabled);
  if (javaScriptEnabled) expect(chunks.length, 'split chunks fetched').toBeGreaterThan(0);
  await checkPage(page, info.project.name);

  await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Intakes' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Intakes' })).toBeVisible();
  await ready(page, javaScriptEnabled);
  await checkPage(page, info.project.name);
  await page.getByRole('link', { name: /Demonstrate basic chainsaw operation/ }).first().click();
  await expect(page.getByRole('heading', { level: 2, name: 'Seats and dates' })).toBeVisible();
  await ready(page, javaScriptEnabled);
  await checkPage(page, info.project.name);
  // A capacity that is not a number of seats is refused with its field's message.
  await page.getByLabel('Seats (capacity)').fill('-1');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('alert')).toContainText('whole number from 0');
});

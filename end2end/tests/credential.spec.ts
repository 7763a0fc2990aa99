// Verifiable completion end to end, with JavaScript and without: a coordinator marks a
// learner completed; the learner opens their link and downloads the credential; /verify
// says every check passed; the coordinator undoes the completion; /verify says revoked.
import { readFileSync } from 'fs';
import { ready } from './fixtures';
import { test, expect } from './coordinator';

// /verify answers an unreadable or refused credential 422; none is expected here, but a
// revoked credential is a normal answer (200).
const slug = 'demonstrate-basic-chainsaw-operation';

/** An open intake of the chainsaw credential with a seat left, from the public API. */
async function openIntake(request: import('@playwright/test').APIRequestContext, n: number) {
  const credential = await (await request.get(`/api/v1/credentials/${slug}`)).json();
  const open = credential.intakes.filter((i: any) => i.enrolment === 'open' && i.seats_left > 0);
  if (!open.length) throw new Error('no open intake with a seat');
  return open[n % open.length].code as string;
}

test('completed, downloaded, verified, undone, revoked', async ({ page, browser, request, baseURL, javaScriptEnabled }, info) => {
  test.setTimeout(90_000);
  const family = `Badge${info.project.name.replace(/\W/g, '')}${Date.now()}`;
  const intake = await openIntake(request, info.project.name.length);
  const registered = await request.post(`/credentials/${slug}/register`, {
    form: {
      intake, given_name: 'Tīmoti', family_name: family, email: `timoti.${family}@example.co.nz`.toLowerCase(),
      phone: '021 000 2222', employer: '', region: 'Northland', nsn: '', date_of_birth: '1990-05-06', consent: 'on',
    },
    headers: { origin: baseURL! },
    maxRedirects: 0,
  });
  expect(registered.status()).toBe(303);
  const link = registered.headers()['location'];
  const reference = link.split('/')[2].split('?')[0];

  // The coordinator marks them completed (the date offered by default).
  await page.goto(`/dashboard/registrations/${reference}`);
  await ready(page, javaScriptEnabled);
  await page.getByLabel('What to do').selectOption('complete');
  await expect(page.getByLabel('Date the learner met the requirements')).not.toHaveValue('');
  await page.getByLabel('Reason or note').fill('Assessed competent');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.locator('.lede .status')).toHaveText('Completed');
  await expect(page.getByRole('heading', { name: 'Open Badges credential' })).toBeVisible();

  // The learner, in their own browser, downloads it from their link.
  const learner = await browser.newContext({ baseURL, javaScriptEnabled });
  const mine = await learner.newPage();
  await mine.goto(link);
  await expect(mine.getByRole('heading', { name: 'Your credential' })).toBeVisible();
  await ready(mine, javaScriptEnabled);
  const [download] = await Promise.all([
    mine.waitForEvent('download'),
    mine.getByRole('link', { name: 'Download credential (JSON)' }).click(),
  ]);
  const file = info.outputPath('credential.json');
  await download.saveAs(file);
  const credential = JSON.parse(readFileSync(file, 'utf8'));
  expect(credential.type).toContain('OpenBadgeCredential');
  const [svg] = await Promise.all([
    mine.waitForEvent('download'),
    mine.getByRole('link', { name: /Download badge/ }).click(),
  ]);
  const badge = info.outputPath('badge.svg');
  await svg.saveAs(badge);
  expect(readFileSync(badge, 'utf8')).toContain('<openbadges:credential>');

  // Anyone checks it: the JSON file, then the badge.
  const check = async (path: string) => {
    await mine.goto('/verify');
    await mine.getByLabel('Or its file (.json, or a badge .svg)').setInputFiles(path);
    await mine.getByLabel('Their name').fill(`Tīmoti ${family}`);
    await mine.getByRole('button', { name: 'Check' }).click();
    await expect(mine.getByRole('heading', { level: 2, name: /verified/i })).toBeVisible();
  };
  await check(file);
  await expect(mine.getByRole('heading', { level: 2 }).first()).toHaveText('Verified: every check passed.');
  await expect(mine.locator('[data-check=name]')).toHaveAttribute('data-passed', 'Yes');
  await check(badge);
  await expect(mine.locator('[data-check=signature]')).toHaveAttribute('data-passed', 'Yes');

  // The coordinator undoes the completion; the same file now checks as revoked.
  await page.goto(`/dashboard/registrations/${reference}`);
  await ready(page, javaScriptEnabled);
  await page.getByLabel('What to do').selectOption('uncomplete');
  await page.getByLabel('Reason or note').fill('Entered against the wrong learner');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.locator('.lede .status')).toHaveText('Confirmed');
  await check(file);
  await expect(mine.locator('[data-check=status]')).toHaveAttribute('data-passed', 'No');
  await expect(mine.getByRole('heading', { level: 2 }).first()).toContainText('Not verified');
  await learner.close();
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APIRequestContext, Page } from '@playwright/test';
import { test, expect, ready, operator } from './fixtures';

// Refusals only the server can decide: a duplicate, an intake that filled while the learner
// typed, enrolment that closed meanwhile. Each must show its own message at its field, keep
// every typed value and focus the error summary, with JavaScript and without it (a 422
// page either way).
test.use({ allowedConsoleErrors: [/^Failed to load resource: the server responded with a status of 422/] });

// Each project works on its own credential, so one project's full or closed intake never
// meets another's test. The first two listed intakes are used.
const SLUG: Record<string, string> = {
  'js': 'carry-out-a-conservation-activity',
  'no-js': 'assess-and-manage-risks-to-freshwater-from-horticultural-production',
  'mobile-360': 'commercial-road-transport-driver-safety',
};

const typed = {
  given: 'Wiremu',
  family: 'Te Whānau-ā-Apanui',
  phone: '027 555 0101',
  region: 'Gisborne',
  dob: '1988-11-02',
};

function learnerFields(intake: string, email: string): Record<string, string> {
  return {
    intake, given_name: 'Hēmi', family_name: 'Pōtae', email, phone: '021 000 0000',
    employer: '', region: 'Waikato', nsn: '', date_of_birth: '1992-06-01', consent: 'on',
  };
}

/** Another learner registering through the plain form, as a second browser would. */
async function registerOther(request: APIRequestContext, baseURL: string, slug: string, intake: string, email: string) {
  const res = await request.post(`/credentials/${slug}/register`, {
    form: learnerFields(intake, email),
    headers: { origin: baseURL },
    maxRedirects: 0,
  });
  return { status: res.status(), text: res.status() === 422 ? await res.text() : '' };
}

async function openForm(page: Page, slug: string, javaScriptEnabled: boolean) {
  await page.goto(`/credentials/${slug}/register`);
  await ready(page, javaScriptEnabled);
}

async function fillForm(page: Page, radio: number, email: string) {
  await page.getByRole('radio').nth(radio).check();
  await page.getByLabel('Given name').fill(typed.given);
  await page.getByLabel('Family name').fill(typed.family);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Phone').fill(typed.phone);
  await page.getByLabel('Region').selectOption(typed.region);
  await page.getByLabel('Date of birth (YYYY-MM-DD)').fill(typed.dob);
  await page.getByLabel('I agree to the privacy statement').check();
}

/** Submits and checks the path: a page POST answered 422 with the form again, with or
 *  without JavaScript (the form is rendered on the server only; with JavaScript the page
 *  it comes back as is live again). */
async function submitRefused(page: Page, javaScriptEnabled: boolean) {
  const navigation = page.waitForResponse((r) => r.request().isNavigationRequest() && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Register' }).click();
  expect((await navigation).status()).toBe(422);
  await expect(page.getByRole('alert')).toBeVisible();
  await ready(page, javaScriptEnabled);
}

async function expectRefusal(page: Page, field: string, message: string, radio: number, email: string) {
  const summary = page.getByRole('alert');
  await expect(summary).toContainText(message);
  await expect(summary).toBeFocused();
  // The message sits at its own field, and the summary links to it.
  await expect(page.locator(`#${field}-error`)).toContainText(message);
  await expect(summary.getByRole('link', { name: message })).toHaveAttribute('href', field === 'intake' ? '#intake-error' : `#${field}`);
  await expect(page.getByRole('radio').nth(radio)).toBeChecked();
  await expect(page.getByLabel('Given name')).toHaveValue(typed.given);
  await expect(page.getByLabel('Family name')).toHaveValue(typed.family);
  await expect(page.getByLabel('Email')).toHaveValue(email);
  await expect(page.getByLabel('Phone')).toHaveValue(typed.phone);
  await expect(page.getByLabel('Region')).toHaveValue(typed.region);
  await expect(page.getByLabel('Date of birth (YYYY-MM-DD)')).toHaveValue(typed.dob);
  await expect(page.getByLabel('I agree to the privacy statement')).toBeChecked();
}

test('registering twice with one email names the email field', async ({ page, request, baseURL, javaScriptEnabled }, info) => {
  const slug = SLUG[info.project.name];
  const email = `twice-${info.project.name}-${Date.now()}@example.co.nz`;
  await openForm(page, slug, javaScriptEnabled);
  const intake = (await page.getByRole('radio').first().getAttribute('value'))!;
  expect((await registerOther(request, baseURL!, slug, intake, email)).status).toBe(303);

  await fillForm(page, 0, email);
  await submitRefused(page, !!javaScriptEnabled);
  await expectRefusal(page, 'email', 'You are already registered for this intake with this email address.', 0, email);
});

test('an intake that filled while the learner typed names the intake field', async ({ page, request, baseURL, javaScriptEnabled }, info) => {
  const slug = SLUG[info.project.name];
  const email = `late-${info.project.name}-${Date.now()}@example.co.nz`;
  await openForm(page, slug, javaScriptEnabled);
  await fillForm(page, 0, email);
  const intake = (await page.getByRole('radio').first().getAttribute('value'))!;
  // Meanwhile, others take every seat and waitlist place (bounded: the seed's intakes
  // hold at most 30).
  let full = false;
  for (let n = 0; n < 40 && !full; n++) {
    const r = await registerOther(request, baseURL!, slug, intake, `crowd-${info.project.name}-${n}-${Date.now()}@example.co.nz`);
    if (r.status === 422) {
      expect(r.text).toContain('this intake and its waitlist are full');
      full = true;
    } else {
      expect(r.status).toBe(303);
    }
  }
  expect(full, 'the intake filled').toBe(true);

  await submitRefused(page, !!javaScriptEnabled);
  await expectRefusal(page, 'intake', 'Sorry, this intake and its waitlist are full. Please choose another intake.', 0, email);
});

test('enrolment that closed while the learner typed names the intake field', async ({ page, javaScriptEnabled }, info) => {
  const slug = SLUG[info.project.name];
  const email = `closed-${info.project.name}-${Date.now()}@example.co.nz`;
  await openForm(page, slug, javaScriptEnabled);
  expect(await page.getByRole('radio').count()).toBeGreaterThanOrEqual(2);
  await fillForm(page, 1, email);
  const intake = (await page.getByRole('radio').nth(1).getAttribute('value'))!;
  // Meanwhile, the provider closes enrolment for that intake and imports the catalogue.
  closeEnrolment(slug, intake);

  await submitRefused(page, !!javaScriptEnabled);
  await expectRefusal(page, 'intake', 'Enrolment for this intake is not open. Choose another intake.', 1, email);
});

// After a refusal the browser rechecks a corrected field by the server's rules; for the
// date of birth that needs the server's today (the form's data-today), so a second date
// that is still too young keeps its message instead of losing it until the next submit.
test('a corrected date of birth is checked for age as the server checks it', async ({ page, javaScriptEnabled }, info) => {
  test.skip(!javaScriptEnabled, 'the recheck as the learner types needs JavaScript');
  const slug = SLUG[info.project.name];
  await openForm(page, slug, true);
  await fillForm(page, 0, `young-${info.project.name}-${Date.now()}@example.co.nz`);
  const born = page.getByLabel('Date of birth (YYYY-MM-DD)');
  const year = new Date().getFullYear();
  await born.fill(`${year - 5}-01-01`);
  await submitRefused(page, true);

  const tooYoung = 'Learners must be between 14 and 100 years old.';
  await expect(page.getByRole('alert').getByRole('link', { name: tooYoung })).toBeVisible();
  await born.fill(`${year - 8}-01-01`);
  await expect(page.locator('#date_of_birth-error')).toHaveText(tooYoung);
  await expect(page.getByRole('alert').getByRole('link', { name: tooYoung })).toBeVisible();
  await expect(born).toHaveAttribute('aria-invalid', 'true');
  await born.fill(typed.dob);
  await expect(page.getByText(tooYoung)).toHaveCount(0);
  await expect(born).not.toHaveAttribute('aria-invalid');
});

/** Imports the seed catalogue's header and this one credential, with enrolment for `code`
 *  having closed yesterday: what an operator's edit of `seed/catalogue.toml` would do. */
function closeEnrolment(slug: string, code: string) {
  const seed = readFileSync(join(__dirname, '../../seed/catalogue.toml'), 'utf8');
  const parts = seed.split(/^\[\[credential\]\]$/m);
  const block = parts.find((p) => p.includes(`\nslug = "${slug}"\n`));
  if (!block) throw new Error(`no credential ${slug} in the seed`);
  const intakes = block.split(/^\[\[credential\.intake\]\]$/m);
  const edited = intakes
    .map((i) => (i.includes(`\ncode = "${code}"\n`) ? i.replace(/^enrolment_closes = .*$/m, 'enrolment_closes = "-1d"') : i))
    .join('[[credential.intake]]');
  const dir = mkdtempSync(join(tmpdir(), 'tohu-e2e-'));
  const file = join(dir, 'close.toml');
  writeFileSync(file, `${parts[0]}[[credential]]${edited}`);
  const { bin, db } = operator();
  execFileSync(bin, ['import', file], { env: { ...process.env, DATABASE_URL: db, RUST_LOG: 'warn' }, stdio: 'pipe' });
}

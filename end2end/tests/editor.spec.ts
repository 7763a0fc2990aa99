// The catalogue editor end to end, with JavaScript, without, and at 360 px: an
// administrator adds a micro-credential; the provider's coordinator adds an intake of it;
// a learner finds it by search and registers; `tohu export` holds both.
import { execFileSync } from 'child_process';
import { request as apiRequest } from '@playwright/test';
import { checkPage, fillLearner, operator, ready } from './fixtures';
import { test, expect } from './coordinator';

// Without JavaScript a refused form comes back with HTTP 422, which Chromium logs.
test.use({ allowedConsoleErrors: [/^Failed to load resource: the server responded with a status of 422/] });

/** A storage state signed in as the e2e administrator, through the real form. */
async function adminState(baseURL: string, file: string) {
  const email = process.env.E2E_ADMIN_EMAIL;
  const password = process.env.E2E_PASSWORD;
  if (!email || !password) throw new Error('E2E_ADMIN_EMAIL and E2E_PASSWORD are set by scripts/test');
  // A context of its own: one made in a test inherits the coordinator's session cookie,
  // which this sign-in would end.
  const context = await apiRequest.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const res = await context.post('/sign-in', { form: { email, password }, headers: { origin: baseURL }, maxRedirects: 0 });
  expect(res.status()).toBe(303);
  await context.storageState({ path: file });
  await context.dispose();
  return file;
}

// One made-up place name per project, so each run's credential is found by its own word.
const words: Record<string, string> = { js: 'Kaimaiwhenua', 'no-js': 'Ruahinewhenua', 'mobile-360': 'Tararuawhenua' };

test('an administrator adds a credential, a provider an intake, a learner registers', async (
  { page, browser, baseURL, javaScriptEnabled }, info,
) => {
  test.setTimeout(90_000);
  const word = words[info.project.name] ?? 'Hauturuwhenua';
  const slug = `drone-survey-${info.project.name}-${Date.now()}`;
  const title = `Drone survey of ${word} forest`;

  const admin = await browser.newContext({
    baseURL, javaScriptEnabled, viewport: page.viewportSize()!,
    storageState: await adminState(baseURL!, info.outputPath('admin.json')),
  });
  const a = await admin.newPage();
  await a.goto('/dashboard/catalogue');
  await ready(a, javaScriptEnabled);
  await a.getByRole('link', { name: 'Add a micro-credential' }).click();
  await expect(a.getByRole('heading', { level: 1, name: 'New micro-credential' })).toBeVisible();
  await ready(a, javaScriptEnabled);
  await a.getByLabel('Slug').fill(slug);
  await a.getByLabel('Title').fill(title);
  await a.getByLabel('Sector').selectOption('forestry');
  await a.getByLabel('NZQCF level').fill('4');
  await a.getByLabel('Credits', { exact: true }).fill('45');
  await a.getByLabel('Online').check();
  await a.getByLabel('Summary').fill(`Plan and fly a drone survey over ${word}.`);
  await a.getByLabel('Purpose statement').fill('Gives forestry crews the skills to survey a block from the air.');
  await a.getByLabel('Outcomes (graduate profile)').fill('Graduates plan, fly and report a drone survey.');
  await a.getByLabel('Entry requirements').fill("A current drone operator's certificate.");
  await a.getByLabel('NZSCED field of study').fill('030101');
  await a.getByRole('button', { name: 'Save' }).click();
  // A mistake comes back at its field, with everything typed kept.
  await expect(a.getByRole('alert')).toContainText('A micro-credential has 1 to 40 credits.');
  await expect(a.getByLabel('Title')).toHaveValue(title);
  await expect(a.getByLabel('Online')).toBeChecked();
  await a.getByLabel('Credits', { exact: true }).fill('15');
  await a.getByRole('button', { name: 'Save' }).click();
  await expect(a).toHaveURL(new RegExp(`/dashboard/catalogue/credential/${slug}\\?saved=1`));
  await expect(a.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(a.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expect(a.getByRole('heading', { name: 'Change history' })).toBeVisible();
  await checkPage(a, info.project.name);
  await admin.close();

  // The provider's coordinator adds an intake of it.
  await page.goto('/dashboard/catalogue');
  await ready(page, javaScriptEnabled);
  await page.getByRole('link', { name: `Add an intake of ${title}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: `New intake of ${title}` })).toBeVisible();
  await ready(page, javaScriptEnabled);
  await page.getByLabel('Code').fill('D01');
  await page.getByLabel('Starts').fill('2027-02-01');
  await page.getByLabel('Ends').fill('2027-02-12');
  await page.getByLabel('Enrolment opens').fill('2026-11-01');
  await page.getByLabel('Enrolment closes').fill('2027-01-25');
  await page.getByLabel('Region').fill('Rotorua');
  await page.getByLabel('Delivery', { exact: true }).selectOption('online');
  await page.getByLabel('Fee (NZ$, GST inclusive)').fill('450.50');
  await page.getByLabel('Seats').fill('12');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page).toHaveURL(/\/dashboard\/catalogue\/intake\/\d+\?saved=1/);
  await expect(page.getByRole('heading', { level: 1, name: `${title} D01` })).toBeVisible();
  await checkPage(page, info.project.name);

  // A learner finds it by its word and registers.
  const learner = await browser.newContext({ baseURL, javaScriptEnabled, viewport: page.viewportSize()! });
  const l = await learner.newPage();
  await l.goto(`/?q=${word}`);
  await l.getByRole('link', { name: title }).click();
  await expect(l.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await ready(l, javaScriptEnabled);
  await l.getByRole('link', { name: 'Register for an intake' }).click();
  await ready(l, javaScriptEnabled);
  await l.getByRole('radio').first().check();
  await fillLearner(l, {
    given: 'Aroha',
    family: `Drone${info.project.name.replace(/\W/g, '')}`,
    email: `aroha.${Date.now()}@example.co.nz`,
    region: 'Bay of Plenty',
  });
  await l.getByRole('button', { name: 'Register' }).click();
  await expect(l.getByRole('heading', { level: 1, name: "You're registered" })).toBeVisible();
  await learner.close();

  // `tohu export` holds the credential and its intake.
  const { bin, db } = operator();
  const out = execFileSync(bin, ['export', '--format', 'json'], {
    env: { ...process.env, DATABASE_URL: db, RUST_LOG: 'warn' },
    maxBuffer: 64 * 1024 * 1024,
  }).toString();
  const exported = JSON.parse(out);
  const added = exported.credential.find((c: any) => c.slug === slug);
  expect(added?.title).toBe(title);
  expect(added?.nzsced_code).toBe('030101');
  expect(added?.intake.map((i: any) => [i.code, i.fee, i.region])).toEqual([['D01', 450.5, 'Rotorua']]);
});

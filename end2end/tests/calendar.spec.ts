// A learner's calendar kept right (issue 33), end to end in Chromium with a real SMTP
// exchange: a provider's coordinator adds an intake, a learner registers for it, the
// coordinator moves its dates in the dashboard and then cancels it; the mail sink holds a
// REQUEST, a REQUEST with SEQUENCE + 1 and a CANCEL for one UID, each read by mailparser and
// Mozilla's ical.js. With JavaScript and without (the forms post either way).
import { checkPage, fillLearner, ready } from './fixtures';
import { test, expect } from './coordinator';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { messages, calendars } = require('../mail/read');

test.beforeEach(({}, info) => {
  test.skip(info.project.name === 'mobile-360', 'the phone layout of these pages is checked in editor.spec and dashboard.spec');
});

const TITLE = 'Demonstrate basic chainsaw operation';
const SLUG = 'demonstrate-basic-chainsaw-operation';

/** Today plus `days`, as YYYY-MM-DD (UTC; the server's New Zealand date is at most a day
 *  ahead, and every date here is weeks away from the edges that matter). */
function day(days: number) {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** Waits until the sink holds `n` messages to `address`; returns them, oldest first. */
async function mailTo(address: string, n: number) {
  const dir = process.env.E2E_MAIL_DIR;
  if (!dir) throw new Error('E2E_MAIL_DIR is set by scripts/test');
  let found: any[] = [];
  await expect(async () => {
    found = (await messages(dir)).filter((m: any) => m.envelope.to.includes(address));
    expect(found.length).toBeGreaterThanOrEqual(n);
  }).toPass({ timeout: 20_000 });
  return found;
}

/** The calendar a message carries, inline and as its file, which must agree. */
function invite(message: any) {
  const found = calendars(message.mail);
  const inline = found.find((c: any) => c.contentType === 'text/calendar');
  const file = found.find((c: any) => c.contentType === 'application/ics');
  expect(inline, `a text/calendar part in "${message.mail.subject}"`).toBeTruthy();
  expect(file?.text).toBe(inline.text);
  expect(inline.method).toBe(inline.calendarMethod);
  return inline;
}

test('a learner registers; the intake moves, then is cancelled; their calendar follows', async (
  { page, browser, baseURL, javaScriptEnabled }, info,
) => {
  test.setTimeout(90_000);
  const code = `K${info.project.name === 'js' ? 1 : 2}${String(Date.now()).slice(-4)}`;
  const learnerEmail = `calendar.${info.project.name.replace(/\W/g, '')}.${Date.now()}@example.co.nz`;

  // The provider's coordinator adds an intake of the chainsaw credential.
  await page.goto('/dashboard/catalogue');
  await ready(page, javaScriptEnabled);
  await page.getByRole('link', { name: `Add an intake of ${TITLE}` }).click();
  await ready(page, javaScriptEnabled);
  await page.getByLabel('Code').fill(code);
  await page.getByLabel('Starts').fill(day(70));
  await page.getByLabel('Ends').fill(day(80));
  await page.getByLabel('Enrolment opens').fill(day(-7));
  await page.getByLabel('Enrolment closes').fill(day(60));
  await page.getByLabel('Region').fill('Gisborne');
  await page.getByLabel('Delivery', { exact: true }).selectOption('workshop');
  await page.getByLabel('Fee (NZ$, GST inclusive)').fill('0');
  await page.getByLabel('Seats').fill('5');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page).toHaveURL(/\/dashboard\/catalogue\/intake\/\d+\?saved=1/);
  const id = new URL(page.url()).pathname.split('/').pop();

  // A learner registers for it.
  const learner = await browser.newContext({ baseURL, javaScriptEnabled, storageState: { cookies: [], origins: [] } });
  const l = await learner.newPage();
  await l.goto(`/credentials/${SLUG}/register?intake=${code}`);
  await ready(l, javaScriptEnabled);
  await expect(l.getByRole('radio', { checked: true })).toHaveCount(1);
  await fillLearner(l, { given: 'Kiri', family: 'Calendar', email: learnerEmail, region: 'Gisborne' });
  await l.getByRole('button', { name: 'Register' }).click();
  await expect(l.getByRole('heading', { level: 1, name: "You're registered" })).toBeVisible();
  await learner.close();
  const [registered] = await mailTo(learnerEmail, 1);
  const first = invite(registered);
  expect(first.calendarMethod).toBe('REQUEST');
  expect(first.start.toString()).toBe(day(70));
  expect(first.end.toString()).toBe(day(81));
  expect(first.location).toBe('Gisborne');
  expect(first.organizer.toLowerCase()).toBe(`mailto:${registered.envelope.from}`.toLowerCase());

  // The coordinator moves the dates on the intake's page.
  await page.goto(`/dashboard/intakes/${id}`);
  await ready(page, javaScriptEnabled);
  await page.getByLabel('Starts').fill(day(77));
  await page.getByLabel('Ends', { exact: true }).fill(day(87));
  await page.getByRole('button', { name: 'Save changes' }).click();
  // With JavaScript the page says so; without, the form posts and the page comes back
  // showing the intake as it now is.
  if (javaScriptEnabled) await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  else await expect(page.getByLabel('Starts')).toHaveValue(day(77));
  await checkPage(page, info.project.name);
  const moved = invite((await mailTo(learnerEmail, 2))[1]);
  expect(moved.calendarMethod).toBe('REQUEST');
  expect(moved.uid).toBe(first.uid);
  expect(moved.sequence).toBe(first.sequence + 1);
  expect([moved.start.toString(), moved.end.toString()]).toEqual([day(77), day(88)]);

  // Then cancels the intake.
  await page.getByLabel('Reason (sent to the learners)').fill('The tutor is unwell.');
  await page.getByLabel('Cancel this intake (every registration is cancelled)').check();
  await page.getByRole('button', { name: 'Close or cancel' }).click();
  await expect(page.getByText('This intake was cancelled and can no longer be changed.')).toBeVisible();
  const cancelled = await mailTo(learnerEmail, 3);
  const cancel = invite(cancelled[2]);
  expect([cancel.calendarMethod, cancel.status]).toEqual(['CANCEL', 'CANCELLED']);
  expect(cancel.uid).toBe(first.uid);
  expect(cancel.sequence).toBeGreaterThan(moved.sequence);
  expect(cancelled[2].mail.text).toContain('takes the intake off your calendar');
});

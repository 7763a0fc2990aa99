// How quickly the learner's pages answer under Chromium's 4x CPU throttle (issue 28): for
// typing a search, ticking a sector and submitting the registration form, the event's
// duration to the next paint (Event Timing, what INP measures) and the time until the
// answer is on screen. A measurement, not a test: run against a release build with
//   node end2end/responsiveness.js http://127.0.0.1:3200
const { chromium } = require('playwright');

(async () => {
  const base = process.argv[2] ?? 'http://127.0.0.1:3200';
  const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.addInitScript(() => {
    window.eventTimes = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.eventTimes.push({ name: e.name, duration: e.duration });
    }).observe({ type: 'event', durationThreshold: 16, buffered: true });
  });
  const longest = async (names) => {
    await page.waitForTimeout(500);
    const times = await page.evaluate(() => window.eventTimes.splice(0));
    return Math.max(0, ...times.filter((t) => names.includes(t.name)).map((t) => t.duration));
  };
  const answered = async (action, done) => {
    const start = Date.now();
    await action();
    await done();
    return Date.now() - start;
  };
  const figures = {};

  await page.goto(`${base}/`);
  await page.waitForSelector('html[data-hydrated]');
  const box = page.getByLabel('Search micro-credentials');
  await box.focus();
  await page.waitForTimeout(1000); // the live render's chunk, preloaded on focus
  figures.typing_ms = await answered(
    () => box.pressSequentially('chainsaw', { delay: 60 }),
    () => page.waitForURL(/\?q=chainsaw$/),
  );
  figures.typing_event_ms = await longest(['keydown', 'keypress', 'keyup', 'input', 'beforeinput']);
  await page.locator('summary.filters-toggle').click();
  const forestry = page.getByRole('checkbox', { name: /^Forestry/ });
  figures.tick_ms = await answered(() => forestry.check(), () => page.waitForURL(/sector=forestry/));
  figures.tick_event_ms = await longest(['pointerdown', 'pointerup', 'click', 'change', 'input']);

  await page.goto(`${base}/credentials/demonstrate-basic-chainsaw-operation/register`);
  await page.waitForSelector('html[data-hydrated]');
  await page.getByRole('radio').first().check();
  figures.submit_ms = await answered(
    () => page.getByRole('button', { name: 'Register' }).click(),
    () => page.waitForSelector('#error-summary'),
  );
  figures.submit_event_ms = await longest(['pointerdown', 'pointerup', 'click', 'submit']);
  console.log(JSON.stringify(figures));
  await browser.close();
})();

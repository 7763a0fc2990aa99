// The catalogue as open data, read by other people's parsers: every detail page's JSON-LD
// through structured-data-testing-tool with the committed course preset, and the intakes
// feed through Mozilla's ical.js. Checks of what the server sends, so they run once (the
// `js` project), not per viewport.
import { test, expect } from '@playwright/test';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { structuredDataTest } = require('structured-data-testing-tool');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ICAL = require('ical.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const coursePreset = require('../structured-data/course-preset.js');

test.beforeEach(({}, info) => {
  test.skip(info.project.name !== 'js', 'the served documents are the same in every project');
});

test('every detail page passes the course structured-data checks', async ({ request }) => {
  test.setTimeout(120_000);
  const sitemap = await (await request.get('/sitemap.xml')).text();
  const pages = [...sitemap.matchAll(/<loc>([^<]+\/credentials\/[^<]+)<\/loc>/g)].map((m) => m[1]);
  expect(pages.length).toBeGreaterThanOrEqual(40);
  const failures: string[] = [];
  for (const url of pages) {
    try {
      await structuredDataTest(url, { presets: [coursePreset], auto: false });
    } catch (e: any) {
      const failed = e?.res?.failed ?? [{ test: String(e) }];
      failures.push(`${url}: ${failed.map((f: any) => f.test).join(', ')}`);
    }
    // Every instance, not only one: the tool's `expect` is satisfied by any.
    const html = await (await request.get(url)).text();
    const json = html.match(/<script type="application\/ld\+json">([^<]*)<\/script>/)?.[1];
    const course = JSON.parse(json ?? '{}');
    for (const instance of course.hasCourseInstance ?? []) {
      if (!['Online', 'Onsite', 'Blended'].includes(instance.courseMode) || !instance.courseWorkload) {
        failures.push(`${url}: an instance with mode ${instance.courseMode}`);
      }
    }
  }
  expect(failures).toEqual([]);
});

test('the intakes feed parses with ical.js as all-day events with their own UIDs', async ({ request }) => {
  const res = await request.get('/api/v1/intakes.ics');
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toContain('text/calendar');
  expect(res.headers()['etag']).toBeTruthy();
  const calendar = new ICAL.Component(ICAL.parse(await res.text()));
  expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
  const events = calendar.getAllSubcomponents('vevent');
  expect(events.length).toBeGreaterThan(0);
  const uids = new Set<string>();
  for (const vevent of events) {
    const event = new ICAL.Event(vevent);
    expect(event.startDate.isDate, event.summary).toBe(true);
    expect(event.endDate.compare(event.startDate), event.summary).toBeGreaterThan(0);
    expect(vevent.getFirstPropertyValue('dtstamp')).toBeTruthy();
    expect(vevent.getAllProperties('attendee')).toHaveLength(0);
    uids.add(event.uid);
  }
  expect(uids.size).toBe(events.length);
  // The same intakes as the JSON list over the feed's window.
  const first = events.map((e: any) => new ICAL.Event(e).startDate.toString()).sort()[0];
  const list = await (await request.get(`/api/v1/intakes?from=${first}&per_page=100`)).json();
  expect(list.total).toBeGreaterThanOrEqual(events.length);
});

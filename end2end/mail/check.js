// After an end-to-end run (scripts/test): every calendar the app emailed in it, read by
// Mozilla's ical.js, holds the rules of a learner's invitation: one all-day VEVENT, the
// Content-Type's method the calendar's METHOD, the inline part and its .ics file the
// same, the organiser the envelope's sender, the learner the envelope's recipient without
// a reply asked, a CANCEL cancelled. Fails the run on any message that breaks one, or on
// a run that emailed no calendar at all.
//   node end2end/mail/check.js DIR
const { messages, calendars } = require('./read');

async function main(dir) {
  const problems = [];
  let parts = 0;
  const all = await messages(dir);
  for (const { file, envelope, mail } of all) {
    let found;
    try {
      found = calendars(mail);
    } catch (e) {
      problems.push(`${file}: ${e.message}`);
      continue;
    }
    if (found.length === 0) continue;
    parts += found.length;
    const say = (what) => problems.push(`${file} (${mail.subject}): ${what}`);
    const inline = found.filter((c) => c.contentType === 'text/calendar');
    const files = found.filter((c) => c.contentType === 'application/ics');
    if (inline.length !== 1 || files.length !== 1) say('one text/calendar part and one .ics file expected');
    if (inline[0] && files[0] && inline[0].text !== files[0].text) say('the .ics file differs from the inline calendar');
    for (const c of inline) {
      if (c.method !== c.calendarMethod) say(`Content-Type method ${c.method} but METHOD ${c.calendarMethod}`);
      if (c.charset.toUpperCase() !== 'UTF-8') say(`charset ${c.charset}`);
    }
    for (const c of found) {
      if (!['REQUEST', 'CANCEL'].includes(c.calendarMethod)) say(`METHOD ${c.calendarMethod}`);
      if (!c.uid) say('no UID');
      if (!Number.isInteger(c.sequence)) say('no SEQUENCE');
      if (!c.start.isDate || !c.end.isDate) say('not an all-day event');
      if (c.end.compare(c.start) <= 0) say('DTEND is not after DTSTART');
      if (c.organizer.toLowerCase() !== `mailto:${envelope.from}`.toLowerCase()) say(`ORGANIZER ${c.organizer}, envelope sender ${envelope.from}`);
      if (!envelope.to.map((t) => `mailto:${t}`.toLowerCase()).includes(c.attendee.toLowerCase())) say(`ATTENDEE ${c.attendee}, envelope to ${envelope.to}`);
      if (String(c.rsvp).toUpperCase() !== 'FALSE') say(`RSVP ${c.rsvp}`);
      const status = c.calendarMethod === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED';
      if (c.status !== status) say(`STATUS ${c.status} with METHOD ${c.calendarMethod}`);
      if (/token=/.test(c.text)) say('a secret link in the calendar');
    }
  }
  console.log(`mail: ${all.length} messages, ${parts} calendar parts read by ical.js, ${problems.length} problems`);
  for (const p of problems) console.error(`  ${p}`);
  if (problems.length || parts === 0) process.exit(1);
}

main(process.argv[2]).catch((e) => {
  console.error(e);
  process.exit(1);
});

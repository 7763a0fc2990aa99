// Reads what the end-to-end mail sink kept (end2end/mail/sink.js) as a mail app would:
// each message through Nodemailer's mailparser, each calendar in it through Mozilla's
// ical.js. Shared by the calendar spec and the run's closing check (check.js).
const fs = require('fs');
const path = require('path');
const { simpleParser } = require('mailparser');
const ICAL = require('ical.js');

/** Every kept message, oldest first: { file, envelope, mail } (mail: mailparser's). */
async function messages(dir) {
  if (!fs.existsSync(dir)) return [];
  const names = fs.readdirSync(dir).filter((n) => n.endsWith('.eml')).sort();
  const out = [];
  for (const name of names) {
    const envelope = JSON.parse(fs.readFileSync(path.join(dir, name.replace(/\.eml$/, '.json')), 'utf8'));
    const mail = await simpleParser(fs.readFileSync(path.join(dir, name)));
    out.push({ file: name, envelope, mail });
  }
  return out;
}

/** The calendars a message carries: mailparser lists a text/calendar part and an .ics
 *  file among its attachments. Each: { contentType, method (the Content-Type's), file,
 *  text, event } with the one VEVENT read by ical.js. */
function calendars(mail) {
  return mail.attachments
    .filter((a) => a.contentType === 'text/calendar' || a.contentType === 'application/ics')
    .map((a) => {
      const text = a.content.toString('utf8');
      const cal = new ICAL.Component(ICAL.parse(text));
      const events = cal.getAllSubcomponents('vevent');
      if (events.length !== 1) throw new Error(`one VEVENT expected, found ${events.length}`);
      const v = events[0];
      const event = new ICAL.Event(v);
      const attendee = v.getFirstProperty('attendee');
      const contentType = a.headers.get('content-type') || {};
      return {
        contentType: a.contentType,
        method: (contentType.params && contentType.params.method) || '',
        charset: (contentType.params && contentType.params.charset) || '',
        file: a.filename || '',
        text,
        calendarMethod: cal.getFirstPropertyValue('method'),
        uid: event.uid,
        sequence: event.sequence,
        status: v.getFirstPropertyValue('status'),
        start: event.startDate,
        end: event.endDate,
        location: event.location,
        summary: event.summary,
        description: event.description,
        organizer: v.getFirstPropertyValue('organizer'),
        attendee: attendee ? attendee.getFirstValue() : '',
        rsvp: attendee ? attendee.getParameter('rsvp') : '',
      };
    });
}

module.exports = { messages, calendars };

"""A learner's calendar invitations, read by tools that know nothing of our code (issue 33):
Python's `email` package for the MIME tree and the `icalendar` package for the calendar.
Against a running server whose outbox sends to the end-to-end mail sink
(end2end/mail/sink.js, which keeps DIR/<n>.eml and its envelope DIR/<n>.json): a learner
registers for intake A06, a provider's coordinator moves its dates, then its region (in the
catalogue editor), then cancels it; each step waits for its email. Every email carries one
UID, SEQUENCE rises strictly, and the last is CANCEL.

    contract-calendar.py BASE_URL MAIL_DIR DATABASE_FILE EMAIL PASSWORD
"""
import datetime
import email
import email.policy
import http.cookiejar
import json
import os
import sqlite3
import sys
import time
import urllib.parse
import urllib.request

from icalendar import Calendar

BASE, MAIL_DIR, DATABASE, COORDINATOR, PASSWORD = sys.argv[1:6]
SLUG = "demonstrate-basic-chainsaw-operation"
LEARNER = f"contract.{int(time.time())}@example.co.nz"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


jar = http.cookiejar.CookieJar()
browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)


def post(path, fields, expect):
    body = urllib.parse.urlencode(fields).encode()
    req = urllib.request.Request(BASE + path, data=body, method="POST", headers={
        "Origin": BASE, "Content-Type": "application/x-www-form-urlencoded"})
    try:
        res = browser.open(req)
        status, text = res.status, res.read().decode()
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read().decode()
    assert status == expect, f"POST {path}: {status} {text[:300]}"
    return text


def get_json(path):
    req = urllib.request.Request(BASE + path, headers={"Accept": "application/json"})
    return json.loads(browser.open(req).read())


def mail_to(address, n):
    """Waits (up to 30 s) until the sink holds `n` messages to `address`; returns them."""
    for _ in range(150):
        found = []
        for name in sorted(f for f in os.listdir(MAIL_DIR) if f.endswith(".eml")):
            with open(os.path.join(MAIL_DIR, name[:-4] + ".json")) as f:
                envelope = json.load(f)
            if address in envelope["to"]:
                with open(os.path.join(MAIL_DIR, name), "rb") as f:
                    found.append((envelope, email.message_from_binary_file(f, policy=email.policy.default)))
        if len(found) >= n:
            return found
        time.sleep(0.2)
    raise AssertionError(f"{n} emails to {address} expected; the sink holds {len(found)}")


def invitation(envelope, msg):
    """The event of a message's calendar, with the MIME rules checked on the way."""
    assert msg.get_content_type() == "multipart/mixed", msg.get_content_type()
    first = msg.get_payload()[0]
    assert first.get_content_type() == "multipart/alternative", first.get_content_type()
    kinds = [p.get_content_type() for p in first.get_payload()]
    assert kinds == ["text/plain", "text/calendar"], kinds
    inline = first.get_payload()[1]
    attached = [p for p in msg.iter_attachments() if p.get_content_type() == "application/ics"]
    # The same bytes (an application/* part's content is bytes, a text/* part's a string).
    assert len(attached) == 1
    assert attached[0].get_payload(decode=True) == inline.get_payload(decode=True)
    cal = Calendar.from_ical(inline.get_content())
    method = str(cal.get("METHOD"))
    assert inline.get_param("method") == method, (inline.get_param("method"), method)
    assert inline.get_content_charset().upper() == "UTF-8"
    (event,) = cal.walk("VEVENT")
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    for d in (start, end):
        assert isinstance(d, datetime.date) and not isinstance(d, datetime.datetime), d
    assert end > start
    sender = email.utils.parseaddr(msg["From"])[1]
    assert str(event.get("ORGANIZER")).lower() == f"mailto:{sender}".lower() == f"mailto:{envelope['from']}".lower()
    attendee = event.get("ATTENDEE")
    assert str(attendee).lower() == f"mailto:{LEARNER}".lower(), attendee
    assert attendee.params.get("RSVP") == "FALSE", attendee.params
    return {
        "method": method, "uid": str(event.get("UID")), "sequence": int(event.get("SEQUENCE")),
        "status": str(event.get("STATUS")), "start": start, "end": end,
        "location": str(event.get("LOCATION")),
    }


# The coordinator signs in through the real form; the intake's id is read from the file.
post("/sign-in", {"email": COORDINATOR, "password": PASSWORD}, 303)
with sqlite3.connect(f"file:{DATABASE}?mode=ro", uri=True) as db:
    (intake,) = db.execute(
        "SELECT i.id FROM intakes i JOIN credentials c ON c.id = i.credential_id "
        "WHERE c.slug = ? AND i.code = 'A06'", (SLUG,)).fetchone()

steps = []
# 1. A learner registers (without JavaScript, as the form posts).
learner = urllib.request.build_opener(NoRedirect)
req = urllib.request.Request(BASE + f"/credentials/{SLUG}/register", method="POST", headers={
    "Origin": BASE, "Content-Type": "application/x-www-form-urlencoded"}, data=urllib.parse.urlencode({
        "intake": "A06", "given_name": "Hēmi", "family_name": "Contract", "email": LEARNER,
        "phone": "021 000 1111", "employer": "", "region": "Gisborne", "nsn": "",
        "date_of_birth": "1991-03-04", "consent": "on"}).encode())
try:
    learner.open(req)
except urllib.error.HTTPError as e:
    assert e.code == 303, e.code
steps.append(("register", invitation(*mail_to(LEARNER, 1)[0])))

# 2. The coordinator moves the dates.
post("/api/dashboard/intake/change", {
    "id": intake, "change[capacity]": "8", "change[starts_on]": "2027-03-01",
    "change[ends_on]": "2027-03-12", "change[enrolment_closes_on]": "2027-02-20"}, 200)
steps.append(("dates", invitation(*mail_to(LEARNER, 2)[1])))
assert (steps[-1][1]["start"], steps[-1][1]["end"]) == (datetime.date(2027, 3, 1), datetime.date(2027, 3, 13))

# 3. The region changes in the catalogue editor.
record = get_json(f"/api/dashboard/catalogue/record?kind=intake&key={intake}")
values = dict(record["values"], region="Tokoroa", delivery_mode="workshop")
post("/api/dashboard/catalogue/save", {
    "kind": "intake", "key": str(intake), "credential": "", "version": str(record["version"]),
    **{f"values[{k}]": v for k, v in values.items()}}, 200)
steps.append(("region", invitation(*mail_to(LEARNER, 3)[2])))
assert steps[-1][1]["location"] == "Tokoroa", steps[-1][1]

# 4. The intake is cancelled.
post("/api/dashboard/intake/close", {"id": intake, "cancel": "true", "reason": "Tutor unwell"}, 200)
steps.append(("cancel", invitation(*mail_to(LEARNER, 4)[3])))

methods = [s["method"] for _, s in steps]
assert methods == ["REQUEST", "REQUEST", "REQUEST", "CANCEL"], methods
assert steps[-1][1]["status"] == "CANCELLED"
assert len({s["uid"] for _, s in steps}) == 1, [s["uid"] for _, s in steps]
sequences = [s["sequence"] for _, s in steps]
assert all(a < b for a, b in zip(sequences, sequences[1:])), sequences
print(f"invitations: register, dates, region, cancel: one UID, SEQUENCE {sequences} "
      "(email, icalendar)")

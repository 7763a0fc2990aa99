//! Calendar invitations (issue 33), on both databases, over a real SMTP exchange, read back
//! as a mail app reads them (`mail-parser` for the MIME tree, `icalendar`'s parser for the
//! calendar): a confirmed seat's email carries REQUEST, each change of the intake's dates,
//! region or delivery the same UID with a higher SEQUENCE, and a withdrawal, a learner's
//! cancellation and the intake's cancellation CANCEL; waitlisted learners get none; two
//! changes before the worker runs both carry the latest; the UID is never the feed's.

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use icalendar::{Calendar, Component, DatePerhapsTime, EventLike};
use mail_parser::{MessageParser, MimeHeaders};

use crate::common::forms::{as_refs, learner, post_form, scalar, SLUG};
use crate::common::smtp::SmtpSink;
use crate::common::{backends, TestApp};
use crate::dashboard::actions::set_seats;
use crate::dashboard::catalogue::{a06, record, save};
use crate::dashboard::{call, coordinators, get, Coordinators};
use tohu::server::db::Backend;
use tohu::server::outbox::{send_due, SmtpSettings};

const CHANGE: &str = "/api/dashboard/intake/change";
const CLOSE: &str = "/api/dashboard/intake/close";
const ACT: &str = "/api/dashboard/registration/act";
/// The organiser: `secrets::smtp`'s sender.
const FROM: &str = "no-reply@tohu.test";

/// One email as a mail app sees it.
#[derive(Debug)]
struct Mail {
    to: String,
    /// The SMTP envelope's sender.
    sender: String,
    from: String,
    /// The MIME tree, e.g. `multipart/mixed[multipart/alternative[text/plain,…]]`.
    tree: String,
    text: String,
    /// The `text/calendar` part's `method` and `charset` parameters and its text.
    inline: Option<(String, String, String)>,
    /// The `invite.ics` / `cancel.ics` file's name and text.
    file: Option<(String, String)>,
}

impl Mail {
    /// The calendar this email carries (inline and attached, which must agree).
    fn invite(&self) -> Invite {
        let (method, charset, ics) = self.inline.clone().expect("a text/calendar part");
        let (_, file) = self.file.clone().expect("an .ics file");
        assert_eq!(ics, file, "the attached file is the inline calendar");
        assert_eq!(charset.to_ascii_uppercase(), "UTF-8");
        let invite = Invite::parse(&ics);
        assert_eq!(method, invite.method, "Content-Type's method is METHOD");
        invite
    }
}

/// The one event of an invitation.
#[derive(Debug, Clone)]
struct Invite {
    method: String,
    uid: String,
    sequence: u32,
    status: String,
    starts: String,
    ends: String,
    summary: String,
    location: String,
    description: String,
    organizer: String,
    attendee: String,
    rsvp: String,
}

impl Invite {
    fn parse(ics: &str) -> Self {
        let cal: Calendar = ics.parse().unwrap_or_else(|e| panic!("{e}: {ics}"));
        let events: Vec<_> = cal.events().collect();
        assert_eq!(events.len(), 1, "{ics}");
        let e = events[0];
        let day = |d: Option<DatePerhapsTime>| match d {
            Some(DatePerhapsTime::Date(d)) => d.to_string(),
            other => panic!("an all-day date, not {other:?}: {ics}"),
        };
        let attendees = e
            .multi_properties()
            .get("ATTENDEE")
            .cloned()
            .unwrap_or_default();
        assert_eq!(attendees.len(), 1, "{ics}");
        Self {
            method: cal.property_value("METHOD").unwrap_or_default().to_owned(),
            uid: e.get_uid().unwrap_or_default().to_owned(),
            sequence: e.get_sequence().expect("SEQUENCE"),
            status: e.property_value("STATUS").unwrap_or_default().to_owned(),
            starts: day(e.get_start()),
            ends: day(e.get_end()),
            summary: e.get_summary().unwrap_or_default().to_owned(),
            location: e.get_location().unwrap_or_default().to_owned(),
            description: e.get_description().unwrap_or_default().to_owned(),
            organizer: e.property_value("ORGANIZER").unwrap_or_default().to_owned(),
            attendee: attendees[0].value().to_owned(),
            rsvp: attendees[0]
                .params()
                .get("RSVP")
                .map(|p| p.value().to_owned())
                .unwrap_or_default(),
        }
    }
}

fn tree(msg: &mail_parser::Message<'_>, id: u32) -> String {
    let part = msg.part(id).expect("part");
    let kind = part
        .content_type()
        .map(|c| format!("{}/{}", c.ctype(), c.subtype().unwrap_or("")))
        .unwrap_or_else(|| "text/plain".to_owned());
    match part.sub_parts() {
        Some(children) => {
            let inner: Vec<String> = children.iter().map(|c| tree(msg, *c)).collect();
            format!("{kind}[{}]", inner.join(","))
        }
        None => kind,
    }
}

fn read(raw: &str, sender: &str) -> Mail {
    let msg = MessageParser::default()
        .parse(raw.as_bytes())
        .expect("a MIME message");
    let address = |a: Option<&mail_parser::Address<'_>>| {
        a.and_then(|a| a.first())
            .and_then(|a| a.address())
            .unwrap_or_default()
            .to_owned()
    };
    let mut inline = None;
    let mut file = None;
    for part in &msg.parts {
        let Some(ct) = part.content_type() else {
            continue;
        };
        let body = part.text_contents().unwrap_or_default().to_owned();
        match (ct.ctype(), ct.subtype()) {
            ("text", Some("calendar")) => {
                assert!(part.content_disposition().is_none(), "inline, not a file");
                inline = Some((
                    ct.attribute("method").unwrap_or_default().to_owned(),
                    ct.attribute("charset").unwrap_or_default().to_owned(),
                    body,
                ));
            }
            ("application", Some("ics")) => {
                file = Some((part.attachment_name().unwrap_or_default().to_owned(), body));
            }
            _ => {}
        }
    }
    Mail {
        to: address(msg.to()),
        sender: sender.to_owned(),
        from: address(msg.from()),
        tree: tree(&msg, 0),
        text: msg.body_text(0).unwrap_or_default().into_owned(),
        inline,
        file,
    }
}

/// One test's world: the seeded app, its coordinators, and the SMTP sink with how much of
/// it has been read.
struct World {
    app: TestApp,
    c: Coordinators,
    sink: SmtpSink,
    smtp: SmtpSettings,
    seen: usize,
}

impl World {
    async fn new(backend: Backend) -> Self {
        let app = TestApp::seeded(backend).await;
        let sink = SmtpSink::start().await;
        let smtp = crate::registration::secrets::smtp(&sink);
        let c = coordinators(&app).await;
        Self {
            app,
            c,
            sink,
            smtp,
            seen: 0,
        }
    }

    /// Sends what is due; returns what the sink received since the last call.
    async fn deliver(&mut self) -> Vec<Mail> {
        send_due(&self.app.db.pool, &self.smtp).await.unwrap();
        let (messages, senders) = (self.sink.received(), self.sink.senders());
        let new: Vec<Mail> = messages[self.seen..]
            .iter()
            .zip(&senders[self.seen..])
            .map(|(raw, sender)| read(raw, sender))
            .collect();
        self.seen = messages.len();
        new
    }

    /// Closes enrolment for A06 (`cancel` false) or cancels it.
    async fn close(&self, cancel: bool, reason: &str) {
        let id = a06(&self.app).await.to_string();
        let cancel = cancel.to_string();
        let args = [("id", id.as_str()), ("cancel", &cancel), ("reason", reason)];
        let res = call(&self.app, Some(&self.c.own), CLOSE, &args).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    }
}

fn for_whom<'a>(mails: &'a [Mail], to: &str) -> Vec<&'a Mail> {
    mails.iter().filter(|m| m.to == to).collect()
}

/// Registers `email` for A06 without JavaScript: the reference and the link's token.
async fn register(app: &TestApp, email: &str) -> (String, String) {
    let res = post_form(app, &as_refs(&learner(email))).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let location = res.headers[header::LOCATION].to_str().unwrap();
    let (path, token) = location.split_once("?token=").unwrap();
    (
        path.trim_start_matches("/registrations/").to_owned(),
        token.to_owned(),
    )
}

async fn learner_cancels(app: &TestApp, (reference, token): &(String, String)) {
    let req = Request::post("/api/registration/cancel")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(format!("reference={reference}&token={token}")))
        .unwrap();
    assert_eq!(app.send(req).await.status, StatusCode::OK);
}

async fn intake_row(app: &TestApp) -> (String, String, String, String) {
    sqlx::query_as(
        "SELECT i.starts_on, i.ends_on, i.region, c.title FROM intakes i \
         JOIN credentials c ON c.id = i.credential_id WHERE i.code = 'A06' AND c.slug = $1",
    )
    .bind(SLUG)
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

async fn move_dates(app: &TestApp, c: &Coordinators, starts: &str, ends: &str) {
    let id = a06(app).await.to_string();
    let res = call(
        app,
        Some(&c.own),
        CHANGE,
        &[
            ("id", &id),
            ("change[capacity]", "8"),
            ("change[starts_on]", starts),
            ("change[ends_on]", ends),
            ("change[enrolment_closes_on]", "2027-01-31"),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
}

/// Changes A06's region and delivery in the catalogue editor.
async fn move_place(app: &TestApp, c: &Coordinators, region: &str, delivery: &str) {
    let id = a06(app).await.to_string();
    let opened = record(app, &c.own, "intake", &id).await;
    let version = opened["version"].as_i64().unwrap();
    let mut values: BTreeMap<String, String> =
        serde_json::from_value(opened["values"].clone()).unwrap();
    values.insert("region".into(), region.into());
    values.insert("delivery_mode".into(), delivery.into());
    let res = save(app, &c.own, "intake", &id, "", version, &values).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
}

fn next_day(iso: &str) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let day = time::Date::parse(iso, &format).unwrap();
    day.next_day().unwrap().to_string()
}

#[tokio::test]
async fn a_seat_s_invitation_follows_its_intake_until_the_intake_is_cancelled() {
    for backend in backends() {
        let mut w = World::new(backend).await;
        let who = "kiri@example.co.nz";
        let (reference, token) = register(&w.app, who).await;

        // Registering: REQUEST for the intake as it is.
        let sent = w.deliver().await;
        let mail = for_whom(&sent, who);
        assert_eq!(mail.len(), 1, "{backend:?}: {sent:?}");
        let mail = mail[0];
        assert_eq!(
            mail.tree,
            "multipart/mixed[multipart/alternative[text/plain,text/calendar],application/ics]",
            "{backend:?}"
        );
        assert!(mail.text.contains("calendar invitation"), "{}", mail.text);
        assert_eq!(mail.file.as_ref().unwrap().0, "invite.ics");
        // One address organises, sends and is the envelope's sender.
        assert_eq!((mail.from.as_str(), mail.sender.as_str()), (FROM, FROM));
        let first = mail.invite();
        let (starts, ends, region, title) = intake_row(&w.app).await;
        assert_eq!(
            (first.method.as_str(), first.status.as_str()),
            ("REQUEST", "CONFIRMED")
        );
        assert_eq!(
            (first.starts.clone(), first.ends.clone()),
            (starts, next_day(&ends))
        );
        assert_eq!((&first.location, &first.summary), (&region, &title));
        assert_eq!(first.organizer, format!("mailto:{FROM}"));
        assert_eq!(first.attendee, format!("mailto:{who}"));
        assert_eq!(first.rsvp, "FALSE");
        assert!(first.uid.starts_with(&reference), "{}", first.uid);
        assert!(
            first.description.contains(&reference)
                && first.description.contains(&format!("/credentials/{SLUG}")),
            "{}",
            first.description
        );
        assert!(!first.description.contains(&token), "never the secret link");
        // Never one of the public feed's UIDs.
        let feed = get(&w.app, None, "/api/v1/intakes.ics").await;
        assert_eq!(feed.status, StatusCode::OK);
        let feed: Calendar = feed.body.parse().unwrap();
        assert!(feed.events().count() > 0);
        assert!(feed
            .events()
            .all(|e| e.get_uid() != Some(first.uid.as_str())));

        // The coordinator moves the dates: the same event, a higher SEQUENCE.
        move_dates(&w.app, &w.c, "2027-02-01", "2027-06-30").await;
        let moved = for_whom(&w.deliver().await, who)[0].invite();
        assert_eq!(
            (&moved.method, &moved.uid),
            (&"REQUEST".to_owned(), &first.uid)
        );
        assert!(
            moved.sequence > first.sequence,
            "{backend:?}: {moved:?} after {first:?}"
        );
        assert_eq!(
            (moved.starts.as_str(), moved.ends.as_str()),
            ("2027-02-01", "2027-07-01")
        );

        // Closing enrolment changes nothing in a calendar: text only.
        w.close(false, "Class is set").await;
        assert_eq!(
            for_whom(&w.deliver().await, who)[0].tree,
            "text/plain",
            "{backend:?}"
        );

        // The region and delivery change in the editor: higher again, the new place.
        move_place(&w.app, &w.c, "Tokoroa", "workshop").await;
        let placed = for_whom(&w.deliver().await, who)[0].invite();
        assert_eq!(placed.uid, first.uid);
        assert!(placed.sequence > moved.sequence, "{backend:?}");
        assert_eq!(placed.location, "Tokoroa");
        // Online delivery has no place: the location says so.
        move_place(&w.app, &w.c, "Tokoroa", "online").await;
        let online = for_whom(&w.deliver().await, who)[0].invite();
        assert_eq!(online.location, "Online");
        assert!(online.sequence > placed.sequence);

        // The intake is cancelled: CANCEL for the same UID, above every REQUEST.
        w.close(true, "Tutor unwell").await;
        let sent = w.deliver().await;
        let mail = for_whom(&sent, who)[0];
        assert_eq!(mail.file.as_ref().unwrap().0, "cancel.ics");
        let cancel = mail.invite();
        assert_eq!(
            (cancel.method.as_str(), cancel.status.as_str()),
            ("CANCEL", "CANCELLED")
        );
        assert_eq!(cancel.uid, first.uid);
        assert!(cancel.sequence > online.sequence, "{backend:?}");
        w.app.finish().await;
    }
}

#[tokio::test]
async fn two_changes_before_the_worker_runs_both_carry_the_latest() {
    for backend in backends() {
        let mut w = World::new(backend).await;
        let who = "aroha@example.co.nz";
        register(&w.app, who).await;
        let first = for_whom(&w.deliver().await, who)[0].invite();
        // Two changes, then the worker.
        move_dates(&w.app, &w.c, "2027-03-01", "2027-03-12").await;
        move_place(&w.app, &w.c, "Whanganui", "workshop").await;
        let sent = w.deliver().await;
        let mails = for_whom(&sent, who);
        assert_eq!(mails.len(), 2, "{backend:?}: {sent:?}");
        let id = a06(&w.app).await;
        let version = scalar(
            &w.app,
            &format!("SELECT row_version FROM intakes WHERE id = {id}"),
        )
        .await;
        for mail in mails {
            let update = mail.invite();
            assert_eq!(update.uid, first.uid);
            assert_eq!(
                i64::from(update.sequence),
                version,
                "{backend:?}: the highest"
            );
            assert_eq!(
                (
                    update.starts.as_str(),
                    update.ends.as_str(),
                    update.location.as_str()
                ),
                ("2027-03-01", "2027-03-13", "Whanganui"),
                "{backend:?}: the latest dates and place"
            );
        }
        w.app.finish().await;
    }
}

#[tokio::test]
async fn dates_moved_away_and_back_again_are_each_sent() {
    for backend in backends() {
        let mut w = World::new(backend).await;
        let who = "hemi@example.co.nz";
        register(&w.app, who).await;
        let first = for_whom(&w.deliver().await, who)[0].invite();
        let mut last = first.sequence;
        // Away, back, and away again: the third move repeats the first's dates, and is a
        // change all the same.
        for (starts, ends) in [
            ("2027-03-01", "2027-03-12"),
            ("2027-01-23", "2027-02-06"),
            ("2027-03-01", "2027-03-12"),
        ] {
            move_dates(&w.app, &w.c, starts, ends).await;
            let sent = w.deliver().await;
            let mails = for_whom(&sent, who);
            assert_eq!(mails.len(), 1, "{backend:?} {starts}: {sent:?}");
            let update = mails[0].invite();
            assert_eq!(
                (update.starts.as_str(), update.uid.as_str()),
                (starts, first.uid.as_str())
            );
            assert!(update.sequence > last, "{backend:?}");
            last = update.sequence;
        }
        w.app.finish().await;
    }
}

#[tokio::test]
async fn waitlisted_learners_get_none_and_a_seat_that_goes_is_cancelled() {
    for backend in backends() {
        let mut w = World::new(backend).await;
        set_seats(&w.app, 1).await;
        let (seated, waiting) = ("seated@example.co.nz", "waiting@example.co.nz");
        let seated_link = register(&w.app, seated).await;
        let (waiting_ref, _) = register(&w.app, waiting).await;
        let sent = w.deliver().await;
        let seat = for_whom(&sent, seated)[0].invite();
        assert_eq!(
            for_whom(&sent, waiting)[0].tree,
            "text/plain",
            "{backend:?}: no seat, no invitation"
        );

        // The learner cancels with their link: CANCEL to them, REQUEST to the next in line.
        learner_cancels(&w.app, &seated_link).await;
        let sent = w.deliver().await;
        let gone = for_whom(&sent, seated);
        assert_eq!(gone.len(), 1, "{backend:?}: {sent:?}");
        assert!(gone[0].text.contains("You cancelled"), "{}", gone[0].text);
        let gone = gone[0].invite();
        assert_eq!((&gone.method, &gone.uid), (&"CANCEL".to_owned(), &seat.uid));
        assert!(gone.sequence > seat.sequence);
        let promoted = for_whom(&sent, waiting)[0].invite();
        assert_eq!(promoted.method, "REQUEST");
        assert!(promoted.uid.starts_with(&waiting_ref) && promoted.uid != seat.uid);

        // The coordinator withdraws the promoted learner: CANCEL for their UID.
        let withdraw = [
            ("reference", waiting_ref.as_str()),
            ("action", "withdraw"),
            ("reason", "Moved away"),
        ];
        let res = call(&w.app, Some(&w.c.own), ACT, &withdraw).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let withdrawn = for_whom(&w.deliver().await, waiting)[0].invite();
        assert_eq!(
            (&withdrawn.method, &withdrawn.uid),
            (&"CANCEL".to_owned(), &promoted.uid)
        );

        // A seat registered and cancelled before the worker runs: the confirmation goes
        // without a calendar (the seat has gone), the cancellation with CANCEL.
        let quick = "quick@example.co.nz";
        let link = register(&w.app, quick).await;
        learner_cancels(&w.app, &link).await;
        let sent = w.deliver().await;
        let mails = for_whom(&sent, quick);
        assert_eq!(mails.len(), 2, "{backend:?}: {sent:?}");
        assert_eq!(mails[0].tree, "text/plain");
        assert_eq!(mails[1].invite().method, "CANCEL");
        // A waitlisted learner who cancels held no seat: nothing to take off a calendar.
        set_seats(&w.app, 0).await;
        let late = "late@example.co.nz";
        let link = register(&w.app, late).await;
        learner_cancels(&w.app, &link).await;
        let sent = w.deliver().await;
        assert_eq!(
            for_whom(&sent, late).len(),
            1,
            "{backend:?}: the waitlist email only"
        );
        w.app.finish().await;
    }
}

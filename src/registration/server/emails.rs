//! The emails registration queues in the outbox: confirmation (seat or waitlist place),
//! promotion from the waitlist, and what a coordinator's actions tell the learner
//! (withdrawn, details again, an intake changed, completed with a credential, a completion
//! undone). Plain text, en-NZ dates; no secret beyond the learner's link.

use crate::format;
use crate::registration::types::RegistrationStatus;
use crate::server::links;
use crate::server::outbox::Email;

/// The outbox key prefix of a registration's confirmation email.
pub(crate) const REGISTERED: &str = "registered:";
/// The outbox key prefix of the email a learner gets when they cancel a seat.
pub(crate) const CANCELLED: &str = "cancelled:";

/// What an email with a seat's invitation says of it (`invitation::request_spec`).
const CALENDAR_ADDED: &str = "The calendar invitation with this email puts the intake in your \
    calendar; if its dates or place change, we will send an update for it.";
/// What an email that updates the invitation says of it.
pub const CALENDAR_UPDATED: &str = "The calendar update with this email changes the intake \
    in your calendar.";
/// What an email that cancels the invitation says of it (`invitation::cancel_spec`).
pub const CALENDAR_REMOVED: &str = "The calendar update with this email takes the intake off \
    your calendar.";

/// What a confirmation email says.
pub struct Registered<'a> {
    pub given_name: &'a str,
    pub title: &'a str,
    pub starts_on: &'a str,
    pub region: &'a str,
    pub reference: &'a str,
    pub status: RegistrationStatus,
    pub position: Option<i64>,
    /// The employer whose coordinator enrolled the learner; `None` when they registered
    /// themselves.
    pub enrolled_by: Option<&'a str>,
}

/// The confirmation of a seat or a waitlist place; `link` names the registration's link
/// (`server::links::registration_spec`).
pub fn registered(r: &Registered<'_>, link: &str) -> Email {
    let Registered {
        given_name,
        title,
        starts_on,
        region,
        reference,
        status,
        position,
        enrolled_by,
    } = *r;
    let what = match (status, position) {
        (RegistrationStatus::Waitlisted, Some(p)) => format!(
            "The intake is full, so you are number {p} on its waitlist. We will email you if a seat comes free."
        ),
        _ => format!("Your seat is confirmed. {CALENDAR_ADDED}"),
    };
    let when = format!(
        "{title}, starting {} ({region})",
        format::long_date(starts_on)
    );
    let opening = match enrolled_by {
        None => format!("Thank you for registering for {when}."),
        Some(employer) => format!(
            "{employer} has enrolled you in {when}. They gave us your details and said you \
             agree to our privacy statement; if that is not right, cancel with the link below."
        ),
    };
    Email {
        subject: format!("Your registration {reference}: {title}"),
        body: format!(
            "Kia ora {given_name},\n\n{opening}\n\n{what}\n\n\
             Your reference is {reference}. See or cancel your registration here:\n{link}\n\n\
             Keep this link private: anyone with it can cancel your registration.\n\nNgā mihi,\nTohu\n",
            link = links::MARKER,
        ),
        link: Some(link.to_owned()),
        calendar: None,
    }
}

/// `link` names the registration's link (`server::links::registration_spec`).
pub fn promoted(given_name: &str, title: &str, reference: &str, link: &str) -> Email {
    Email {
        subject: format!("A seat is yours: {title} ({reference})"),
        body: format!(
            "Kia ora {given_name},\n\nA seat came free in {title}, and it is now yours: your registration \
             {reference} is confirmed.\n\n{CALENDAR_ADDED}\n\nSee or cancel your registration here:\n{link}\n\n\
             Keep this link private: anyone with it can cancel your registration.\n\nNgā mihi,\nTohu\n",
            link = links::MARKER,
        ),
        link: Some(link.to_owned()),
        calendar: None,
    }
}

/// A coordinator took the learner off the intake; `had_seat` when their calendar held it.
pub fn withdrawn(
    given_name: &str,
    title: &str,
    reference: &str,
    base_url: &str,
    had_seat: bool,
) -> Email {
    let calendar = match had_seat {
        true => format!("{CALENDAR_REMOVED}\n\n"),
        false => String::new(),
    };
    Email {
        subject: format!("Your registration {reference} was withdrawn: {title}"),
        body: format!(
            "Kia ora {given_name},\n\nThe provider of {title} has withdrawn your registration \
             {reference}. If you did not expect this, reply to your provider or contact them \
             with your reference.\n\n{calendar}Other intakes are at {base_url}/.\n\n\
             Ngā mihi,\nTohu\n"
        ),
        link: None,
        calendar: None,
    }
}

/// The registration's details again, at a coordinator's request, with the same private
/// link (`link` names it: `server::links::registration_spec`).
pub fn details(
    given_name: &str,
    title: &str,
    starts_on: &str,
    reference: &str,
    status: RegistrationStatus,
    link: &str,
) -> Email {
    let what = match status {
        RegistrationStatus::Confirmed => format!("Your seat is confirmed. {CALENDAR_ADDED}"),
        RegistrationStatus::Waitlisted => {
            "You are on the waitlist; we will email you if a seat comes free.".to_owned()
        }
        RegistrationStatus::Completed => {
            "You have completed this micro-credential. Where your provider issued you a \
             credential, it is on your registration's page to download."
                .to_owned()
        }
        _ => "Your registration is being processed.".to_owned(),
    };
    Email {
        subject: format!("Your registration {reference}: {title}"),
        body: format!(
            "Kia ora {given_name},\n\nHere are the details of your registration for {title}, \
             starting {}.\n\n{what}\n\nYour reference is {reference}. See or cancel your \
             registration here:\n{link}\n\nKeep this link private.\n\nNgā mihi,\nTohu\n",
            format::long_date(starts_on),
            link = links::MARKER,
        ),
        link: Some(link.to_owned()),
        calendar: None,
    }
}

/// The learner cancelled their seat with their link: the calendar update it carries takes
/// the intake off their calendar.
pub fn cancelled(given_name: &str, title: &str, reference: &str, base_url: &str) -> Email {
    Email {
        subject: format!("You cancelled your registration {reference}: {title}"),
        body: format!(
            "Kia ora {given_name},\n\nYou cancelled your registration {reference} for {title}, \
             so your seat is free for someone else.\n\n{CALENDAR_REMOVED}\n\n\
             If you did not cancel it, contact the provider with your reference. Other intakes \
             are at {base_url}/.\n\nNgā mihi,\nTohu\n"
        ),
        link: None,
        calendar: None,
    }
}

/// The provider changed, closed or cancelled the learner's intake; `what` says how.
pub fn intake_changed(given_name: &str, title: &str, reference: &str, what: &str) -> Email {
    Email {
        subject: format!("A change to your intake: {title} ({reference})"),
        body: format!(
            "Kia ora {given_name},\n\nThe provider has changed the intake of {title} you \
             registered for (reference {reference}).\n\n{what}\n\nIf you have questions, \
             contact your provider with your reference.\n\nNgā mihi,\nTohu\n"
        ),
        link: None,
        calendar: None,
    }
}

/// The learner completed: their Open Badges credential waits on their registration's page
/// (`link` names its link: `server::links::registration_spec`).
pub fn completed(given_name: &str, title: &str, reference: &str, link: &str) -> Email {
    Email {
        subject: format!("You completed {title}: your credential ({reference})"),
        body: format!(
            "Kia ora {given_name},\n\nCongratulations: your provider has recorded that you \
             completed {title}.\n\nYour digital credential (an Open Badges credential anyone \
             can check) is ready to download from your registration's page, with a badge \
             image and a link to add it to LinkedIn:\n{link}\n\nKeep this link private. \
             NZQA's Record of Achievement remains the official record of your \
             micro-credential.\n\nNgā mihi,\nTohu\n",
            link = links::MARKER,
        ),
        link: Some(link.to_owned()),
        calendar: None,
    }
}

/// The provider undid the learner's completion, which revoked their credential.
pub fn uncompleted(given_name: &str, title: &str, reference: &str) -> Email {
    Email {
        subject: format!("Your completion of {title} was undone ({reference})"),
        body: format!(
            "Kia ora {given_name},\n\nYour provider has undone the completion of {title} \
             recorded for your registration {reference}, so the credential issued for it has \
             been revoked: anyone who checks it will see that.\n\nIf you did not expect \
             this, contact your provider with your reference.\n\nNgā mihi,\nTohu\n"
        ),
        link: None,
        calendar: None,
    }
}

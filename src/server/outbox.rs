//! Email through a transactional outbox. A message row is written in the same transaction
//! as the change it reports; a background worker sends due rows over SMTP with retry and
//! exponential backoff, and marks them sent. Rows are claimed before sending, so several
//! app instances can run workers against one database without sending a message twice
//! (short of a crash between the SMTP exchange and the update, which repeats at most one).
//! A row names its link and its calendar invitation rather than holding them; both are
//! written as the message is sent (`server::links`, `registration::server::invitation`).

use std::time::Duration;

use lettre::message::{header::ContentType, Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sqlx::{Any, AnyPool, Transaction};

use crate::registration::server::invitation::{self, Invitation};
use crate::server::clock;
use crate::server::config::Config;
use crate::server::email::email_key;
use crate::server::ical::{Method, Person};
use crate::server::links::{self, LinkSecret};

#[derive(Debug, Clone, Default)]
pub struct Email {
    pub subject: String,
    /// The text; a link goes where it says `{link}` (`server::links::MARKER`).
    pub body: String,
    /// The link's name (`server::links::registration_spec`), signed in when sent.
    pub link: Option<String>,
    /// The calendar invitation's name (`registration::server::invitation`), written as a
    /// `text/calendar` part when sent.
    pub calendar: Option<String>,
}

impl Email {
    /// This email with the calendar invitation `spec` names, if any.
    pub fn with_calendar(self, spec: Option<String>) -> Self {
        Self {
            calendar: spec,
            ..self
        }
    }
}

/// Queues `email` for `recipient` once: a second call with the same key changes nothing.
pub async fn queue(
    tx: &mut Transaction<'_, Any>,
    key: &str,
    recipient: &str,
    email: &Email,
) -> Result<(), sqlx::Error> {
    let now = clock::now();
    sqlx::query(
        "INSERT INTO outbox (dedupe_key, recipient, subject, body, created_at, next_attempt_at, \
           link, recipient_key, calendar) \
         VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8) ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(key.to_owned())
    .bind(recipient.to_owned())
    .bind(email.subject.clone())
    .bind(email.body.clone())
    .bind(now)
    .bind(email.link.clone())
    .bind(email_key(recipient))
    .bind(email.calendar.clone())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// How long a worker holds a claimed message. A send is abandoned well before (see
/// [`SEND_TIMEOUT`]), so no second worker can claim a message while it is being sent.
const LEASE: time::Duration = time::Duration::minutes(2);
/// The longest one SMTP exchange may take, under the lease.
const SEND_TIMEOUT: Duration = Duration::from_secs(60);
/// After this many failed attempts (about 40 minutes of backoff) a message is given up.
pub const MAX_ATTEMPTS: i64 = 10;

/// Where and how to send (`--smtp-host`, `--smtp-port`, `--mail-from`). Without a host no
/// worker runs and messages wait in the outbox.
/// The links in a message are derived as it is sent, with `links` and `base_url`.
#[derive(Clone, Debug)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub from: String,
    pub links: LinkSecret,
    pub base_url: String,
}

impl SmtpSettings {
    pub fn from_config(config: &Config, links: LinkSecret) -> Option<Self> {
        let host = config.smtp_host.clone().filter(|h| !h.is_empty())?;
        Some(Self {
            host,
            port: config.smtp_port,
            from: config.mail_from.clone(),
            links,
            base_url: config.public_url(),
        })
    }
}

/// One message due for sending.
#[derive(sqlx::FromRow)]
struct DueEmail {
    id: i64,
    recipient: String,
    subject: String,
    body: String,
    link: Option<String>,
    calendar: Option<String>,
    attempts: i64,
}

/// Sends due messages once; returns how many were sent. Called in a loop by [`run_worker`].
pub async fn send_due(pool: &AnyPool, smtp: &SmtpSettings) -> Result<usize, sqlx::Error> {
    let now = clock::now();
    let due = sqlx::query_as::<_, DueEmail>(
        "SELECT id, recipient, subject, body, link, calendar, attempts FROM outbox \
         WHERE sent_at IS NULL AND given_up_at IS NULL AND next_attempt_at <= $1 \
           AND (claimed_until IS NULL OR claimed_until < $1) \
         ORDER BY id LIMIT 20",
    )
    .bind(now.clone())
    .fetch_all(pool)
    .await?;
    // Plain SMTP for a relay on the local network; TLS is the relay's job here.
    let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(smtp.host.clone())
        .port(smtp.port)
        .timeout(Some(Duration::from_secs(15)))
        .build();
    let mut sent = 0;
    for DueEmail {
        id,
        recipient,
        subject,
        body,
        link,
        calendar,
        attempts,
    } in due
    {
        let lease = clock::from_now(LEASE);
        let claimed = sqlx::query(
            "UPDATE outbox SET claimed_until = $1 WHERE id = $2 AND sent_at IS NULL \
             AND (claimed_until IS NULL OR claimed_until < $3)",
        )
        .bind(lease.clone())
        .bind(id)
        .bind(now.clone())
        .execute(pool)
        .await?
        .rows_affected();
        if claimed != 1 {
            continue;
        }
        let body = links::render(
            pool,
            &smtp.links,
            &smtp.base_url,
            &body,
            link.as_deref(),
            &recipient,
        )
        .await?;
        let invitation = match &calendar {
            Some(spec) => invitation(pool, smtp, spec).await?,
            None => None,
        };
        let message = Outgoing {
            from: &smtp.from,
            to: &recipient,
            subject: &subject,
            body,
            invitation,
        };
        let sending = deliver(&transport, message);
        let result = match tokio::time::timeout(SEND_TIMEOUT, sending).await {
            Ok(result) => result,
            Err(_) => Err(Failure::retry("SMTP exchange timed out")),
        };
        // Every update below holds only while this worker still holds the lease.
        let delivered = result.is_ok();
        let marked = match result {
            Ok(()) => mark_sent(pool, id, &lease).await?,
            Err(failure) => {
                let give_up = failure.permanent || attempts + 1 >= MAX_ATTEMPTS;
                // The reason names no address.
                match give_up {
                    true => tracing::error!(
                        outbox_id = id,
                        attempts = attempts + 1,
                        reason = failure.reason,
                        "email given up (dead letter)"
                    ),
                    false => tracing::warn!(
                        outbox_id = id,
                        attempts = attempts + 1,
                        reason = failure.reason,
                        "email not sent; will retry"
                    ),
                }
                mark_failed(pool, id, &lease, attempts, give_up).await?
            }
        };
        match marked {
            true if delivered => sent += 1,
            true => {}
            false => tracing::warn!(
                outbox_id = id,
                "outbox lease lost while sending; not marked"
            ),
        }
    }
    Ok(sent)
}

/// Marks message `id` sent, if this worker still holds it under `lease` (the
/// `claimed_until` it wrote when claiming). `false` when another worker has claimed it
/// since: then that worker decides, and this one changes nothing.
pub async fn mark_sent(pool: &AnyPool, id: i64, lease: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE outbox SET sent_at = $1, attempts = attempts + 1, claimed_until = NULL \
         WHERE id = $2 AND claimed_until = $3 AND sent_at IS NULL",
    )
    .bind(clock::now())
    .bind(id)
    .bind(lease.to_owned())
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Counts a failed attempt at message `id` (held under `lease`, as [`mark_sent`]): either
/// gives it up (a dead letter) or puts it off, 5 s, 10 s, 20 s … capped at an hour.
async fn mark_failed(
    pool: &AnyPool,
    id: i64,
    lease: &str,
    attempts: i64,
    give_up: bool,
) -> Result<bool, sqlx::Error> {
    let wait = 5i64.saturating_mul(1 << attempts.clamp(0, 10)).min(3600);
    let (given_up_at, next_attempt_at) = match give_up {
        true => (Some(clock::now()), None),
        false => (None, Some(clock::from_now(time::Duration::seconds(wait)))),
    };
    let done = sqlx::query(
        "UPDATE outbox SET attempts = attempts + 1, given_up_at = $1, \
           next_attempt_at = COALESCE($2, next_attempt_at), claimed_until = NULL \
         WHERE id = $3 AND claimed_until = $4",
    )
    .bind(given_up_at)
    .bind(next_attempt_at)
    .bind(id)
    .bind(lease.to_owned())
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Why a message was not sent, and whether trying again could help.
#[derive(Debug)]
struct Failure {
    reason: &'static str,
    permanent: bool,
}

impl Failure {
    fn retry(reason: &'static str) -> Self {
        Self {
            reason,
            permanent: false,
        }
    }

    fn permanent(reason: &'static str) -> Self {
        Self {
            reason,
            permanent: true,
        }
    }
}

/// The calendar invitation `spec` names, written now from the registration and intake as
/// they are, with the sender as its organiser (so ORGANIZER, From and the SMTP envelope's
/// sender are one address).
async fn invitation(
    pool: &AnyPool,
    smtp: &SmtpSettings,
    spec: &str,
) -> Result<Option<Invitation>, sqlx::Error> {
    let Ok(from) = smtp.from.parse::<Mailbox>() else {
        return Ok(None);
    };
    let email = from.email.to_string();
    let organizer = Person {
        name: from.name.as_deref().unwrap_or("Tohu"),
        email: &email,
    };
    invitation::render(pool, spec, organizer, &smtp.base_url).await
}

/// One message as it goes out.
struct Outgoing<'a> {
    from: &'a str,
    to: &'a str,
    subject: &'a str,
    body: String,
    invitation: Option<Invitation>,
}

async fn deliver(
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    message: Outgoing<'_>,
) -> Result<(), Failure> {
    let from: Mailbox = message
        .from
        .parse()
        .map_err(|_| Failure::permanent("bad sender address"))?;
    let to: Mailbox = message
        .to
        .parse()
        .map_err(|_| Failure::permanent("bad recipient address"))?;
    // lettre takes the envelope's sender from the From header: the organiser's address.
    let builder = Message::builder()
        .from(from)
        .to(to)
        .subject(message.subject);
    let built = match message.invitation {
        None => builder.header(ContentType::TEXT_PLAIN).body(message.body),
        Some(calendar) => builder.multipart(with_calendar(message.body, calendar)),
    };
    let message = built.map_err(|_| Failure::permanent("message could not be built"))?;
    transport.send(message).await.map(|_| ()).map_err(|e| {
        // A 5xx answer (no such mailbox, refused) will not change by waiting.
        if e.is_permanent() {
            Failure::permanent("SMTP server refused the message")
        } else {
            Failure::retry("SMTP exchange failed")
        }
    })
}

/// iMIP (RFC 6047) as the calendar services send it: `multipart/mixed` whose first child is
/// `multipart/alternative` of the text and `text/calendar; method=…` (Outlook looks for the
/// calendar only in a mixed message's first child, and treats one marked as an attachment as
/// a file), then the same calendar as an `invite.ics` file for a mail app that only opens
/// attachments (docs/decisions/0022).
fn with_calendar(text: String, calendar: Invitation) -> MultiPart {
    let inline = format!(
        "text/calendar; method={}; charset=UTF-8",
        calendar.method.as_str()
    );
    let file = match calendar.method {
        Method::Cancel => "cancel.ics",
        Method::Request | Method::Publish => "invite.ics",
    };
    let alternative = MultiPart::alternative().singlepart(SinglePart::plain(text));
    match (
        ContentType::parse(&inline),
        ContentType::parse("application/ics"),
    ) {
        (Ok(inline), Ok(ics)) => MultiPart::mixed()
            .multipart(
                alternative.singlepart(
                    SinglePart::builder()
                        .header(inline)
                        .body(calendar.ics.clone()),
                ),
            )
            .singlepart(Attachment::new(file.to_owned()).body(calendar.ics, ics)),
        // Both types are constants that parse; were one not to, the text still goes.
        _ => MultiPart::mixed().multipart(alternative),
    }
}

/// Polls the outbox every `interval` until the process ends.
pub async fn run_worker(pool: AnyPool, smtp: SmtpSettings, interval: Duration) {
    loop {
        if let Err(e) = send_due(&pool, &smtp).await {
            tracing::error!(error = %e, "outbox worker: database error");
        }
        tokio::time::sleep(interval).await;
    }
}

//! The confirmation email: queued with the registration, sent over a real SMTP exchange.

use crate::common::forms::{as_refs, learner, post_form, scalar};
use crate::common::smtp::SmtpSink;
use crate::common::{backends, TestApp, TEST_SECRET};
use tohu::server::links::LinkSecret;
use tohu::server::outbox::{send_due, SmtpSettings};

#[tokio::test]
async fn confirmation_email_goes_out_over_smtp_once_and_retries_on_failure() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let res = post_form(&app, &as_refs(&learner("mail@example.co.nz"))).await;
        let link = res.headers["location"].to_str().unwrap().to_owned();
        let reference = link.split(['/', '?']).nth(2).unwrap().to_owned();

        // No server listening: the attempt fails, is counted and put off.
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let dead_port = closed.local_addr().unwrap().port();
        drop(closed);
        let dead = SmtpSettings {
            host: "127.0.0.1".into(),
            port: dead_port,
            from: "Tohu <no-reply@tohu.test>".into(),
            links: LinkSecret::new(TEST_SECRET.as_bytes()),
            base_url: "http://127.0.0.1:3000".into(),
        };
        assert_eq!(send_due(&app.db.pool, &dead).await.unwrap(), 0);
        assert_eq!(scalar(&app, "SELECT attempts FROM outbox").await, 1);
        assert_eq!(
            scalar(&app, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").await,
            1
        );
        // Backoff: not due again straight away.
        let sink = SmtpSink::start().await;
        let live = SmtpSettings {
            host: "127.0.0.1".into(),
            port: sink.port,
            from: "Tohu <no-reply@tohu.test>".into(),
            links: LinkSecret::new(TEST_SECRET.as_bytes()),
            base_url: "http://127.0.0.1:3000".into(),
        };
        assert_eq!(send_due(&app.db.pool, &live).await.unwrap(), 0);
        sqlx::query("UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00Z'")
            .execute(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(
            send_due(&app.db.pool, &live).await.unwrap(),
            1,
            "{backend:?}"
        );
        assert_eq!(send_due(&app.db.pool, &live).await.unwrap(), 0, "sent once");
        let received = sink.received();
        assert_eq!(received.len(), 1);
        assert!(received[0].contains(&reference), "{}", received[0]);
        // The email carries the very link the learner was sent to, derived as it was sent.
        let text = crate::registration::secrets::readable(&received[0]);
        assert!(
            text.contains(&format!("http://127.0.0.1:3000{link}")),
            "{link} in {text}"
        );
        assert!(
            received[0].contains("To: mail@example.co.nz"),
            "{}",
            received[0]
        );
        assert_eq!(
            scalar(
                &app,
                "SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL"
            )
            .await,
            1
        );
        app.finish().await;
    }
}

fn smtp_at(port: u16) -> SmtpSettings {
    SmtpSettings {
        host: "127.0.0.1".into(),
        port,
        from: "Tohu <no-reply@tohu.test>".into(),
        links: LinkSecret::new(TEST_SECRET.as_bytes()),
        base_url: "http://127.0.0.1:3000".into(),
    }
}

/// A message no server will take is given up (a dead letter) instead of being retried for
/// ever: at once when the server refuses the mailbox, after the last attempt otherwise. A
/// worker that lost its claim on a row does not mark it.
#[tokio::test]
async fn undeliverable_email_becomes_a_dead_letter() {
    use tohu::server::outbox::MAX_ATTEMPTS;
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        for (key, to) in [
            ("refused", "nobody@example.co.nz"),
            ("flaky", "mere@example.co.nz"),
        ] {
            sqlx::query(
                "INSERT INTO outbox (dedupe_key, recipient, recipient_key, subject, body, \
                   created_at, next_attempt_at) \
                 VALUES ($1, $2, $2, 'Hello', 'Kia ora', '2026-11-28T00:00:00Z', \
                   '2000-01-01T00:00:00Z')",
            )
            .bind(key)
            .bind(to)
            .execute(&app.db.pool)
            .await
            .unwrap();
        }
        // The sink refuses `nobody@`: given up after one attempt. The other is sent.
        let sink = SmtpSink::start().await;
        assert_eq!(
            send_due(&app.db.pool, &smtp_at(sink.port)).await.unwrap(),
            1
        );
        let refused =
            "SELECT attempts FROM outbox WHERE dedupe_key = 'refused' AND given_up_at IS NOT NULL";
        assert_eq!(scalar(&app, refused).await, 1, "{backend:?}");
        // Nothing due any more, however often the worker looks.
        sqlx::query("UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00Z'")
            .execute(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(
            send_due(&app.db.pool, &smtp_at(sink.port)).await.unwrap(),
            0
        );
        assert_eq!(sink.received().len(), 1);

        // A server that is down: retried with backoff, given up at the last attempt.
        sqlx::query(
            "UPDATE outbox SET sent_at = NULL, attempts = $1, next_attempt_at = '2000-01-01T00:00:00Z' \
             WHERE dedupe_key = 'flaky'",
        )
        .bind(MAX_ATTEMPTS - 2)
        .execute(&app.db.pool)
        .await
        .unwrap();
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let dead = smtp_at(closed.local_addr().unwrap().port());
        drop(closed);
        send_due(&app.db.pool, &dead).await.unwrap();
        let flaky =
            "SELECT COUNT(*) FROM outbox WHERE dedupe_key = 'flaky' AND given_up_at IS NULL";
        assert_eq!(
            scalar(&app, flaky).await,
            1,
            "{backend:?}: one more try left"
        );
        sqlx::query("UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00Z'")
            .execute(&app.db.pool)
            .await
            .unwrap();
        send_due(&app.db.pool, &dead).await.unwrap();
        assert_eq!(scalar(&app, flaky).await, 0, "{backend:?}: given up");
        assert_eq!(
            scalar(
                &app,
                "SELECT attempts FROM outbox WHERE dedupe_key = 'flaky'"
            )
            .await,
            MAX_ATTEMPTS
        );

        // A worker whose claim ran out and was taken over marks nothing.
        sqlx::query(
            "UPDATE outbox SET sent_at = NULL, given_up_at = NULL, \
               claimed_until = '2030-01-01T00:00:00Z' WHERE dedupe_key = 'flaky'",
        )
        .execute(&app.db.pool)
        .await
        .unwrap();
        let id = scalar(&app, "SELECT id FROM outbox WHERE dedupe_key = 'flaky'").await;
        let pool = &app.db.pool;
        use tohu::server::outbox::mark_sent;
        assert!(!mark_sent(pool, id, "2029-12-31T23:58:00Z").await.unwrap());
        let unsent = "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND dedupe_key = 'flaky'";
        assert_eq!(scalar(&app, unsent).await, 1);
        assert!(mark_sent(pool, id, "2030-01-01T00:00:00Z").await.unwrap());
        assert_eq!(scalar(&app, unsent).await, 0);
        app.finish().await;
    }
}

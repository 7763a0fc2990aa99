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

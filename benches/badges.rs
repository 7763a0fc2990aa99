//! Signing and verifying Open Badges credentials (`badges::server`): the cost of one
//! `eddsa-rdfc-2022` proof on a credential as Tohu issues it (two JSON-LD expansions with
//! the undefined-term check and two RDFC-1.0 canonicalisations, then Ed25519). Not part of
//! the test run; printed figures, no pass/fail.
//!
//! Run: `cargo bench --features ssr --bench badges` (`TOHU_BENCH_N=500` for more rounds).

use std::time::{Duration, Instant};

use ed25519_dalek::SigningKey;
use tohu::badges::server::achievement::{Snapshot, Standard};
use tohu::badges::server::credential::{Issued, Recorded};
use tohu::badges::server::keys::IssuerKeys;
use tohu::badges::server::proof;

fn issued(n: usize) -> Issued {
    Issued {
        id: format!("00000000-0000-4000-8000-{n:012}"),
        achieved_on: "2026-11-27".into(),
        issued_at: "2026-11-28T01:02:03Z".into(),
        status: "active".into(),
        email_salt: "0123456789abcdef0123456789abcdef".into(),
        status_list_id: 1,
        status_index: n as i64,
        recorded: Recorded {
            listing: Snapshot {
                slug: "licence-controller-qualification-lcq".into(),
                title: "Licence Controller Qualification - LCQ".into(),
                summary: "Prepares duty managers to apply for a manager's certificate.".into(),
                criteria: "Graduates can apply the Sale and Supply of Alcohol Act 2012.".into(),
                credits: 6,
                level: 3,
                nzqa_ref: Some(4130),
                nzqa_version: Some(1),
                sector: "Hospitality".into(),
                data_note: "Sample data for demonstration: intakes.".into(),
                standards: vec![
                    Standard {
                        number: 4646,
                        version: Some(9),
                        title: "Demonstrate knowledge of the Sale and Supply of Alcohol Act 2012"
                            .into(),
                    },
                    Standard {
                        number: 16705,
                        version: Some(6),
                        title: "Demonstrate knowledge of host responsibility requirements".into(),
                    },
                ],
            },
            issuer_name: "Tohu Training (sample provider)".into(),
        },
        issuer_public_id: "5b0f3d8e-6c1a-4f6e-9a57-0d7c1e2b3a49".into(),
        learner_name: "Māhina Ngāti Tūhoe".into(),
        learner_email: "mahina@example.co.nz".into(),
    }
}

fn report(what: &str, mut times: Vec<Duration>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mean = times.iter().map(|d| ms(*d)).sum::<f64>() / times.len() as f64;
    let p99 = times[(times.len() * 99 / 100).min(times.len() - 1)];
    println!(
        "{what:<34} n={:<5} mean {mean:6.2} ms   p50 {:6.2} ms   p99 {:6.2} ms",
        times.len(),
        ms(times[times.len() / 2]),
        ms(p99)
    );
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("TOHU_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let keys = IssuerKeys::new(SigningKey::from_bytes(&[7; 32]), Vec::new());
    let public = keys.listed_key(&keys.key_id()).unwrap();
    let base = "https://tohu.example.nz";
    let mut signing = Vec::with_capacity(n);
    let mut verifying = Vec::with_capacity(n);
    let mut size = 0;
    for i in 0..n {
        let credential = issued(i);
        let t = Instant::now();
        let signed = credential.signed(base, &keys).await.expect("signs");
        signing.push(t.elapsed());
        size = signed.to_string().len();
        let t = Instant::now();
        proof::verify(&signed, &public, &[])
            .await
            .expect("verifies");
        verifying.push(t.elapsed());
    }
    println!("one credential: {size} bytes of JSON");
    report("sign (build, canonicalise, sign)", signing);
    report("verify (canonicalise, check)", verifying);
}

//! Outside oracles: a learner completed on every intake'd credential of the seed catalogue
//! gets a credential that the 1EdTech AchievementCredential schema accepts (checked here in
//! Rust and again in Python), and that two independent verifiers accept: openbadgeslib
//! (Python, `scripts/badges/verify.py`) and Digital Bazaar's VC stack (Node,
//! `end2end/badges/verify.mjs`). Each must also refuse a copy with one character of the
//! name, the date or the achievement changed, and a revoked one (read from its status
//! list). Both run offline from the folder this test writes; `scripts/setup --test`
//! installs them.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use super::{credential_of, schema, schema_errors, BASE, BULK};
use crate::common::TestApp;
use crate::dashboard::{call, coordinators, get, json};

/// Registers a confirmed learner on the first intake of every credential that has one, as
/// an earlier registration would have; their references.
async fn learners_on_every_credential(app: &TestApp) -> Vec<String> {
    let intakes: Vec<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT MIN(i.id), MIN(i.provider_org_id) FROM intakes i GROUP BY i.credential_id \
         ORDER BY MIN(i.id)",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let names = [
        ("Māhina", "Ngāti Tūhoe"),
        ("Liam", "O'Brien"),
        ("Siaosi", "Fa'alogo"),
    ];
    let mut references = Vec::new();
    for (n, (intake, provider)) in intakes.into_iter().enumerate() {
        let reference = format!("TOHU-OB{n:04}");
        let (given, family) = names[n % names.len()];
        let email = format!("Learner.{n}@Example.co.nz");
        sqlx::query(
            "INSERT INTO registrations (intake_id, reference, token_hash, status, given_name, \
             family_name, email, email_key, phone, region, date_of_birth, consented_at, \
             created_at, updated_at, provider_org_id) VALUES ($1, $2, 'x', 'confirmed', $3, \
             $4, $5, $6, '021 123 4567', 'Waikato', '1990-01-01', '2026-11-01T00:00:00Z', \
             '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z', $7)",
        )
        .bind(intake)
        .bind(reference.clone())
        .bind(given)
        .bind(family)
        .bind(email.clone())
        .bind(email.to_lowercase())
        .bind(provider)
        .execute(&app.db.pool)
        .await
        .unwrap();
        references.push(reference);
    }
    references
}

fn write(dir: &Path, kind: &str, name: &str, doc: &Value) {
    std::fs::create_dir_all(dir.join(kind)).unwrap();
    std::fs::write(dir.join(kind).join(format!("{name}.json")), doc.to_string()).unwrap();
}

/// Runs an outside verifier; its output is printed, and it must exit 0.
fn run(program: &str, args: &[&str], install: &str) {
    let out = Command::new(program)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}: {install}"));
    let text = String::from_utf8_lossy(&out.stdout);
    println!("{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        out.status.success(),
        "{program} refused what it should accept, or the reverse:\n{text}"
    );
}

#[tokio::test]
async fn seed_credentials_pass_the_schema_and_two_outside_verifiers() {
    let app = TestApp::seeded(tohu::server::db::Backend::Sqlite).await;
    let c = coordinators(&app).await;
    let references = learners_on_every_credential(&app).await;
    assert!(
        references.len() >= 40,
        "{} credentials with intakes",
        references.len()
    );
    let mut args: Vec<(String, String)> = references
        .iter()
        .enumerate()
        .map(|(i, r)| (format!("references[{i}]"), r.clone()))
        .collect();
    args.push(("action".into(), "complete".into()));
    args.push(("reason".into(), "Assessed competent".into()));
    args.push(("achieved_on".into(), "2026-11-27".into()));
    let refs: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = call(&app, Some(&c.own), BULK, &refs).await;
    assert_eq!(
        json(&res)["changed"].as_array().unwrap().len(),
        references.len(),
        "{}",
        res.body
    );

    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    std::fs::write(dir.join("schema.json"), schema().to_string()).unwrap();
    let mut credentials = Vec::new();
    let mut with_alignment = 0;
    for reference in &references {
        let cred = credential_of(&app, reference).await;
        assert_eq!(schema_errors(&cred), Vec::<String>::new(), "{reference}");
        with_alignment += cred["credentialSubject"]["achievement"]
            .get("alignment")
            .is_some() as usize;
        write(dir, "credentials", reference, &cred);
        credentials.push(cred);
    }
    assert!(
        with_alignment >= 1,
        "a verified listing aligns its unit standards"
    );
    // One character changed in the name, the date, the achievement: each refused.
    for (n, (pointer, from, to)) in [
        ("/credentialSubject/identifier/0/identityHash", "a", "à"),
        ("/awardedDate", "27", "26"),
        ("/credentialSubject/achievement/name", "e", "é"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut changed = credentials[n].clone();
        let value = changed.pointer_mut(pointer).unwrap();
        let text = value.as_str().unwrap().replacen(from, to, 1);
        assert_ne!(Some(text.as_str()), value.as_str());
        *value = Value::from(text);
        write(dir, "tampered", &format!("changed-{n}"), &changed);
    }
    // A revoked credential: its status list says so.
    let revoked = credentials.last().unwrap();
    sqlx::query("UPDATE issued_credentials SET status = 'revoked' WHERE id = $1")
        .bind(
            revoked["id"]
                .as_str()
                .unwrap()
                .trim_start_matches("urn:uuid:")
                .to_owned(),
        )
        .execute(&app.db.pool)
        .await
        .unwrap();
    write(dir, "tampered", "revoked", revoked);
    credentials.pop();
    std::fs::remove_file(
        dir.join("credentials")
            .join(format!("{}.json", references.last().unwrap())),
    )
    .unwrap();

    let mut issuers: Vec<String> = credentials
        .iter()
        .map(|c| c["issuer"]["id"].as_str().unwrap().to_owned())
        .collect();
    issuers.dedup();
    for (n, issuer) in issuers.iter().enumerate() {
        let profile = json(&get(&app, None, issuer.trim_start_matches(BASE)).await);
        write(dir, "issuers", &n.to_string(), &profile);
    }
    let mut lists: Vec<String> = credentials
        .iter()
        .map(|c| {
            c["credentialStatus"]["statusListCredential"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    lists.sort();
    lists.dedup();
    for (n, list) in lists.iter().enumerate() {
        write(
            dir,
            "status-lists",
            &n.to_string(),
            &json(&get(&app, None, list.trim_start_matches(BASE)).await),
        );
    }

    let folder = dir.to_str().unwrap();
    run(
        ".venv/bin/python",
        &["scripts/badges/verify.py", folder],
        "run scripts/setup --test (the Python tools in .venv)",
    );
    run(
        "node",
        &["end2end/badges/verify.mjs", folder],
        "run scripts/setup (the npm packages in end2end/)",
    );
    app.finish().await;
}

/// Revocation as a wallet sees it: openbadgeslib reads the status list from the running
/// server (a real process over the same database) and accepts the credential; after the
/// completion is undone it reads the list again and refuses it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revocation_reaches_the_python_verifier_through_the_served_status_list() {
    use crate::registration::server_process::{free_port, start_with};

    let app = TestApp::seeded(tohu::server::db::Backend::Sqlite).await;
    let c = coordinators(&app).await;
    let reference = crate::dashboard::register(&app, "wallet@example.co.nz").await;
    super::complete(&app, &c.own, &reference, "").await;
    let cred = credential_of(&app, &reference).await;
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    std::fs::write(dir.join("schema.json"), schema().to_string()).unwrap();
    std::fs::create_dir_all(dir.join("status-lists")).unwrap();
    let issuer = cred["issuer"]["id"].as_str().unwrap();
    write(
        dir,
        "issuers",
        "0",
        &json(&get(&app, None, issuer.trim_start_matches(BASE)).await),
    );
    write(dir, "credentials", "wallet", &cred);

    let port = free_port();
    let _server = start_with(&app.url, port, &[("TOHU_PUBLIC_URL", BASE)]).await;
    let from = format!("{BASE}=http://127.0.0.1:{port}");
    let folder = dir.to_str().unwrap();
    let python = ".venv/bin/python";
    let verify = ["scripts/badges/verify.py", "--status-from", &from, folder];
    run(
        python,
        &verify,
        "run scripts/setup --test (the Python tools in .venv)",
    );

    let undo = [
        ("reference", reference.as_str()),
        ("action", "uncomplete"),
        ("reason", "Entered in error"),
    ];
    assert_eq!(
        json(&call(&app, Some(&c.own), super::ACT, &undo).await),
        serde_json::json!("Confirmed")
    );
    std::fs::remove_dir_all(dir.join("credentials")).unwrap();
    write(dir, "tampered", "revoked", &cred);
    let out = Command::new(python)
        .args(verify)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    println!("{text}");
    assert!(
        text.contains("ok   tampered/revoked.json: refused:") && text.contains("revocation"),
        "{text}"
    );
    app.finish().await;
}

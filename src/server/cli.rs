//! The server binary's commands: `serve` (default, in `server::start`), `import [FILE]`,
//! `export [FILE]`, `migrate`, `backup PATH`, `user add`, `privacy`, `generate N`, each over the one typed
//! configuration.

use std::path::Path;
use std::process::ExitCode;

use crate::auth::types::Role;
use crate::catalogue::server::import::{import_as, ImportOptions};
use crate::catalogue::server::seed::Format;
use crate::server::clock::Clock;
use crate::server::config::{
    Cli, Command, Config, FormatArg, PrivacyCommand, RoleArg, UserCommand,
};
use crate::server::db::Db;

pub async fn run(cli: Cli) -> ExitCode {
    let config = cli.config;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => crate::server::start::serve(config).await,
        Command::Backup { path } => crate::server::backup::run(&config, &path).await,
        Command::Import {
            file,
            overwrite_edited,
        } => import_file(&config, &file, ImportOptions { overwrite_edited }).await,
        Command::Export { file, format } => export(&config, file.as_deref(), format).await,
        Command::Generate { n } => {
            print!(
                "{}",
                crate::catalogue::server::synthetic::catalogue(n as usize, 1)
            );
            ExitCode::SUCCESS
        }
        Command::User {
            action:
                UserCommand::Add {
                    email,
                    name,
                    role,
                    org,
                    link,
                },
        } => match link {
            true => invite_user(&config, &email, &name, role, org.as_deref()).await,
            false => add_user(&config, &email, &name, role, org.as_deref()).await,
        },
        Command::Privacy { action } => privacy(&config, action).await,
        Command::Migrate => match connect(&config).await {
            Ok(_) => ExitCode::SUCCESS,
            Err(code) => code,
        },
    }
}

pub(crate) async fn connect(config: &Config) -> Result<Db, ExitCode> {
    Db::connect(&config.database_url, config)
        .await
        .map_err(|e| fail(&format!("database: {e}")))
}

async fn add_user(
    config: &Config,
    email: &str,
    name: &str,
    role: RoleArg,
    org: Option<&str>,
) -> ExitCode {
    let mut password = String::new();
    if std::io::stdin().read_line(&mut password).is_err() {
        return fail("could not read the password from standard input");
    }
    let password = password.trim_end_matches(['\r', '\n']);
    let role = role_of(role);
    let db = match connect(config).await {
        Ok(db) => db,
        Err(code) => return code,
    };
    match crate::auth::server::users::add_user(&db.pool, email, name, role, org, password).await {
        Ok(id) => {
            println!("added user {id} ({})", role.label());
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e.to_string()),
    }
}

fn role_of(role: RoleArg) -> Role {
    match role {
        RoleArg::Admin => Role::Admin,
        RoleArg::Provider => Role::Provider,
        RoleArg::Employer => Role::Employer,
    }
}

/// Adds an account without a password and prints its one-time link to choose one.
async fn invite_user(
    config: &Config,
    email: &str,
    name: &str,
    role: RoleArg,
    org: Option<&str>,
) -> ExitCode {
    use crate::auth::server::password::INVITE_SECS;
    use crate::auth::server::users::Membership;
    use crate::server::links::{password_link, LinkSecret};
    let secret = match LinkSecret::from_config(config) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let db = match connect(config).await {
        Ok(db) => db,
        Err(code) => return code,
    };
    let role = role_of(role);
    let membership = org.map_or(Membership::None, Membership::Named);
    match crate::auth::server::users::invite_user(&db.pool, email, name, role, membership, None)
        .await
    {
        Ok(id) => {
            let expires = time::OffsetDateTime::now_utc().unix_timestamp() + INVITE_SECS;
            println!(
                "added user {id} ({}); their link to choose a password (once, 7 days):",
                role.label()
            );
            println!(
                "{}",
                password_link(&secret, &config.public_url(), id, 1, expires)
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e.to_string()),
    }
}

/// `tohu privacy export|erase EMAIL`: an access or erasure request.
async fn privacy(config: &Config, action: PrivacyCommand) -> ExitCode {
    use crate::registration::server::privacy;
    let db = match connect(config).await {
        Ok(db) => db,
        Err(code) => return code,
    };
    match action {
        PrivacyCommand::Export { email } => match privacy::export(&db.pool, &email).await {
            Ok(held) => match serde_json::to_string_pretty(&held) {
                Ok(json) => {
                    println!("{json}");
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e.to_string()),
            },
            Err(e) => fail(&format!("database: {e}")),
        },
        PrivacyCommand::Erase { email } => {
            let today = Clock::from(config).today_iso();
            match privacy::erase(&db.pool, &email, &today).await {
                Ok(e) => {
                    println!(
                        "erased: {} registrations cancelled, {} anonymised, {} emails deleted",
                        e.cancelled, e.anonymised, e.emails_deleted
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&format!("database: {e}")),
            }
        }
    }
}

pub(crate) fn fail(message: &str) -> ExitCode {
    eprintln!("tohu: {message}");
    ExitCode::FAILURE
}

async fn import_file(config: &Config, path: &Path, options: ImportOptions) -> ExitCode {
    let file = path.display();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return fail(&format!("cannot read {file}: {e}")),
    };
    let db = match connect(config).await {
        Ok(db) => db,
        Err(code) => return code,
    };
    let today = Clock::from(config).today();
    match import_as(&db.pool, &text, Format::of_path(path), today, options).await {
        Ok(r) => {
            println!(
                "imported {file}: {} created, {} updated, {} unchanged",
                r.created, r.updated, r.unchanged
            );
            for record in &r.left_alone {
                println!(
                    "left alone (edited in the dashboard since the file's revision): {record}"
                );
            }
            for record in &r.overwritten {
                println!(
                    "overwritten (edited in the dashboard since the file's revision): {record}"
                );
            }
            let synonyms = match r.synonym_groups {
                Some(n) => Ok(Some(n)),
                None => synonyms_beside(&db, path).await,
            };
            match synonyms {
                Ok(Some(n)) => println!("imported {n} synonym groups"),
                Ok(None) => {}
                Err(e) => return fail(&e),
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&format!("{file}: {e}")),
    }
}

/// `tohu export [FILE] [--format toml|json]`: the catalogue to FILE with `synonyms.toml`
/// beside it, or one document holding both on standard output.
async fn export(config: &Config, path: Option<&Path>, format: Option<FormatArg>) -> ExitCode {
    use crate::catalogue::server::export::{encode, encode_synonyms, export};
    let format = match (format, path) {
        (Some(FormatArg::Json), _) => Format::Json,
        (Some(FormatArg::Toml), _) => Format::Toml,
        (None, Some(p)) => Format::of_path(p),
        (None, None) => Format::Toml,
    };
    let db = match connect(config).await {
        Ok(db) => db,
        Err(code) => return code,
    };
    let mut file = match export(&db.pool).await {
        Ok(f) => f,
        Err(e) => return fail(&e.to_string()),
    };
    let Some(path) = path else {
        return match encode(&file, format) {
            Ok(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e.to_string()),
        };
    };
    let groups = std::mem::take(&mut file.synonym_group);
    let beside = path.with_file_name("synonyms.toml");
    let written = encode(&file, format).and_then(|text| {
        let synonyms = encode_synonyms(&groups)?;
        let write = |p: &Path, t: &str| {
            std::fs::write(p, t).map_err(|e| {
                crate::catalogue::server::export::ExportError::Encode(format!(
                    "{}: {e}",
                    p.display()
                ))
            })
        };
        write(path, &text)?;
        write(&beside, &synonyms)
    });
    match written {
        Ok(()) => {
            println!(
                "exported {} credentials at revision {} to {} and {}",
                file.credential.len(),
                file.revision.unwrap_or_default(),
                path.display(),
                beside.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e.to_string()),
    }
}

/// Imports `synonyms.toml` from beside the catalogue file `catalogue`, when there is one.
pub(crate) async fn synonyms_beside(db: &Db, catalogue: &Path) -> Result<Option<usize>, String> {
    let path = catalogue.with_file_name("synonyms.toml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(None);
    };
    crate::catalogue::server::import::import_synonyms(&db.pool, &text)
        .await
        .map(Some)
        .map_err(|e| format!("{}: {e}", path.display()))
}

//! The binary's subcommands and their arguments (`tohu import`, `tohu export`, `tohu user
//! add`, `tohu privacy export|erase`, …), parsed with the configuration in `server::config`.

use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Serve the site (imports the seed catalogue into an empty database first).
    Serve,
    /// Load or update the catalogue from a file (TOML, or JSON when it ends in .json); safe
    /// to repeat. Records edited in the dashboard after the file's revision are left alone
    /// and listed.
    Import {
        /// The catalogue file (seed format).
        #[arg(default_value = "seed/catalogue.toml")]
        file: PathBuf,
        /// Write the file over records edited in the dashboard since it was exported.
        #[arg(long)]
        overwrite_edited: bool,
    },
    /// Write the whole catalogue in the import's format: to FILE with synonyms.toml beside
    /// it, or with no FILE one document (synonyms included) on standard output.
    Export {
        /// The file to write (replaced if it exists).
        file: Option<PathBuf>,
        /// toml or json; by default JSON when FILE ends in .json, else TOML.
        #[arg(long, value_enum)]
        format: Option<FormatArg>,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Copy a SQLite database, consistent while the site serves, into a new file PATH
    /// (readable by its owner only). For PostgreSQL use pg_dump (README, "Backups").
    Backup {
        /// The new file; must not exist yet.
        path: PathBuf,
    },
    /// Coordinator accounts.
    User {
        #[command(subcommand)]
        action: UserCommand,
    },
    /// A learner's requests under the Privacy Act: see or remove what Tohu holds.
    Privacy {
        #[command(subcommand)]
        action: PrivacyCommand,
    },
    /// Print a synthetic catalogue of N credentials (for scale tests).
    Generate {
        /// How many credentials, 1 to 1,000,000.
        #[arg(value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        n: u32,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum UserCommand {
    /// Add an account; the password is read from standard input (one line, 12+ characters),
    /// or with --link the account gets a one-time link to choose it.
    Add {
        /// Their email address, which they sign in with.
        #[arg(long)]
        email: String,
        /// Their name, as the dashboard greets them.
        #[arg(long)]
        name: String,
        /// admin (everything), provider (their organisation's intakes) or employer (the
        /// registrations their organisation made).
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Their organisation's name (created when new); not for admins.
        #[arg(long)]
        org: Option<String>,
        /// Print a one-time link (valid 7 days) to choose the password, and email it,
        /// instead of reading a password.
        #[arg(long)]
        link: bool,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum PrivacyCommand {
    /// Print, as JSON, every registration and email held for an address.
    Export {
        /// The learner's email address (compared as registrations compare it).
        email: String,
    },
    /// Cancel the address's active registrations (their seats go to the waitlist), then
    /// remove its details from every registration and delete its emails.
    Erase {
        /// The learner's email address.
        email: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Toml,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    Admin,
    Provider,
    Employer,
}

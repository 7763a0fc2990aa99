//! How email addresses compare: one key for registrations (one per email per intake) and
//! accounts (one per email), so both agree on who is the same person.

/// The comparison key of an address: trimmed, lower case.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

//! How email addresses compare: one key for registrations (one per email per intake) and
//! accounts (one per email), so both agree on who is the same person.

use unicode_normalization::UnicodeNormalization;

/// The comparison key of an address: trimmed, NFKC-normalised (so a full-width or
/// composed form of the same letters is the same key), lower case, and the domain in its
/// IDNA ASCII form (`māori.nz` and `xn--mori-qsa.nz` are one domain).
pub fn email_key(email: &str) -> String {
    let folded: String = email.trim().nfkc().collect::<String>().to_lowercase();
    match folded.rsplit_once('@') {
        Some((local, domain)) => match idna::domain_to_ascii(domain) {
            Ok(ascii) => format!("{local}@{ascii}"),
            Err(_) => folded,
        },
        None => folded,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_key_for_one_address() {
        assert_eq!(email_key(" Mere@Example.CO.NZ "), "mere@example.co.nz");
        // Full-width letters (NFKC) and a composed vs decomposed macron.
        assert_eq!(email_key("ｍｅｒｅ@example.nz"), "mere@example.nz");
        assert_eq!(email_key("a@ma\u{0304}ori.nz"), email_key("a@māori.nz"));
        assert_eq!(email_key("a@Māori.nz"), "a@xn--mori-qsa.nz");
        assert_eq!(email_key("a@xn--mori-qsa.nz"), email_key("A@MĀORI.NZ"));
    }
}

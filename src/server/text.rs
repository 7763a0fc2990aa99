//! Text folding for search: lower case, macrons and other diacritics removed, punctuation
//! turned into spaces, so "Māori" and "maori" meet.

/// Folds one character to its plain lower-case ASCII letter where it has one.
fn fold_char(c: char) -> char {
    match c {
        'ā' | 'Ā' | 'à' | 'á' | 'â' | 'ä' | 'À' | 'Á' | 'Â' | 'Ä' => 'a',
        'ē' | 'Ē' | 'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ī' | 'Ī' | 'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ō' | 'Ō' | 'ò' | 'ó' | 'ô' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Ö' => 'o',
        'ū' | 'Ū' | 'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        c => c,
    }
}

/// The searchable form of a text: folded, lower case, words separated by single spaces.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for c in text.chars() {
        let c = fold_char(c);
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The words of a search query, folded, at most `max` of them.
pub fn query_terms(query: &str, max: usize) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for word in fold(query).split(' ').filter(|w| !w.is_empty()) {
        if !terms.iter().any(|t| t == word) {
            terms.push(word.to_owned());
        }
        if terms.len() == max {
            break;
        }
    }
    terms
}

/// Escapes LIKE wildcards so a query's `%` and `_` match themselves (used with `ESCAPE '\'`).
pub fn like_contains(term: &str) -> String {
    let mut out = String::with_capacity(term.len() + 2);
    out.push('%');
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macrons_fold_both_ways() {
        assert_eq!(fold("Te reo Māori"), "te reo maori");
        assert_eq!(fold("TŪHOE, Ngāti!"), "tuhoe ngati");
    }

    #[test]
    fn terms_are_unique_and_bounded() {
        assert_eq!(
            query_terms("Chainsaw  chainsaw use", 8),
            vec!["chainsaw", "use"]
        );
        assert_eq!(query_terms("a b c d", 2), vec!["a", "b"]);
        assert!(query_terms("'; DROP TABLE--", 8)
            .iter()
            .all(|t| t.chars().all(char::is_alphanumeric)));
    }

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(like_contains("50%_off"), "%50\\%\\_off%");
    }
}

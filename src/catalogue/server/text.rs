//! Text folding: lower case, macrons and other diacritics removed, punctuation turned into
//! spaces, so "Māori" and "maori" sort and compare together.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macrons_fold_both_ways() {
        assert_eq!(fold("Te reo Māori"), "te reo maori");
        assert_eq!(fold("TŪHOE, Ngāti!"), "tuhoe ngati");
    }
}

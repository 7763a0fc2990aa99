//! Spreadsheet-safe CSV, for every download Tohu writes (the dashboard's export, an
//! employer's group result): RFC 4180 with every field quoted and CRLF line ends, and any
//! cell a spreadsheet would run as a formula (`= + - @`, tab, CR, LF first) prefixed with
//! `'` (OWASP's CSV injection advice). Platform code: it knows no feature.

use std::borrow::Cow;

/// A spreadsheet runs a cell that starts with one of these as a formula.
pub fn neutralise(cell: &str) -> Cow<'_, [u8]> {
    match crate::format::runs_as_formula(cell) {
        true => Cow::Owned(format!("'{cell}").into_bytes()),
        false => Cow::Borrowed(cell.as_bytes()),
    }
}

/// An RFC 4180 writer after `head`: every field quoted, CRLF line ends.
pub fn writer(head: Vec<u8>) -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .terminator(csv::Terminator::CRLF)
        .from_writer(head)
}

/// RFC 4180 records, every field quoted, formula cells neutralised.
pub fn encode<S: AsRef<str>>(records: &[Vec<S>]) -> Vec<u8> {
    let mut w = writer(Vec::new());
    for r in records {
        // Writing to a Vec cannot fail.
        let _ = w.write_record(r.iter().map(|c| neutralise(c.as_ref())));
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_every_field_quoted() {
        let out = encode(&[vec![
            "=HYPERLINK(\"http://x\")".to_owned(),
            "+64 21 555 0101".to_owned(),
            "-1".to_owned(),
            "@SUM(A1)".to_owned(),
            "\tx".to_owned(),
            "Ngāti Pōrou, \"Te\" Tai".to_owned(),
            String::new(),
        ]]);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\"'=HYPERLINK(\"\"http://x\"\")\",\"'+64 21 555 0101\",\"'-1\",\"'@SUM(A1)\",\
             \"'\tx\",\"Ngāti Pōrou, \"\"Te\"\" Tai\",\"\"\r\n"
        );
    }
}

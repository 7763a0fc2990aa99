//! Display formatting shared by the server render and the browser (en-NZ conventions).

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Whether a spreadsheet would run a cell starting like `text` as a formula (CSV exports
/// neutralise such cells; group lists refuse such names).
pub fn runs_as_formula(text: &str) -> bool {
    matches!(
        text.chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n')
    )
}

/// "2022-12-31" → "31 December 2022"; anything unparseable is shown as it came.
pub fn long_date(iso: &str) -> String {
    let mut parts = iso.splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
        return iso.to_owned();
    };
    match (m.parse::<usize>(), d.parse::<u32>()) {
        (Ok(m @ 1..=12), Ok(d @ 1..=31)) if y.len() == 4 => {
            format!("{d} {} {y}", MONTHS[m - 1])
        }
        _ => iso.to_owned(),
    }
}

/// Fee in cents → "$1,250" (or "$1,250.50"); zero reads "Free".
pub fn fee(cents: i64) -> String {
    if cents <= 0 {
        return "Free".to_owned();
    }
    let grouped = thousands(cents / 100);
    let rest = cents % 100;
    if rest == 0 {
        format!("${grouped}")
    } else {
        format!("${grouped}.{rest:02}")
    }
}

/// 1250000 → "1,250,000".
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut grouped = String::from(if n < 0 { "-" } else { "" });
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    grouped
}

/// "1 credit" / "15 credits".
pub fn credits(n: i64) -> String {
    if n == 1 {
        "1 credit".to_owned()
    } else {
        format!("{n} credits")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_in_nz_style() {
        assert_eq!(long_date("2022-12-31"), "31 December 2022");
        assert_eq!(long_date("2020-07-01"), "1 July 2020");
        assert_eq!(long_date("not a date"), "not a date");
        assert_eq!(long_date("2020-13-01"), "2020-13-01");
    }

    #[test]
    fn fees_group_thousands() {
        assert_eq!(fee(0), "Free");
        assert_eq!(fee(125_000), "$1,250");
        assert_eq!(fee(125_050), "$1,250.50");
        assert_eq!(fee(90_000), "$900");
        assert_eq!(fee(123_456_700), "$1,234,567");
    }
}

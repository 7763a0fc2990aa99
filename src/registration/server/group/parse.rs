//! Reading a group: rows pasted from a spreadsheet (tab-separated) or an uploaded CSV file
//! (comma- or semicolon-separated), UTF-8 with or without a byte-order mark, with or
//! without a first row naming the columns. Anything else is refused whole with a message
//! that says what to do, before a row is looked at.

use csv::{ReaderBuilder, Trim};

/// The most people one group submission may hold.
pub const MAX_ROWS: usize = 200;
/// The largest upload or paste, in bytes.
pub const MAX_BYTES: usize = 1024 * 1024;

/// One person as the coordinator gave them, every value as typed, with the line it came
/// from (1 is the first line of the file or paste).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupRow {
    pub line: u64,
    pub given_name: String,
    pub family_name: String,
    pub email: String,
    pub region: String,
    pub phone: String,
    pub nsn: String,
    pub date_of_birth: String,
}

/// Why a whole submission was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error(
        "The file is over 1 MB. A group has at most 200 people: split the list and send each part."
    )]
    TooLarge,
    #[error("This file is not UTF-8 text. In Excel choose File › Save As › “CSV UTF-8 (Comma delimited)”, then upload it again.")]
    NotUtf8,
    #[error("Paste or upload at least one person.")]
    Empty,
    #[error(
        "This list has {0} people; one group can have at most 200. Split it and send each part."
    )]
    TooManyRows(usize),
    #[error("The first row names the columns, but there is no {0} column. Name them: given name, family name, email, region, and if you have them phone, NSN, date of birth.")]
    MissingColumn(&'static str),
    #[error("Line {0} could not be read as CSV. Check its quotation marks.")]
    Malformed(u64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    GivenName,
    FamilyName,
    Email,
    Region,
    Phone,
    Nsn,
    DateOfBirth,
}

/// The columns in order when the first row does not name them.
const DEFAULT_ORDER: [Column; 7] = [
    Column::GivenName,
    Column::FamilyName,
    Column::Email,
    Column::Region,
    Column::Phone,
    Column::Nsn,
    Column::DateOfBirth,
];

/// The column a heading names, however it is spelt ("First name", "E-mail", "DOB", …).
fn column(heading: &str) -> Option<Column> {
    let h: String = heading
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    Some(match h.as_str() {
        "givenname" | "givennames" | "firstname" | "first" | "name" => Column::GivenName,
        "familyname" | "surname" | "lastname" | "last" => Column::FamilyName,
        "email" | "emailaddress" => Column::Email,
        "region" => Column::Region,
        "phone" | "phonenumber" | "mobile" | "mobilenumber" => Column::Phone,
        "nsn" | "nationalstudentnumber" => Column::Nsn,
        "dateofbirth" | "dob" | "birthdate" | "born" => Column::DateOfBirth,
        _ => return None,
    })
}

/// An upload or paste as text: at most `MAX_BYTES`, UTF-8 with or without a byte-order
/// mark (which is dropped). The page puts an uploaded file's text into the paste box, so a
/// row fixed there needs no new upload.
pub fn text(bytes: &[u8]) -> Result<&str, ParseError> {
    if bytes.len() > MAX_BYTES {
        return Err(ParseError::TooLarge);
    }
    // UTF-16 files start with their own byte-order mark and are not UTF-8.
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ParseError::NotUtf8);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|_| ParseError::NotUtf8)
}

/// Reads `bytes` into rows; nothing is validated here beyond the shape of the list.
pub fn parse(bytes: &[u8]) -> Result<Vec<GroupRow>, ParseError> {
    let text = text(bytes)?;
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = if first.contains('\t') {
        b'\t'
    } else if first.contains(';') && !first.contains(',') {
        b';'
    } else {
        b','
    };
    let mut reader = ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .trim(Trim::All)
        .from_reader(text.as_bytes());
    // The line a record starting at `byte` is on. csv's own line count is off after a CRLF,
    // and its offset can point at the line ends before the record, so those are skipped.
    let line_at = |byte: u64| {
        let bytes = text.as_bytes();
        let mut at = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
        while matches!(bytes.get(at), Some(b'\r' | b'\n')) {
            at += 1;
        }
        1 + bytes[..at].iter().filter(|b| **b == b'\n').count() as u64
    };
    let mut records = Vec::new();
    for record in reader.records() {
        let record = record
            .map_err(|e| ParseError::Malformed(e.position().map_or(0, |p| line_at(p.byte()))))?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        let line = record.position().map_or(0, |p| line_at(p.byte()));
        records.push((line, record));
    }
    let Some((_, head)) = records.first() else {
        return Err(ParseError::Empty);
    };
    let named: Vec<Option<Column>> = head.iter().map(column).collect();
    let (order, body) = if named.iter().flatten().count() >= 2 {
        for (needed, label) in [
            (Column::GivenName, "given name"),
            (Column::FamilyName, "family name"),
            (Column::Email, "email"),
            (Column::Region, "region"),
        ] {
            if !named.contains(&Some(needed)) {
                return Err(ParseError::MissingColumn(label));
            }
        }
        (named, &records[1..])
    } else {
        (DEFAULT_ORDER.map(Some).to_vec(), &records[..])
    };
    if body.is_empty() {
        return Err(ParseError::Empty);
    }
    if body.len() > MAX_ROWS {
        return Err(ParseError::TooManyRows(body.len()));
    }
    Ok(body
        .iter()
        .map(|(line, record)| {
            let mut row = GroupRow {
                line: *line,
                ..GroupRow::default()
            };
            for (value, column) in record.iter().zip(&order) {
                let slot = match column {
                    Some(Column::GivenName) => &mut row.given_name,
                    Some(Column::FamilyName) => &mut row.family_name,
                    Some(Column::Email) => &mut row.email,
                    Some(Column::Region) => &mut row.region,
                    Some(Column::Phone) => &mut row.phone,
                    Some(Column::Nsn) => &mut row.nsn,
                    Some(Column::DateOfBirth) => &mut row.date_of_birth,
                    None => continue,
                };
                value.clone_into(slot);
            }
            row
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bom_windows_line_endings_and_macrons_read_as_typed() {
        let file = "\u{FEFF}Given name,Family name,Email,Region,Phone\r\n\
                    Māhina,Te Whāiti,mahina@example.co.nz,Manawatū-Whanganui,021 555 0100\r\n\
                    \r\n\
                    Tama,Ngata,tama@example.co.nz,Gisborne,\r\n";
        let rows = parse(file.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].given_name, "Māhina");
        assert_eq!(rows[0].region, "Manawatū-Whanganui");
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[1].family_name, "Ngata");
        assert_eq!(rows[1].phone, "");
        assert_eq!(rows[1].line, 4);
    }

    #[test]
    fn pasted_spreadsheet_rows_without_headings_take_the_default_order() {
        let paste = "Aroha\tSmith\taroha@example.co.nz\tOtago\t\t1234567\t1990-04-23\n";
        let rows = parse(paste.as_bytes()).unwrap();
        assert_eq!(rows[0].email, "aroha@example.co.nz");
        assert_eq!(rows[0].nsn, "1234567");
        assert_eq!(rows[0].date_of_birth, "1990-04-23");
    }

    #[test]
    fn headings_in_any_order_and_spelling() {
        let file = "E-mail;Surname;First name;Region\nari@example.co.nz;Parata;Ari;Waikato\n";
        let rows = parse(file.as_bytes()).unwrap();
        assert_eq!(rows[0].given_name, "Ari");
        assert_eq!(rows[0].family_name, "Parata");
        assert_eq!(rows[0].email, "ari@example.co.nz");
    }

    #[test]
    fn wrong_encodings_sizes_and_shapes_are_refused_whole() {
        // Windows-1252 "Māori" is not UTF-8 (the macron has no single byte there; é does).
        assert_eq!(
            parse(b"Ren\xe9,Smith,r@example.co.nz,Otago"),
            Err(ParseError::NotUtf8)
        );
        assert_eq!(parse(&[0xFF, 0xFE, b'A', 0]), Err(ParseError::NotUtf8));
        assert_eq!(parse(&vec![b'a'; MAX_BYTES + 1]), Err(ParseError::TooLarge));
        assert_eq!(parse(b"\n \n"), Err(ParseError::Empty));
        assert_eq!(
            parse(b"Given name,Family name,Region\nA,B,Otago\n"),
            Err(ParseError::MissingColumn("email"))
        );
        let many: String = (0..201)
            .map(|n| format!("A,B,p{n}@example.co.nz,Otago\n"))
            .collect();
        assert_eq!(parse(many.as_bytes()), Err(ParseError::TooManyRows(201)));
        assert!(ParseError::NotUtf8.to_string().contains("CSV UTF-8"));
    }
}

//! Open Badges baked into SVG: the credential travels inside the image, in an
//! `openbadges:credential` element (namespace `https://purl.imsglobal.org/ob/v3p0`) whose
//! text (usually CDATA) is the credential's JSON. Read with a real XML parser, so comments,
//! entities and CDATA are what XML says they are; written (`bake`) as a plain badge image
//! with the credential's name and issuer, and the credential in CDATA.

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;
use quick_xml::Reader;

/// The JSON baked into `svg`, if it holds one.
pub fn extract(svg: &str) -> Option<String> {
    let mut reader = Reader::from_str(svg);
    let mut inside = false;
    let mut text = String::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.name().as_ref() == b"openbadges:credential" => inside = true,
            Event::End(e) if inside && e.name().as_ref() == b"openbadges:credential" => {
                return Some(text.trim().to_owned()).filter(|t| !t.is_empty());
            }
            Event::CData(c) if inside => text.push_str(std::str::from_utf8(&c).ok()?),
            Event::Text(t) if inside => text.push_str(&t.decode().ok()?),
            Event::GeneralRef(r) if inside => match r.resolve_char_ref().ok()? {
                Some(c) => text.push(c),
                None => text.push_str(resolve_predefined_entity(&r.decode().ok()?)?),
            },
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// Text for XML character data and attributes.
fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

/// The title in lines of about 22 characters, at most four.
fn lines(title: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in title.split_whitespace() {
        match out.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= 22 => {
                line.push(' ');
                line.push_str(word);
            }
            _ => out.push(word.to_owned()),
        }
    }
    if out.len() > 4 {
        out.truncate(4);
        out[3].push('…');
    }
    out
}

/// A badge image of `title` by `issuer` with `credential` (its JSON) baked in.
pub fn bake(credential: &str, title: &str, issuer: &str) -> String {
    // CDATA ends at the first "]]>": split any inside the JSON across two sections.
    let cdata = credential.replace("]]>", "]]]]><![CDATA[>");
    let title_lines = lines(title);
    let first = 200 - 14 * (title_lines.len() as i64 - 1);
    let text: String = title_lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            format!(
                r##"<text x="200" y="{}" text-anchor="middle" font-size="22" font-weight="700" fill="#ffffff">{}</text>"##,
                first + 28 * i as i64,
                escape(l)
            )
        })
        .collect();
    format!(
        r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0" width="400" height="400" viewBox="0 0 400 400" role="img" aria-labelledby="badge-title">
<openbadges:credential><![CDATA[{cdata}]]></openbadges:credential>
<title id="badge-title">{title_text}</title>
<circle cx="200" cy="200" r="196" fill="#0b5563"/>
<circle cx="200" cy="200" r="176" fill="none" stroke="#ffffff" stroke-width="4"/>
<text x="200" y="110" text-anchor="middle" font-size="16" letter-spacing="2" fill="#ffffff">MICRO-CREDENTIAL</text>
{text}
<text x="200" y="305" text-anchor="middle" font-size="15" fill="#ffffff">{issuer_text}</text>
</svg>
"##,
        title_text = escape(&format!("{title}, issued by {issuer}")),
        issuer_text = escape(issuer),
    )
}

#[cfg(test)]
mod tests {
    use super::{bake, extract};

    #[test]
    fn a_baked_credential_comes_out_whole() {
        let json = r#"{"name":"Tīma <b> & ]]> done","n":[1]}"#;
        let svg = bake(
            json,
            "Chainsaw use & safety for the forestry workplace, level two",
            "Tohu & Co",
        );
        assert_eq!(extract(&svg).as_deref(), Some(json));
        assert!(svg.contains("Tohu &amp; Co"));
    }

    #[test]
    fn the_credential_comes_out_of_cdata_or_text() {
        let baked = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><!-- <openbadges:credential>no</openbadges:credential> --><openbadges:credential><![CDATA[{"a":"<b>"}]]></openbadges:credential></svg>"#;
        assert_eq!(extract(baked).as_deref(), Some(r#"{"a":"<b>"}"#));
        let escaped =
            r#"<svg><openbadges:credential>{"a":"&lt;b&gt;"}</openbadges:credential></svg>"#;
        assert_eq!(extract(escaped).as_deref(), Some(r#"{"a":"<b>"}"#));
        assert_eq!(extract("<svg><circle/></svg>"), None);
        assert_eq!(extract("<svg><unclosed"), None);
    }
}

//! Open Badges baked into SVG: the credential travels inside the image, in an
//! `openbadges:credential` element (namespace `https://purl.imsglobal.org/ob/v3p0`) whose
//! text (usually CDATA) is the credential's JSON. Read with a real XML parser, so comments,
//! entities and CDATA are what XML says they are.

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

#[cfg(test)]
mod tests {
    use super::extract;

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

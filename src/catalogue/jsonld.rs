//! The detail page's schema.org description for search engines: a `Course` with its
//! intakes as `hasCourseInstance` and the micro-credential as the
//! `EducationalOccupationalCredential` it awards. Written into the page by the server's
//! render of `catalogue::ui::detail` only: the detail page is an islands page whose only
//! islands are its seat figures, so no browser draws it again (the module compiles for
//! both targets, as `ui/` does, but runs on the server).

use serde_json::{json, Value};

use crate::catalogue::types::{CredentialDetail, EnrolmentState, Intake};

/// The JSON-LD document for a credential whose page is at `url` (absolute), ready to sit
/// inside `<script type="application/ld+json">`: `<`, `>` and `&` are escaped as JSON
/// `\u` sequences, so no text from the catalogue can close the script element.
pub fn course(c: &CredentialDetail, url: &str) -> String {
    let level = format!("NZQCF level {}", c.level);
    let mut course = json!({
        "@context": "https://schema.org",
        "@type": "Course",
        "name": c.title,
        "description": c.summary,
        "url": url,
        "inLanguage": "en-NZ",
        "educationalLevel": level,
        "numberOfCredits": c.credits,
        "timeRequired": format!("PT{}H", c.credits * 10),
        "about": c.sector.name,
        "educationalCredentialAwarded": {
            "@type": "EducationalOccupationalCredential",
            "name": c.title,
            "credentialCategory": "Micro-credential",
            "educationalLevel": level,
            "recognizedBy": {
                "@type": "Organization",
                "name": "New Zealand Qualifications Authority",
                "url": "https://www2.nzqa.govt.nz/",
            },
        },
        "hasCourseInstance": c.intakes.iter().map(|i| instance(i, url)).collect::<Vec<_>>(),
    });
    if let Some(reference) = c.nzqa_ref {
        course["courseCode"] = Value::from(reference.to_string());
    }
    if !c.developer.trim().is_empty() {
        course["provider"] = json!({ "@type": "Organization", "name": c.developer });
    }
    course
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn instance(i: &Intake, url: &str) -> Value {
    let online = i.delivery_mode.eq_ignore_ascii_case("online");
    let location = if online {
        json!({ "@type": "VirtualLocation", "url": url })
    } else {
        json!({ "@type": "Place", "name": i.region, "address": {
            "@type": "PostalAddress", "addressRegion": i.region, "addressCountry": "NZ" } })
    };
    let availability = match i.enrolment {
        EnrolmentState::Open if i.seats_left > 0 => "https://schema.org/InStock",
        EnrolmentState::NotYetOpen => "https://schema.org/PreOrder",
        _ => "https://schema.org/SoldOut",
    };
    json!({
        "@type": "CourseInstance",
        "courseMode": i.delivery_mode,
        "startDate": i.starts_on,
        "endDate": i.ends_on,
        "location": location,
        "organizer": { "@type": "Organization", "name": i.provider },
        "offers": {
            "@type": "Offer",
            "price": format!("{}.{:02}", i.fee_cents / 100, i.fee_cents % 100),
            "priceCurrency": "NZD",
            "availability": availability,
            "url": format!("{url}/register"),
            "validFrom": i.enrolment_opens_on,
            "validThrough": i.enrolment_closes_on,
        },
    })
}

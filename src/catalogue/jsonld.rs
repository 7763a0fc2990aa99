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
    // A credit is about ten hours of learning (NZQA).
    let workload = format!("PT{}H", c.credits * 10);
    let mut course = json!({
        "@context": "https://schema.org",
        "@type": "Course",
        "name": c.title,
        "description": c.summary,
        "url": url,
        "inLanguage": "en-NZ",
        "educationalLevel": level,
        "numberOfCredits": c.credits,
        "timeRequired": workload.clone(),
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
        "hasCourseInstance": instances(c, url, &workload),
    });
    if let Some(reference) = c.nzqa_ref {
        course["courseCode"] = Value::from(reference.to_string());
    }
    // Who makes the course: its developer, else the provider of its intakes.
    let provider = Some(c.developer.trim())
        .filter(|d| !d.is_empty())
        .or_else(|| {
            c.intakes
                .iter()
                .map(|i| i.provider.trim())
                .find(|p| !p.is_empty())
        });
    if let Some(name) = provider {
        course["provider"] = json!({ "@type": "Organization", "name": name });
    }
    // The course's offer: from its lowest intake fee.
    if let Some(fee) = c.intakes.iter().map(|i| i.fee_cents).min() {
        course["offers"] = json!([offer(fee, url)]);
    }
    course
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// One instance per intake; with none scheduled, one per way the credential is delivered
/// (its mode and workload, no dates or price: nothing is invented).
fn instances(c: &CredentialDetail, url: &str, workload: &str) -> Vec<Value> {
    if !c.intakes.is_empty() {
        return c
            .intakes
            .iter()
            .map(|i| instance(i, url, workload))
            .collect();
    }
    let mut modes: Vec<&str> = c.delivery_modes.iter().map(|m| course_mode(m)).collect();
    modes.sort_unstable();
    modes.dedup();
    modes
        .into_iter()
        .map(|mode| json!({ "@type": "CourseInstance", "courseMode": mode, "courseWorkload": workload }))
        .collect()
}

/// schema.org's course modes, as search engines' course features accept them: on the job
/// and workshops happen on site.
pub fn course_mode(delivery_mode: &str) -> &'static str {
    match delivery_mode {
        "online" => "Online",
        "blended" => "Blended",
        _ => "Onsite",
    }
}

/// An offer at `fee_cents`: its price in dollars, and `Free` or `Paid`.
fn offer(fee_cents: i64, url: &str) -> Value {
    json!({
        "@type": "Offer",
        "category": if fee_cents == 0 { "Free" } else { "Paid" },
        "price": format!("{}.{:02}", fee_cents / 100, fee_cents % 100),
        "priceCurrency": "NZD",
        "url": format!("{url}/register"),
    })
}

fn instance(i: &Intake, url: &str, workload: &str) -> Value {
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
    let mut offer = offer(i.fee_cents, url);
    offer["availability"] = Value::from(availability);
    offer["validFrom"] = Value::from(i.enrolment_opens_on.as_str());
    offer["validThrough"] = Value::from(i.enrolment_closes_on.as_str());
    json!({
        "@type": "CourseInstance",
        "courseMode": course_mode(&i.delivery_mode),
        "courseWorkload": workload,
        "startDate": i.starts_on,
        "endDate": i.ends_on,
        "location": location,
        "organizer": { "@type": "Organization", "name": i.provider },
        "offers": offer,
    })
}

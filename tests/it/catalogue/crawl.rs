//! What search engines and link previews read: unique titles and descriptions, canonical
//! addresses and Open Graph tags on every public page, schema.org JSON-LD on a detail page
//! (parsed as JSON, with text that tries to close the script element), robots.txt and the
//! sitemap; and how pages and built assets are cached.

use crate::common::{backends, TestApp, TODAY};
use axum::http::StatusCode;

const PUBLIC: &str = "http://127.0.0.1:3000";

const CATALOGUE: &str = r#"
[[sector]]
slug = "general"
name = "General"

[[credential]]
slug = "workshop-safety"
title = "Workshop safety & care"
nzqa_ref = 4321
sector = "general"
level = 3
credits = 10
status = "current"
delivery_modes = ["workshop", "online"]
developer = "Hanga-Aro-Rau"
summary = "Safe habits </script><script>alert(1)</script> in a workshop."
purpose = "Keep people safe."
outcomes = "Work safely."
entry_requirements = "None."

[[credential.intake]]
code = "W01"
starts = "+21d"
ends = "+35d"
enrolment_opens = "-14d"
enrolment_closes = "+18d"
region = "Ōtautahi Christchurch"
delivery_mode = "workshop"
provider = "Tohu Training (sample provider)"
fee = 125
capacity = 8
waitlist = 0

[[credential.intake]]
code = "W02"
starts = "+60d"
ends = "+70d"
enrolment_opens = "+30d"
enrolment_closes = "+55d"
region = "Online"
delivery_mode = "online"
provider = "Tohu Training (sample provider)"
fee = 0
capacity = 8
waitlist = 0

[[credential]]
slug = "sustainable-forestry"
title = "Sustainable forestry"
sector = "general"
level = 4
credits = 20
status = "current"
summary = "Forest management over generations."
purpose = "Manage forests."
outcomes = "Plan harvests."
entry_requirements = "None."
"#;

/// The content of the first `<tag …attr="value"…>` attribute `want` in `html`.
fn attribute(html: &str, tag_with: &str, want: &str) -> Option<String> {
    let start = html.find(tag_with)?;
    let tag = &html[html[..start].rfind('<')?..];
    let tag = &tag[..tag.find('>')?];
    let from = tag.find(&format!("{want}=\""))? + want.len() + 2;
    Some(tag[from..from + tag[from..].find('"')?].to_owned())
}

fn title(html: &str) -> String {
    let from = html.find("<title>").expect("a title") + 7;
    html[from..from + html[from..].find("</title>").expect("closed")].to_owned()
}

#[tokio::test]
async fn every_public_page_has_its_own_title_description_and_canonical_address() {
    for backend in backends() {
        let app = TestApp::with_catalogue(backend, CATALOGUE).await;
        let mut seen = Vec::new();
        for path in [
            "/",
            "/?q=forestry",
            "/?sector=general&level=3",
            "/credentials/workshop-safety",
            "/credentials/workshop-safety/register",
            "/credentials/sustainable-forestry",
        ] {
            let page = app.get(path).await;
            assert_eq!(page.status, StatusCode::OK, "{backend:?} {path}");
            let html = &page.body;
            let canonical = attribute(html, r#"rel="canonical""#, "href").expect("canonical");
            let canonical_path = canonical.strip_prefix(PUBLIC).expect("absolute");
            assert_eq!(canonical_path, path.replace('&', "&amp;"), "{backend:?}");
            let description =
                attribute(html, r#"name="description""#, "content").expect("description");
            assert!(description.len() > 30, "{backend:?} {path}: {description}");
            let og_url = attribute(html, r#"property="og:url""#, "content").expect("og:url");
            assert_eq!(og_url, canonical, "{backend:?} {path}");
            assert!(attribute(html, r#"property="og:title""#, "content").is_some());
            assert!(attribute(html, r#"property="og:description""#, "content").is_some());
            // A page is always revalidated; one that can carry a learner's details is not
            // stored at all.
            let expected = match path.ends_with("/register") {
                true => "no-store",
                false => "no-cache",
            };
            assert_eq!(
                page.headers
                    .get("cache-control")
                    .map(|v| v.to_str().unwrap()),
                Some(expected),
                "{backend:?} {path}: a page is always revalidated"
            );
            seen.push((title(html), description));
        }
        for (i, (t, d)) in seen.iter().enumerate() {
            for (u, e) in &seen[i + 1..] {
                assert_ne!(t, u, "{backend:?}: two pages titled {t}");
                assert_ne!(d, e, "{backend:?}: two pages described as {d}");
            }
        }
        assert!(seen[1].0.contains("forestry"), "{backend:?}: {}", seen[1].0);
        app.finish().await;
    }
}

#[tokio::test]
async fn a_detail_page_describes_its_course_and_intakes_as_json_ld() {
    for backend in backends() {
        let app = TestApp::with_catalogue(backend, CATALOGUE).await;
        let html = app.get("/credentials/workshop-safety").await.body;
        let open = r#"<script type="application/ld+json">"#;
        let from = html.find(open).expect("a JSON-LD script") + open.len();
        let json = &html[from..from + html[from..].find("</script>").expect("closed")];
        // The summary's own "</script>" is escaped inside the JSON, so the element holds.
        assert!(!json.contains('<'), "{backend:?}: {json}");
        let ld: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
        assert_eq!(ld["@context"], "https://schema.org");
        assert_eq!(ld["@type"], "Course");
        assert_eq!(ld["name"], "Workshop safety & care");
        assert_eq!(
            ld["description"],
            "Safe habits </script><script>alert(1)</script> in a workshop."
        );
        assert_eq!(ld["url"], format!("{PUBLIC}/credentials/workshop-safety"));
        assert_eq!(ld["courseCode"], "4321");
        assert_eq!(ld["numberOfCredits"], 10);
        assert_eq!(ld["provider"]["name"], "Hanga-Aro-Rau");
        let credential = &ld["educationalCredentialAwarded"];
        assert_eq!(credential["@type"], "EducationalOccupationalCredential");
        assert_eq!(credential["credentialCategory"], "Micro-credential");
        let instances = ld["hasCourseInstance"].as_array().expect("intakes");
        assert_eq!(instances.len(), 2, "{backend:?}");
        let first = &instances[0];
        assert_eq!(first["@type"], "CourseInstance");
        assert_eq!(first["location"]["name"], "Ōtautahi Christchurch");
        assert_eq!(first["offers"]["price"], "125.00");
        assert_eq!(first["offers"]["priceCurrency"], "NZD");
        assert_eq!(
            first["offers"]["availability"],
            "https://schema.org/InStock"
        );
        assert!(first["startDate"].as_str().is_some_and(|d| d.len() == 10));
        // What search engines' course features accept: a mode among Online, Onsite and
        // Blended, a workload, offers with a category.
        assert_eq!(first["courseMode"], "Onsite", "a workshop is on site");
        assert_eq!(
            first["courseWorkload"], "PT100H",
            "10 credits, about 100 hours"
        );
        assert_eq!(first["offers"]["category"], "Paid");
        assert_eq!(ld["offers"][0]["price"], "0.00", "the lowest fee");
        assert_eq!(ld["offers"][0]["category"], "Free");
        let second = &instances[1];
        assert_eq!(second["courseMode"], "Online");
        assert_eq!(second["location"]["@type"], "VirtualLocation");
        assert_eq!(second["offers"]["price"], "0.00");
        assert_eq!(
            second["offers"]["availability"],
            "https://schema.org/PreOrder"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn robots_and_the_sitemap_lead_crawlers_to_every_credential_and_away_from_private_pages() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let robots = app.get("/robots.txt").await;
        assert_eq!(robots.status, StatusCode::OK);
        for line in [
            "Disallow: /dashboard",
            "Disallow: /registrations/",
            &format!("Sitemap: {PUBLIC}/sitemap.xml"),
        ] {
            assert!(
                robots.body.lines().any(|l| l == line),
                "{backend:?}: {line}"
            );
        }
        let sitemap = app.get("/sitemap.xml").await;
        assert_eq!(sitemap.status, StatusCode::OK);
        let locs: Vec<&str> = sitemap
            .body
            .split("<loc>")
            .skip(1)
            .map(|s| &s[..s.find("</loc>").expect("closed")])
            .collect();
        let credentials: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM credentials")
            .fetch_one(&app.db.pool)
            .await
            .expect("count");
        assert_eq!(locs.len() as i64, credentials + 1, "{backend:?}");
        assert_eq!(locs[0], format!("{PUBLIC}/"));
        // Each entry says when its listing last changed: the import's day.
        let stamped = format!("<lastmod>{TODAY}</lastmod></url>");
        assert_eq!(
            sitemap.body.matches(&stamped).count(),
            locs.len(),
            "{backend:?}"
        );
        for loc in &locs[1..4] {
            let path = loc.strip_prefix(PUBLIC).expect("absolute");
            assert_eq!(
                app.get(path).await.status,
                StatusCode::OK,
                "{backend:?} {path}"
            );
        }
        app.finish().await;
    }
}

//! HTTP hardening shared by every response: security headers, and an Origin check that
//! refuses cross-site writes (the server functions that write are POST).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::server::config::Config;

/// What the hardening layers need from the configuration.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The public URL's origin (`https://tohu.example.nz`): the one a write may come from.
    origin: String,
    /// No public URL was configured (a developer's machine): a write whose Origin names the
    /// Host it was sent to passes as well, so `localhost` and `127.0.0.1` both work.
    trust_host: bool,
    /// Served over https: browsers are told to keep to it (HSTS).
    https: bool,
}

impl Policy {
    pub fn new(config: &Config) -> Arc<Self> {
        let url = config.public_url();
        Arc::new(Self {
            origin: origin_of(&url),
            trust_host: config.public_url.is_none(),
            https: url.starts_with("https://"),
        })
    }
}

/// `scheme://host[:port]` of an address, lower case, without a default port or a path.
fn origin_of(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let authority = match (scheme, authority.rsplit_once(':')) {
        ("https", Some((host, "443"))) | ("http", Some((host, "80"))) => host,
        _ => authority,
    };
    format!("{scheme}://{authority}").to_ascii_lowercase()
}

/// Paths whose pages or answers carry a learner's personal data: no cache may keep them.
fn personal(path: &str) -> bool {
    path.starts_with("/registrations/")
        || path.starts_with("/api/registration/")
        || path.ends_with("/register")
        || path.ends_with("/group")
        || path.starts_with("/dashboard")
        || path.starts_with("/api/dashboard/")
}

/// The page opened from an emailed password link, whose address carries its token: what
/// it loads and sends names only the site in its Referer, so the token reaches no log that
/// keeps Referers (`strict-origin` still sends an Origin with a form's POST; `no-referrer`
/// would send `null`, which the Origin check refuses). A learner's registration page
/// (`/registrations/{ref}?token=…`) keeps the default policy: its cancel button is a
/// server-function form, whose answer without JavaScript is a redirect back to the
/// Referer, so a Referer without the path sent the learner to the home page instead of
/// "Registration cancelled". Its Referers go to this site only (the default sends other
/// sites the origin alone), and the shipped nginx log drops their query strings
/// (`deploy/nginx/tohu-log.conf`).
fn opened_from_a_link(path: &str) -> bool {
    path == "/reset-password"
}

/// Adds headers every response should carry. The page's Content-Security-Policy is set by
/// the shell, because it carries the per-request script nonce.
pub async fn headers(
    State(policy): State<Arc<Policy>>,
    req: Request<Body>,
    next: Next,
) -> Response {
    let personal = personal(req.uri().path());
    let referrer = if opened_from_a_link(req.uri().path()) {
        "strict-origin"
    } else {
        "strict-origin-when-cross-origin"
    };
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if personal {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if policy.https {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    let set = |h: &mut HeaderMap, name: &'static str, value: &'static str| {
        if !h.contains_key(name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    };
    // A page is always asked for again (it may show seats or a signed-in person); what it
    // loads is cached by name (`server::routes::assets`).
    let html = h
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if html {
        set(h, "cache-control", "no-cache");
    }
    set(h, "x-content-type-options", "nosniff");
    set(h, "referrer-policy", referrer);
    set(h, "x-frame-options", "DENY");
    set(h, "cross-origin-opener-policy", "same-origin");
    set(
        h,
        "permissions-policy",
        "camera=(), microphone=(), geolocation=()",
    );
    set(
        h,
        "content-security-policy",
        "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
    );
    res
}

/// Refuses a state-changing request whose Origin is not the site's own (the configured
/// public URL's, which a proxy in front cannot rewrite). Requests without an Origin header
/// (non-browser clients) pass unless the browser marks them cross-site.
pub async fn same_origin_writes(
    State(policy): State<Arc<Policy>>,
    req: Request<Body>,
    next: Next,
) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && !same_origin(&policy, req.headers()) {
        return (
            StatusCode::FORBIDDEN,
            "This request came from another site and was refused.",
        )
            .into_response();
    }
    next.run(req).await
}

fn same_origin(policy: &Policy, h: &HeaderMap) -> bool {
    let host = h.get(header::HOST).and_then(|v| v.to_str().ok());
    match h.get(header::ORIGIN).map(|v| v.to_str()) {
        Some(Ok(origin)) => {
            if origin.eq_ignore_ascii_case(&policy.origin) {
                return true;
            }
            let origin_host = origin
                .strip_prefix("https://")
                .or_else(|| origin.strip_prefix("http://"));
            policy.trust_host
                && matches!((origin_host, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
        }
        Some(Err(_)) => false,
        None => h
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok())
            .is_none_or(|site| site != "cross-site"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    fn policy(public: Option<&str>) -> Policy {
        let mut args = vec!["tohu"];
        if let Some(url) = public {
            args.extend(["--public-url", url]);
        }
        let cli = crate::server::config::Cli::parse_args(args).unwrap();
        Policy::new(&cli.config).as_ref().clone()
    }

    #[test]
    fn a_configured_public_url_decides_the_origin() {
        let p = policy(Some("https://Tohu.example.nz/"));
        assert_eq!(p.origin, "https://tohu.example.nz");
        assert!(p.https);
        // Behind a proxy the Host may be the app's own address: the Origin still passes.
        assert!(same_origin(
            &p,
            &headers(&[
                ("host", "10.0.0.5:3000"),
                ("origin", "https://tohu.example.nz")
            ])
        ));
        // A Host rewritten to match a hostile Origin does not.
        assert!(!same_origin(
            &p,
            &headers(&[("host", "evil.example"), ("origin", "https://evil.example")])
        ));
        assert!(!same_origin(
            &p,
            &headers(&[
                ("host", "tohu.example.nz"),
                ("origin", "http://tohu.example.nz")
            ])
        ));
        assert_eq!(origin_of("https://a.nz:443/x"), "https://a.nz");
        assert_eq!(origin_of("http://a.nz:8080"), "http://a.nz:8080");
    }

    #[test]
    fn without_a_public_url_the_host_is_trusted() {
        let p = policy(None);
        assert!(!p.https);
        assert!(same_origin(
            &p,
            &headers(&[
                ("host", "127.0.0.1:3000"),
                ("origin", "http://127.0.0.1:3000")
            ])
        ));
        assert!(same_origin(
            &p,
            &headers(&[
                ("host", "localhost:3000"),
                ("origin", "http://localhost:3000")
            ])
        ));
        assert!(!same_origin(
            &p,
            &headers(&[
                ("host", "127.0.0.1:3000"),
                ("origin", "http://evil.example")
            ])
        ));
        assert!(!same_origin(
            &p,
            &headers(&[("host", "127.0.0.1:3000"), ("origin", "null")])
        ));
        assert!(same_origin(&p, &headers(&[("host", "127.0.0.1:3000")])));
        assert!(!same_origin(
            &p,
            &headers(&[("host", "a"), ("sec-fetch-site", "cross-site")])
        ));
    }

    #[test]
    fn pages_opened_from_a_link_send_no_path_in_their_referer() {
        assert!(opened_from_a_link("/reset-password"));
        assert!(!opened_from_a_link("/registrations/TOHU-7K3M9Q"));
        assert!(!opened_from_a_link("/"));
        assert!(!opened_from_a_link("/forgot-password"));
    }

    #[test]
    fn personal_paths() {
        for p in [
            "/registrations/TOHU-1",
            "/api/registration/get",
            "/credentials/x/register",
            "/dashboard/registrations",
        ] {
            assert!(personal(p), "{p}");
        }
        for p in [
            "/",
            "/credentials/x",
            "/pkg/tohu.js",
            "/api/catalogue/search",
        ] {
            assert!(!personal(p), "{p}");
        }
    }
}

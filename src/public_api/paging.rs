//! A list's page links: the same parameters the request gave (only those the endpoint
//! takes, in its order), with `page` set, as absolute URLs.

use crate::catalogue::query::encode_component;
use crate::public_api::params::{Parsed, Spec, PAGE};
use crate::public_api::types::Links;

/// Number of pages of `total` items at `per_page` (0 for an empty list).
pub fn pages(total: u64, per_page: u32) -> u32 {
    total.div_ceil(u64::from(per_page.max(1))) as u32
}

pub fn links(base: &str, path: &str, specs: &[Spec], parsed: &Parsed, pages: u32) -> Links {
    let (page, _) = parsed.paging();
    let at = |n: u32| {
        let mut parts = Vec::new();
        for spec in specs.iter().filter(|s| s.name != PAGE.name) {
            for v in parsed.all(spec.name) {
                parts.push(format!("{}={}", spec.name, encode_component(v)));
            }
        }
        if n > 1 {
            parts.push(format!("page={n}"));
        }
        match parts.is_empty() {
            true => format!("{base}{path}"),
            false => format!("{base}{path}?{}", parts.join("&")),
        }
    };
    Links {
        this: at(page),
        next: (page < pages).then(|| at(page + 1)),
        prev: (page > 1).then(|| at((page - 1).min(pages.max(1)))),
    }
}

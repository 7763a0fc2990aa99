//! The client's address, from the one place that knows it: the TCP peer (the server runs
//! with connect info), or, when the peer is a configured trusted proxy, the nearest address
//! in X-Forwarded-For that is not one of those proxies. A header from anyone else is
//! ignored: a script cannot choose its own address. In-process tests have no peer, and get
//! `None`. Limits count a client's network ([`network`]), not its address: one IPv6
//! subscriber holds a whole /64.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::http::HeaderMap;

use crate::server::state::AppState;

/// The client address of this request, if the server knows it.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub Option<IpAddr>);

impl<S> FromRequestParts<S> for ClientAddr
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        Ok(ClientAddr(client_ip(parts, &state.config.trusted_proxies)))
    }
}

impl ClientAddr {
    /// The address inside a server function (Leptos puts the request's parts in context).
    pub fn current(state: &AppState) -> Self {
        let parts = leptos::prelude::use_context::<Parts>();
        ClientAddr(parts.and_then(|p| client_ip(&p, &state.config.trusted_proxies)))
    }
}

/// The client's address: the peer, or what a trusted proxy says the client was.
pub fn client_ip(parts: &Parts, trusted: &[IpAddr]) -> Option<IpAddr> {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    Some(forwarded_client(&parts.headers, trusted).unwrap_or(peer))
}

/// What a per-address limit counts: an IPv4 address (also when written IPv4-mapped,
/// `::ffff:203.0.113.9`), or the /64 an IPv6 address is in, since one subscriber or host
/// is given a whole /64 and could otherwise draw a fresh address for every request.
pub fn network(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

/// The rightmost X-Forwarded-For entry that is not a trusted proxy (entries to its left
/// were written by the client and prove nothing). `None` when the header is missing or an
/// entry on the way is not an address.
fn forwarded_client(h: &HeaderMap, trusted: &[IpAddr]) -> Option<IpAddr> {
    let mut hops = Vec::new();
    for value in h.get_all("x-forwarded-for") {
        hops.extend(value.to_str().ok()?.split(',').map(str::trim));
    }
    for hop in hops.into_iter().rev() {
        let ip: IpAddr = hop.parse().ok()?;
        if !trusted.contains(&ip) {
            return Some(ip);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    fn parts(peer: &str, forwarded: &[&str]) -> Parts {
        let mut req = Request::get("/");
        for f in forwarded {
            req = req.header("x-forwarded-for", *f);
        }
        let (mut parts, _) = req.body(()).unwrap().into_parts();
        let addr: SocketAddr = format!("{peer}:40000").parse().unwrap();
        parts.extensions.insert(ConnectInfo(addr));
        parts
    }

    #[test]
    fn limits_count_an_ipv6_slash_64_and_ipv4_however_written() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(
            network(ip("2001:db8:1:2:aaaa::1")),
            network(ip("2001:db8:1:2:ffff:1:2:3"))
        );
        assert_ne!(
            network(ip("2001:db8:1:2::1")),
            network(ip("2001:db8:1:3::1"))
        );
        assert_eq!(network(ip("::ffff:203.0.113.9")), ip("203.0.113.9"));
        assert_eq!(network(ip("203.0.113.9")), ip("203.0.113.9"));
        assert_ne!(network(ip("203.0.113.9")), network(ip("203.0.113.10")));
    }

    #[test]
    fn only_a_trusted_proxy_is_believed() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let trusted = [proxy];
        // A client that writes its own header is still its peer address.
        let p = parts("203.0.113.9", &["198.51.100.1"]);
        assert_eq!(client_ip(&p, &trusted), "203.0.113.9".parse().ok());
        // Through the proxy: the entry the proxy appended, not the one the client forged.
        let p = parts("10.0.0.2", &["198.51.100.1, 203.0.113.9"]);
        assert_eq!(client_ip(&p, &trusted), "203.0.113.9".parse().ok());
        let p = parts("10.0.0.2", &["198.51.100.1", "203.0.113.9, 10.0.0.2"]);
        assert_eq!(client_ip(&p, &trusted), "203.0.113.9".parse().ok());
        // No header, or garbage: the proxy itself.
        assert_eq!(client_ip(&parts("10.0.0.2", &[]), &trusted), Some(proxy));
        assert_eq!(
            client_ip(&parts("10.0.0.2", &["nonsense"]), &trusted),
            Some(proxy)
        );
        // Without a peer (in-process), nothing.
        let (p, _) = Request::get("/").body(()).unwrap().into_parts();
        assert_eq!(client_ip(&p, &trusted), None);
    }
}

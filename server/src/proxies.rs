//! Which reverse proxies may say who the client is (`TRUST_PROXY`), and so the client's
//! address of a request: the sign-in limit, the session list and the access log count it.
use axum::extract::{ConnectInfo, Request};
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};

/// `TRUST_PROXY`: the addresses or ranges of the reverse proxies in front of this server.
/// Empty: none, the peer of the connection is the client.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// `127.0.0.1`, `10.0.0.0/8, ::1`, …; empty or `false`: none. `true` is refused: it
    /// would believe whatever any client writes in `X-Forwarded-For`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.is_empty() || text == "false" {
            return Ok(Self::default());
        }
        if text == "true" {
            return Err(
                "list the proxies' addresses or ranges (for example 127.0.0.1 or \
                        10.0.0.0/8): `true` would believe any client"
                    .to_string(),
            );
        }
        text.split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                entry
                    .parse::<IpNet>()
                    .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| {
                        format!("`{entry}` is neither an address nor a range such as 10.0.0.0/8")
                    })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client's address: the peer of the connection, unless that peer is a trusted
    /// proxy. Then each proxy appended to `X-Forwarded-For` the address it got the request
    /// from: the client is the last entry that is not itself a trusted proxy (what stands
    /// left of it is whatever the client wrote, and is never believed).
    pub fn client_ip(&self, request: &Request) -> Option<IpAddr> {
        let peer = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip().to_canonical())?;
        if !self.trusts(peer) {
            return Some(peer);
        }
        let entries: Vec<&str> = forwarded_for(request).collect();
        let mut client = peer;
        for entry in entries.into_iter().rev() {
            let Ok(ip) = entry.parse::<IpAddr>() else {
                break;
            };
            client = ip.to_canonical();
            if !self.trusts(client) {
                break;
            }
        }
        Some(client)
    }
}

/// The entries of every `X-Forwarded-For` header, in order.
fn forwarded_for(request: &Request) -> impl Iterator<Item = &str> + '_ {
    request
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
}

/// The request came through a proxy (or says it did): it names a client other than the peer.
pub fn forwarded(request: &Request) -> bool {
    request.headers().contains_key("x-forwarded-for") || request.headers().contains_key("forwarded")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(peer: &str, forwarded: &[&str]) -> Request {
        let mut builder = Request::builder().uri("/");
        for value in forwarded {
            builder = builder.header("x-forwarded-for", *value);
        }
        let mut request = builder.body(axum::body::Body::empty()).unwrap();
        request
            .extensions_mut()
            .insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
        request
    }

    fn ip(text: &str) -> Option<IpAddr> {
        Some(text.parse().unwrap())
    }

    #[test]
    fn parses_addresses_and_ranges() {
        assert!(TrustedProxies::parse("").unwrap().0.is_empty());
        assert!(TrustedProxies::parse("false").unwrap().0.is_empty());
        let proxies = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8,::1").unwrap();
        assert_eq!(proxies.0.len(), 3);
        assert!(proxies.trusts("10.20.30.40".parse().unwrap()));
        assert!(!proxies.trusts("11.0.0.1".parse().unwrap()));
        for bad in ["true", "yes", "10.0.0.0/33", "127.0.0.1, proxy.local"] {
            assert!(TrustedProxies::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client() {
        let none = TrustedProxies::default();
        assert_eq!(
            none.client_ip(&request("192.0.2.7:5000", &["203.0.113.9"])),
            ip("192.0.2.7")
        );
    }

    #[test]
    fn behind_a_trusted_proxy_its_last_entry_is_the_client() {
        let proxies = TrustedProxies::parse("127.0.0.1").unwrap();
        assert_eq!(
            proxies.client_ip(&request("127.0.0.1:5000", &["198.51.100.1, 192.0.2.10"])),
            ip("192.0.2.10"),
            "what the client wrote on the left is not believed"
        );
        assert_eq!(
            proxies.client_ip(&request("127.0.0.1:5000", &[])),
            ip("127.0.0.1")
        );
        // A request that did not come through the proxy: its header is the client's word.
        assert_eq!(
            proxies.client_ip(&request("192.0.2.7:5000", &["127.0.0.1"])),
            ip("192.0.2.7")
        );
    }

    #[test]
    fn a_chain_of_trusted_proxies_is_walked_back() {
        let proxies = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8").unwrap();
        assert_eq!(
            proxies.client_ip(&request(
                "127.0.0.1:5000",
                &["203.0.113.66", "192.0.2.10, 10.1.2.3"]
            )),
            ip("192.0.2.10")
        );
        // An unreadable entry stops the walk at the last proxy known.
        assert_eq!(
            proxies.client_ip(&request("127.0.0.1:5000", &["garbage, 10.1.2.3"])),
            ip("10.1.2.3")
        );
    }
}

//! The client's address: the connection's peer, unless that peer is one of
//! our own reverse proxies, whose `X-Forwarded-For` then says who the
//! client is. Anyone can write that header, so it is believed only from a
//! proxy listed in TRUSTED_PROXIES, and only up to the first hop that is
//! not one of ours.

use std::net::IpAddr;
use std::str::FromStr;

use actix_web::HttpRequest;
use ipnet::IpNet;

/// An IPv4 client seen through an IPv6 socket (`::ffff:10.0.0.1`) is that
/// IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The proxies whose `X-Forwarded-For` is believed; none by default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl FromStr for TrustedProxies {
    type Err = String;

    /// Comma-separated addresses and CIDR blocks; empty for none.
    fn from_str(text: &str) -> Result<Self, String> {
        let block = |item: &str| -> Result<IpNet, String> {
            match item.parse::<IpAddr>() {
                Ok(addr) => Ok(IpNet::from(canonical(addr))),
                Err(_) => item
                    .parse::<IpNet>()
                    .map_err(|_| format!("{item:?} is not an IP address or CIDR block")),
            }
        };
        text.split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(block)
            .collect::<Result<_, _>>()
            .map(TrustedProxies)
    }
}

impl TrustedProxies {
    pub fn trusts(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|block| block.contains(&ip))
    }

    /// The client's address given the connection's `peer` and the
    /// request's `X-Forwarded-For` values: the right-most address that is
    /// not a trusted proxy, walking back from the peer.
    fn client(&self, peer: IpAddr, forwarded_for: &[&str]) -> IpAddr {
        let mut client = canonical(peer);
        if !self.trusts(client) {
            return client;
        }
        let hops = forwarded_for
            .iter()
            .rev()
            .flat_map(|value| value.rsplit(','))
            .map(str::trim);
        for hop in hops {
            let Ok(ip) = hop.parse::<IpAddr>() else {
                // Garbage from the client side: stop at the last good hop.
                break;
            };
            client = canonical(ip);
            if !self.trusts(client) {
                break;
            }
        }
        client
    }
}

/// The address of the client that sent `req` (None without a peer, as in
/// some unit tests).
pub fn client_addr(req: &HttpRequest, trusted: &TrustedProxies) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip();
    let forwarded: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .collect();
    Some(trusted.client(peer, &forwarded))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn lists_of_addresses_and_blocks_are_read() {
        let trusted: TrustedProxies = "10.0.0.0/8, 192.168.1.5,fd00::/8".parse().unwrap();
        assert!(trusted.trusts(ip("10.200.3.4")));
        assert!(trusted.trusts(ip("::ffff:10.1.1.1")));
        assert!(trusted.trusts(ip("192.168.1.5")));
        assert!(!trusted.trusts(ip("192.168.1.6")));
        assert!(trusted.trusts(ip("fd12::1")));
        assert!(!trusted.trusts(ip("fe80::1")));
        assert_eq!(
            "".parse::<TrustedProxies>().unwrap(),
            TrustedProxies::default()
        );
        assert!(
            "0.0.0.0/0"
                .parse::<TrustedProxies>()
                .unwrap()
                .trusts(ip("8.8.8.8"))
        );
        for bad in ["10.0.0.0/33", "proxy", "10.0.0.1/x", "::1/129"] {
            assert!(bad.parse::<TrustedProxies>().is_err(), "{bad}");
        }
    }

    #[test]
    fn forwarded_for_counts_only_from_trusted_proxies() {
        let trusted: TrustedProxies = "10.0.0.0/8".parse().unwrap();
        let untrusted = TrustedProxies::default();
        let header = ["203.0.113.9, 10.0.0.7"];
        assert_eq!(untrusted.client(ip("10.0.0.2"), &header), ip("10.0.0.2"));
        assert_eq!(
            trusted.client(ip("198.51.100.1"), &header),
            ip("198.51.100.1")
        );
        assert_eq!(trusted.client(ip("10.0.0.2"), &header), ip("203.0.113.9"));
        // A client writing its own header cannot hide behind it.
        let spoofed = ["1.2.3.4, 203.0.113.9"];
        assert_eq!(trusted.client(ip("10.0.0.2"), &spoofed), ip("203.0.113.9"));
        // Several header lines are one list, in order.
        let lines = ["1.2.3.4", "203.0.113.9"];
        assert_eq!(trusted.client(ip("10.0.0.2"), &lines), ip("203.0.113.9"));
        assert_eq!(trusted.client(ip("10.0.0.2"), &["junk"]), ip("10.0.0.2"));
        assert_eq!(trusted.client(ip("10.0.0.2"), &[]), ip("10.0.0.2"));
    }
}

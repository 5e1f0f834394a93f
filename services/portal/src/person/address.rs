//! The address a person connects from, which identity's sign-in and registration limits key
//! on. Behind the ingress the TCP peer is the proxy, so `X-Forwarded-For` is believed only
//! from the proxies the configuration names, and read from the right: the last address not
//! itself a trusted proxy is the one that connected to them.

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::request::Parts,
};
use ipnet::IpNet;

/// The networks whose `X-Forwarded-For` is believed (`server.trusted_proxies`).
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    pub fn parse(networks: &[String]) -> anyhow::Result<Self> {
        networks
            .iter()
            .map(|n| {
                n.parse::<IpNet>()
                    .or_else(|_| n.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| anyhow::anyhow!("server.trusted_proxies: {n:?} is not a network"))
            })
            .collect::<Result<_, _>>()
            .map(Self)
    }

    fn contains(&self, address: &IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(address))
    }

    /// The person's address, given the direct peer and the request's `X-Forwarded-For`.
    pub fn client(&self, peer: IpAddr, forwarded_for: Option<&str>) -> IpAddr {
        if !self.contains(&peer) {
            return peer;
        }
        let Some(chain) = forwarded_for else {
            return peer;
        };
        let mut client = peer;
        for hop in chain.rsplit(',') {
            match hop.trim().parse::<IpAddr>() {
                Ok(address) => {
                    client = address;
                    if !self.contains(&address) {
                        break;
                    }
                }
                Err(_) => break,
            }
        }
        client
    }
}

/// The connecting person's address, for the services' per-client limits.
#[derive(Clone, Copy, Debug)]
pub struct ClientAddress(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::from([127, 0, 0, 1]), |c| c.0.ip());
        let proxies = parts
            .extensions
            .get::<TrustedProxies>()
            .cloned()
            .unwrap_or_default();
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok());
        Ok(Self(proxies.client(peer, forwarded)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_for_is_ignored_from_anyone_but_a_trusted_proxy() {
        let proxies = TrustedProxies::parse(&["10.0.0.0/8".into()]).unwrap();
        assert_eq!(
            proxies.client(ip("203.0.113.9"), Some("198.51.100.1")),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn the_last_untrusted_hop_is_the_person() {
        let proxies = TrustedProxies::parse(&["10.0.0.0/8".into(), "fd00::/8".into()]).unwrap();
        // The person claims an address first; the ingress appends what really connected.
        assert_eq!(
            proxies.client(ip("10.1.2.3"), Some("1.2.3.4, 198.51.100.7, 10.9.9.9")),
            ip("198.51.100.7")
        );
        assert_eq!(proxies.client(ip("10.1.2.3"), None), ip("10.1.2.3"));
    }

    #[test]
    fn a_single_address_is_a_network_of_one() {
        let proxies = TrustedProxies::parse(&["192.0.2.1".into()]).unwrap();
        assert_eq!(
            proxies.client(ip("192.0.2.1"), Some("198.51.100.7")),
            ip("198.51.100.7")
        );
        assert!(TrustedProxies::parse(&["not a network".into()]).is_err());
    }
}

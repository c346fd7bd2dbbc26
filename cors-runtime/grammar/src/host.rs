//! What a host in an origin is: which are always this machine.

/// The longest domain name DNS can carry, in characters (without a trailing dot).
pub(crate) const MAX_DOMAIN_LENGTH: usize = 253;

/// `localhost` or a name under it.
pub(crate) fn is_localhost(domain: &str) -> bool {
    domain == "localhost" || domain.ends_with(".localhost")
}

/// A serialized host (domain, IPv4, `[IPv6]`) that is always this machine.
pub(crate) fn is_loopback_host(host: &str) -> bool {
    if is_localhost(host) {
        return true;
    }
    if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return v6
            .parse::<std::net::Ipv6Addr>()
            .is_ok_and(|ip| ip.is_loopback());
    }
    host.parse::<std::net::Ipv4Addr>()
        .is_ok_and(|ip| ip.is_loopback())
}

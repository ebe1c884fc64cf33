//! Fetching an article by URL, within limits, without letting a request reach the server's own
//! network (SSRF).
//!
//! Three checks, because each alone has a gap:
//! - before sending, the host is resolved and refused when every address is private, so the
//!   user gets a clear "refused" instead of a connection error;
//! - the client's DNS resolver ([`PublicOnly`]) drops private addresses from every lookup it
//!   makes, so a name that resolves differently on the second lookup (DNS rebinding) or a
//!   redirect to another name still cannot reach them;
//! - the redirect policy refuses hops to non-HTTP schemes and to literal private IPs, which
//!   never go through the resolver.
//!
//! Proxies from the environment are ignored: a proxy would make its own lookups, unchecked.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::Url;

use crate::error::{Error, Result};

/// Limits on what a fetch may cost.
#[derive(Debug, Clone)]
pub struct FetchLimits {
    /// Largest body read; a longer one is refused, unread past the limit.
    pub max_bytes: usize,
    /// The whole fetch: connecting, redirects, reading the body.
    pub timeout: Duration,
    pub max_redirects: usize,
    /// Allow loopback, private and link-local addresses (for a server on a trusted network).
    pub allow_private: bool,
}

impl Default for FetchLimits {
    fn default() -> Self {
        FetchLimits {
            max_bytes: 5 << 20,
            timeout: Duration::from_secs(15),
            max_redirects: 5,
            allow_private: false,
        }
    }
}

/// What a fetch brought back.
#[derive(Debug)]
pub struct Fetched {
    /// The address after redirects.
    pub url: String,
    pub body: Vec<u8>,
    /// The charset of the `Content-Type` header, if any.
    pub charset: Option<String>,
    /// `true` for `text/plain`: the body is read as text, not HTML.
    pub plain_text: bool,
}

/// A client that fetches within `limits`; built once and shared.
#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    limits: FetchLimits,
}

impl Fetcher {
    pub fn new(limits: FetchLimits) -> Result<Self> {
        let allow_private = limits.allow_private;
        let max_redirects = limits.max_redirects;
        let policy = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() > max_redirects {
                return attempt.error(format!("more than {max_redirects} redirects"));
            }
            match check_url(attempt.url(), allow_private) {
                Ok(()) => attempt.follow(),
                Err(reason) => attempt.error(reason),
            }
        });
        let mut builder = reqwest::Client::builder()
            .redirect(policy)
            .timeout(limits.timeout)
            .connect_timeout(limits.timeout.min(Duration::from_secs(5)))
            .no_proxy()
            .user_agent(concat!(
                "unspin/",
                env!("CARGO_PKG_VERSION"),
                " (article analysis)"
            ));
        if !allow_private {
            builder = builder.dns_resolver(Arc::new(PublicOnly));
        }
        let client = builder
            .build()
            .map_err(|e| Error::Internal(format!("building the HTTP client: {e}")))?;
        Ok(Fetcher { client, limits })
    }

    /// Fetch `url`: an HTML page or a plain-text file, at most `max_bytes`.
    pub async fn fetch(&self, url: &str) -> Result<Fetched> {
        let refused = |reason: String| Error::UrlRefused {
            url: url.to_owned(),
            reason,
        };
        let parsed = Url::parse(url).map_err(|e| refused(format!("not a URL ({e})")))?;
        check_url(&parsed, self.limits.allow_private).map_err(refused)?;
        if !self.limits.allow_private {
            if let Some(url::Host::Domain(host)) = parsed.host() {
                let port = parsed.port_or_known_default().unwrap_or(80);
                let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
                    .await
                    .map_err(|e| Error::Fetch {
                        url: url.to_owned(),
                        message: format!("cannot resolve {host}: {e}"),
                    })?
                    .collect();
                if !addrs.is_empty() && addrs.iter().all(|a| !is_public(a.ip())) {
                    return Err(refused(format!("{host} resolves to a private address")));
                }
            }
        }
        let failed = |e: reqwest::Error| Error::Fetch {
            url: url.to_owned(),
            message: describe(&e),
        };
        let mut response = self.client.get(parsed).send().await.map_err(failed)?;
        let status = response.status();
        if !status.is_success() {
            return Err(Error::Fetch {
                url: url.to_owned(),
                message: format!("the site answered {status}"),
            });
        }
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let mime = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_owned();
        let plain_text = mime == "text/plain";
        if !(mime.is_empty()
            || plain_text
            || mime == "text/html"
            || mime == "application/xhtml+xml")
        {
            return Err(Error::Fetch {
                url: url.to_owned(),
                message: format!("the site sent {mime}, not a web page or text"),
            });
        }
        let charset = content_type
            .split(';')
            .filter_map(|p| p.trim().strip_prefix("charset="))
            .next()
            .map(|c| c.trim_matches('"').to_owned());
        let too_large = || Error::Fetch {
            url: url.to_owned(),
            message: format!(
                "the page is larger than the limit of {} bytes",
                self.limits.max_bytes
            ),
        };
        if response
            .content_length()
            .is_some_and(|n| n > self.limits.max_bytes as u64)
        {
            return Err(too_large());
        }
        let final_url = response.url().to_string();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(failed)? {
            if body.len() + chunk.len() > self.limits.max_bytes {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Fetched {
            url: final_url,
            body,
            charset,
            plain_text,
        })
    }
}

/// The error and its causes, which say what happened ("connection refused").
fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return "timed out".into();
    }
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// Scheme and literal-address checks for a URL (the first one or a redirect target). Names are
/// checked when they are resolved, by the client's resolver.
pub fn check_url(url: &Url, allow_private: bool) -> Result<(), String> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "only http and https URLs are fetched, not {}:",
            url.scheme()
        ));
    }
    let ip = match url.host() {
        None => return Err("the URL has no host".into()),
        Some(url::Host::Domain(_)) => return Ok(()),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip),
    };
    if allow_private || is_public(ip) {
        Ok(())
    } else {
        Err(format!("{ip} is a private, loopback or link-local address"))
    }
}

/// Whether `ip` is an ordinary address on the public internet (the stable-Rust subset of
/// `IpAddr::is_global`, plus the ranges that reach the host itself).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_v4(v4);
            }
            let s = v6.segments();
            // NAT64 (64:ff9b::/96) carries an IPv4 address in its last 32 bits.
            if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
                return is_public_v4(Ipv4Addr::new(
                    (s[6] >> 8) as u8,
                    s[6] as u8,
                    (s[7] >> 8) as u8,
                    s[7] as u8,
                ));
            }
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00 // unique local
                || (s[0] & 0xffc0) == 0xfe80 // link-local
                || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
                || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
                || v6 == Ipv6Addr::from([0u8; 16]))
        }
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (carrier NAT)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240) // reserved
}

/// A resolver that returns only public addresses, so no connection the client makes (first
/// request or redirect) can reach a private one, whatever a name resolves to at that moment.
struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = addrs.into_iter().filter(|a| is_public(a.ip())).collect();
            if public.is_empty() {
                let message = format!("{host} resolves to a private address");
                return Err(Box::new(std::io::Error::new(
                    std::io::ErrorKind::PermissionDenied,
                    message,
                )) as _);
            }
            Ok(Box::new(public.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_loopback_and_link_local_addresses_are_not_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a9fe:a9fe",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
        ] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn urls_are_checked_for_scheme_and_literal_addresses() {
        let check = |u: &str, allow| check_url(&Url::parse(u).unwrap(), allow);
        assert!(check("https://example.com/a", false).is_ok());
        assert!(check("http://127.0.0.1:8080/", false)
            .unwrap_err()
            .contains("127.0.0.1"));
        assert!(check("http://[::1]/", false).is_err());
        assert!(check("http://127.0.0.1:8080/", true).is_ok());
        assert!(check("file:///etc/passwd", true)
            .unwrap_err()
            .contains("file:"));
        assert!(check("ftp://example.com/", false).is_err());
    }
}

//! Fetching a feed by URL for `newswire validate https://…`: http and https only, with
//! [`MAX_REDIRECTS`] redirects at most (followed here, one by one, so that each target's
//! scheme is checked and the final address known), a connect and a read timeout, and never
//! more than one byte past the validator's size limit read, however large the response.
//! What the server said that the W3C service checks (the `Content-Type`) is handed on with
//! the bytes; the checks themselves are the validator's ([`newswire_validate::validate_served`]).

use std::io::Read;
use std::time::Duration;

use newswire_validate::MAX_BYTES;
use url::Url;

use crate::error::Error;

/// Redirects followed at most: a feed behind more is in trouble anyway.
pub const MAX_REDIRECTS: usize = 5;

/// A feed as fetched.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The URL after redirects: the feed's address, for its self link and its relative links.
    pub url: String,
    /// Whether a redirect was followed.
    pub redirected: bool,
    /// The `Content-Type` header, if the server sent one.
    pub content_type: Option<String>,
    /// The body, decompressed; at most [`MAX_BYTES`] + 1 bytes (more means too large).
    pub bytes: Vec<u8>,
    /// The `Content-Length` the server announced, if any (to report a body too large to read).
    pub length: Option<u64>,
}

/// Whether `target` (a `validate` argument) is a URL rather than a path: it has a scheme.
pub fn is_url(target: &str) -> bool {
    target.split_once("://").is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

/// Fetches `url`, waiting at most `timeout` to connect, for the response and for each read
/// (and six times that for the whole).
pub fn fetch(url: &str, timeout: Duration) -> Result<Fetched, Error> {
    let fail = |reason: String| Error::Fetch {
        url: url.to_string(),
        reason,
    };
    let mut current = Url::parse(url).map_err(|e| fail(format!("not a URL ({e})")))?;
    if !matches!(current.scheme(), "http" | "https") {
        return Err(fail(format!(
            "only http and https URLs can be validated, not {}:",
            current.scheme()
        )));
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(timeout))
        .timeout_recv_response(Some(timeout))
        .timeout_per_read(Some(timeout))
        // And a bound on the whole, against a server that trickles a byte at a time.
        .timeout_global(Some(timeout.saturating_mul(6)))
        // Redirects are followed below, to check each one.
        .max_redirects(0)
        // A 4xx or 5xx is reported with its status, below.
        .http_status_as_error(false)
        .user_agent(concat!(
            "newswire/",
            env!("CARGO_PKG_VERSION"),
            " (feed validator)"
        ))
        .build()
        .into();
    let mut redirects = 0;
    loop {
        let mut response = agent
            .get(current.as_str())
            .call()
            .map_err(|e| fail(e.to_string()))?;
        let status = response.status();
        if status.is_redirection() {
            let Some(location) = response
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
            else {
                return Err(fail(format!("HTTP {status} without a Location")));
            };
            let next = current
                .join(location)
                .map_err(|e| fail(format!("a redirect to {location:?}, not a URL ({e})")))?;
            // http → https is an upgrade; anything else (https → http, other schemes) is not
            // followed.
            let allowed = matches!(
                (current.scheme(), next.scheme()),
                (_, "https") | ("http", "http")
            );
            if !allowed {
                return Err(fail(format!(
                    "a redirect from {current} to {next}, another scheme, is not followed"
                )));
            }
            redirects += 1;
            if redirects > MAX_REDIRECTS {
                return Err(fail(format!(
                    "more than {MAX_REDIRECTS} redirects (the last to {next})"
                )));
            }
            current = next;
            continue;
        }
        if !status.is_success() {
            return Err(fail(format!("HTTP {status}")));
        }
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let content_type = header("content-type");
        let length = header("content-length").and_then(|l| l.trim().parse().ok());
        let mut bytes = Vec::new();
        response
            .body_mut()
            .as_reader()
            .take(MAX_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| fail(e.to_string()))?;
        return Ok(Fetched {
            url: current.to_string(),
            redirected: redirects > 0,
            content_type,
            bytes,
            length,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_told_from_paths_by_their_scheme() {
        assert!(is_url("https://example.org/feed.xml"));
        assert!(is_url("ftp://example.org/feed.xml"));
        assert!(!is_url("out/rss.xml"));
        assert!(!is_url("a weird://name"));
        assert!(!is_url("://x"));
    }

    #[test]
    fn only_http_and_https_are_fetched() {
        for url in [
            "ftp://example.org/feed.xml",
            "file:///etc/passwd",
            "not a url://",
        ] {
            let err = fetch(url, Duration::from_secs(1)).unwrap_err();
            assert!(matches!(err, Error::Fetch { .. }), "{url}: {err}");
        }
    }
}

//! URIs and IRIs: the characters the W3C service refuses, full versus relative references,
//! `tag:` URIs (RFC 4151), `urn:` and `urn:uuid:` URIs (RFC 8141, RFC 9562), schemes IANA has
//! not registered, and the canonical form Atom ids are compared in.

use super::dates::digits;

/// Characters a URI may hold unescaped (RFC 2396 plus `#`, `%`, `[`/`]` handled apart).
pub(super) fn uri_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || ";/?:@&=+$.-_!~*'()%,#".contains(c)
}

/// What is wrong with a URI, when something is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UriProblem {
    /// A character that must be percent-encoded (`InvalidUriChar`).
    Char(char),
    /// A malformed `tag:` URI (`InvalidTAG`).
    Tag,
    /// Not a URI of the kind required (relative where a full one is needed, no host, …).
    Form,
    /// Non-ASCII characters where a URI, not an IRI, is due (`UriNotIri`): an IRI would do
    /// once converted (RFC 3987 §3.1).
    NotIri,
    /// A malformed `urn:` URI (`InvalidURN`).
    Urn,
    /// A `urn:uuid:` URI that holds no UUID (`InvalidUUID`).
    Uuid,
    /// A well-formed URI whose scheme IANA has not registered (`SchemeNotIANARegistered`, a
    /// warning: the URI is still usable).
    Unregistered,
}

impl UriProblem {
    /// Whether the problem makes the URI invalid (all but [`UriProblem::Unregistered`]).
    pub fn is_error(self) -> bool {
        self != UriProblem::Unregistered
    }
}

/// How much of a URI is required.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UriKind {
    /// A URI reference; relative ones are fine.
    Reference,
    /// A full URI, with a scheme (and `//host` for http and ftp).
    Full,
}

/// Checks a URI (or IRI: non-ASCII characters are allowed when `iri`).
pub fn uri(value: &str, kind: UriKind, iri: bool) -> Result<(), UriProblem> {
    let scheme = value.split(':').next().unwrap_or("").to_ascii_lowercase();
    let has_scheme = value.contains(':')
        && scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    if has_scheme && scheme == "tag" {
        return if tag_uri(value) {
            Ok(())
        } else {
            Err(UriProblem::Tag)
        };
    }
    if has_scheme && scheme == "urn" {
        return urn(value);
    }
    let mut body = value;
    if has_scheme {
        body = &value[scheme.len() + 1..];
    }
    let body_no_ip = body.strip_prefix("//").map_or(body, |b| {
        b.strip_prefix('[')
            .and_then(|b| b.split_once(']'))
            .map_or(b, |(ip, rest)| {
                if ip.chars().all(|c| c.is_ascii_hexdigit() || c == ':') {
                    rest
                } else {
                    b
                }
            })
    });
    if let Some(c) = body_no_ip.chars().find(|&c| c.is_ascii() && !uri_char(c)) {
        return Err(UriProblem::Char(c));
    }
    if !iri && !value.is_ascii() {
        return Err(UriProblem::NotIri);
    }
    if kind == UriKind::Full && (!has_scheme || body.is_empty()) {
        return Err(UriProblem::Form);
    }
    if has_scheme && matches!(scheme.as_str(), "http" | "https" | "ftp") {
        // With one of these schemes the URI is absolute, and needs `//host`.
        let host_ok = body
            .strip_prefix("//")
            .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'));
        if !host_ok {
            return Err(UriProblem::Form);
        }
    }
    if has_scheme
        && scheme.chars().all(|c| c.is_ascii_alphabetic())
        && !super::schemes::registered(&scheme)
    {
        return Err(UriProblem::Unregistered);
    }
    Ok(())
}

/// Checks a `urn:` URI: `urn:` (any case), a namespace identifier of 2 to 32 letters, digits
/// and hyphens that starts with a letter or digit, `:`, and a non-empty namespace-specific
/// string of URN characters and percent-escapes (RFC 8141 §2, as the W3C service reads RFC
/// 2141); `urn:uuid:` must hold a UUID.
fn urn(value: &str) -> Result<(), UriProblem> {
    let rest = &value[4..];
    if rest
        .get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("uuid:"))
    {
        return if uuid(&rest[5..]) {
            Ok(())
        } else {
            Err(UriProblem::Uuid)
        };
    }
    let Some((nid, nss)) = rest.split_once(':') else {
        return Err(UriProblem::Urn);
    };
    let nid_ok = (2..=32).contains(&nid.len())
        && nid.starts_with(|c: char| c.is_ascii_alphanumeric())
        && nid.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let bytes = nss.as_bytes();
    let mut i = 0;
    let mut nss_ok = !bytes.is_empty();
    while nss_ok && i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            nss_ok = bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit));
            i += 3;
        } else {
            nss_ok = b.is_ascii_alphanumeric() || b"()+,.:=@;$_!*'-".contains(&b);
            i += 1;
        }
    }
    if nid_ok && nss_ok {
        Ok(())
    } else {
        Err(UriProblem::Urn)
    }
}

/// Whether `value` is a UUID in its string form: 8-4-4-4-12 hexadecimal digits.
fn uuid(value: &str) -> bool {
    let groups: Vec<&str> = value.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Whether `value` is a well-formed `tag:` URI (RFC 4151).
pub fn tag_uri(value: &str) -> bool {
    let Some(rest) = value.strip_prefix("tag:") else {
        return false;
    };
    let Some((authority, specific)) = rest.split_once(':') else {
        return false;
    };
    let Some((name, date)) = authority.rsplit_once(',') else {
        return false;
    };
    let name = name.rsplit_once('@').map_or(name, |(user, domain)| {
        if user.is_empty()
            || !user
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-._".contains(c))
        {
            ""
        } else {
            domain
        }
    });
    let name_ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-".contains(c));
    let date_ok = {
        let parts: Vec<&str> = date.split('-').collect();
        digits(parts[0], 4, 4).is_some()
            && parts.len() <= 3
            && parts[1..].iter().all(|p| digits(p, 2, 2).is_some())
    };
    let specific_ok = specific
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || ";/?:@&=+$.-_!~*'()%,#".contains(c));
    name_ok && date_ok && specific_ok
}

/// The canonical form of a URI (RFC 3986 §6.2.2, as the W3C service computes it): lower-case
/// scheme (and URN namespace), and for http(s) lower-case host, no empty userinfo or port, no
/// default port, `/` for an empty path, no dot segments, unreserved characters not
/// percent-encoded and other escapes in upper case. `None` when there is no scheme.
pub fn canonical(value: &str) -> Option<String> {
    let (scheme, rest) = value.split_once(':')?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme == "urn" {
        let (nid, nss) = rest.split_once(':')?;
        return Some(format!("urn:{}:{nss}", nid.to_ascii_lowercase()));
    }
    let default_port = match scheme.as_str() {
        "http" => "80",
        "https" => "443",
        _ => return Some(format!("{scheme}:{rest}")),
    };
    let rest = rest.strip_prefix("//")?;
    let split = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(split);
    let (userinfo, hostport) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u).filter(|u| !u.is_empty() && *u != ":"), h),
        None => (None, authority),
    };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || hostport.starts_with('[') => (h, Some(p)),
        _ => (hostport, None),
    };
    let mut out = format!("{scheme}://");
    if let Some(u) = userinfo {
        out.push_str(u);
        out.push('@');
    }
    out.push_str(&host.to_ascii_lowercase());
    if let Some(p) = port.filter(|p| !p.is_empty() && *p != default_port) {
        out.push(':');
        out.push_str(p);
    }
    let split = tail.find(['?', '#']).unwrap_or(tail.len());
    let (path, after) = tail.split_at(split);
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/').skip(1) {
        match segment {
            "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let path = format!("/{}", segments.join("/"));
    let path = if path.len() > 1 && (tail.ends_with("/.") || tail.ends_with("/..")) {
        format!("{path}/")
    } else {
        path
    };
    out.push_str(&normalise_escapes(&path));
    out.push_str(&normalise_escapes(after));
    Some(out)
}

/// Decodes percent-escapes of unreserved characters and upper-cases the others.
fn normalise_escapes(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                out.push(char::from(b));
            } else {
                out.push('%');
                out.push_str(&hex.to_ascii_uppercase());
            }
            i += 3;
            continue;
        }
        let c = s[i..].chars().next().unwrap_or('\u{fffd}');
        out.push(c);
        i += c.len_utf8().max(1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        use UriKind::*;
        assert!(uri("https://example.com/a?b=c#d", Full, false).is_ok());
        assert!(uri("/relative", Reference, false).is_ok());
        assert_eq!(uri("/relative", Full, false), Err(UriProblem::Form));
        assert_eq!(uri("http:/x", Full, false), Err(UriProblem::Form));
        assert_eq!(
            uri("http://a.com/b c", Full, false),
            Err(UriProblem::Char(' '))
        );
        assert!(uri("http://例え.jp/パス", Full, true).is_ok());
        assert_eq!(uri("http://例え.jp/", Full, false), Err(UriProblem::NotIri));
        assert!(uri("tag:example.com,2006:x", Full, false).is_ok());
        assert_eq!(uri("tag:example.com:x", Full, false), Err(UriProblem::Tag));
        assert!(uri("urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a", Full, false).is_ok());
        assert!(uri("http://[::1]/x", Full, false).is_ok());
        assert!(uri("urn:isbn:0451450523", Full, false).is_ok());
        assert!(uri("URN:x-y:a%2Fb", Full, false).is_ok());
        for bad in [
            "urn:a.b:x",
            "urn:-ab:x",
            "urn:a/b:x",
            "urn:ab:",
            "urn:ab:a b",
            "urn:x",
        ] {
            assert_eq!(uri(bad, Full, false), Err(UriProblem::Urn), "{bad}");
        }
        assert_eq!(uri("urn:uuid:1225c695", Full, false), Err(UriProblem::Uuid));
        assert_eq!(
            uri("feed://example.com/x", Full, false),
            Err(UriProblem::Unregistered)
        );
        assert_eq!(
            uri("javascript:alert(1)", Reference, false),
            Err(UriProblem::Unregistered)
        );
        assert!(!UriProblem::Unregistered.is_error());
        assert!(uri("mailto:a@example.com", Full, false).is_ok());
    }

    #[test]
    fn canonical_uris() {
        assert_eq!(
            canonical("HTTP://Example.COM:80").as_deref(),
            Some("http://example.com/")
        );
        assert_eq!(
            canonical("https://a.com/x%2fy").as_deref(),
            Some("https://a.com/x%2Fy")
        );
        assert_eq!(canonical("tag:a,2006:x").as_deref(), Some("tag:a,2006:x"));
        for (from, to) in [
            ("http://example.org/./id/1234", "http://example.org/id/1234"),
            ("http://:@example.org/id/1234", "http://example.org/id/1234"),
            (
                "http://example.org/%69%64/1234",
                "http://example.org/id/1234",
            ),
            ("URN:DIVEINTOMARK-ORG:1", "urn:diveintomark-org:1"),
            ("http://example.com:/", "http://example.com/"),
            ("http://example.com/%7Esmith/", "http://example.com/~smith/"),
            (
                "http://example.com/a/b/../c?q=%2f",
                "http://example.com/a/c?q=%2F",
            ),
        ] {
            assert_eq!(canonical(from).as_deref(), Some(to), "{from}");
        }
    }
}

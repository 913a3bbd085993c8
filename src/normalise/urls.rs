//! Which URLs may reach a feed: absolute `http`/`https` only, and their canonical form.

use url::Url;

/// Longest URL accepted; longer ones are almost always scraping accidents.
pub const MAX_URL_LEN: usize = 2048;

/// Parses an absolute `http(s)` URL, or says in a phrase why it is refused.
///
/// The result is serialised by the `url` crate: scheme and host lower-case, an internationalised
/// host in its ASCII (IDNA) form, non-ASCII path characters percent-encoded, so it is safe in
/// every feed format.
pub fn parse_http_url(text: &str) -> Result<Url, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("is empty".into());
    }
    if text.len() > MAX_URL_LEN {
        return Err(format!("is longer than {MAX_URL_LEN} characters"));
    }
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "`{}` contains spaces or control characters",
            shorten(text)
        ));
    }
    let url = Url::parse(text).map_err(|e| match e {
        url::ParseError::RelativeUrlWithoutBase => {
            format!(
                "`{}` is relative; only absolute http(s) URLs are published",
                shorten(text)
            )
        }
        other => format!("`{}` is not a valid URL ({other})", shorten(text)),
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "`{}:` URLs are not published; only absolute http(s) URLs",
            url.scheme()
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("`{}` has no host", shorten(text)));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("contains a user name or password".into());
    }
    Ok(url)
}

/// The canonical id of a link: the parsed URL without its fragment.
pub fn canonical(url: &Url) -> String {
    let mut url = url.clone();
    url.set_fragment(None);
    url.into()
}

/// The MIME type of an image URL: from its extension, else from a format hint in its query
/// (`?format=jpeg`, `?fm=png`, `&type=image/webp`, as image CDNs write them); `None` when
/// neither names one of [`crate::model::IMAGE_TYPES`].
pub fn image_mime(url: &Url) -> Option<&'static str> {
    let by_name = |name: &str| {
        crate::model::IMAGE_TYPES
            .iter()
            .find(|&&(ext, mime)| name.eq_ignore_ascii_case(ext) || name.eq_ignore_ascii_case(mime))
            .map(|&(_, mime)| mime)
    };
    if let Some(ext) = extension(url) {
        return by_name(ext);
    }
    url.query_pairs()
        .filter(|(key, _)| FORMAT_HINTS.contains(&key.as_ref()))
        .find_map(|(_, value)| by_name(value.trim()))
}

/// Query keys image services use to name the format they serve.
const FORMAT_HINTS: &[&str] = &["format", "fm", "f", "ext", "type", "mime", "output"];

/// The extension of a URL's last path segment: 1–5 ASCII letters or digits after its last
/// dot (`b.JPG` → `JPG`); `None` for `/photo`, `/0`, `/b.png@png`.
pub fn extension(url: &Url) -> Option<&str> {
    let last = url.path_segments()?.next_back()?;
    let (_, ext) = last.rsplit_once('.')?;
    (!ext.is_empty() && ext.len() <= 5 && ext.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then_some(ext)
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_canonicalises_http() {
        let url = parse_http_url("HTTPS://Example.COM/a?b=1&c=2#frag").unwrap();
        assert_eq!(url.as_str(), "https://example.com/a?b=1&c=2#frag");
        assert_eq!(canonical(&url), "https://example.com/a?b=1&c=2");
    }

    #[test]
    fn international_hosts_become_ascii() {
        let url = parse_http_url("https://bücher.de/straße").unwrap();
        assert_eq!(url.as_str(), "https://xn--bcher-kva.de/stra%C3%9Fe");
    }

    #[test]
    fn refuses_everything_else() {
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "file:///etc/passwd",
            "/relative/path",
            "relative.html",
            "https://exa mple.com/",
            "https://example.com/a b",
            "http://",
            "https://user:pw@example.com/",
            "",
        ] {
            assert!(parse_http_url(bad).is_err(), "{bad}");
        }
        let long = format!("https://example.com/{}", "a".repeat(MAX_URL_LEN));
        assert!(parse_http_url(&long).is_err());
    }

    #[test]
    fn mime_by_extension() {
        let mime = |s: &str| image_mime(&Url::parse(s).unwrap());
        assert_eq!(mime("https://x.org/a/b.JPG?w=1"), Some("image/jpeg"));
        assert_eq!(mime("https://x.org/b.png"), Some("image/png"));
        assert_eq!(mime("https://x.org/b.png@png"), None);
        assert_eq!(mime("https://x.org/image"), None);
        assert_eq!(mime("https://x.org/b.php?format=png"), None);
    }

    #[test]
    fn mime_by_format_hint_when_there_is_no_extension() {
        let mime = |s: &str| image_mime(&Url::parse(s).unwrap());
        assert_eq!(mime("https://x.org/image?format=jpeg"), Some("image/jpeg"));
        assert_eq!(mime("https://x.org/i?w=1&fm=WEBP"), Some("image/webp"));
        assert_eq!(mime("https://x.org/i?type=image/png"), Some("image/png"));
        assert_eq!(mime("https://x.org/photo?id=3"), None);
        assert_eq!(mime("https://x.org/i?format=mp4"), None);
        let ext = |s: &str| extension(&Url::parse(s).unwrap()).map(str::to_string);
        assert_eq!(ext("https://x.org/a.b/c"), None);
        assert_eq!(ext("https://x.org/c.jpeg"), Some("jpeg".into()));
        assert_eq!(ext("https://x.org/v1.0-final"), None);
    }
}

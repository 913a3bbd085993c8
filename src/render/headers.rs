//! `_headers` (config `headers: netlify`): the HTTP headers a static host sends with each file
//! of the output, in the format Netlify and Cloudflare Pages both read — a path pattern on a
//! line of its own, then its headers indented below it.
//!
//! What the rules say:
//! - every feed is sent with its own media type (`application/rss+xml`, `application/atom+xml`,
//!   `application/feed+json`, each `charset=utf-8`), as are the OPML list, the stylesheet, the
//!   index page and the manifest, instead of whatever the host guesses from the extension;
//! - subscription documents (and the site files) may be cached for [`SHORT`]: five minutes
//!   bounds how late a reader or a hub sees a new item after a deploy, while a feed polled by
//!   thousands of readers is still fetched from the origin at most once per five minutes per
//!   cache;
//! - archive pages (`<feed folder>/archive/rss-0001.xml`, …: a page, once full, never changes)
//!   are [`IMMUTABLE`].
//!
//! The patterns are the ones both hosts read alike: at most one `*` splat per pattern
//! (Cloudflare drops a pattern with two) and `:placeholder`s only as whole segments (Netlify
//! reads one anywhere else as literal text). Both hosts apply every rule whose pattern matches,
//! joining the values of a header that several set, so the patterns are chosen so that no
//! output file matches two rules (the one exception is below). That is why archive pages get
//! no `Content-Type` of their own: telling `archive/rss-0001.xml` from `archive/atom-0001.xml`
//! would take a second splat, and the host's guess from the extension (`application/xml`,
//! `application/json`) is what they get. The exception: on Netlify, `/*/archive/:page` also
//! matches the top-level feed's archive (`/archive/rss-0001.xml`), which Cloudflare reaches
//! only through `/archive/:page`; the two rules say the same thing.

use std::fmt::Write as _;

use super::site::{INDEX, OPML, STYLESHEET, has_stylesheet};
use crate::config::Site;

/// `Cache-Control` of subscription documents and site files: five minutes.
pub const SHORT: &str = "public, max-age=300";
/// `Cache-Control` of archive pages: a year (the most RFC 9111 caches honour), never
/// revalidated.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The `_headers` file for `site`: rules for the formats it writes, and for the stylesheet when
/// it writes one.
pub fn netlify(site: &Site) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Written by newswire (headers: netlify): the HTTP headers Netlify and Cloudflare Pages send\n\
         # with these files. Each file matches one rule at most. Subscription documents may be cached\n\
         # for five minutes; archive pages never change once written."
    );
    let mut rule = |pattern: &str, content_type: Option<&str>, cache: &str| {
        let _ = writeln!(out, "{pattern}");
        if let Some(content_type) = content_type {
            let _ = writeln!(out, "  Content-Type: {content_type}; charset=utf-8");
        }
        let _ = writeln!(out, "  Cache-Control: {cache}");
    };
    // `/*rss.xml` matches `rss.xml` in every folder, never an archive page (`rss-0001.xml`).
    for &format in &site.formats {
        let pattern = format!("/*{}", format.file_name());
        rule(&pattern, Some(format.media_type()), SHORT);
    }
    rule("/*/archive/:page", None, IMMUTABLE);
    rule("/archive/:page", None, IMMUTABLE);
    rule(&format!("/{OPML}"), Some("text/x-opml"), SHORT);
    if has_stylesheet(site) {
        rule(
            &format!("/{STYLESHEET}"),
            Some("application/xslt+xml"),
            SHORT,
        );
    }
    rule("/", Some("text/html"), SHORT);
    rule(&format!("/{INDEX}"), Some("text/html"), SHORT);
    // The write stage's manifest (named there; the render stage knows no later stage).
    rule("/manifest.json", Some("application/json"), SHORT);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FeedFormat;

    /// How Cloudflare Pages matches a pattern (its rules engine): each `*` is a greedy match
    /// of anything, slashes included, each `:name` one segment's characters.
    fn cloudflare(pattern: &str, path: &str) -> bool {
        fn go(p: &[u8], s: &[u8]) -> bool {
            match p.split_first() {
                None => s.is_empty(),
                Some((b'*', rest)) => (0..=s.len()).any(|i| go(rest, &s[i..])),
                Some((b':', rest)) => {
                    let name = rest
                        .iter()
                        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                        .count();
                    let rest = &rest[name..];
                    let most = s.iter().take_while(|b| **b != b'/').count();
                    (1..=most).any(|i| go(rest, &s[i..]))
                }
                Some((c, rest)) => s.first() == Some(c) && go(rest, &s[1..]),
            }
        }
        go(pattern.as_bytes(), path.as_bytes())
    }

    fn site(formats: Vec<FeedFormat>, stylesheet: bool) -> Site {
        Site {
            title: "t".into(),
            description: "d".into(),
            base_url: url::Url::parse("https://example.org/").unwrap(),
            language: None,
            author: "a".into(),
            logo: None,
            stylesheet,
            formats,
            hubs: Default::default(),
            headers: crate::config::HostHeaders::Netlify,
        }
    }

    /// The rules of a `_headers` file: each pattern with its header lines.
    fn rules(file: &str) -> Vec<(String, Vec<String>)> {
        let mut rules: Vec<(String, Vec<String>)> = Vec::new();
        for line in file.lines().filter(|l| !l.starts_with('#')) {
            match line.strip_prefix("  ") {
                Some(header) => rules.last_mut().unwrap().1.push(header.to_string()),
                None => rules.push((line.to_string(), Vec::new())),
            }
        }
        rules
    }

    #[test]
    fn every_file_matches_one_rule_and_archive_pages_are_immutable() {
        let file = netlify(&site(FeedFormat::ALL.to_vec(), true));
        let rules = rules(&file);
        assert!(
            rules
                .iter()
                .all(|(p, h)| p.starts_with('/') && !h.is_empty())
        );
        assert!(rules.iter().all(|(p, _)| p.matches('*').count() <= 1));
        let matching = |path: &str| -> Vec<&(String, Vec<String>)> {
            rules.iter().filter(|(p, _)| cloudflare(p, path)).collect()
        };
        for (path, content_type) in [
            ("/rss.xml", "application/rss+xml"),
            ("/atom.xml", "application/atom+xml"),
            ("/feed.json", "application/feed+json"),
            ("/topics/ai/rss.xml", "application/rss+xml"),
            ("/providers/x-com/atom.xml", "application/atom+xml"),
            ("/top/news/feed.json", "application/feed+json"),
            ("/feeds.opml", "text/x-opml"),
            ("/feed.xsl", "application/xslt+xml"),
            ("/index.html", "text/html"),
            ("/", "text/html"),
            ("/manifest.json", "application/json"),
        ] {
            let found = matching(path);
            assert_eq!(found.len(), 1, "{path}: {found:?}");
            let headers = &found[0].1;
            assert_eq!(
                headers[0],
                format!("Content-Type: {content_type}; charset=utf-8"),
                "{path}"
            );
            assert_eq!(headers[1], format!("Cache-Control: {SHORT}"), "{path}");
        }
        for path in [
            "/archive/rss-0001.xml",
            "/topics/ai/archive/atom-0002.xml",
            "/kinds/event/archive/feed-0001.json",
        ] {
            let found = matching(path);
            assert_eq!(found.len(), 1, "{path}: {found:?}");
            assert_eq!(
                found[0].1,
                [format!("Cache-Control: {IMMUTABLE}")],
                "{path}"
            );
        }
    }

    #[test]
    fn only_the_formats_written_and_the_stylesheet_when_on() {
        let file = netlify(&site(vec![FeedFormat::Json], true));
        assert!(file.contains("/*feed.json\n"));
        assert!(!file.contains("rss.xml") && !file.contains("atom.xml"));
        assert!(
            !file.contains("feed.xsl"),
            "no stylesheet for JSON Feed alone"
        );
        let file = netlify(&site(vec![FeedFormat::Rss], false));
        assert!(file.contains("/*rss.xml\n") && !file.contains("feed.xsl"));
        let file = netlify(&site(vec![FeedFormat::Rss], true));
        assert!(file.contains("/feed.xsl\n"));
    }
}

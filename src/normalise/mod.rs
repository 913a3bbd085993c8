//! Normalise: [`Parsed`] article → one validated [`Item`], or the reasons it cannot be one.
//!
//! Raw input stops here. Every problem of an article is reported at once, each as a
//! [`Diagnostic`] on the line of the offending key, so the author can fix a file in one pass.

mod body;
mod dates;
mod kinds;
mod text;
mod urls;

use std::path::Path;

use chrono::{DateTime, Utc};

pub use body::{body_html, html_body};
pub use dates::parse_date;
pub use kinds::{classify, iso_duration};
pub use text::{MAX_SUMMARY_CHARS, finish_excerpt, plain_text};
pub use urls::{canonical, extension, image_mime, parse_http_url};

use crate::config::{ItemRules, LinkPreference};
use crate::diag::{Code, Diagnostic};
use crate::ingest::{KeyLines, Parsed, RawImage, RawProvider, RawRelated, Scalar};
use crate::model::{Details, Head, Image, Item, Kind, Provider, Related, Skip, topic_key};

/// What became of one article.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// It goes into feeds.
    Item(Box<Item>),
    /// `published: false` or `removed: true`: silently left out.
    Unpublished,
    /// Too broken to publish (errors say why).
    Rejected,
    /// Not an article at all (a README, a web page): neither published nor rejected.
    Skipped(Skip),
    /// Not a feed item, by a documented rule: a profile (person, company). Said once in the
    /// summary, not per file.
    Excluded,
}

/// The result of normalising one article. It depends only on the file and the settings that
/// shape items, never on the clock (see [`hold_back`]), so it can be cached.
#[derive(Debug, Clone, PartialEq)]
pub struct Normalised {
    /// What became of it.
    pub outcome: Outcome,
    /// Every problem found, errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// The file line of the article's date, for a later `future-date` warning.
    pub date_line: usize,
}

impl Normalised {
    /// A file that never got as far as normalising (unreadable, no front matter, bad YAML).
    pub fn failed(diagnostic: Diagnostic) -> Normalised {
        Normalised {
            outcome: Outcome::Rejected,
            diagnostics: vec![diagnostic],
            date_line: 1,
        }
    }

    /// A file that is not an article at all, so nothing is said about it here.
    pub fn skipped(skip: Skip) -> Normalised {
        Normalised {
            outcome: Outcome::Skipped(skip),
            diagnostics: Vec::new(),
            date_line: 1,
        }
    }
}

/// Holds back an item dated after `now` until it is due: the warning to print, or `None` when
/// the item can be published.
pub fn hold_back(item: &Head, date_line: usize, now: DateTime<Utc>) -> Option<Diagnostic> {
    (item.published > now).then(|| {
        Diagnostic::warning(
            &item.source,
            date_line,
            1,
            Code::FutureDate,
            format!(
                "dated {}, after now ({}): held back until then",
                item.published.to_rfc3339(),
                now.to_rfc3339()
            ),
        )
    })
}

/// Front-matter keys newswire knows. Anything else gets an `unknown-key` warning.
const KNOWN_KEYS: &[&str] = &[
    "ampWebUrl",
    "category",
    "cdnAmpWebUrl",
    "endDateTime",
    "excerpt",
    "downloadUrl",
    "featuredContent",
    "heat",
    "images",
    "items",
    "length",
    "levels",
    "location",
    "name",
    "originalUrl",
    "price",
    "provider",
    "published",
    "publishedDateTime",
    "quality",
    "ratings",
    "related",
    "removed",
    "secured",
    "startDateTime",
    "tags",
    "title",
    "topics",
    "type",
    "webUrl",
    "website",
];

/// Front-matter keys of this format (as the everyday.cc sites write it) that newswire
/// deliberately does not read: profile and company facts, social links, learning metadata.
/// They are accepted without a word; only keys in neither list get an `unknown-key` warning.
const IGNORED_KEYS: &[&str] = &[
    "actions",
    "affiliation",
    "bio",
    "crunchbase",
    "featuredContent",
    "funding",
    "googleScholar",
    "items",
    "length",
    "levels",
    "linkedin",
    "locations",
    "members",
    "overview",
    "ratings",
    "size",
    "twitter",
    "videos",
    "wikipedia",
    "yearFounded",
];

/// Normalises one parsed article against the settings.
pub fn normalise(parsed: &Parsed, rules: &ItemRules) -> Normalised {
    let mut n = Normaliser {
        path: &parsed.path,
        lines: &parsed.lines,
        diagnostics: Vec::new(),
    };
    let outcome = n.run(parsed, rules);
    // An undated item is dated after the cache (the `dating` module); an error about it goes
    // on the line of its (empty) `publishedDateTime`, or line 1.
    let date_line = n.line("publishedDateTime");
    Normalised {
        outcome,
        diagnostics: n.diagnostics,
        date_line,
    }
}

struct Normaliser<'a> {
    path: &'a Path,
    lines: &'a KeyLines,
    diagnostics: Vec<Diagnostic>,
}

impl Normaliser<'_> {
    fn line(&self, key: &str) -> usize {
        self.lines.get(key).unwrap_or(1)
    }

    fn error(&mut self, key: &str, code: Code, message: String) {
        let line = self.line(key);
        self.diagnostics
            .push(Diagnostic::error(self.path, line, 1, code, message));
    }

    fn warning(&mut self, key: &str, code: Code, message: String) {
        let line = self.line(key);
        self.diagnostics
            .push(Diagnostic::warning(self.path, line, 1, code, message));
    }

    fn run(&mut self, parsed: &Parsed, rules: &ItemRules) -> Outcome {
        let raw = &parsed.raw;
        if raw.published == Some(false) || raw.removed == Some(true) {
            return Outcome::Unpublished;
        }
        // A `type` newswire has no name for is a kind of its own (reported once, in the
        // summary), not a problem of the file.
        let kind = kinds::classify(raw, &parsed.path);
        if kind == Kind::Profile || (kind == Kind::Collection && !has_link(raw)) {
            // Not feed items: a person or company; a list with no page of its own to open.
            return Outcome::Excluded;
        }
        self.check_keys();

        let title = self.title(raw.title.as_ref(), raw.name.as_ref());
        let link = self.link(raw, rules.link);
        // An event's own date is when it was announced (`publishedDateTime`); its start is a
        // detail, never its date.
        let published = self.date("publishedDateTime", raw.published_date_time.as_ref());
        let start = self.date("startDateTime", raw.start_date_time.as_ref());
        let (Some(title), Some((link, key)), Ok(published), Ok(start)) =
            (title, link, published, start)
        else {
            return Outcome::Rejected;
        };

        let id = canonical(&link);
        let via = match (key, raw.original_url.as_ref()) {
            ("originalUrl", _) | (_, None) => None,
            (_, Some(original)) => self
                .optional_url("originalUrl", original)
                .filter(|url| canonical(url) != id)
                .map(String::from),
        };
        let summary = raw
            .excerpt
            .as_ref()
            .map(|e| finish_excerpt(&plain_text(e.as_str())))
            .filter(|s| !s.is_empty());
        let body_html = (rules.full_content && !parsed.body.trim().is_empty())
            .then(|| match is_html(&parsed.path) {
                // A newsletter issue's body is HTML already (an e-mail's).
                true => html_body(&parsed.body, &link),
                false => body_html(&parsed.body, &link),
            })
            .filter(|html| !html.is_empty());
        let details = self.details(&kind, raw, &link);
        let assets = rules.asset_base_url.as_deref();
        let related = self.related(&id, raw.related.as_deref().unwrap_or_default());
        let item = Item {
            related,
            body_html,
            id,
            link: link.into(),
            via,
            title,
            summary,
            published,
            kind,
            details: Details {
                start: start.or(details.start),
                ..details
            },
            heat: raw.heat.unwrap_or(0),
            provider: raw.provider.as_ref().and_then(|p| self.provider(p, assets)),
            topics: self.topics(raw.topics.as_deref().unwrap_or_default()),
            images: self.images("images", raw.images.as_deref().unwrap_or_default(), assets),
            quality: raw.quality.unwrap_or(0),
            source: parsed.path.clone(),
        };
        Outcome::Item(Box::new(item))
    }

    fn check_keys(&mut self) {
        let unknown: Vec<(String, usize)> = self
            .lines
            .iter()
            .filter(|(key, _)| !KNOWN_KEYS.contains(key) && !IGNORED_KEYS.contains(key))
            .map(|(key, line)| (key.to_string(), line))
            .collect();
        for (key, line) in unknown {
            self.diagnostics.push(Diagnostic::warning(
                self.path,
                line,
                1,
                Code::UnknownKey,
                format!("unknown key `{key}` is ignored"),
            ));
        }
    }

    fn title(&mut self, title: Option<&Scalar>, name: Option<&Scalar>) -> Option<String> {
        let key = if title.is_some() { "title" } else { "name" };
        let cleaned = title
            .or(name)
            .map(|t| plain_text(t.as_str()))
            .unwrap_or_default();
        if cleaned.is_empty() {
            let what = if title.is_some() || name.is_some() {
                "is empty"
            } else {
                "is missing (`title`, or `name` for events)"
            };
            self.error(key, Code::MissingTitle, format!("title {what}"));
            return None;
        }
        Some(cleaned)
    }

    /// The link, and the key it came from.
    fn link(
        &mut self,
        raw: &crate::ingest::RawArticle,
        preference: LinkPreference,
    ) -> Option<(url::Url, &'static str)> {
        let web = ("webUrl", raw.web_url.as_ref());
        let original = ("originalUrl", raw.original_url.as_ref());
        let website = ("website", raw.website.as_ref());
        let order = match preference {
            LinkPreference::Web => [web, original, website],
            LinkPreference::Original => [original, web, website],
        };
        let Some((key, value)) = order
            .into_iter()
            .find_map(|(key, value)| value.filter(|v| !v.as_str().is_empty()).map(|v| (key, v)))
        else {
            self.error(
                "webUrl",
                Code::MissingLink,
                "no link: set `webUrl` (or `originalUrl`, or `website` for events)".into(),
            );
            return None;
        };
        match parse_http_url(value.as_str()) {
            Ok(url) => Some((url, key)),
            Err(why) => {
                self.error(key, Code::InvalidLink, format!("`{key}` {why}"));
                None
            }
        }
    }

    /// The date under `key`: `Ok(None)` when the file has none (absent, null or empty: the
    /// item is dated after normalising), an error when it is there but not a plausible date.
    fn date(&mut self, key: &str, value: Option<&Scalar>) -> Result<Option<DateTime<Utc>>, ()> {
        let Some(text) = value.map(Scalar::as_str).filter(|t| !t.trim().is_empty()) else {
            return Ok(None);
        };
        let Some(date) = parse_date(text) else {
            self.error(
                key,
                Code::InvalidDate,
                format!("`{text}` is not a date (use RFC 3339, e.g. 2023-05-11T21:44:00Z)"),
            );
            return Err(());
        };
        if date < dates::earliest() {
            self.error(
                key,
                Code::ImplausibleDate,
                format!("`{text}` is before 1990; feed validators reject such dates"),
            );
            return Err(());
        }
        Ok(Some(date))
    }

    fn optional_url(&mut self, key: &str, value: &Scalar) -> Option<url::Url> {
        if value.as_str().is_empty() {
            return None;
        }
        match parse_http_url(value.as_str()) {
            Ok(url) => Some(url),
            Err(why) => {
                self.warning(key, Code::InvalidUrl, format!("`{key}` {why}: ignored"));
                None
            }
        }
    }

    fn provider(&mut self, raw: &RawProvider, assets: Option<&str>) -> Option<Provider> {
        let domain = raw
            .domain
            .as_ref()
            .map(|d| d.as_str())
            .filter(|d| !d.is_empty())
            .and_then(|d| match url::Host::parse(d) {
                // URL parsing lets through hosts no DNS name has (`{.`); the provider's URI
                // must pass feed validators, so every label is letters, digits, `-` or `_`.
                Ok(url::Host::Domain(host))
                    if !host.starts_with('.')
                        && host.trim_end_matches('.').contains('.')
                        && host.trim_end_matches('.').split('.').all(|label| {
                            !label.is_empty()
                                && label
                                    .chars()
                                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                        }) =>
                {
                    Some(host.trim_end_matches('.').to_ascii_lowercase())
                }
                _ => {
                    self.warning(
                        "provider",
                        Code::InvalidDomain,
                        format!("provider domain `{d}` is not a host name: ignored"),
                    );
                    None
                }
            });
        let name = raw
            .name
            .as_ref()
            .map(|n| plain_text(n.as_str()))
            .filter(|n| !n.is_empty())
            .or_else(|| domain.clone())?;
        let logo = self
            .images(
                "provider",
                raw.images.as_deref().unwrap_or_default(),
                assets,
            )
            .into_iter()
            .next();
        Some(Provider { name, domain, logo })
    }

    /// The `related` reports: valid links only, not the article itself, each once.
    fn related(&mut self, own_id: &str, raw: &[RawRelated]) -> Vec<Related> {
        let mut related: Vec<Related> = Vec::new();
        for entry in raw {
            let Some(value) = entry.web_url.as_ref().or(entry.original_url.as_ref()) else {
                continue;
            };
            let Some(url) = self.optional_url("related", value) else {
                continue;
            };
            let id = canonical(&url);
            let title = entry
                .title
                .as_ref()
                .map(|t| plain_text(t.as_str()))
                .unwrap_or_default();
            if id == own_id || title.is_empty() || related.iter().any(|r| r.id == id) {
                continue;
            }
            let provider = entry
                .provider
                .as_ref()
                .and_then(|p| p.name.as_ref())
                .map(|n| plain_text(n.as_str()))
                .filter(|n| !n.is_empty());
            related.push(Related {
                id,
                link: url.into(),
                title,
                provider,
            });
        }
        related
    }

    fn topics(&mut self, raw: &[Scalar]) -> Vec<String> {
        let mut topics: Vec<String> = Vec::new();
        for topic in raw {
            let name = plain_text(topic.as_str());
            if name.is_empty() {
                self.warning(
                    "topics",
                    Code::EmptyTopic,
                    "an empty topic is ignored".into(),
                );
                continue;
            }
            if !topics.iter().any(|t| topic_key(t) == topic_key(&name)) {
                topics.push(name);
            }
        }
        topics
    }

    /// Every usable image, largest first (ties keep their order), each URL once. A
    /// site-relative path (`/assets/…`) is resolved against `asset_base_url`, or quietly left
    /// out without one; an image whose extension is not an image type's is left out, while
    /// one without an extension is kept (see [`image_mime`]).
    fn images(&mut self, key: &str, raw: &[RawImage], assets: Option<&str>) -> Vec<Image> {
        let mut images: Vec<Image> = Vec::new();
        for image in raw {
            let Some(value) = image.url.as_ref().map(Scalar::as_str) else {
                continue;
            };
            let absolute = match (value.strip_prefix('/'), assets) {
                (Some(rest), _) if rest.starts_with('/') => value.to_string(),
                (Some(_), Some(base)) => format!("{base}{value}"),
                (Some(_), None) => continue,
                (None, _) => value.to_string(),
            };
            let Some(url) = self.optional_url(key, &Scalar(absolute)) else {
                continue;
            };
            // A URL without an extension is kept (image services serve images from such
            // URLs), typed by its format hint if it has one; a URL whose extension is not an
            // image type's (`.html`, `.mp4`) is not an image.
            let mime = image_mime(&url);
            if mime.is_none() && urls::extension(&url).is_some() {
                continue;
            }
            let url = String::from(url);
            if images.iter().any(|i| i.url == url) {
                continue;
            }
            images.push(Image {
                url,
                width: image.width,
                height: image.height,
                mime,
            });
        }
        images.sort_by_key(|image| std::cmp::Reverse(area(image)));
        images
    }
}

fn is_html(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("html" | "htm")
    )
}

fn area(image: &Image) -> u64 {
    u64::from(image.width.unwrap_or(0)) * u64::from(image.height.unwrap_or(0))
}

/// Whether the article names any link (`webUrl`, `originalUrl` or `website`).
fn has_link(raw: &crate::ingest::RawArticle) -> bool {
    [&raw.web_url, &raw.original_url, &raw.website]
        .into_iter()
        .any(|v| v.as_ref().is_some_and(|v| !v.as_str().is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Overrides, Settings};
    use crate::ingest::parse_text;

    fn settings() -> Settings {
        let overrides = Overrides {
            base_url: Some("https://feeds.example.org/".into()),
            now: Some(parse_date("2026-01-01T00:00:00Z").unwrap()),
            ..Overrides::default()
        };
        Settings::merge(Config::default(), Path::new(""), overrides).unwrap()
    }

    fn rules() -> ItemRules {
        settings().items
    }

    fn run(text: &str) -> Normalised {
        let parsed = parse_text(Path::new("a.md"), text).unwrap();
        normalise(&parsed, &rules())
    }

    fn item(text: &str) -> Item {
        match run(text).outcome {
            Outcome::Item(item) => *item,
            other => panic!("expected an item, got {other:?}"),
        }
    }

    fn codes(text: &str) -> Vec<&'static str> {
        run(text)
            .diagnostics
            .iter()
            .map(|d| d.code.name())
            .collect()
    }

    const GOOD: &str = "---\ntitle: \"A &amp; B\"\npublishedDateTime: 2023-05-11T21:44:00Z\nwebUrl: https://Example.com/a#x\noriginalUrl: https://source.org/a\nprovider:\n  name: Ex\n  domain: Example.COM\ntopics:\n  - AI\n  - ai\n  - AI Hardware\nimages:\n  - url: https://example.com/small.jpg\n    width: 10\n    height: 10\n  - url: https://example.com/big.png\n    width: 100\n    height: 50\n  - url: https://example.com/page.html\n    width: 1000\n    height: 1000\n---\n";

    #[test]
    fn provider_domains_must_be_host_names() {
        for (domain, kept) in [
            ("example.com", true),
            ("news.example.co.uk.", true),
            ("xn--bcher-kva.example", true),
            ("bücher.example", true),
            ("my_host.example", true),
            ("{.", false),
            ("a{b}.example", false),
            ("example", false),
            ("a..example", false),
            ("1.2.3.4", false),
        ] {
            let text = GOOD.replace("domain: Example.COM", &format!("domain: \"{domain}\""));
            assert!(text.contains(domain), "the template has no provider domain");
            let item = item(&text);
            let got = item.provider.and_then(|p| p.domain);
            assert_eq!(got.is_some(), kept, "{domain}: {got:?}");
            assert_eq!(codes(&text).contains(&"invalid-domain"), !kept, "{domain}");
        }
    }

    #[test]
    fn maps_every_field() {
        let item = item(GOOD);
        assert_eq!(item.title, "A & B");
        assert_eq!(item.link, "https://example.com/a#x");
        assert_eq!(item.id, "https://example.com/a");
        assert_eq!(item.via.as_deref(), Some("https://source.org/a"));
        assert_eq!(
            item.published.unwrap().to_rfc3339(),
            "2023-05-11T21:44:00+00:00"
        );
        let provider = item.provider.as_ref().unwrap();
        assert_eq!(provider.domain.as_deref(), Some("example.com"));
        assert_eq!(item.topics, ["AI", "AI Hardware"]);
        let image = item.image().unwrap();
        assert_eq!(image.url, "https://example.com/big.png");
        assert_eq!(image.mime, Some("image/png"));
        assert_eq!(item.images.len(), 2);
    }

    #[test]
    fn events_use_name_and_website_and_start_only_as_their_start() {
        let text = "---\nname: Conf\nstartDateTime: 2019-12-08T08:00:00-08:00\nwebsite: https://conf.org/\ntype: conference\n---\n";
        let event = item(text);
        assert_eq!(event.title, "Conf");
        assert_eq!(event.link, "https://conf.org/");
        assert_eq!(event.kind, Kind::Event);
        assert_eq!(event.published, None, "undated: dated after the cache");
        assert_eq!(
            event.details.start.unwrap().to_rfc3339(),
            "2019-12-08T16:00:00+00:00"
        );
        assert!(run(text).diagnostics.is_empty());
        // Announced: the announcement is its date, the start stays its start.
        let announced = item(&text.replace(
            "type: conference",
            "type: conference\npublishedDateTime: 2019-09-01T10:00:00Z",
        ));
        assert_eq!(
            announced.published.unwrap().to_rfc3339(),
            "2019-09-01T10:00:00+00:00"
        );
        assert_eq!(announced.details.start, event.details.start);
    }

    #[test]
    fn undated_items_are_kept_and_bad_dates_still_reject() {
        for text in [
            "---\ntitle: t\nwebUrl: https://x.org/\n---\n",
            "---\ntitle: t\nwebUrl: https://x.org/\npublishedDateTime:\n---\n",
            "---\ntitle: t\nwebUrl: https://x.org/\npublishedDateTime: \"\"\n---\n",
        ] {
            let r = run(text);
            assert!(r.diagnostics.is_empty(), "{text}: {:?}", r.diagnostics);
            assert_eq!(item(text).published, None);
        }
        let r = run("---\ntitle: t\nwebUrl: https://x.org/\npublishedDateTime:\n---\n");
        assert_eq!(r.date_line, 4, "a null date's key still has a line");
        let bad_start = "---\nname: C\nwebsite: https://x.org/\npublishedDateTime: 2020-01-01\nstartDateTime: soon\n---\n";
        let r = run(bad_start);
        assert_eq!(r.outcome, Outcome::Rejected);
        let found: Vec<_> = r
            .diagnostics
            .iter()
            .map(|d| (d.code.name(), d.line))
            .collect();
        assert_eq!(found, [("invalid-date", 5)]);
    }

    #[test]
    fn unpublished_and_removed_are_left_out_quietly() {
        let r = run("---\ntitle: x\npublished: false\n---\n");
        assert_eq!(r.outcome, Outcome::Unpublished);
        assert!(r.diagnostics.is_empty());
        assert_eq!(
            run("---\ntitle: x\nremoved: true\n---\n").outcome,
            Outcome::Unpublished
        );
    }

    #[test]
    fn every_problem_is_reported_at_once_on_its_line() {
        let r = run(
            "---\ntitle: \"<b></b>\"\nwebUrl: javascript:alert(1)\npublishedDateTime: someday\n---\n",
        );
        assert_eq!(r.outcome, Outcome::Rejected);
        let found: Vec<_> = r
            .diagnostics
            .iter()
            .map(|d| (d.code.name(), d.line))
            .collect();
        assert_eq!(
            found,
            [
                ("missing-title", 2),
                ("invalid-link", 3),
                ("invalid-date", 4)
            ]
        );
    }

    #[test]
    fn missing_fields() {
        assert_eq!(
            codes("---\ntype: article\n---\n"),
            ["missing-title", "missing-link"]
        );
    }

    #[test]
    fn old_and_future_dates() {
        let old =
            "---\ntitle: t\nwebUrl: https://x.org/\npublishedDateTime: 1989-12-31T23:59:59Z\n---\n";
        assert_eq!(codes(old), ["implausible-date"]);
        let future =
            "---\ntitle: t\nwebUrl: https://x.org/\npublishedDateTime: 2030-01-01T00:00:00Z\n---\n";
        let r = run(future);
        assert!(
            r.diagnostics.is_empty(),
            "the clock is not normalise's business"
        );
        let Outcome::Item(item) = r.outcome else {
            panic!("rejected")
        };
        let head = Head::new(&item, crate::cache::Store::memory().put(&item));
        let warning = hold_back(&head, r.date_line, settings().now).unwrap();
        assert_eq!((warning.code.name(), warning.line), ("future-date", 4));
        let later = parse_date("2030-01-01T00:00:00Z").unwrap();
        assert!(hold_back(&head, r.date_line, later).is_none());
    }

    #[test]
    fn unknown_keys_warn_and_unknown_types_are_kinds_of_their_own() {
        let r = run(
            "---\ntitle: t\nwebUrl: https://x.org/\npublishedDateTime: 2020-01-01\ntype: Podcast\nmood: happy\n---\n",
        );
        let found: Vec<_> = r
            .diagnostics
            .iter()
            .map(|d| (d.code.name(), d.line))
            .collect();
        assert_eq!(found, [("unknown-key", 6)], "no word about the type");
        let Outcome::Item(item) = r.outcome else {
            panic!("rejected")
        };
        assert_eq!(item.kind, Kind::Other("podcast".into()));
    }

    #[test]
    fn profiles_are_excluded_without_a_word() {
        let r = run(
            "---\nname: \"Ada Health\"\ntype: \"profile\"\nwebsite: https://ada.com/\nsize: 201-500 employees\ntwitter: {username: ada}\n---\n",
        );
        assert_eq!(r.outcome, Outcome::Excluded);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        let parsed = parse_text(Path::new("site/_people/ng.md"), "---\nname: Ng\n---\n").unwrap();
        assert_eq!(normalise(&parsed, &rules()).outcome, Outcome::Excluded);
    }

    #[test]
    fn a_collection_with_no_link_is_excluded_and_one_with_a_link_is_published() {
        let list = "---\ntitle: Best videos\ntype: collection\npublishedDateTime: 2023-01-01T00:00:00Z\nitems:\n  - videos/a\n";
        let r = run(&format!("{list}---\n"));
        assert_eq!(r.outcome, Outcome::Excluded);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        let r = run(&format!("{list}webUrl: https://list.example/best\n---\n"));
        let Outcome::Item(item) = r.outcome else {
            panic!("{:?}", r.diagnostics)
        };
        assert_eq!(item.kind, Kind::Collection);
    }

    #[test]
    fn images_without_an_extension_are_kept() {
        let item = item(
            "---\ntitle: t\nwebUrl: https://x.org/\npublishedDateTime: 2020-01-01\nimages:\n  - url: https://images.example.com/photo?id=3\n    width: 900\n    height: 600\n  - url: https://images.example.com/image?format=jpeg&w=1\n    width: 90\n    height: 60\n  - url: https://x.org/video.mp4\n  - url: https://x.org/a.png\n---\n",
        );
        let found: Vec<_> = item
            .images
            .iter()
            .map(|i| (i.url.as_str(), i.mime))
            .collect();
        assert_eq!(
            found,
            [
                ("https://images.example.com/photo?id=3", None),
                (
                    "https://images.example.com/image?format=jpeg&w=1",
                    Some("image/jpeg")
                ),
                ("https://x.org/a.png", Some("image/png")),
            ]
        );
    }

    #[test]
    fn details_by_kind() {
        let video = item(
            "---\ntitle: v\noriginalUrl: https://youtube.com/watch?v=X\npublishedDateTime: 2020-01-01\ntype: video\nlength: PT4M51S\nprice: Free\nfeaturedContent: \"<iframe src=\\\"https://www.youtube.com/embed/X\\\" allowfullscreen></iframe>\"\n---\n",
        );
        assert_eq!(video.kind, Kind::Video);
        assert_eq!(video.details.duration, Some(291));
        assert_eq!(
            video.details.player.as_deref(),
            Some("https://www.youtube.com/embed/X")
        );
        assert_eq!(
            video.details.price, None,
            "only courses and books carry a price"
        );
        let bad = run(
            "---\ntitle: v\nwebUrl: https://x.org/v\npublishedDateTime: 2020-01-01\ntype: video\nfeaturedContent: \"<iframe src='javascript:alert(1)'></iframe>\"\n---\n",
        );
        assert_eq!(
            bad.diagnostics
                .iter()
                .map(|d| d.code.name())
                .collect::<Vec<_>>(),
            ["invalid-url"]
        );
        let book = item(
            "---\ntitle: b\nwebUrl: https://x.org/b\npublishedDateTime: 2020-01-01\ntype: book\nprice: $83.05\nlevels: [Beginner, '']\nratings: {count: 120, average: 4.6}\nprovider: {name: P, authors: [{name: A}, {name: B}]}\n---\n",
        );
        let d = &book.details;
        assert_eq!(d.price.as_deref(), Some("$83.05"));
        assert_eq!(d.levels, ["Beginner"]);
        assert_eq!(d.rating.as_deref(), Some("4.6 from 120 ratings"));
        assert_eq!(d.authors, ["A", "B"]);
        let event = item(
            "---\nname: E\nwebsite: https://e.org/\npublishedDateTime: 2025-11-01T00:00:00Z\nstartDateTime: 2026-03-12T10:00:00+01:00\nendDateTime: 2026-03-14T17:00:00Z\nlocation: Berlin\ntype: conference\n---\n",
        );
        assert_eq!(event.kind, Kind::Event);
        assert_eq!(event.details.start, parse_date("2026-03-12T09:00:00Z"));
        assert_eq!(event.details.end, parse_date("2026-03-14T17:00:00Z"));
        assert_eq!(event.details.location.as_deref(), Some("Berlin"));
        let collection = item(
            "---\ntitle: c\nwebUrl: https://x.org/c\npublishedDateTime: 2020-01-01\ntype: collection\nitems:\n  - videos/a\n  - ''\n  - /courses/b/\n---\n",
        );
        assert_eq!(collection.details.members, ["videos/a", "courses/b"]);
        let download = item(
            "---\ntitle: d\nwebUrl: https://x.org/d\npublishedDateTime: 2020-01-01\ntype: download\ndownloadUrl: https://x.org/files/sample.zip\n---\n",
        );
        let file = download.details.download.unwrap();
        assert_eq!(
            (file.url.as_str(), file.mime.as_deref()),
            ("https://x.org/files/sample.zip", Some("application/zip"))
        );
        let page = item(
            "---\ntitle: d\nwebUrl: https://x.org/d\npublishedDateTime: 2020-01-01\ntype: sample\n---\n",
        );
        assert_eq!(page.kind, Kind::Download);
        assert_eq!(page.details.download, None, "a page is not a file");
        let plain = item(GOOD);
        assert_eq!(
            (plain.kind, plain.details),
            (Kind::Article, Default::default())
        );
    }

    #[test]
    fn the_formats_own_fields_are_accepted_without_a_word() {
        // Every top-level key of the everyday.cc formats: videos, courses, books, collections,
        // samples, communities, people and companies.
        let keys = [
            "length: PT4M51S",
            "featuredContent: \"<iframe></iframe>\"",
            "actions: []",
            "levels: [Beginner]",
            "price: Free",
            "ratings: {count: 3, average: 4.5}",
            "items: [videos/a]",
            "members: 6940",
            "bio: b",
            "overview: o",
            "size: 11-50",
            "yearFounded: 2011",
            "twitter: {username: x}",
            "linkedin: {url: x}",
            "crunchbase: {url: x}",
            "wikipedia: {url: x}",
            "googleScholar: {url: x}",
            "affiliation: []",
            "funding: {total: 1}",
            "videos: []",
            "locations: [Berlin]",
            "website: https://x.org/",
            "tags: [a]",
            "endDateTime: 2020-01-02T00:00:00Z",
        ];
        let text = format!(
            "---\ntitle: t\nwebUrl: https://x.org/\npublishedDateTime: 2020-01-01T00:00:00Z\n{}\nmood: happy\n---\n",
            keys.join("\n")
        );
        let r = run(&text);
        assert!(matches!(r.outcome, Outcome::Item(_)));
        let found: Vec<_> = (r.diagnostics.iter())
            .map(|d| (d.code.name(), d.message.as_str()))
            .collect();
        assert_eq!(found, [("unknown-key", "unknown key `mood` is ignored")]);
    }

    #[test]
    fn nothing_is_said_of_the_type_of_a_rejected_file() {
        let r = run("---\ntitle: t\ntype: podcast\nmood: happy\n---\n");
        assert_eq!(r.outcome, Outcome::Rejected);
        assert!(
            r.diagnostics.iter().all(|d| d.code != Code::UnknownType),
            "{:?}",
            r.diagnostics
        );
        assert!(r.diagnostics.iter().any(|d| d.code == Code::UnknownKey));
    }

    #[test]
    fn bad_image_urls_drop_the_image_not_the_article() {
        let item = item(
            "---\ntitle: t\nwebUrl: https://x.org/\npublishedDateTime: 2020-01-01\nimages:\n  - url: javascript:x.png\n  - url: /rel.png\n---\n",
        );
        assert!(item.images.is_empty());
    }

    #[test]
    fn related_reports_skip_self_duplicates_and_bad_links() {
        let item = item(
            "---\ntitle: t\nwebUrl: https://x.org/a\npublishedDateTime: 2020-01-01\nrelated:\n  - title: Self\n    webUrl: https://X.org/a#top\n  - title: \"Other &amp; co\"\n    webUrl: https://y.org/b\n    provider: {name: Y}\n  - title: Again\n    webUrl: https://y.org/b\n  - title: Bad\n    webUrl: javascript:x\n---\n",
        );
        assert_eq!(
            item.related,
            [Related {
                id: "https://y.org/b".into(),
                link: "https://y.org/b".into(),
                title: "Other & co".into(),
                provider: Some("Y".into()),
            }]
        );
    }

    #[test]
    fn site_relative_logos_need_an_asset_base() {
        let text = "---\ntitle: t\nwebUrl: https://x.org/a\npublishedDateTime: 2020-01-01\nprovider:\n  name: M\n  images:\n    - url: /assets/m.jpg\n---\n";
        let parsed = parse_text(Path::new("a.md"), text).unwrap();
        let mut s = rules();
        let logo = |s: &ItemRules| match normalise(&parsed, s).outcome {
            Outcome::Item(item) => item.provider.unwrap().logo.map(|l| l.url),
            other => panic!("{other:?}"),
        };
        assert_eq!(logo(&s), None);
        s.asset_base_url = Some("https://site.example/ai".into());
        assert_eq!(
            logo(&s).as_deref(),
            Some("https://site.example/ai/assets/m.jpg")
        );
    }

    #[test]
    fn bodies_only_with_full_content() {
        let text = "---\ntitle: t\nwebUrl: https://x.org/a/b\npublishedDateTime: 2020-01-01\n---\nSee [more](c.html)\n";
        let parsed = parse_text(Path::new("a.md"), text).unwrap();
        let mut s = rules();
        let body = |s: &ItemRules| match normalise(&parsed, s).outcome {
            Outcome::Item(item) => item.body_html,
            other => panic!("{other:?}"),
        };
        assert_eq!(body(&s), None);
        s.full_content = true;
        assert_eq!(
            body(&s).as_deref(),
            Some(
                "<p>See <a href=\"https://x.org/a/c.html\" rel=\"noopener noreferrer\">more</a></p>"
            )
        );
    }

    #[test]
    fn link_preference_original() {
        let text = "---\ntitle: t\nwebUrl: https://web.org/\noriginalUrl: https://orig.org/\npublishedDateTime: 2020-01-01\n---\n";
        let parsed = parse_text(Path::new("a.md"), text).unwrap();
        let mut s = rules();
        s.link = LinkPreference::Original;
        let Outcome::Item(item) = normalise(&parsed, &s).outcome else {
            panic!("rejected")
        };
        assert_eq!(item.link, "https://orig.org/");
        assert_eq!(item.via, None);
    }
}

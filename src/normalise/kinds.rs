//! Kinds: which kind of item an article file is (from its `type`, `category` and folder), and
//! the [`Details`] only some kinds carry — a video's length and player, an event's start, end
//! and location, a course's or book's levels, price, rating and authors, a collection's
//! members, a download's file.
//!
//! A plain article reads none of this: its details stay empty (no allocation), so kinds cost
//! nothing where they are not used.

use std::path::Path;
use std::sync::{Arc, Mutex};

use ammonia::Builder;

use super::{Normaliser, parse_date, parse_http_url, plain_text};
use crate::diag::Code;
use crate::ingest::{Category, RawArticle, Scalar};
use crate::model::{Details, Download, Kind};

/// The kind of an article file.
///
/// `type` decides when it names a kind (`conference` and `event` are events, `sample` is a
/// download, `person` and `company` are profiles); a `type: article` in a newsletter folder
/// or an `.html` file is a newsletter; any other `type` is a kind of its own under that name.
/// Without a `type`, `category` is read the same way, then the file's folder (`videos/`,
/// `courses/`, `_people/`, `_newsletters/`, …, the upstream site's layout); else it is an
/// article.
pub fn classify(raw: &RawArticle, path: &Path) -> Kind {
    let html = matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("html" | "htm")
    );
    let folder = path
        .parent()
        .and_then(Path::file_name)
        .and_then(|f| f.to_str())
        .map(by_folder);
    let category = match &raw.category {
        Some(Category::News) => Some("news"),
        Some(Category::Other(name)) => Some(name.as_str()),
        None => None,
    };
    let named = (raw.kind.as_ref().map(Scalar::as_str))
        .or(category)
        .filter(|t| !t.is_empty());
    let newsletter_folder = folder == Some(Some(Kind::Newsletter));
    match named.map(by_name) {
        Some(Kind::Article) if html || newsletter_folder => Kind::Newsletter,
        Some(kind) => kind,
        None if html => Kind::Newsletter,
        None => folder.flatten().unwrap_or(Kind::Article),
    }
}

/// The kind a `type` (or `category`) names, with the site's synonyms. Only a kind of its own
/// allocates (its name): the names of the known kinds are compared in place.
fn by_name(name: &str) -> Kind {
    const SYNONYMS: &[(&str, Kind)] = &[
        ("news", Kind::Article),
        ("conference", Kind::Event),
        ("sample", Kind::Download),
        ("samples", Kind::Download),
        ("person", Kind::Profile),
        ("company", Kind::Profile),
        ("organization", Kind::Profile),
    ];
    let known = Kind::KNOWN.iter().map(|kind| (kind.name(), kind));
    SYNONYMS
        .iter()
        .map(|(name, kind)| (*name, kind))
        .chain(known)
        .find(|(known, _)| name.eq_ignore_ascii_case(known))
        .map_or_else(|| Kind::from_name(name), |(_, kind)| kind.clone())
}

/// The kind a folder of the upstream site holds.
fn by_folder(folder: &str) -> Option<Kind> {
    Some(match folder.trim_start_matches('_') {
        "videos" => Kind::Video,
        "events" | "conferences" => Kind::Event,
        "courses" => Kind::Course,
        "books" => Kind::Book,
        "answers" => Kind::Answer,
        "collections" => Kind::Collection,
        "samples" | "downloads" => Kind::Download,
        "newsletters" => Kind::Newsletter,
        "people" | "companies" | "profiles" => Kind::Profile,
        _ => return None,
    })
}

impl Normaliser<'_> {
    /// What an item of `kind` carries besides what every item has; empty for the kinds that
    /// carry nothing more. `link` is the item's link (a download's file when it is one).
    pub(super) fn details(&mut self, kind: &Kind, raw: &RawArticle, link: &url::Url) -> Details {
        let mut details = Details::default();
        let text = |value: &Option<Scalar>| {
            value
                .as_ref()
                .map(|v| plain_text(v.as_str()))
                .filter(|v| !v.is_empty())
        };
        match kind {
            Kind::Video => {
                details.duration = raw.length.as_ref().and_then(|l| iso_duration(l.as_str()));
                details.player = raw
                    .featured_content
                    .as_ref()
                    .and_then(|html| self.player(html.as_str()));
            }
            Kind::Event => {
                details.start = raw
                    .start_date_time
                    .as_ref()
                    .and_then(|d| parse_date(d.as_str()));
                details.end = raw.end_date_time.as_ref().and_then(|d| {
                    let end = parse_date(d.as_str());
                    if end.is_none() {
                        self.warning(
                            "endDateTime",
                            Code::InvalidDate,
                            format!("`{}` is not a date: the end is left out", d.as_str()),
                        );
                    }
                    end
                });
                details.location = text(&raw.location);
            }
            Kind::Course | Kind::Book => {
                details.length = text(&raw.length);
                details.levels = (raw.levels.iter().flatten())
                    .map(|l| plain_text(l.as_str()))
                    .filter(|l| !l.is_empty())
                    .collect();
                details.price = text(&raw.price);
                details.rating = raw.ratings.as_ref().and_then(|r| {
                    let average = text(&r.average)?;
                    Some(match text(&r.count) {
                        Some(count) => format!("{average} from {count} ratings"),
                        None => average,
                    })
                });
                details.authors = (raw.provider.iter())
                    .flat_map(|p| p.authors.iter().flatten())
                    .filter_map(|a| text(&a.name))
                    .collect();
            }
            Kind::Collection => {
                details.members = (raw.items.iter().flatten())
                    .map(|m| m.as_str().trim_matches('/').to_string())
                    .filter(|m| !m.is_empty())
                    .collect();
            }
            Kind::Download => {
                let file = match &raw.download_url {
                    Some(url) => self.optional_url("downloadUrl", url),
                    None => Some(link.clone()),
                };
                details.download = file.and_then(|url| {
                    let mime = download_mime(&url);
                    // Without a `downloadUrl`, the link is the file only when its type is known.
                    (raw.download_url.is_some() || mime.is_some()).then(|| Download {
                        url: url.into(),
                        mime: mime.map(String::from),
                    })
                });
            }
            _ => {}
        }
        details
    }

    /// The player of a video: the `src` of the `featuredContent` iframe, when it is an
    /// absolute http(s) URL (`//host/…` taken as https). The iframe itself is never kept.
    fn player(&mut self, html: &str) -> Option<String> {
        let src = iframe_src(html)?;
        let absolute = match src.strip_prefix("//") {
            Some(rest) => format!("https://{rest}"),
            None => src,
        };
        match parse_http_url(&absolute) {
            Ok(url) => Some(url.into()),
            Err(why) => {
                self.warning(
                    "featuredContent",
                    Code::InvalidUrl,
                    format!("the player's `src` {why}: ignored"),
                );
                None
            }
        }
    }
}

/// The `src` of the first `<iframe>` in `html`, read by the HTML parser ammonia uses (so
/// quoting, entities and case are as a browser reads them).
fn iframe_src(html: &str) -> Option<String> {
    let found: Arc<Mutex<Option<String>>> = Arc::default();
    let sink = Arc::clone(&found);
    // Nothing of this HTML is ever emitted: schemes beyond http(s) reach the filter too, so
    // the caller can say why such a player is refused instead of dropping it silently.
    let schemes = [
        "http",
        "https",
        "javascript",
        "data",
        "file",
        "ftp",
        "vbscript",
    ];
    Builder::empty()
        .url_schemes(schemes.into_iter().collect())
        .add_tags(["iframe"])
        .add_tag_attributes("iframe", ["src"])
        .attribute_filter(move |element, attribute, value| {
            if element == "iframe" && attribute == "src" {
                let mut first = sink.lock().unwrap_or_else(|e| e.into_inner());
                first.get_or_insert_with(|| value.trim().to_string());
            }
            None
        })
        .clean(html);
    let src = found.lock().unwrap_or_else(|e| e.into_inner()).take();
    src.filter(|s| !s.is_empty())
}

/// Seconds in an ISO 8601 duration as videos give it (`PT4M51S`, `PT1H2M`, `P1DT1S`, `PT1M`);
/// fractions of a second are dropped. `None` for anything else (`10 Weeks`).
pub fn iso_duration(text: &str) -> Option<u32> {
    let rest = text.trim().strip_prefix(['P', 'p'])?;
    let (days, time) = match rest.split_once(['T', 't']) {
        Some((days, time)) => (days, Some(time)),
        None => (rest, None),
    };
    let mut total: u64 = 0;
    let mut parts = 0;
    for (part, units) in [(days, &[('W', 604_800), ('D', 86_400)][..])]
        .into_iter()
        .chain(time.map(|t| (t, &[('H', 3600), ('M', 60), ('S', 1)][..])))
    {
        let mut number = String::new();
        let mut allowed = units.iter();
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' {
                number.push(c);
                continue;
            }
            let unit = c.to_ascii_uppercase();
            let &(_, seconds) = allowed.by_ref().find(|(u, _)| *u == unit)?;
            let value: f64 = number.parse().ok()?;
            total = total.checked_add((value * seconds as f64) as u64)?;
            number.clear();
            parts += 1;
        }
        if !number.is_empty() {
            return None;
        }
    }
    (parts > 0).then_some(())?;
    u32::try_from(total).ok()
}

/// File types a download is published with: the enclosure needs a type, and only a type known
/// from the file's extension is claimed.
const DOWNLOAD_TYPES: &[(&str, &str)] = &[
    ("zip", "application/zip"),
    ("gz", "application/gzip"),
    ("tgz", "application/gzip"),
    ("tar", "application/x-tar"),
    ("7z", "application/x-7z-compressed"),
    ("pdf", "application/pdf"),
    ("epub", "application/epub+zip"),
    ("csv", "text/csv"),
    ("json", "application/json"),
    ("txt", "text/plain"),
    ("ipynb", "application/x-ipynb+json"),
    ("py", "text/x-python"),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("mp3", "audio/mpeg"),
    ("mp4", "video/mp4"),
];

/// The MIME type of a download, from its URL's extension.
fn download_mime(url: &url::Url) -> Option<&'static str> {
    let ext = super::extension(url)?;
    DOWNLOAD_TYPES
        .iter()
        .find(|(known, _)| ext.eq_ignore_ascii_case(known))
        .map(|&(_, mime)| mime)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::parse_text;

    fn kind(path: &str, yaml: &str) -> Kind {
        let text = format!("---\ntitle: x\n{yaml}---\n");
        let parsed = parse_text(Path::new(path), &text).unwrap();
        classify(&parsed.raw, &parsed.path)
    }

    #[test]
    fn kinds_from_type_category_and_folder() {
        assert_eq!(
            kind("a.md", "type: article\ncategory: news\n"),
            Kind::Article
        );
        assert_eq!(kind("a.md", "type: conference\n"), Kind::Event);
        assert_eq!(kind("_learning/videos/a.md", "type: video\n"), Kind::Video);
        assert_eq!(kind("x/videos/a.md", ""), Kind::Video);
        assert_eq!(kind("x/_people/a.md", "name: A\n"), Kind::Profile);
        assert_eq!(kind("a.md", "type: \"profile\"\n"), Kind::Profile);
        assert_eq!(kind("a.md", "type: Course\n"), Kind::Course);
        assert_eq!(kind("a.md", "type: sample\n"), Kind::Download);
        assert_eq!(kind("a.md", "category: news\n"), Kind::Article);
        assert_eq!(kind("a.md", ""), Kind::Article);
        // A learning article: `type: article` without category, in its folder.
        assert_eq!(
            kind("_learning/articles/a.md", "type: article\n"),
            Kind::Article
        );
        // Newsletters: `type: article` in an `.html` file or the newsletters folder.
        assert_eq!(
            kind("_newsletters/a.html", "type: article\n"),
            Kind::Newsletter
        );
        assert_eq!(kind("x/a.html", "type: article\n"), Kind::Newsletter);
        assert_eq!(kind("_newsletters/a.md", ""), Kind::Newsletter);
        // A type of its own keeps its name, wherever it is.
        assert_eq!(
            kind("a.md", "type: Podcast\n"),
            Kind::Other("podcast".into())
        );
        assert_eq!(
            kind("videos/a.md", "type: podcast\n"),
            Kind::Other("podcast".into())
        );
        assert_eq!(
            kind("a.html", "type: podcast\n"),
            Kind::Other("podcast".into())
        );
    }

    #[test]
    fn iso_8601_durations() {
        assert_eq!(iso_duration("PT4M51S"), Some(291));
        assert_eq!(iso_duration("PT34M5S"), Some(2045));
        assert_eq!(iso_duration("PT1M"), Some(60));
        assert_eq!(iso_duration("PT1H2M3.9S"), Some(3723));
        assert_eq!(iso_duration("P1DT1S"), Some(86_401));
        assert_eq!(iso_duration("P2W"), Some(1_209_600));
        for bad in [
            "10 Weeks", "1h 57m", "PT", "P", "PT5", "PTS", "PT1S1M", "PT1X", "",
        ] {
            assert_eq!(iso_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_player_is_the_iframe_src() {
        let src = |html: &str| iframe_src(html);
        assert_eq!(
            src("<iframe width=\"800\" src=\"https://www.youtube.com/embed/X0D?a=1&amp;b=2\" allowfullscreen></iframe>")
                .as_deref(),
            Some("https://www.youtube.com/embed/X0D?a=1&b=2")
        );
        assert_eq!(
            src("<IFRAME SRC='//player.example/v/1'>").as_deref(),
            Some("//player.example/v/1")
        );
        assert_eq!(src("<p>no frame</p>"), None);
        assert_eq!(src("<iframe src=\"\"></iframe>"), None);
    }

    #[test]
    fn download_types_by_extension() {
        let mime = |s: &str| download_mime(&url::Url::parse(s).unwrap());
        assert_eq!(mime("https://x.org/a/sample.ZIP"), Some("application/zip"));
        assert_eq!(
            mime("https://x.org/notebook.ipynb?raw=1"),
            Some("application/x-ipynb+json")
        );
        assert_eq!(mime("https://x.org/repo"), None);
        assert_eq!(mime("https://x.org/page.html"), None);
    }
}

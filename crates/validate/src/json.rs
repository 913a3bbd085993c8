//! JSON Feed 1.1 rules (<https://www.jsonfeed.org/version/1.1/>), reported under the names of
//! the equivalent W3C checks.

use std::cell::RefCell;
use std::collections::HashSet;

use serde_json::{Map, Value};

use super::checks::{self, Iso, UriKind, UriProblem};
use super::xml::{Lines, Pos};
use super::{Kind, Message, Sink, content};

/// Finds where things are in the source, for positions (serde_json keeps none).
struct Locator<'a> {
    src: &'a str,
    lines: Lines<'a>,
    /// For each key looked for: the last search's start and where it found the key (or the
    /// end of the text). A later search from inside that span has the same answer, so the
    /// searches for one key never scan a byte twice while they move forward through the items
    /// — without this, a key written with an escape (`"u\u0072l"`) that `find` cannot see
    /// would be searched for to the end of the text once per item.
    found: RefCell<Vec<(String, usize, usize)>>,
}

impl Locator<'_> {
    /// Where `"key"` first appears at or after `from` (`from` itself if nowhere).
    fn find(&self, from: usize, key: &str) -> (usize, Pos) {
        let needle = format!("\"{key}\"");
        let mut found = self.found.borrow_mut();
        let known = found.iter_mut().find(|(k, _, _)| *k == needle);
        let at = match known {
            Some((_, start, at)) if *start <= from && from <= *at => *at,
            _ => {
                let at = self
                    .src
                    .get(from..)
                    .and_then(|s| memchr::memmem::find(s.as_bytes(), needle.as_bytes()))
                    .map_or(self.src.len(), |i| from + i);
                match found.iter_mut().find(|(k, _, _)| *k == needle) {
                    Some(entry) => *entry = (needle, from, at),
                    None => found.push((needle, from, at)),
                }
                at
            }
        };
        let at = if at >= self.src.len() { from } else { at };
        (at, self.lines.pos(at))
    }
}

/// Checks a document that starts with `{`; returns whether it was a JSON Feed.
pub(super) fn check(src: &str, sink: &mut Sink<'_>) -> Kind {
    let value: Value = match serde_json::from_str(src) {
        Ok(v) => v,
        Err(e) => {
            sink.report(
                Pos {
                    line: e.line().max(1),
                    col: e.column().max(1),
                },
                Message::InvalidJson,
                e.to_string(),
            );
            return Kind::Json;
        }
    };
    let Value::Object(feed) = value else {
        return Kind::Other;
    };
    let version = feed.get("version").and_then(Value::as_str).unwrap_or("");
    if !version.starts_with("https://jsonfeed.org/version/") {
        return Kind::Other;
    }
    let at = Locator {
        src,
        lines: Lines::new(src),
        found: RefCell::new(Vec::new()),
    };
    let top = Pos { line: 1, col: 1 };
    if !matches!(
        version,
        "https://jsonfeed.org/version/1" | "https://jsonfeed.org/version/1.1"
    ) {
        sink.report(
            at.find(0, "version").1,
            Message::InvalidJson,
            format!("unknown JSON Feed version {version}"),
        );
    }
    match feed.get("title") {
        Some(Value::String(t)) => plain(at.find(0, "title").1, "title", t, sink),
        _ => sink.report(top, Message::MissingElement, "the feed has no title"),
    }
    for key in ["home_page_url", "icon", "favicon"] {
        url_field(&feed, key, &at, 0, sink);
    }
    match feed.get("feed_url").and_then(Value::as_str) {
        None => sink.report(top, Message::MissingSelf, "add \"feed_url\""),
        Some(url) => {
            let pos = at.find(0, "feed_url").1;
            if full_url(pos, "feed_url", url, sink)
                && let Some(location) = &sink.options.location
                && url != location
            {
                sink.report(
                    pos,
                    Message::SelfDoesntMatchLocation,
                    format!("{url} is published at {location}"),
                );
            }
        }
    }
    if let Some(lang) = feed.get("language").and_then(Value::as_str)
        && !checks::language(lang)
    {
        sink.report(
            at.find(0, "language").1,
            Message::InvalidLanguage,
            lang.to_string(),
        );
    }
    authors(&feed, &at, 0, sink);
    let Some(items) = feed.get("items").and_then(Value::as_array) else {
        sink.report(top, Message::MissingElement, "the feed has no items array");
        return Kind::Json;
    };
    let mut cursor = at.find(0, "items").0;
    let mut ids = HashSet::new();
    for item in items {
        let Value::Object(item) = item else {
            sink.report(
                at.lines.pos(cursor),
                Message::MissingElement,
                "an item is not an object",
            );
            continue;
        };
        let (start, pos) = match item.get("id") {
            Some(_) => at.find(cursor, "id"),
            None => (cursor, at.lines.pos(cursor)),
        };
        cursor = start + 1;
        check_item(item, pos, start, &at, &mut ids, sink);
    }
    Kind::Json
}

fn check_item(
    item: &Map<String, Value>,
    pos: Pos,
    start: usize,
    at: &Locator<'_>,
    ids: &mut HashSet<String>,
    sink: &mut Sink<'_>,
) {
    match item.get("id") {
        None | Some(Value::Null) => sink.report(pos, Message::MissingElement, "an item has no id"),
        Some(id) => {
            let id = match id {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            if id.is_empty() {
                sink.report(pos, Message::NotBlank, "an item's id is empty");
            } else if !ids.insert(id.clone()) {
                sink.report(pos, Message::DuplicateEntries, id);
            }
        }
    }
    let html = item.get("content_html").and_then(Value::as_str);
    let text = item.get("content_text").and_then(Value::as_str);
    if html.is_none() && text.is_none() {
        sink.report(
            pos,
            Message::MissingElement,
            "an item has neither content_html nor content_text",
        );
    }
    if let Some(html) = html {
        content::html_text(
            at.find(start, "content_html").1,
            "content_html",
            html,
            true,
            sink,
        );
    }
    for key in ["title", "summary", "content_text"] {
        if let Some(value) = item.get(key).and_then(Value::as_str) {
            plain(at.find(start, key).1, key, value, sink);
        }
    }
    for key in ["url", "external_url", "image", "banner_image"] {
        url_field(item, key, at, start, sink);
    }
    for key in ["date_published", "date_modified"] {
        if let Some(value) = item.get(key).and_then(Value::as_str) {
            let pos = at.find(start, key).1;
            match checks::iso_date(value, Iso::Rfc3339) {
                Ok(d) if checks::implausible(d, sink.now()) => {
                    sink.report(pos, Message::ImplausibleDate, format!("{key}: {value}"))
                }
                Ok(_) => {}
                Err(m) => sink.report(pos, m, format!("{key}: {value}")),
            }
        }
    }
    authors(item, at, start, sink);
    if let Some(attachments) = item.get("attachments").and_then(Value::as_array) {
        for a in attachments {
            let pos = at.find(start, "attachments").1;
            let Some(a) = a.as_object() else { continue };
            if a.get("url").is_none() {
                sink.report(pos, Message::MissingAttribute, "an attachment has no url");
            }
            url_field(a, "url", at, start, sink);
            match a.get("mime_type").and_then(Value::as_str) {
                None => sink.report(
                    pos,
                    Message::MissingAttribute,
                    "an attachment has no mime_type",
                ),
                Some(t) if !checks::mime_type(t) => {
                    sink.report(pos, Message::InvalidMIMEType, t.to_string())
                }
                Some(_) => {}
            }
            if let Some(size) = a.get("size_in_bytes")
                && size.as_u64().is_none()
            {
                sink.report(
                    pos,
                    Message::InvalidNonNegativeInteger,
                    format!("size_in_bytes {size}"),
                );
            }
        }
    }
}

fn authors(object: &Map<String, Value>, at: &Locator<'_>, start: usize, sink: &mut Sink<'_>) {
    let Some(authors) = object.get("authors").and_then(Value::as_array) else {
        return;
    };
    for author in authors.iter().filter_map(Value::as_object) {
        if author.get("name").is_none()
            && author.get("url").is_none()
            && author.get("avatar").is_none()
        {
            sink.report(
                at.find(start, "authors").1,
                Message::MissingElement,
                "an author has no name, url or avatar",
            );
        }
        for key in ["url", "avatar"] {
            url_field(author, key, at, start, sink);
        }
    }
}

fn url_field(
    object: &Map<String, Value>,
    key: &str,
    at: &Locator<'_>,
    start: usize,
    sink: &mut Sink<'_>,
) {
    if let Some(value) = object.get(key) {
        let pos = at.find(start, key).1;
        match value.as_str() {
            Some(url) => {
                full_url(pos, key, url, sink);
            }
            None => sink.report(
                pos,
                Message::InvalidFullLink,
                format!("{key} is not a string"),
            ),
        }
    }
}

fn full_url(pos: Pos, key: &str, url: &str, sink: &mut Sink<'_>) -> bool {
    match checks::uri(url, UriKind::Full, true) {
        Ok(()) => true,
        Err(UriProblem::Char(c)) => {
            sink.report(
                pos,
                Message::InvalidUriChar,
                format!("{key}: {c:?} in {url}"),
            );
            false
        }
        Err(problem) if !problem.is_error() => true,
        Err(_) => {
            sink.report(pos, Message::InvalidFullLink, format!("{key}: {url}"));
            false
        }
    }
}

/// Plain text in a JSON Feed: markup is reported; an entity left in the text is not (JSON has
/// no escaping to mistake it for, and the W3C entity heuristic is an RSS Profile rule).
fn plain(pos: Pos, key: &str, value: &str, sink: &mut Sink<'_>) {
    if let Some(what) = crate::text::looks_like_html(value, true) {
        sink.report(pos, Message::ContainsHTML, format!("{key} contains {what}"));
    }
}

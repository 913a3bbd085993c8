//! RSS 2.0 rules: the RSS Advisory Board spec, its Best Practices Profile, and the extensions
//! feeds commonly carry (Atom self links, Dublin Core, `content:encoded`, Media RSS).

mod attributes;
mod media;
mod profile;

use std::collections::HashSet;

use crate::checks::{self, UriKind, UriProblem};
use crate::content::{html, xhtml};
use crate::elements::{
    contact, full_link, not_blank, once_ns, plain, positive_integer, report_uri, rfc822, text_only,
    w3cdtf,
};
use crate::links;
use crate::namespaces::{self, ATOM, CONTENT, DC, MEDIA, XHTML};
use crate::xml::Element;
use crate::{Message, Sink};

const CHANNEL_ELEMENTS: &[&str] = &[
    "title",
    "link",
    "description",
    "language",
    "copyright",
    "managingEditor",
    "webMaster",
    "pubDate",
    "lastBuildDate",
    "category",
    "generator",
    "docs",
    "cloud",
    "ttl",
    "image",
    "rating",
    "textInput",
    "skipHours",
    "skipDays",
    "item",
];

/// Channel elements that may appear more than once.
const CHANNEL_REPEATABLE: &[&str] = &["category", "item"];

const ITEM_ELEMENTS: &[&str] = &[
    "title",
    "link",
    "description",
    "author",
    "category",
    "comments",
    "enclosure",
    "guid",
    "pubDate",
    "source",
];

/// Item elements that may appear more than once (a second enclosure is DuplicateEnclosure).
const ITEM_REPEATABLE: &[&str] = &["category", "enclosure"];

/// Checks an `rss` document element.
pub(super) fn check(rss: &Element, sink: &mut Sink<'_>) {
    namespaces::check(rss, false, sink);
    let version = rss.attr("version");
    if version.is_none() {
        sink.report(
            rss.pos,
            Message::MissingAttribute,
            "rss needs version=\"2.0\"",
        );
    }
    if let Some(v) = version
        && !matches!(v, "0.91" | "0.92" | "2.0")
    {
        sink.report(
            rss.pos,
            Message::InvalidRSSVersion,
            format!("version=\"{v}\" (0.91, 0.92 or 2.0)"),
        );
    }
    let rss2 = version.is_some_and(|v| v.starts_with("2."));
    attributes::check(rss, rss2, sink);
    let channels: Vec<&Element> = rss.children_named(None, "channel").collect();
    match channels[..] {
        [] => sink.report(rss.pos, Message::MissingElement, "rss has no channel"),
        [channel, ref rest @ ..] => {
            for extra in rest {
                sink.report(extra.pos, Message::DuplicateElement, "a second channel");
            }
            check_channel(channel, rss2, sink);
            if rss2 {
                profile::check(channel, sink);
            }
        }
    }
    for child in &rss.children {
        if child.ns.is_none() && child.local != "channel" {
            sink.report(
                child.pos,
                Message::UndefinedElement,
                format!("rss has {}", child.local),
            );
        }
    }
}

/// Reports a second `names` child of `parent` (except the `repeatable` ones).
fn once(parent: &Element, names: &[&str], repeatable: &[&str], sink: &mut Sink<'_>) {
    let mut seen = HashSet::new();
    for child in parent.children.iter().filter(|c| c.ns.is_none()) {
        let name = child.local.as_str();
        if names.contains(&name) && !repeatable.contains(&name) && !seen.insert(name) {
            sink.report(
                child.pos,
                Message::DuplicateElement,
                format!("{} has more than one {}", parent.local, child.local),
            );
        }
    }
}

/// `skipHours` (`hour` 0–23) and `skipDays` (`day` names): no unknown children, no repeats.
fn skip(e: &Element, child_name: &str, sink: &mut Sink<'_>) {
    const DAYS: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    if e.child(None, child_name).is_none() {
        sink.report(
            e.pos,
            Message::MissingElement,
            format!("{} has no {child_name}", e.local),
        );
    }
    if child_name == "day" && e.children.len() > 7 {
        sink.report(
            e.pos,
            Message::EightDaysAWeek,
            "skipDays has more than 7 days",
        );
    }
    let mut seen = HashSet::new();
    for child in &e.children {
        if !child.is(None, child_name) {
            sink.report(
                child.pos,
                Message::UndefinedElement,
                format!("{} has {}", e.local, child.qname()),
            );
            continue;
        }
        let value = child.text.trim();
        let key = if child_name == "hour" {
            match checks::integer(value) {
                Some(24) => {
                    sink.report(child.pos, Message::UseZeroForMidnight, value.to_string());
                    Some("0".to_string())
                }
                Some(h @ 0..=23) => Some(h.to_string()),
                _ => {
                    sink.report(child.pos, Message::InvalidHour, value.to_string());
                    None
                }
            }
        } else if DAYS.contains(&value) {
            Some(value.to_string())
        } else {
            sink.report(child.pos, Message::InvalidDay, value.to_string());
            None
        };
        if let Some(key) = key
            && !seen.insert(key)
        {
            sink.report(
                child.pos,
                Message::DuplicateValue,
                format!("{} {value} twice", child.local),
            );
        }
    }
}

fn check_channel(channel: &Element, rss2: bool, sink: &mut Sink<'_>) {
    for (name, message) in [
        ("title", Message::MissingTitle),
        ("link", Message::MissingLink),
        ("description", Message::MissingDescription),
    ] {
        if channel.child(None, name).is_none() {
            sink.report(channel.pos, message, format!("channel has no {name}"));
        }
    }
    once(channel, CHANNEL_ELEMENTS, CHANNEL_REPEATABLE, sink);
    once_ns(channel, DC, &["date", "language", "rights"], sink);
    let channel_link = channel
        .child(None, "link")
        .map(|l| l.text.trim().to_string());
    let channel_title = channel.child(None, "title").map(|l| l.text.clone());
    let mut guids = HashSet::new();
    let mut self_link = false;
    for child in &channel.children {
        match (child.ns.as_deref(), child.local.as_str()) {
            (None, "title") => {
                not_blank(child, sink);
                plain(child, sink);
            }
            (None, "link") => {
                text_only(child, sink);
                full_link(child.pos, "link", &child.text, false, sink);
            }
            (None, "description" | "copyright") => plain(child, sink),
            (None, "language") => {
                text_only(child, sink);
                if !checks::language(child.text.trim()) {
                    sink.report(
                        child.pos,
                        Message::InvalidLanguage,
                        child.text.trim().to_string(),
                    );
                }
            }
            (None, "managingEditor" | "webMaster") => contact(child, sink),
            (None, "pubDate" | "lastBuildDate") => rfc822(child, sink),
            (None, "category") => plain(child, sink),
            (None, "generator" | "rating") => text_only(child, sink),
            (None, "docs") => {
                text_only(child, sink);
                full_link(child.pos, "docs", &child.text, false, sink);
            }
            (None, "cloud") => cloud(child, sink),
            (None, "ttl") => positive_integer(child, sink),
            (None, "image") => image(
                child,
                channel_link.as_deref(),
                channel_title.as_deref(),
                sink,
            ),
            (None, "textInput") => {
                once(child, &["title", "description", "name", "link"], &[], sink);
                for text in child
                    .children
                    .iter()
                    .filter(|c| c.is(None, "title") || c.is(None, "description"))
                {
                    plain(text, sink);
                }
                if let Some(link) = child.child(None, "link") {
                    full_link(link.pos, "textInput link", &link.text, false, sink);
                }
                // A form field's name (HTML 4 §6.2 `NAME`): a letter first.
                if let Some(name) = child.child(None, "name")
                    && !name
                        .text
                        .trim()
                        .starts_with(|c: char| c.is_ascii_alphabetic())
                {
                    sink.report(
                        name.pos,
                        Message::InvalidFormComponentName,
                        name.text.trim().to_string(),
                    );
                }
                for (name, message) in [
                    ("title", Message::MissingTitle),
                    ("description", Message::MissingDescription),
                    ("name", Message::MissingElement),
                    ("link", Message::MissingLink),
                ] {
                    if child.child(None, name).is_none() {
                        sink.report(child.pos, message, format!("textInput has no {name}"));
                    }
                }
            }
            (None, "skipHours") => skip(child, "hour", sink),
            (None, "skipDays") => skip(child, "day", sink),
            (None, "item") => check_item(child, rss2, &mut guids, sink),
            (None, "blink") => sink.report(child.pos, Message::NoBlink, "there is no blink"),
            (None, other) if !CHANNEL_ELEMENTS.contains(&other) => {
                sink.report(
                    child.pos,
                    Message::UndefinedElement,
                    format!("channel has {other}"),
                );
            }
            (Some(ATOM), "link") => {
                if links::link(child, true, sink).as_deref() == Some("self") {
                    self_link = true;
                }
            }
            (Some(DC), "date") => w3cdtf(child, sink),
            _ => extension(child, sink),
        }
    }
    if rss2 && !self_link {
        sink.report(
            channel.pos,
            Message::MissingAtomSelfLink,
            "add <atom:link rel=\"self\" href=\"…\" type=\"application/rss+xml\"/>",
        );
    }
}

/// Elements from other namespaces, anywhere.
fn extension(e: &Element, sink: &mut Sink<'_>) {
    match e.ns.as_deref() {
        Some(MEDIA) => {
            for m in std::iter::once(e)
                .chain(e.descendants())
                .filter(|m| m.ns.as_deref() == Some(MEDIA))
            {
                media::media(m, sink);
            }
        }
        Some(DC) if e.local == "language" => {
            let value = e.text.trim();
            if !checks::language(value) {
                sink.report(
                    e.pos,
                    Message::InvalidLanguage,
                    format!("dc:language {value:?}"),
                );
            }
        }
        None => sink.report(e.pos, Message::UndefinedElement, e.local.clone()),
        _ => {}
    }
}

fn cloud(e: &Element, sink: &mut Sink<'_>) {
    for name in ["domain", "port", "path", "registerProcedure", "protocol"] {
        if e.attr(name).is_none() {
            sink.report(
                e.pos,
                Message::MissingAttribute,
                format!("cloud has no {name}"),
            );
        }
    }
    if let Some(port) = e.attr("port")
        && checks::integer(port).is_none_or(|p| p <= 0)
    {
        sink.report(
            e.pos,
            Message::InvalidIntegerAttribute,
            format!("cloud port=\"{port}\""),
        );
    }
}

fn image(
    e: &Element,
    channel_link: Option<&str>,
    channel_title: Option<&str>,
    sink: &mut Sink<'_>,
) {
    if e.child(None, "title").is_none() {
        sink.report(e.pos, Message::MissingTitle, "image has no title");
    }
    if e.child(None, "url").is_none() {
        sink.report(e.pos, Message::MissingElement, "image has no url");
    }
    if e.child(None, "link").is_none() {
        sink.report(e.pos, Message::MissingLink, "image has no link");
    }
    once(
        e,
        &["title", "url", "link", "width", "height", "description"],
        &[],
        sink,
    );
    for child in &e.children {
        let value = child.text.trim();
        match (child.ns.as_deref(), child.local.as_str()) {
            (None, "title") => {
                if value.is_empty() {
                    sink.report(child.pos, Message::NotBlank, "image title is empty");
                } else {
                    plain(child, sink);
                }
                if channel_title.is_some_and(|t| t != child.text) {
                    sink.report(child.pos, Message::ImageTitleDoesntMatch, value.to_string());
                }
            }
            (None, "link") => {
                full_link(child.pos, "image link", value, false, sink);
                if channel_link.is_some_and(|l| l != value) {
                    sink.report(child.pos, Message::ImageLinkDoesntMatch, value.to_string());
                }
            }
            (None, "url") => {
                full_link(child.pos, "image url", value, false, sink);
                let ext = value.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
                if !ext.is_empty()
                    && ext.chars().all(|c| c.is_alphanumeric() || c == '_')
                    && !["jpg", "jpeg", "gif", "png"].contains(&ext.as_str())
                {
                    sink.report(child.pos, Message::ImageUrlFormat, value.to_string());
                }
            }
            (None, "width") => {
                if !checks::integer(value).is_some_and(|w| (1..=144).contains(&w)) {
                    sink.report(child.pos, Message::InvalidWidth, value.to_string());
                }
            }
            (None, "height") => {
                if !checks::integer(value).is_some_and(|h| (1..=400).contains(&h)) {
                    sink.report(child.pos, Message::InvalidHeight, value.to_string());
                }
            }
            (None, "description") => plain(child, sink),
            (None, other) => sink.report(
                child.pos,
                Message::UndefinedElement,
                format!("image has {other}"),
            ),
            _ => extension(child, sink),
        }
    }
}

fn check_item(item: &Element, rss2: bool, guids: &mut HashSet<String>, sink: &mut Sink<'_>) {
    if item.child(None, "title").is_none() && item.child(None, "description").is_none() {
        sink.report(item.pos, Message::ItemMustContainTitleOrDescription, "");
    }
    if rss2 && item.child(None, "guid").is_none() {
        sink.report(item.pos, Message::MissingGuid, "");
    }
    once(item, ITEM_ELEMENTS, ITEM_REPEATABLE, sink);
    once_ns(item, CONTENT, &["encoded"], sink);
    let mut enclosures = 0;
    let mut description_seen = false;
    for child in &item.children {
        match (child.ns.as_deref(), child.local.as_str()) {
            (None, "title") => {
                not_blank(child, sink);
                plain(child, sink);
            }
            (None, "link" | "comments") => {
                text_only(child, sink);
                full_link(child.pos, &child.local, &child.text, false, sink);
            }
            (None, "description") => {
                description_seen = true;
                html(child, true, sink);
            }
            (None, "author") => contact(child, sink),
            (None, "category") => {
                not_blank(child, sink);
                plain(child, sink);
            }
            (None, "enclosure") => {
                enclosures += 1;
                if enclosures == 2 {
                    sink.report(child.pos, Message::DuplicateEnclosure, "");
                }
                enclosure(child, sink);
            }
            (None, "guid") => guid(child, guids, sink),
            (None, "pubDate") => rfc822(child, sink),
            (None, "source") => {
                match child.attr("url") {
                    None => sink.report(child.pos, Message::MissingAttribute, "source has no url"),
                    Some(url) => full_link(child.pos, "source url", url, false, sink),
                }
                plain(child, sink);
            }
            (None, other) if !ITEM_ELEMENTS.contains(&other) => {
                sink.report(
                    child.pos,
                    Message::UndefinedElement,
                    format!("item has {other}"),
                );
            }
            (Some(CONTENT), "encoded") => {
                if !description_seen {
                    sink.report(child.pos, Message::NeedDescriptionBeforeContent, "");
                }
                html(child, true, sink);
            }
            (Some(XHTML), "body") => xhtml(child, sink),
            (Some(DC), "date") => w3cdtf(child, sink),
            (Some(ATOM), "link") => {
                links::link(child, false, sink);
            }
            _ => extension(child, sink),
        }
    }
}

fn enclosure(e: &Element, sink: &mut Sink<'_>) {
    match e.attr("length").map(checks::integer) {
        None => sink.report(e.pos, Message::MissingAttribute, "enclosure has no length"),
        Some(None) => sink.report(
            e.pos,
            Message::InvalidIntegerAttribute,
            format!("length=\"{}\"", e.attr("length").unwrap_or("")),
        ),
        Some(Some(-1)) => sink.report(e.pos, Message::UseZeroForUnknown, ""),
        Some(Some(n)) if n < 0 => sink.report(
            e.pos,
            Message::InvalidNonNegativeInteger,
            format!("length=\"{n}\""),
        ),
        Some(Some(_)) => {}
    }
    match e.attr("type") {
        None => sink.report(e.pos, Message::MissingAttribute, "enclosure has no type"),
        Some(t) if !checks::mime_type(t) => {
            sink.report(e.pos, Message::InvalidMIMEAttribute, t.to_string())
        }
        Some(_) => {}
    }
    match e.attr("url") {
        None => sink.report(e.pos, Message::MissingAttribute, "enclosure has no url"),
        Some(url) => {
            let lower = url.to_ascii_lowercase();
            let http = (lower.starts_with("http://") || lower.starts_with("https://"))
                && checks::uri(url, UriKind::Full, false).is_ok();
            if !http {
                sink.report(
                    e.pos,
                    Message::InvalidURLAttribute,
                    format!("enclosure url=\"{url}\""),
                );
            }
        }
    }
}

fn guid(e: &Element, guids: &mut HashSet<String>, sink: &mut Sink<'_>) {
    text_only(e, sink);
    let value = e.text.trim();
    let permalink = match e.attr("isPermaLink") {
        None => true,
        Some("true") => true,
        Some("false") => false,
        Some(other) => {
            sink.report(
                e.pos,
                Message::InvalidBooleanAttribute,
                format!("isPermaLink=\"{other}\""),
            );
            other != "false"
        }
    };
    if value.is_empty() {
        sink.report(e.pos, Message::NotBlank, "guid is empty");
        if permalink {
            sink.report(e.pos, Message::InvalidHttpGUID, "an empty permalink guid");
        }
    } else if !guids.insert(value.to_string()) {
        sink.report(e.pos, Message::DuplicateValue, value.to_string());
    }
    // A short number is unlikely to stay unique across feeds and time.
    if !permalink
        && value.len() < 9
        && !value.is_empty()
        && value.bytes().all(|b| b.is_ascii_digit())
    {
        sink.report(e.pos, Message::NotSufficientlyUnique, value.to_string());
    }
    if permalink && !value.is_empty() {
        let lower = value.to_ascii_lowercase();
        match checks::uri(value, UriKind::Full, false) {
            Err(UriProblem::Char(c)) => {
                sink.report(e.pos, Message::InvalidUriChar, format!("{c:?} in {value}"))
            }
            Err(UriProblem::Tag) => sink.report(e.pos, Message::InvalidTAG, value.to_string()),
            Err(UriProblem::Form) => {
                sink.report(e.pos, Message::InvalidHttpGUID, value.to_string())
            }
            Err(problem) => report_uri(
                e.pos,
                "guid",
                value,
                problem,
                Message::InvalidHttpGUID,
                sink,
            ),
            Ok(()) if lower.starts_with("tag:") || lower.starts_with("urn:uuid:") => {
                sink.report(e.pos, Message::InvalidPermalink, value.to_string());
            }
            Ok(()) => {}
        }
    }
}

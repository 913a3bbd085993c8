//! RSS 2.0 rules: the RSS Advisory Board spec, its Best Practices Profile, and the extensions
//! feeds commonly carry (Atom self links, Dublin Core, `content:encoded`, Media RSS).

use std::collections::HashSet;

use super::checks::{self, Iso, UriKind, UriProblem};
use super::xml::{Element, Pos};
use super::{Message, Sink, atom};

pub const DC: &str = "http://purl.org/dc/elements/1.1/";
pub const CONTENT: &str = "http://purl.org/rss/1.0/modules/content/";
pub const MEDIA: &str = "http://search.yahoo.com/mrss/";
pub const XHTML: &str = "http://www.w3.org/1999/xhtml";

/// Well-known prefixes and the namespaces they stand for.
const PREFIXES: &[(&str, &str)] = &[
    ("atom", atom::NS),
    ("content", CONTENT),
    ("dc", DC),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("itunes", "http://www.itunes.com/dtds/podcast-1.0.dtd"),
    ("media", MEDIA),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("slash", "http://purl.org/rss/1.0/modules/slash/"),
    ("sy", "http://purl.org/rss/1.0/modules/syndication/"),
    ("thr", "http://purl.org/syndication/thread/1.0"),
    ("wfw", "http://wellformedweb.org/CommentAPI/"),
    ("xhtml", XHTML),
];

/// Dublin Core's element names.
const DC_ELEMENTS: &[&str] = &[
    "contributor",
    "coverage",
    "creator",
    "date",
    "description",
    "format",
    "identifier",
    "language",
    "publisher",
    "relation",
    "rights",
    "source",
    "subject",
    "title",
    "type",
];

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

/// The RSS Syndication module.
pub const SY: &str = "http://purl.org/rss/1.0/modules/syndication/";

/// Extension vocabularies whose every element is known: anything else in them is undefined.
const VOCABULARIES: &[(&str, &str, &[&str])] = &[
    ("dc", DC, DC_ELEMENTS),
    ("sy", SY, &["updatePeriod", "updateFrequency", "updateBase"]),
    ("content", CONTENT, &["encoded", "items"]),
    (
        "slash",
        "http://purl.org/rss/1.0/modules/slash/",
        &["comments", "department", "section", "hit_parade"],
    ),
    (
        "wfw",
        "http://wellformedweb.org/CommentAPI/",
        &["comment", "commentRss", "commentRSS"],
    ),
];

/// XHTML elements feed readers keep (`xhtml:body`, Atom `type="xhtml"`); any other is a
/// SecurityRisk, as on the W3C service.
const XHTML_KEPT: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "address",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "bdi",
    "bdo",
    "big",
    "blockquote",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "em",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "legend",
    "li",
    "main",
    "map",
    "mark",
    "menu",
    "meter",
    "nav",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "picture",
    "pre",
    "progress",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "select",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "track",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
    "noscript",
];

/// Extension elements, anywhere, whose text must be a full URL.
const LINK_ELEMENTS: &[(&str, &str)] = &[
    (
        "http://backend.userland.com/creativeCommonsRssModule",
        "license",
    ),
    ("http://backend.userland.com/blogChannelModule", "blogRoll"),
    (
        "http://backend.userland.com/blogChannelModule",
        "mySubscriptions",
    ),
    ("http://backend.userland.com/blogChannelModule", "blink"),
    (
        "http://madskills.com/public/xml/rss/module/trackback/",
        "ping",
    ),
    (
        "http://madskills.com/public/xml/rss/module/trackback/",
        "about",
    ),
];

/// Checks declarations, `xml:lang` and extension elements anywhere in the document; `atom`
/// when it is an Atom document (where the Atom and XHTML namespaces should not be prefixed).
pub(super) fn namespaces(root: &Element, atom: bool, sink: &mut Sink<'_>) {
    for e in std::iter::once(root).chain(root.descendants()) {
        if LINK_ELEMENTS
            .iter()
            .any(|&(ns, local)| e.is(Some(ns), local))
        {
            full_link(e.pos, &e.qname(), &e.text, false, sink);
        }
        if let Some((prefix, _, known)) = VOCABULARIES
            .iter()
            .find(|(_, ns, _)| e.ns.as_deref() == Some(*ns))
            && !known.contains(&e.local.as_str())
        {
            sink.report(
                e.pos,
                Message::UndefinedElement,
                format!("{prefix}:{} is not defined", e.local),
            );
        }
        once_ns(
            e,
            SY,
            &["updateBase", "updateFrequency", "updatePeriod"],
            sink,
        );
        once_ns(
            e,
            "http://webns.net/mvcb/",
            &["errorReportsTo", "generatorAgent"],
            sink,
        );
        if e.ns.as_deref() == Some(MEDIA) || e.is(None, "item") || e.is(None, "channel") {
            once_ns(e, MEDIA, &["title", "description", "copyright"], sink);
        }
        if e.is(Some(SY), "updateFrequency") {
            positive_integer(e, sink);
        } else if e.is(Some(SY), "updateBase") {
            w3cdtf(e, sink);
        }
        if let Some(lang) = e.attr_ns(super::xml::XML_NS, "lang")
            && !lang.is_empty()
            && !checks::language(lang)
        {
            sink.report(
                e.pos,
                Message::InvalidLanguage,
                format!("xml:lang=\"{lang}\""),
            );
        }
        for (prefix, uri) in &e.declares {
            if uri == "http://search.yahoo.com/mrss" {
                sink.report(
                    e.pos,
                    Message::MediaRssNamespace,
                    format!("xmlns:{} = {uri}", prefix.as_deref().unwrap_or("")),
                );
                continue;
            }
            let Some(prefix) = prefix else { continue };
            if atom
                && matches!(prefix.as_str(), "atom" | "xhtml")
                && (uri == atom::NS || uri == XHTML)
                && !(e.pos == root.pos && root.prefix.as_deref() == Some(prefix.as_str()))
            {
                sink.report(
                    e.pos,
                    Message::AvoidNamespacePrefix,
                    format!("xmlns:{prefix}"),
                );
            }
            if let Some((_, expected)) = PREFIXES.iter().find(|(p, _)| p == prefix)
                && uri != expected
            {
                sink.report(
                    e.pos,
                    Message::ReservedPrefix,
                    format!("`{prefix}` is {expected}, not {uri}"),
                );
            }
        }
    }
}

/// Checks an `rss` document element.
pub(super) fn check(rss: &Element, sink: &mut Sink<'_>) {
    namespaces(rss, false, sink);
    let version = rss.attr("version");
    if version.is_none() {
        sink.report(
            rss.pos,
            Message::MissingAttribute,
            "rss needs version=\"2.0\"",
        );
    }
    let rss2 = version.is_some_and(|v| v.starts_with("2."));
    let channels: Vec<&Element> = rss.children_named(None, "channel").collect();
    match channels[..] {
        [] => sink.report(rss.pos, Message::MissingElement, "rss has no channel"),
        [channel, ref rest @ ..] => {
            for extra in rest {
                sink.report(extra.pos, Message::DuplicateElement, "a second channel");
            }
            check_channel(channel, rss2, sink);
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

/// Namespaced elements that may appear once in `parent`.
fn once_ns(parent: &Element, ns: &str, names: &[&str], sink: &mut Sink<'_>) {
    for name in names {
        if let Some(second) = parent.children_named(Some(ns), name).nth(1) {
            sink.report(
                second.pos,
                Message::DuplicateElement,
                format!("{} has more than one {}", parent.local, second.qname()),
            );
        }
    }
}

/// Elements that hold text only.
fn text_only(e: &Element, sink: &mut Sink<'_>) {
    for child in &e.children {
        sink.report(
            child.pos,
            Message::UndefinedElement,
            format!("{} inside {}", child.qname(), e.qname()),
        );
    }
}

/// A plain-text field: no HTML markup or entities.
pub(super) fn plain(e: &Element, sink: &mut Sink<'_>) {
    text_only(e, sink);
    if let Some(what) = checks::looks_like_html(&e.text, e.hexrefs) {
        sink.report(
            e.pos,
            Message::ContainsHTML,
            format!("{} contains {what}", e.qname()),
        );
    }
}

fn not_blank(e: &Element, sink: &mut Sink<'_>) {
    if e.text.trim().is_empty() && e.children.is_empty() {
        sink.report(e.pos, Message::NotBlank, format!("{} is empty", e.qname()));
    }
}

/// A full URL in element text (`link`, `comments`, image `url`).
pub(super) fn full_link(pos: Pos, what: &str, value: &str, iri: bool, sink: &mut Sink<'_>) {
    match checks::uri(value.trim(), UriKind::Full, iri) {
        Ok(()) => {}
        Err(UriProblem::Char(c)) => sink.report(
            pos,
            Message::InvalidUriChar,
            format!("{what}: {c:?} in {value}"),
        ),
        Err(UriProblem::Tag) => sink.report(pos, Message::InvalidTAG, format!("{what}: {value}")),
        Err(UriProblem::Form) => {
            sink.report(pos, Message::InvalidFullLink, format!("{what}: {value}"))
        }
    }
}

pub(super) fn rfc822(e: &Element, sink: &mut Sink<'_>) {
    text_only(e, sink);
    let value = e.text.trim();
    match checks::rfc822_date(value) {
        Ok(date) => {
            if checks::implausible(date, sink.now()) {
                sink.report(
                    e.pos,
                    Message::ImplausibleDate,
                    format!("{}: {value}", e.local),
                );
            }
        }
        Err(message) => sink.report(e.pos, message, format!("{}: {value}", e.local)),
    }
}

pub(super) fn w3cdtf(e: &Element, sink: &mut Sink<'_>) {
    let value = e.text.trim();
    match checks::iso_date(value, Iso::W3cdtf) {
        Ok(date) if checks::implausible(date, sink.now()) => {
            sink.report(
                e.pos,
                Message::ImplausibleDate,
                format!("{}: {value}", e.qname()),
            );
        }
        Ok(_) => {}
        Err(message) => sink.report(e.pos, message, format!("{}: {value}", e.qname())),
    }
}

fn contact(e: &Element, sink: &mut Sink<'_>) {
    plain(e, sink);
    if let Some(message) = checks::contact(e.text.trim()) {
        sink.report(e.pos, message, format!("{}: {}", e.local, e.text.trim()));
    }
}

/// HTML content (`description`, `content:encoded`): unsafe markup and relative references.
pub(super) fn html(e: &Element, relative_refs: bool, sink: &mut Sink<'_>) {
    text_only(e, sink);
    html_text(e.pos, &e.qname(), &e.text, relative_refs, sink);
}

pub(super) fn html_text(
    pos: Pos,
    what: &str,
    html: &str,
    relative_refs: bool,
    sink: &mut Sink<'_>,
) {
    if !html.contains('<') {
        return;
    }
    if html.to_ascii_lowercase().contains("<?import") {
        sink.report(
            pos,
            Message::SecurityRisk,
            format!("{what} contains <?import"),
        );
    }
    let found = checks::scan_html(html);
    for tag in found.unsafe_tags {
        sink.report(
            pos,
            Message::SecurityRisk,
            format!("{what} contains <{tag}>"),
        );
    }
    for attr in found.handlers {
        sink.report(
            pos,
            Message::SecurityRiskAttr,
            format!("{what} contains {attr}"),
        );
    }
    for style in found.styles {
        sink.report(
            pos,
            Message::DangerousStyleAttr,
            format!("{what}: style {style}"),
        );
    }
    if relative_refs {
        for reference in found.relative {
            sink.report(pos, Message::ContainsRelRef, format!("{what}: {reference}"));
        }
        for reference in found.bad_chars {
            sink.report(pos, Message::InvalidUriChar, format!("{what}: {reference}"));
        }
    }
}

/// XHTML markup (`xhtml:body`, Atom `type="xhtml"`): the same rules on real elements.
pub(super) fn xhtml(e: &Element, sink: &mut Sink<'_>) {
    for d in e.descendants() {
        let name = d.local.to_ascii_lowercase();
        if d.ns.as_deref() == Some(XHTML) && !XHTML_KEPT.contains(&name.as_str()) {
            sink.report(
                d.pos,
                Message::SecurityRisk,
                format!("{} contains <{}>", e.qname(), d.local),
            );
        }
        for attr in d.attrs.iter().filter(|a| a.ns.is_none()) {
            let attr_name = attr.local.to_ascii_lowercase();
            if attr_name.starts_with("on") {
                sink.report(
                    d.pos,
                    Message::SecurityRiskAttr,
                    format!("{} contains {}", e.qname(), attr.local),
                );
            } else if attr_name == "style"
                && let Some(style) = checks::dangerous_style(&attr.value)
            {
                sink.report(
                    d.pos,
                    Message::DangerousStyleAttr,
                    format!("{}: style {style}", e.qname()),
                );
            }
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
                // 24 is midnight too (the W3C service suggests 0, a message newswire does not name).
                Some(h @ 0..=24) => Some((h % 24).to_string()),
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

fn positive_integer(e: &Element, sink: &mut Sink<'_>) {
    text_only(e, sink);
    if e.text.trim().is_empty() {
        sink.report(e.pos, Message::NotBlank, format!("{} is empty", e.local));
    }
    if checks::integer(&e.text).is_none_or(|n| n <= 0) {
        sink.report(
            e.pos,
            Message::InvalidPositiveInteger,
            format!("{}: {}", e.local, e.text.trim()),
        );
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
            (None, other) if !CHANNEL_ELEMENTS.contains(&other) => {
                sink.report(
                    child.pos,
                    Message::UndefinedElement,
                    format!("channel has {other}"),
                );
            }
            (Some(atom::NS), "link") => {
                if atom::link(child, true, sink).as_deref() == Some("self") {
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
                media(m, sink);
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

/// One Media RSS element (`media:content`, `media:title`, …).
fn media(e: &Element, sink: &mut Sink<'_>) {
    if let Some(lang) = e.attr("lang")
        && !checks::language(lang)
    {
        sink.report(
            e.pos,
            Message::InvalidLanguage,
            format!("media:{} lang=\"{lang}\"", e.local),
        );
    }
    if let Some(scheme) = e.attr("scheme") {
        full_link(e.pos, "scheme", scheme, true, sink);
    }
    match e.local.as_str() {
        "title" | "description" | "text" if e.attr("type") != Some("html") => {
            text_only(e, sink);
            if let Some(what) = checks::looks_like_html(&e.text, e.hexrefs) {
                sink.report(
                    e.pos,
                    Message::ContainsUndeclaredHTML,
                    format!("media:{} contains {what} (add type=\"html\")", e.local),
                );
            }
        }
        "copyright" | "category" => plain(e, sink),
        "player" => {
            match e.attr("url") {
                None => sink.report(e.pos, Message::MissingAttribute, "media:player has no url"),
                Some(url) => full_link(e.pos, "media:player url", url, true, sink),
            }
            positive_attributes(e, &["width", "height"], sink);
        }
        "content" | "thumbnail" => media_object(e, sink),
        _ => {}
    }
    if e.local == "category"
        && let Some(label) = e.attr("label")
        && let Some(what) = checks::looks_like_html(label, e.attr_hexrefs("label"))
    {
        sink.report(
            e.pos,
            Message::ContainsHTML,
            format!("media:category label contains {what}"),
        );
    }
}

/// `media:content` and `media:thumbnail`.
fn media_object(e: &Element, sink: &mut Sink<'_>) {
    match e.attr("url") {
        None if e.local == "thumbnail" || e.child(Some(MEDIA), "player").is_none() => {
            sink.report(
                e.pos,
                Message::MissingAttribute,
                format!("media:{} has no url", e.local),
            );
        }
        None => {}
        Some(url) => full_link(e.pos, "media url", url, true, sink),
    }
    if let Some(medium) = e.attr("medium")
        && !["image", "audio", "video", "document", "executable"].contains(&medium)
    {
        sink.report(e.pos, Message::InvalidMediaMedium, medium.to_string());
    }
    positive_attributes(e, &["width", "height", "fileSize"], sink);
    if let Some(t) = e.attr("type")
        && !checks::mime_type(t)
    {
        sink.report(
            e.pos,
            Message::InvalidMIMEAttribute,
            format!("media:{} type=\"{t}\"", e.local),
        );
    }
    if let Some(channels) = e.attr("channels")
        && checks::integer(channels).is_none_or(|n| n < 0)
    {
        sink.report(
            e.pos,
            Message::InvalidNonNegativeInteger,
            format!("media:{} channels=\"{channels}\"", e.local),
        );
    }
}

/// Attributes of a Media RSS element that must be positive integers.
fn positive_attributes(e: &Element, names: &[&str], sink: &mut Sink<'_>) {
    for name in names {
        if let Some(v) = e.attr(name)
            && checks::integer(v).is_none_or(|n| n <= 0)
        {
            sink.report(
                e.pos,
                Message::InvalidPositiveInteger,
                format!("media:{} {name}=\"{v}\"", e.local),
            );
        }
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
            (Some(atom::NS), "link") => {
                atom::link(child, false, sink);
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
            Ok(()) if lower.starts_with("tag:") || lower.starts_with("urn:uuid:") => {
                sink.report(e.pos, Message::InvalidPermalink, value.to_string());
            }
            Ok(()) => {}
        }
    }
}

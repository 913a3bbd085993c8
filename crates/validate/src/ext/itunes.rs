//! The iTunes podcast vocabulary (<https://podcasters.apple.com/support/823-podcast-requirements>)
//! as the W3C service checks it: which `itunes:` elements a channel and an item may hold, what
//! each must contain (Apple's category list, `true`/`false`, durations, lengths), and — once a
//! feed uses the vocabulary at all — the channel elements Apple requires and the enclosure
//! formats it plays.

use super::ITUNES;
use super::values::{plain_text, positive, required, undefined};
use crate::checks::{self, UriKind};
use crate::elements::rfc822;
use crate::xml::{Element, XML_NS};
use crate::{Message, Sink};

/// Elements a channel or an item may hold.
const SHARED: &[&str] = &[
    "author", "block", "explicit", "keywords", "subtitle", "summary", "image",
];
/// Elements only a channel may hold.
const CHANNEL_ONLY: &[&str] = &[
    "owner",
    "category",
    "pubDate",
    "new-feed-url",
    "type",
    "complete",
];
/// Elements only an item may hold.
const ITEM_ONLY: &[&str] = &[
    "duration",
    "title",
    "episode",
    "season",
    "episodeType",
    "isClosedCaptioned",
    "order",
];
/// Elements that may appear once in their parent.
const ONCE: &[&str] = &[
    "author",
    "block",
    "explicit",
    "keywords",
    "subtitle",
    "summary",
    "image",
    "owner",
    "pubDate",
    "new-feed-url",
    "type",
    "duration",
    "title",
    "episode",
    "season",
    "episodeType",
];

/// Enclosure file extensions Apple Podcasts plays.
const FORMATS: &[&str] = &["m4a", "mp3", "mov", "mp4", "m4v", "pdf", "epub"];

/// Apple Podcasts' categories and their subcategories (the list of 2019).
const CATEGORIES: &[(&str, &[&str])] = &[
    (
        "Arts",
        &[
            "Books",
            "Design",
            "Fashion & Beauty",
            "Food",
            "Performing Arts",
            "Visual Arts",
        ],
    ),
    (
        "Business",
        &[
            "Careers",
            "Entrepreneurship",
            "Investing",
            "Management",
            "Marketing",
            "Non-Profit",
        ],
    ),
    ("Comedy", &["Comedy Interviews", "Improv", "Stand-Up"]),
    (
        "Education",
        &["Courses", "How To", "Language Learning", "Self-Improvement"],
    ),
    ("Fiction", &["Comedy Fiction", "Drama", "Science Fiction"]),
    ("Government", &[]),
    ("History", &[]),
    (
        "Health & Fitness",
        &[
            "Alternative Health",
            "Fitness",
            "Medicine",
            "Mental Health",
            "Nutrition",
            "Sexuality",
        ],
    ),
    (
        "Kids & Family",
        &[
            "Education for Kids",
            "Parenting",
            "Pets & Animals",
            "Stories for Kids",
        ],
    ),
    (
        "Leisure",
        &[
            "Animation & Manga",
            "Automotive",
            "Aviation",
            "Crafts",
            "Games",
            "Hobbies",
            "Home & Garden",
            "Video Games",
        ],
    ),
    (
        "Music",
        &["Music Commentary", "Music History", "Music Interviews"],
    ),
    (
        "News",
        &[
            "Business News",
            "Daily News",
            "Entertainment News",
            "News Commentary",
            "Politics",
            "Sports News",
            "Tech News",
        ],
    ),
    (
        "Religion & Spirituality",
        &[
            "Buddhism",
            "Christianity",
            "Hinduism",
            "Islam",
            "Judaism",
            "Religion",
            "Spirituality",
        ],
    ),
    (
        "Science",
        &[
            "Astronomy",
            "Chemistry",
            "Earth Sciences",
            "Life Sciences",
            "Mathematics",
            "Natural Sciences",
            "Nature",
            "Physics",
            "Social Sciences",
        ],
    ),
    (
        "Society & Culture",
        &[
            "Documentary",
            "Personal Journals",
            "Philosophy",
            "Places & Travel",
            "Relationships",
        ],
    ),
    (
        "Sports",
        &[
            "Baseball",
            "Basketball",
            "Cricket",
            "Fantasy Sports",
            "Football",
            "Golf",
            "Hockey",
            "Rugby",
            "Running",
            "Soccer",
            "Swimming",
            "Tennis",
            "Volleyball",
            "Wilderness",
            "Wrestling",
        ],
    ),
    ("Technology", &[]),
    ("True Crime", &[]),
    (
        "TV & Film",
        &[
            "After Shows",
            "Film History",
            "Film Interviews",
            "Film Reviews",
            "TV Reviews",
        ],
    ),
];

/// Categories and subcategories Apple used before 2019 (`ObsoleteItunesCategory`).
const OLD_CATEGORIES: &[(&str, &[&str])] = &[
    (
        "Arts",
        &[
            "Design",
            "Fashion & Beauty",
            "Food",
            "Literature",
            "Performing Arts",
            "Visual Arts",
        ],
    ),
    (
        "Arts & Entertainment",
        &[
            "Architecture",
            "Books",
            "Design",
            "Entertainment",
            "Games",
            "Performing Arts",
            "Photography",
            "Poetry",
            "Science Fiction",
        ],
    ),
    ("Audio Blogs", &[]),
    (
        "Business",
        &[
            "Business News",
            "Careers",
            "Finance",
            "Investing",
            "Management",
            "Management & Marketing",
            "Marketing",
            "Shopping",
        ],
    ),
    ("Comedy", &[]),
    (
        "Education",
        &[
            "Educational Technology",
            "Higher Education",
            "K-12",
            "Language Courses",
            "Training",
            "Technology",
        ],
    ),
    ("Family", &[]),
    ("Food", &[]),
    (
        "Games & Hobbies",
        &[
            "Automotive",
            "Aviation",
            "Hobbies",
            "Other Games",
            "Video Games",
        ],
    ),
    (
        "Government & Organizations",
        &["Local", "National", "Non-Profit", "Regional"],
    ),
    (
        "Health",
        &[
            "Alternative Health",
            "Diet & Nutrition",
            "Fitness",
            "Fitness & Nutrition",
            "Relationships",
            "Self-Help",
            "Sexuality",
        ],
    ),
    (
        "International",
        &[
            "Australian",
            "Belgian",
            "Brazilian",
            "Canadian",
            "Chinese",
            "Dutch",
            "French",
            "German",
            "Hebrew",
            "Italian",
            "Japanese",
            "Norwegian",
            "Polish",
            "Portuguese",
            "Spanish",
            "Swedish",
        ],
    ),
    ("Kids & Family", &[]),
    ("Movies & Television", &[]),
    ("Music", &[]),
    ("News & Politics", &[]),
    ("Politics", &[]),
    ("Public Radio", &[]),
    (
        "Religion & Spirituality",
        &[
            "Buddhism",
            "Christianity",
            "Hinduism",
            "Islam",
            "Judaism",
            "Other",
            "Spirituality",
        ],
    ),
    (
        "Science & Medicine",
        &[
            "Medicine",
            "Natural Sciences",
            "Psychology",
            "Social Sciences",
        ],
    ),
    (
        "Society & Culture",
        &[
            "Gay & Lesbian",
            "History",
            "Personal Journals",
            "Philosophy",
            "Places & Travel",
        ],
    ),
    (
        "Sports & Recreation",
        &[
            "Amateur",
            "College & High School",
            "Outdoor",
            "Professional",
        ],
    ),
    ("Talk Radio", &[]),
    (
        "Technology",
        &[
            "Computers",
            "Developers",
            "Gadgets",
            "IT News",
            "Information Technology",
            "Podcasting",
            "Software How-To",
            "Tech News",
        ],
    ),
    ("TV & Film", &[]),
    (
        "Transportation",
        &["Automotive", "Aviation", "Bicycles", "Commuting"],
    ),
    ("Travel", &[]),
];

/// Whether `ns` is the iTunes namespace, or nearly (another case, no trailing punctuation),
/// which the W3C service and Apple read as the real one.
pub(crate) fn is_itunes(ns: Option<&str>) -> bool {
    ns.is_some_and(|ns| {
        let near = ns.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '_');
        near.eq_ignore_ascii_case(ITUNES)
    })
}

/// The first iTunes child `local` of `e`.
fn child<'a>(e: &'a Element, local: &str) -> Option<&'a Element> {
    e.children
        .iter()
        .find(|c| c.local == local && is_itunes(c.ns.as_deref()))
}

/// Reports a second iTunes child of `e`, for each of `names`.
fn once(e: &Element, names: &[&str], sink: &mut Sink<'_>) {
    for name in names {
        if let Some(second) = e
            .children
            .iter()
            .filter(|c| c.local == *name && is_itunes(c.ns.as_deref()))
            .nth(1)
        {
            sink.report(
                second.pos,
                Message::DuplicateElement,
                format!("{} has more than one {}", e.qname(), second.qname()),
            );
        }
    }
}

/// One `itunes:` element anywhere.
pub(super) fn element(e: &Element, parent: Option<&Element>, sink: &mut Sink<'_>) {
    let name = e.local.as_str();
    let in_channel = parent
        .is_some_and(|p| p.is(None, "channel") || p.is(Some(crate::namespaces::ATOM), "feed"));
    let in_item =
        parent.is_some_and(|p| p.is(None, "item") || p.is(Some(crate::namespaces::ATOM), "entry"));
    let in_itunes = parent.is_some_and(|p| is_itunes(p.ns.as_deref()));
    let allowed = if in_itunes {
        match parent.map(|p| p.local.as_str()) {
            Some("owner") => matches!(name, "email" | "name"),
            Some("category") => name == "category",
            _ => false,
        }
    } else {
        SHARED.contains(&name)
            || (in_channel && CHANNEL_ONLY.contains(&name))
            || (in_item && ITEM_ONLY.contains(&name))
            || !(in_channel || in_item)
    };
    if !allowed {
        undefined(e, parent, sink);
        return;
    }
    let value = e.text.as_str();
    let what = e.qname();
    match name {
        "author" | "subtitle" | "keywords" | "summary" | "name" => {
            let max = if name == "summary" { 4000 } else { 255 };
            let len = value.chars().count();
            if len > max {
                sink.report(
                    e.pos,
                    Message::TooLong,
                    format!("{what}: {len} characters (at most {max})"),
                );
            }
            plain_text(e, &what, value, e.hexrefs, sink);
            if name == "keywords" && value.contains(' ') && !value.contains(',') {
                sink.report(
                    e.pos,
                    Message::InvalidKeywords,
                    format!("{what}: separate keywords with commas"),
                );
            }
        }
        "block" if !["yes", "no", "clean"].contains(&value.to_ascii_lowercase().as_str()) => {
            sink.report(
                e.pos,
                Message::InvalidYesNoClean,
                format!("{what}: {value:?}"),
            );
        }
        "explicit" => super::values::true_false(e, &what, value, false, sink),
        "image" => {
            if let Some(href) = required(e, "href", sink) {
                let lower = href.to_ascii_lowercase();
                let http = (lower.starts_with("http://") || lower.starts_with("https://"))
                    && checks::uri(href, UriKind::Full, false).is_ok();
                if !http {
                    sink.report(
                        e.pos,
                        Message::InvalidURLAttribute,
                        format!("{what} href={href:?}"),
                    );
                }
            }
        }
        "owner" => {
            once(e, &["email", "name"], sink);
            if child(e, "email").is_none() {
                sink.report(
                    e.pos,
                    Message::MissingElement,
                    "itunes:owner has no itunes:email",
                );
            }
        }
        "email" if !checks::addr_spec(value.trim()) => {
            sink.report(
                e.pos,
                Message::InvalidAddrSpec,
                format!("{what}: {value:?}"),
            );
        }
        "category" => category(e, parent, sink),
        "pubDate" => rfc822(e, sink),
        "new-feed-url" => super::values::full_uri(e, &what, value.trim(), sink),
        "type" if !["episodic", "serial"].contains(&value.trim()) => {
            sink.report(
                e.pos,
                Message::InvalidItunesChannelType,
                format!("{what}: {value:?}"),
            );
        }
        "episodeType" if !["full", "trailer", "bonus"].contains(&value.trim()) => {
            sink.report(
                e.pos,
                Message::InvalidItunesEpisodeType,
                format!("{what}: {value:?}"),
            );
        }
        "episode" | "season" => positive(e, &what, value, None, sink),
        "duration" if !duration(value.trim()) => {
            sink.report(
                e.pos,
                Message::InvalidDuration,
                format!("{what}: {value:?}"),
            );
        }
        _ => {}
    }
}

/// `H:MM:SS`, `M:SS` or seconds.
fn duration(value: &str) -> bool {
    let mut parts = value.split(':');
    let first = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    let sexagesimal =
        |p: &&str| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()) && p.as_bytes()[0] <= b'5';
    !first.is_empty()
        && first.bytes().all(|b| b.is_ascii_digit())
        && rest.len() <= 2
        && rest.iter().all(sexagesimal)
}

fn category(e: &Element, parent: Option<&Element>, sink: &mut Sink<'_>) {
    let Some(text) = required(e, "text", sink) else {
        return;
    };
    let within = parent
        .filter(|p| is_itunes(p.ns.as_deref()) && p.local == "category")
        .and_then(|p| p.attr("text"));
    let lookup = |table: &[(&str, &[&str])]| match within {
        None => table.iter().any(|(c, _)| *c == text),
        Some(top) => table
            .iter()
            .any(|(c, subs)| *c == top && subs.contains(&text)),
    };
    if lookup(CATEGORIES) {
        return;
    }
    let message = if lookup(OLD_CATEGORIES) {
        Message::ObsoleteItunesCategory
    } else {
        Message::InvalidItunesCategory
    };
    sink.report(e.pos, message, format!("itunes:category text={text:?}"));
}

/// Whether `e` has a child in the iTunes namespace.
fn uses_itunes(e: &Element) -> bool {
    e.children.iter().any(|c| is_itunes(c.ns.as_deref()))
}

/// An RSS channel: once the feed uses iTunes elements, the ones Apple requires.
pub(super) fn channel(channel: &Element, sink: &mut Sink<'_>) {
    once(channel, ONCE, sink);
    let items = channel.children_named(None, "item");
    if !uses_itunes(channel) && !items.into_iter().any(uses_itunes) {
        return;
    }
    let lang =
        channel.child(None, "language").is_some() || channel.attr_ns(XML_NS, "lang").is_some();
    for (present, element) in [
        (lang, "language"),
        (child(channel, "category").is_some(), "itunes:category"),
        (child(channel, "explicit").is_some(), "itunes:explicit"),
    ] {
        if !present {
            sink.report(
                channel.pos,
                Message::MissingItunesElement,
                format!("channel has no {element}"),
            );
        }
    }
    if child(channel, "owner").is_none() {
        sink.report(
            channel.pos,
            Message::MissingItunesEmail,
            "channel has no itunes:owner with itunes:email",
        );
    }
    // The W3C service checks the enclosures only of the items where the feed first uses the
    // vocabulary (none in the channel before them), by an accident of how it tracks that;
    // every item of a podcast is checked here.
    for item in channel.children_named(None, "item") {
        for enclosure in item.children_named(None, "enclosure") {
            let url = enclosure.attr("url").unwrap_or("");
            let ext = url.rsplit('.').next().unwrap_or("");
            if !FORMATS.contains(&ext) {
                sink.report(
                    enclosure.pos,
                    Message::UnsupportedItunesFormat,
                    format!(".{ext} files"),
                );
            }
        }
    }
}

/// An RSS item: no iTunes element twice.
pub(super) fn item(item: &Element, sink: &mut Sink<'_>) {
    once(item, ONCE, sink);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_of_the_namespace_count() {
        assert!(is_itunes(Some(ITUNES)));
        assert!(is_itunes(Some(
            "http://www.itunes.com/DTDs/Podcast-1.0.dtd"
        )));
        assert!(is_itunes(Some(
            "http://www.itunes.com/dtds/podcast-1.0.dtd/"
        )));
        assert!(!is_itunes(Some(
            "http://www.itunes.com/dtds/podcast-2.0.dtd"
        )));
        assert!(!is_itunes(None));
    }

    #[test]
    fn durations() {
        for ok in ["1", "3600", "59:59", "1:02:03", "100:00:00"] {
            assert!(duration(ok), "{ok}");
        }
        for bad in ["", "1:2", "1:60", "a", "1:02:03:04", "1.5"] {
            assert!(!duration(bad), "{bad}");
        }
    }
}

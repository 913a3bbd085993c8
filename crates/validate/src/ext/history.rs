//! Feed paging and archiving (RFC 5005, <https://www.rfc-editor.org/rfc/rfc5005>) in Atom
//! feeds: a complete feed (`fh:complete`) links to no other page; an archive (`fh:archive`)
//! links to its neighbours and the current feed; `first` and `last` pages do not link past the
//! end; the paging relations belong to feeds, not entries.

use std::collections::HashSet;

use crate::namespaces::ATOM;
use crate::xml::Element;
use crate::{Message, Sink};

/// The feed history namespace.
pub(crate) const FH: &str = "http://purl.org/syndication/history/1.0";

/// The link relations RFC 5005 defines.
const RELATIONS: &[&str] = &[
    "current",
    "first",
    "last",
    "next",
    "next-archive",
    "prev-archive",
    "previous",
];

/// The `rel` and `href` of each Atom link child of `e`.
fn links(e: &Element) -> impl Iterator<Item = (&Element, &str, &str)> {
    e.children_named(Some(ATOM), "link").map(|l| {
        (
            l,
            l.attr("rel").unwrap_or("alternate"),
            l.attr("href").unwrap_or(""),
        )
    })
}

/// Checks an Atom `feed`.
pub(super) fn feed(feed: &Element, sink: &mut Sink<'_>) {
    let mut selves: Vec<&str> = links(feed)
        .filter(|(_, rel, _)| *rel == "self")
        .map(|(_, _, href)| href)
        .collect();
    if let Some(location) = sink.options.location.as_deref() {
        selves.push(location);
    }
    let selves: HashSet<String> = selves.into_iter().map(str::to_string).collect();
    let is_self = |href: &str| selves.contains(href);
    let complete = feed.child(Some(FH), "complete").is_some();
    if complete {
        for (link, rel, href) in links(feed).filter(|(_, rel, _)| RELATIONS.contains(rel)) {
            if rel != "current" {
                sink.report(
                    link.pos,
                    Message::FeedRelInCompleteFeed,
                    format!("rel=\"{rel}\""),
                );
            } else if !is_self(href) {
                sink.report(
                    link.pos,
                    Message::CurrentNotSelfInCompleteFeed,
                    href.to_string(),
                );
            }
        }
    }
    // This page is the first (or last) one: a link to a previous (next) page goes past the end.
    for (end, past) in [("first", "previous"), ("last", "next")] {
        if links(feed).any(|(_, rel, href)| rel == end && is_self(href)) {
            for (link, _, _) in links(feed).filter(|(_, r, _)| *r == past) {
                sink.report(
                    link.pos,
                    Message::LinkPastEnd,
                    format!("rel=\"{past}\" on the {end} page"),
                );
            }
        }
    }
    if feed.child(Some(FH), "archive").is_some() && !complete {
        let rels: Vec<&str> = links(feed).map(|(_, rel, _)| rel).collect();
        if !rels
            .iter()
            .any(|r| matches!(*r, "prev-archive" | "next-archive"))
        {
            sink.report(
                feed.pos,
                Message::ArchiveIncomplete,
                "an archive with no prev-archive or next-archive link",
            );
        }
        if !rels.contains(&"current") {
            sink.report(
                feed.pos,
                Message::MissingCurrentInArchive,
                "an archive with no current link",
            );
        }
    }
    for entry in feed.children_named(Some(ATOM), "entry") {
        for (link, rel, _) in links(entry).filter(|(_, rel, _)| RELATIONS.contains(rel)) {
            sink.report(
                link.pos,
                Message::FeedHistoryRelInEntry,
                format!("rel=\"{rel}\" in an entry"),
            );
        }
    }
}

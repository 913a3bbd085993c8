//! FeedSync, formerly Simple Sharing Extensions (<https://feedsync.org/2007/feedsync>):
//! `sx:sharing` and its `sx:related` feeds at the top, `sx:sync` with its `sx:history` in each
//! entry or item; the attributes each needs and the values they may take.

use std::collections::HashSet;

use super::SX;
use super::values::{UINT31, not_blank, plain_text, positive, required, rfc3339, true_false};
use crate::checks::{UriKind, uri};
use crate::elements::report_uri;
use crate::xml::Element;
use crate::{Message, Sink};

/// One `sx:` element.
pub(super) fn element(e: &Element, sink: &mut Sink<'_>) {
    match e.local.as_str() {
        "sharing" => sharing(e, sink),
        "related" => related(e, sink),
        "sync" => sync(e, sink),
        "history" => history(e, sink),
        _ => {}
    }
}

fn sharing(e: &Element, sink: &mut Sink<'_>) {
    let since = e.attr("since");
    let until = e.attr("until");
    if since.is_some() && until.is_none() {
        required(e, "until", sink);
    }
    if until.is_some() && since.is_none() {
        required(e, "since", sink);
    }
    for name in ["since", "until", "expires"] {
        if let Some(value) = e.attr(name) {
            rfc3339(e, &format!("sx:sharing {name}"), value, sink);
        }
    }
    if let (Some(since), Some(until)) = (since, until)
        && since > until
    {
        sink.report(
            e.pos,
            Message::SinceAfterUntil,
            format!("since {since} is after until {until}"),
        );
    }
}

fn related(e: &Element, sink: &mut Sink<'_>) {
    if let Some(link) = required(e, "link", sink)
        && let Err(problem) = uri(link, UriKind::Full, false)
    {
        report_uri(
            e.pos,
            "sx:related link",
            link,
            problem,
            Message::InvalidFullLink,
            sink,
        );
    }
    if let Some(title) = e.attr("title") {
        plain_text(e, "sx:related title", title, e.attr_hexrefs("title"), sink);
        not_blank(e, "sx:related title", title, sink);
    }
    if let Some(kind) = required(e, "type", sink)
        && !matches!(kind, "complete" | "aggregated")
    {
        sink.report(
            e.pos,
            Message::InvalidSseType,
            format!("sx:related type={kind:?}"),
        );
    }
}

fn sync(e: &Element, sink: &mut Sink<'_>) {
    for name in ["deleted", "noconflicts"] {
        if let Some(value) = e.attr(name) {
            true_false(e, &format!("sx:sync {name}"), value, true, sink);
        }
    }
    if let Some(id) = required(e, "id", sink) {
        if id.is_empty() {
            sink.report(e.pos, Message::NotBlank, "sx:sync id is empty");
        } else if !nss(id) {
            sink.report(e.pos, Message::InvalidNSS, format!("sx:sync id={id:?}"));
        }
    }
    if let Some(updates) = required(e, "updates", sink) {
        positive(e, "sx:sync updates", updates, Some(UINT31), sink);
    }
    if e.child(Some(SX), "history").is_none() {
        sink.report(e.pos, Message::MissingElement, "sx:sync has no sx:history");
    }
}

/// `sx:sync` ids must be unique across the feed's entries or items.
pub(super) fn unique_ids(container: &Element, sink: &mut Sink<'_>) {
    let mut seen = HashSet::new();
    for entry in &container.children {
        for sync in entry.children_named(Some(SX), "sync") {
            if let Some(id) = sync.attr("id").filter(|id| !id.is_empty())
                && !seen.insert(id)
            {
                sink.report(
                    sync.pos,
                    Message::DuplicateValue,
                    format!("sx:sync id={id:?} twice"),
                );
            }
        }
    }
}

fn history(e: &Element, sink: &mut Sink<'_>) {
    let by = e.attr("by");
    if let Some(by) = by {
        plain_text(e, "sx:history by", by, e.attr_hexrefs("by"), sink);
        if not_blank(e, "sx:history by", by, sink) && !nss(by) {
            sink.report(e.pos, Message::InvalidNSS, format!("sx:history by={by:?}"));
        }
    }
    if let Some(sequence) = required(e, "sequence", sink) {
        positive(e, "sx:history sequence", sequence, Some(UINT31), sink);
    }
    let when = e.attr("when");
    if let Some(when) = when {
        rfc3339(e, "sx:history when", when, sink);
    }
    match (by, when) {
        (None, None) => sink.report(e.pos, Message::MissingByAndWhenAttrs, ""),
        (None, Some(_)) => sink.report(
            e.pos,
            Message::MissingRecommendedAttribute,
            "sx:history has no by",
        ),
        (Some(_), None) => sink.report(
            e.pos,
            Message::MissingRecommendedAttribute,
            "sx:history has no when",
        ),
        (Some(_), Some(_)) => {}
    }
}

/// The namespace-specific string of a URN (RFC 2141): the characters it may hold.
fn nss(value: &str) -> bool {
    let b = value.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                if !(b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                    && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
                {
                    return false;
                }
                i += 3;
            }
            c if c.is_ascii_alphanumeric() || b"()+,-.:=@;$_!*'/?#".contains(&c) => i += 1,
            _ => return false,
        }
    }
    !b.is_empty()
}

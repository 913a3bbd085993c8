//! Atom 1.0 (RFC 4287) through the `atom_syndication` crate.

use atom_syndication::{
    Category, Content, Entry, Feed, FixedDateTime, Generator, Link, Person, Text, WriteConfig,
};
use chrono::{DateTime, Utc};

use super::content::content_html;
use super::{FeedView, dates, empty_feed_date, kinds};
use crate::group::Catalog;
use crate::model::{self, FeedFormat};
use newswire_validate::text::looks_like_html;

/// Renders one feed as Atom 1.0.
pub fn render(view: &FeedView<'_>) -> Result<Vec<u8>, String> {
    // RFC 4287 §4.1.1: a feed needs an author unless every entry has one; the feed-level author
    // covers entries whose article named no provider.
    let author = match &view.feed.provider {
        Some(provider) => Person {
            name: provider.name.clone(),
            uri: provider.uri(),
            ..Default::default()
        },
        None => Person {
            name: view.site.author.clone(),
            ..Default::default()
        },
    };
    let feed = Feed {
        title: text(&view.title),
        // One feed, however many documents: archive pages carry the subscription's id.
        id: view.current_url(FeedFormat::Atom),
        updated: fixed(
            match &view.frame {
                Some(frame) => frame.updated,
                None => view.items().map(|i| i.updated).max(),
            }
            .unwrap_or_else(empty_feed_date),
        ),
        authors: vec![author],
        links: vec![
            Link {
                href: view.self_url(FeedFormat::Atom),
                rel: "self".into(),
                mime_type: Some(FeedFormat::Atom.media_type().into()),
                ..Default::default()
            },
            Link {
                href: view.site.base_url.to_string(),
                rel: "alternate".into(),
                mime_type: Some("text/html".into()),
                ..Default::default()
            },
        ]
        .into_iter()
        .chain(history_links(view))
        // W3C WebSub §4: a link to each hub the feed's changes are pushed through.
        .chain(view.site.hubs.0.iter().map(|hub| Link {
            href: hub.clone(),
            rel: "hub".into(),
            ..Default::default()
        }))
        .collect(),
        subtitle: Some(text(&view.description)),
        generator: Some(Generator {
            value: "newswire".into(),
            ..Default::default()
        }),
        lang: view.site.language.clone(),
        icon: view.logo().map(|l| l.url.to_string()),
        logo: view.logo().map(|l| l.url.to_string()),
        entries: view.items().map(|item| entry(view.catalog, item)).collect(),
        namespaces: {
            let mut namespaces = std::collections::BTreeMap::new();
            if view.is_archive() {
                namespaces.insert("fh".to_string(), super::rss::HISTORY_NAMESPACE.to_string());
            }
            if !view.tombstones.is_empty() {
                namespaces.insert("at".to_string(), super::tombstones::NAMESPACE.to_string());
            }
            namespaces
        },
        ..Default::default()
    };
    super::with_scratch(|bytes| {
        bytes.reserve(view.size_hint());
        feed.write_with_config(
            &mut *bytes,
            WriteConfig {
                write_document_declaration: true,
                indent_size: Some(2),
            },
        )
        .map_err(|e| e.to_string())?;
        Ok(finish(view, bytes))
    })
}

/// The document the crate wrote, finished: the archive marker or the tombstones put in, and
/// dates and `&amp;` spelled as the validator wants them.
fn finish(view: &FeedView<'_>, bytes: &[u8]) -> Vec<u8> {
    let marker = if view.is_archive() {
        b"  <fh:archive/>\n".to_vec()
    } else {
        let mut deleted = String::new();
        for (id, when) in view.tombstones {
            deleted.push_str(&format!(
                "  <at:deleted-entry ref=\"{}\" when=\"{}\"/>\n",
                html_escape::encode_double_quoted_attribute(id),
                dates::rfc3339(when)
            ));
        }
        deleted.into_bytes()
    };
    // One pass over the document: the marker put in, dates in UTC spelled `Z`
    // (`dates::atom_dates_to_zulu`), and `&amp;` in text as `&#x26;`: an entity left in a name
    // (`Joe&#8217;s`) is then not taken for HTML by the W3C validator (ContainsHTML), as in
    // RSS. The crate writes no CDATA and escapes `<` in text and attributes, so the marker's
    // place is between two tags, and the pass can stop there and go on after it.
    let at = if marker.is_empty() {
        bytes.len()
    } else {
        before_entries(bytes)
    };
    let mut out = Vec::with_capacity(bytes.len() + marker.len() + bytes.len() / 16);
    super::rss::hex_escape_into(&mut out, &bytes[..at], false, true);
    out.extend_from_slice(&marker);
    super::rss::hex_escape_into(&mut out, &bytes[at..], false, true);
    out
}

/// For a feed with archives (RFC 5005 §4): `current` (on archive pages), `prev-archive` and
/// `next-archive`, as they apply.
fn history_links(view: &FeedView<'_>) -> Vec<Link> {
    let link = |rel: &str, href: String| Link {
        href,
        rel: rel.into(),
        mime_type: Some(FeedFormat::Atom.media_type().into()),
        ..Default::default()
    };
    let mut links = Vec::new();
    if view.is_archive() {
        links.push(link("current", view.current_url(FeedFormat::Atom)));
    }
    for (rel, number) in view.history_links() {
        links.push(link(rel, view.page_url(FeedFormat::Atom, number)));
    }
    links
}

/// Where an archive page's `<fh:archive/>` goes among the feed's metadata: before the first
/// entry (RFC 5005 §4; the crate would write extensions after the entries, where the W3C
/// validator's RFC 5005 checks do not see them); the tombstones too (RFC 6721 §2).
fn before_entries(xml: &[u8]) -> usize {
    memchr::memmem::find(xml, b"  <entry>")
        .or_else(|| memchr::memmem::find(xml, b"</feed>"))
        .unwrap_or(xml.len())
}

/// The bytes `item` takes in any feed (see `blocks`): `\n  <entry>…</entry>`, its dates and
/// escapes as [`finish`] makes a document's; `None` if it cannot be cut out.
pub(super) fn entry_block(catalog: &Catalog, item: &model::Entry) -> Option<Vec<u8>> {
    let feed = Feed {
        entries: vec![entry(catalog, item)],
        ..Default::default()
    };
    let config = WriteConfig {
        write_document_declaration: false,
        indent_size: Some(2),
    };
    let document = feed.write_with_config(Vec::new(), config).ok()?;
    let block = super::blocks::atom_block(&document)?;
    let mut out = Vec::with_capacity(block.len() + block.len() / 16);
    super::rss::hex_escape_into(&mut out, block, false, true);
    Some(out)
}

fn entry(catalog: &Catalog, item: &model::Entry) -> Entry {
    let mut links = vec![Link {
        href: item.link.clone(),
        rel: "alternate".into(),
        mime_type: Some("text/html".into()),
        ..Default::default()
    }];
    if let Some(via) = &item.via {
        links.push(Link {
            href: via.clone(),
            rel: "via".into(),
            ..Default::default()
        });
    }
    for related in item.related() {
        links.push(Link {
            href: related.link.clone(),
            rel: "related".into(),
            title: Some(related.title.clone()).filter(|t| looks_like_html(t, false).is_none()),
            ..Default::default()
        });
    }
    if let Some((url, mime)) = kinds::enclosure(item) {
        links.push(Link {
            href: url.into(),
            rel: "enclosure".into(),
            mime_type: Some(mime.into()),
            ..Default::default()
        });
    }
    if let Some(image) = item.image() {
        // RFC 4287 §4.2.7.3: the type is advisory, so an image of unknown type goes without.
        links.push(Link {
            href: image.url.clone(),
            rel: "enclosure".into(),
            mime_type: image.mime.map(Into::into),
            ..Default::default()
        });
    }
    let authors = item
        .provider
        .as_ref()
        .map(|p| Person {
            name: p.name.clone(),
            uri: p.uri(),
            ..Default::default()
        })
        .into_iter()
        .collect();
    let categories = catalog
        .categories(item)
        .map(|topic| Category {
            term: topic.slug.clone(),
            // A label that reads as HTML is a W3C ContainsHTML warning: the term (the slug)
            // alone is a complete category.
            label: Some(topic.name.clone()).filter(|name| looks_like_html(name, false).is_none()),
            ..Default::default()
        })
        .collect();
    Entry {
        title: text(&item.title),
        id: item.id.clone(),
        updated: fixed(item.updated),
        published: Some(fixed(item.published)),
        authors,
        links,
        categories,
        content: content_html(item).map(|html| Content {
            value: Some(html),
            content_type: Some("html".into()),
            ..Default::default()
        }),
        // An entry with neither content nor summary draws the validator's MissingTextualContent
        // and shows blank in many readers: fall back to the title.
        summary: Some(text(kinds::summary(item).as_deref().unwrap_or(&item.title))),
        ..Default::default()
    }
}

/// An Atom text construct for plain text. Text that contains `&` or `<` is sent as
/// `type="html"`, HTML-escaped: as `type="text"` the W3C validator would read a literal `&#8217;`
/// or `<b>` in it as undeclared markup (ContainsUndeclaredHTML), while readers show the HTML
/// form exactly as the plain text.
fn text(value: &str) -> Text {
    if value.contains(['&', '<']) {
        Text::html(html_escape::encode_text(value).into_owned())
    } else {
        Text::plain(value.to_string())
    }
}

fn fixed(date: DateTime<Utc>) -> FixedDateTime {
    date.fixed_offset()
}

//! RSS 2.0 through the `rss` crate, with Dublin Core (`dc:creator`), Media RSS images and
//! videos, and the Atom self link the RSS Best Practices Profile asks for.

use std::collections::BTreeMap;

use rss::extension::Extension;
use rss::extension::dublincore::DublinCoreExtension;
use rss::{Category, Channel, Enclosure, Guid, Image as RssImage, Item as RssItem};

use super::content::content_html;
use super::{FeedView, dates, kinds};
use crate::config::Site;
use crate::group::Catalog;
use crate::model::{Details, Entry, FeedFormat, Image, Kind};

/// Largest channel image the RSS 2.0 spec allows.
const MAX_IMAGE_WIDTH: u32 = 144;
const MAX_IMAGE_HEIGHT: u32 = 400;

/// The Media RSS namespace, with the trailing slash the W3C validator insists on.
pub const MEDIA_NAMESPACE: &str = "http://search.yahoo.com/mrss/";

/// The Feed History namespace of RFC 5005, for `fh:archive`.
pub const HISTORY_NAMESPACE: &str = "http://purl.org/syndication/history/1.0";

/// The Atom namespace, for the channel's `atom:link rel="self"`.
pub const ATOM_NAMESPACE: &str = "http://www.w3.org/2005/Atom";

/// The namespaces the `rss` crate declares for what items hold: Dublin Core (`dc:creator`,
/// every item) and `content:encoded`.
const DC_NAMESPACE: &str = "http://purl.org/dc/elements/1.1/";
const CONTENT_NAMESPACE: &str = "http://purl.org/rss/1.0/modules/content/";

/// The bytes `item` takes in any channel (see `blocks`): `\n    <item>…</item>`, escaped as
/// [`render`] escapes a document; `None` if it cannot be cut out.
pub(super) fn item_block(site: &Site, catalog: &Catalog, item: &Entry) -> Option<Vec<u8>> {
    let channel = Channel {
        items: vec![rss_item(site, catalog, item)],
        ..Default::default()
    };
    let document = channel.pretty_write_to(Vec::new(), b' ', 2).ok()?;
    super::blocks::rss_block(&document).map(hex_escape_text)
}

/// Renders one feed as RSS 2.0.
pub fn render(view: &FeedView<'_>) -> Result<Vec<u8>, String> {
    let items: Vec<RssItem> = view
        .items()
        .map(|item| rss_item(view.site, view.catalog, item))
        .collect();
    let mut namespaces = BTreeMap::new();
    namespaces.insert("atom".to_string(), ATOM_NAMESPACE.to_string());
    let media = match &view.frame {
        Some(frame) => frame.media,
        None => (view.items()).any(|i| !i.images.is_empty() || i.kind == Kind::Video),
    };
    if media {
        namespaces.insert("media".to_string(), MEDIA_NAMESPACE.to_string());
    }
    // A frame's items come later (see `blocks`): the namespaces the crate would declare for
    // them are declared here.
    if let Some(frame) = view.frame.filter(|f| f.count > 0) {
        namespaces.insert("dc".to_string(), DC_NAMESPACE.to_string());
        if frame.content {
            namespaces.insert("content".to_string(), CONTENT_NAMESPACE.to_string());
        }
    }
    if view.is_archive() {
        namespaces.insert("fh".to_string(), HISTORY_NAMESPACE.to_string());
    }
    let channel = Channel {
        title: view.title.clone(),
        link: view.site.base_url.to_string(),
        description: view.description.clone(),
        language: view.site.language.clone(),
        last_build_date: view.newest().map(|d| dates::rfc2822(&d)),
        generator: Some("newswire".into()),
        docs: Some("https://www.rssboard.org/rss-specification".into()),
        extensions: channel_extensions(view),
        image: view.logo().map(|logo| {
            // Sizes beyond the spec's maxima are left out rather than misstated.
            let fits = logo.width.is_some_and(|w| w <= MAX_IMAGE_WIDTH)
                && logo.height.is_some_and(|h| h <= MAX_IMAGE_HEIGHT);
            RssImage {
                url: logo.url.to_string(),
                title: view.title.clone(),
                link: view.site.base_url.to_string(),
                width: logo.width.filter(|_| fits).map(|w| w.to_string()),
                height: logo.height.filter(|_| fits).map(|h| h.to_string()),
                description: None,
            }
        }),
        namespaces,
        items,
        ..Default::default()
    };
    super::with_scratch(|buffer| {
        buffer.reserve(view.size_hint());
        channel
            .pretty_write_to(&mut *buffer, b' ', 2)
            .map_err(|e| e.to_string())?;
        Ok(hex_escape_text(buffer))
    })
}

/// The channel's `atom:link`s: `self`, and for a feed with archives (RFC 5005 §4) `current`,
/// `prev-archive` and `next-archive` as they apply; an archive page is also marked
/// `fh:archive`.
fn channel_extensions(view: &FeedView<'_>) -> rss::extension::ExtensionMap {
    let link = |rel: &str, href: String| {
        element(
            "atom:link",
            [
                ("href", href),
                ("rel", rel.into()),
                ("type", FeedFormat::Rss.media_type().into()),
            ],
        )
    };
    let mut links = vec![link("self", view.self_url(FeedFormat::Rss))];
    if view.is_archive() {
        links.push(link("current", view.current_url(FeedFormat::Rss)));
    }
    for (rel, number) in view.history_links() {
        links.push(link(rel, view.page_url(FeedFormat::Rss, number)));
    }
    // W3C WebSub §4: a topic names its hubs with `rel="hub"`; in RSS, as Atom links.
    for hub in &view.site.hubs.0 {
        links.push(element(
            "atom:link",
            [("href", hub.clone()), ("rel", "hub".into())],
        ));
    }
    let mut map = extension_map("atom", links);
    if view.is_archive() {
        map.extend(extension_map("fh", [element("fh:archive", [])]));
    }
    map
}

fn rss_item(site: &Site, catalog: &Catalog, item: &Entry) -> RssItem {
    let creator = item
        .provider
        .as_ref()
        .map(|p| p.name.clone())
        .unwrap_or_else(|| site.author.clone());
    let categories = catalog
        .categories(item)
        .map(|topic| Category {
            name: topic.name.clone(),
            domain: None,
        })
        .collect();
    RssItem {
        title: Some(item.title.clone()),
        link: Some(item.link.clone()),
        // `description` is HTML in RSS 2.0 (the crate writes it as CDATA): escape the plain text.
        description: kinds::summary(item).map(|s| html_escape::encode_text(&s).into_owned()),
        categories,
        guid: Some(Guid {
            value: item.id.clone(),
            permalink: item.id == item.link,
        }),
        pub_date: Some(dates::rfc2822(&item.published)),
        content: content_html(item),
        // At most one enclosure (RSS 2.0 allows one), and only with a known type: a
        // download's file, else the largest image of a known type. Its size in bytes is
        // unknown (0).
        enclosure: kinds::enclosure(item)
            .or_else(|| (item.images.iter()).find_map(|i| Some((i.url.as_str(), i.mime?))))
            .map(|(url, mime)| Enclosure {
                url: url.into(),
                length: "0".into(),
                mime_type: mime.into(),
            }),
        dublin_core_ext: Some(DublinCoreExtension {
            creators: vec![creator],
            ..Default::default()
        }),
        extensions: media(&item.images, video(item)),
        ..Default::default()
    }
}

/// A video's Media RSS `media:content medium="video"`: its length (`duration`, seconds) and
/// its player (`media:player`, the embed page) inside; the video's page when there is no
/// player (the element needs a `url` or a player).
fn video(item: &Entry) -> Option<Extension> {
    if item.kind != Kind::Video {
        return None;
    }
    let Details {
        duration, player, ..
    } = &item.details;
    let mut attrs = vec![("medium", "video".to_string())];
    attrs.extend(duration.map(|d| ("duration", d.to_string())));
    let mut content = match player {
        Some(_) => element("media:content", attrs),
        None => {
            attrs.push(("url", item.link.clone()));
            element("media:content", attrs)
        }
    };
    if let Some(player) = player {
        content.children.insert(
            "player".into(),
            vec![element("media:player", [("url", player.clone())])],
        );
    }
    Some(content)
}

/// Media RSS 1.1: a video's `media:content` (see [`video`]), a `media:content` for every
/// image (its `type` when known), and the largest image also as `media:thumbnail`.
fn media(images: &[Image], video: Option<Extension>) -> rss::extension::ExtensionMap {
    let Some(largest) = images.first() else {
        return match video {
            Some(video) => extension_map("media", [video]),
            None => rss::extension::ExtensionMap::new(),
        };
    };
    let size = |image: &Image| {
        let mut attrs = vec![("url", image.url.clone())];
        attrs.extend(image.width.map(|w| ("width", w.to_string())));
        attrs.extend(image.height.map(|h| ("height", h.to_string())));
        attrs
    };
    let contents = images.iter().map(|image| {
        let mut attrs = size(image);
        attrs.push(("medium", "image".into()));
        attrs.extend(image.mime.map(|mime| ("type", mime.to_string())));
        element("media:content", attrs)
    });
    let thumbnail = element("media:thumbnail", size(largest));
    extension_map(
        "media",
        video.into_iter().chain(contents).chain([thumbnail]),
    )
}

/// An empty namespaced element with attributes.
fn element(name: &str, attrs: impl IntoIterator<Item = (&'static str, String)>) -> Extension {
    Extension {
        name: name.into(),
        attrs: attrs.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
        ..Default::default()
    }
}

/// Elements of one namespace prefix, keyed as the `rss` crate expects (prefix → local name).
fn extension_map(
    prefix: &str,
    elements: impl IntoIterator<Item = Extension>,
) -> rss::extension::ExtensionMap {
    let mut by_name: BTreeMap<String, Vec<Extension>> = BTreeMap::new();
    for element in elements {
        let local = element
            .name
            .split_once(':')
            .map_or(element.name.as_str(), |(_, local)| local)
            .to_string();
        by_name.entry(local).or_default().push(element);
    }
    BTreeMap::from([(prefix.to_string(), by_name)])
}

/// Rewrites `&lt;` and `&amp;` in character data (outside tags and CDATA sections) as the hex
/// references `&#x3C;` and `&#x26;`. The XML is equivalent, but the W3C validator's
/// CharacterData check flags RSS plain text whose decoded value contains `<` + letter, `</` or
/// an entity written with `&lt;`/`&amp;`, and accepts the hex form.
pub fn hex_escape_text(xml: &[u8]) -> Vec<u8> {
    hex_escape(xml, true)
}

/// [`hex_escape_text`] for `&amp;` only (`lt: false`): enough for the W3C validator's
/// ContainsHTML check on Atom names, whose entity heuristic the hex form switches off.
pub fn hex_escape(xml: &[u8], lt: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(xml.len() + xml.len() / 16);
    hex_escape_into(&mut out, xml, lt, false);
    out
}

/// [`hex_escape`] appending to `out`; with `zulu`, also what [`dates::atom_dates_to_zulu`]
/// does, in the same pass (one copy of an Atom document instead of two).
pub(super) fn hex_escape_into(out: &mut Vec<u8>, xml: &[u8], lt: bool, zulu: bool) {
    let mut rest = xml;
    while let Some(at) = memchr::memchr2(b'<', b'&', rest) {
        out.extend_from_slice(&rest[..at]);
        rest = &rest[at..];
        if rest.starts_with(b"<![CDATA[") {
            let end = memchr::memmem::find(rest, b"]]>").map_or(rest.len(), |e| e + 3);
            if zulu {
                out.extend_from_slice(&dates::atom_dates_to_zulu(&rest[..end]));
            } else {
                out.extend_from_slice(&rest[..end]);
            }
            rest = &rest[end..];
        } else if rest[0] == b'<' {
            // `+00:00` is character data (no `<` or `&`), so it was copied as it was, right
            // before this tag.
            if zulu
                && (rest.starts_with(b"</updated>") || rest.starts_with(b"</published>"))
                && out.ends_with(b"+00:00")
            {
                out.truncate(out.len() - 6);
                out.push(b'Z');
            }
            let end = memchr::memchr(b'>', rest).map_or(rest.len(), |e| e + 1);
            out.extend_from_slice(&rest[..end]);
            rest = &rest[end..];
        } else if lt && rest.starts_with(b"&lt;") {
            out.extend_from_slice(b"&#x3C;");
            rest = &rest[4..];
        } else if rest.starts_with(b"&amp;") {
            out.extend_from_slice(b"&#x26;");
            rest = &rest[5..];
        } else {
            out.push(b'&');
            rest = &rest[1..];
        }
    }
    out.extend_from_slice(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_escapes_only_character_data() {
        let xml = b"<a href=\"x?a=1&amp;b=2\"><t>a &lt;b&gt; &amp;#8217;</t><d><![CDATA[&lt;p&gt;]]></d></a>";
        let out = String::from_utf8(hex_escape_text(xml)).unwrap();
        assert_eq!(
            out,
            "<a href=\"x?a=1&amp;b=2\"><t>a &#x3C;b&gt; &#x26;#8217;</t><d><![CDATA[&lt;p&gt;]]></d></a>"
        );
    }

    #[test]
    fn one_pass_does_what_the_zulu_and_escape_passes_do() {
        let xml: &[u8] = b"<feed><updated>2024-01-02T03:04:05+00:00</updated><t>+00:00</t>\
            <published>2024-01-02T03:04:05+00:00</published><u>a &amp; +00:00</u>\
            <d><![CDATA[x+00:00</updated>]]></d><title>&amp;+00:00</updated></feed>";
        let mut out = Vec::new();
        hex_escape_into(&mut out, xml, false, true);
        let two_passes = hex_escape(&super::dates::atom_dates_to_zulu(xml), false);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            String::from_utf8(two_passes).unwrap()
        );
        assert!(
            !String::from_utf8(hex_escape(xml, false))
                .unwrap()
                .contains("05Z<")
        );
    }
}

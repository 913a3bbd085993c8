//! RSS 2.0 through the `rss` crate, with Dublin Core (`dc:creator`), Media RSS images and the
//! Atom self link the RSS Best Practices Profile asks for.

use std::collections::BTreeMap;

use rss::extension::Extension;
use rss::extension::atom::AtomExtension;
use rss::extension::dublincore::DublinCoreExtension;
use rss::{Category, Channel, Guid, Item as RssItem};

use super::{FeedFormat, FeedView, dates};
use crate::model::{Image, Item};

/// The Media RSS namespace, with the trailing slash the W3C validator insists on.
pub const MEDIA_NAMESPACE: &str = "http://search.yahoo.com/mrss/";

/// Renders one feed as RSS 2.0.
pub fn render(view: &FeedView<'_>) -> Result<Vec<u8>, String> {
    let items: Vec<RssItem> = view.items().map(|item| rss_item(view, item)).collect();
    let mut namespaces = BTreeMap::new();
    if view.items().any(|i| i.image.is_some()) {
        namespaces.insert("media".to_string(), MEDIA_NAMESPACE.to_string());
    }
    let channel = Channel {
        title: view.title.clone(),
        link: view.site.base_url.to_string(),
        description: view.description.clone(),
        language: view.site.language.clone(),
        last_build_date: view.newest().map(|d| dates::rfc2822(&d)),
        generator: Some("newswire".into()),
        docs: Some("https://www.rssboard.org/rss-specification".into()),
        atom_ext: Some(AtomExtension {
            links: vec![atom_syndication::Link {
                href: view.self_url(FeedFormat::Rss),
                rel: "self".into(),
                mime_type: Some(FeedFormat::Rss.media_type().into()),
                ..Default::default()
            }],
        }),
        namespaces,
        items,
        ..Default::default()
    };
    let bytes = channel
        .pretty_write_to(Vec::new(), b' ', 2)
        .map_err(|e| e.to_string())?;
    Ok(hex_escape_text(&bytes))
}

fn rss_item(view: &FeedView<'_>, item: &Item) -> RssItem {
    let creator = item
        .provider
        .as_ref()
        .map(|p| p.name.clone())
        .unwrap_or_else(|| view.site.author.clone());
    let categories = item
        .topics
        .iter()
        .filter_map(|name| view.catalog.topic(name))
        .map(|topic| Category {
            name: topic.name.clone(),
            domain: None,
        })
        .collect();
    RssItem {
        title: Some(item.title.clone()),
        link: Some(item.link.clone()),
        // `description` is HTML in RSS 2.0 (the crate writes it as CDATA): escape the plain text.
        description: item
            .summary
            .as_deref()
            .map(|s| html_escape::encode_text(s).into_owned()),
        categories,
        guid: Some(Guid {
            value: item.id.clone(),
            permalink: item.id == item.link,
        }),
        pub_date: Some(dates::rfc2822(&item.published)),
        dublin_core_ext: Some(DublinCoreExtension {
            creators: vec![creator],
            ..Default::default()
        }),
        extensions: item.image.as_ref().map(media).unwrap_or_default(),
        ..Default::default()
    }
}

/// `media:content` and `media:thumbnail` for the item's image (Media RSS 1.1).
fn media(image: &Image) -> rss::extension::ExtensionMap {
    let mut attrs = BTreeMap::new();
    attrs.insert("url".to_string(), image.url.clone());
    if let Some(w) = image.width {
        attrs.insert("width".to_string(), w.to_string());
    }
    if let Some(h) = image.height {
        attrs.insert("height".to_string(), h.to_string());
    }
    let thumbnail = Extension {
        name: "media:thumbnail".into(),
        attrs: attrs.clone(),
        ..Default::default()
    };
    attrs.insert("medium".to_string(), "image".to_string());
    attrs.insert("type".to_string(), image.mime.to_string());
    let content = Extension {
        name: "media:content".into(),
        attrs,
        ..Default::default()
    };
    let mut elements = BTreeMap::new();
    elements.insert("content".to_string(), vec![content]);
    elements.insert("thumbnail".to_string(), vec![thumbnail]);
    let mut map = BTreeMap::new();
    map.insert("media".to_string(), elements);
    map
}

/// Rewrites `&lt;` and `&amp;` in character data (outside tags and CDATA sections) as the hex
/// references `&#x3C;` and `&#x26;`. The XML is equivalent, but the W3C validator's
/// CharacterData check flags RSS plain text whose decoded value contains `<` + letter, `</` or
/// an entity written with `&lt;`/`&amp;`, and accepts the hex form.
pub fn hex_escape_text(xml: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(xml.len() + xml.len() / 16);
    let mut i = 0;
    while i < xml.len() {
        let rest = &xml[i..];
        if rest.starts_with(b"<![CDATA[") {
            let end = find(rest, b"]]>").map_or(rest.len(), |e| e + 3);
            out.extend_from_slice(&rest[..end]);
            i += end;
        } else if rest[0] == b'<' {
            let end = find(rest, b">").map_or(rest.len(), |e| e + 1);
            out.extend_from_slice(&rest[..end]);
            i += end;
        } else if rest.starts_with(b"&lt;") {
            out.extend_from_slice(b"&#x3C;");
            i += 4;
        } else if rest.starts_with(b"&amp;") {
            out.extend_from_slice(b"&#x26;");
            i += 5;
        } else {
            out.push(rest[0]);
            i += 1;
        }
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
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
}

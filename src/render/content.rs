//! The HTML content of an item, shared by RSS `content:encoded`, Atom `content` and JSON Feed
//! `content_html`: the summary (with the facts of its kind), the body (when published), a
//! download's link, a collection's members, then the related coverage.

use html_escape::{encode_double_quoted_attribute, encode_text};

use super::kinds;
use crate::model::{Entry, Kind};

/// Whether the item has HTML content ([`content_html`] gives `Some`), without making it.
pub fn has_content(item: &Entry) -> bool {
    item.body_html.is_some()
        || item.has_related()
        || !item.members.is_empty()
        || item.details.download.is_some()
}

/// The item's HTML content, or `None` when it would only repeat the summary.
///
/// Every piece is either sanitised upstream (the body) or built here from plain text escaped
/// for HTML and from URLs already checked to be absolute `http(s)`.
pub fn content_html(item: &Entry) -> Option<String> {
    if !has_content(item) {
        return None;
    }
    let download = item.details.download.as_ref();
    let mut html = String::new();
    if let Some(summary) = kinds::summary(item) {
        html.push_str("<p>");
        html.push_str(&encode_text(&summary));
        html.push_str("</p>");
    }
    if let Some(body) = &item.body_html {
        html.push_str(body);
    }
    if let Some(file) = download {
        html.push_str("<p><a href=\"");
        html.push_str(&encode_double_quoted_attribute(&file.url));
        html.push_str("\">Download</a></p>");
    }
    if item.kind == Kind::Collection && !item.members.is_empty() {
        html.push_str("<ol>");
        for member in &item.members {
            html.push_str("<li><a href=\"");
            html.push_str(&encode_double_quoted_attribute(&member.link));
            html.push_str("\">");
            html.push_str(&encode_text(&member.title));
            html.push_str("</a>");
            if let Some(provider) = &member.provider {
                html.push_str(" (");
                html.push_str(&encode_text(provider));
                html.push(')');
            }
            html.push_str("</li>");
        }
        html.push_str("</ol>");
    }
    if item.has_related() {
        html.push_str("<ul>");
        for related in item.related() {
            let source = related
                .provider
                .clone()
                .unwrap_or_else(|| host(&related.link));
            html.push_str("<li>Also covered by ");
            html.push_str(&encode_text(&source));
            html.push_str(": <a href=\"");
            html.push_str(&encode_double_quoted_attribute(&related.link));
            html.push_str("\">");
            html.push_str(&encode_text(&related.title));
            html.push_str("</a></li>");
        }
        html.push_str("</ul>");
    }
    Some(html)
}

fn host(link: &str) -> String {
    url::Url::parse(link)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::model::{Item, Related};

    fn item() -> Entry {
        let item = Item {
            id: "https://a.org/".into(),
            link: "https://a.org/".into(),
            via: None,
            title: "T".into(),
            summary: Some("a < b & c".into()),
            published: Some(Utc::now()),
            kind: crate::model::Kind::Article,
            details: Default::default(),
            heat: 0,
            provider: None,
            topics: vec![],
            images: vec![],
            related: vec![],
            body_html: None,
            quality: 0,
            source: "a.md".into(),
        };
        Entry {
            published: item.published.unwrap(),
            updated: item.published.unwrap(),
            item,
            categories: vec![],
            mutual: vec![],
            members: vec![],
        }
    }

    #[test]
    fn nothing_to_add_means_no_content() {
        assert_eq!(content_html(&item()), None);
    }

    #[test]
    fn collections_list_their_members() {
        let mut item = item();
        item.item.kind = Kind::Collection;
        item.item.details.members = vec!["videos/a".into(), "videos/gone".into()];
        item.members.push(Related {
            id: "https://b.org/a".into(),
            link: "https://b.org/a?x=1&y=2".into(),
            title: "Part <1>".into(),
            provider: Some("B".into()),
        });
        assert_eq!(
            content_html(&item).unwrap(),
            "<p>Collection of 2 items. a &lt; b &amp; c</p><ol><li><a href=\"https://b.org/a?x=1&amp;y=2\">Part &lt;1&gt;</a> (B)</li></ol>"
        );
    }

    #[test]
    fn related_coverage_is_escaped_html() {
        let mut item = item();
        item.mutual.push(Related {
            id: "https://b.org/x?a=1&b=2".into(),
            link: "https://b.org/x?a=1&b=2".into(),
            title: "<script>x</script>".into(),
            provider: None,
        });
        assert_eq!(
            content_html(&item).unwrap(),
            "<p>a &lt; b &amp; c</p><ul><li>Also covered by b.org: <a href=\"https://b.org/x?a=1&amp;b=2\">&lt;script&gt;x&lt;/script&gt;</a></li></ul>"
        );
    }
}

//! The HTML content of an item, shared by RSS `content:encoded`, Atom `content` and JSON Feed
//! `content_html`: the summary, the body (when published), then the related coverage.

use html_escape::{encode_double_quoted_attribute, encode_text};

use crate::model::Entry;

/// The item's HTML content, or `None` when it would only repeat the summary.
///
/// Every piece is either sanitised upstream (the body) or built here from plain text escaped
/// for HTML and from URLs already checked to be absolute `http(s)`.
pub fn content_html(item: &Entry) -> Option<String> {
    if item.body_html.is_none() && !item.has_related() {
        return None;
    }
    let mut html = String::new();
    if let Some(summary) = &item.summary {
        html.push_str("<p>");
        html.push_str(&encode_text(summary));
        html.push_str("</p>");
    }
    if let Some(body) = &item.body_html {
        html.push_str(body);
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
        }
    }

    #[test]
    fn nothing_to_add_means_no_content() {
        assert_eq!(content_html(&item()), None);
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

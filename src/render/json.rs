//! JSON Feed 1.1 (<https://jsonfeed.org/version/1.1>) from our own serde structs.

use serde::Serialize;

use super::content::content_html;
use super::{FeedView, dates};
use crate::model::{FeedFormat, Item};

/// The version URL every JSON Feed 1.1 document starts with.
pub const VERSION: &str = "https://jsonfeed.org/version/1.1";

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: String,
    feed_url: String,
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    icon: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    favicon: Option<&'a str>,
    authors: Vec<Author>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct Author {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: &'a str,
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    external_url: Option<&'a str>,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    // JSON Feed requires one of content_html / content_text.
    #[serde(skip_serializing_if = "Option::is_none")]
    content_html: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    date_published: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Author>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
}

/// Renders one feed as JSON Feed 1.1.
pub fn render(view: &FeedView<'_>) -> Result<Vec<u8>, String> {
    let author = match &view.feed.provider {
        Some(provider) => Author {
            name: provider.name.clone(),
            url: provider.uri(),
        },
        None => Author {
            name: view.site.author.clone(),
            url: None,
        },
    };
    let logo = view.logo().map(|l| l.url);
    let feed = JsonFeed {
        version: VERSION,
        title: &view.title,
        home_page_url: view.home_page(),
        feed_url: view.self_url(FeedFormat::Json),
        description: &view.description,
        icon: logo,
        favicon: logo,
        authors: vec![author],
        language: view.site.language.as_deref(),
        items: view.items().map(|item| json_item(view, item)).collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&feed).map_err(|e| e.to_string())?;
    bytes.push(b'\n');
    Ok(bytes)
}

fn json_item<'a>(view: &FeedView<'a>, item: &'a Item) -> JsonItem<'a> {
    let content_html = content_html(item);
    let content_text = match content_html {
        Some(_) => None,
        None => Some(item.summary.as_deref().unwrap_or(&item.title)),
    };
    JsonItem {
        id: &item.id,
        url: &item.link,
        external_url: item.via.as_deref(),
        title: &item.title,
        summary: item.summary.as_deref(),
        content_html,
        content_text,
        image: item.image().map(|i| i.url.as_str()),
        date_published: dates::rfc3339(&item.published),
        authors: item
            .provider
            .iter()
            .map(|p| Author {
                name: p.name.clone(),
                url: p.uri(),
            })
            .collect(),
        tags: item
            .topics
            .iter()
            .filter_map(|name| view.catalog.topic(name))
            .map(|topic| topic.name.as_str())
            .collect(),
    }
}

//! JSON Feed 1.1 (<https://jsonfeed.org/version/1.1>) from our own serde structs, with a
//! download as an `attachments` entry and two extension objects (JSON Feed 1.1 "Extensions":
//! keys starting with `_`, which readers that do not know them ignore), documented in the
//! README: `_event` (`start`, `end`: RFC 3339; `location`: text) and `_video` (`player`: the
//! embed page's URL; `duration_in_seconds`).

use std::borrow::Cow;

use serde::Serialize;

use super::content::content_html;
use super::{FeedView, dates, kinds};
use crate::group::Catalog;
use crate::model::{Entry, FeedFormat, Kind};

/// The version URL every JSON Feed 1.1 document starts with.
pub const VERSION: &str = "https://jsonfeed.org/version/1.1";

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: String,
    feed_url: String,
    /// JSON Feed 1.1 paging: the next (older) document of the feed's archive.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_url: Option<String>,
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    icon: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    favicon: Option<&'a str>,
    authors: Vec<Author>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    hubs: Vec<Hub<'a>>,
    items: Vec<JsonItem<'a>>,
}

/// JSON Feed 1.1 `hubs[]`: an endpoint subscribers can use to get pushed updates.
#[derive(Serialize)]
struct Hub<'a> {
    /// The protocol: always `WebSub`.
    #[serde(rename = "type")]
    kind: &'static str,
    url: &'a str,
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
    summary: Option<Cow<'a, str>>,
    // JSON Feed requires one of content_html / content_text.
    #[serde(skip_serializing_if = "Option::is_none")]
    content_html: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_text: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    date_published: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Author>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attachments: Vec<Attachment<'a>>,
    #[serde(rename = "_event", skip_serializing_if = "Option::is_none")]
    event: Option<Event<'a>>,
    #[serde(rename = "_video", skip_serializing_if = "Option::is_none")]
    video: Option<Video<'a>>,
}

/// JSON Feed 1.1 `attachments[]`: a download's file.
#[derive(Serialize)]
struct Attachment<'a> {
    url: &'a str,
    mime_type: &'a str,
}

/// The `_event` extension: when and where an event takes place.
#[derive(Serialize)]
struct Event<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<&'a str>,
}

/// The `_video` extension: a video's player and length.
#[derive(Serialize)]
struct Video<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    player: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    duration_in_seconds: Option<u32>,
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
        // The archive is walked from the newest document to the oldest: what the XML formats
        // link as `prev-archive` is JSON Feed's next page.
        next_url: (view.history_links().into_iter())
            .find(|(rel, _)| *rel == "prev-archive")
            .map(|(_, number)| view.page_url(FeedFormat::Json, number)),
        description: &view.description,
        icon: logo,
        favicon: logo,
        authors: vec![author],
        language: view.site.language.as_deref(),
        hubs: (view.site.hubs.0.iter())
            .map(|url| Hub {
                kind: "WebSub",
                url,
            })
            .collect(),
        items: view
            .items()
            .map(|item| json_item(view.catalog, item))
            .collect(),
    };
    let mut bytes = Vec::with_capacity(view.size_hint());
    serde_json::to_writer_pretty(&mut bytes, &feed).map_err(|e| e.to_string())?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// The bytes `item` takes in any feed (see `blocks`): `\n    {…}`; `None` if it cannot be
/// cut out.
pub(super) fn item_block(catalog: &Catalog, item: &Entry) -> Option<Vec<u8>> {
    #[derive(Serialize)]
    struct One<'a> {
        items: [JsonItem<'a>; 1],
    }
    let one = One {
        items: [json_item(catalog, item)],
    };
    let document = serde_json::to_vec_pretty(&one).ok()?;
    super::blocks::json_block(&document).map(<[u8]>::to_vec)
}

fn json_item<'a>(catalog: &'a Catalog, item: &'a Entry) -> JsonItem<'a> {
    let content_html = content_html(item);
    let summary = kinds::summary(item);
    let content_text = match content_html {
        Some(_) => None,
        None => Some(summary.clone().unwrap_or(Cow::Borrowed(&item.title))),
    };
    let details = &item.details;
    JsonItem {
        id: &item.id,
        url: &item.link,
        external_url: item.via.as_deref(),
        title: &item.title,
        summary,
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
        tags: catalog
            .categories(item)
            .map(|topic| topic.name.as_str())
            .collect(),
        attachments: kinds::enclosure(item)
            .map(|(url, mime_type)| Attachment { url, mime_type })
            .into_iter()
            .collect(),
        event: (item.kind == Kind::Event).then(|| Event {
            start: details.start.as_ref().map(dates::rfc3339),
            end: details.end.as_ref().map(dates::rfc3339),
            location: details.location.as_deref(),
        }),
        video: (item.kind == Kind::Video).then_some(Video {
            player: details.player.as_deref(),
            duration_in_seconds: details.duration,
        }),
    }
}

/// Checks a document against JSON Feed 1.1's rules: required keys and their types, one of
/// `content_html`/`content_text` per item, RFC 3339 dates, absolute URLs, unique ids.
pub fn check(doc: &serde_json::Value) -> Result<(), String> {
    let is_url = |v: &serde_json::Value| {
        v.as_str()
            .and_then(|s| url::Url::parse(s).ok())
            .is_some_and(|u| matches!(u.scheme(), "http" | "https"))
    };
    if doc["version"] != VERSION {
        return Err("version".into());
    }
    if !doc["title"].is_string() {
        return Err("title".into());
    }
    for key in ["home_page_url", "feed_url", "icon", "favicon"] {
        if !doc[key].is_null() && !is_url(&doc[key]) {
            return Err(format!("{key} is not an absolute URL"));
        }
    }
    let items = doc["items"].as_array().ok_or("items is not an array")?;
    let mut ids = std::collections::BTreeSet::new();
    for item in items {
        let id = item["id"].as_str().ok_or("item without string id")?;
        if !ids.insert(id) {
            return Err(format!("duplicate id {id}"));
        }
        if !item["content_html"].is_string() && !item["content_text"].is_string() {
            return Err(format!("{id}: neither content_html nor content_text"));
        }
        for key in ["url", "external_url", "image"] {
            if !item[key].is_null() && !is_url(&item[key]) {
                return Err(format!("{id}: {key} is not an absolute URL"));
            }
        }
        for key in ["date_published", "date_modified"] {
            if let Some(date) = item[key].as_str() {
                chrono::DateTime::parse_from_rfc3339(date)
                    .map_err(|e| format!("{id}: {key}: {e}"))?;
            }
        }
        if let Some(tags) = item.get("tags")
            && !tags
                .as_array()
                .is_some_and(|t| t.iter().all(serde_json::Value::is_string))
        {
            return Err(format!("{id}: tags"));
        }
        if let Some(attachments) = item.get("attachments")
            && !attachments.as_array().is_some_and(|a| {
                a.iter().all(|f| {
                    is_url(&f["url"]) && f["mime_type"].as_str().is_some_and(|m| m.contains('/'))
                })
            })
        {
            return Err(format!("{id}: attachments"));
        }
        if let Some(event) = item.get("_event") {
            for key in ["start", "end"] {
                if let Some(date) = event[key].as_str() {
                    chrono::DateTime::parse_from_rfc3339(date)
                        .map_err(|e| format!("{id}: _event.{key}: {e}"))?;
                } else if !event[key].is_null() {
                    return Err(format!("{id}: _event.{key}"));
                }
            }
        }
        if let Some(video) = item.get("_video")
            && !video["player"].is_null()
            && !is_url(&video["player"])
        {
            return Err(format!("{id}: _video.player is not an absolute URL"));
        }
        if let Some(authors) = item.get("authors")
            && !authors
                .as_array()
                .is_some_and(|a| a.iter().all(|p| p["name"].is_string()))
        {
            return Err(format!("{id}: authors"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use serde_json::Value;

    use super::*;
    use crate::config::{Config, Overrides, Settings};
    use crate::ingest::parse_text;
    use crate::normalise::{Outcome, normalise};

    #[test]
    fn rendered_feed_follows_the_spec() {
        let settings = Settings::merge(
            Config::default(),
            Path::new(""),
            Overrides {
                base_url: Some("https://feeds.example.org/".into()),
                ..Overrides::default()
            },
        )
        .unwrap();
        let texts = [
            "---\ntitle: With related\nwebUrl: https://a.org/1\noriginalUrl: https://src.org/1\npublishedDateTime: 2023-01-02T00:00:00Z\nprovider: {name: A, domain: a.org}\ntopics: [AI]\nimages: [{url: 'https://a.org/i.png', width: 2, height: 2}]\nrelated:\n  - {title: Other, webUrl: 'https://b.org/2'}\n---\n",
            "---\ntitle: Bare\nwebUrl: https://a.org/2\npublishedDateTime: 2023-01-01T00:00:00Z\n---\n",
        ];
        let items = texts
            .iter()
            .map(|t| {
                let parsed = parse_text(Path::new("a.md"), t).unwrap();
                match normalise(&parsed, &settings.items).outcome {
                    Outcome::Item(item) => item,
                    other => panic!("{other:?}"),
                }
            })
            .collect();
        let (files, _) = crate::pipeline::render_items(items, &settings).unwrap();
        let file = files.iter().find(|f| f.path == "feed.json").unwrap();
        let doc: Value = serde_json::from_slice(&file.bytes).unwrap();
        check(&doc).unwrap();
        let first = &doc["items"][0];
        assert_eq!(first["external_url"], "https://src.org/1");
        assert_eq!(first["image"], "https://a.org/i.png");
        assert!(
            first["content_html"]
                .as_str()
                .unwrap()
                .contains("Also covered by b.org")
        );
        assert_eq!(doc["items"][1]["content_text"], "Bare");

        // The checker itself rejects what the spec forbids.
        let mut broken = doc.clone();
        broken["items"][1]["content_text"] = Value::Null;
        assert!(check(&broken).is_err());
        let mut broken = doc;
        broken["items"][0]["url"] = "/relative".into();
        assert!(check(&broken).is_err());
    }
}

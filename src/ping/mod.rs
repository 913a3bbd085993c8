//! `newswire ping`: tells the WebSub hubs of `hubs:` which feeds changed since they were last
//! told, so that they fetch the feeds and push them to their subscribers (W3C WebSub §6; the
//! publish request itself is PubSubHubbub's `hub.mode=publish`, form-encoded, which the public
//! hubs accept).
//!
//! The stages of one run, each handing on a plain value:
//! `manifest.json` + [`State`] ──[`plan`]──▶ [`Request`]s ──send──▶ [`Sent`] ──▶ [`State`].
//! A feed is pending for a hub when its bytes (the manifest's XXH3-128) differ from the bytes
//! that hub was last told of successfully; only a request the hub accepted (2xx) moves the
//! state on, so a hub that fails keeps its feeds pending for the next run, and a feed a hub
//! accepted is never sent to it again until its bytes change. `build` never pings: it stays
//! offline and deterministic.

mod send;
mod state;

use std::collections::BTreeSet;
use std::time::Duration;

use url::Url;

use crate::config::{BATCH_LIMIT, Hub, Settings};
use crate::error::Error;
use crate::progress::Silent;
use crate::write::{Manifest, OutputLock};

pub use send::Failure;
pub use state::{STATE_FILE, State};

/// How `ping` sends (the command's flags).
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Longest wait for one attempt, connection to last byte.
    pub timeout: Duration,
    /// Attempts after the first, for failures that may pass (a timeout, a refused connection,
    /// 408, 429, 5xx), each after twice the wait of the one before.
    pub retries: u32,
    /// Most requests in flight to one hub at once (hubs are sent to side by side).
    pub concurrency: usize,
    /// Work out and report the requests, but send none and record nothing.
    pub dry_run: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout: Duration::from_secs(10),
            retries: 3,
            concurrency: 2,
            dry_run: false,
        }
    }
}

/// A feed a hub is to be told of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    /// The feed's absolute URL (`base_url` + its path): the WebSub topic.
    pub url: String,
    /// XXH3-128 of the feed's bytes, from the manifest.
    pub xxh3: String,
}

/// One publish request: a hub and the feeds it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The hub.
    pub hub: Url,
    /// The feeds, in manifest order: one, or up to [`BATCH_LIMIT`] for a hub with `batch`.
    pub topics: Vec<Topic>,
}

impl Request {
    /// The form fields sent: `hub.mode=publish`, then each feed as `hub.url`; a request for
    /// one feed also names it as `hub.topic`, the name WebSub hubs built on the W3C draft read
    /// (Flask-WebSub, Switchboard), so one form suits both kinds of hub.
    pub fn form(&self) -> Vec<(&'static str, &str)> {
        let mut form = vec![("hub.mode", "publish")];
        form.extend(self.topics.iter().map(|t| ("hub.url", t.url.as_str())));
        if let [only] = self.topics.as_slice() {
            form.push(("hub.topic", only.url.as_str()));
        }
        form
    }

    /// The form, encoded as it is sent (`application/x-www-form-urlencoded`).
    pub fn body(&self) -> String {
        url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(self.form())
            .finish()
    }
}

/// A request and what came of it.
#[derive(Debug, Clone)]
pub struct Sent {
    /// The request.
    pub request: Request,
    /// How many times it was sent (0 in a dry run).
    pub attempts: u32,
    /// The hub's 2xx status, or why the request failed; `None` when it was not sent (dry run).
    pub result: Option<Result<u16, Failure>>,
}

impl Sent {
    /// Whether the hub accepted the request.
    pub fn ok(&self) -> bool {
        matches!(self.result, Some(Ok(_)))
    }

    /// Whether the request was sent and failed.
    pub fn failed(&self) -> bool {
        matches!(self.result, Some(Err(_)))
    }
}

/// What a run did.
#[derive(Debug, Clone)]
pub struct Report {
    /// How many hubs are configured.
    pub hubs: usize,
    /// Every request, hubs in config order, each hub's requests in manifest order.
    pub sent: Vec<Sent>,
    /// Whether nothing was sent (`--dry-run`).
    pub dry_run: bool,
}

impl Report {
    /// How many distinct feeds the requests name.
    pub fn feeds(&self) -> usize {
        let urls: BTreeSet<&str> = (self.sent.iter())
            .flat_map(|s| s.request.topics.iter().map(|t| t.url.as_str()))
            .collect();
        urls.len()
    }

    /// How many requests failed (after their retries).
    pub fn failed(&self) -> usize {
        self.sent.iter().filter(|s| s.failed()).count()
    }
}

/// Pings the hubs of `settings` about every feed of the output folder's manifest that changed
/// since each hub last accepted it, and records what they accepted. Holds the output lock
/// throughout, so no build or other ping interleaves with it.
pub fn ping(settings: &Settings, options: &Options) -> Result<Report, Error> {
    if settings.hubs.is_empty() {
        return Err(Error::NoHubs);
    }
    let output = settings.output.as_path();
    let manifest_path = output.join(crate::write::MANIFEST);
    if !manifest_path.is_file() {
        return Err(Error::NoManifest {
            path: manifest_path,
        });
    }
    let _lock = OutputLock::acquire(output, &Silent)?;
    let manifest = Manifest::previous(output).ok_or(Error::NoManifest {
        path: manifest_path,
    })?;
    let mut state = State::load(output)?;
    let topics = topics(settings, &manifest);
    let requests = plan(&settings.hubs, &topics, &state);
    if options.dry_run {
        return Ok(Report {
            hubs: settings.hubs.len(),
            sent: (requests.into_iter())
                .map(|request| Sent {
                    request,
                    attempts: 0,
                    result: None,
                })
                .collect(),
            dry_run: true,
        });
    }
    let sent = send::send_all(requests, options);
    let before = state.clone();
    for done in sent.iter().filter(|s| s.ok()) {
        for topic in &done.request.topics {
            state.record(done.request.hub.as_str(), &topic.url, &topic.xxh3);
        }
    }
    state.retain(&settings.hubs, &topics);
    if state != before {
        state.save(output)?;
    }
    Ok(Report {
        hubs: settings.hubs.len(),
        sent,
        dry_run: false,
    })
}

/// Every feed of the manifest, as a topic (its absolute URL and its bytes' hash).
fn topics(settings: &Settings, manifest: &Manifest) -> Vec<Topic> {
    manifest
        .feeds
        .iter()
        .map(|entry| Topic {
            url: feed_url(&settings.site.base_url, &entry.path),
            xxh3: entry.xxh3.clone(),
        })
        .collect()
}

/// The absolute URL of the output file at `path`, as its feeds' self links spell it.
fn feed_url(base_url: &Url, path: &str) -> String {
    base_url
        .join(path)
        .map(String::from)
        .unwrap_or_else(|_| format!("{base_url}{path}"))
}

/// The requests that tell each hub of the feeds it has not accepted in their present bytes:
/// one per feed, or batches of up to [`BATCH_LIMIT`] for a hub with `batch`.
pub fn plan(hubs: &[Hub], topics: &[Topic], state: &State) -> Vec<Request> {
    let mut requests = Vec::new();
    for hub in hubs {
        let pending: Vec<Topic> = (topics.iter())
            .filter(|t| !state.is_current(hub.url.as_str(), &t.url, &t.xxh3))
            .cloned()
            .collect();
        let size = if hub.batch { BATCH_LIMIT } else { 1 };
        for chunk in pending.chunks(size) {
            requests.push(Request {
                hub: hub.url.clone(),
                topics: chunk.to_vec(),
            });
        }
    }
    requests
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hub(url: &str, batch: bool) -> Hub {
        Hub {
            url: Url::parse(url).unwrap(),
            batch,
        }
    }

    fn topic(n: usize, hash: &str) -> Topic {
        Topic {
            url: format!("https://x.example/{n}/rss.xml"),
            xxh3: hash.into(),
        }
    }

    #[test]
    fn only_feeds_whose_bytes_the_hub_has_not_accepted_are_planned() {
        let hubs = [
            hub("https://a.example/", false),
            hub("https://b.example/", true),
        ];
        let topics: Vec<Topic> = (0..3).map(|n| topic(n, "h1")).collect();
        let mut state = State::default();
        let requests = plan(&hubs, &topics, &state);
        // a: one request per feed; b: one batch of all three.
        assert_eq!(requests.len(), 4);
        assert_eq!(requests[3].topics.len(), 3);

        state.record("https://a.example/", &topics[0].url, "h1");
        state.record("https://b.example/", &topics[1].url, "old");
        let requests = plan(&hubs, &topics, &state);
        let a: Vec<&str> = (requests.iter())
            .filter(|r| r.hub.as_str() == "https://a.example/")
            .flat_map(|r| r.topics.iter().map(|t| t.url.as_str()))
            .collect();
        assert_eq!(a, [topics[1].url.as_str(), topics[2].url.as_str()]);
        let b = requests.last().unwrap();
        assert_eq!(b.topics.len(), 3, "b accepted other bytes of feed 1");
    }

    #[test]
    fn batches_hold_at_most_the_limit() {
        let hubs = [hub("https://b.example/", true)];
        let topics: Vec<Topic> = (0..BATCH_LIMIT + 1).map(|n| topic(n, "h")).collect();
        let requests = plan(&hubs, &topics, &State::default());
        let sizes: Vec<usize> = requests.iter().map(|r| r.topics.len()).collect();
        assert_eq!(sizes, [BATCH_LIMIT, 1]);
    }

    #[test]
    fn the_form_names_every_feed_and_a_single_one_as_topic_too() {
        let one = Request {
            hub: Url::parse("https://a.example/").unwrap(),
            topics: vec![topic(1, "h")],
        };
        assert_eq!(
            one.body(),
            "hub.mode=publish&hub.url=https%3A%2F%2Fx.example%2F1%2Frss.xml&hub.topic=https%3A%2F%2Fx.example%2F1%2Frss.xml"
        );
        let two = Request {
            topics: vec![topic(1, "h"), topic(2, "h")],
            ..one
        };
        assert_eq!(
            two.form().iter().filter(|(k, _)| *k == "hub.url").count(),
            2
        );
        assert!(!two.body().contains("hub.topic"));
    }

    #[test]
    fn feed_urls_join_the_base_url() {
        let base = Url::parse("https://x.example/feeds/").unwrap();
        assert_eq!(
            feed_url(&base, "topics/ai/rss.xml"),
            "https://x.example/feeds/topics/ai/rss.xml"
        );
    }
}

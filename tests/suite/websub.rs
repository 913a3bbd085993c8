//! WebSub: `newswire ping` against hubs on 127.0.0.1. [`StandIn`] is a small hub of our own
//! (tiny_http) that records every publish request and answers as told: a status (204 as the
//! public hubs accept, 4xx/5xx refused, 3xx redirects) or no answer at all. The end-to-end test
//! with a real hub (Flask-WebSub and its subscriber) drives `tests/websub_hub.py`.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::util::{Article, BASE_URL, Site};

/// How a stand-in hub answers.
#[derive(Debug, Clone)]
enum Answer {
    /// This status, with a `Location` header when given.
    Status(u16, Option<String>),
    /// Nothing: the request is held open until the hub is dropped.
    Hang,
    /// 204 after a while, answered on a thread of its own so that requests overlap.
    Slow(Duration),
}

/// One publish request as the stand-in hub received it.
#[derive(Debug, Clone)]
struct Received {
    method: String,
    content_type: String,
    /// Every form field, in order.
    form: Vec<(String, String)>,
}

impl Received {
    /// The `hub.url` values.
    fn urls(&self) -> Vec<String> {
        (self.form.iter())
            .filter(|(k, _)| k == "hub.url")
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// A WebSub hub on 127.0.0.1 that records publish requests.
struct StandIn {
    url: String,
    /// The most requests the hub held at once (only [`Answer::Slow`] holds them).
    most_at_once: Arc<Mutex<(usize, usize)>>,
    server: Arc<tiny_http::Server>,
    received: Arc<Mutex<Vec<Received>>>,
    answer: Arc<Mutex<Answer>>,
    thread: Option<JoinHandle<()>>,
}

impl StandIn {
    fn new(answer: Answer) -> StandIn {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let port = server.server_addr().to_ip().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let answer = Arc::new(Mutex::new(answer));
        let most_at_once = Arc::new(Mutex::new((0, 0)));
        let thread = {
            let (server, received, answer) = (server.clone(), received.clone(), answer.clone());
            let at_once = most_at_once.clone();
            std::thread::spawn(move || {
                // Requests left unanswered; tiny_http would answer 500 for a dropped one.
                let mut held = Vec::new();
                while let Ok(mut request) = server.recv() {
                    let mut body = String::new();
                    let _ = request.as_reader().read_to_string(&mut body);
                    let content_type = (request.headers().iter())
                        .find(|h| {
                            h.field
                                .as_str()
                                .as_str()
                                .eq_ignore_ascii_case("content-type")
                        })
                        .map(|h| h.value.to_string())
                        .unwrap_or_default();
                    received.lock().unwrap().push(Received {
                        method: request.method().to_string(),
                        content_type,
                        form: url::form_urlencoded::parse(body.as_bytes())
                            .into_owned()
                            .collect(),
                    });
                    let answer = answer.lock().unwrap().clone();
                    match answer {
                        Answer::Status(status, location) => {
                            let mut response = tiny_http::Response::empty(status);
                            if let Some(to) = location {
                                response.add_header(
                                    tiny_http::Header::from_bytes("Location", to).unwrap(),
                                );
                            }
                            let _ = request.respond(response);
                        }
                        Answer::Hang => held.push(request),
                        Answer::Slow(wait) => {
                            let at_once = at_once.clone();
                            {
                                let mut counts = at_once.lock().unwrap();
                                counts.0 += 1;
                                counts.1 = counts.1.max(counts.0);
                            }
                            std::thread::spawn(move || {
                                std::thread::sleep(wait);
                                at_once.lock().unwrap().0 -= 1;
                                let _ = request.respond(tiny_http::Response::empty(204));
                            });
                        }
                    }
                }
            })
        };
        StandIn {
            url: format!("http://127.0.0.1:{port}/hub"),
            most_at_once,
            server,
            received,
            answer,
            thread: Some(thread),
        }
    }

    fn answer(&self, answer: Answer) {
        *self.answer.lock().unwrap() = answer;
    }

    /// The requests received since the last call.
    fn take(&self) -> Vec<Received> {
        std::mem::take(&mut *self.received.lock().unwrap())
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A site of three articles on two topics whose config lists `hubs` (YAML list items).
fn site_with_hubs(hubs: &[&str], extra: &str) -> Site {
    let site = Site::new();
    site.article(
        "a.md",
        &Article::new("Alpha", "https://news.example/a", "2025-01-01T10:00:00Z").topics(&["AI"]),
    )
    .article(
        "b.md",
        &Article::new("Beta", "https://news.example/b", "2025-01-02T10:00:00Z").topics(&["Space"]),
    )
    .article(
        "c.md",
        &Article::new("Gamma", "https://news.example/c", "2025-01-03T10:00:00Z").topics(&["Space"]),
    );
    let list: String = hubs.iter().map(|h| format!("  - {h}\n")).collect();
    site.write_file(
        "newswire.yaml",
        format!("base_url: {BASE_URL}\nhubs:\n{list}{extra}"),
    );
    site.build(&[]).expect_code(0);
    site
}

/// Every feed URL of the site's manifest, with its hash.
fn feeds(site: &Site) -> Vec<(String, String)> {
    let manifest: serde_json::Value = serde_json::from_str(&site.read("manifest.json")).unwrap();
    manifest["feeds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                format!("{BASE_URL}{}", f["path"].as_str().unwrap()),
                f["xxh3"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn urls(feeds: &[(String, String)]) -> BTreeSet<String> {
    feeds.iter().map(|(u, _)| u.clone()).collect()
}

/// Every feed URL the requests name, checking that none is named twice.
fn named_once(requests: &[Received]) -> BTreeSet<String> {
    let all: Vec<String> = requests.iter().flat_map(Received::urls).collect();
    let once: BTreeSet<String> = all.iter().cloned().collect();
    assert_eq!(once.len(), all.len(), "a feed was named twice: {all:?}");
    once
}

const FAST: &[&str] = &["ping", "--timeout", "2", "--retries", "1"];

#[test]
fn a_first_ping_sends_every_feed_once_and_a_second_sends_nothing() {
    let single = StandIn::new(Answer::Status(204, None));
    let batch = StandIn::new(Answer::Status(202, None));
    let site = site_with_hubs(
        &[
            &single.url,
            &format!("{{url: '{}', batch: true}}", batch.url),
        ],
        "",
    );
    let all = urls(&feeds(&site));
    assert!(all.len() > 6, "{all:?}");

    let run = site.run(FAST);
    run.expect_code(0);
    let one_each = single.take();
    assert_eq!(one_each.len(), all.len());
    assert_eq!(named_once(&one_each), all);
    for request in &one_each {
        assert_eq!(request.method, "POST");
        assert_eq!(request.content_type, "application/x-www-form-urlencoded");
        assert_eq!(request.form[0], ("hub.mode".into(), "publish".into()));
        // One feed: named as hub.url and as hub.topic.
        let topic: Vec<&String> = (request.form.iter())
            .filter(|(k, _)| k == "hub.topic")
            .map(|(_, v)| v)
            .collect();
        assert_eq!(topic, [&request.urls()[0]]);
    }
    let batched = batch.take();
    assert_eq!(batched.len(), 1, "one request lists every feed");
    assert_eq!(named_once(&batched), all);
    assert!(
        run.stderr.contains(&format!(
            "newswire: 2 hubs, {} feeds, {} requests, 0 failed",
            all.len(),
            all.len() + 1
        )),
        "{}",
        run.describe()
    );

    let again = site.run(FAST);
    again.expect_code(0);
    assert!(single.take().is_empty() && batch.take().is_empty());
    assert!(
        again.stderr.contains("0 feeds, 0 requests, 0 failed"),
        "{}",
        again.describe()
    );
}

#[test]
fn a_rebuild_pings_exactly_the_feeds_that_changed() {
    let hub = StandIn::new(Answer::Status(204, None));
    let site = site_with_hubs(&[&hub.url], "");
    site.run(FAST).expect_code(0);
    let before = feeds(&site);
    hub.take();

    // Beta is retitled: the site feeds, Space's and the kind's change; AI's does not.
    site.article(
        "b.md",
        &Article::new(
            "Beta, revised",
            "https://news.example/b",
            "2025-01-02T10:00:00Z",
        )
        .topics(&["Space"]),
    );
    site.build(&[]).expect_code(0);
    let after = feeds(&site);
    let changed: BTreeSet<String> = (after.iter())
        .filter(|f| !before.contains(f))
        .map(|(u, _)| u.clone())
        .collect();
    assert!(
        !changed.is_empty() && changed.len() < after.len(),
        "the edit must change some feeds and not others: {changed:?}"
    );
    assert!(changed.iter().all(|u| !u.contains("/topics/ai/")));

    site.run(FAST).expect_code(0);
    assert_eq!(named_once(&hub.take()), changed);
}

#[test]
fn a_failing_hub_gets_its_feeds_again_and_nothing_else_is_repeated() {
    let failing = StandIn::new(Answer::Status(500, None));
    let fine = StandIn::new(Answer::Status(204, None));
    let site = site_with_hubs(&[&failing.url, &fine.url], "");
    let all = urls(&feeds(&site));

    let run = site.run(FAST);
    run.expect_code(1);
    // A 5xx is tried again once (--retries 1): every feed twice, each request alone.
    let tried = failing.take();
    assert_eq!(tried.len(), 2 * all.len());
    assert_eq!(
        tried
            .iter()
            .flat_map(Received::urls)
            .collect::<BTreeSet<_>>(),
        all
    );
    assert_eq!(named_once(&fine.take()), all);
    assert!(
        run.stderr
            .contains(&format!("newswire: error: {}: answered 500", failing.url))
            && run.stderr.contains("(after 2 attempts)")
            && run.stderr.contains(&format!("{} failed", all.len())),
        "{}",
        run.describe()
    );

    // Refused for good (4xx): not tried again within the run, still pending.
    failing.answer(Answer::Status(400, None));
    site.run(FAST).expect_code(1);
    assert_eq!(failing.take().len(), all.len());
    assert!(fine.take().is_empty());

    failing.answer(Answer::Status(204, None));
    site.run(FAST).expect_code(0);
    assert_eq!(named_once(&failing.take()), all);
    assert!(
        fine.take().is_empty(),
        "the hub that accepted is not told again"
    );
    site.run(FAST).expect_code(0);
    assert!(failing.take().is_empty() && fine.take().is_empty());
}

#[test]
fn timeouts_and_retries_are_bounded() {
    let hub = StandIn::new(Answer::Hang);
    // One feed: the site feed in RSS, no facets.
    let site = site_with_hubs(&[&hub.url], "formats: [rss]\nfacets: []\n");
    assert_eq!(feeds(&site).len(), 1);
    let started = Instant::now();
    let run = site.run(&["ping", "--timeout", "0.3", "--retries", "2"]);
    let took = started.elapsed();
    run.expect_code(1);
    assert_eq!(hub.take().len(), 3, "the first attempt and two retries");
    assert!(
        run.stderr.contains("(after 3 attempts)"),
        "{}",
        run.describe()
    );
    // Liveness: 3 × 0.3 s of timeouts and 0.25 + 0.5 s of backoff, far within this.
    assert!(took < Duration::from_secs(20), "took {took:?}");
}

#[test]
fn requests_to_one_hub_are_limited_to_the_concurrency() {
    let first = StandIn::new(Answer::Slow(Duration::from_millis(300)));
    let second = StandIn::new(Answer::Slow(Duration::from_millis(300)));
    let site = site_with_hubs(&[&first.url, &second.url], "");
    let all = urls(&feeds(&site));
    assert!(all.len() >= 6);
    site.run(&["ping", "--concurrency", "3"]).expect_code(0);
    for hub in [&first, &second] {
        assert_eq!(named_once(&hub.take()), all);
        // 300 ms a request, three sent at a time: they overlap, and never more than three.
        assert_eq!(hub.most_at_once.lock().unwrap().1, 3);
    }
}

#[test]
fn redirects_are_not_followed() {
    let hub = StandIn::new(Answer::Status(
        302,
        Some("ftp://elsewhere.example/hub".into()),
    ));
    let site = site_with_hubs(&[&hub.url], "formats: [rss]\nfacets: []\n");
    let run = site.run(FAST);
    run.expect_code(1);
    assert_eq!(hub.take().len(), 1, "a redirect is not tried again");
    assert!(
        run.stderr
            .contains("redirect to ftp://elsewhere.example/hub (not followed"),
        "{}",
        run.describe()
    );
}

#[test]
fn a_dry_run_sends_nothing_and_records_nothing() {
    let hub = StandIn::new(Answer::Status(204, None));
    let site = site_with_hubs(&[&hub.url], "");
    let all = urls(&feeds(&site));
    for _ in 0..2 {
        let run = site.run(&["ping", "--dry-run"]);
        run.expect_code(0);
        let lines: Vec<&str> = run.stdout.lines().collect();
        assert_eq!(lines.len(), all.len(), "{}", run.describe());
        assert!(
            lines
                .iter()
                .all(|l| l.starts_with(&format!("POST {} hub.mode=publish&hub.url=", hub.url)))
        );
        assert!(
            run.stderr.contains("(dry run: nothing sent)"),
            "{}",
            run.describe()
        );
    }
    assert!(hub.take().is_empty());
    assert!(!site.out().join(".newswire.pinged").exists());

    let json = site.run(&["ping", "--dry-run", "--format", "json"]);
    json.expect_code(0);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(report["requests"], all.len());
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["sent"][0]["sent"], false);
    assert!(hub.take().is_empty());
}

#[test]
fn the_json_report_lists_every_request() {
    let failing = StandIn::new(Answer::Status(503, None));
    let site = site_with_hubs(&[&failing.url], "formats: [rss, atom]\nfacets: []\n");
    let run = site.run(&["ping", "--format", "json", "--retries", "0"]);
    run.expect_code(1);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["hubs"], 1);
    assert_eq!(report["feeds"], 2);
    assert_eq!(report["requests"], 2);
    assert_eq!(report["failed"], 2);
    let first = &report["sent"][0];
    assert_eq!(first["hub"], failing.url.as_str());
    assert_eq!(first["status"], 503);
    assert_eq!(first["attempts"], 1);
    assert_eq!(first["ok"], false);
    assert_eq!(first["feeds"][0], format!("{BASE_URL}rss.xml"));
}

#[test]
fn ping_needs_hubs_and_a_build() {
    let site = Site::new();
    site.write_file("newswire.yaml", format!("base_url: {BASE_URL}\n"));
    let run = site.run(&["ping"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("no WebSub hubs configured"),
        "{}",
        run.describe()
    );

    site.write_file(
        "newswire.yaml",
        format!("base_url: {BASE_URL}\nhubs: [http://127.0.0.1:9/hub]\n"),
    );
    let run = site.run(&["ping"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("run `newswire build` first"),
        "{}",
        run.describe()
    );

    site.write_file(
        "newswire.yaml",
        format!("base_url: {BASE_URL}\nhubs: [ftp://hub.example/]\n"),
    );
    let run = site.run(&["ping"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("invalid setting `hubs`"),
        "{}",
        run.describe()
    );
}

#[test]
fn hub_links_are_read_back_by_the_feed_parsers() {
    let site = site_with_hubs(&["https://hub.example/a", "https://hub.example/b"], "");
    let rss = rss::Channel::read_from(site.read("rss.xml").as_bytes()).unwrap();
    let hubs: Vec<String> = rss.extensions()["atom"]["link"]
        .iter()
        .filter(|l| l.attrs().get("rel").is_some_and(|r| r == "hub"))
        .map(|l| l.attrs()["href"].clone())
        .collect();
    assert_eq!(hubs, ["https://hub.example/a", "https://hub.example/b"]);
    let atom = atom_syndication::Feed::read_from(site.read("atom.xml").as_bytes()).unwrap();
    let hubs: Vec<&str> = (atom.links().iter())
        .filter(|l| l.rel() == "hub")
        .map(|l| l.href())
        .collect();
    assert_eq!(hubs, ["https://hub.example/a", "https://hub.example/b"]);
    let json: serde_json::Value = serde_json::from_str(&site.read("feed.json")).unwrap();
    assert_eq!(
        json["hubs"],
        serde_json::json!([
            {"type": "WebSub", "url": "https://hub.example/a"},
            {"type": "WebSub", "url": "https://hub.example/b"}
        ])
    );
}

/// The JSON events `tests/websub_hub.py` prints, one a line, read on a thread of their own.
struct RealHub {
    child: std::process::Child,
    stdin: Option<std::process::ChildStdin>,
    events: std::sync::mpsc::Receiver<serde_json::Value>,
}

impl RealHub {
    /// Starts the hub, the subscriber and a static server for `root`.
    fn start(root: &std::path::Path) -> RealHub {
        use std::io::BufRead;
        use std::process::{Command, Stdio};
        let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/websub_hub.py");
        let mut child = Command::new("python3")
            .arg(script)
            .arg(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs tests/websub_hub.py");
        let stdout = child.stdout.take().unwrap();
        let (send, events) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let event = serde_json::from_str(&line)
                    .unwrap_or_else(|_| serde_json::json!({"event": "output", "line": line}));
                if send.send(event).is_err() {
                    break;
                }
            }
        });
        RealHub {
            stdin: child.stdin.take(),
            child,
            events,
        }
    }

    /// The next event named `name` (others are passed over) that `accept` takes, within
    /// `LIVENESS`; an `error` event fails the test.
    fn wait_for(
        &self,
        name: &str,
        accept: impl Fn(&serde_json::Value) -> bool,
    ) -> serde_json::Value {
        let deadline = Instant::now() + LIVENESS;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let event = self
                .events
                .recv_timeout(left)
                .unwrap_or_else(|e| panic!("no `{name}` event within {LIVENESS:?}: {e}"));
            assert_ne!(event["event"], "error", "the hub script says: {event}");
            if event["event"] == name && accept(&event) {
                return event;
            }
        }
    }

    fn say(&mut self, line: &str) {
        use std::io::Write;
        let stdin = self.stdin.as_mut().unwrap();
        writeln!(stdin, "{line}").unwrap();
        stdin.flush().unwrap();
    }
}

impl Drop for RealHub {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How long any one step of the real hub's test may take.
const LIVENESS: Duration = Duration::from_secs(30);

#[test]
#[cfg_attr(
    not(flask_websub),
    ignore = "needs Flask-WebSub (pip install Flask-WebSub celery)"
)]
fn a_real_hub_pushes_the_new_item_to_a_subscriber() {
    let site = Site::new();
    let mut hub = RealHub::start(&site.out());
    let ready = hub.wait_for("ready", |_| true);
    let (hub_url, base_url) = (
        ready["hub"].as_str().unwrap().to_string(),
        ready["site"].as_str().unwrap().to_string(),
    );
    site.write_file(
        "newswire.yaml",
        format!("base_url: {base_url}\nhubs: [{hub_url}]\ninput: articles\n"),
    );
    site.article(
        "a.md",
        &Article::new("Alpha", "https://news.example/a", "2025-01-01T10:00:00Z").topics(&["AI"]),
    );
    let build = || {
        site.run(&["build", "-q", "--now", "2026-01-01T00:00:00Z"])
            .expect_code(0);
    };
    build();
    let rss = format!("{base_url}rss.xml");
    assert!(
        site.read("rss.xml")
            .contains(&format!("href=\"{hub_url}\" rel=\"hub\""))
    );

    // The subscriber finds the hub from the feed's host and subscribes; the hub verifies it.
    hub.say(&format!("subscribe {rss}"));
    let subscribed = hub.wait_for("subscribed", |_| true);
    assert_eq!(subscribed["hub"], hub_url.as_str());

    // The first ping tells the hub of every feed; it fetches them and pushes the subscribed one.
    let first = site.run(&["ping", "--timeout", "10"]);
    first.expect_code(0);
    let delivered = hub.wait_for("delivered", |e| e["topic"] == rss.as_str());
    assert!(
        delivered["body"]
            .as_str()
            .unwrap()
            .contains("<title>Alpha</title>")
    );

    // A new article: the rebuilt feed is pushed with it.
    site.article(
        "b.md",
        &Article::new(
            "Beta arrives",
            "https://news.example/b",
            "2025-01-02T10:00:00Z",
        )
        .topics(&["Space"]),
    );
    let before = feeds(&site);
    build();
    let after = feeds(&site);
    let second = site.run(&["ping", "--timeout", "10"]);
    second.expect_code(0);
    let delivered = hub.wait_for("delivered", |e| {
        e["topic"] == rss.as_str() && e["body"].as_str().unwrap().contains("Beta arrives")
    });
    assert!(
        delivered["body"]
            .as_str()
            .unwrap()
            .contains("<title>Alpha</title>")
    );
    // The first ping named every feed, the second only those that changed (not the AI
    // topic's).
    let requests = |run: &crate::util::Run| -> usize {
        let summary = run.stderr.lines().last().unwrap_or_default();
        summary
            .split(", ")
            .find_map(|part| part.strip_suffix(" requests")?.parse().ok())
            .unwrap_or_else(|| panic!("no request count in {summary:?}"))
    };
    let changed = after.iter().filter(|f| !before.contains(f)).count();
    assert_eq!(requests(&first), before.len(), "{}", first.stderr);
    assert_eq!(requests(&second), changed, "{}", second.stderr);
    assert!(changed < after.len());
    hub.say("quit");
}

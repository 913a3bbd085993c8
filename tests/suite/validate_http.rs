//! `newswire validate URL`: feeds fetched from real HTTP servers on 127.0.0.1 (tiny_http, or a
//! bare listener that never answers), with the W3C service's HTTP checks — content type,
//! charset against the document's encoding, redirects, the size limit, time-outs and the self
//! link against the final address.

use std::io::Read;
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use newswire_validate::MAX_BYTES;

use crate::util::{Run, newswire};

const NOW: &str = "2026-01-01T00:00:00Z";

/// A valid RSS feed whose self link is `self_url`, declared in `encoding`.
fn feed(self_url: &str, encoding: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="{encoding}"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>Example News</title>
    <link>https://example.org/</link>
    <description>All the news.</description>
    <atom:link href="{self_url}" rel="self" type="application/rss+xml"/>
    <item>
      <title>First story</title>
      <link>https://example.org/1</link>
      <guid>https://example.org/1</guid>
      <pubDate>Mon, 02 Jan 2006 15:04:05 +0000</pubDate>
    </item>
  </channel>
</rss>
"#
    )
}

/// A response: status, headers, body.
type Reply = (u16, Vec<(&'static str, String)>, Vec<u8>);

/// A tiny_http server on 127.0.0.1 answering every request with `answer(path)`, on a thread
/// that lives as long as the test binary.
fn serve(answer: impl Fn(&str, &str) -> Reply + Send + 'static) -> String {
    let server = tiny_http::Server::http("127.0.0.1:0").expect("listen");
    let base = format!("http://{}", server.server_addr().to_ip().expect("ip"));
    let origin = base.clone();
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let (status, headers, body) = answer(&origin, request.url());
            let mut response = tiny_http::Response::from_data(body).with_status_code(status);
            for (name, value) in headers {
                response.add_header(
                    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes())
                        .expect("header"),
                );
            }
            let _ = request.respond(response);
        }
    });
    base
}

fn validate(url: &str, extra: &[&str]) -> Run {
    let mut args = vec!["validate", "--now", NOW];
    args.extend_from_slice(extra);
    args.push(url);
    let mut command = newswire();
    command.args(&args);
    Run::of(command, &args)
}

fn rss_type() -> Vec<(&'static str, String)> {
    vec![("Content-Type", "application/rss+xml; charset=utf-8".into())]
}

#[test]
fn a_good_feed_served_well_is_clean() {
    let base = serve(|origin, _| {
        (
            200,
            rss_type(),
            feed(&format!("{origin}/feed.xml"), "utf-8").into_bytes(),
        )
    });
    let run = validate(&format!("{base}/feed.xml"), &["--strict"]);
    run.expect_code(0);
    assert_eq!(run.stdout, "", "{}", run.describe());
    assert!(
        run.stderr
            .contains("validated 1 feeds (1 RSS, 0 Atom, 0 JSON Feed): 0 errors, 0 warnings"),
        "{}",
        run.describe()
    );
}

#[test]
fn a_feed_served_as_html_gets_unexpected_content_type() {
    let base = serve(|origin, _| {
        (
            200,
            vec![("Content-Type", "text/html; charset=utf-8".into())],
            feed(&format!("{origin}/feed.xml"), "utf-8").into_bytes(),
        )
    });
    let url = format!("{base}/feed.xml");
    let run = validate(&url, &[]);
    run.expect_code(0);
    assert!(
        run.stdout
            .starts_with(&format!("{url}:1:1: warning[UnexpectedContentType]: ")),
        "{}",
        run.describe()
    );
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.describe());
    validate(&url, &["--strict"]).expect_code(1);
}

#[test]
fn a_charset_other_than_the_declared_encoding_gets_encoding_mismatch() {
    let base = serve(|origin, _| {
        let body = feed(&format!("{origin}/feed.xml"), "iso-8859-1").replace("First", "Caf\u{e9}");
        // The bytes are ISO-8859-1, as declared; the server says UTF-8.
        let bytes = body.chars().map(|c| c as u8).collect();
        (200, rss_type(), bytes)
    });
    let run = validate(&format!("{base}/feed.xml"), &[]);
    let codes: Vec<&str> = run
        .stdout
        .lines()
        .filter_map(|l| l.split('[').nth(1)?.split(']').next())
        .collect();
    // Read as the server says (UTF-8), the é is not UTF-8: an error, as on the W3C service.
    assert_eq!(
        codes,
        ["EncodingMismatch", "UnicodeError"],
        "{}",
        run.describe()
    );
    run.expect_code(1);
}

/// `/hop/N` redirects to `/hop/N-1`, and `/hop/0` is the feed.
fn redirecting_server() -> String {
    serve(|origin, path| {
        match path
            .strip_prefix("/hop/")
            .and_then(|n| n.parse::<u32>().ok())
        {
            Some(0) => (
                200,
                rss_type(),
                feed(&format!("{origin}/hop/0"), "utf-8").into_bytes(),
            ),
            Some(n) => (
                301,
                vec![("Location", format!("/hop/{}", n - 1))],
                Vec::new(),
            ),
            None => (404, Vec::new(), b"not found".to_vec()),
        }
    })
}

#[test]
fn five_redirects_are_followed_and_six_are_not() {
    let base = redirecting_server();
    // The self link names the final address: clean after five hops.
    let run = validate(&format!("{base}/hop/5"), &["--strict"]);
    run.expect_code(0);
    assert_eq!(run.stdout, "", "{}", run.describe());
    let run = validate(&format!("{base}/hop/6"), &[]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("cannot fetch") && run.stderr.contains("more than 5 redirects"),
        "{}",
        run.describe()
    );
    let run = validate(&format!("{base}/nothing"), &[]);
    run.expect_code(2);
    assert!(run.stderr.contains("404"), "{}", run.describe());
}

#[test]
fn a_redirect_to_another_scheme_is_not_followed() {
    let base = serve(|_, _| {
        (
            302,
            vec![("Location", "ftp://127.0.0.1/feed.xml".into())],
            Vec::new(),
        )
    });
    let run = validate(&format!("{base}/feed.xml"), &[]);
    run.expect_code(2);
    assert!(run.stderr.contains("another scheme"), "{}", run.describe());
    let run = validate("ftp://127.0.0.1/feed.xml", &[]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("only http and https"),
        "{}",
        run.describe()
    );
}

#[test]
fn the_self_link_is_checked_against_the_address_fetched() {
    let base = serve(|_, _| {
        (
            200,
            rss_type(),
            feed("https://example.org/elsewhere.xml", "utf-8").into_bytes(),
        )
    });
    let run = validate(&format!("{base}/feed.xml"), &[]);
    assert!(
        run.stdout.contains("warning[SelfDoesntMatchLocation]"),
        "{}",
        run.describe()
    );
}

#[test]
fn after_a_redirect_the_self_link_may_name_the_address_asked_for() {
    // `/feed.xml` moved to `/new.xml`, and the feed still names `/feed.xml` (the W3C service
    // takes either address); a third address is reported.
    let base = serve(|origin, path| match path {
        "/feed.xml" => (301, vec![("Location", "/new.xml".into())], Vec::new()),
        "/elsewhere.xml" => (302, vec![("Location", "/new.xml".into())], Vec::new()),
        _ => (
            200,
            rss_type(),
            feed(&format!("{origin}/feed.xml"), "utf-8").into_bytes(),
        ),
    });
    let run = validate(&format!("{base}/feed.xml"), &["--strict"]);
    run.expect_code(0);
    let run = validate(&format!("{base}/elsewhere.xml"), &[]);
    assert!(
        run.stdout.contains("warning[SelfDoesntMatchLocation]")
            && run
                .stdout
                .contains(&format!("is published at {base}/new.xml")),
        "{}",
        run.describe()
    );
}

#[test]
fn a_feed_too_large_is_not_read_past_the_limit() {
    /// Endless `<!-- … -->`-free padding: what was read from it is counted.
    struct Endless(Arc<AtomicUsize>);
    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            buf.fill(b' ');
            self.0.fetch_add(buf.len(), Ordering::Relaxed);
            Ok(buf.len())
        }
    }
    let sent = Arc::new(AtomicUsize::new(0));
    let counter = sent.clone();
    let announced = 100_000_000;
    let server = tiny_http::Server::http("127.0.0.1:0").expect("listen");
    let url = format!(
        "http://{}/big.xml",
        server.server_addr().to_ip().expect("ip")
    );
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let response = tiny_http::Response::new(
                tiny_http::StatusCode(200),
                vec![
                    tiny_http::Header::from_bytes("Content-Type", "application/rss+xml")
                        .expect("header"),
                ],
                Endless(counter.clone()),
                Some(announced),
                None,
            )
            // A Content-Length, not chunks.
            .with_chunked_threshold(usize::MAX);
            let _ = request.respond(response);
        }
    });
    let run = validate(&url, &[]);
    run.expect_code(1);
    assert!(
        run.stdout.contains("error[ValidatorLimit]")
            && run
                .stdout
                .contains(&format!("{announced} bytes (the limit is {MAX_BYTES})")),
        "{}",
        run.describe()
    );
    // The client stopped reading: far less than announced left the server (what the
    // sockets' buffers held aside).
    let sent = sent.load(Ordering::Relaxed);
    assert!(sent < announced / 4, "{sent} bytes sent");
}

#[test]
fn a_server_that_never_answers_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("listen");
    let url = format!("http://{}/feed.xml", listener.local_addr().expect("addr"));
    // Accept and hold every connection, answering nothing.
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream);
        }
    });
    let started = Instant::now();
    let run = validate(&url, &["--timeout", "1"]);
    let took = started.elapsed();
    run.expect_code(2);
    assert!(
        run.stderr.contains("cannot fetch") && run.stderr.to_lowercase().contains("timeout"),
        "{}",
        run.describe()
    );
    // A liveness bound: the one-second time-out ends it in seconds, not minutes.
    assert!(took < Duration::from_secs(30), "took {took:?}");
}

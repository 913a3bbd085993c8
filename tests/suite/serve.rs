//! `newswire serve` over loopback with a raw HTTP/1.1 client: content types, 304 answers
//! (weak `ETag`s too), HEAD, traversal attempts refused, a rebuild when an article changes, and
//! a port in use.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::util::{Site, article, standard_args};

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(site: &Site) -> Server {
    let mut child = site
        .newswire(&standard_args("serve", "out", &["--port", "0"]))
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
                let port: u16 = rest
                    .trim_end_matches(|c: char| !c.is_ascii_digit())
                    .parse()
                    .unwrap();
                let _ = tx.send(port);
            }
        }
    });
    let port = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("server started");
    Server { child, port }
}

/// Sends a raw GET; returns (status line, headers lower-cased, body).
fn get(port: u16, target: &str, extra: &str) -> (String, Vec<(String, String)>, String) {
    request(port, "GET", target, extra)
}

/// Sends a raw request on a connection of its own (closed after the answer).
fn request(
    port: u16,
    method: &str,
    target: &str,
    extra: &str,
) -> (String, Vec<(String, String)>, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{extra}\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    let status = lines.next().unwrap().to_string();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    (status, headers, body.to_string())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map_or("", |(_, v)| v)
}

#[test]
fn serves_feeds_with_caching_headers_and_refuses_traversal() {
    let site = Site::new();
    site.write(
        "a.md",
        article(
            "First",
            "https://a.example/1",
            "2023-05-01T10:00:00Z",
            "topics: [AI]\n",
        ),
    );
    std::fs::write(site.path("secret.txt"), "do not serve").unwrap();
    let server = start(&site);
    let port = server.port;

    for (path, want) in [
        ("/rss.xml", "application/rss+xml"),
        ("/atom.xml", "application/atom+xml"),
        ("/topics/ai/feed.json", "application/feed+json"),
        ("/feeds.opml", "text/x-opml"),
        ("/", "text/html"),
    ] {
        let (status, headers, body) = get(port, path, "");
        assert_eq!(status, "HTTP/1.1 200 OK", "{path}");
        assert!(
            header(&headers, "content-type").starts_with(want),
            "{path}: {headers:?}"
        );
        assert!(!body.is_empty());
    }

    let (_, headers, _) = get(port, "/rss.xml", "");
    let etag = header(&headers, "etag").to_string();
    let modified = header(&headers, "last-modified").to_string();
    assert!(etag.starts_with('"') && !modified.is_empty());
    let (status, _, body) = get(port, "/rss.xml", &format!("If-None-Match: {etag}\r\n"));
    assert_eq!(status, "HTTP/1.1 304 Not Modified");
    assert!(body.is_empty());
    let (status, _, _) = get(
        port,
        "/rss.xml",
        &format!("If-Modified-Since: {modified}\r\n"),
    );
    assert_eq!(status, "HTTP/1.1 304 Not Modified");
    let (status, _, _) = get(port, "/rss.xml", "If-None-Match: \"other\"\r\n");
    assert_eq!(status, "HTTP/1.1 200 OK");

    for attack in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/topics/../../secret.txt",
        "/..%5Csecret.txt",
        "//etc/passwd",
        "/etc/passwd",
    ] {
        let (status, _, body) = get(port, attack, "");
        assert_eq!(status, "HTTP/1.1 404 Not Found", "{attack}");
        assert!(!body.contains("do not serve"), "{attack}");
    }

    // A changed article is rebuilt and served.
    site.write(
        "b.md",
        article("Second", "https://a.example/2", "2023-05-02T10:00:00Z", ""),
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, _, body) = get(port, "/rss.xml", "");
        if body.contains("Second") {
            break;
        }
        assert!(Instant::now() < deadline, "no rebuild after a change");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn weak_etags_get_304_and_head_has_no_body() {
    let site = Site::new();
    site.write(
        "a.md",
        article("First", "https://a.example/1", "2023-05-01T10:00:00Z", ""),
    );
    let server = start(&site);
    let port = server.port;
    let (status, headers, body) = get(port, "/atom.xml", "");
    assert_eq!(status, "HTTP/1.1 200 OK");
    let etag = header(&headers, "etag").to_string();
    assert!(etag.starts_with('"'), "{etag}");
    let full_length = body.len().to_string();

    // RFC 9110 §13.1.2: If-None-Match uses weak comparison, so W/"x" matches "x".
    for field in [
        format!("W/{etag}"),
        format!("\"nope\", W/{etag}"),
        "*".to_string(),
    ] {
        let (status, headers, body) =
            get(port, "/atom.xml", &format!("If-None-Match: {field}\r\n"));
        assert_eq!(status, "HTTP/1.1 304 Not Modified", "{field}");
        assert_eq!(header(&headers, "etag"), etag, "{field}");
        assert!(body.is_empty(), "{field}");
        // RFC 9110 §8.6: a 304's Content-Length, if any, is the 200's.
        let length = header(&headers, "content-length");
        assert!(
            length.is_empty() || length == full_length,
            "{field}: {length}"
        );
    }
    let (status, _, _) = get(port, "/atom.xml", "If-None-Match: W/\"nope\"\r\n");
    assert_eq!(status, "HTTP/1.1 200 OK");

    let (status, headers, head_body) = request(port, "HEAD", "/atom.xml", "");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(head_body.is_empty());
    assert_eq!(header(&headers, "content-length"), body.len().to_string());
    assert!(header(&headers, "content-type").starts_with("application/atom+xml"));

    let (status, headers, _) = request(port, "POST", "/atom.xml", "Content-Length: 0\r\n");
    assert_eq!(status, "HTTP/1.1 405 Method Not Allowed");
    assert_eq!(header(&headers, "allow"), "GET, HEAD");
}

#[test]
fn a_port_in_use_is_a_fatal_error_naming_the_address() {
    let taken = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let site = Site::new();
    site.write(
        "a.md",
        article("First", "https://a.example/1", "2023-05-01T10:00:00Z", ""),
    );
    let run = site.command("serve", &["--port", &port]);
    run.expect_code(2);
    assert!(
        run.stderr.contains(&format!(
            "newswire: error: cannot listen on 127.0.0.1:{port}: "
        )),
        "{}",
        run.stderr
    );
    // Nothing was built: the port is checked first.
    assert!(!site.out().exists());
}

#[test]
fn browsers_get_the_stylesheet_view_and_feed_readers_the_feed_types() {
    const CHROMIUM: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8";
    const READER: &str =
        "application/rss+xml, application/atom+xml, application/feed+json, */*;q=0.5";
    let site = Site::new();
    site.write(
        "a.md",
        article(
            "First",
            "https://a.example/1",
            "2023-05-01T10:00:00Z",
            "topics: [AI]\n",
        ),
    );
    site.write_file("newswire.yaml", "stylesheet: true\n");
    let server = start(&site);
    let port = server.port;
    let content_type = |path: &str, accept: Option<&str>| {
        let extra = accept.map_or_else(String::new, |a| format!("Accept: {a}\r\n"));
        let (status, headers, body) = get(port, path, &extra);
        assert_eq!(status, "HTTP/1.1 200 OK", "{path}");
        assert!(!body.is_empty());
        (
            header(&headers, "content-type").to_string(),
            header(&headers, "vary").to_string(),
        )
    };
    for (path, own) in [
        ("/rss.xml", "application/rss+xml"),
        ("/topics/ai/atom.xml", "application/atom+xml"),
    ] {
        let (browser, vary) = content_type(path, Some(CHROMIUM));
        assert_eq!(browser, "application/xml; charset=utf-8", "{path}");
        assert_eq!(vary, "Accept");
        // Two representations, two entity tags: a cache never answers one with the other.
        let tag = |accept: &str| {
            let (_, headers, _) = get(port, path, &format!("Accept: {accept}\r\n"));
            header(&headers, "etag").to_string()
        };
        assert_ne!(tag(CHROMIUM), tag(READER), "{path}");
        for accept in [Some(READER), Some("*/*"), None] {
            let (reader, _) = content_type(path, accept);
            assert!(reader.starts_with(own), "{path} {accept:?}: {reader}");
        }
    }
    // JSON Feed has no stylesheet view; the stylesheet itself is XSLT.
    let (json, _) = content_type("/feed.json", Some(CHROMIUM));
    assert!(json.starts_with("application/feed+json"), "{json}");
    let (xsl, _) = content_type("/feed.xsl", Some(CHROMIUM));
    assert!(xsl.starts_with("application/xslt+xml"), "{xsl}");
    drop(server);

    // Without the stylesheet a browser gets the feed type: there is no page to show.
    site.write_file("newswire.yaml", "stylesheet: false\n");
    let server = start(&site);
    let port = server.port;
    let extra = format!("Accept: {CHROMIUM}\r\n");
    let (_, headers, _) = get(port, "/rss.xml", &extra);
    assert!(header(&headers, "content-type").starts_with("application/rss+xml"));
}

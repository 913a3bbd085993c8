//! `newswire serve`: the output folder on 127.0.0.1, for previewing feeds in a reader or a
//! browser (not for production). HTTP/1.1 itself (parsing, keep-alive, HEAD without a body,
//! no body on a 304) is `tiny_http`'s; what is ours is which file a path names, its media type,
//! and the conditional requests of RFC 9110 §13: an `ETag` (a hash of the bytes) and
//! `Last-Modified` on every file, 304 for a matching `If-None-Match` (weak comparison, as
//! §13.1.2 requires for it) or, without one, an unchanged `If-Modified-Since`.
//!
//! Paths are percent-decoded, then refused if any segment is `.` or `..`, holds a backslash or
//! NUL, or the file resolves (through symlinks) outside the output folder. GET and HEAD only.
//!
//! The stylesheet view: an RSS or Atom feed that references `feed.xsl` (`stylesheet: true`) is
//! sent as `application/xml` to a browser, whose `Accept` prefers `text/html` over the feed's
//! own type ([`prefers_html`]): browsers apply XSLT to XML documents but show a feed type as
//! raw text (Chromium) or offer to download it. Feed readers (`Accept` naming feed types,
//! `*/*`, or none) get the feed's own type. Feeds are sent with `Vary: Accept`.

use std::fs;
use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::SystemTime;

use crate::error::Error;

/// Threads answering requests (each answer is one small file read).
const WORKERS: usize = 4;

/// A running preview server. It stops, its threads joined, when dropped.
pub struct Server {
    http: Arc<tiny_http::Server>,
    addr: SocketAddr,
    stopping: Arc<AtomicBool>,
    workers: Vec<JoinHandle<()>>,
}

impl Server {
    /// Listens on 127.0.0.1:`port` (0: any free port) and serves the files under `root`.
    /// `report` is told of each request that could not be answered (a file that could not be
    /// read, an answer that could not be sent); the server goes on.
    pub fn start(
        port: u16,
        root: PathBuf,
        report: impl Fn(&Error) + Send + Sync + 'static,
    ) -> Result<Server, Error> {
        let wanted = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let listen_error = |source| Error::Listen {
            addr: wanted.to_string(),
            source,
        };
        let listener = TcpListener::bind(wanted).map_err(listen_error)?;
        let addr = listener.local_addr().map_err(listen_error)?;
        let http = tiny_http::Server::from_listener(listener, None)
            .map_err(|e| listen_error(io::Error::other(e.to_string())))?;
        let http = Arc::new(http);
        let stopping = Arc::new(AtomicBool::new(false));
        let (root, report) = (Arc::new(root), Arc::new(report));
        let workers = (0..WORKERS)
            .map(|_| {
                let (http, stopping) = (Arc::clone(&http), Arc::clone(&stopping));
                let (root, report) = (Arc::clone(&root), Arc::clone(&report));
                std::thread::spawn(move || {
                    while let Ok(request) = http.recv() {
                        if stopping.load(Ordering::Relaxed) {
                            break;
                        }
                        if let Err(err) = respond(request, &root) {
                            report(&err);
                        }
                    }
                    // `recv` fails when `Server::drop` unblocks it, or when accepting
                    // connections failed (and the listener is gone).
                    if !stopping.load(Ordering::Relaxed) {
                        report(&Error::Listen {
                            addr: addr.to_string(),
                            source: io::Error::other("the server stopped accepting connections"),
                        });
                    }
                })
            })
            .collect();
        Ok(Server {
            http,
            addr,
            stopping,
            workers,
        })
    }

    /// The address it listens on (the port chosen, when 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::Relaxed);
        for _ in &self.workers {
            self.http.unblock();
        }
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
        // Dropping the last `tiny_http::Server` closes the listener.
    }
}

/// What to send back: status, headers and body (tiny_http leaves the body out for HEAD and
/// 304 and sets `Content-Length`).
#[derive(Debug)]
struct Answer {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn text(status: u16, body: &str) -> Answer {
        Answer {
            status,
            headers: vec![("Content-Type", "text/plain; charset=utf-8".into())],
            body: body.as_bytes().to_vec(),
        }
    }
}

/// The conditional header fields of a request (RFC 9110 §13.1), each list field's lines joined.
#[derive(Debug, Default)]
struct Conditions {
    if_none_match: Option<String>,
    if_modified_since: Option<String>,
    /// `Accept` (RFC 9110 §12.5.1): not a condition, but read alongside them.
    accept: Option<String>,
}

/// Answers one request; an error names what could not be read or sent.
fn respond(request: tiny_http::Request, root: &Path) -> Result<(), Error> {
    let target = request.url().to_string();
    let (answer, problem) = match request.method() {
        tiny_http::Method::Get | tiny_http::Method::Head => {
            let mut conditions = Conditions::default();
            for header in request.headers() {
                let value = header.value.as_str();
                let field = if header.field.equiv("If-None-Match") {
                    &mut conditions.if_none_match
                } else if header.field.equiv("If-Modified-Since") {
                    &mut conditions.if_modified_since
                } else if header.field.equiv("Accept") {
                    &mut conditions.accept
                } else {
                    continue;
                };
                match field {
                    Some(before) => *before = format!("{before}, {value}"),
                    None => *field = Some(value.to_string()),
                }
            }
            answer(root, &target, &conditions)
        }
        _ => {
            let mut answer = Answer::text(405, "method not allowed\n");
            answer.headers.push(("Allow", "GET, HEAD".into()));
            (answer, None)
        }
    };
    // The whole body is in memory: always a `Content-Length`, never chunks.
    let mut response = tiny_http::Response::from_data(answer.body)
        .with_status_code(answer.status)
        .with_chunked_threshold(usize::MAX);
    for (name, value) in &answer.headers {
        // Our names and values are ASCII, which is all `from_bytes` refuses.
        if let Ok(header) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(header);
        }
    }
    // A client that went away is not a failure: tiny_http ignores those errors itself.
    let sent = request
        .respond(response)
        .map_err(|source| Error::Answer { target, source });
    match problem {
        Some(err) => Err(err),
        None => sent,
    }
}

/// The answer to a GET (or HEAD) of `target`, and the problem to report when a file that
/// exists could not be read.
fn answer(root: &Path, target: &str, conditions: &Conditions) -> (Answer, Option<Error>) {
    let Some(path) = resolve(root, target) else {
        return (Answer::text(404, "not found\n"), None);
    };
    let (bytes, modified) = match fs::read(&path).and_then(|bytes| {
        let modified = fs::metadata(&path)?.modified()?;
        Ok((bytes, modified))
    }) {
        Ok(read) => read,
        // Renamed away by a rebuild between resolving and reading.
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return (Answer::text(404, "not found\n"), None);
        }
        Err(source) => {
            let answer = Answer::text(500, "cannot read the file\n");
            return (answer, Some(Error::Read { path, source }));
        }
    };
    let mut media_type = content_type(&path);
    let feed = [RSS, ATOM, JSON_FEED].contains(&media_type);
    let view = (media_type == RSS || media_type == ATOM)
        && references_stylesheet(&bytes)
        && prefers_html(conditions.accept.as_deref(), media_type);
    if view {
        media_type = XML;
    }
    // The content's XXH3-128: a strong validator for these exact bytes; the stylesheet view
    // is another representation of them (§8.8.3), so its tag differs.
    let hash = xxhash_rust::xxh3::xxh3_128(&bytes);
    let etag = format!("\"{hash:032x}{}\"", if view { "-view" } else { "" });
    let mut headers = vec![
        ("Content-Type", media_type.to_string()),
        ("ETag", etag.clone()),
        ("Last-Modified", httpdate::fmt_http_date(modified)),
        ("Cache-Control", "no-cache".to_string()),
    ];
    if feed {
        headers.push(("Vary", "Accept".to_string()));
    }
    if not_modified(conditions, &etag, modified) {
        // A 304 may carry a Content-Length only if it is the length a 200 would have sent
        // (RFC 9110 §8.6); tiny_http takes this header as the length and sends no body.
        let mut headers = headers;
        headers.push(("Content-Length", bytes.len().to_string()));
        let answer = Answer {
            status: 304,
            headers,
            body: Vec::new(),
        };
        return (answer, None);
    }
    let answer = Answer {
        status: 200,
        headers,
        body: bytes,
    };
    (answer, None)
}

/// Whether a GET or HEAD with `conditions` gets 304 Not Modified (RFC 9110 §13.2.2): by
/// `If-None-Match` when present, else by `If-Modified-Since`.
fn not_modified(conditions: &Conditions, etag: &str, modified: SystemTime) -> bool {
    if let Some(field) = &conditions.if_none_match {
        return field.trim() == "*" || entity_tags(field).any(|tag| weak_match(tag, etag));
    }
    let Some(since) = conditions.if_modified_since.as_deref() else {
        return false;
    };
    // An invalid date is ignored (§13.1.3); HTTP dates have whole seconds.
    let seconds = |t: SystemTime| {
        t.duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_secs())
    };
    match (httpdate::parse_http_date(since.trim()), seconds(modified)) {
        (Ok(since), Ok(modified)) => seconds(since).is_ok_and(|since| modified <= since),
        _ => false,
    }
}

/// The entity tags of an `If-None-Match` list, as written (`W/"x"` or `"x"`); parsing stops at
/// the first malformed one. A comma may stand inside quotes (§8.8.3), so this is no `split(',')`.
fn entity_tags(field: &str) -> impl Iterator<Item = &str> {
    let mut rest = field;
    std::iter::from_fn(move || {
        rest = rest.trim_start_matches([' ', '\t', ',']);
        let start = rest;
        let quoted = rest.strip_prefix("W/").unwrap_or(rest).strip_prefix('"')?;
        let end = quoted.find('"')?;
        rest = &quoted[end + 1..];
        Some(&start[..start.len() - rest.len()])
    })
}

/// Weak comparison (RFC 9110 §8.8.3.2): the opaque tags are equal, whether or not either is
/// marked weak with `W/`.
fn weak_match(a: &str, b: &str) -> bool {
    let opaque = |tag: &'_ str| tag.strip_prefix("W/").unwrap_or(tag).to_string();
    opaque(a) == opaque(b)
}

/// The file a request target names inside `root`, or `None` when it is refused or absent.
pub fn resolve(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next()?;
    if !path.starts_with('/') {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut file = root.to_path_buf();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        if segment == "." || segment == ".." {
            return None;
        }
        file.push(segment);
    }
    if file.is_dir() {
        file.push("index.html");
    }
    // Symlinks must not lead out of the output folder either.
    let real = file.canonicalize().ok()?;
    let real_root = root.canonicalize().ok()?;
    (real.starts_with(&real_root) && real.is_file()).then_some(real)
}

const RSS: &str = "application/rss+xml; charset=utf-8";
const ATOM: &str = "application/atom+xml; charset=utf-8";
const JSON_FEED: &str = "application/feed+json; charset=utf-8";
const XML: &str = "application/xml; charset=utf-8";

/// The media type to serve a file with.
pub fn content_type(path: &Path) -> &'static str {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    // An archive page (`archive/rss-0001.xml`) is served as its feed's format.
    let page = (name.split_once('-')).and_then(|(stem, rest)| {
        let (number, extension) = rest.split_once('.')?;
        (!number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
            .then(|| format!("{stem}.{extension}"))
    });
    let name = page.as_deref().unwrap_or(name);
    match name {
        "rss.xml" => RSS,
        "atom.xml" => ATOM,
        "feed.json" => JSON_FEED,
        _ => match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
            "opml" => "text/x-opml; charset=utf-8",
            "html" => "text/html; charset=utf-8",
            "xsl" => "application/xslt+xml; charset=utf-8",
            "xml" => XML,
            "json" => "application/json; charset=utf-8",
            _ => "application/octet-stream",
        },
    }
}

/// Whether a feed's prolog holds the `<?xml-stylesheet?>` that points at `feed.xsl` (it comes
/// right after the XML declaration: see `render::site::with_stylesheet`).
fn references_stylesheet(feed: &[u8]) -> bool {
    let prolog = &feed[..feed.len().min(512)];
    let at = |needle: &[u8]| prolog.windows(needle.len()).position(|w| w == needle);
    match (at(b"<?xml-stylesheet"), at(b"feed.xsl")) {
        (Some(pi), Some(href)) => pi < href,
        _ => false,
    }
}

/// Whether `accept` (an `Accept` field, RFC 9110 §12.5.1) prefers `text/html`, named as such,
/// to `feed_type`: the weight of `text/html` is above zero and above the weight the most
/// specific range matching the feed type gives it (`type/subtype`, `type/*`, then `*/*`). A
/// browser names `text/html` first and reaches feed types through `*/*;q=0.8`; a feed reader
/// names the feed types, or sends `*/*` or nothing. A tie goes to the feed type.
pub fn prefers_html(accept: Option<&str>, feed_type: &str) -> bool {
    let Some(accept) = accept else {
        return false;
    };
    let essence = |media: &str| {
        media
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    };
    let feed = essence(feed_type);
    let (feed_major, _) = feed.split_once('/').unwrap_or((&feed, ""));
    let mut html = 0.0_f32;
    // The weight given by the most specific range seen so far: (specificity, weight).
    let mut for_feed: Option<(u8, f32)> = None;
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let weight = parts
            .filter_map(|p| p.split_once('='))
            .find(|(name, _)| name.trim().eq_ignore_ascii_case("q"))
            .map_or(Some(1.0), |(_, q)| q.trim().parse::<f32>().ok());
        // A weight that is no number makes the range unreadable: it is left out.
        let Some(weight) = weight.filter(|w| (0.0..=1.0).contains(w)) else {
            continue;
        };
        if media == "text/html" {
            html = html.max(weight);
        }
        let specificity = if media == feed {
            3
        } else if media.strip_suffix("/*") == Some(feed_major) {
            2
        } else if media == "*/*" {
            1
        } else {
            continue;
        };
        if for_feed.is_none_or(|(seen, _)| specificity > seen) {
            for_feed = Some((specificity, weight));
        }
    }
    html > 0.0 && html > for_feed.map_or(0.0, |(_, weight)| weight)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("out");
        fs::create_dir_all(root.join("topics")).unwrap();
        fs::write(root.join("rss.xml"), "x").unwrap();
        fs::write(dir.path().join("secret"), "s").unwrap();
        assert!(resolve(&root, "/rss.xml").is_some());
        assert!(resolve(&root, "/rss.xml?x=1").is_some());
        for bad in [
            "/../secret",
            "/%2e%2e/secret",
            "/%2E%2E%2Fsecret",
            "/topics/../../secret",
            "/..%5csecret",
            "secret",
            "//../secret",
            "/%00",
            "/missing",
        ] {
            assert!(resolve(&root, bad).is_none(), "{bad}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_root_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("out");
        fs::create_dir_all(&root).unwrap();
        fs::write(dir.path().join("secret"), "s").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret"), root.join("link")).unwrap();
        assert!(resolve(&root, "/link").is_none());
    }

    #[test]
    fn if_none_match_uses_weak_comparison() {
        let etag = "\"abc\"";
        let when = SystemTime::UNIX_EPOCH;
        let matches = |field: &str| {
            let conditions = Conditions {
                if_none_match: Some(field.to_string()),
                ..Conditions::default()
            };
            not_modified(&conditions, etag, when)
        };
        for field in [
            "\"abc\"",
            "W/\"abc\"",
            "\"x\", W/\"abc\"",
            "\"a,b\",\"abc\"",
            "*",
        ] {
            assert!(matches(field), "{field}");
        }
        for field in ["\"abd\"", "W/\"ab\"", "abc", "\"a,b\"", "", "W/abc"] {
            assert!(!matches(field), "{field}");
        }
        assert_eq!(
            entity_tags("W/\"a\" ,\"b,c\",  W/\"\"").collect::<Vec<_>>(),
            ["W/\"a\"", "\"b,c\"", "W/\"\""]
        );
    }

    #[test]
    fn if_modified_since_counts_only_without_if_none_match() {
        let modified = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        let date = httpdate::fmt_http_date(modified);
        let conditions = |inm: Option<&str>, ims: &str| Conditions {
            if_none_match: inm.map(str::to_string),
            if_modified_since: Some(ims.to_string()),
            accept: None,
        };
        assert!(not_modified(&conditions(None, &date), "\"e\"", modified));
        let earlier = httpdate::fmt_http_date(modified - std::time::Duration::from_secs(1));
        assert!(!not_modified(
            &conditions(None, &earlier),
            "\"e\"",
            modified
        ));
        assert!(!not_modified(
            &conditions(None, "yesterday"),
            "\"e\"",
            modified
        ));
        // A non-matching If-None-Match wins over a matching date.
        let both = conditions(Some("\"other\""), &date);
        assert!(!not_modified(&both, "\"e\"", modified));
    }

    #[test]
    fn stopping_the_server_closes_the_port() {
        let dir = tempfile::tempdir().unwrap();
        let server = Server::start(0, dir.path().to_path_buf(), |_| {}).unwrap();
        let addr = server.addr();
        assert!(addr.ip().is_loopback());
        drop(server);
        // The listener closes once the accept thread has seen the stop.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::net::TcpStream::connect(addr).is_ok() {
            assert!(std::time::Instant::now() < deadline, "still listening");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    #[test]
    fn a_port_in_use_is_a_listen_error_naming_it() {
        let taken = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let port = taken.local_addr().unwrap().port();
        let err = Server::start(port, PathBuf::from("out"), |_| {})
            .err()
            .unwrap();
        assert!(matches!(err, Error::Listen { .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            format!("cannot listen on 127.0.0.1:{port}")
        );
    }

    #[test]
    fn browsers_prefer_html_and_feed_readers_do_not() {
        let browsers = [
            // Chromium, Firefox, Safari (as they send it for a page).
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "application/rss+xml;q=0.5, TEXT/HTML",
        ];
        for accept in browsers {
            assert!(prefers_html(Some(accept), RSS), "{accept}");
            assert!(prefers_html(Some(accept), ATOM), "{accept}");
        }
        let readers = [
            "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.8",
            "application/atom+xml,application/rss+xml;q=0.9,application/xml;q=0.8,text/xml;q=0.7,*/*;q=0.5",
            "*/*",
            "",
            "text/html, application/rss+xml",
            "text/html;q=0.5, application/*",
            "text/html;q=0, */*",
            "text/html;q=abc, */*;q=0.1",
            "text/*, */*",
        ];
        for accept in readers {
            assert!(!prefers_html(Some(accept), RSS), "{accept}");
        }
        assert!(!prefers_html(None, RSS));
    }

    #[test]
    fn the_stylesheet_is_found_in_the_prolog_only() {
        let styled = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<?xml-stylesheet type=\"text/xsl\" href=\"../../feed.xsl\"?>\n<rss/>";
        assert!(references_stylesheet(styled.as_bytes()));
        assert!(!references_stylesheet(b"<?xml version=\"1.0\"?>\n<rss/>"));
        let mut late = b"<?xml version=\"1.0\"?><rss>".to_vec();
        late.extend(std::iter::repeat_n(b' ', 600));
        late.extend(b"<?xml-stylesheet href=\"feed.xsl\"?>");
        assert!(!references_stylesheet(&late));
    }

    #[test]
    fn content_types() {
        assert_eq!(
            content_type(Path::new("a/rss.xml")),
            "application/rss+xml; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("atom.xml")),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("feed.json")),
            "application/feed+json; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("topics/ai/archive/atom-0012.xml")),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("archive/feed-0001.json")),
            "application/feed+json; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("feeds.opml")),
            "text/x-opml; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("index.html")),
            "text/html; charset=utf-8"
        );
    }
}

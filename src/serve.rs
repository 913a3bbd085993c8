//! `newswire serve` and `newswire watch`: rebuild when the input changes, and serve the output
//! folder on 127.0.0.1 with the right content types, `ETag`/`Last-Modified` and 304 answers.
//!
//! The server is deliberately small (one thread per connection, `Connection: close`, GET and
//! HEAD only): it is for previewing feeds in a reader or a browser, not for production. Paths are
//! percent-decoded, then refused if any segment is `.` or `..`, holds a backslash or NUL, or the
//! file resolves (through symlinks) outside the output folder.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::config::Settings;
use crate::error::Error;

/// How often the input folder is looked at for changes.
const POLL: Duration = Duration::from_millis(400);
/// How long the input must stay unchanged before a rebuild starts (an editor's save burst).
const SETTLE: Duration = Duration::from_millis(250);

/// A summary of the input folder that changes whenever a file is added, removed or modified.
pub fn input_fingerprint(input: &Path) -> u64 {
    let mut hasher = Sha256::new();
    for entry in walkdir::WalkDir::new(input)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if let Ok(meta) = entry.metadata() {
            hasher.update(entry.path().as_os_str().as_encoded_bytes());
            hasher.update(meta.len().to_le_bytes());
            let mtime = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            hasher.update(mtime.to_le_bytes());
        }
    }
    let digest = hasher.finalize();
    u64::from_le_bytes(digest[..8].try_into().unwrap_or_default())
}

/// Calls `rebuild` whenever the input folder changes (debounced), forever, or until `stop`
/// receives a message.
pub fn watch(settings: &Settings, stop: Option<mpsc::Receiver<()>>, mut rebuild: impl FnMut()) {
    let mut seen = input_fingerprint(&settings.input);
    loop {
        if let Some(stop) = &stop
            && stop.recv_timeout(POLL).is_ok()
        {
            return;
        } else if stop.is_none() {
            thread::sleep(POLL);
        }
        let now = input_fingerprint(&settings.input);
        if now == seen {
            continue;
        }
        // Wait until the folder stops changing, then rebuild once.
        let mut settled = now;
        loop {
            thread::sleep(SETTLE);
            let again = input_fingerprint(&settings.input);
            if again == settled {
                break;
            }
            settled = again;
        }
        seen = settled;
        rebuild();
    }
}

/// Binds 127.0.0.1:`port` (0: any free port) for [`serve`].
pub fn bind(port: u16) -> Result<TcpListener, Error> {
    TcpListener::bind(("127.0.0.1", port)).map_err(|source| Error::Write {
        path: PathBuf::from(format!("127.0.0.1:{port}")),
        source,
    })
}

/// Serves `root` on `listener` until the process ends.
pub fn serve(listener: TcpListener, root: PathBuf) {
    for stream in listener.incoming().flatten() {
        let root = root.clone();
        thread::spawn(move || {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let _ = answer(stream, &root);
        });
    }
}

struct Request {
    method: String,
    target: String,
    if_none_match: Option<String>,
    if_modified_since: Option<String>,
}

fn read_request(stream: &TcpStream) -> Option<Request> {
    let mut reader = BufReader::new(stream.try_clone().ok()?.take(16 * 1024));
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next()?.to_string(), parts.next()?.to_string());
    let mut request = Request {
        method,
        target,
        if_none_match: None,
        if_modified_since: None,
    };
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            let value = Some(value.trim().to_string());
            match name.trim().to_ascii_lowercase().as_str() {
                "if-none-match" => request.if_none_match = value,
                "if-modified-since" => request.if_modified_since = value,
                _ => {}
            }
        }
    }
    Some(request)
}

fn answer(mut stream: TcpStream, root: &Path) -> std::io::Result<()> {
    let Some(request) = read_request(&stream) else {
        return respond(&mut stream, "400 Bad Request", &[], b"bad request\n", true);
    };
    if request.method != "GET" && request.method != "HEAD" {
        return respond(
            &mut stream,
            "405 Method Not Allowed",
            &[("Allow", "GET, HEAD".into())],
            b"",
            true,
        );
    }
    let body_wanted = request.method == "GET";
    let Some(path) = resolve(root, &request.target) else {
        return respond(
            &mut stream,
            "404 Not Found",
            &[],
            b"not found\n",
            body_wanted,
        );
    };
    let (Ok(bytes), Ok(meta)) = (fs::read(&path), fs::metadata(&path)) else {
        return respond(
            &mut stream,
            "404 Not Found",
            &[],
            b"not found\n",
            body_wanted,
        );
    };
    let etag = format!("\"{}\"", &hex(&Sha256::digest(&bytes))[..20]);
    let modified: DateTime<Utc> = meta.modified().map(DateTime::from).unwrap_or_default();
    let last_modified = modified.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let headers = [
        ("Content-Type", content_type(&path).to_string()),
        ("ETag", etag.clone()),
        ("Last-Modified", last_modified),
        ("Cache-Control", "no-cache".to_string()),
    ];
    let not_modified = match (&request.if_none_match, &request.if_modified_since) {
        (Some(tags), _) => tags.split(',').any(|t| t.trim() == etag || t.trim() == "*"),
        (None, Some(since)) => DateTime::parse_from_rfc2822(&since.replace("GMT", "+0000"))
            .is_ok_and(|since| modified.timestamp() <= since.timestamp()),
        (None, None) => false,
    };
    if not_modified {
        return respond(&mut stream, "304 Not Modified", &headers, b"", false);
    }
    respond(&mut stream, "200 OK", &headers, &bytes, body_wanted)
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    headers: &[(&str, String)],
    body: &[u8],
    send_body: bool,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !headers.iter().any(|(name, _)| *name == "Content-Type") && !body.is_empty() {
        head.push_str("Content-Type: text/plain; charset=utf-8\r\n");
    }
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if send_body {
        stream.write_all(body)?;
    }
    stream.flush()
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

/// The media type to serve a file with.
pub fn content_type(path: &Path) -> &'static str {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    match name {
        "rss.xml" => "application/rss+xml; charset=utf-8",
        "atom.xml" => "application/atom+xml; charset=utf-8",
        "feed.json" => "application/feed+json; charset=utf-8",
        _ => match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
            "opml" => "text/x-opml; charset=utf-8",
            "html" => "text/html; charset=utf-8",
            "xsl" => "application/xslt+xml; charset=utf-8",
            "xml" => "application/xml; charset=utf-8",
            "json" => "application/json; charset=utf-8",
            _ => "application/octet-stream",
        },
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
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
            content_type(Path::new("feeds.opml")),
            "text/x-opml; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("index.html")),
            "text/html; charset=utf-8"
        );
    }
}

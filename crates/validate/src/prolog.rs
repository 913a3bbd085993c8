//! What comes before the document element: the XML declaration (its `version`, and an
//! `encoding` few readers know) and the document type declaration, where the W3C service knows
//! RSS 0.91's Netscape DTD (deprecated at its old address, and only for version 0.91).

use crate::ext::is_itunes;
use crate::xml::{Element, Pos};
use crate::{Message, Sink};

/// RSS 0.91's public identifier.
const RSS091_PUBLIC: &str = "-//Netscape Communications//DTD RSS 0.91//EN";
/// Where Netscape published the RSS 0.91 DTD.
const RSS091_NETSCAPE: &str = "http://my.netscape.com/publish/formats/rss-0.91.dtd";
/// Where the RSS Advisory Board publishes it now.
const RSS091_RSSBOARD: &str = "http://www.rssboard.org/rss-0.91.dtd";

/// Encodings common in feeds (besides UTF-8 and UTF-16, which every XML reader knows).
const COMMON_ENCODINGS: &[&str] = &[
    "us-ascii",
    "iso-8859-1",
    "euc-jp",
    "iso-8859-2",
    "iso-8859-15",
    "iso-8859-7",
    "koi8-r",
    "shift_jis",
    "windows-1250",
    "windows-1251",
    "windows-1252",
    "windows-1254",
    "windows-1255",
    "windows-1256",
    "gb18030",
];

/// What the prolog declares.
#[derive(Debug, Default)]
pub(crate) struct Prolog {
    /// The declaration's `encoding`, lower-cased.
    encoding: Option<String>,
    /// The document type declares RSS 0.91's DTD.
    rss091_doctype: bool,
}

/// The value of `name="…"` (or `'…'`) in a declaration.
fn pseudo_attr<'a>(decl: &'a str, name: &str) -> Option<&'a str> {
    let at = decl.find(name)?;
    let rest = decl[at + name.len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let value = &rest[1..];
    Some(&value[..value.find(quote)?])
}

/// The quoted strings of a DOCTYPE, in order.
fn quoted(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(start) = rest.find(['"', '\'']) {
        let quote = &rest[start..=start];
        let after = &rest[start + 1..];
        let Some(end) = after.find(quote) else { break };
        out.push(&after[..end]);
        rest = &after[end + 1..];
    }
    out
}

/// Checks the XML declaration and the document type declaration of `text`.
pub(crate) fn check(text: &str, sink: &mut Sink<'_>) -> Prolog {
    let start = Pos { line: 1, col: 1 };
    let mut prolog = Prolog::default();
    let text = text.trim_start_matches('\u{feff}');
    if let Some(decl) = text
        .strip_prefix("<?xml")
        .and_then(|d| d.find("?>").map(|end| &d[..end]))
    {
        if let Some(version) = pseudo_attr(decl, "version")
            && version != "1.0"
        {
            sink.report(
                start,
                Message::BadXmlVersion,
                format!("version=\"{version}\""),
            );
        }
        if let Some(encoding) = pseudo_attr(decl, "encoding") {
            let lower = encoding.to_ascii_lowercase();
            if !matches!(lower.as_str(), "utf-8" | "utf-16")
                && !COMMON_ENCODINGS.contains(&lower.as_str())
            {
                sink.report(
                    start,
                    Message::ObscureEncoding,
                    format!("encoding=\"{encoding}\""),
                );
            }
            prolog.encoding = Some(lower);
        }
    }
    // The document type declaration comes before the first element; only its head is read.
    let mut n = text.len().min(4096);
    while !text.is_char_boundary(n) {
        n -= 1;
    }
    let head = &text[..n];
    if let Some(at) = head.find("<!DOCTYPE") {
        let end = head[at..].find(['[', '>']).map_or(head.len(), |e| at + e);
        let ids = quoted(&head[at..end]);
        if ids.first() == Some(&RSS091_PUBLIC) {
            match ids.get(1) {
                Some(&RSS091_NETSCAPE) => {
                    prolog.rss091_doctype = true;
                    sink.report(
                        start,
                        Message::DeprecatedDTD,
                        format!("use {RSS091_RSSBOARD}"),
                    );
                }
                Some(&RSS091_RSSBOARD) => prolog.rss091_doctype = true,
                _ => {}
            }
        }
    }
    prolog
}

/// The checks that need the document element too: the 0.91 DTD on another version, and a
/// podcast in an encoding Apple Podcasts may misread.
pub(crate) fn check_root(prolog: &Prolog, root: &Element, sink: &mut Sink<'_>) {
    if prolog.rss091_doctype
        && root.is(None, "rss")
        && root.attr("version").is_some_and(|v| v != "0.91")
    {
        sink.report(
            root.pos,
            Message::InvalidDoctype,
            "the RSS 0.91 DTD on another version",
        );
    }
    if prolog
        .encoding
        .as_deref()
        .is_some_and(|e| !matches!(e, "utf-8" | "utf8"))
        && std::iter::once(root)
            .chain(root.descendants())
            .any(|e| is_itunes(e.ns.as_deref()))
    {
        sink.report(root.pos, Message::NotUTF8, "podcasts should be UTF-8");
    }
}

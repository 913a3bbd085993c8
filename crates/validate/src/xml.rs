//! A small namespace-aware XML tree with line and column positions, built on `quick-xml`.
//!
//! The validator needs what a SAX parser gives the W3C service: every element with its
//! namespace, attributes, character data and position, and the well-formedness errors expat
//! reports (`SAXError`). The tree is built without recursion, so nesting depth cannot overflow
//! the stack; [`MAX_DEPTH`] bounds it anyway so the checks that walk it stay cheap.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// The `xml:` prefix's namespace.
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// Deeper documents are not checked (`ValidatorLimit`).
pub const MAX_DEPTH: usize = 256;

/// A 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub col: usize,
}

/// One attribute.
#[derive(Debug, Clone)]
pub struct Attr {
    /// Namespace URI, `None` for an unprefixed attribute.
    pub ns: Option<String>,
    /// The local name.
    pub local: String,
    /// The value, references resolved.
    pub value: String,
    /// The value was written with a hexadecimal character reference (`&#x26;`).
    pub hexrefs: bool,
}

/// One element, with everything inside it.
#[derive(Debug, Clone, Default)]
pub struct Element {
    /// Namespace URI, `None` when unqualified.
    pub ns: Option<String>,
    /// The prefix as written (`None` for the default namespace).
    pub prefix: Option<String>,
    /// The local name.
    pub local: String,
    /// Attributes other than namespace declarations, in document order.
    pub attrs: Vec<Attr>,
    /// Namespace declarations made on this element: (prefix, URI); prefix `None` is `xmlns=`.
    pub declares: Vec<(Option<String>, String)>,
    /// Child elements, in document order.
    pub children: Vec<Element>,
    /// All character data directly inside (CDATA included), references resolved.
    pub text: String,
    /// Where the start tag begins.
    pub pos: Pos,
    /// Some of the character data came from a CDATA section.
    pub cdata: bool,
    /// Some character data was written as a hexadecimal character reference (`&#x26;`), which
    /// the W3C service takes as a sign of deliberate escaping.
    pub hexrefs: bool,
}

impl Element {
    /// The value of the unqualified attribute `name`.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.ns.is_none() && a.local == name)
            .map(|a| a.value.as_str())
    }

    /// Whether the unqualified attribute `name` was written with hexadecimal references.
    pub fn attr_hexrefs(&self, name: &str) -> bool {
        self.attrs
            .iter()
            .any(|a| a.ns.is_none() && a.local == name && a.hexrefs)
    }

    /// The value of the attribute `name` in namespace `ns`.
    pub fn attr_ns(&self, ns: &str, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.ns.as_deref() == Some(ns) && a.local == name)
            .map(|a| a.value.as_str())
    }

    /// Whether this element is `local` in namespace `ns` (`None`: no namespace).
    pub fn is(&self, ns: Option<&str>, local: &str) -> bool {
        self.ns.as_deref() == ns && self.local == local
    }

    /// Children named `local` in namespace `ns`.
    pub fn children_named<'a>(
        &'a self,
        ns: Option<&'a str>,
        local: &'a str,
    ) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.is(ns, local))
    }

    /// The first child named `local` in namespace `ns`.
    pub fn child(&self, ns: Option<&str>, local: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.is(ns, local))
    }

    /// The element's name as written, `prefix:local`.
    pub fn qname(&self) -> String {
        match &self.prefix {
            Some(p) => format!("{p}:{}", self.local),
            None => self.local.clone(),
        }
    }

    /// Every element below this one, depth first, in document order (this one excluded).
    pub fn descendants(&self) -> Vec<&Element> {
        let mut out = Vec::new();
        let mut stack: Vec<&Element> = self.children.iter().rev().collect();
        while let Some(e) = stack.pop() {
            out.push(e);
            stack.extend(e.children.iter().rev());
        }
        out
    }
}

/// A parsed document.
#[derive(Debug, Clone)]
pub struct Document {
    /// The document element.
    pub root: Element,
    /// Whether the document had more depth than [`MAX_DEPTH`] (the deeper part is dropped).
    pub too_deep: bool,
}

/// A well-formedness error and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where parsing stopped.
    pub pos: Pos,
    /// What the parser said.
    pub message: String,
}

/// Byte offset → line and column.
pub struct Lines<'a> {
    src: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    /// Indexes the line starts of `src`.
    pub fn new(src: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', src.as_bytes()).map(|i| i + 1));
        Lines { src, starts }
    }

    /// The position of byte `offset`.
    pub fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.src.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let col = self
            .src
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        Pos { line, col: col + 1 }
    }
}

/// Whether `c` may appear in an XML 1.0 document.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

struct Builder<'a> {
    lines: Lines<'a>,
    /// Open elements (the last is the innermost).
    open: Vec<Element>,
    /// Namespace scopes, one per open element.
    scopes: Vec<Vec<(Option<String>, String)>>,
    root: Option<Element>,
    /// How many levels below MAX_DEPTH are being skipped.
    skipped: usize,
    too_deep: bool,
}

impl Builder<'_> {
    fn resolve(&self, prefix: Option<&str>, own: &[(Option<String>, String)]) -> Option<String> {
        if prefix == Some("xml") {
            return Some(XML_NS.into());
        }
        own.iter()
            .rev()
            .chain(self.scopes.iter().rev().flat_map(|s| s.iter().rev()))
            .find(|(p, _)| p.as_deref() == prefix)
            .map(|(_, uri)| uri.clone())
            .filter(|uri| !uri.is_empty())
    }

    fn start(&mut self, e: &BytesStart<'_>, offset: usize) -> Result<Element, String> {
        let name = std::str::from_utf8(e.name().as_ref())
            .map_err(|_| "not well-formed (invalid token)".to_string())?
            .to_string();
        let (prefix, local) = split_qname(&name)?;
        let mut declares = Vec::new();
        let mut raw_attrs = Vec::new();
        for attr in e.attributes().with_checks(true) {
            let attr = attr.map_err(|e| format!("not well-formed ({e})"))?;
            let key = std::str::from_utf8(attr.key.as_ref())
                .map_err(|_| "not well-formed (invalid token)".to_string())?
                .to_string();
            let hexrefs = memchr::memmem::find(&attr.value, b"&#x").is_some();
            let value = attr
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| format!("not well-formed ({e})"))?
                .into_owned();
            if let Some(c) = value.chars().find(|&c| !is_xml_char(c)) {
                return Err(format!(
                    "reference to invalid character number {}",
                    u32::from(c)
                ));
            }
            if key == "xmlns" {
                declares.push((None, value));
            } else if let Some(p) = key.strip_prefix("xmlns:") {
                if value.is_empty() {
                    return Err(format!("unbound prefix {p}"));
                }
                declares.push((Some(p.to_string()), value));
            } else {
                raw_attrs.push((key, value, hexrefs));
            }
        }
        let ns = self.resolve(prefix.as_deref(), &declares);
        if prefix.is_some() && ns.is_none() {
            return Err(format!("unbound prefix {}", prefix.unwrap_or_default()));
        }
        let mut attrs = Vec::with_capacity(raw_attrs.len());
        for (key, value, hexrefs) in raw_attrs {
            let (p, l) = split_qname(&key)?;
            let ns = match p.as_deref() {
                None => None,
                Some(p) => Some(
                    self.resolve(Some(p), &declares)
                        .ok_or_else(|| format!("unbound prefix {p}"))?,
                ),
            };
            if attrs
                .iter()
                .any(|a: &Attr| a.ns == ns && a.local == l && p.is_some())
            {
                return Err("duplicate attribute".into());
            }
            attrs.push(Attr {
                ns,
                local: l,
                value,
                hexrefs,
            });
        }
        Ok(Element {
            ns,
            prefix,
            local,
            attrs,
            declares,
            pos: self.lines.pos(offset),
            ..Element::default()
        })
    }

    fn push(&mut self, element: Element) {
        if self.skipped > 0 || self.open.len() >= MAX_DEPTH {
            self.skipped += 1;
            self.too_deep = true;
            return;
        }
        self.scopes.push(element.declares.clone());
        self.open.push(element);
    }

    fn pop(&mut self) {
        if self.skipped > 0 {
            self.skipped -= 1;
            return;
        }
        self.scopes.pop();
        if let Some(done) = self.open.pop() {
            match self.open.last_mut() {
                Some(parent) => parent.children.push(done),
                None => self.root = Some(done),
            }
        }
    }

    fn text(&mut self, s: &str) -> Result<(), String> {
        if let Some(c) = s.chars().find(|&c| !is_xml_char(c)) {
            return Err(format!(
                "not well-formed (invalid token U+{:04X})",
                u32::from(c)
            ));
        }
        match self.open.last_mut() {
            Some(e) if self.skipped == 0 => e.text.push_str(s),
            Some(_) => {}
            None if s.trim_matches([' ', '\t', '\r', '\n']).is_empty() => {}
            None => return Err("not well-formed (text outside the document element)".into()),
        }
        Ok(())
    }
}

fn split_qname(name: &str) -> Result<(Option<String>, String), String> {
    match name.split_once(':') {
        None => Ok((None, name.to_string())),
        Some((p, l)) if !p.is_empty() && !l.is_empty() && !l.contains(':') => {
            Ok((Some(p.to_string()), l.to_string()))
        }
        Some(_) => Err(format!("not well-formed (bad name {name})")),
    }
}

/// Parses `src` into a tree, or says where it is not well-formed XML.
pub fn parse(src: &str) -> Result<Document, SyntaxError> {
    let mut reader = Reader::from_str(src);
    let config = reader.config_mut();
    config.check_end_names = true;
    config.check_comments = true;
    config.expand_empty_elements = false;
    let mut b = Builder {
        lines: Lines::new(src),
        open: Vec::new(),
        scopes: Vec::new(),
        root: None,
        skipped: 0,
        too_deep: false,
    };
    let fail = |b: &Builder<'_>, offset: usize, message: String| SyntaxError {
        pos: b.lines.pos(offset),
        message,
    };
    loop {
        let offset = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => {
                let at = usize::try_from(reader.error_position()).unwrap_or(offset);
                return Err(fail(&b, at, format!("not well-formed ({e})")));
            }
        };
        let after_root = b.root.is_some() && b.open.is_empty();
        match event {
            Event::Start(e) | Event::Empty(e) if after_root => {
                let _ = e;
                return Err(fail(&b, offset, "junk after document element".into()));
            }
            Event::Start(e) => {
                let element = b.start(&e, offset).map_err(|m| fail(&b, offset, m))?;
                b.push(element);
            }
            Event::Empty(e) => {
                let element = b.start(&e, offset).map_err(|m| fail(&b, offset, m))?;
                b.push(element);
                b.pop();
            }
            Event::End(_) => b.pop(),
            Event::Text(t) => {
                let s = t
                    .xml10_content()
                    .map_err(|e| fail(&b, offset, e.to_string()))?;
                b.text(&s).map_err(|m| fail(&b, offset, m))?;
            }
            Event::CData(t) => {
                let s = t.decode().map_err(|e| fail(&b, offset, e.to_string()))?;
                if b.open.is_empty() {
                    return Err(fail(&b, offset, "not well-formed (invalid token)".into()));
                }
                b.text(&s.replace("\r\n", "\n"))
                    .map_err(|m| fail(&b, offset, m))?;
                if let Some(e) = b.open.last_mut() {
                    e.cdata = true;
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) if is_xml_char(c) => c.to_string(),
                    Ok(Some(c)) => {
                        return Err(fail(
                            &b,
                            offset,
                            format!("reference to invalid character number {}", u32::from(c)),
                        ));
                    }
                    Ok(None) => {
                        let name = r.decode().map_err(|e| fail(&b, offset, e.to_string()))?;
                        match &*name {
                            "lt" => "<".into(),
                            "gt" => ">".into(),
                            "amp" => "&".into(),
                            "apos" => "'".into(),
                            "quot" => "\"".into(),
                            other => {
                                return Err(fail(
                                    &b,
                                    offset,
                                    format!("undefined entity &{other};"),
                                ));
                            }
                        }
                    }
                    Err(e) => return Err(fail(&b, offset, format!("not well-formed ({e})"))),
                };
                if b.open.is_empty() {
                    return Err(fail(&b, offset, "not well-formed (invalid token)".into()));
                }
                b.text(&resolved).map_err(|m| fail(&b, offset, m))?;
                if (r.as_ref().starts_with(b"#x") || r.as_ref().starts_with(b"#X"))
                    && let Some(e) = b.open.last_mut()
                {
                    e.hexrefs = true;
                }
            }
            Event::Comment(_) | Event::PI(_) | Event::Decl(_) | Event::DocType(_) => {}
            Event::Eof => break,
        }
    }
    if !b.open.is_empty() {
        return Err(fail(&b, src.len(), "no element found".into()));
    }
    match b.root {
        Some(root) => Ok(Document {
            root,
            too_deep: b.too_deep,
        }),
        None => Err(fail(&b, src.len(), "no element found".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_positions_and_text() {
        let doc = parse(
            "<?xml version=\"1.0\"?>\n<rss xmlns:a=\"urn:a\">\n  <a:x k=\"v&amp;w\" a:k=\"2\">t&#x26;<![CDATA[<b>]]></a:x>\n</rss>",
        )
        .unwrap();
        assert_eq!(doc.root.local, "rss");
        assert_eq!(doc.root.pos, Pos { line: 2, col: 1 });
        let x = &doc.root.children[0];
        assert_eq!(x.ns.as_deref(), Some("urn:a"));
        assert_eq!(x.pos, Pos { line: 3, col: 3 });
        assert_eq!(x.attr("k"), Some("v&w"));
        assert_eq!(x.attr_ns("urn:a", "k"), Some("2"));
        assert_eq!(x.text, "t&<b>");
        assert!(x.cdata && x.hexrefs);
    }

    #[test]
    fn not_well_formed_documents_say_where() {
        for (src, line) in [
            ("<a><b></a>", 1),
            ("<a>\n&nbsp;</a>", 2),
            ("<a>\n<x:b/></a>", 2),
            ("<a/><b/>", 1),
            ("", 1),
            ("<a>\u{1}</a>", 1),
            ("<a>&#1;</a>", 1),
            ("<a b='1' b='2'/>", 1),
            ("<a>", 1),
        ] {
            let err = parse(src).unwrap_err();
            assert_eq!(err.pos.line, line, "{src:?}: {err:?}");
        }
    }

    #[test]
    fn depth_is_bounded_without_recursion() {
        let deep = "<a>".repeat(100_000) + &"</a>".repeat(100_000);
        let doc = parse(&deep).unwrap();
        assert!(doc.too_deep);
        assert_eq!(doc.root.descendants().len(), MAX_DEPTH - 1);
    }
}

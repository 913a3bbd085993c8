//! A small namespace-aware XML tree with line and column positions, built on `quick-xml`.
//!
//! The validator needs what a SAX parser gives the W3C service: every element with its
//! namespace, attributes, character data and position, and the well-formedness errors expat
//! reports (`SAXError`). The tree is built without recursion, so nesting depth cannot overflow
//! the stack; [`MAX_DEPTH`] bounds it anyway so the checks that walk it stay cheap. Internal
//! entities the document declares (`<!ENTITY name "text">`) are expanded, within a bound on the
//! total expansion as libxml2 sets one, and every position is found in time independent of
//! the length of its line ([`Lines`]), so parsing stays linear in the document.

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// The `xml:` prefix's namespace.
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// Deeper documents are not checked (`ValidatorLimit`). This is newswire's own safety bound,
/// not the W3C service's (it has none): it keeps the checks that walk the tree cheap.
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

/// Byte offset → line and column, in time independent of the length of the line: the
/// validator asks for the position of every element, and a feed may be one line of 5 MB, so
/// counting the characters from the start of the line each time would be quadratic.
pub struct Lines<'a> {
    src: &'a str,
    /// The byte offset where each line starts.
    starts: Vec<usize>,
    /// `chars[i]`: how many characters start before byte `i * STRIDE`.
    chars: Vec<usize>,
}

/// Bytes between two checkpoints of [`Lines::chars`]: a position costs at most twice this
/// many bytes looked at, whatever the line's length.
const STRIDE: usize = 256;

impl<'a> Lines<'a> {
    /// Indexes the line starts of `src`, and every [`STRIDE`]th byte's character count.
    pub fn new(src: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', src.as_bytes()).map(|i| i + 1));
        let mut chars = Vec::with_capacity(src.len() / STRIDE + 1);
        let mut count = 0;
        for block in src.as_bytes().chunks(STRIDE) {
            chars.push(count);
            count += block.iter().filter(|&&b| !is_continuation(b)).count();
        }
        Lines { src, starts, chars }
    }

    /// How many characters start before byte `offset` (at most `src.len()`).
    fn chars_before(&self, offset: usize) -> usize {
        let block = offset / STRIDE;
        let from = block * STRIDE;
        let counted = self.chars.get(block).copied().unwrap_or(0);
        let rest = self.src.as_bytes().get(from..offset).unwrap_or_default();
        counted + rest.iter().filter(|&&b| !is_continuation(b)).count()
    }

    /// The position of byte `offset` (the end of the text for an offset past it).
    pub fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.src.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let col = self.chars_before(offset) - self.chars_before(start);
        Pos { line, col: col + 1 }
    }
}

/// A byte that continues a UTF-8 sequence (`10xxxxxx`), not the start of a character.
fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// Whether `c` may appear in an XML 1.0 document.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

struct Builder<'a> {
    lines: Lines<'a>,
    /// Open elements (the last is the innermost).
    open: Vec<Element>,
    /// The namespace each prefix is bound to (`None`: the default namespace), innermost
    /// binding last: a name is resolved in one lookup, however many declarations are in scope.
    bindings: HashMap<Option<String>, Vec<String>>,
    /// The prefixes each open element (skipped ones too) declares, to unbind at its end.
    scopes: Vec<Vec<Option<String>>>,
    root: Option<Element>,
    /// How many levels below MAX_DEPTH are being skipped.
    skipped: usize,
    too_deep: bool,
    /// The general entities the internal DTD subset declares: name → replacement text
    /// (`None` for an external entity, which is not read).
    entities: HashMap<String, Option<String>>,
    /// Bytes of replacement text inserted so far, and how many may be ([`expansion_budget`]).
    expanded: usize,
    budget: usize,
}

impl Builder<'_> {
    fn resolve(&self, prefix: Option<&str>) -> Option<String> {
        if prefix == Some("xml") {
            return Some(XML_NS.into());
        }
        self.bindings
            .get(&prefix.map(str::to_string))
            .and_then(|uris| uris.last())
            .filter(|uri| !uri.is_empty())
            .cloned()
    }

    /// Binds the prefixes an element declares, until its end tag.
    fn bind(&mut self, declares: &[(Option<String>, String)]) {
        for (prefix, uri) in declares {
            self.bindings
                .entry(prefix.clone())
                .or_default()
                .push(uri.clone());
        }
        self.scopes
            .push(declares.iter().map(|(prefix, _)| prefix.clone()).collect());
    }

    /// Undoes the innermost element's [`Builder::bind`].
    fn unbind(&mut self) {
        for prefix in self.scopes.pop().unwrap_or_default() {
            if let Some(uris) = self.bindings.get_mut(&prefix) {
                uris.pop();
            }
        }
    }

    fn start(&mut self, e: &BytesStart<'_>, pos: Pos) -> Result<Element, String> {
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
            let mut over_budget = false;
            let (entities, expanded, budget) = (&self.entities, &mut self.expanded, self.budget);
            let value = attr
                .normalized_value_with(
                    quick_xml::XmlVersion::Implicit1_0,
                    MAX_ENTITY_DEPTH,
                    |name| {
                        if let Some(text) = quick_xml::escape::resolve_predefined_entity(name) {
                            return Some(text);
                        }
                        let text = entities.get(name)?.as_deref()?;
                        *expanded += text.len();
                        over_budget |= *expanded > budget;
                        (!over_budget).then_some(text)
                    },
                )
                .map_err(|e| {
                    if over_budget {
                        AMPLIFICATION.to_string()
                    } else {
                        format!("not well-formed ({e})")
                    }
                })?
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
        self.bind(&declares);
        let ns = self.resolve(prefix.as_deref());
        if prefix.is_some() && ns.is_none() {
            return Err(format!("unbound prefix {}", prefix.unwrap_or_default()));
        }
        let mut attrs = Vec::with_capacity(raw_attrs.len());
        let mut qualified = std::collections::HashSet::new();
        for (key, value, hexrefs) in raw_attrs {
            let (p, l) = split_qname(&key)?;
            let ns = match p.as_deref() {
                None => None,
                Some(p) => Some(
                    self.resolve(Some(p))
                        .ok_or_else(|| format!("unbound prefix {p}"))?,
                ),
            };
            // Two names written differently may be one (`a:x`, `b:x`, both bound to one
            // namespace); names written alike quick-xml has already told apart.
            if p.is_some() && !qualified.insert((ns.clone(), l.clone())) {
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
            pos,
            ..Element::default()
        })
    }

    fn push(&mut self, element: Element) {
        if self.skipped > 0 || self.open.len() >= MAX_DEPTH {
            self.skipped += 1;
            self.too_deep = true;
            return;
        }
        self.open.push(element);
    }

    fn pop(&mut self) {
        self.unbind();
        if self.skipped > 0 {
            self.skipped -= 1;
            return;
        }
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

/// How deeply entity references may nest in replacement text (libxml2's bound is 40).
const MAX_ENTITY_DEPTH: usize = 40;

/// What is said when entities expand beyond [`expansion_budget`].
const AMPLIFICATION: &str = "limit on input amplification factor (from DTD and entities) breached";

/// How many bytes of entity replacement text a document of `len` bytes may expand to: a
/// million, or five times its size when that is more — libxml2's default bounds, which let
/// real documents through and make the "billion laughs" (entities that each expand to ten
/// copies of the one before) stop after a bounded, linear amount of work.
fn expansion_budget(len: usize) -> usize {
    len.saturating_mul(5).max(1_000_000)
}

/// Parses `src` into a tree, or says where it is not well-formed XML.
pub fn parse(src: &str) -> Result<Document, SyntaxError> {
    let mut b = Builder {
        lines: Lines::new(src),
        open: Vec::new(),
        bindings: HashMap::new(),
        scopes: Vec::new(),
        root: None,
        skipped: 0,
        too_deep: false,
        entities: HashMap::new(),
        expanded: 0,
        budget: expansion_budget(src.len()),
    };
    read(&mut b, src, None, &mut Vec::new())?;
    if !b.open.is_empty() {
        return Err(b.fail(src.len(), "no element found".into()));
    }
    match b.root {
        Some(root) => Ok(Document {
            root,
            too_deep: b.too_deep,
        }),
        None => Err(b.fail(src.len(), "no element found".into())),
    }
}

impl Builder<'_> {
    fn fail(&self, offset: usize, message: String) -> SyntaxError {
        SyntaxError {
            pos: self.lines.pos(offset),
            message,
        }
    }
}

/// Reads the events of `src` into `b`: the document itself (`at` is `None`, positions are
/// where each event is), or the replacement text of an entity referred to at byte `at` of the
/// document (everything in it is placed there); `expanding` lists the entities being expanded
/// around it, so that one that refers to itself is an error rather than a loop.
fn read(
    b: &mut Builder<'_>,
    src: &str,
    at: Option<usize>,
    expanding: &mut Vec<String>,
) -> Result<(), SyntaxError> {
    let mut reader = Reader::from_str(src);
    let config = reader.config_mut();
    config.check_end_names = true;
    config.check_comments = true;
    config.expand_empty_elements = false;
    // Elements an entity opens, it must close (XML 1.0 §4.3.2, well-formed parsed entities).
    let open_before = b.open.len() + b.skipped;
    loop {
        let here = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let offset = at.unwrap_or(here);
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => {
                let error = usize::try_from(reader.error_position()).unwrap_or(here);
                return Err(b.fail(at.unwrap_or(error), format!("not well-formed ({e})")));
            }
        };
        let after_root = b.root.is_some() && b.open.is_empty();
        match event {
            Event::Start(_) | Event::Empty(_) if after_root => {
                return Err(b.fail(offset, "junk after document element".into()));
            }
            Event::Start(e) => {
                let pos = b.lines.pos(offset);
                let element = b.start(&e, pos).map_err(|m| b.fail(offset, m))?;
                b.push(element);
            }
            Event::Empty(e) => {
                let pos = b.lines.pos(offset);
                let element = b.start(&e, pos).map_err(|m| b.fail(offset, m))?;
                b.push(element);
                b.pop();
            }
            Event::End(_) => b.pop(),
            Event::Text(t) => {
                let s = t
                    .xml10_content()
                    .map_err(|e| b.fail(offset, e.to_string()))?;
                b.text(&s).map_err(|m| b.fail(offset, m))?;
            }
            Event::CData(t) => {
                let s = t.decode().map_err(|e| b.fail(offset, e.to_string()))?;
                if b.open.is_empty() {
                    return Err(b.fail(offset, "not well-formed (invalid token)".into()));
                }
                b.text(&s.replace("\r\n", "\n"))
                    .map_err(|m| b.fail(offset, m))?;
                if let Some(e) = b.open.last_mut() {
                    e.cdata = true;
                }
            }
            Event::GeneralRef(r) => {
                if b.open.is_empty() {
                    return Err(b.fail(offset, "not well-formed (invalid token)".into()));
                }
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) if is_xml_char(c) => c.to_string(),
                    Ok(Some(c)) => {
                        return Err(b.fail(
                            offset,
                            format!("reference to invalid character number {}", u32::from(c)),
                        ));
                    }
                    Ok(None) => {
                        let name = r.decode().map_err(|e| b.fail(offset, e.to_string()))?;
                        match quick_xml::escape::resolve_predefined_entity(&name) {
                            Some(text) => text.to_string(),
                            None => {
                                expand(b, &name, offset, expanding)?;
                                continue;
                            }
                        }
                    }
                    Err(e) => return Err(b.fail(offset, format!("not well-formed ({e})"))),
                };
                b.text(&resolved).map_err(|m| b.fail(offset, m))?;
                if (r.as_ref().starts_with(b"#x") || r.as_ref().starts_with(b"#X"))
                    && let Some(e) = b.open.last_mut()
                {
                    e.hexrefs = true;
                }
            }
            Event::DocType(d) if at.is_none() => {
                let text = std::str::from_utf8(d.as_ref())
                    .map_err(|_| b.fail(offset, "not well-formed (invalid token)".into()))?;
                for (name, value) in entity_declarations(text) {
                    // The first declaration of a name is the one that counts (XML 1.0 §4.2).
                    b.entities.entry(name).or_insert(value);
                }
            }
            Event::Decl(_) | Event::DocType(_) if at.is_some() => {
                return Err(b.fail(offset, "not well-formed (invalid token)".into()));
            }
            Event::Comment(_) | Event::PI(_) | Event::Decl(_) | Event::DocType(_) => {}
            Event::Eof => break,
        }
        if b.open.len() + b.skipped < open_before {
            return Err(b.fail(
                offset,
                "not well-formed (an entity closes an element it did not open)".into(),
            ));
        }
    }
    if at.is_some() && b.open.len() + b.skipped != open_before {
        return Err(b.fail(
            at.unwrap_or_default(),
            "not well-formed (an entity opens an element it does not close)".into(),
        ));
    }
    Ok(())
}

/// Inserts the replacement text of the general entity `name`, referred to at byte `at`, into
/// the tree, within the document's [`expansion_budget`].
fn expand(
    b: &mut Builder<'_>,
    name: &str,
    at: usize,
    expanding: &mut Vec<String>,
) -> Result<(), SyntaxError> {
    let Some(declared) = b.entities.get(name) else {
        return Err(b.fail(at, format!("undefined entity &{name};")));
    };
    // An external entity is not fetched (expat does not either): it stands for nothing.
    let Some(text) = declared.clone() else {
        return Ok(());
    };
    if expanding.iter().any(|e| e == name) {
        return Err(b.fail(at, "recursive entity reference".into()));
    }
    if expanding.len() >= MAX_ENTITY_DEPTH {
        return Err(b.fail(at, "entities nested too deep".into()));
    }
    b.expanded += text.len();
    if b.expanded > b.budget {
        return Err(b.fail(at, AMPLIFICATION.into()));
    }
    expanding.push(name.to_string());
    let result = read(b, &text, Some(at), expanding);
    expanding.pop();
    result
}

/// The general entities an internal DTD subset declares (the text of a `<!DOCTYPE …>`),
/// in order: name and replacement text, `None` for an external (`SYSTEM`, `PUBLIC`) entity.
/// Parameter entities, other declarations, comments and processing instructions are passed
/// over. Character references in a value are replaced now, as XML 1.0 §4.5 says; entity
/// references are left for when the entity is used.
fn entity_declarations(doctype: &str) -> Vec<(String, Option<String>)> {
    let mut found = Vec::new();
    let Some(open) = doctype.find('[') else {
        return found;
    };
    let mut rest = &doctype[open + 1..];
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
        if rest.is_empty() || rest.starts_with(']') {
            break;
        }
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |i| &after[i + 3..]);
        } else if let Some(after) = rest.strip_prefix("<?") {
            rest = after.find("?>").map_or("", |i| &after[i + 2..]);
        } else if let Some(after) = rest.strip_prefix("<!ENTITY") {
            let (declaration, next) = declaration(after);
            rest = next;
            if let Some(entity) = entity(declaration) {
                found.push(entity);
            }
        } else if rest.starts_with("<!") {
            rest = declaration(&rest[2..]).1;
        } else {
            // A parameter-entity reference (`%name;`) or anything else: skip a character.
            let mut chars = rest.chars();
            chars.next();
            rest = chars.as_str();
        }
    }
    found
}

/// Splits a markup declaration at its closing `>` (quoted `>`s are part of it): the
/// declaration's text, and what follows it.
fn declaration(text: &str) -> (&str, &str) {
    let mut quote = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return (&text[..i], &text[i + 1..]),
            _ => {}
        }
    }
    (text, "")
}

/// One `<!ENTITY …>` declaration's name and value (the text after `<!ENTITY`); `None` for a
/// parameter entity or a malformed declaration.
fn entity(declaration: &str) -> Option<(String, Option<String>)> {
    let declaration = declaration.trim_start();
    if declaration.starts_with('%') {
        return None;
    }
    let end = declaration.find(|c: char| c.is_ascii_whitespace())?;
    let (name, rest) = declaration.split_at(end);
    let rest = rest.trim_start();
    if rest.starts_with("SYSTEM") || rest.starts_with("PUBLIC") {
        return Some((name.to_string(), None));
    }
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    let value = &value[..value.find(quote)?];
    Some((name.to_string(), Some(char_refs_replaced(value))))
}

/// `value` with its character references (`&#233;`, `&#xE9;`) replaced by the characters.
fn char_refs_replaced(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(i) = rest.find("&#") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let reference = after.find(';').and_then(|end| {
            let digits = &after[..end];
            let code = match digits.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => digits.parse().ok(),
            };
            Some((char::from_u32(code?)?, end))
        });
        match reference {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push_str("&#");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
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

    #[test]
    fn internal_entities_are_expanded() {
        let doc = parse(concat!(
            "<?xml version=\"1.0\"?>\n",
            "<!DOCTYPE rss [\n",
            "  <!-- entities > used below -->\n",
            "  <!ENTITY % skipped \"<!ENTITY no 'no'>\">\n",
            "  <!ENTITY nbsp \"&#160;\">\n",
            "  <!ENTITY site 'Example &amp; co'>\n",
            "  <!ENTITY site 'the second declaration does not count'>\n",
            "  <!ENTITY credit \"<b>by &site;</b>\">\n",
            "  <!ENTITY ext SYSTEM \"http://example.org/ext\">\n",
            "]>\n",
            "<rss a=\"&site;\">x&nbsp;y &credit;&ext;</rss>",
        ))
        .unwrap();
        let root = &doc.root;
        assert_eq!(root.attr("a"), Some("Example & co"));
        assert_eq!(root.text, "x\u{a0}y ");
        assert_eq!(root.children[0].local, "b");
        assert_eq!(root.children[0].text, "by Example & co");
        // What an entity puts in the tree is where the reference is.
        assert_eq!(root.children[0].pos, Pos { line: 11, col: 26 });
    }

    #[test]
    fn entities_that_refer_to_themselves_or_are_not_declared_are_errors() {
        for src in [
            "<!DOCTYPE a [<!ENTITY e '&e;'>]><a>&e;</a>",
            "<!DOCTYPE a [<!ENTITY e '&f;'><!ENTITY f '&e;'>]><a>&e;</a>",
            "<!DOCTYPE a [<!ENTITY e 'x'>]><a>&f;</a>",
            "<!DOCTYPE a [<!ENTITY e '<b>'>]><a>&e;</a>",
            "<!DOCTYPE a [<!ENTITY e '</a>'>]><a>&e;</a>",
            "<!DOCTYPE a [<!ENTITY e 'x'>]><a b='&f;'/>",
            "<!DOCTYPE a [<!ENTITY e 'x'>]>&e;<a/>",
        ] {
            assert!(parse(src).is_err(), "{src}");
        }
    }

    /// The "billion laughs": ten entities, each ten of the one before, would be 10¹⁰ bytes.
    /// Expansion stops at the budget, in the text and in attribute values alike.
    #[test]
    fn billion_laughs_stop_at_the_expansion_budget() {
        let mut dtd = String::from("<!ENTITY l0 'lol'>");
        for i in 1..10 {
            let refs = format!("&l{};", i - 1).repeat(10);
            dtd.push_str(&format!("<!ENTITY l{i} '{refs}'>"));
        }
        for body in ["<a>&l9;</a>", "<a b='&l9;'/>"] {
            let src = format!("<!DOCTYPE a [{dtd}]>{body}");
            let err = parse(&src).unwrap_err();
            assert_eq!(err.message, AMPLIFICATION, "{body}");
        }
        // Within the budget, the same entities expand in full.
        let src = format!("<!DOCTYPE a [{dtd}]><a>&l4;</a>");
        assert_eq!(parse(&src).unwrap().root.text.len(), 3 * 10_000);
    }
}

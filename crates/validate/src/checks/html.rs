//! HTML inside content: the tags, event-handler attributes and `style` values feed readers
//! strip, and relative or malformed link references, found by tokenising the markup as a
//! browser would (html5ever).

use super::uris::uri_char;

/// HTML tags that feed readers strip and the W3C service calls a security risk.
const UNSAFE_TAGS: &[&str] = &[
    "applet", "base", "basefont", "body", "embed", "frame", "frameset", "head", "html", "iframe",
    "isindex", "link", "meta", "noframes", "object", "param", "script", "style", "title",
];

/// CSS properties readers keep in a `style` attribute.
const SAFE_CSS: &[&str] = &[
    "background",
    "background-color",
    "border",
    "border-collapse",
    "border-color",
    "border-style",
    "border-width",
    "clear",
    "color",
    "cursor",
    "direction",
    "display",
    "float",
    "font",
    "font-family",
    "font-size",
    "font-style",
    "font-variant",
    "font-weight",
    "height",
    "letter-spacing",
    "line-height",
    "list-style-type",
    "margin",
    "margin-bottom",
    "margin-left",
    "margin-right",
    "margin-top",
    "overflow",
    "padding",
    "padding-bottom",
    "padding-left",
    "padding-right",
    "padding-top",
    "text-align",
    "text-decoration",
    "text-indent",
    "unicode-bidi",
    "vertical-align",
    "white-space",
    "width",
];

/// The unsafe part of a `style` attribute, if any.
pub fn dangerous_style(style: &str) -> Option<String> {
    let lower = style.to_ascii_lowercase();
    if [
        "url(",
        "expression(",
        "javascript:",
        "@import",
        "behavior",
        "\\",
    ]
    .iter()
    .any(|bad| lower.contains(bad))
    {
        return Some(style.to_string());
    }
    for decl in lower.split(';') {
        if decl.trim().is_empty() {
            continue;
        }
        let Some((prop, _)) = decl.split_once(':') else {
            return Some(style.to_string());
        };
        let prop = prop.trim();
        if !SAFE_CSS.contains(&prop) && !prop.starts_with("border-") {
            return Some(prop.to_string());
        }
        // Box properties take only plain values: colours, keywords and short lengths (no
        // `99999em` that covers the page).
        let boxed = ["background", "border", "margin", "padding"]
            .contains(&prop.split('-').next().unwrap_or(""));
        if boxed {
            let value = decl.split_once(':').map_or("", |(_, v)| v);
            if let Some(bad) = value.split_whitespace().find(|k| !plain_css_value(k)) {
                return Some(bad.to_string());
            }
        }
    }
    None
}

/// A CSS value word readers keep in box properties: a colour or layout keyword, a hex colour,
/// `rgb(…)`, or a number of at most three digits with an optional unit.
fn plain_css_value(word: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "aqua",
        "auto",
        "black",
        "block",
        "blue",
        "bold",
        "both",
        "bottom",
        "brown",
        "center",
        "collapse",
        "dashed",
        "dotted",
        "fuchsia",
        "gray",
        "green",
        "!important",
        "italic",
        "left",
        "lime",
        "maroon",
        "medium",
        "none",
        "navy",
        "normal",
        "nowrap",
        "olive",
        "pointer",
        "purple",
        "red",
        "right",
        "solid",
        "silver",
        "teal",
        "top",
        "transparent",
        "underline",
        "white",
        "yellow",
    ];
    let word = word.trim_end_matches(',');
    if KEYWORDS.contains(&word) {
        return true;
    }
    if let Some(hex) = word.strip_prefix('#') {
        return !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit());
    }
    if let Some(args) = word.strip_prefix("rgb(") {
        return args
            .chars()
            .all(|c| c.is_ascii_digit() || ",%) ".contains(c));
    }
    let number: String = word
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let unit = &word[number.len()..];
    let digits = number.chars().filter(char::is_ascii_digit).count();
    (1..=3).contains(&digits)
        && number.matches('.').count() <= 1
        && ["", "cm", "em", "ex", "in", "mm", "pc", "pt", "px", "%", ")"].contains(&unit)
}

/// What [`scan_html`] found in a fragment of HTML.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct HtmlFindings {
    /// Unsafe tags (`SecurityRisk`).
    pub unsafe_tags: Vec<String>,
    /// Event-handler attributes (`SecurityRiskAttr`).
    pub handlers: Vec<String>,
    /// Unsafe `style` values (`DangerousStyleAttr`).
    pub styles: Vec<String>,
    /// Relative `a href` / `img src` references (`ContainsRelRef`).
    pub relative: Vec<String>,
    /// References with characters a URI may not hold (`InvalidUriChar`).
    pub bad_chars: Vec<String>,
    /// Start tags that are no HTML element (`NotHtml`).
    pub not_html: Vec<String>,
    /// The first error the HTML tokenizer met, if any (`NotHtml`: not valid HTML).
    pub error: Option<String>,
}

struct Scanner(std::cell::RefCell<HtmlFindings>);

impl html5ever::tokenizer::TokenSink for Scanner {
    type Handle = ();

    fn process_token(
        &self,
        token: html5ever::tokenizer::Token,
        _line: u64,
    ) -> html5ever::tokenizer::TokenSinkResult<()> {
        use html5ever::tokenizer::{TagKind, Token};
        if let Token::ParseError(error) = &token {
            let mut found = self.0.borrow_mut();
            if found.error.is_none() {
                found.error = Some(error.to_string());
            }
        }
        if let Token::TagToken(tag) = token
            && tag.kind == TagKind::StartTag
        {
            let mut found = self.0.borrow_mut();
            let name = (*tag.name).to_ascii_lowercase();
            if UNSAFE_TAGS.contains(&name.as_str()) {
                found.unsafe_tags.push(name.clone());
            } else if !super::names::html_element(&name) {
                found.not_html.push(name.clone());
            }
            for attr in &tag.attrs {
                let attr_name = (*attr.name.local).to_ascii_lowercase();
                if attr_name.starts_with("on") {
                    found.handlers.push(attr_name.clone());
                } else if attr_name == "style" {
                    found.styles.extend(dangerous_style(&attr.value));
                } else if (name == "a" && attr_name == "href")
                    || (name == "img" && attr_name == "src")
                {
                    let reference = attr.value.trim();
                    let absolute = reference.split_once(':').is_some_and(|(s, _)| {
                        !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_')
                    });
                    if !absolute {
                        if reference.chars().any(|c| c.is_ascii() && !uri_char(c)) {
                            found.bad_chars.push(reference.to_string());
                        } else {
                            found.relative.push(reference.to_string());
                        }
                    }
                }
            }
        }
        html5ever::tokenizer::TokenSinkResult::Continue
    }
}

/// Tokenises `html` (as a browser would) and reports what feed readers object to.
pub fn scan_html(html: &str) -> HtmlFindings {
    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::{BufferQueue, Tokenizer, TokenizerOpts};
    let tokenizer = Tokenizer::new(
        Scanner(std::cell::RefCell::new(HtmlFindings::default())),
        TokenizerOpts::default(),
    );
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.take()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_scanning() {
        let f = scan_html(
            r#"<p onclick="x()" style="position: fixed">a <a href="/rel">b</a><img src="http://x/y.png"><script>1</script><a href="a b">c</a></p>"#,
        );
        assert_eq!(f.unsafe_tags, ["script"]);
        assert_eq!(f.handlers, ["onclick"]);
        assert_eq!(f.styles, ["position"]);
        assert_eq!(f.relative, ["/rel"]);
        assert_eq!(f.bad_chars, ["a b"]);
        assert_eq!(f.error, None);
        let f = scan_html("<bogus>x</bogus> and <a");
        assert_eq!(f.not_html, ["bogus"]);
        assert!(f.error.is_some());
        assert_eq!(
            scan_html("<p style=\"color: red\">x</p>"),
            HtmlFindings::default()
        );
        assert_eq!(dangerous_style("background: yellow; margin: 0 1.5em"), None);
        assert_eq!(
            dangerous_style("margin: 99999em").as_deref(),
            Some("99999em")
        );
        assert_eq!(
            dangerous_style("padding: 1px; border: 1px dashed rgb(1,2,3)"),
            None
        );
    }
}

//! Text helpers a feed writer can use too: whether text meant as plain text looks like
//! HTML, by the same rule the validator applies to plain-text fields (`ContainsHTML`).

/// HTML element names, for telling markup from text like `</3>` or `a <b` comparisons.
const HTML_TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "cite",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "font",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "li",
    "object",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "script",
    "small",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "sup",
    "table",
    "td",
    "th",
    "title",
    "tr",
    "tt",
    "u",
    "ul",
];

/// Whether plain text looks like HTML, the W3C way: an end tag of an HTML element, or
/// (unless the text was deliberately hex-escaped) an HTML entity reference left in it.
/// Returns what gave it away.
pub fn looks_like_html(text: &str, hex_escaped: bool) -> Option<String> {
    let mut rest = text;
    while let Some(i) = rest.find("</") {
        let after = &rest[i + 2..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if after[name.len()..].starts_with('>')
            && HTML_TAGS.contains(&name.to_ascii_lowercase().as_str())
        {
            return Some(format!("</{name}>"));
        }
        rest = after;
    }
    if hex_escaped {
        return None;
    }
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        let after = &rest[i + 1..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '#')
            .collect();
        // As the W3C service does: a known entity name, or anything not purely alphabetic
        // (`&#8217`, `&#x26`, `&x1`).
        let entity = name == "apos"
            || !name.chars().all(|c| c.is_ascii_alphabetic())
            || html_escape::decode_html_entities(&format!("&{name};")) != format!("&{name};");
        if !name.is_empty() && entity {
            return Some(format!("&{name};"));
        }
        rest = after;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_in_plain_text() {
        assert_eq!(
            looks_like_html("a <b>bold</b>", false).as_deref(),
            Some("</b>")
        );
        assert_eq!(
            looks_like_html("Tom &amp; Jerry", false).as_deref(),
            Some("&amp;")
        );
        assert_eq!(
            looks_like_html("it&#8217;s", false).as_deref(),
            Some("&#8217;")
        );
        assert_eq!(looks_like_html("it&#8217;s", true), None);
        assert_eq!(looks_like_html("Tom & Jerry; a < b; </3>", false), None);
        assert_eq!(looks_like_html("R&D; AT&T", false), None);
    }
}

//! Article bodies: Markdown → HTML (pulldown-cmark) → sanitised with an allowlist (ammonia).

use ammonia::{Builder, UrlRelative};
use pulldown_cmark::{Options, Parser, html};
use url::Url;

/// Renders a Markdown body as HTML that is safe to publish: no scripts, frames, event handlers
/// or styles; only `http`, `https` and `mailto` URLs; every relative `href`/`src` (including
/// `#fragment` and `//host` forms) made absolute against the article's link, which RSS readers
/// and the W3C validator (ContainsRelRef) require.
pub fn body_html(markdown: &str, base: &Url) -> String {
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    Builder::default()
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"))
        .url_relative(UrlRelative::RewriteWithBase(base.clone()))
        .clean(&raw)
        .to_string()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str) -> String {
        body_html(
            md,
            &Url::parse("https://news.example/2023/story.html").unwrap(),
        )
    }

    #[test]
    fn markdown_becomes_html() {
        assert_eq!(html("Hello *world*"), "<p>Hello <em>world</em></p>");
    }

    #[test]
    fn dangerous_markup_is_removed() {
        let out = html(
            "<script>alert(1)</script><iframe src=\"https://x\"></iframe><p onclick=\"x()\" style=\"position:absolute\">hi</p><a href=\"javascript:alert(1)\">j</a><img src=\"data:image/png;base64,AA\">",
        );
        for bad in [
            "script",
            "iframe",
            "onclick",
            "style",
            "javascript:",
            "data:",
        ] {
            assert!(!out.contains(bad), "{bad} in {out}");
        }
        assert!(out.contains("hi"));
    }

    #[test]
    fn relative_urls_become_absolute() {
        let out = html("[a](other.html) [b](#frag) [c](//cdn.example/x) ![d](/img/d.png)");
        assert!(
            out.contains("href=\"https://news.example/2023/other.html\""),
            "{out}"
        );
        assert!(
            out.contains("href=\"https://news.example/2023/story.html#frag\""),
            "{out}"
        );
        assert!(out.contains("href=\"https://cdn.example/x\""), "{out}");
        assert!(
            out.contains("src=\"https://news.example/img/d.png\""),
            "{out}"
        );
    }
}

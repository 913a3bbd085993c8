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

/// Sanitises an HTML body (a newsletter issue: e-mail HTML) the way [`body_html`] sanitises
/// the HTML of a Markdown body, also dropping the document's `<title>` and `<style>` with
/// their text, comments (Outlook's `<!--[if mso]>` blocks), and the site generator's Liquid
/// `{% raw %}`/`{% endraw %}` markers.
pub fn html_body(html: &str, base: &Url) -> String {
    let html = html.replace("{% raw %}", "").replace("{% endraw %}", "");
    Builder::default()
        .add_clean_content_tags(["title"])
        // E-mail HTML writes spaces into link URLs (share links): re-serialised, an absolute
        // URL is percent-encoded, as feeds need it.
        .attribute_filter(|_, attribute, value| match attribute {
            "href" | "src" if value.contains(char::is_whitespace) => Url::parse(value.trim())
                .map(|url| String::from(url).into())
                .ok(),
            _ => Some(value.into()),
        })
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"))
        .url_relative(UrlRelative::RewriteWithBase(base.clone()))
        .clean(&html)
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
    fn html_bodies_are_sanitised_not_rendered() {
        let out = html_body(
            "<html><head><title>Issue 1</title><style>p{color:red}</style><meta charset=utf-8></head><body><!--[if mso]><table><![endif]--><p style=\"x\">{% raw %}Story *one*{% endraw %} &amp; <a href=\"story.html?a=1&b=2\">more</a> <img src=\"/i.png\"><a href=\"https://x.example/share?text=A B\">s</a></p><script>x()</script></body></html>",
            &Url::parse("https://news.example/n/issue-1/").unwrap(),
        );
        assert_eq!(
            out,
            "<p>Story *one* &amp; <a href=\"https://news.example/n/issue-1/story.html?a=1&amp;b=2\" rel=\"noopener noreferrer\">more</a> <img src=\"https://news.example/i.png\"><a href=\"https://x.example/share?text=A%20B\" rel=\"noopener noreferrer\">s</a></p>"
        );
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

//! The site files beside the feeds: `feeds.opml` (OPML 2.0, every feed, to subscribe to all
//! at once), `index.html` (a page listing every feed, with autodiscovery links), when the
//! stylesheet is on, `feed.xsl` (so a feed opened in a browser reads as a page), and with
//! `headers: netlify`, `_headers` (the static host's HTTP headers: see `headers.rs`).

use std::fmt::Write as _;

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use quick_xml::escape::escape as xml;

use super::{FeedView, dates, site_url};
use crate::config::{HostHeaders, Site};
use crate::group::Catalog;
use crate::model::{FeedFormat, FeedKind, Rendered};

/// File name of the OPML subscription list.
pub const OPML: &str = "feeds.opml";
/// File name of the index page.
pub const INDEX: &str = "index.html";
/// File name of the XSL stylesheet.
pub const STYLESHEET: &str = "feed.xsl";
/// File name of the static host's headers file (Netlify, Cloudflare Pages).
pub const HEADERS: &str = "_headers";

/// The site files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteFile {
    /// `feeds.opml`
    Opml,
    /// `index.html`
    Index,
    /// `feed.xsl`
    Stylesheet,
    /// `_headers`
    Headers,
}

impl SiteFile {
    /// The site files this site has: the stylesheet only when it is on, the headers file
    /// only when one is asked for.
    pub fn all(site: &Site) -> impl Iterator<Item = SiteFile> {
        [SiteFile::Opml, SiteFile::Index]
            .into_iter()
            .chain(has_stylesheet(site).then_some(SiteFile::Stylesheet))
            .chain((site.headers == HostHeaders::Netlify).then_some(SiteFile::Headers))
    }

    /// Whether the file depends on the site settings alone (not on the feeds): its
    /// fingerprint is the site's.
    pub fn site_only(self) -> bool {
        matches!(self, SiteFile::Stylesheet | SiteFile::Headers)
    }

    /// Path in the output folder.
    pub fn path(self) -> &'static str {
        match self {
            SiteFile::Opml => OPML,
            SiteFile::Index => INDEX,
            SiteFile::Stylesheet => STYLESHEET,
            SiteFile::Headers => HEADERS,
        }
    }
}

/// Whether `feed.xsl` is written: the stylesheet is on, and styles RSS and Atom only.
pub fn has_stylesheet(site: &Site) -> bool {
    site.stylesheet && site.formats.iter().any(|f| *f != FeedFormat::Json)
}

/// Renders one site file for `catalog`.
pub fn render(site: &Site, catalog: &Catalog, file: SiteFile) -> Rendered {
    let views = || -> Vec<FeedView<'_>> {
        catalog
            .feeds
            .iter()
            .map(|feed| FeedView::outline(site, catalog, feed))
            .collect()
    };
    let bytes = match file {
        SiteFile::Opml => opml(site, &views()).into_bytes(),
        SiteFile::Index => index(site, &views()).into_bytes(),
        SiteFile::Stylesheet => XSL.as_bytes().to_vec(),
        SiteFile::Headers => super::headers::netlify(site).into_bytes(),
    };
    Rendered {
        path: file.path().into(),
        feed: None,
        bytes,
    }
}

/// Inserts `<?xml-stylesheet?>` after the XML declaration of a rendered feed.
pub fn with_stylesheet(feed: &[u8], href: &str) -> Vec<u8> {
    let pi = format!(
        "\n<?xml-stylesheet type=\"text/xsl\" href=\"{}\"?>",
        xml(href)
    );
    let at = feed
        .windows(2)
        .position(|w| w == b"?>")
        .map_or(0, |i| i + 2);
    let mut out = Vec::with_capacity(feed.len() + pi.len());
    out.extend_from_slice(&feed[..at]);
    out.extend_from_slice(pi.as_bytes());
    out.extend_from_slice(&feed[at..]);
    out
}

fn section(kind: &FeedKind) -> &'static str {
    match kind {
        FeedKind::All => "Everything",
        FeedKind::Topic => "Topics",
        FeedKind::Provider => "Providers",
        FeedKind::Kind => "Kinds",
        FeedKind::Defined => "Featured",
    }
}

/// OPML 2.0 (<http://opml.org/spec2.opml>): the site feed, then a folder for each other sort of
/// feed (Featured: the defined feeds; Topics, Providers, Kinds), one `type="rss"` outline per
/// feed pointing at its RSS file.
fn opml(site: &Site, views: &[FeedView<'_>]) -> String {
    let mut out = String::new();
    let newest = views.iter().filter_map(FeedView::newest).max();
    let _ = writeln!(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    let _ = writeln!(out, "<opml version=\"2.0\">");
    let _ = writeln!(out, "  <head>");
    let _ = writeln!(out, "    <title>{}</title>", xml(&site.title));
    if let Some(newest) = newest {
        let _ = writeln!(
            out,
            "    <dateModified>{}</dateModified>",
            dates::rfc2822(&newest)
        );
    }
    let _ = writeln!(out, "    <docs>http://opml.org/spec2.opml</docs>");
    let _ = writeln!(out, "  </head>");
    let _ = writeln!(out, "  <body>");
    let mut open: Option<&FeedKind> = None;
    for view in views {
        let kind = &view.feed.kind;
        if open != Some(kind) {
            if open.is_some_and(|open| *open != FeedKind::All) {
                let _ = writeln!(out, "    </outline>");
            }
            if *kind != FeedKind::All {
                let name = section(kind);
                let _ = writeln!(out, "    <outline text=\"{name}\" title=\"{name}\">");
            }
            open = Some(kind);
        }
        let indent = if *kind == FeedKind::All {
            "    "
        } else {
            "      "
        };
        let text = view.feed.name.as_deref().unwrap_or(&view.title);
        let _ = writeln!(
            out,
            "{indent}<outline type=\"rss\" text=\"{}\" title=\"{}\" xmlUrl=\"{}\" htmlUrl=\"{}\"/>",
            xml(text),
            xml(&view.title),
            // The first format written: RSS unless it is turned off.
            xml(view.self_url(
                view.site
                    .formats
                    .first()
                    .copied()
                    .unwrap_or(FeedFormat::Rss)
            )),
            xml(view.home_page()),
        );
    }
    if open.is_some_and(|open| *open != FeedKind::All) {
        let _ = writeln!(out, "    </outline>");
    }
    let _ = writeln!(out, "  </body>");
    let _ = writeln!(out, "</opml>");
    out
}

/// A small, valid, accessible HTML page listing every feed.
fn index(site: &Site, views: &[FeedView<'_>]) -> String {
    let lang = site.language.as_deref().unwrap_or("en");
    let mut out = String::new();
    let _ = writeln!(out, "<!DOCTYPE html>");
    let _ = writeln!(out, "<html lang=\"{}\">", attr(lang));
    let _ = writeln!(out, "<head>");
    let _ = writeln!(out, "<meta charset=\"utf-8\">");
    let _ = writeln!(
        out,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    );
    let _ = writeln!(out, "<title>{} — feeds</title>", text(&site.title));
    for &format in &site.formats {
        let _ = writeln!(
            out,
            "<link rel=\"alternate\" type=\"{}\" title=\"{}\" href=\"{}\">",
            format.media_type(),
            attr(&site.title),
            attr(&site_url(site, format.file_name()))
        );
    }
    let _ = writeln!(
        out,
        "<link rel=\"outline\" type=\"text/x-opml\" href=\"{OPML}\">"
    );
    let _ = writeln!(out, "<style>{CSS}</style>");
    let _ = writeln!(out, "</head>");
    let _ = writeln!(out, "<body>");
    let _ = writeln!(out, "<main>");
    let _ = writeln!(out, "<h1>{}</h1>", text(&site.title));
    let _ = writeln!(out, "<p>{}</p>", text(&site.description));
    let _ = writeln!(
        out,
        "<p>Copy a feed's address into your feed reader to subscribe, or import <a href=\"{OPML}\">all feeds (OPML)</a>.</p>"
    );
    for kind in [
        FeedKind::All,
        FeedKind::Defined,
        FeedKind::Topic,
        FeedKind::Provider,
        FeedKind::Kind,
    ] {
        let rows: Vec<&FeedView<'_>> = views.iter().filter(|v| v.feed.kind == kind).collect();
        if rows.is_empty() {
            continue;
        }
        let name = section(&kind);
        let id = name.to_lowercase();
        let _ = writeln!(out, "<section aria-labelledby=\"{id}\">");
        let _ = writeln!(out, "<h2 id=\"{id}\">{name}</h2>");
        let _ = writeln!(out, "<table>");
        let _ = writeln!(
            out,
            "<thead><tr><th scope=\"col\">Feed</th><th scope=\"col\">Items</th><th scope=\"col\">Newest</th><th scope=\"col\">Formats</th></tr></thead>"
        );
        let _ = writeln!(out, "<tbody>");
        for view in rows {
            let label = view.feed.name.as_deref().unwrap_or(&view.title);
            let newest = view.newest().map_or_else(
                || "—".to_string(),
                |d| {
                    format!(
                        "<time datetime=\"{}\">{}</time>",
                        dates::rfc3339(&d),
                        d.format("%Y-%m-%d")
                    )
                },
            );
            let links: Vec<String> = site
                .formats
                .iter()
                .map(|format| {
                    let name = match format {
                        FeedFormat::Rss => "RSS",
                        FeedFormat::Atom => "Atom",
                        FeedFormat::Json => "JSON",
                    };
                    format!(
                        "<a href=\"{}{}\" type=\"{}\" aria-label=\"{} {name}\">{name}</a>",
                        attr(&view.feed.dir),
                        format.file_name(),
                        format.media_type(),
                        attr(label)
                    )
                })
                .collect();
            let _ = writeln!(
                out,
                "<tr><th scope=\"row\">{}</th><td>{}</td><td>{newest}</td><td>{}</td></tr>",
                text(label),
                view.feed.items.len(),
                links.join(" ")
            );
        }
        let _ = writeln!(out, "</tbody>");
        let _ = writeln!(out, "</table>");
        let _ = writeln!(out, "</section>");
    }
    let _ = writeln!(out, "</main>");
    let _ = writeln!(out, "</body>");
    let _ = writeln!(out, "</html>");
    out
}

const CSS: &str = "body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fff}main{max-width:60rem;margin:0 auto;padding:1rem}table{border-collapse:collapse;width:100%;margin-bottom:2rem}th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #ccc}td:nth-child(2){text-align:right}a{color:#0645ad}a:focus{outline:2px solid #0645ad}";

/// Turns an RSS 2.0 or Atom 1.0 feed into a readable page in a browser.
const XSL: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:media="http://search.yahoo.com/mrss/" exclude-result-prefixes="atom dc media">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>
  <xsl:template match="/">
    <xsl:variable name="title" select="rss/channel/title | atom:feed/atom:title"/>
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> (feed)</title>
        <style>body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a}main{max-width:48rem;margin:0 auto;padding:1rem}.note{background:#fff8d6;border:1px solid #e6d27a;padding:.5rem 1rem}article{border-bottom:1px solid #ddd;padding:.5rem 0}.meta{color:#555;font-size:.9rem}img{max-width:100%;height:auto}a{color:#0645ad}</style>
      </head>
      <body>
        <main>
          <p class="note">This is a web feed. Copy the address from the address bar into your feed reader to subscribe.</p>
          <h1><xsl:value-of select="$title"/></h1>
          <p><xsl:value-of select="rss/channel/description | atom:feed/atom:subtitle"/></p>
          <xsl:for-each select="rss/channel/item | atom:feed/atom:entry">
            <article>
              <h2><a href="{link | atom:link[@rel='alternate']/@href}"><xsl:value-of select="title | atom:title"/></a></h2>
              <p class="meta"><xsl:value-of select="dc:creator | atom:author/atom:name"/> · <xsl:value-of select="pubDate | atom:published"/></p>
              <xsl:if test="media:thumbnail/@url | atom:link[@rel='enclosure']/@href">
                <img src="{media:thumbnail/@url | atom:link[@rel='enclosure']/@href}" alt="" loading="lazy" width="320"/>
              </xsl:if>
              <p><xsl:value-of select="atom:summary"/><xsl:value-of select="description" disable-output-escaping="yes"/></p>
            </article>
          </xsl:for-each>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stylesheet_goes_after_the_declaration() {
        let out = with_stylesheet(b"<?xml version=\"1.0\"?>\n<rss/>", "../feed.xsl");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<?xml version=\"1.0\"?>\n<?xml-stylesheet type=\"text/xsl\" href=\"../feed.xsl\"?>\n<rss/>"
        );
    }
}

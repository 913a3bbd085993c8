//! The namespaces feed readers and the W3C service know: the feed formats themselves and the
//! extension vocabularies published for them. A namespace declared in a feed that is none of
//! these is `UnknownNamespace` (a warning: readers will ignore what is in it).
//!
//! The URIs are the ones each vocabulary's specification defines. A namespace written with a
//! different case or without its trailing `/` or `#` counts as the one it nearly is, as on the
//! W3C service (which reads such near misses as the real thing and reports them elsewhere).

use crate::xml::Element;
use crate::{Message, Sink};

/// Feed formats, the XML and markup namespaces content uses, and extension vocabularies.
const KNOWN: &[&str] = &[
    // Feed formats (Atom 1.0, RSS 0.90, 1.0 and 1.1, the Atom Publishing Protocol, OPML 2,
    // XRD / XRDS, KML, OpenSearch).
    "http://www.w3.org/2005/Atom",
    "http://my.netscape.com/rdf/simple/0.9/",
    "http://purl.org/rss/1.0/",
    "http://purl.org/net/rss1.1#",
    "http://www.w3.org/2007/app",
    "http://www.opml.org/spec2",
    "xri://$xrd*($v*2.0)",
    "xri://$xrds",
    "http://earth.google.com/kml/2.0",
    "http://earth.google.com/kml/2.1",
    "http://www.opengis.net/kml/2.2",
    "http://a9.com/-/spec/opensearch/1.1/",
    "http://a9.com/-/spec/opensearchrss/1.0/",
    // XML itself, RDF, and the markup content embeds.
    "http://www.w3.org/XML/1998/namespace",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/1999/xhtml",
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/1998/Math/MathML",
    "http://www.w3.org/1999/xlink",
    "http://schemas.xmlsoap.org/soap/envelope/",
    // Dublin Core and the RSS 1.0 modules (standard and proposed).
    "http://purl.org/dc/elements/1.1/",
    "http://purl.org/dc/terms/",
    "http://purl.org/rss/1.0/modules/aggregation/",
    "http://purl.org/rss/1.0/modules/annotate/",
    "http://purl.org/rss/1.0/modules/company",
    "http://purl.org/rss/1.0/modules/content/",
    "http://purl.org/rss/1.0/modules/email/",
    "http://purl.org/rss/1.0/modules/event/",
    "http://purl.org/rss/1.0/modules/image/",
    "http://purl.org/rss/1.0/modules/link/",
    "http://purl.org/rss/1.0/modules/reference/",
    "http://purl.org/rss/1.0/modules/richequiv/",
    "http://purl.org/rss/1.0/modules/rss091#",
    "http://purl.org/rss/1.0/modules/search/",
    "http://purl.org/rss/1.0/modules/servicestatus/",
    "http://purl.org/rss/1.0/modules/slash/",
    "http://purl.org/rss/1.0/modules/subscription/",
    "http://purl.org/rss/1.0/modules/syndication/",
    "http://purl.org/rss/1.0/modules/taxonomy/",
    "http://purl.org/rss/1.0/modules/threading/",
    "http://purl.org/rss/1.0/modules/wiki/",
    // Atom extensions: threading (RFC 4685), feed history (RFC 5005), indexing.
    "http://purl.org/syndication/thread/1.0",
    "http://purl.org/syndication/history/1.0",
    "urn:atom-extension:indexing",
    // RSS 2.0 extensions of UserLand and others.
    "http://backend.userland.com/blogChannelModule",
    "http://backend.userland.com/creativeCommonsRssModule",
    "http://web.resource.org/cc/",
    "http://webns.net/mvcb/",
    "http://madskills.com/public/xml/rss/module/trackback/",
    "http://wellformedweb.org/CommentAPI/",
    "http://www.usemod.com/cgi-bin/mb.pl?ModWiki",
    "http://hacks.benhammersley.com/rss/streaming/",
    "http://media.tangent.org/rss/1.0/",
    "http://my.theinfo.org/changed/1.0/rss/",
    // Podcasts and media: iTunes, Media RSS, the Conversations Network.
    "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "http://search.yahoo.com/mrss/",
    "http://conversationsnetwork.org/rssNamespace-1.0/",
    // Places: W3C Basic Geo, GeoRSS, GML, GeoURL, ICBM.
    "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "http://www.georss.org/georss",
    "http://www.opengis.net/gml",
    "http://geourl.org/rss/module/",
    "http://postneo.com/icbm",
    // Services' own vocabularies: Microsoft's common feed format, FeedBurner, Bloglines access
    // control, FeedSync, Google Base, FOAF, OpenID.
    "http://www.microsoft.com/schemas/rss/core/2005",
    "http://rssnamespace.org/feedburner/ext/1.0",
    "http://www.bloglines.com/about/specs/fac-1.0",
    "http://feedsync.org/2007/feedsync",
    "http://base.google.com/ns/1.0",
    "http://xmlns.com/foaf/0.1/",
    "http://openid.net/xmlns/1.0",
    // Vocabularies the W3C service recognises but does not check (it says so, as information):
    // Google Data, RawVoice, schema.org, Podcasting 2.0.
    "http://schemas.google.com/g/2005",
    "http://www.rawvoice.com/rawvoiceRssModule/",
    "https://schema.org/",
    "http://schema.org/",
    "https://podcastindex.org/namespace/1.0",
    "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md",
];

/// A namespace URI as compared here (in any case): without what follows its last letter, digit
/// or underscore (so `…/elements/1.1` is `…/elements/1.1/`).
fn near(uri: &str) -> &str {
    uri.trim_end_matches(|c: char| !(c.is_alphanumeric() || c == '_'))
}

/// Whether `uri` is (nearly) a namespace the validator knows.
pub(crate) fn known(uri: &str) -> bool {
    let uri = near(uri);
    !uri.is_empty() && KNOWN.iter().any(|k| near(k).eq_ignore_ascii_case(uri))
}

/// Reports every namespace declaration in the document that is no known vocabulary's, or,
/// when it is not even a URI, what is wrong with it. The Media RSS namespace without its slash
/// has a message of its own (`MediaRssNamespace`).
pub(crate) fn check(root: &Element, sink: &mut Sink<'_>) {
    for e in std::iter::once(root).chain(root.descendants()) {
        for (prefix, uri) in &e.declares {
            if uri == "http://search.yahoo.com/mrss" || known(uri) {
                continue;
            }
            let declaration = match prefix {
                Some(p) => format!("xmlns:{p}"),
                None => "xmlns".to_string(),
            };
            if !uri.is_empty()
                && let Err(problem) =
                    crate::checks::uri(uri, crate::checks::UriKind::Reference, true)
                && problem.is_error()
            {
                crate::elements::report_uri(
                    e.pos,
                    &declaration,
                    uri,
                    problem,
                    Message::InvalidIRI,
                    sink,
                );
            } else {
                sink.report(
                    e.pos,
                    Message::UnknownNamespace,
                    format!("{declaration}=\"{uri}\""),
                );
            }
        }
    }
}

/// In RSS 2.0, everything inside an extension element is in a namespace too: an element in
/// no namespace inside an unknown vocabulary's element is `NotInANamespace` (it would read as
/// RSS's own).
pub(crate) fn check_extension_children(root: &Element, sink: &mut Sink<'_>) {
    let rss2 = root.is(None, "rss") && root.attr("version").is_some_and(|v| v.starts_with("2."));
    if !rss2 {
        return;
    }
    for e in root.descendants() {
        let Some(ns) = e.ns.as_deref() else { continue };
        if known(ns) {
            continue;
        }
        for child in e.children.iter().filter(|c| c.ns.is_none()) {
            sink.report(
                child.pos,
                Message::NotInANamespace,
                format!("<{}> inside {} is in no namespace", child.local, e.qname()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_count_as_known() {
        assert!(known("http://purl.org/dc/elements/1.1/"));
        assert!(known("http://purl.org/dc/elements/1.1"));
        assert!(known("HTTP://www.w3.org/2005/Atom"));
        assert!(!known("http://example.com/private"));
        assert!(!known(""));
    }
}

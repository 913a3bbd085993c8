//! The built-in validator: every message it claims, shown failing on a feed that has the
//! problem and passing on the same feed without it; the `validate` command's exit statuses and
//! formats; `build --validate`.

use std::fs;

use newswire_validate::{Finding, MAX_BYTES, Message, Options, validate};

use crate::util::{self, Run, Site, newswire};

const NOW: &str = "2026-01-01T00:00:00Z";
const LOCATION_RSS: &str = "https://example.org/feeds/rss.xml";
const LOCATION_ATOM: &str = "https://example.org/feeds/atom.xml";
const LOCATION_JSON: &str = "https://example.org/feeds/feed.json";

/// A valid RSS 2.0 feed that uses every element the cases below change.
const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:media="http://search.yahoo.com/mrss/">
  <channel>
    <title>Example News</title>
    <link>https://example.org/</link>
    <description>All the news.</description>
    <language>en-us</language>
    <managingEditor>editor@example.org (Ed Itor)</managingEditor>
    <pubDate>Mon, 02 Jan 2006 15:04:05 +0000</pubDate>
    <lastBuildDate>Mon, 02 Jan 2006 15:04:05 +0000</lastBuildDate>
    <ttl>60</ttl>
    <atom:link href="https://example.org/feeds/rss.xml" rel="self" type="application/rss+xml"/>
    <image>
      <url>https://example.org/logo.png</url>
      <title>Example News</title>
      <link>https://example.org/</link>
      <width>88</width>
      <height>31</height>
    </image>
    <skipHours><hour>3</hour></skipHours>
    <skipDays><day>Sunday</day></skipDays>
    <item>
      <title>First story</title>
      <link>https://example.org/1</link>
      <description>&lt;p&gt;Read &lt;a href="https://example.org/1"&gt;more&lt;/a&gt;&lt;/p&gt;</description>
      <content:encoded><![CDATA[<p style="color: red">Full <img src="https://example.org/1.png"> text</p>]]></content:encoded>
      <author>reporter@example.org (Rep Orter)</author>
      <category>World</category>
      <guid isPermaLink="true">https://example.org/1</guid>
      <pubDate>Mon, 02 Jan 2006 15:04:05 +0000</pubDate>
      <enclosure url="https://example.org/1.mp3" length="1234" type="audio/mpeg"/>
      <media:content url="https://example.org/1.jpg" medium="image" width="600" height="400"/>
    </item>
    <item>
      <title>Second story</title>
      <link>https://example.org/2</link>
      <description>Plain words.</description>
      <guid isPermaLink="false">story-2-of-many</guid>
      <dc:date>2006-01-02T15:04:05Z</dc:date>
    </item>
  </channel>
</rss>
"#;

/// A valid Atom 1.0 feed.
const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Example News</title>
  <id>https://example.org/</id>
  <updated>2006-01-02T15:04:05Z</updated>
  <link rel="self" href="https://example.org/feeds/atom.xml" type="application/atom+xml"/>
  <link rel="alternate" href="https://example.org/" type="text/html"/>
  <author><name>Ed Itor</name><email>editor@example.org</email><uri>https://example.org/ed</uri></author>
  <icon>https://example.org/icon.png</icon>
  <entry>
    <title type="text">First story</title>
    <id>https://example.org/1</id>
    <updated>2006-01-02T15:04:05Z</updated>
    <published>2006-01-02T15:04:05Z</published>
    <link rel="alternate" href="https://example.org/1"/>
    <category term="world" label="World"/>
    <summary type="text">A summary.</summary>
    <content type="html">&lt;p&gt;Full &lt;b&gt;text&lt;/b&gt;&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Second story</title>
    <id>https://example.org/2</id>
    <updated>2006-01-03T15:04:05Z</updated>
    <link href="https://example.org/2"/>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Full text</p></div></content>
  </entry>
</feed>
"#;

/// A valid RSS 2.0 feed with `slash:comments` (the main template has a `lastBuildDate`).
const RSS_SLASH: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:slash="http://purl.org/rss/1.0/modules/slash/">
  <channel>
    <title>Example News</title>
    <link>https://example.org/</link>
    <description>All the news.</description>
    <atom:link href="https://example.org/feeds/rss.xml" rel="self" type="application/rss+xml"/>
    <item>
      <title>First story</title>
      <guid>https://example.org/1</guid>
      <slash:comments>3</slash:comments>
    </item>
  </channel>
</rss>
"#;

/// An Atom feed of ten entries, nine of them with one id.
const ATOM_TEN: &str = concat!(
    "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title><id>urn:example:feed</id>",
    "<updated>2006-01-02T15:04:05Z</updated><author><name>A</name></author>",
    "<link rel=\"self\" href=\"https://example.org/feeds/atom.xml\"/>\n",
    "<entry><title>Same</title><id>urn:example:same</id><updated>2006-01-02T15:04:05Z</updated><link href=\"https://example.org/same\"/></entry>\n",
    "<entry><title>Same</title><id>urn:example:same</id><updated>2006-01-02T15:04:05Z</updated><link href=\"https://example.org/same\"/></entry>\n",
    "<entry><title>Same</title><id>urn:example:same</id><updated>2006-01-02T15:04:05Z</updated><link href=\"https://example.org/same\"/></entry>\n",
    "<entry><title>Same</title><id>urn:example:same</id><updated>2006-01-02T15:04:05Z</updated><link href=\"https://example.org/same\"/></entry>\n",
    "<entry><title>Same</title><id>urn:example:same</id><updated>2006-01-02T15:04:05Z</updated><link href=\"https://example.org/same\"/></entry>\n",
    "<entry><title>Same</title><id>urn:example:same</id><updated>2006-01-02T15:04:05Z</updated><link href=\"https://example.org/same\"/></entry>\n",
    "<entry><title>Same</title><id>urn:example:same</id><updated>2006-01-02T15:04:05Z</updated><link href=\"https://example.org/same\"/></entry>\n",
    "<entry><title>Same</title><id>urn:example:same</id><updated>2006-01-02T15:04:05Z</updated><link href=\"https://example.org/same\"/></entry>\n",
    "<entry><title>Same</title><id>urn:example:same</id><updated>2006-01-02T15:04:05Z</updated><link href=\"https://example.org/same\"/></entry>\n",
    "<entry><title>Other</title><id>urn:example:other</id><updated>2006-01-02T15:04:05Z</updated><link href=\"https://example.org/same\"/></entry>\n",
    "</feed>\n",
);

/// A valid JSON Feed 1.1.
const JSON: &str = r#"{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "Example News",
  "home_page_url": "https://example.org/",
  "feed_url": "https://example.org/feeds/feed.json",
  "language": "en",
  "items": [
    {
      "id": "https://example.org/1",
      "url": "https://example.org/1",
      "title": "First story",
      "content_html": "<p>Full <a href=\"https://example.org/x\">text</a></p>",
      "date_published": "2006-01-02T15:04:05Z",
      "attachments": [{"url": "https://example.org/1.mp3", "mime_type": "audio/mpeg"}]
    },
    {
      "id": "https://example.org/2",
      "content_text": "Plain words."
    }
  ]
}
"#;

/// One case: in `base`, replace `from` with `bad` to get the message, with `good` not to.
pub(crate) struct Case {
    message: Message,
    base: &'static str,
    from: &'static str,
    bad: &'static str,
    good: &'static str,
}

pub(crate) const fn case(
    message: Message,
    base: &'static str,
    from: &'static str,
    bad: &'static str,
    good: &'static str,
) -> Case {
    Case {
        message,
        base,
        from,
        bad,
        good,
    }
}

use Message as M;

const ITEM1_TITLE: &str = "<title>First story</title>";
const PUBDATE: &str = "<pubDate>Mon, 02 Jan 2006 15:04:05 +0000</pubDate>\n    <lastBuildDate>";
const ITEM_GUID: &str = r#"<guid isPermaLink="true">https://example.org/1</guid>"#;
const ENCLOSURE: &str =
    r#"<enclosure url="https://example.org/1.mp3" length="1234" type="audio/mpeg"/>"#;
const CONTENT_ENCODED: &str = r#"<content:encoded><![CDATA[<p style="color: red">Full <img src="https://example.org/1.png"> text</p>]]></content:encoded>"#;
const ENTRY_CONTENT: &str =
    r#"<content type="html">&lt;p&gt;Full &lt;b&gt;text&lt;/b&gt;&lt;/p&gt;</content>"#;
const ENTRY_LINK: &str = r#"<link rel="alternate" href="https://example.org/1"/>"#;
const SELF_ATOM: &str =
    r#"<link rel="self" href="https://example.org/feeds/atom.xml" type="application/atom+xml"/>"#;
const SELF_RSS: &str = r#"<atom:link href="https://example.org/feeds/rss.xml" rel="self" type="application/rss+xml"/>"#;

fn cases() -> Vec<Case> {
    vec![
        case(
            M::SAXError,
            RSS,
            "<title>Example News</title>",
            "<title>Example News</titel>",
            "<title>Example News</title>",
        ),
        case(
            M::SAXError,
            RSS,
            "All the news.",
            "All the news&nbsp;",
            "All the news&#160;",
        ),
        case(
            M::UnicodeError,
            RSS,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "\u{feff}<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>",
            "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
        ),
        case(
            M::InvalidJson,
            JSON,
            "\"title\": \"Example News\",",
            "\"title\": \"Example News\"",
            "\"title\": \"Example News\",",
        ),
        case(
            M::UndefinedElement,
            RSS,
            "<ttl>60</ttl>",
            "<ttl>60</ttl><colour>red</colour>",
            "<ttl>60</ttl>",
        ),
        case(
            M::UndefinedElement,
            ATOM,
            "<icon>",
            "<foo>x</foo><icon>",
            "<icon>",
        ),
        case(
            M::MissingElement,
            ATOM,
            "<id>https://example.org/</id>",
            "",
            "<id>https://example.org/</id>",
        ),
        case(
            M::MissingElement,
            ATOM,
            "<author><name>Ed Itor</name>",
            "<author>",
            "<author><name>Ed Itor</name>",
        ),
        case(
            M::MissingElement,
            JSON,
            "\"title\": \"Example News\",",
            "",
            "\"title\": \"Example News\",",
        ),
        case(
            M::MissingTitle,
            RSS,
            "<title>Example News</title>\n    <link>",
            "<link>",
            "<title>Example News</title>\n    <link>",
        ),
        case(
            M::MissingLink,
            RSS,
            "<link>https://example.org/</link>\n    <description>",
            "<description>",
            "<link>https://example.org/</link>\n    <description>",
        ),
        case(
            M::MissingDescription,
            RSS,
            "<description>All the news.</description>",
            "",
            "<description>All the news.</description>",
        ),
        case(
            M::MissingAttribute,
            RSS,
            ENCLOSURE,
            r#"<enclosure url="https://example.org/1.mp3" type="audio/mpeg"/>"#,
            ENCLOSURE,
        ),
        case(
            M::MissingAttribute,
            ATOM,
            r#"<category term="world" label="World"/>"#,
            r#"<category label="World"/>"#,
            r#"<category term="world"/>"#,
        ),
        case(
            M::DuplicateElement,
            RSS,
            "<ttl>60</ttl>",
            "<ttl>60</ttl><ttl>60</ttl>",
            "<ttl>60</ttl>",
        ),
        case(
            M::ItemMustContainTitleOrDescription,
            RSS,
            "<title>Second story</title>\n      <link>https://example.org/2</link>\n      <description>Plain words.</description>",
            "<link>https://example.org/2</link>",
            "<link>https://example.org/2</link><description>Plain words.</description>",
        ),
        case(
            M::InvalidRFC2822Date,
            RSS,
            PUBDATE,
            "<pubDate>2006-01-02T15:04:05Z</pubDate>\n    <lastBuildDate>",
            PUBDATE,
        ),
        case(
            M::ProblematicalRFC822Date,
            RSS,
            PUBDATE,
            "<pubDate>Mon, 02 Jan 06 15:04:05 +0000</pubDate>\n    <lastBuildDate>",
            PUBDATE,
        ),
        case(
            M::IncorrectDOW,
            RSS,
            PUBDATE,
            "<pubDate>Tue, 02 Jan 2006 15:04:05 +0000</pubDate>\n    <lastBuildDate>",
            PUBDATE,
        ),
        case(
            M::InvalidRFC3339Date,
            ATOM,
            "<published>2006-01-02T15:04:05Z</published>",
            "<published>2006-01-02 15:04:05</published>",
            "<published>2006-01-02T15:04:05+01:00</published>",
        ),
        case(
            M::InvalidRFC3339Date,
            JSON,
            "\"date_published\": \"2006-01-02T15:04:05Z\"",
            "\"date_published\": \"Mon, 02 Jan 2006\"",
            "\"date_published\": \"2006-01-02T15:04:05.5Z\"",
        ),
        case(
            M::InvalidW3CDTFDate,
            RSS,
            "<dc:date>2006-01-02T15:04:05Z</dc:date>",
            "<dc:date>02/01/2006</dc:date>",
            "<dc:date>2006-01</dc:date>",
        ),
        case(
            M::ImplausibleDate,
            RSS,
            PUBDATE,
            "<pubDate>Mon, 02 Jan 1989 15:04:05 +0000</pubDate>\n    <lastBuildDate>",
            PUBDATE,
        ),
        case(
            M::ImplausibleDate,
            ATOM,
            "<published>2006-01-02T15:04:05Z</published>",
            "<published>2027-01-02T15:04:05Z</published>",
            "<published>2025-12-31T23:59:59Z</published>",
        ),
        case(
            M::InvalidFullLink,
            RSS,
            "<link>https://example.org/1</link>",
            "<link>/1</link>",
            "<link>https://example.org/1</link>",
        ),
        case(
            M::InvalidFullLink,
            RSS,
            "<ttl>60</ttl>",
            "<ttl>60</ttl><cc:license xmlns:cc=\"http://backend.userland.com/creativeCommonsRssModule\">by-nc</cc:license>",
            "<ttl>60</ttl><cc:license xmlns:cc=\"http://backend.userland.com/creativeCommonsRssModule\">https://creativecommons.org/licenses/by-nc/4.0/</cc:license>",
        ),
        case(
            M::UndefinedElement,
            RSS,
            "<ttl>60</ttl>",
            "<ttl>60</ttl><sy:updateEvery xmlns:sy=\"http://purl.org/rss/1.0/modules/syndication/\">2</sy:updateEvery>",
            "<ttl>60</ttl><sy:updateFrequency xmlns:sy=\"http://purl.org/rss/1.0/modules/syndication/\">2</sy:updateFrequency>",
        ),
        case(
            M::InvalidPositiveInteger,
            RSS,
            "<ttl>60</ttl>",
            "<ttl>60</ttl><sy:updateFrequency xmlns:sy=\"http://purl.org/rss/1.0/modules/syndication/\">0</sy:updateFrequency>",
            "<ttl>60</ttl><sy:updateFrequency xmlns:sy=\"http://purl.org/rss/1.0/modules/syndication/\">2</sy:updateFrequency>",
        ),
        case(
            M::SecurityRisk,
            RSS,
            ITEM1_TITLE,
            "<title>First story</title><body xmlns=\"http://www.w3.org/1999/xhtml\"><p>x</p><blink>y</blink></body>",
            "<title>First story</title><body xmlns=\"http://www.w3.org/1999/xhtml\"><p>x</p><em>y</em></body>",
        ),
        case(
            M::InvalidIntegerAttribute,
            RSS,
            "<ttl>60</ttl>",
            "<ttl>60</ttl><cloud domain=\"rpc.example.org\" port=\"0\" path=\"/RPC2\" registerProcedure=\"p\" protocol=\"xml-rpc\"/>",
            "<ttl>60</ttl><cloud domain=\"rpc.example.org\" port=\"80\" path=\"/RPC2\" registerProcedure=\"p\" protocol=\"xml-rpc\"/>",
        ),
        case(
            M::DuplicateElement,
            RSS,
            ITEM1_TITLE,
            "<title>First story</title><media:title>A</media:title><media:title>B</media:title>",
            "<title>First story</title><media:title>A</media:title><media:description>B</media:description>",
        ),
        case(
            M::MissingRealName,
            RSS,
            "<author>reporter@example.org (Rep Orter)</author>",
            "<author>mailto:reporter%40example.org</author>",
            "<author>mailto:reporter%40example.org%20%28Rep%20Orter%29</author>",
        ),
        case(
            M::InvalidFullLink,
            JSON,
            "\"url\": \"https://example.org/1\"",
            "\"url\": \"example.org/1\"",
            "\"url\": \"https://example.org/1\"",
        ),
        case(
            M::InvalidIRI,
            ATOM,
            "<uri>https://example.org/ed</uri>",
            "<uri>http:/ed</uri>",
            "<uri>/ed</uri>",
        ),
        case(
            M::InvalidURIAttribute,
            ATOM,
            ENTRY_CONTENT,
            r#"<content src="http:/x" type="text/html"/>"#,
            r#"<content src="https://example.org/x" type="text/html"/>"#,
        ),
        case(
            M::InvalidURLAttribute,
            RSS,
            ENCLOSURE,
            r#"<enclosure url="ftp://example.org/1.mp3" length="1234" type="audio/mpeg"/>"#,
            ENCLOSURE,
        ),
        case(
            M::InvalidUriChar,
            RSS,
            "<link>https://example.org/1</link>",
            "<link>https://example.org/a b</link>",
            "<link>https://example.org/a%20b</link>",
        ),
        case(
            M::InvalidTAG,
            ATOM,
            "<id>https://example.org/2</id>",
            "<id>tag:example.org:2</id>",
            "<id>tag:example.org,2006:2</id>",
        ),
        case(
            M::NonCanonicalURI,
            ATOM,
            "<id>https://example.org/2</id>",
            "<id>HTTPS://Example.org:443/2</id>",
            "<id>https://example.org/2</id>",
        ),
        case(
            M::InvalidHttpGUID,
            RSS,
            ITEM_GUID,
            r#"<guid>story-1</guid>"#,
            r#"<guid isPermaLink="false">story-1</guid>"#,
        ),
        case(
            M::InvalidPermalink,
            RSS,
            ITEM_GUID,
            r#"<guid>tag:example.org,2006:1</guid>"#,
            r#"<guid isPermaLink="false">tag:example.org,2006:1</guid>"#,
        ),
        case(
            M::InvalidBooleanAttribute,
            RSS,
            ITEM_GUID,
            r#"<guid isPermaLink="yes">https://example.org/1</guid>"#,
            ITEM_GUID,
        ),
        case(
            M::DuplicateValue,
            RSS,
            "story-2-of-many",
            "https://example.org/1",
            "story-2-of-many",
        ),
        case(
            M::DuplicateEntries,
            ATOM,
            "<id>https://example.org/2</id>",
            "<id>https://example.org/1</id>",
            "<id>https://example.org/2</id>",
        ),
        case(
            M::DuplicateEntries,
            JSON,
            "\"id\": \"https://example.org/2\"",
            "\"id\": \"https://example.org/1\"",
            "\"id\": \"https://example.org/2\"",
        ),
        case(
            M::DuplicateUpdated,
            ATOM,
            "<updated>2006-01-03T15:04:05Z</updated>",
            "<updated>2006-01-02T15:04:05Z</updated>",
            "<updated>2006-01-03T15:04:05Z</updated>",
        ),
        case(
            M::InvalidContact,
            RSS,
            "<author>reporter@example.org (Rep Orter)</author>",
            "<author>Rep Orter</author>",
            "<author>reporter@example.org (Rep Orter)</author>",
        ),
        case(
            M::MissingRealName,
            RSS,
            "<managingEditor>editor@example.org (Ed Itor)</managingEditor>",
            "<managingEditor>editor@example.org</managingEditor>",
            "<managingEditor>editor@example.org (Ed Itor)</managingEditor>",
        ),
        case(
            M::InvalidAddrSpec,
            ATOM,
            "<email>editor@example.org</email>",
            "<email>editor at example.org</email>",
            "<email>editor@example.org</email>",
        ),
        case(
            M::ContainsEmail,
            ATOM,
            "<name>Ed Itor</name>",
            "<name>Ed Itor &lt;editor@example.org&gt;</name>",
            "<name>Ed Itor @&gt;&lt; (editor)</name>",
        ),
        case(
            M::ContainsHTML,
            RSS,
            ITEM1_TITLE,
            "<title>First &lt;b&gt;story&lt;/b&gt;</title>",
            "<title>First story: a &lt; b</title>",
        ),
        case(
            M::ContainsHTML,
            RSS,
            ITEM1_TITLE,
            "<title>First story&amp;#8217;s</title>",
            "<title>First story&#x2019;s</title>",
        ),
        case(
            M::ContainsHTML,
            JSON,
            "\"title\": \"First story\"",
            "\"title\": \"First <em>story</em>\"",
            "\"title\": \"First story\"",
        ),
        case(
            M::ContainsUndeclaredHTML,
            ATOM,
            r#"<title type="text">First story</title>"#,
            r#"<title type="text">First &lt;b&gt;story&lt;/b&gt;</title>"#,
            r#"<title type="html">First &lt;b&gt;story&lt;/b&gt;</title>"#,
        ),
        case(
            M::ContainsRelRef,
            RSS,
            "&lt;a href=\"https://example.org/1\"&gt;",
            "&lt;a href=\"/1\"&gt;",
            "&lt;a href=\"https://example.org/1\"&gt;",
        ),
        case(
            M::ContainsRelRef,
            JSON,
            "href=\\\"https://example.org/x\\\"",
            "href=\\\"x.html\\\"",
            "href=\\\"https://example.org/x\\\"",
        ),
        case(
            M::SecurityRisk,
            RSS,
            CONTENT_ENCODED,
            "<content:encoded><![CDATA[<p>x</p><script>alert(1)</script>]]></content:encoded>",
            "<content:encoded><![CDATA[<p>x</p><code>alert(1)</code>]]></content:encoded>",
        ),
        case(
            M::SecurityRisk,
            ATOM,
            ENTRY_CONTENT,
            r#"<content type="html">&lt;iframe src="https://example.org/"&gt;&lt;/iframe&gt;</content>"#,
            ENTRY_CONTENT,
        ),
        case(
            M::SecurityRisk,
            ATOM,
            "<p>Full text</p>",
            "<p>Full text</p><script>x()</script>",
            "<p>Full text</p>",
        ),
        case(
            M::SecurityRiskAttr,
            RSS,
            CONTENT_ENCODED,
            r#"<content:encoded><![CDATA[<p onclick="x()">x</p>]]></content:encoded>"#,
            r#"<content:encoded><![CDATA[<p class="x">x</p>]]></content:encoded>"#,
        ),
        case(
            M::DangerousStyleAttr,
            RSS,
            CONTENT_ENCODED,
            r#"<content:encoded><![CDATA[<p style="background: url(x.png)">x</p>]]></content:encoded>"#,
            CONTENT_ENCODED,
        ),
        case(
            M::NotBlank,
            RSS,
            ITEM1_TITLE,
            "<title></title>",
            ITEM1_TITLE,
        ),
        case(
            M::NotBlank,
            ATOM,
            "<summary type=\"text\">A summary.</summary>",
            "<summary type=\"text\"></summary>",
            "<summary type=\"text\">A summary.</summary>",
        ),
        case(
            M::NeedDescriptionBeforeContent,
            RSS,
            "<description>&lt;p&gt;Read &lt;a href=\"https://example.org/1\"&gt;more&lt;/a&gt;&lt;/p&gt;</description>",
            "",
            "<description>Read more.</description>",
        ),
        case(
            M::InvalidTextType,
            ATOM,
            r#"<title type="text">First story</title>"#,
            r#"<title type="text/plain">First story</title>"#,
            r#"<title type="text">First story</title>"#,
        ),
        case(
            M::InvalidMIMEType,
            ATOM,
            SELF_ATOM,
            r#"<link rel="self" href="https://example.org/feeds/atom.xml" type="atom"/>"#,
            SELF_ATOM,
        ),
        case(
            M::InvalidMIMEType,
            JSON,
            "\"mime_type\": \"audio/mpeg\"",
            "\"mime_type\": \"mp3\"",
            "\"mime_type\": \"audio/mpeg\"",
        ),
        case(
            M::InvalidMIMEAttribute,
            RSS,
            ENCLOSURE,
            r#"<enclosure url="https://example.org/1.mp3" length="1234" type="mp3"/>"#,
            ENCLOSURE,
        ),
        case(
            M::MissingXhtmlDiv,
            ATOM,
            r#"<div xmlns="http://www.w3.org/1999/xhtml"><p>Full text</p></div>"#,
            r#"<p xmlns="http://www.w3.org/1999/xhtml">Full text</p>"#,
            r#"<div xmlns="http://www.w3.org/1999/xhtml"><p>Full text</p></div>"#,
        ),
        case(
            M::InvalidPositiveInteger,
            RSS,
            "<ttl>60</ttl>",
            "<ttl>an hour</ttl>",
            "<ttl>60</ttl>",
        ),
        case(
            M::InvalidNonNegativeInteger,
            RSS,
            ENCLOSURE,
            r#"<enclosure url="https://example.org/1.mp3" length="-5" type="audio/mpeg"/>"#,
            r#"<enclosure url="https://example.org/1.mp3" length="0" type="audio/mpeg"/>"#,
        ),
        case(
            M::InvalidIntegerAttribute,
            RSS,
            ENCLOSURE,
            r#"<enclosure url="https://example.org/1.mp3" length="big" type="audio/mpeg"/>"#,
            ENCLOSURE,
        ),
        case(
            M::UseZeroForUnknown,
            RSS,
            ENCLOSURE,
            r#"<enclosure url="https://example.org/1.mp3" length="-1" type="audio/mpeg"/>"#,
            r#"<enclosure url="https://example.org/1.mp3" length="0" type="audio/mpeg"/>"#,
        ),
        case(
            M::InvalidWidth,
            RSS,
            "<width>88</width>",
            "<width>200</width>",
            "<width>144</width>",
        ),
        case(
            M::InvalidHeight,
            RSS,
            "<height>31</height>",
            "<height>401</height>",
            "<height>400</height>",
        ),
        case(
            M::InvalidDay,
            RSS,
            "<day>Sunday</day>",
            "<day>sunday</day>",
            "<day>Sunday</day>",
        ),
        case(
            M::InvalidHour,
            RSS,
            "<hour>3</hour>",
            "<hour>25</hour>",
            "<hour>24</hour>",
        ),
        case(
            M::DuplicateValue,
            RSS,
            "<hour>3</hour>",
            "<hour>0</hour><hour>24</hour>",
            "<hour>0</hour><hour>23</hour>",
        ),
        case(
            M::InvalidLanguage,
            RSS,
            "<language>en-us</language>",
            "<language>English</language>",
            "<language>de</language>",
        ),
        case(
            M::InvalidLanguage,
            ATOM,
            "<feed xmlns=\"http://www.w3.org/2005/Atom\">",
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"qq-QQ\">",
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fre-CA\">",
        ),
        case(
            M::InvalidLanguage,
            JSON,
            "\"language\": \"en\"",
            "\"language\": \"en_US\"",
            "\"language\": \"en-US\"",
        ),
        case(
            M::MissingGuid,
            RSS,
            r#"<guid isPermaLink="false">story-2-of-many</guid>"#,
            "",
            r#"<guid isPermaLink="false">story-2-of-many</guid>"#,
        ),
        case(M::MissingAtomSelfLink, RSS, SELF_RSS, "", SELF_RSS),
        case(M::MissingSelf, ATOM, SELF_ATOM, "", SELF_ATOM),
        case(
            M::MissingSelf,
            JSON,
            "\"feed_url\": \"https://example.org/feeds/feed.json\",",
            "",
            "\"feed_url\": \"https://example.org/feeds/feed.json\",",
        ),
        case(
            M::SelfDoesntMatchLocation,
            RSS,
            SELF_RSS,
            r#"<atom:link href="https://example.org/rss.xml" rel="self" type="application/rss+xml"/>"#,
            SELF_RSS,
        ),
        case(
            M::SelfDoesntMatchLocation,
            ATOM,
            SELF_ATOM,
            r#"<link rel="self" href="https://example.org/other.xml"/>"#,
            SELF_ATOM,
        ),
        case(
            M::SelfDoesntMatchLocation,
            JSON,
            "\"feed_url\": \"https://example.org/feeds/feed.json\"",
            "\"feed_url\": \"https://example.org/feed.json\"",
            "\"feed_url\": \"https://example.org/feeds/feed.json\"",
        ),
        case(
            M::RelativeSelf,
            ATOM,
            SELF_ATOM,
            r#"<link rel="self" href="atom.xml"/>"#,
            r#"<link rel="self" href="atom.xml" xml:base="https://example.org/feeds/"/>"#,
        ),
        case(
            M::DuplicateAtomLink,
            ATOM,
            ENTRY_LINK,
            r#"<link rel="alternate" href="https://example.org/1"/><link href="https://example.org/1b"/>"#,
            r#"<link rel="alternate" href="https://example.org/1"/><link href="https://example.org/1b" hreflang="de"/>"#,
        ),
        case(
            M::MissingHref,
            ATOM,
            ENTRY_LINK,
            r#"<link rel="alternate"/>"#,
            ENTRY_LINK,
        ),
        case(
            M::UnregisteredAtomLinkRel,
            ATOM,
            ENTRY_LINK,
            r#"<link rel="alternate" href="https://example.org/1"/><link rel="bogus" href="https://example.org/b"/>"#,
            r#"<link rel="alternate" href="https://example.org/1"/><link rel="https://example.org/rels/b" href="https://example.org/b"/>"#,
        ),
        case(
            M::MissingContentOrAlternate,
            ATOM,
            "<link href=\"https://example.org/2\"/>\n    <content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Full text</p></div></content>",
            "<summary>s</summary>",
            "<link href=\"https://example.org/2\"/><summary>s</summary>",
        ),
        case(
            M::MissingSummary,
            ATOM,
            "<summary type=\"text\">A summary.</summary>\n    ",
            "<content type=\"audio/mpeg\" src=\"https://example.org/1.mp3\"/>",
            "<summary>s</summary><content type=\"audio/mpeg\" src=\"https://example.org/1.mp3\"/>",
        ),
        case(
            M::MissingTextualContent,
            ATOM,
            "\n    <content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Full text</p></div></content>",
            "",
            "<summary>s</summary>",
        ),
        case(
            M::ImageLinkDoesntMatch,
            RSS,
            "<link>https://example.org/</link>\n      <width>",
            "<link>https://example.org/other</link>\n      <width>",
            "<link>https://example.org/</link>\n      <width>",
        ),
        case(
            M::ImageTitleDoesntMatch,
            RSS,
            "<title>Example News</title>\n      <link>",
            "<title>Our logo</title>\n      <link>",
            "<title>Example News</title>\n      <link>",
        ),
        case(
            M::ImageUrlFormat,
            RSS,
            "<url>https://example.org/logo.png</url>",
            "<url>https://example.org/logo.svg</url>",
            "<url>https://example.org/logo.jpeg</url>",
        ),
        case(
            M::DuplicateEnclosure,
            RSS,
            ENCLOSURE,
            r#"<enclosure url="https://example.org/1.mp3" length="1234" type="audio/mpeg"/><enclosure url="https://example.org/1.ogg" length="1" type="audio/ogg"/>"#,
            ENCLOSURE,
        ),
        case(
            M::MediaRssNamespace,
            RSS,
            "xmlns:media=\"http://search.yahoo.com/mrss/\"",
            "xmlns:media=\"http://search.yahoo.com/mrss\"",
            "xmlns:media=\"http://search.yahoo.com/mrss/\"",
        ),
        case(
            M::InvalidMediaMedium,
            RSS,
            "medium=\"image\"",
            "medium=\"photo\"",
            "medium=\"video\"",
        ),
        case(
            M::ReservedPrefix,
            RSS,
            "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"",
            "xmlns:dc=\"http://example.org/dc\"",
            "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"",
        ),
        case(
            M::AvoidNamespacePrefix,
            ATOM,
            "<feed xmlns=\"http://www.w3.org/2005/Atom\">",
            "<a:feed xmlns:a=\"http://www.w3.org/2005/Atom\" xmlns=\"http://www.w3.org/2005/Atom\">",
            "<feed xmlns=\"http://www.w3.org/2005/Atom\">",
        ),
        case(
            M::AttrNotBlank,
            ATOM,
            "<title type=\"text\">First story</title>",
            "<title type=\"\">First story</title>",
            "<title type=\"text\">First story</title>",
        ),
        case(
            M::InvalidURN,
            ATOM,
            "<id>https://example.org/1</id>",
            "<id>urn:a.b:1</id>",
            "<id>urn:example:1</id>",
        ),
        case(
            M::InvalidUUID,
            ATOM,
            "<id>https://example.org/1</id>",
            "<id>urn:uuid:1225c695</id>",
            "<id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>",
        ),
        case(
            M::SchemeNotIANARegistered,
            RSS,
            "<link>https://example.org/1</link>",
            "<link>feed://example.org/1</link>",
            "<link>https://example.org/1</link>",
        ),
        case(
            M::UnexpectedWhitespace,
            ATOM,
            "<icon>https://example.org/icon.png</icon>",
            "<icon> https://example.org/icon.png\n</icon>",
            "<icon>https://example.org/icon.png</icon>",
        ),
        case(
            M::NotHtml,
            ATOM,
            ENTRY_CONTENT,
            "<content type=\"html\">&lt;p&gt;Full &lt;blurb&gt;text&lt;/blurb&gt;&lt;/p&gt;</content>",
            ENTRY_CONTENT,
        ),
        case(
            M::NotHtml,
            ATOM,
            ENTRY_CONTENT,
            "<content type=\"html\">&lt;p&gt;Full &lt;b</content>",
            ENTRY_CONTENT,
        ),
        case(
            M::NotInline,
            ATOM,
            "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Full text</p></div>",
            "<div xmlns=\"http://www.w3.org/1999/xhtml\">&lt;p&gt;Full text&lt;/p&gt;</div>",
            "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Full text</p></div>",
        ),
        case(
            M::HtmlFragment,
            ATOM,
            ENTRY_CONTENT,
            "<content type=\"text/html\">&lt;p&gt;Full&lt;/p&gt;</content>",
            "<content type=\"text/html\">&lt;html&gt;&lt;p&gt;Full&lt;/p&gt;&lt;/html&gt;</content>",
        ),
        case(
            M::NotEscaped,
            ATOM,
            ENTRY_CONTENT,
            "<content type=\"html\" mode=\"escaped\"><p>Full</p></content>",
            "<content type=\"html\" mode=\"escaped\">&lt;p&gt;Full&lt;/p&gt;</content>",
        ),
        case(
            M::MissingNamespace,
            ATOM,
            "<feed xmlns=\"http://www.w3.org/2005/Atom\">",
            "<feed>",
            "<feed xmlns=\"http://www.w3.org/2005/Atom\">",
        ),
        case(
            M::MissingNamespace,
            ATOM,
            "<p>Full text</p>",
            "<p>Full <b xmlns=\"\">text</b></p>",
            "<p>Full <b>text</b></p>",
        ),
        case(
            M::InvalidNamespace,
            ATOM,
            "<feed xmlns=\"http://www.w3.org/2005/Atom\">",
            "<feed xmlns=\"http://www.w3.org/2005/atom\">",
            "<feed xmlns=\"http://www.w3.org/2005/Atom\">",
        ),
        case(
            M::InvalidNamespace,
            RSS,
            "<rss version=\"2.0\"",
            "<rss xmlns=\"http://backend.userland.com/rss2\" version=\"2.0\"",
            "<rss version=\"2.0\"",
        ),
        case(
            M::ObsoleteNamespace,
            ATOM,
            "<feed xmlns=\"http://www.w3.org/2005/Atom\">",
            "<feed xmlns=\"http://purl.org/atom/ns#\">",
            "<feed xmlns=\"http://www.w3.org/2005/Atom\">",
        ),
        case(
            M::UnknownNamespace,
            ATOM,
            "<feed xmlns=\"http://www.w3.org/2005/Atom\">",
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:nw=\"https://example.org/ns/newswire\">",
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:dc=\"http://purl.org/dc/elements/1.1\">",
        ),
        case(
            M::UndeterminableVocabulary,
            ATOM,
            "<icon>",
            "<colour xmlns=\"\">red</colour><icon>",
            "<icon>",
        ),
        case(
            M::AtomLinkNotEmpty,
            ATOM,
            ENTRY_LINK,
            "<link rel=\"alternate\" href=\"https://example.org/1\">the story</link>",
            "<link rel=\"alternate\" href=\"https://example.org/1\">\n    </link>",
        ),
        case(
            M::EmailFormat,
            RSS,
            "<author>reporter@example.org (Rep Orter)</author>",
            "<author>Rep Orter &lt;reporter@example.org&gt;</author>",
            "<author>reporter@example.org (Rep Orter)</author>",
        ),
        case(
            M::CharacterData,
            RSS,
            ITEM1_TITLE,
            "<title>First &lt;b story</title>",
            "<title>First &#x3C;b story</title>",
        ),
        case(
            M::CharacterData,
            RSS,
            ITEM1_TITLE,
            "<title><![CDATA[First <b story]]></title>",
            "<title><![CDATA[First < b story]]></title>",
        ),
        case(
            M::UnexpectedText,
            RSS,
            "<skipDays><day>Sunday</day></skipDays>",
            "<skipDays>on <day>Sunday</day></skipDays>",
            "<skipDays> <day>Sunday</day> </skipDays>",
        ),
        case(
            M::UnexpectedText,
            ATOM,
            "<content type=\"xhtml\">",
            "<content src=\"https://example.org/2.html\" type=\"text/html\">text",
            "<content src=\"https://example.org/2.html\" type=\"text/html\"><!-- none -->",
        ),
        case(
            M::MissingSourceElement,
            ATOM,
            "<summary type=\"text\">A summary.</summary>",
            "<source><title>Elsewhere</title></source><summary type=\"text\">A summary.</summary>",
            "<source><id>https://example.net/</id><title>Elsewhere</title><updated>2006-01-01T00:00:00Z</updated></source><summary type=\"text\">A summary.</summary>",
        ),
        case(
            M::UnknownHost,
            ATOM,
            "<email>editor@example.org</email>",
            "<email>editor@example</email>",
            "<email>editor@example.org</email>",
        ),
        case(
            M::UseZeroForMidnight,
            RSS,
            "<hour>3</hour>",
            "<hour>24</hour>",
            "<hour>0</hour>",
        ),
        case(
            M::EightDaysAWeek,
            RSS,
            "<day>Sunday</day>",
            "<day>Monday</day><day>Tuesday</day><day>Wednesday</day><day>Thursday</day><day>Friday</day><day>Saturday</day><day>Sunday</day><day>Monday</day>",
            "<day>Monday</day><day>Tuesday</day><day>Wednesday</day><day>Thursday</day><day>Friday</day><day>Saturday</day><day>Sunday</day>",
        ),
        case(
            M::InvalidFormComponentName,
            RSS,
            "<skipDays>",
            "<textInput><title>Search</title><description>Search</description><name>42</name><link>https://example.org/search</link></textInput><skipDays>",
            "<textInput><title>Search</title><description>Search</description><name>q</name><link>https://example.org/search</link></textInput><skipDays>",
        ),
        case(
            M::NotSufficientlyUnique,
            RSS,
            "<guid isPermaLink=\"false\">story-2-of-many</guid>",
            "<guid isPermaLink=\"false\">1234</guid>",
            "<guid isPermaLink=\"false\">123456789</guid>",
        ),
        case(
            M::MisplacedItem,
            RSS,
            "</channel>",
            "<docs>https://www.rssboard.org/rss-specification</docs></channel>",
            "</channel>",
        ),
        case(
            M::AvoidTextInput,
            RSS,
            "<skipDays>",
            "<textInput><title>Search</title><description>Search</description><name>q</name><link>https://example.org/search</link></textInput><skipDays>",
            "<skipDays>",
        ),
        case(
            M::SlashDate,
            RSS_SLASH,
            "<description>All the news.</description>",
            "<description>All the news.</description>",
            "<description>All the news.</description><lastBuildDate>Mon, 02 Jan 2006 15:04:05 +0000</lastBuildDate>",
        ),
        case(
            M::UnknownEncoding,
            RSS,
            "encoding=\"UTF-8\"",
            "encoding=\"KLINGON\"",
            "encoding=\"utf-8\"",
        ),
        case(
            M::BadCharacters,
            RSS,
            "All the news.",
            "All the news\u{fffd}",
            "All the news\u{2026}",
        ),
        case(
            M::MissingTypeAttr,
            ATOM,
            "<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Full text</p></div></content>",
            "<content src=\"https://example.org/2.pdf\"/>",
            "<content src=\"https://example.org/2.pdf\" type=\"application/pdf\"/>",
        ),
        case(
            M::SelfNotAtom,
            ATOM,
            SELF_ATOM,
            "<link rel=\"self\" href=\"https://example.org/feeds/atom.xml\" type=\"text/html\"/>",
            SELF_ATOM,
        ),
        case(
            M::MisplacedMetadata,
            ATOM,
            "</feed>",
            "<rights>Example</rights></feed>",
            "</feed>",
        ),
        case(
            M::UnexpectedAttribute,
            RSS,
            ITEM_GUID,
            "<guid isPermalink=\"true\">https://example.org/1</guid>",
            ITEM_GUID,
        ),
        case(
            M::UseOfExtensionAttr,
            RSS,
            "<item>",
            "<item xmlns:x=\"https://example.org/ns/x\" x:id=\"1\">",
            "<item xmlns:dc=\"http://purl.org/dc/elements/1.1/\">",
        ),
        case(
            M::NotInANamespace,
            RSS,
            ITEM1_TITLE,
            "<title>First story</title><x:meta xmlns:x=\"https://example.org/ns/x\"><when>now</when></x:meta>",
            "<title>First story</title><x:meta xmlns:x=\"https://example.org/ns/x\"><x:when>now</x:when></x:meta>",
        ),
        case(
            M::UriNotIri,
            RSS,
            "<link>https://example.org/1</link>",
            "<link>https://example.org/caf\u{e9}</link>",
            "<link>https://example.org/caf%C3%A9</link>",
        ),
        case(
            M::MisplacedXHTMLContent,
            ATOM,
            ENTRY_LINK,
            "<link rel=\"alternate\" href=\"https://example.org/1\"/><img xmlns=\"http://www.w3.org/1999/xhtml\" src=\"https://example.org/1.png\"/>",
            ENTRY_LINK,
        ),
        case(
            M::DuplicateIds,
            ATOM_TEN,
            "<id>urn:example:other</id>",
            "<id>urn:example:same</id>",
            "<id>urn:example:other</id>",
        ),
        case(
            M::SameDocumentReference,
            ATOM,
            ENTRY_LINK,
            "<link rel=\"alternate\" href=\".\" xml:base=\"https://example.org/1/\"/>",
            "<link rel=\"alternate\" href=\"1\" xml:base=\"https://example.org/\"/>",
        ),
        case(
            M::InvalidUriChar,
            ATOM,
            ENTRY_LINK,
            "<link rel=\"alternate\" href=\"1\" xml:base=\" https://example.org/\"/>",
            "<link rel=\"alternate\" href=\"1\" xml:base=\"https://example.org/\"/>",
        ),
        case(
            M::NotBase64,
            ATOM,
            ENTRY_CONTENT,
            "<content type=\"image/png\">a picture of the story</content>",
            "<content type=\"image/png\">iVBORw0KGgo=</content>",
        ),
        case(
            M::SecurityRisk,
            ATOM,
            ENTRY_CONTENT,
            // base64 of `<p>Hi<script>alert(1)</script></p>`
            "<content type=\"application/html\">PHA+SGk8c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9wPg==</content>",
            // base64 of `<p>Hi</p>`
            "<content type=\"application/html\">PHA+SGk8L3A+</content>",
        ),
        case(
            M::UndefinedElement,
            ATOM,
            "<icon>",
            "<trackback:ping xmlns:trackback=\"http://madskills.com/public/xml/rss/module/trackback/\">https://example.org/tb</trackback:ping><icon>",
            "<icon>",
        ),
        case(
            M::InvalidTAG,
            ATOM,
            "<icon>",
            "<x:icon xmlns:x=\"tag:example.com:icons\">x</x:icon><icon>",
            "<x:icon xmlns:x=\"tag:example.com,2006:icons\">x</x:icon><icon>",
        ),
    ]
}

fn check(doc: &str) -> Vec<Finding> {
    let location = if doc.starts_with('{') {
        LOCATION_JSON
    } else if doc.contains("<rss") {
        LOCATION_RSS
    } else {
        LOCATION_ATOM
    };
    let options = Options {
        location: Some(location.into()),
        now: Some(NOW.parse().expect("now")),
    };
    validate(doc.as_bytes(), &options).findings
}

fn fix_root(doc: String) -> String {
    // The prefixed-root case also needs the closing tag renamed.
    if doc.contains("<a:feed") {
        doc.replace("</feed>", "</a:feed>")
    } else {
        doc
    }
}

#[test]
fn the_templates_are_clean() {
    for &doc in [RSS, ATOM, JSON]
        .iter()
        .chain(crate::validate_ext::TEMPLATES)
    {
        assert_eq!(check(doc), [], "{doc}");
    }
}

#[test]
fn every_message_fails_on_a_bad_feed_and_passes_on_a_good_one() {
    let mut failures = Vec::new();
    for c in cases().into_iter().chain(crate::validate_ext::cases()) {
        assert!(
            c.base.contains(c.from),
            "{}: {:?} is not in the template",
            c.message.name(),
            c.from
        );
        let bad = fix_root(c.base.replacen(c.from, c.bad, 1));
        let good = fix_root(c.base.replacen(c.from, c.good, 1));
        let on_bad = check(&bad);
        let on_good = check(&good);
        if !on_bad.iter().any(|f| f.message == c.message) {
            failures.push(format!(
                "{} not reported for {:?}: got {:?}",
                c.message.name(),
                c.bad,
                on_bad
            ));
        }
        if on_good.iter().any(|f| f.message == c.message) {
            failures.push(format!(
                "{} wrongly reported for {:?}: {:?}",
                c.message.name(),
                c.good,
                on_good
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_message_has_a_case() {
    let mut cases = cases();
    cases.extend(crate::validate_ext::cases());
    let missing: Vec<&str> = Message::ALL
        .iter()
        // The HTTP messages have theirs in validate_http.rs: they need a server.
        .filter(|&&m| {
            !matches!(
                m,
                M::ValidatorLimit
                    | M::UnexpectedContentType
                    | M::NonSpecificMediaType
                    | M::EncodingMismatch
            )
        })
        .filter(|&&m| !cases.iter().any(|c| c.message == m))
        .map(|m| m.name())
        .collect();
    assert!(missing.is_empty(), "no pass/fail case for {missing:?}");
}

#[test]
fn validator_limit_on_oversized_and_over_deep_documents() {
    let big = RSS.replace("All the news.", &"x".repeat(MAX_BYTES));
    assert_eq!(check(&big)[0].message, M::ValidatorLimit);
    let deep = RSS.replace(
        "<ttl>60</ttl>",
        &format!("{}{}", "<x>".repeat(300), "</x>".repeat(300)),
    );
    assert_eq!(check(&deep)[0].message, M::ValidatorLimit);
    assert!(!check(RSS).iter().any(|f| f.message == M::ValidatorLimit));
}

#[test]
fn findings_point_at_the_line_and_column() {
    let doc = RSS.replace("<ttl>60</ttl>", "<ttl>soon</ttl>");
    let f = check(&doc);
    assert_eq!(f.len(), 1, "{f:?}");
    let line = 1 + doc[..doc.find("<ttl>").unwrap()].matches('\n').count();
    assert_eq!((f[0].pos.line, f[0].pos.col), (line, 5));
}

#[test]
fn hostile_documents_never_panic() {
    let nasty = [
        "",
        "{",
        "[]",
        "{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": [1, null, {\"id\": []}]}",
        "<rss/>",
        "<rss version='2.0'><channel><item><enclosure length='99999999999999999999999'/></item></channel></rss>",
        "<feed xmlns='http://www.w3.org/2005/Atom'><entry><content type='xhtml'/></entry></feed>",
        "<rss version='2.0'><channel><item><pubDate>Mon, 99 Jan 99999 99:99 +9999</pubDate></item></channel></rss>",
        "\u{feff}<?xml version='1.0' encoding='utf-16'?><rss/>",
        "<rss version='2.0'><channel><item><description>&lt;a href='\u{0}'&gt;</description></item></channel></rss>",
    ];
    for doc in nasty {
        let _ = check(doc);
    }
    for bytes in [
        &b"\xff\xfe\x00"[..],
        b"\xfe\xff\xd8\x00",
        b"<?xml encoding='",
    ] {
        let _ = validate(bytes, &Options::default());
    }
}

// ---- the command ----

fn feeds_folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    }
    dir
}

fn run(args: &[&str]) -> (i32, String, String) {
    let mut command = newswire();
    command.args(args);
    let run = Run::of(command, args);
    (run.code, run.stdout, run.stderr)
}

#[test]
fn validate_exit_statuses() {
    let clean = feeds_folder(&[
        ("feeds/rss.xml", RSS),
        ("feeds/atom.xml", ATOM),
        ("feeds/feed.json", JSON),
        ("feeds/notes.xml", "<opml/>"),
    ]);
    let dir = clean.path().to_str().expect("utf-8");
    let base = [
        "validate",
        "--now",
        NOW,
        "--base-url",
        "https://example.org/",
    ];
    let (code, _, err) = run(&[&base[..], &[dir]].concat());
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("validated 3 feeds (1 RSS, 1 Atom, 1 JSON Feed): 0 errors, 0 warnings; 1 other files skipped"), "{err}");

    let warned = feeds_folder(&[("rss.xml", &RSS.replace(SELF_RSS, ""))]);
    let dir = warned.path().to_str().expect("utf-8");
    let (code, out, err) = run(&["validate", "--now", NOW, dir]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("warning[MissingAtomSelfLink]"), "{out}");
    let (code, _, _) = run(&["validate", "--now", NOW, "--strict", dir]);
    assert_eq!(code, 1);

    let broken = feeds_folder(&[("rss.xml", &RSS.replace("<ttl>60</ttl>", "<ttl>x</ttl>"))]);
    let file = broken.path().join("rss.xml");
    let file = file.to_str().expect("utf-8");
    let (code, out, _) = run(&["validate", "--now", NOW, file]);
    assert_eq!(code, 1);
    let line = 1 + RSS[..RSS.find("<ttl>").unwrap()].matches('\n').count();
    assert!(
        out.contains(&format!(
            "rss.xml:{line}:5: error[InvalidPositiveInteger]: "
        )),
        "{out}"
    );

    // A file over the limit is reported without being read whole.
    let big = feeds_folder(&[("big.xml", &" ".repeat(MAX_BYTES + 10))]);
    let (code, out, err) = run(&["validate", big.path().to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains("error[ValidatorLimit]") && out.contains("5000010 bytes"),
        "{out}"
    );

    let empty = feeds_folder(&[("readme.txt", "hi")]);
    let (code, _, err) = run(&["validate", empty.path().to_str().expect("utf-8")]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("no RSS 2.0, Atom 1.0 or JSON Feed files found"),
        "{err}"
    );
    let (code, _, err) = run(&["validate", "/definitely/not/here"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn validate_formats() {
    let broken = feeds_folder(&[(
        "atom.xml",
        &ATOM.replace(
            "<id>https://example.org/2</id>",
            "<id>https://example.org/1</id>",
        ),
    )]);
    let dir = broken.path().to_str().expect("utf-8");
    let (_, out, _) = run(&["validate", "--now", NOW, "--format", "json", dir]);
    let v: serde_json::Value =
        serde_json::from_str(out.lines().next().expect("a line")).expect("json");
    assert_eq!(v["code"], "DuplicateEntries");
    assert_eq!(v["severity"], "warning");
    assert!(v["path"].as_str().expect("path").ends_with("atom.xml"));
    assert!(v["line"].as_u64().expect("line") > 1);
    let (_, out, _) = run(&["validate", "--now", NOW, "--format", "github", dir]);
    assert!(out.starts_with("::warning file="), "{out}");
    assert!(out.contains("title=DuplicateEntries::"), "{out}");
    let (_, _, err) = run(&["validate", "--now", NOW, "-q", dir]);
    assert!(!err.contains("validated"), "{err}");
    fs::write(broken.path().join("list.xml"), "<opml version=\"2.0\"/>").expect("write");
    let (_, _, err) = run(&["validate", "--now", NOW, "-v", dir]);
    assert!(err.contains("1 other files skipped"), "{err}");
    assert!(
        err.contains("newswire:   skipped ") && err.contains("list.xml"),
        "{err}"
    );
    assert!(err.contains("newswire:   took "), "{err}");
}

#[test]
fn validate_lists_its_messages() {
    let (code, out, _) = run(&["validate", "--messages"]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), Message::ALL.len());
    assert!(
        out.lines()
            .any(|l| l.starts_with("InvalidRFC2822Date\terror\t"))
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("MissingAtomSelfLink\twarning\t"))
    );
}

#[test]
fn build_validate_finds_no_oversized_feed_now_that_max_bytes_caps_them() {
    // Oversized feeds were the one error the validator could catch in newswire's own output:
    // 6 articles of ~900 KB each, with full content, made feeds over 5,000,000 bytes
    // (ValidatorLimit), and `build --validate` then wrote nothing. `max_bytes` (default
    // 1,000,000, never above 5,000,000) now keeps every document within the limit: the
    // feeds leave out their oldest items (one `over-budget` warning per feed), validate, and
    // are written.
    let site = Site::new();
    let body = "word ".repeat(180_000);
    for i in 0..6 {
        site.write(
            &format!("a{i}.md"),
            format!(
                "{}{body}\n",
                util::article(
                    &format!("Story {i}"),
                    &format!("https://example.com/{i}"),
                    &format!("2024-01-0{}T00:00:00Z", i + 1),
                    ""
                )
            ),
        );
    }
    fs::write(
        site.path("newswire.yaml"),
        "full_content: true\nmax_file_size: 2000000\n",
    )
    .expect("config");
    let run = site.build(&["--validate", "--config", "newswire.yaml", "-v"]);
    run.expect_code(0);
    assert!(
        !run.stderr.contains("error[ValidatorLimit]"),
        "{}",
        run.stderr
    );
    assert!(
        !run.lines_with_code("over-budget").is_empty(),
        "{}",
        run.stderr
    );
    for (path, bytes) in util::read_tree(&site.out()) {
        assert!(bytes.len() <= 1_000_000, "{path}: {} bytes", bytes.len());
    }
    assert!(site.read("rss.xml").contains("Story 5"));

    // `check --validate` finds nothing either.
    let run = site.run(&[
        "check",
        "--validate",
        "--config",
        "newswire.yaml",
        "--input",
        "articles",
        "--base-url",
        util::BASE_URL,
        "--now",
        util::NOW,
    ]);
    run.expect_code(0);
    assert!(
        !run.stderr.contains("error[ValidatorLimit]"),
        "{}",
        run.stderr
    );
}

#[test]
fn build_validate_passes_on_the_seeds() {
    let out = tempfile::tempdir().expect("tempdir");
    let dir = out.path().join("out");
    let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
    let output = newswire()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "build",
            "--validate",
            "--strict",
            "--input",
            seeds,
            "--output",
        ])
        .arg(&dir)
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{err}");
    assert!(!err.contains("warning["), "{err}");
}

#[test]
fn no_colour_when_stderr_is_not_a_terminal() {
    let broken = feeds_folder(&[("rss.xml", &RSS.replace("<ttl>60</ttl>", "<ttl>x</ttl>"))]);
    // Without NO_COLOR: stdout, where findings go, is a pipe here, so still no escape codes.
    let out = newswire()
        .args(["validate", "--now", NOW])
        .arg(broken.path())
        .env_remove("NO_COLOR")
        .output()
        .expect("run");
    let found = String::from_utf8_lossy(&out.stdout);
    assert!(found.contains("error[InvalidPositiveInteger]"), "{found}");
    assert!(!found.contains('\u{1b}'), "{found:?}");
}

/// The W3C validator's own test cases (`$FEEDVALIDATOR_HOME/testcases`, by default under
/// `~/.cache/feedvalidator`; `../shared/tools/setup-w3c.sh` installs them, see README,
/// Validating).
fn w3c_testcases() -> std::path::PathBuf {
    let home = std::env::var_os("FEEDVALIDATOR_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".cache/feedvalidator"))
        })
        .expect("FEEDVALIDATOR_HOME or HOME");
    let cases = home.join("testcases");
    assert!(
        cases.is_dir(),
        "the W3C test cases are not installed at {}",
        cases.display()
    );
    cases
}

/// Needs the W3C validator installed, so it runs only when asked for:
/// `cargo test --test suite -- --ignored w3c` (`.ci/run` does when the validator is there).
#[test]
#[ignore = "needs the W3C validator's test cases (.ci/run runs it with --ignored when installed)"]
fn validator_survives_every_w3c_test_case() {
    let list = fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/w3c-cases.txt"
    ))
    .expect("case list");
    let listed: Vec<&str> = list
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    assert!(listed.len() > 1000, "{} cases listed", listed.len());
    let cases = w3c_testcases();
    for case in &listed {
        assert!(cases.join(case).is_file(), "listed case {case} is missing");
    }
    // Every file, listed or not (RSS 1.0, OPML, KML, broken encodings…): no panic, and a
    // finding or a clean bill for each.
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&cases) {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let bytes = fs::read(entry.path()).expect("read");
            let _ = validate(&bytes, &Options::default());
            checked += 1;
        }
    }
    assert!(checked > 2000, "{checked} files");
}

mod mutated {
    //! The validator on broken versions of the template feeds: it never panics, and every
    //! finding points inside the document.

    use proptest::prelude::*;

    use super::{ATOM, JSON, RSS, check};

    const SNIPPETS: &[&str] = &[
        "<",
        ">",
        "&",
        "&amp;",
        "&#x0;",
        "&#xD800;",
        "]]>",
        "<![CDATA[",
        "<!--",
        "-->",
        "\"",
        "'",
        "<item>",
        "</channel>",
        "<entry>",
        "xmlns:x=\"\"",
        "<x:y/>",
        "\u{0}",
        "\u{fffe}",
        "é",
        "{",
        "}",
        "[",
        "]",
        ",",
        "\"id\": null",
        "\u{1F600}",
        "\r\n",
        "<?xml version='1.0'?>",
        "<content type=\"xhtml\">",
        "<script>",
        "style=\"a:url(x)\"",
        "<!DOCTYPE x>",
    ];

    fn mutate(doc: &str, ops: &[(usize, usize, usize)]) -> String {
        let mut s = doc.to_string();
        for &(at, len, what) in ops {
            let mut at = at % (s.len() + 1);
            while !s.is_char_boundary(at) {
                at -= 1;
            }
            let mut end = (at + len % 40).min(s.len());
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            match what % 3 {
                0 => s.replace_range(at..end, ""),
                1 => s.insert_str(at, SNIPPETS[what % SNIPPETS.len()]),
                _ => {
                    let copy = s[at..end].to_string();
                    s.insert_str(end, &copy);
                }
            }
        }
        s
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256),
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn never_panics_and_points_inside(
            which in 0usize..3,
            ops in proptest::collection::vec((any::<usize>(), any::<usize>(), any::<usize>()), 1..8),
        ) {
            let doc = mutate([RSS, ATOM, JSON][which], &ops);
            let lines = 1 + doc.matches('\n').count();
            for f in check(&doc) {
                prop_assert!(f.pos.line >= 1 && f.pos.col >= 1, "{:?}", f);
                prop_assert!(f.pos.line <= lines, "{:?} beyond {} lines", f, lines);
            }
        }
    }
}

//! The validator's extension vocabularies (iTunes, FeedSync, feed history, Media RSS, RSS 1.0,
//! …): a template feed clean under each, and for every message they add, the template broken
//! (the message is reported) and fixed (it is not). `validate.rs` runs these cases beside its own.

use newswire_validate::Message as M;

use crate::validate::{Case, case};

/// Every template here; each must validate clean.
pub(crate) const TEMPLATES: &[&str] = &[PODCAST, SYNC, RDF];

/// A clean RSS 2.0 podcast: iTunes elements in the channel and an episode.
const PODCAST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>Example Cast</title>
    <link>https://example.org/</link>
    <description>Talk.</description>
    <language>en</language>
    <managingEditor>editor@example.org (Ed Itor)</managingEditor>
    <atom:link href="https://example.org/feeds/rss.xml" rel="self" type="application/rss+xml"/>
    <itunes:author>Ed Itor</itunes:author>
    <itunes:summary>Talk about things.</itunes:summary>
    <itunes:keywords>talk, things</itunes:keywords>
    <itunes:owner><itunes:name>Ed Itor</itunes:name><itunes:email>editor@example.org</itunes:email></itunes:owner>
    <itunes:image href="https://example.org/cover.jpg"/>
    <itunes:category text="Technology"/>
    <itunes:category text="Arts"><itunes:category text="Design"/></itunes:category>
    <itunes:explicit>false</itunes:explicit>
    <itunes:block>no</itunes:block>
    <itunes:type>episodic</itunes:type>
    <item>
      <title>Episode 1</title>
      <description>The first.</description>
      <guid isPermaLink="false">episode-1</guid>
      <pubDate>Mon, 02 Jan 2006 15:04:05 +0000</pubDate>
      <enclosure url="https://example.org/1.mp3" length="1234" type="audio/mpeg"/>
      <itunes:duration>1:02:03</itunes:duration>
      <itunes:episode>1</itunes:episode>
      <itunes:season>1</itunes:season>
      <itunes:episodeType>full</itunes:episodeType>
      <itunes:subtitle>The first one.</itunes:subtitle>
    </item>
  </channel>
</rss>
"#;

/// A clean Atom feed shared with FeedSync.
const SYNC: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:sx="http://feedsync.org/2007/feedsync">
  <title>To do</title>
  <id>https://example.org/</id>
  <updated>2006-01-02T15:04:05Z</updated>
  <link rel="self" href="https://example.org/feeds/atom.xml" type="application/atom+xml"/>
  <author><name>Ed Itor</name></author>
  <sx:sharing since="2005-02-13T18:30:02Z" until="2005-05-23T18:30:02Z">
    <sx:related link="https://example.org/all.xml" type="complete" title="Everything"/>
  </sx:sharing>
  <entry>
    <title>Buy milk</title>
    <id>https://example.org/1</id>
    <updated>2006-01-02T15:04:05Z</updated>
    <content>Milk.</content>
    <sx:sync id="item_1" updates="3" deleted="false">
      <sx:history sequence="3" when="2005-05-21T11:43:33Z" by="REO1750"/>
    </sx:sync>
  </entry>
  <entry>
    <title>Buy eggs</title>
    <id>https://example.org/2</id>
    <updated>2006-01-03T15:04:05Z</updated>
    <content>Eggs.</content>
    <sx:sync id="item_2" updates="1">
      <sx:history sequence="1" when="2005-05-21T11:43:33Z" by="REO1750"/>
    </sx:sync>
  </entry>
</feed>
"#;

/// A clean RSS 1.0 feed.
const RDF: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://example.org/feeds/rss10.rdf">
    <title>Example News</title>
    <link>https://example.org/</link>
    <description>All the news.</description>
    <dc:language>en</dc:language>
    <items>
      <rdf:Seq>
        <rdf:li rdf:resource="https://example.org/1"/>
      </rdf:Seq>
    </items>
  </channel>
  <item rdf:about="https://example.org/1">
    <title>First story</title>
    <link>https://example.org/1</link>
    <dc:creator>Ed Itor</dc:creator>
  </item>
</rdf:RDF>
"#;

const EDITOR: &str = "<managingEditor>editor@example.org (Ed Itor)</managingEditor>";
const EPISODE_GUID: &str = r#"<guid isPermaLink="false">episode-1</guid>"#;
const EPISODE_DESCRIPTION: &str = "<description>The first.</description>";
const HISTORY_1: &str = r#"<sx:history sequence="1" when="2005-05-21T11:43:33Z" by="REO1750"/>"#;

/// The pass/fail cases of the extension messages.
pub(crate) fn cases() -> Vec<Case> {
    vec![
        case(
            M::DuplicateSemantics,
            PODCAST,
            EDITOR,
            "<managingEditor>editor@example.org (Ed Itor)</managingEditor><dc:creator>Ed</dc:creator>",
            "<dc:creator>Ed</dc:creator>",
        ),
        case(
            M::DuplicateItemSemantics,
            PODCAST,
            EPISODE_GUID,
            r#"<guid isPermaLink="false">episode-1</guid><atom:id>https://example.org/1</atom:id>"#,
            r#"<guid isPermaLink="false">episode-1</guid><dc:source>Radio</dc:source>"#,
        ),
        case(
            M::DuplicateDescriptionSemantics,
            PODCAST,
            EPISODE_DESCRIPTION,
            "<description>The first.</description><atom:content>The first.</atom:content>",
            "<description>The first.</description>",
        ),
        case(
            M::InvalidTrueFalse,
            PODCAST,
            "<itunes:explicit>false</itunes:explicit>",
            "<itunes:explicit>maybe</itunes:explicit>",
            "<itunes:explicit>False</itunes:explicit>",
        ),
        case(
            M::InvalidTrueFalse,
            SYNC,
            r#"deleted="false""#,
            r#"deleted="False""#,
            r#"deleted="true""#,
        ),
        case(
            M::IntegerOverflow,
            SYNC,
            r#"updates="3""#,
            r#"updates="2147483648""#,
            r#"updates="2147483647""#,
        ),
        case(
            M::InvalidInteger,
            SYNC,
            "<content>Milk.</content>",
            r#"<content>Milk.</content><georss:floor xmlns:georss="http://www.georss.org/georss">two</georss:floor>"#,
            r#"<content>Milk.</content><georss:floor xmlns:georss="http://www.georss.org/georss">-2</georss:floor>"#,
        ),
        case(
            M::InvalidFloat,
            PODCAST,
            EPISODE_GUID,
            r#"<guid isPermaLink="false">episode-1</guid><cn:ratingAverage xmlns:cn="http://conversationsnetwork.org/rssNamespace-1.0/">high</cn:ratingAverage>"#,
            r#"<guid isPermaLink="false">episode-1</guid><cn:ratingAverage xmlns:cn="http://conversationsnetwork.org/rssNamespace-1.0/">4.5</cn:ratingAverage>"#,
        ),
        case(
            M::InvalidLatitude,
            PODCAST,
            EPISODE_GUID,
            r#"<guid isPermaLink="false">episode-1</guid><geo:lat xmlns:geo="http://www.w3.org/2003/01/geo/wgs84_pos#">91.5</geo:lat>"#,
            r#"<guid isPermaLink="false">episode-1</guid><geo:lat xmlns:geo="http://www.w3.org/2003/01/geo/wgs84_pos#">-89.5</geo:lat>"#,
        ),
        case(
            M::InvalidLongitude,
            PODCAST,
            EPISODE_GUID,
            r#"<guid isPermaLink="false">episode-1</guid><icbm:longitude xmlns:icbm="http://postneo.com/icbm">-188</icbm:longitude>"#,
            r#"<guid isPermaLink="false">episode-1</guid><icbm:longitude xmlns:icbm="http://postneo.com/icbm">-179.9</icbm:longitude>"#,
        ),
        case(
            M::CoordComma,
            SYNC,
            "<content>Milk.</content>",
            r#"<content>Milk.</content><georss:point xmlns:georss="http://www.georss.org/georss">45.256,-71.92</georss:point>"#,
            r#"<content>Milk.</content><georss:point xmlns:georss="http://www.georss.org/georss">45.256 -71.92</georss:point>"#,
        ),
        case(
            M::InvalidCoord,
            SYNC,
            "<content>Milk.</content>",
            r#"<content>Milk.</content><georss:point xmlns:georss="http://www.georss.org/georss">north</georss:point>"#,
            r#"<content>Milk.</content><georss:point xmlns:georss="http://www.georss.org/georss">45 -71</georss:point>"#,
        ),
        case(
            M::InvalidCoordList,
            SYNC,
            "<content>Milk.</content>",
            r#"<content>Milk.</content><georss:line xmlns:georss="http://www.georss.org/georss">45 -71 46</georss:line>"#,
            r#"<content>Milk.</content><georss:line xmlns:georss="http://www.georss.org/georss">45 -71 46 -72</georss:line>"#,
        ),
        case(
            M::InvalidCommaSeparatedIntegers,
            PODCAST,
            EPISODE_GUID,
            r#"<guid isPermaLink="false">episode-1</guid><slash:hit_parade xmlns:slash="http://purl.org/rss/1.0/modules/slash/">1;2;3</slash:hit_parade>"#,
            r#"<guid isPermaLink="false">episode-1</guid><slash:hit_parade xmlns:slash="http://purl.org/rss/1.0/modules/slash/">1,2, 3</slash:hit_parade>"#,
        ),
        case(
            M::NoThrWhen,
            SYNC,
            "<content>Milk.</content>",
            r#"<content>Milk.</content><link rel="replies" href="https://example.org/1/replies" xmlns:thr="http://purl.org/syndication/thread/1.0" thr:when="2005-07-28T12:00:00Z"/>"#,
            r#"<content>Milk.</content><link rel="replies" href="https://example.org/1/replies" xmlns:thr="http://purl.org/syndication/thread/1.0" thr:updated="2005-07-28T12:00:00Z"/>"#,
        ),
        case(
            M::UnexpectedAttribute,
            SYNC,
            "<content>Milk.</content>",
            r#"<content>Milk.</content><link rel="related" href="https://example.org/1/replies" xmlns:thr="http://purl.org/syndication/thread/1.0" thr:count="3"/>"#,
            r#"<content>Milk.</content><link rel="replies" href="https://example.org/1/replies" xmlns:thr="http://purl.org/syndication/thread/1.0" thr:count="3"/>"#,
        ),
        case(
            M::InvalidISO8601DateTime,
            PODCAST,
            EPISODE_GUID,
            r#"<guid isPermaLink="false">episode-1</guid><cn:ratingTimestamp xmlns:cn="http://conversationsnetwork.org/rssNamespace-1.0/">yesterday</cn:ratingTimestamp>"#,
            r#"<guid isPermaLink="false">episode-1</guid><cn:ratingTimestamp xmlns:cn="http://conversationsnetwork.org/rssNamespace-1.0/">2006-01-02T15:04:05Z</cn:ratingTimestamp>"#,
        ),
        case(
            M::CommentRSS,
            PODCAST,
            EPISODE_GUID,
            r#"<guid isPermaLink="false">episode-1</guid><wfw:commentRSS xmlns:wfw="http://wellformedweb.org/CommentAPI/">https://example.org/1/comments</wfw:commentRSS>"#,
            r#"<guid isPermaLink="false">episode-1</guid><wfw:commentRss xmlns:wfw="http://wellformedweb.org/CommentAPI/">https://example.org/1/comments</wfw:commentRss>"#,
        ),
        case(
            M::InvalidMetaName,
            SYNC,
            "<author>",
            r#"<xhtml:meta xmlns:xhtml="http://www.w3.org/1999/xhtml" name="bots" content="noindex"/><author>"#,
            r#"<xhtml:meta xmlns:xhtml="http://www.w3.org/1999/xhtml" name="robots" content="noindex"/><author>"#,
        ),
        case(
            M::InvalidMetaContent,
            SYNC,
            "<author>",
            r#"<xhtml:meta xmlns:xhtml="http://www.w3.org/1999/xhtml" name="robots" content="hide"/><author>"#,
            r#"<xhtml:meta xmlns:xhtml="http://www.w3.org/1999/xhtml" name="robots" content="noindex,follow"/><author>"#,
        ),
        case(
            M::InvalidAccessRestrictionRel,
            SYNC,
            "<author>",
            r#"<access:restriction xmlns:access="http://www.bloglines.com/about/specs/fac-1.0" relationship="block"/><author>"#,
            r#"<access:restriction xmlns:access="http://www.bloglines.com/about/specs/fac-1.0" relationship="deny"/><author>"#,
        ),
        case(
            M::UnexpectedText,
            RDF,
            "<title>First story</title>",
            "<title>First story</title> and more",
            "<title>First story and more</title>",
        ),
        case(
            M::InvalidRDF,
            RDF,
            "<dc:creator>Ed Itor</dc:creator>",
            "<dc:creator>Ed <dc:title>Itor</dc:title></dc:creator>",
            r#"<dc:creator rdf:parseType="Literal">Ed <dc:title>Itor</dc:title></dc:creator>"#,
        ),
        case(
            M::InvalidNamespace,
            PODCAST,
            r#"<rss version="2.0""#,
            r#"<rss xmlns="http://backend.userland.com/rss2" version="2.0""#,
            r#"<rss version="2.0""#,
        ),
        case(
            M::FeedHistoryRelInEntry,
            SYNC,
            "<content>Milk.</content>",
            r#"<content>Milk.</content><link rel="next" href="https://example.org/2"/>"#,
            r#"<content>Milk.</content><link rel="related" href="https://example.org/2"/>"#,
        ),
        case(
            M::FeedRelInCompleteFeed,
            SYNC,
            "<author>",
            r#"<fh:complete xmlns:fh="http://purl.org/syndication/history/1.0"/><link rel="next" href="https://example.org/p2"/><author>"#,
            r#"<fh:complete xmlns:fh="http://purl.org/syndication/history/1.0"/><author>"#,
        ),
        case(
            M::CurrentNotSelfInCompleteFeed,
            SYNC,
            "<author>",
            r#"<fh:complete xmlns:fh="http://purl.org/syndication/history/1.0"/><link rel="current" href="https://example.org/other.xml"/><author>"#,
            r#"<fh:complete xmlns:fh="http://purl.org/syndication/history/1.0"/><link rel="current" href="https://example.org/feeds/atom.xml"/><author>"#,
        ),
        case(
            M::LinkPastEnd,
            SYNC,
            "<author>",
            r#"<link rel="first" href="https://example.org/feeds/atom.xml"/><link rel="previous" href="https://example.org/p0"/><author>"#,
            r#"<link rel="first" href="https://example.org/feeds/atom.xml"/><link rel="next" href="https://example.org/p2"/><author>"#,
        ),
        case(
            M::MissingCurrentInArchive,
            SYNC,
            "<author>",
            r#"<fh:archive xmlns:fh="http://purl.org/syndication/history/1.0"/><link rel="prev-archive" href="https://example.org/p0"/><author>"#,
            r#"<fh:archive xmlns:fh="http://purl.org/syndication/history/1.0"/><link rel="prev-archive" href="https://example.org/p0"/><link rel="current" href="https://example.org/feeds/atom.xml"/><author>"#,
        ),
        case(
            M::ArchiveIncomplete,
            SYNC,
            "<author>",
            r#"<fh:archive xmlns:fh="http://purl.org/syndication/history/1.0"/><link rel="current" href="https://example.org/feeds/atom.xml"/><author>"#,
            r#"<fh:archive xmlns:fh="http://purl.org/syndication/history/1.0"/><link rel="current" href="https://example.org/feeds/atom.xml"/><link rel="next-archive" href="https://example.org/p2"/><author>"#,
        ),
        case(
            M::DeprecatedMediaAdult,
            PODCAST,
            EPISODE_GUID,
            r#"<guid isPermaLink="false">episode-1</guid><media:adult xmlns:media="http://search.yahoo.com/mrss/">true</media:adult>"#,
            r#"<guid isPermaLink="false">episode-1</guid><media:rating xmlns:media="http://search.yahoo.com/mrss/">adult</media:rating>"#,
        ),
        case(
            M::InvalidMediaTextType,
            PODCAST,
            EPISODE_GUID,
            r#"<guid isPermaLink="false">episode-1</guid><media:title xmlns:media="http://search.yahoo.com/mrss/" type="text">Ep</media:title>"#,
            r#"<guid isPermaLink="false">episode-1</guid><media:title xmlns:media="http://search.yahoo.com/mrss/" type="plain">Ep</media:title>"#,
        ),
        case(
            M::InvalidNPTTime,
            PODCAST,
            EPISODE_GUID,
            r#"<guid isPermaLink="false">episode-1</guid><media:thumbnail xmlns:media="http://search.yahoo.com/mrss/" url="https://example.org/t.jpg" time="1:2"/>"#,
            r#"<guid isPermaLink="false">episode-1</guid><media:thumbnail xmlns:media="http://search.yahoo.com/mrss/" url="https://example.org/t.jpg" time="0:01:02.5"/>"#,
        ),
        case(
            M::InvalidCreditRole,
            PODCAST,
            EPISODE_GUID,
            r#"<guid isPermaLink="false">episode-1</guid><media:credit xmlns:media="http://search.yahoo.com/mrss/" role="Singer">Ann</media:credit>"#,
            r#"<guid isPermaLink="false">episode-1</guid><media:credit xmlns:media="http://search.yahoo.com/mrss/" role="singer">Ann</media:credit>"#,
        ),
        case(
            M::InvalidMediaHash,
            PODCAST,
            EPISODE_GUID,
            r#"<guid isPermaLink="false">episode-1</guid><media:hash xmlns:media="http://search.yahoo.com/mrss/" algo="sha-1">dfdec888b72151965a34b4b59031290a</media:hash>"#,
            r#"<guid isPermaLink="false">episode-1</guid><media:hash xmlns:media="http://search.yahoo.com/mrss/" algo="md5">dfdec888b72151965a34b4b59031290a</media:hash>"#,
        ),
        case(
            M::InvalidMediaRating,
            PODCAST,
            EPISODE_GUID,
            r#"<guid isPermaLink="false">episode-1</guid><media:rating xmlns:media="http://search.yahoo.com/mrss/" scheme="urn:mpaa">tv-ma</media:rating>"#,
            r#"<guid isPermaLink="false">episode-1</guid><media:rating xmlns:media="http://search.yahoo.com/mrss/" scheme="urn:v-chip">tv-ma</media:rating>"#,
        ),
        case(
            M::InvalidMediaRestriction,
            PODCAST,
            EPISODE_GUID,
            r#"<guid isPermaLink="false">episode-1</guid><media:restriction xmlns:media="http://search.yahoo.com/mrss/" relationship="allow">everyone</media:restriction>"#,
            r#"<guid isPermaLink="false">episode-1</guid><media:restriction xmlns:media="http://search.yahoo.com/mrss/" relationship="allow">all</media:restriction>"#,
        ),
        case(
            M::InvalidMediaRestrictionRel,
            PODCAST,
            EPISODE_GUID,
            r#"<guid isPermaLink="false">episode-1</guid><media:restriction xmlns:media="http://search.yahoo.com/mrss/" relationship="permit">all</media:restriction>"#,
            r#"<guid isPermaLink="false">episode-1</guid><media:restriction xmlns:media="http://search.yahoo.com/mrss/" relationship="deny">none</media:restriction>"#,
        ),
        case(
            M::InvalidMediaRestrictionType,
            PODCAST,
            EPISODE_GUID,
            r#"<guid isPermaLink="false">episode-1</guid><media:restriction xmlns:media="http://search.yahoo.com/mrss/" relationship="allow" type="region">EU</media:restriction>"#,
            r#"<guid isPermaLink="false">episode-1</guid><media:restriction xmlns:media="http://search.yahoo.com/mrss/" relationship="allow" type="country">DE FR</media:restriction>"#,
        ),
        case(
            M::InvalidCountryCode,
            PODCAST,
            EPISODE_GUID,
            r#"<guid isPermaLink="false">episode-1</guid><media:restriction xmlns:media="http://search.yahoo.com/mrss/" relationship="allow" type="country">XX</media:restriction>"#,
            r#"<guid isPermaLink="false">episode-1</guid><media:restriction xmlns:media="http://search.yahoo.com/mrss/" relationship="allow" type="country">us</media:restriction>"#,
        ),
        case(
            M::InvalidMediaExpression,
            PODCAST,
            EPISODE_GUID,
            r#"<guid isPermaLink="false">episode-1</guid><media:content xmlns:media="http://search.yahoo.com/mrss/" url="https://example.org/1.mp3" expression="partial"/>"#,
            r#"<guid isPermaLink="false">episode-1</guid><media:content xmlns:media="http://search.yahoo.com/mrss/" url="https://example.org/1.mp3" expression="sample"/>"#,
        ),
        case(
            M::MediaGroupWithoutAlternatives,
            PODCAST,
            EPISODE_GUID,
            r#"<guid isPermaLink="false">episode-1</guid><media:group xmlns:media="http://search.yahoo.com/mrss/"><media:content url="https://example.org/1.mp3"/></media:group>"#,
            r#"<guid isPermaLink="false">episode-1</guid><media:group xmlns:media="http://search.yahoo.com/mrss/"><media:content url="https://example.org/1.mp3"/><media:content url="https://example.org/1.m4a"/></media:group>"#,
        ),
        case(
            M::InvalidYesNo,
            SYNC,
            "<content>Milk.</content>",
            r#"<content>Milk.</content><app:control xmlns:app="http://www.w3.org/2007/app"><app:draft>maybe</app:draft></app:control>"#,
            r#"<content>Milk.</content><app:control xmlns:app="http://www.w3.org/2007/app"><app:draft>yes</app:draft></app:control>"#,
        ),
        case(
            M::ConflictingCatAttr,
            SYNC,
            "<author>",
            r#"<app:categories xmlns:app="http://www.w3.org/2007/app" href="https://example.org/cats" fixed="yes"/><author>"#,
            r#"<app:categories xmlns:app="http://www.w3.org/2007/app" href="https://example.org/cats"/><author>"#,
        ),
        case(
            M::ConflictingCatChildren,
            SYNC,
            "<author>",
            r#"<app:categories xmlns:app="http://www.w3.org/2007/app" href="https://example.org/cats"><category term="a"/></app:categories><author>"#,
            r#"<app:categories xmlns:app="http://www.w3.org/2007/app" fixed="yes"><category term="a"/></app:categories><author>"#,
        ),
        case(
            M::UndefinedParam,
            SYNC,
            "<author>",
            r#"<app:collection xmlns:app="http://www.w3.org/2007/app" href="https://example.org/c"><title>C</title><app:accept>image/png;q=0.5</app:accept></app:collection><author>"#,
            r#"<app:collection xmlns:app="http://www.w3.org/2007/app" href="https://example.org/c"><title>C</title><app:accept>image/png</app:accept></app:collection><author>"#,
        ),
        case(
            M::QuestionableUsage,
            SYNC,
            "<author>",
            r#"<app:collection xmlns:app="http://www.w3.org/2007/app" href="https://example.org/c"><title>C</title><id>https://example.org/c</id></app:collection><author>"#,
            r#"<app:collection xmlns:app="http://www.w3.org/2007/app" href="https://example.org/c"><title>C</title></app:collection><author>"#,
        ),
        case(
            M::InvalidRSSVersion,
            PODCAST,
            r#"<rss version="2.0""#,
            r#"<rss version="3.0""#,
            r#"<rss version="2.0""#,
        ),
        case(
            M::NoBlink,
            PODCAST,
            EDITOR,
            r#"<managingEditor>editor@example.org (Ed Itor)</managingEditor><blink>https://example.org/</blink>"#,
            r#"<managingEditor>editor@example.org (Ed Itor)</managingEditor>"#,
        ),
        case(
            M::ObsoleteWikiNamespace,
            PODCAST,
            r#"<rss version="2.0""#,
            r#"<rss xmlns:wiki="http://www.usemod.com/cgi-bin/mb.pl?ModWiki" version="2.0""#,
            r#"<rss xmlns:wiki="http://purl.org/rss/1.0/modules/wiki/" version="2.0""#,
        ),
        case(
            M::BadXmlVersion,
            PODCAST,
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            r#"<?xml version="1.1" encoding="UTF-8"?>"#,
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
        ),
        case(
            M::ObscureEncoding,
            PODCAST,
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            r#"<?xml version="1.0" encoding="mac-cyrillic"?>"#,
            r#"<?xml version="1.0" encoding="windows-1252"?>"#,
        ),
        case(
            M::NotUTF8,
            PODCAST,
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            r#"<?xml version="1.0" encoding="ISO-8859-1"?>"#,
            r#"<?xml version="1.0" encoding="utf-8"?>"#,
        ),
        case(
            M::DeprecatedDTD,
            PODCAST,
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            r#"<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">"#,
            r#"<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://www.rssboard.org/rss-0.91.dtd">"#,
        ),
        case(
            M::InvalidDoctype,
            PODCAST,
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            r#"<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://www.rssboard.org/rss-0.91.dtd">"#,
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
        ),
        case(
            M::BadCharacters,
            PODCAST,
            "<description>Talk.</description>",
            r#"<description>Talk&#x96;.</description>"#,
            r#"<description>Talk&#x2013;.</description>"#,
        ),
        case(
            M::NotHtml,
            PODCAST,
            EPISODE_GUID,
            r#"<guid isPermaLink="false">episode-1</guid><media:title xmlns:media="http://search.yahoo.com/mrss/" type="html">&lt;a</media:title>"#,
            r#"<guid isPermaLink="false">episode-1</guid><media:title xmlns:media="http://search.yahoo.com/mrss/" type="html">&lt;b&gt;One&lt;/b&gt;</media:title>"#,
        ),
        case(
            M::InvalidRDF,
            RDF,
            "<dc:creator>Ed Itor</dc:creator>",
            r#"<dc:creator><foaf:Person xmlns:foaf="http://xmlns.com/foaf/0.1/" rdf:resource="https://example.org/ed"/></dc:creator>"#,
            r#"<dc:creator rdf:resource="https://example.org/ed"/>"#,
        ),
        case(
            M::UndeterminableVocabulary,
            RDF,
            "<dc:language>en</dc:language>",
            r#"<dc:language>en</dc:language><language xmlns="">en</language>"#,
            r#"<dc:language>en</dc:language>"#,
        ),
        case(
            M::SAXError,
            PODCAST,
            r#"<rss version="2.0""#,
            r#"<rss xmlns:x="http://example.org/a b" version="2.0""#,
            r#"<rss xmlns:x="http://example.org/a%20b" version="2.0""#,
        ),
        case(
            M::InvalidUpdatePeriod,
            PODCAST,
            EDITOR,
            r#"<managingEditor>editor@example.org (Ed Itor)</managingEditor><sy:updatePeriod xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">fortnightly</sy:updatePeriod>"#,
            r#"<managingEditor>editor@example.org (Ed Itor)</managingEditor><sy:updatePeriod xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">weekly</sy:updatePeriod>"#,
        ),
        case(
            M::TooLong,
            PODCAST,
            "<itunes:subtitle>The first one.</itunes:subtitle>",
            "<itunes:subtitle>The first one. The first one. The first one. The first one. The first one. The first one. The first one. The first one. The first one. The first one. The first one. The first one. The first one. The first one. The first one. The first one. The first one. The first one.</itunes:subtitle>",
            "<itunes:subtitle>The first one. The first one. The first one.</itunes:subtitle>",
        ),
        case(
            M::InvalidKeywords,
            PODCAST,
            "<itunes:keywords>talk, things</itunes:keywords>",
            "<itunes:keywords>talk things</itunes:keywords>",
            "<itunes:keywords>talk,things</itunes:keywords>",
        ),
        case(
            M::InvalidYesNoClean,
            PODCAST,
            "<itunes:block>no</itunes:block>",
            "<itunes:block>false</itunes:block>",
            "<itunes:block>Yes</itunes:block>",
        ),
        case(
            M::InvalidItunesChannelType,
            PODCAST,
            "<itunes:type>episodic</itunes:type>",
            "<itunes:type>weekly</itunes:type>",
            "<itunes:type>serial</itunes:type>",
        ),
        case(
            M::InvalidItunesEpisodeType,
            PODCAST,
            "<itunes:episodeType>full</itunes:episodeType>",
            "<itunes:episodeType>pilot</itunes:episodeType>",
            "<itunes:episodeType>trailer</itunes:episodeType>",
        ),
        case(
            M::InvalidDuration,
            PODCAST,
            "<itunes:duration>1:02:03</itunes:duration>",
            "<itunes:duration>1:2:3</itunes:duration>",
            "<itunes:duration>3723</itunes:duration>",
        ),
        case(
            M::InvalidItunesCategory,
            PODCAST,
            r#"<itunes:category text="Design"/>"#,
            r#"<itunes:category text="Pottery"/>"#,
            r#"<itunes:category text="Books"/>"#,
        ),
        case(
            M::ObsoleteItunesCategory,
            PODCAST,
            r#"<itunes:category text="Technology"/>"#,
            r#"<itunes:category text="Audio Blogs"/>"#,
            r#"<itunes:category text="True Crime"/>"#,
        ),
        case(
            M::MissingItunesElement,
            PODCAST,
            "<itunes:explicit>false</itunes:explicit>",
            "",
            "<itunes:explicit>true</itunes:explicit>",
        ),
        case(
            M::MissingItunesEmail,
            PODCAST,
            "<itunes:owner><itunes:name>Ed Itor</itunes:name><itunes:email>editor@example.org</itunes:email></itunes:owner>",
            "",
            "<itunes:owner><itunes:email>editor@example.org</itunes:email></itunes:owner>",
        ),
        case(
            M::UnsupportedItunesFormat,
            PODCAST,
            r#"url="https://example.org/1.mp3""#,
            r#"url="https://example.org/1.wmv""#,
            r#"url="https://example.org/1.m4a""#,
        ),
        case(
            M::InvalidSseType,
            SYNC,
            r#"type="complete""#,
            r#"type="partial""#,
            r#"type="aggregated""#,
        ),
        case(
            M::InvalidNSS,
            SYNC,
            r#"id="item_1""#,
            r#"id="item 1""#,
            r#"id="item%201""#,
        ),
        case(
            M::SinceAfterUntil,
            SYNC,
            r#"since="2005-02-13T18:30:02Z""#,
            r#"since="2005-06-13T18:30:02Z""#,
            r#"since="2005-04-13T18:30:02Z""#,
        ),
        case(
            M::MissingByAndWhenAttrs,
            SYNC,
            HISTORY_1,
            r#"<sx:history sequence="1"/>"#,
            r#"<sx:history sequence="1" when="2005-05-21T11:43:33Z" by="x"/>"#,
        ),
        case(
            M::MissingRecommendedAttribute,
            SYNC,
            HISTORY_1,
            r#"<sx:history sequence="1" when="2005-05-21T11:43:33Z"/>"#,
            r#"<sx:history sequence="1" when="2005-05-21T11:43:33Z" by="REO1750"/>"#,
        ),
    ]
}

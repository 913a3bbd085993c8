//! [`Message`]: every W3C Feed Validation Service message the validator gives, with its name,
//! its [`Severity`] and what it means; the names are stable (newswire stores them in its cache
//! and prints them as diagnostic codes), and so is each message's [`Message::index`].

/// How the W3C Feed Validation Service grades a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth fixing; feed readers cope.
    Warning,
    /// The feed breaks the spec.
    Error,
}

impl std::fmt::Display for Severity {
    /// `warning` or `error`, as `newswire validate --messages` lists them.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

macro_rules! messages {
    ($($name:ident $sev:ident $text:literal,)*) => {
        /// A W3C Feed Validation Service message newswire checks for.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Message { $(
            #[doc = $text]
            $name,
        )* }

        impl Message {
            /// Every message, in the order the README lists them; a new one goes at the end, so
            /// that no [`Message::index`] changes.
            pub const ALL: &'static [Message] = &[$(Message::$name),*];

            /// The W3C class name, e.g. `InvalidRFC2822Date`.
            pub fn name(self) -> &'static str {
                match self { $(Message::$name => stringify!($name),)* }
            }

            /// How the W3C service grades it.
            pub fn severity(self) -> Severity {
                match self { $(Message::$name => Severity::$sev,)* }
            }

            /// What it means, in a sentence.
            pub fn text(self) -> &'static str {
                match self { $(Message::$name => $text,)* }
            }
        }
    };
}

messages! {
    SAXError Error "The document is not well-formed XML.",
    UnicodeError Error "The document is not in the character encoding it declares, or declares one that does not exist.",
    ValidatorLimit Error "The document is larger than 5,000,000 bytes (the W3C service's limit) or nested deeper than 256 elements (newswire's own safety bound), and was not checked.",
    InvalidJson Error "A JSON Feed is not valid JSON, or its top level is not an object.",
    UndefinedElement Error "An element the format does not define.",
    MissingElement Error "A required element is missing.",
    MissingTitle Error "A required title is missing.",
    MissingLink Error "A required link is missing.",
    MissingDescription Error "A channel has no description.",
    MissingAttribute Error "A required attribute is missing.",
    DuplicateElement Error "An element that may appear once appears twice.",
    ItemMustContainTitleOrDescription Error "An item has neither a title nor a description.",
    InvalidRFC2822Date Error "A date is not in RFC 822 format (e.g. `Mon, 02 Jan 2006 15:04:05 +0000`).",
    ProblematicalRFC822Date Warning "A date is RFC 822 but not in the form RFC 2822 recommends.",
    IncorrectDOW Error "A date's day of the week is wrong.",
    InvalidRFC3339Date Error "A date is not in RFC 3339 format (e.g. `2006-01-02T15:04:05Z`).",
    InvalidW3CDTFDate Error "A Dublin Core date is not in W3C-DTF format.",
    ImplausibleDate Warning "A date is before 1990 or in the future.",
    InvalidFullLink Error "A link is not a full URL (scheme and host).",
    InvalidIRI Error "A URI reference is not a valid IRI.",
    InvalidURIAttribute Error "An attribute that must be a URI is not one.",
    InvalidURLAttribute Error "An attribute that must be an http(s) URL is not one.",
    InvalidUriChar Error "A URI contains a character that must be percent-encoded.",
    InvalidTAG Error "A `tag:` URI is malformed.",
    NonCanonicalURI Warning "An id is not in canonical form (lower-case scheme and host, no default port).",
    InvalidHttpGUID Error "A `guid` that is a permalink is not a full URL.",
    InvalidPermalink Error "A `guid` with `isPermaLink` true is a `tag:` or `urn:uuid:` URI.",
    InvalidBooleanAttribute Error "`isPermaLink` is neither `true` nor `false`.",
    DuplicateValue Error "Two items have the same `guid`.",
    DuplicateEntries Warning "Two entries have the same id.",
    DuplicateUpdated Warning "Two entries have the same updated time.",
    InvalidContact Error "An e-mail field is not an e-mail address (`name@example.com (Name)`).",
    MissingRealName Warning "An e-mail field has no name after the address.",
    InvalidAddrSpec Error "An Atom `email` is not an e-mail address.",
    ContainsEmail Warning "An author name contains an e-mail address.",
    ContainsHTML Warning "A plain-text field contains HTML markup or entities.",
    ContainsUndeclaredHTML Warning "An Atom text construct of type text contains HTML markup.",
    ContainsRelRef Warning "HTML content has a relative link or image reference.",
    SecurityRisk Warning "HTML content contains an element readers remove (script, iframe, object, …).",
    SecurityRiskAttr Warning "HTML content contains an event-handler attribute (`onclick`, …).",
    DangerousStyleAttr Warning "HTML content has a `style` attribute readers may strip.",
    NotBlank Warning "An element that must have content is empty.",
    NeedDescriptionBeforeContent Warning "`content:encoded` without a `description` before it.",
    InvalidTextType Error "An Atom text construct's `type` is a MIME type.",
    InvalidMIMEType Error "A `type` attribute is not a MIME type.",
    InvalidMIMEAttribute Error "An enclosure's `type` is not a MIME type.",
    MissingXhtmlDiv Error "XHTML content is not wrapped in an XHTML `div`.",
    InvalidPositiveInteger Error "A value must be a positive integer (`ttl`).",
    InvalidNonNegativeInteger Error "A value must be zero or a positive integer.",
    InvalidIntegerAttribute Error "An attribute must be an integer.",
    UseZeroForUnknown Error "An enclosure `length` of -1: use 0 for unknown.",
    InvalidWidth Error "A channel image `width` is not 1 to 144.",
    InvalidHeight Error "A channel image `height` is not 1 to 400.",
    InvalidDay Error "A `skipDays` day is not a day name.",
    InvalidHour Error "A `skipHours` hour is not 0 to 23.",
    InvalidLanguage Error "A language is not an ISO 639 code.",
    MissingGuid Warning "An item has no `guid`.",
    MissingAtomSelfLink Warning "An RSS channel has no `atom:link rel=\"self\"`.",
    MissingSelf Warning "An Atom feed has no `link rel=\"self\"`.",
    SelfDoesntMatchLocation Warning "The self link is not the address the feed is published at.",
    RelativeSelf Warning "The self link is relative.",
    DuplicateAtomLink Error "Two alternate links with the same type and hreflang.",
    MissingHref Error "An Atom link has no `href`.",
    UnregisteredAtomLinkRel Warning "An Atom link `rel` is neither registered nor a full URI.",
    MissingContentOrAlternate Error "An entry has neither content nor an alternate link.",
    MissingSummary Error "An entry whose content is not text or inline needs a summary.",
    MissingTextualContent Warning "An entry has neither content nor summary.",
    ImageLinkDoesntMatch Warning "A channel image `link` differs from the channel's.",
    ImageTitleDoesntMatch Warning "A channel image `title` differs from the channel's.",
    ImageUrlFormat Warning "A channel image is not JPEG, GIF or PNG.",
    DuplicateEnclosure Warning "An item has more than one enclosure.",
    MediaRssNamespace Error "The Media RSS namespace is written without its trailing slash.",
    InvalidMediaMedium Error "A `media:content` `medium` is not image, audio, video, document or executable.",
    AvoidNamespacePrefix Warning "An Atom document writes the Atom namespace with a prefix.",
    ReservedPrefix Warning "A well-known prefix (`dc`, `media`, `atom`, …) is bound to another namespace.",
    AttrNotBlank Warning "An attribute that must have a value is empty (`type=\"\"`, `rel=\"\"`, `title=\"\"`).",
    InvalidURN Error "A `urn:` URI is malformed (RFC 8141: `urn:<namespace>:<specific string>`).",
    InvalidUUID Error "A `urn:uuid:` URI does not hold a UUID (RFC 9562: 8-4-4-4-12 hexadecimal digits).",
    SchemeNotIANARegistered Warning "A URI's scheme is not registered with IANA (`feed:`, `javascript:`, `doi:`, …).",
    UnexpectedWhitespace Error "An Atom id, date or URI has whitespace around its value.",
    NotHtml Warning "Markup that should be HTML or XHTML is not: an unknown element, or an element in another namespace.",
    NotInline Warning "An XHTML text construct holds escaped markup instead of XHTML elements.",
    HtmlFragment Warning "Content of type `text/html` or `application/xhtml+xml` is a fragment, not a whole document.",
    NotEscaped Error "Content with `mode=\"escaped\"` (Atom 0.3) holds elements instead of escaped markup.",
    MissingNamespace Error "A feed's document element is in no namespace where its format needs one, or an element inside Atom XHTML content is in none (an undeclared prefix is a SAXError).",
    InvalidNamespace Error "A feed's document element is in the wrong namespace.",
    ObsoleteNamespace Error "An Atom feed uses the namespace of a pre-1.0 draft (Atom 0.3).",
    UnknownNamespace Warning "A namespace no feed vocabulary the validator knows of is declared.",
    UndeterminableVocabulary Warning "An element inside an Atom document is in no namespace, so its vocabulary cannot be told.",
    AtomLinkNotEmpty Warning "An Atom `link` has text content (links are empty elements).",
    EmailFormat Warning "An RSS e-mail field is not in the form `address (Name)`.",
    CharacterData Warning "RSS plain text written with `&lt;` or CDATA where the RSS Profile asks for hexadecimal character references.",
    UnexpectedText Error "Text where only elements may be.",
    MissingSourceElement Warning "An Atom entry's `source` lacks its feed's `id`, `title` or `updated`.",
    UnknownHost Warning "An e-mail address's domain is a single name (`jane@example`) that does not resolve on the Internet.",
    UseZeroForMidnight Warning "A `skipHours` hour is 24: midnight is 0.",
    EightDaysAWeek Error "A `skipDays` lists more than seven days.",
    InvalidFormComponentName Error "A `textInput` `name` does not start with a letter (it names a form field).",
    NotSufficientlyUnique Warning "A `guid` that is a short number is unlikely to stay unique.",
    MisplacedItem Warning "An RSS item comes before some of the channel's own elements (RSS Profile: channel elements first).",
    AvoidTextInput Warning "A channel has a `textInput`, which few readers support (RSS Profile).",
    UnknownEncoding Error "The XML declaration names a character encoding that does not exist.",
    BadCharacters Warning "Text holds C1 control characters (U+0080–U+009F) or U+FFFD: it was decoded with the wrong encoding somewhere.",
    MissingTypeAttr Warning "Atom `content` with `src` has no `type` saying what the linked resource is.",
    SelfNotAtom Warning "A self link's `type` is not a feed's (`application/atom+xml`, `application/rss+xml`).",
    MisplacedMetadata Error "An Atom feed element comes after an entry (the feed's own elements go first).",
    UnexpectedAttribute Error "An RSS element has an attribute RSS does not define (`isPermalink` for `isPermaLink`, …).",
    UseOfExtensionAttr Warning "An RSS element has an attribute from a namespace no vocabulary owns: RSS is extended with elements.",
    NotInANamespace Error "Inside an RSS 2.0 extension element, an element in no namespace.",
    UriNotIri Error "A URL holds characters outside ASCII where a URI is due: percent-encode them (and write the host in punycode).",
    MisplacedXHTMLContent Warning "An XHTML element among an Atom feed's or entry's elements, outside any text construct.",
    DuplicateIds Error "Every entry of an Atom feed (ten or more) has the same id.",
    SameDocumentReference Warning "A link resolves to its own `xml:base`, which is not where the feed is: readers may take it for the feed itself.",
    NotBase64 Error "Atom content of a MIME type other than text or XML is not base64.",
    SlashDate Warning "An item has `slash:comments` but the channel no `lastBuildDate` to date the count (RSS Profile).",
    DuplicateSemantics Warning "An RSS channel says the same thing with a core element and an extension element (`managingEditor` and `dc:creator`, …).",
    DuplicateItemSemantics Warning "An RSS item says the same thing with a core element and an extension element (`pubDate` and `dc:date`, …).",
    DuplicateDescriptionSemantics Warning "An RSS item has a second description (`xhtml:body`, `atom:content`).",
    InvalidTrueFalse Error "A value must be `true` or `false`.",
    IntegerOverflow Error "A number is larger than its element allows (2147483647).",
    InvalidInteger Error "A value must be an integer.",
    InvalidFloat Error "A value must be a decimal number.",
    TooLong Error "A value is longer than its element allows.",
    InvalidKeywords Warning "`itunes:keywords` must be separated by commas.",
    InvalidYesNoClean Error "`itunes:block` must be `yes`, `no` or `clean`.",
    InvalidItunesChannelType Error "`itunes:type` must be `episodic` or `serial`.",
    InvalidItunesEpisodeType Error "`itunes:episodeType` must be `full`, `trailer` or `bonus`.",
    InvalidDuration Error "`itunes:duration` must be seconds, `MM:SS` or `HH:MM:SS`.",
    InvalidItunesCategory Error "An `itunes:category` is not one of Apple's categories.",
    ObsoleteItunesCategory Warning "An `itunes:category` is one Apple no longer lists.",
    MissingItunesElement Warning "A podcast channel lacks an element Apple requires (`language`, `itunes:category`, `itunes:explicit`).",
    MissingItunesEmail Warning "A podcast channel has no `itunes:owner` with an `itunes:email`.",
    UnsupportedItunesFormat Warning "A podcast enclosure is a file type Apple Podcasts does not play.",
    InvalidSseType Error "An `sx:related` `type` must be `complete` or `aggregated`.",
    InvalidNSS Error "A FeedSync id is not a valid URN namespace-specific string.",
    SinceAfterUntil Error "An `sx:sharing` `since` is after its `until`.",
    MissingByAndWhenAttrs Error "An `sx:history` has neither `by` nor `when`.",
    MissingRecommendedAttribute Warning "An element lacks an attribute it should have.",
    InvalidLatitude Error "A latitude is not a number from -90 to 90.",
    InvalidLongitude Error "A longitude is not a number from -180 to 180.",
    CoordComma Warning "GeoRSS coordinates are separated by a comma instead of a space.",
    InvalidCoord Error "A GeoRSS point is not two numbers (`lat long`).",
    InvalidCoordList Error "A GeoRSS line or polygon is not a list of coordinate pairs.",
    InvalidCommaSeparatedIntegers Error "A value must be integers separated by commas.",
    NoThrWhen Error "`thr:when` is not defined: the threading extension calls it `thr:updated`.",
    InvalidISO8601DateTime Error "A date-time is not in ISO 8601 format.",
    CommentRSS Warning "`wfw:commentRSS` is misspelt: the element is `wfw:commentRss`.",
    InvalidMetaName Error "An `xhtml:meta` in a feed must be named `robots`.",
    InvalidMetaContent Error "An `xhtml:meta` robots value is not index/noindex, follow/nofollow, all or none.",
    InvalidAccessRestrictionRel Error "An `access:restriction` `relationship` must be `allow` or `deny`.",
    InvalidUpdatePeriod Error "`sy:updatePeriod` must be hourly, daily, weekly, monthly or yearly.",
    InvalidRDF Error "An RSS 1.0 extension element is not valid RDF (text beside child elements).",
    FeedHistoryRelInEntry Warning "A feed paging relation (`next`, `prev-archive`, …) on an entry's link.",
    FeedRelInCompleteFeed Error "A complete feed (`fh:complete`) links to another page of itself.",
    CurrentNotSelfInCompleteFeed Error "A complete feed's `current` link is not its self link.",
    LinkPastEnd Error "The first page links to a previous one, or the last page to a next one.",
    MissingCurrentInArchive Warning "An archive feed (`fh:archive`) has no `current` link.",
    ArchiveIncomplete Warning "An archive feed has neither a `prev-archive` nor a `next-archive` link.",
    DeprecatedMediaAdult Warning "`media:adult` is deprecated: use `media:rating`.",
    InvalidMediaTextType Error "A Media RSS text `type` must be `plain` or `html`.",
    InvalidNPTTime Error "A Media RSS time is not Normal Play Time (`now`, seconds, or `h:mm:ss`).",
    InvalidCreditRole Error "A `media:credit` `role` is not a role name (lower case).",
    InvalidMediaHash Error "A `media:hash` is not an MD5 or SHA-1 hex digest.",
    InvalidMediaRating Error "A `media:rating` is not a rating of its scheme.",
    InvalidMediaRestriction Error "A `media:restriction` without a type must be `all` or `none`.",
    InvalidMediaRestrictionRel Error "A `media:restriction` `relationship` must be `allow` or `deny`.",
    InvalidMediaRestrictionType Error "A `media:restriction` `type` must be `country` or `uri`.",
    InvalidCountryCode Error "A country is not an ISO 3166 two-letter code.",
    InvalidMediaExpression Error "A `media:content` `expression` must be `sample`, `full` or `nonstop`.",
    MediaGroupWithoutAlternatives Error "A `media:group` holds fewer than two `media:content` alternatives.",
    InvalidYesNo Error "A value must be `yes` or `no`.",
    ConflictingCatAttr Error "An `app:categories` that points elsewhere (`href`) also has `fixed` or `scheme`.",
    ConflictingCatChildren Error "An `app:categories` that points elsewhere (`href`) also lists categories.",
    UndefinedParam Warning "A media range in `app:accept` has a parameter APP does not define (`q`).",
    InvalidRSSVersion Error "An `rss` `version` is not 0.91, 0.92 or 2.0.",
    NoBlink Error "There is no `blink` element in RSS.",
    ObsoleteWikiNamespace Warning "The wiki module is declared with its old (usemod.com) namespace.",
    QuestionableUsage Warning "An element that is allowed here but probably not meant (an Atom element in an `app:collection`).",
    BadXmlVersion Error "The XML declaration gives a version other than 1.0.",
    ObscureEncoding Warning "The document is in an encoding few feed readers know.",
    DeprecatedDTD Error "The RSS 0.91 DTD is named at Netscape's old address: use the RSS Advisory Board's.",
    InvalidDoctype Error "The RSS 0.91 DTD is declared on an RSS document of another version.",
    NotUTF8 Warning "A podcast is not in UTF-8, which Apple Podcasts expects.",
    UnexpectedContentType Warning "The server sends the feed with a Content-Type that is not a feed's, or not this kind of feed's.",
    NonSpecificMediaType Warning "The server sends the feed as generic XML (`text/xml`, `application/xml`) and it does not look like a feed at the start.",
    EncodingMismatch Warning "The charset the server declares in Content-Type is not the encoding the document declares.",
}

impl Message {
    /// The message named `name`, if newswire checks for it.
    pub fn from_name(name: &str) -> Option<Message> {
        Message::ALL.iter().copied().find(|m| m.name() == name)
    }
}

impl Message {
    /// The message's position in [`Message::ALL`]: a small stable number for it, e.g. to
    /// store or index by. New messages are added at the end of the list, so an index never
    /// changes meaning.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The message at `index` in [`Message::ALL`], if there is one.
    pub fn from_index(index: usize) -> Option<Message> {
        Message::ALL.get(index).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_a_unique_name_and_a_text() {
        let mut names: Vec<_> = Message::ALL.iter().map(|m| m.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Message::ALL.len());
        assert!(Message::ALL.iter().all(|m| m.text().ends_with('.')));
        assert_eq!(Message::from_name("SAXError"), Some(Message::SAXError));
    }

    #[test]
    fn indexes_round_trip_and_stay_put() {
        for (i, &m) in Message::ALL.iter().enumerate() {
            assert_eq!(m.index(), i);
            assert_eq!(Message::from_index(i), Some(m));
        }
        assert_eq!(Message::from_index(Message::ALL.len()), None);
        // Pinned: changing these would change what a stored index means.
        assert_eq!(Message::SAXError.index(), 0);
        assert_eq!(Message::ReservedPrefix.index(), 74);
    }
}

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

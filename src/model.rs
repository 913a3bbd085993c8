//! The canonical data every stage after `normalise` works on: plain values, no I/O.
//!
//! An [`Item`] is one article, validated and typed: it always has a title, an absolute
//! `http(s)` link, a stable id and a UTC date. Nothing from the input file that the feeds do not
//! publish (the `secured` blob, scores other than `quality`) is kept here, so no later stage can
//! leak it.
//!
//! The values that cross a stage boundary live here too: the [`Record`] of one article file
//! (what normalise made of it), the [`Head`] grouping works on, the [`Placement`] grouping
//! decides for each item, and the [`Entry`] a renderer shows. Items themselves wait in an
//! [`ItemSource`] (the cache's item store) and are reached through an opaque [`ItemRef`].

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;
use crate::error::Damaged;

/// One article, ready to be placed in feeds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// Stable identity: the canonical form of [`Item::link`] (lower-case scheme and host, no
    /// fragment). Used as RSS `guid` and Atom `id` in every feed and format.
    pub id: String,
    /// The page a reader opens: an absolute `http`/`https` URL.
    pub link: String,
    /// The original source page, when it differs from `link` (Atom `link rel="via"`).
    pub via: Option<String>,
    /// Plain-text headline: entities decoded once, markup stripped, whitespace collapsed.
    pub title: String,
    /// Plain-text summary (the article's excerpt).
    pub summary: Option<String>,
    /// Publication time the file gives (RSS `pubDate`, Atom `published`); `None` for an
    /// undated item, which is dated after normalising (see [`Head::published`]).
    pub published: Option<DateTime<Utc>>,
    /// What kind of item this is.
    pub kind: Kind,
    /// What only some kinds carry (a video's length, an event's start, a course's price, …).
    pub details: Details,
    /// Popularity (`heat`), for feed definitions; not shown.
    pub heat: i64,
    /// Who published the article; `None` falls back to the feed's author.
    pub provider: Option<Provider>,
    /// Topic names as written (cleaned); `group` maps them onto one [`Topic`] each.
    pub topics: Vec<String>,
    /// Every usable image, largest (by area) first; the first represents the item.
    pub images: Vec<Image>,
    /// Other outlets' reports of the same story.
    pub related: Vec<Related>,
    /// The article body as sanitised HTML with absolute URLs (only with `full_content`).
    pub body_html: Option<String>,
    /// Editorial score; decides which copy of a duplicated article is kept.
    pub quality: i64,
    /// The article file this item came from.
    pub source: PathBuf,
}

/// Hashes what a feed shows of the item — every field but `source`, `quality` and `heat`, so
/// a renamed file or a re-scored article does not count as a change (a feed whose order they
/// decide hashes its order). (Destructured so that a new field
/// cannot be forgotten here.)
impl Hash for Item {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let Item {
            id,
            link,
            via,
            title,
            summary,
            published,
            kind,
            details,
            heat: _,
            provider,
            topics,
            images,
            related,
            body_html,
            quality: _,
            source: _,
        } = self;
        (id, link, via, title, summary, published, kind, details).hash(state);
        (provider, topics, images, related, body_html).hash(state);
    }
}

impl Item {
    /// The representative image: the largest.
    pub fn image(&self) -> Option<&Image> {
        self.images.first()
    }
}

/// What grouping needs of an [`Item`]: small, so a build holds one per article file and the
/// items themselves wait in an [`ItemSource`]. Providers and topic names are shared between
/// the heads that carry them.
#[derive(Debug, Clone, PartialEq)]
pub struct Head {
    /// [`Item::id`].
    pub id: Box<str>,
    /// [`id_key`] of the id.
    pub key: IdKey,
    /// When the item was published: [`Item::published`], or for an undated item the date it
    /// is given after normalising (see [`Head::dated`]).
    pub published: DateTime<Utc>,
    /// Whether [`Head::published`] comes from the file itself.
    pub dated: bool,
    /// [`Item::heat`].
    pub heat: i64,
    /// [`Item::quality`].
    pub quality: i64,
    /// [`Item::source`].
    pub source: Box<Path>,
    /// [`Item::topics`].
    pub topics: Box<[Arc<str>]>,
    /// [`Item::provider`].
    pub provider: Option<Arc<Provider>>,
    /// The [`id_key`]s of [`Item::related`].
    pub related: Box<[IdKey]>,
    /// A hash of everything a feed shows of the item as normalised (see `Hash for Item`).
    pub digest: u64,
    /// Where the item is kept.
    pub item: ItemRef,
    /// [`Item::kind`].
    pub kind: Kind,
    /// What few items carry: an event's start. Boxed and absent for the others.
    pub extra: Option<Box<HeadExtra>>,
}

/// The date each undated article file was first published under, by its path relative to the
/// input folder (`/`-separated): what a build gave it (its git date, else that build's
/// `--now`). Kept in `manifest.json`, so an item keeps its date while the output folder is kept
/// (see the `dating` module).
pub type FirstSeen = std::collections::BTreeMap<String, DateTime<Utc>>;

/// Where each archived feed's archive pages begin, as the last build left them: by the feed's
/// folder (`""` for the feed of everything), the first key of each page, page 1 first. An item
/// belongs to the last page whose first key is not after its own key, so pages keep their
/// items from build to build (see `render::archive`).
pub type PageStarts = std::collections::BTreeMap<String, Vec<PageKey>>;

/// What a build records of its archive pages in the manifest, for the next build.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageState {
    /// Items per page the pages were cut with.
    pub archive_page: usize,
    /// The byte budget the pages were cut with.
    pub max_bytes: usize,
    /// Where each archived feed's pages begin.
    pub feeds: PageStarts,
}

impl PageState {
    /// Whether no feed has archive pages.
    pub fn is_empty(&self) -> bool {
        self.feeds.is_empty()
    }
}

/// What a build records for Atom tombstones (RFC 6721), with `tombstones: true`: the items it
/// published, each with the folders of the feeds it was in, and the items withdrawn since.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tombstones {
    /// Every published item's id, with the folders of the feeds it is in.
    pub published: std::collections::BTreeMap<String, Vec<String>>,
    /// Items withdrawn by a build (no longer published): their id, when, and the feeds they
    /// were in.
    pub withdrawn: std::collections::BTreeMap<String, Withdrawn>,
}

impl Tombstones {
    /// Whether nothing is recorded (tombstones off).
    pub fn is_empty(&self) -> bool {
        self.published.is_empty() && self.withdrawn.is_empty()
    }
}

/// An item a build found withdrawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withdrawn {
    /// The build's `--now` when it was first found gone.
    pub when: DateTime<Utc>,
    /// The folders of the feeds it was in.
    pub feeds: Vec<String>,
}

/// The key that orders an archive's items, oldest first: the publication date, then the id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PageKey {
    /// The item's publication date.
    pub published: DateTime<Utc>,
    /// The item's id.
    pub id: String,
}

/// An item id, hashed: its 128-bit XXH3, so ids can be matched without keeping them.
pub type IdKey = u128;

/// The [`IdKey`] of an id.
pub fn id_key(id: &str) -> IdKey {
    xxhash_rust::xxh3::xxh3_128(id.as_bytes())
}

/// A hash of `value` that is the same on every run and machine (XXH3, the one hash family of
/// everything newswire compares across builds: digests, fingerprints, checksums).
pub fn stable_hash<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3Default::new();
    value.hash(&mut hasher);
    hasher.finish()
}

impl Head {
    /// The head of `item`, kept at `at`.
    pub fn new(item: &Item, at: ItemRef) -> Head {
        Head {
            id: item.id.as_str().into(),
            key: id_key(&item.id),
            published: item.published.unwrap_or(DateTime::UNIX_EPOCH),
            dated: item.published.is_some(),
            heat: item.heat,
            kind: item.kind.clone(),
            extra: HeadExtra::of(item.details.start),
            quality: item.quality,
            source: item.source.clone().into_boxed_path(),
            topics: item.topics.iter().map(|t| Arc::from(t.as_str())).collect(),
            provider: item.provider.clone().map(Arc::new),
            related: item.related.iter().map(|r| id_key(&r.id)).collect(),
            digest: stable_hash(item),
            item: at,
        }
    }
}

/// The part of a [`Head`] that few items carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadExtra {
    /// [`Details::start`]: when an event starts.
    pub start: DateTime<Utc>,
}

impl HeadExtra {
    /// The extra part of a head starting at `start`: none for an item without one.
    pub fn of(start: Option<DateTime<Utc>>) -> Option<Box<HeadExtra>> {
        start.map(|start| Box::new(HeadExtra { start }))
    }
}

impl Head {
    /// [`Details::start`]: when an event starts.
    pub fn start(&self) -> Option<DateTime<Utc>> {
        self.extra.as_ref().map(|e| e.start)
    }
}

/// Where an item is kept in an [`ItemSource`], and a checksum of its encoded bytes. Opaque to
/// every stage but the store that hands it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ItemRef {
    /// Byte offset in the store's file or memory.
    pub offset: u64,
    /// Length in bytes.
    pub len: u32,
    /// In memory rather than in the file.
    pub memory: bool,
    /// Checksum of the bytes: a file changed behind newswire's back is noticed.
    pub check: u64,
}

/// Where the items wait until a feed that shows them is rendered.
pub trait ItemSource: Sync {
    /// Reads the item at `at` back.
    fn item(&self, at: ItemRef) -> Result<Item, Damaged>;
}

/// What grouping decided about one item of the catalogue (kept beside its [`Head`], once).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Placement {
    /// Atom `updated`: the publication time, made unique across the catalogue (items
    /// published in the same instant are a millisecond apart, in id order), because readers
    /// and the W3C validator (DuplicateUpdated) tell entries apart by it.
    pub updated: DateTime<Utc>,
    /// The index of each of the item's topics in the catalogue's topics, in the article's
    /// order.
    pub categories: Box<[u32]>,
    /// The items that list this one as related, which it does not list back: they are shown
    /// among its related reports.
    pub mutual: Box<[u32]>,
}

/// One item as a feed shows it: the item as normalised, with what grouping decided about it.
/// It dereferences to the [`Item`]; [`Entry::related`] is the only way to its related reports
/// (the item's own and those grouping made mutual).
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The item, as normalised.
    pub item: Item,
    /// [`Head::published`]: when the item was published (for an undated item, the date it was
    /// given).
    pub published: DateTime<Utc>,
    /// [`Placement::updated`].
    pub updated: DateTime<Utc>,
    /// [`Placement::categories`].
    pub categories: Vec<u32>,
    /// The related reports grouping made mutual, after the item's own.
    pub mutual: Vec<Related>,
    /// A collection's members found among the published items (`Catalog::members` in `group`), each
    /// as a link with its title (and provider).
    pub members: Vec<Related>,
}

impl Entry {
    /// Every related report: the item's own, then those grouping made mutual.
    pub fn related(&self) -> impl Iterator<Item = &Related> + '_ {
        self.item.related.iter().chain(&self.mutual)
    }

    /// Whether the item has any related report.
    pub fn has_related(&self) -> bool {
        !self.item.related.is_empty() || !self.mutual.is_empty()
    }
}

impl std::ops::Deref for Entry {
    type Target = Item;

    fn deref(&self) -> &Item {
        &self.item
    }
}

/// What one article file came to: an item (its head; the item itself is in the store), or
/// none, and the file's diagnostics. It depends only on the file and the rules that shape
/// items, never on the clock, so the cache keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// What became of the article.
    pub outcome: Kept,
    /// Every problem found, errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// The file line of the article's date, for a later `future-date` warning.
    pub date_line: usize,
}

/// What became of an article.
#[derive(Debug, Clone, PartialEq)]
pub enum Kept {
    /// It goes into feeds.
    Item(Box<Head>),
    /// `published: false` or `removed: true`.
    Unpublished,
    /// Too broken to publish.
    Rejected,
    /// Not a feed item by a documented rule: a profile (person, company).
    Excluded,
    /// Not an article at all (see [`Skip`]): neither published nor rejected.
    Skipped(Skip),
}

/// Why a file the walk found is not an article at all, so it is neither published nor
/// rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Skip {
    /// A `.md` or `.txt` file that neither opens with `---` nor starts with a YAML
    /// `key: value` line, such as a folder's `README.md`: listed once in the summary.
    NotAnArticle,
    /// An `.html` file without front matter: a web page, passed over without a word.
    Page,
}

/// What kind of thing an item is. It decides the `kinds/<kind>/` feed the item is in and what
/// readers are shown of it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Kind {
    /// News and learning articles.
    #[default]
    Article,
    /// A video (Media RSS `medium="video"`).
    Video,
    /// A conference or other event.
    Event,
    /// A course.
    Course,
    /// A book.
    Book,
    /// An answer to a question.
    Answer,
    /// A list of other items.
    Collection,
    /// A downloadable sample.
    Download,
    /// A newsletter issue.
    Newsletter,
    /// A person or company: not a feed item.
    Profile,
    /// A `type` outside this list, under its own name (lower-case).
    Other(Box<str>),
}

impl Kind {
    /// Every named kind.
    pub const KNOWN: [Kind; 10] = [
        Kind::Article,
        Kind::Video,
        Kind::Event,
        Kind::Course,
        Kind::Book,
        Kind::Answer,
        Kind::Collection,
        Kind::Download,
        Kind::Newsletter,
        Kind::Profile,
    ];

    /// The kind's name, as in feed paths and the config (`video`, `event`, …).
    pub fn name(&self) -> &str {
        match self {
            Kind::Article => "article",
            Kind::Video => "video",
            Kind::Event => "event",
            Kind::Course => "course",
            Kind::Book => "book",
            Kind::Answer => "answer",
            Kind::Collection => "collection",
            Kind::Download => "download",
            Kind::Newsletter => "newsletter",
            Kind::Profile => "profile",
            Kind::Other(name) => name,
        }
    }

    /// The kind a name stands for: one of [`Kind::KNOWN`], else [`Kind::Other`].
    pub fn from_name(name: &str) -> Kind {
        let folded = name.trim().to_lowercase();
        Kind::KNOWN
            .into_iter()
            .find(|k| k.name() == folded)
            .unwrap_or_else(|| Kind::Other(folded.into()))
    }
}

/// What only some kinds of item carry. Every field is empty for a plain article.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Details {
    /// Video: its length in seconds (from the ISO 8601 `length`, e.g. `PT4M51S`).
    pub duration: Option<u32>,
    /// Course: its length as written (`10 Weeks`, `1h 57m`).
    pub length: Option<String>,
    /// Video: the player's URL (the `src` of the `featuredContent` iframe), absolute http(s).
    pub player: Option<String>,
    /// Event: when it starts.
    pub start: Option<DateTime<Utc>>,
    /// Event: when it ends.
    pub end: Option<DateTime<Utc>>,
    /// Event: where it takes place.
    pub location: Option<String>,
    /// Course, book: the levels it is for (`Beginner`, …).
    pub levels: Vec<String>,
    /// Course, book: its price as written (`Free`, `$83.05`).
    pub price: Option<String>,
    /// Book: its rating, as written (`4.6 from 120 ratings`).
    pub rating: Option<String>,
    /// Course, book: its authors or publishers.
    pub authors: Vec<String>,
    /// Collection: the items it names, as written (paths below the learning folder).
    pub members: Vec<String>,
    /// Download: the file to download.
    pub download: Option<Download>,
}

/// A file an item offers for download (RSS `enclosure`, Atom `link rel="enclosure"`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Download {
    /// Absolute http(s) URL.
    pub url: String,
    /// Its MIME type, when known (an enclosure is only written with a known type).
    pub mime: Option<String>,
}

/// Another outlet's report of the same story (from the article's `related` list).
#[derive(Debug, Clone, PartialEq, Hash, Eq, Serialize, Deserialize)]
pub struct Related {
    /// Canonical id of the report's link (as [`Item::id`]).
    pub id: String,
    /// The report's page.
    pub link: String,
    /// Its plain-text headline.
    pub title: String,
    /// The outlet's name, when known.
    pub provider: Option<String>,
}

/// The outlet an article comes from.
#[derive(Debug, Clone, PartialEq, Hash, Eq, Serialize, Deserialize)]
pub struct Provider {
    /// Display name, e.g. `TechSpot`.
    pub name: String,
    /// Lower-case ASCII host name, e.g. `techspot.com`.
    pub domain: Option<String>,
    /// The outlet's logo (`provider.images`), absolute.
    pub logo: Option<Image>,
}

impl Provider {
    /// The provider's home page, `https://<domain>/`, when the domain is known.
    pub fn uri(&self) -> Option<String> {
        self.domain
            .as_ref()
            .map(|domain| format!("https://{domain}/"))
    }

    /// The key that decides which providers share a feed: a provider is its name within its
    /// domain. When the name spells the domain ([`Provider::names_its_domain`]: `TechSpot` on
    /// `techspot.com`) the key is the domain alone; otherwise the domain and the name, slugged
    /// (`youtube.com adrian-twarog` for a channel, `microsoft.com microsoft-learn`); without a
    /// domain, the folded name. It depends on this provider alone, so a provider added to a
    /// domain never changes the key (nor the feed folder, its slug) of another.
    pub fn key(&self) -> String {
        match &self.domain {
            Some(domain) if self.names_its_domain() => domain.clone(),
            Some(domain) => format!("{domain} {}", slug::slugify(&self.name)),
            None => topic_key(&self.name),
        }
    }

    /// Whether the name spells the domain. Its words (slugged: case, accents and punctuation
    /// folded; a leading `The` dropped) spell the domain when they
    /// - run together into consecutive words of the domain, each word whole or shortened
    ///   (`TechSpot`: techspot.com, `Northwind Review`: northwind-review.example, `Phys.org`:
    ///   phys.org, `New York Times`: nytimes.com, `PC Magazine`: pcmag.com);
    /// - run together, are part of one word of the domain, three letters or more (`Mint`:
    ///   livemint.com, `The Diplomat`: thediplomat.com);
    /// - are each a word of the domain (`Example News`: news.example, `AWS`: aws.amazon.com).
    ///
    /// `Microsoft Learn` on microsoft.com does not (`learn` is no part of the domain), nor does
    /// a channel on youtube.com. A name with no letters or digits counts as the domain's.
    pub fn names_its_domain(&self) -> bool {
        let Some(domain) = &self.domain else {
            return false;
        };
        let name = slug::slugify(&self.name);
        let mut words: Vec<&str> = name.split('-').filter(|w| !w.is_empty()).collect();
        if words.len() > 1 && words[0] == "the" {
            words.remove(0);
        }
        if words.is_empty() {
            return true;
        }
        let host = slug::slugify(domain);
        let labels: Vec<&str> = host.split('-').filter(|w| !w.is_empty()).collect();
        let joined = words.concat();
        // (A domain has at most 127 labels; a hostile one costs runs × the check above.)
        let spelled = labels.len() <= 16
            && (0..labels.len()).any(|start| {
                (start + 1..=labels.len()).any(|end| shortens(&words, &labels[start..end].concat()))
            });
        spelled
            || (joined.len() >= 3 && labels.iter().any(|label| label.contains(&joined)))
            || words.iter().all(|w| labels.contains(w))
    }
}

/// Whether `text` is `words` run together, each word whole or cut short (never left out).
/// Where each word can end is tracked position by position, so a name of many alike words
/// costs words × text × word length, never more.
fn shortens(words: &[&str], text: &str) -> bool {
    let text = text.as_bytes();
    let mut ends = vec![false; text.len() + 1];
    ends[0] = true;
    for word in words {
        let word = word.as_bytes();
        let mut next = vec![false; text.len() + 1];
        for start in (0..text.len()).filter(|&p| ends[p]) {
            let rest = &text[start..];
            let common = word.iter().zip(rest).take_while(|(a, b)| a == b).count();
            for k in 1..=common {
                next[start + k] = true;
            }
        }
        ends = next;
    }
    ends[text.len()]
}

/// An image attached to an item (Media RSS `media:content`, Atom enclosure link).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Image {
    /// Absolute `http`/`https` URL.
    pub url: String,
    /// Width in pixels, when known.
    pub width: Option<u32>,
    /// Height in pixels, when known.
    pub height: Option<u32>,
    /// MIME type taken from the URL's extension or its format hint (`?format=jpeg`), e.g.
    /// `image/jpeg` (one of [`IMAGE_TYPES`]); `None` for a URL without an extension that
    /// gives no hint: the image is shown, but never named in an enclosure, which needs a type.
    pub mime: Option<&'static str>,
}

/// Hashes the fields in order, an unknown type as the empty text: the same hash an image had
/// when every image had a type, so feeds of such images keep their fingerprints.
impl Hash for Image {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let Image {
            url,
            width,
            height,
            mime,
        } = self;
        (url, width, height, mime.unwrap_or_default()).hash(state);
    }
}

/// Image file extensions and their MIME types: the only image types newswire publishes.
pub const IMAGE_TYPES: &[(&str, &str)] = &[
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("jpe", "image/jpeg"),
    ("jfif", "image/jpeg"),
    ("png", "image/png"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
    ("avif", "image/avif"),
    ("svg", "image/svg+xml"),
    ("bmp", "image/bmp"),
    ("ico", "image/vnd.microsoft.icon"),
    ("tif", "image/tiff"),
    ("tiff", "image/tiff"),
];

/// [`Image`] as stored (its MIME type owned), turned back into one by checking the type.
#[derive(Deserialize)]
struct ImageRecord {
    url: String,
    width: Option<u32>,
    height: Option<u32>,
    mime: Option<String>,
}

impl<'de> Deserialize<'de> for Image {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Image, D::Error> {
        Image::try_from(ImageRecord::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

impl TryFrom<ImageRecord> for Image {
    type Error = String;

    fn try_from(record: ImageRecord) -> Result<Image, String> {
        let mime = match record.mime {
            None => None,
            Some(stored) => Some(
                IMAGE_TYPES
                    .iter()
                    .map(|&(_, mime)| mime)
                    .find(|&mime| mime == stored)
                    .ok_or_else(|| format!("unknown image type {stored}"))?,
            ),
        };
        Ok(Image {
            url: record.url,
            width: record.width,
            height: record.height,
            mime,
        })
    }
}

/// A topic feed's identity: every spelling that folds to the same key shares it.
#[derive(Debug, Clone, PartialEq, Hash, Eq)]
pub struct Topic {
    /// The display name chosen for the group of spellings.
    pub name: String,
    /// The path segment: lower-case ASCII, unique among topics.
    pub slug: String,
}

/// Which feed this is.
#[derive(Debug, Clone, PartialEq, Hash, Eq, PartialOrd, Ord)]
pub enum FeedKind {
    /// Every published item.
    All,
    /// Items carrying one topic.
    Topic,
    /// Items from one provider.
    Provider,
    /// Items of one kind (video, event, …).
    Kind,
    /// A feed the newsroom defines in the config (`feeds:`).
    Defined,
}

/// One feed to render: metadata plus the items in it, newest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Feed {
    /// What the feed groups.
    pub kind: FeedKind,
    /// The topic, provider or kind name, or a defined feed's title (`None` for the feed of
    /// everything).
    pub name: Option<String>,
    /// Output folder relative to the output root, with a trailing `/` (empty for the root).
    pub dir: String,
    /// Indices into the catalogue's items, newest first, at most `limit` of them.
    pub items: Vec<usize>,
    /// The provider shown as feed author, for provider feeds.
    pub provider: Option<Provider>,
    /// A description of its own (defined feeds that give one).
    pub description: Option<String>,
    /// Whether the feed has archive pages (RFC 5005), which hold its items that `items` does
    /// not show.
    pub archive: bool,
    /// With `archive`: every member, before stories are merged and the feed is cut, in
    /// catalogue order (newest first); empty otherwise.
    pub all: Vec<usize>,
}

/// The syndication format of a rendered file.
#[derive(Debug, Clone, Copy, PartialEq, Hash, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FeedFormat {
    /// RSS 2.0
    Rss,
    /// Atom 1.0
    Atom,
    /// JSON Feed 1.1
    Json,
}

impl FeedFormat {
    /// Every format, in the order files are produced.
    pub const ALL: [FeedFormat; 3] = [FeedFormat::Rss, FeedFormat::Atom, FeedFormat::Json];

    /// The format's name in the config file and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            FeedFormat::Rss => "rss",
            FeedFormat::Atom => "atom",
            FeedFormat::Json => "json",
        }
    }

    /// The file name inside a feed's folder.
    pub fn file_name(self) -> &'static str {
        match self {
            FeedFormat::Rss => "rss.xml",
            FeedFormat::Atom => "atom.xml",
            FeedFormat::Json => "feed.json",
        }
    }

    /// The media type to announce for this format.
    pub fn media_type(self) -> &'static str {
        match self {
            FeedFormat::Rss => "application/rss+xml",
            FeedFormat::Atom => "application/atom+xml",
            FeedFormat::Json => "application/feed+json",
        }
    }
}

/// One rendered feed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// Path relative to the output folder, `/`-separated, e.g. `topics/ai/rss.xml`.
    pub path: String,
    /// What feed this file is; `None` for the site files (OPML list, index page, stylesheet).
    pub feed: Option<FeedInfo>,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// A file the build will produce, known before it is rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    /// Path relative to the output folder.
    pub path: String,
    /// Fingerprint of everything the file is rendered from, for files that have one: a build
    /// that finds the same fingerprint in the previous manifest need not render it again.
    pub input: Option<String>,
}

/// What the manifest records about a feed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedInfo {
    /// Format of the file.
    pub format: FeedFormat,
    /// Feed title.
    pub title: String,
    /// Number of items.
    pub items: usize,
    /// Date of the newest item, RFC 3339.
    pub newest: Option<String>,
}

/// Hashes the feed's own fields and how many items it has, not their positions in the
/// catalogue (which shift whenever an article is added elsewhere); renderers hash the items.
impl Hash for Feed {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let Feed {
            kind,
            name,
            dir,
            items,
            provider,
            description,
            archive,
            all,
        } = self;
        (kind, name, dir, items.len(), provider).hash(state);
        // Only when there is one, so the fingerprints of feeds without stay as they were.
        if let Some(description) = description {
            description.hash(state);
        }
        // Likewise: an archived feed links its newest archive page (hashed where it is
        // rendered); the other members are the archive pages' business.
        if *archive {
            (archive, all.len()).hash(state);
        }
    }
}

/// The folding that makes `AI`, `ai` and ` AI ` one topic: trimmed, whitespace collapsed,
/// lower-cased.
pub fn topic_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An item with every field filled, for tests of the stages that move items around.
    pub(crate) fn sample_item(link: &str) -> Item {
        let published = DateTime::parse_from_rfc3339("2024-05-06T07:08:09Z")
            .unwrap()
            .to_utc();
        Item {
            id: link.into(),
            link: link.into(),
            via: Some("https://source.example/x".into()),
            title: "Títle".into(),
            summary: Some("Summary".into()),
            published: Some(published),
            kind: Kind::Article,
            details: Details::default(),
            heat: 0,
            provider: Some(Provider {
                name: "Outlet".into(),
                domain: Some("outlet.example".into()),
                logo: Some(Image {
                    url: "https://outlet.example/logo.png".into(),
                    width: Some(50),
                    height: None,
                    mime: Some("image/png"),
                }),
            }),
            topics: vec!["AI".into(), "Cars".into()],
            images: vec![],
            related: vec![Related {
                id: "https://other.example/1".into(),
                link: "https://other.example/1".into(),
                title: "Other".into(),
                provider: Some("Other".into()),
            }],
            body_html: Some("<p>Body</p>".into()),
            quality: 7,
            source: PathBuf::from("a.md"),
        }
    }

    #[test]
    fn topic_key_folds_case_and_spacing() {
        assert_eq!(topic_key(" AI "), topic_key("ai"));
        assert_eq!(topic_key("AI  in\tAutos"), "ai in autos");
    }

    #[test]
    fn provider_uri_needs_a_domain() {
        let p = Provider {
            name: "TechSpot".into(),
            domain: Some("techspot.com".into()),
            logo: None,
        };
        assert_eq!(p.uri().as_deref(), Some("https://techspot.com/"));
        assert_eq!(p.key(), "techspot.com");
        let q = Provider {
            name: "Some  Blog".into(),
            domain: None,
            logo: None,
        };
        assert_eq!(q.uri(), None);
        assert_eq!(q.key(), "some blog");
    }

    #[test]
    fn a_provider_is_its_name_within_its_domain() {
        let key = |name: &str, domain: &str| {
            Provider {
                name: name.into(),
                domain: Some(domain.into()),
                logo: None,
            }
            .key()
        };
        // Names that spell their domain keep the domain as key (and its feed folder).
        for (name, domain) in [
            ("TechSpot", "techspot.com"),
            ("The Circuit Ledger", "circuitledger.example"),
            ("Northwind Review", "northwind-review.example"),
            ("Neural Compute Summit", "neuralcompute-summit.example"),
            ("Example News", "news.example"),
            ("Phys.org", "phys.org"),
            ("AWS", "aws.amazon.com"),
            ("Google Developers", "developers.google.com"),
            ("EurekAlert!", "eurekalert.org"),
            ("Microsoft", "microsoft.com"),
            ("New York Times", "nytimes.com"),
            ("Mint", "livemint.com"),
            ("The Diplomat", "thediplomat.com"),
            ("", "x.org"),
        ] {
            assert_eq!(key(name, domain), domain, "{name}");
        }
        // Others are a provider of their own within the domain.
        assert_eq!(
            key("Microsoft Learn", "microsoft.com"),
            "microsoft.com microsoft-learn"
        );
        assert_eq!(
            key("Power Apps Community", "microsoft.com"),
            "microsoft.com power-apps-community"
        );
        assert_eq!(
            key("Adrian Twarog", "youtube.com"),
            "youtube.com adrian-twarog"
        );
        assert_eq!(key("edureka!", "youtube.com"), "youtube.com edureka");
        assert_eq!(key("Futurology", "youtube.com"), "youtube.com futurology");
        assert_eq!(key("news", "mit.edu"), "mit.edu news");
        // Many alike words against a long domain: answered at once (they shorten to it).
        let hostile = format!("{}.com", "a".repeat(60));
        assert_eq!(key(&"aaaa ".repeat(40), &hostile), hostile);
        assert_ne!(key(&"aaaa ".repeat(61), &hostile), hostile);
    }
}

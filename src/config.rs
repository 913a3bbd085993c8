//! `newswire.yaml`: the schema with its documented defaults, and the one function that merges
//! it with command-line flags into the resolved [`Settings`] every stage reads.
//!
//! Running without a config file works as long as a base URL is given with `--base-url`:
//! everything else has a default.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::Deserialize;
use url::Url;

use crate::diag::Code;
use crate::error::Error;
use crate::model::FeedFormat;

mod feeds;
pub use feeds::{
    Definition, FACET_FOLDERS, FacetName, Facets, FeedConfig, Filter, FilterConfig, Sort, TOP_FILES,
};

/// The file looked for in the current folder when `--config` is not given.
pub const DEFAULT_CONFIG: &str = "newswire.yaml";

/// Which URL of an article becomes its link (config key `link`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkPreference {
    /// `webUrl`, then `originalUrl`, then `website` (the default).
    #[default]
    Web,
    /// `originalUrl`, then `webUrl`, then `website`.
    Original,
}

/// The config file as written. Every key is optional; unknown keys are an error naming the key.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Folder of article files (default `content`), relative to the config file.
    pub input: Option<PathBuf>,
    /// Folder the feeds are written to (default `out`), relative to the config file.
    pub output: Option<PathBuf>,
    /// Site title: channel title of the main feed, prefix of the others (default `newswire`).
    pub title: Option<String>,
    /// Channel description / Atom subtitle (default: the title).
    pub description: Option<String>,
    /// Absolute URL the output folder is published at. Required (here or `--base-url`).
    pub base_url: Option<String>,
    /// Language of the feeds, e.g. `en` (RSS `language`, Atom `xml:lang`). Default: none.
    pub language: Option<String>,
    /// Feed-level author for articles without a provider (default: the title).
    pub author: Option<String>,
    /// Items per feed (default 50).
    pub limit: Option<usize>,
    /// Which article URL is the link (default `web`).
    pub link: Option<LinkPreference>,
    /// Largest article file read, in bytes (default 1 MiB).
    pub max_file_size: Option<u64>,
    /// Publish article bodies (Markdown → sanitised HTML) in the feeds (default false: excerpts
    /// are third-party text, so only the excerpt and a link are published).
    pub full_content: Option<bool>,
    /// Within one feed, carry a story reported by several articles (linked through `related`)
    /// once, under the best report, with the others as related coverage (default true).
    pub merge_related: Option<bool>,
    /// Absolute URL of the site logo, for the site feeds (RSS `image`, Atom `icon`/`logo`).
    pub logo: Option<String>,
    /// Prefix for site-relative (`/…`) image paths in article files; without it such images
    /// are left out.
    pub asset_base_url: Option<String>,
    /// Write `feed.xsl` and point every RSS and Atom feed at it, so a feed opened in a browser
    /// reads as a page (default false).
    pub stylesheet: Option<bool>,
    /// Folder for the cache of normalised articles (default `.newswire-cache/<output name>`
    /// beside the output folder).
    pub cache_dir: Option<PathBuf>,
    /// Which formats every feed is written in (default all: `[rss, atom, json]`).
    pub formats: Option<Vec<FeedFormat>>,
    /// Diagnostic codes whose warnings are not reported, in any format, and do not fail
    /// `--strict` (default none), e.g. `[unknown-key, unknown-type]`. Errors are always
    /// reported.
    pub quiet: Option<Vec<String>>,
    /// Which facets are cut into feeds of their own (default all: `[topics, providers, kinds]`).
    pub facets: Option<Vec<FacetName>>,
    /// Feeds the newsroom defines: each a folder, a title and a filter (see the README).
    pub feeds: Vec<FeedConfig>,
    /// A filter every feed applies, the built-in ones included (the filter keys of `feeds`).
    pub include: Option<FilterConfig>,
    /// WebSub hubs (W3C WebSub §4): linked from every feed, and told of changed feeds by
    /// `newswire ping`. Each a URL, or `{url, batch}` (see [`HubConfig`]). Default: none.
    pub hubs: Vec<HubConfig>,
    /// Write the HTTP headers file of a static host: `netlify` (a `_headers` file, read by
    /// Netlify and Cloudflare Pages). Default: none.
    pub headers: Option<String>,
    /// Keep every published item reachable: RFC 5005 archive pages behind every feed (default
    /// false; a defined feed may set its own).
    pub archive: Option<bool>,
    /// Items per archive page (default 100).
    pub archive_page: Option<usize>,
    /// Largest document written, in bytes (default 1,000,000; at most 5,000,000, the W3C
    /// service's limit).
    pub max_bytes: Option<usize>,
    /// Days a withdrawn item stays as an Atom tombstone (default 30).
    pub tombstone_days: Option<u32>,
    /// Write Atom tombstones (RFC 6721) for withdrawn items (default false).
    pub tombstones: Option<bool>,
}

/// One entry of `hubs`: the hub's URL, alone or with how `newswire ping` talks to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HubConfig {
    /// `- https://hub.example/`: one feed per publish request, which every hub accepts.
    Url(String),
    /// `- {url: https://hub.example/, batch: true}`.
    Detailed {
        /// The hub's URL.
        url: String,
        /// List every changed feed in one publish request (repeated `hub.url`, as
        /// PubSubHubbub 0.3 §7.1 allows), up to [`BATCH_LIMIT`] a request. Only for hubs
        /// known to read them all: one that reads a single `hub.url` drops the rest unsaid.
        batch: bool,
    },
}

// By hand rather than `#[serde(untagged)]`, whose errors say only that no form matched: a
// misspelt key is named (`unknown field `batc`, expected `url` or `batch``).
impl<'de> Deserialize<'de> for HubConfig {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entry;
        impl<'de> serde::de::Visitor<'de> for Entry {
            type Value = HubConfig;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a hub's URL, or a mapping {url: URL, batch: true|false}")
            }

            fn visit_str<E: serde::de::Error>(self, url: &str) -> Result<HubConfig, E> {
                Ok(HubConfig::Url(url.to_string()))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<HubConfig, A::Error> {
                use serde::de::Error as _;
                const FIELDS: &[&str] = &["url", "batch"];
                let (mut url, mut batch) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "url" if url.is_none() => url = Some(map.next_value::<String>()?),
                        "batch" if batch.is_none() => batch = Some(map.next_value::<bool>()?),
                        "url" | "batch" => {
                            return Err(A::Error::custom(format!("duplicate field `{key}`")));
                        }
                        _ => return Err(A::Error::unknown_field(&key, FIELDS)),
                    }
                }
                Ok(HubConfig::Detailed {
                    url: url.ok_or_else(|| A::Error::missing_field("url"))?,
                    batch: batch.unwrap_or(false),
                })
            }
        }
        deserializer.deserialize_any(Entry)
    }
}

/// Most feeds listed in one batched publish request (Google's hub takes a hundred a request
/// from its own publisher client).
pub const BATCH_LIMIT: usize = 100;

/// A hub `newswire ping` notifies: resolved from [`HubConfig`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hub {
    /// Absolute `http(s)` URL of the hub.
    pub url: Url,
    /// Whether one request lists several feeds (see [`HubConfig::Detailed::batch`]).
    pub batch: bool,
}

/// The hub URLs every feed links to (`atom:link rel="hub"`, JSON Feed `hubs`), in config
/// order. Hashed into every feed's fingerprint only when there are some, so that a site
/// without hubs keeps the fingerprints (and manifest) it had before hubs existed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HubLinks(pub Vec<String>);

impl std::hash::Hash for HubLinks {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        if !self.0.is_empty() {
            self.0.hash(state);
        }
    }
}

/// Values given on the command line; each one overrides the config file.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    /// `--config`
    pub config: Option<PathBuf>,
    /// `--input`
    pub input: Option<PathBuf>,
    /// `--output`
    pub output: Option<PathBuf>,
    /// `--base-url`
    pub base_url: Option<String>,
    /// `--limit`
    pub limit: Option<usize>,
    /// `--now`
    pub now: Option<DateTime<Utc>>,
    /// `--no-cache`
    pub no_cache: bool,
    /// `--formats`
    pub formats: Option<Vec<FeedFormat>>,
    /// `--force`: overwrite files in the output folder that newswire did not write.
    pub force: bool,
}

/// Site-wide feed metadata.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Site {
    /// Site title.
    pub title: String,
    /// Site description.
    pub description: String,
    /// Base URL, always ending in `/`.
    pub base_url: Url,
    /// Feed language, if configured.
    pub language: Option<String>,
    /// Fallback author name.
    pub author: String,
    /// Site logo URL.
    pub logo: Option<String>,
    /// Whether feeds reference the `feed.xsl` stylesheet.
    pub stylesheet: bool,
    /// The formats every feed is written in: at least one, each once, in
    /// [`FeedFormat::ALL`] order.
    pub formats: Vec<FeedFormat>,
    /// The WebSub hubs every feed links to.
    pub hubs: HubLinks,
    /// Which static host's headers file is written, if any (config `headers`).
    pub headers: HostHeaders,
}

/// The HTTP headers file written for a static host (config `headers`).
///
/// No feed's bytes depend on it, so it adds nothing to the hash of a [`Site`] (see its `Hash`
/// impl): turning it on or off re-renders no feed, and the fingerprints of existing builds stay
/// as they were. The headers file itself is fingerprinted by its path and the site.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum HostHeaders {
    /// No headers file (the default).
    #[default]
    None,
    /// `_headers` at the top of the output, in the format Netlify and Cloudflare Pages read.
    Netlify,
}

impl std::hash::Hash for HostHeaders {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

impl HostHeaders {
    /// The value of the config key `headers`; anything but `netlify` is refused by name.
    fn parse(value: Option<String>) -> Result<HostHeaders, Error> {
        match non_empty(value).as_deref() {
            None => Ok(HostHeaders::None),
            Some("netlify") => Ok(HostHeaders::Netlify),
            Some(other) => Err(Error::InvalidSetting {
                key: "headers",
                message: format!(
                    "`{other}` is not a host newswire writes headers for: the one value is `netlify` (a `_headers` file for Netlify and Cloudflare Pages)"
                ),
            }),
        }
    }
}

/// Everything a run needs, resolved and validated.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Folder of article files.
    pub input: PathBuf,
    /// Output folder.
    pub output: PathBuf,
    /// Feed metadata.
    pub site: Site,
    /// Items per feed.
    pub limit: usize,
    /// The time against which future-dated articles are held back.
    pub now: DateTime<Utc>,
    /// Merge reports of one story within a feed.
    pub merge_related: bool,
    /// Where the cache of normalised articles lives (`None`: no cache).
    pub cache_dir: Option<PathBuf>,
    /// Codes whose warnings are left out of the report (config `quiet`).
    pub quiet: Vec<Code>,
    /// What shapes the item an article file becomes.
    pub items: ItemRules,
    /// Which facets are cut into feeds.
    pub facets: Facets,
    /// The filter every feed applies (`None`: every item).
    pub include: Option<Filter>,
    /// The feeds the newsroom defines, in the config's order.
    pub feeds: Vec<Definition>,
    /// The WebSub hubs `newswire ping` notifies, in the config's order, each once.
    pub hubs: Vec<Hub>,
    /// Overwrite files in the output folder that newswire did not write (`--force`); without
    /// it a build that would is refused before writing anything.
    pub force: bool,
    /// Archive pages and byte budgets.
    pub paging: Paging,
}

/// How documents are paged and capped (config `archive`, `archive_page`, `max_bytes`,
/// `tombstone_days`). Kept apart from [`Site`] so that its defaults leave every fingerprint as
/// it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Paging {
    /// Whether the built-in feeds (everything, topics, providers, kinds) are archived; a
    /// defined feed says for itself ([`Definition::archive`]), else follows this.
    pub archive: bool,
    /// Items per archive page.
    pub archive_page: usize,
    /// Largest document written, in bytes.
    pub max_bytes: usize,
    /// Days a withdrawn item stays as a tombstone.
    pub tombstone_days: u32,
    /// Whether Atom feeds carry tombstones (RFC 6721) of withdrawn items. Off by default: the
    /// W3C validator warns about the tombstones namespace (UnknownNamespace).
    pub tombstones: bool,
}

impl Default for Paging {
    /// The documented defaults: no archive, 100 items a page, 1,000,000 bytes, no
    /// tombstones (kept 30 days when on).
    fn default() -> Self {
        Paging {
            archive: false,
            archive_page: DEFAULT_ARCHIVE_PAGE,
            max_bytes: DEFAULT_MAX_BYTES,
            tombstone_days: DEFAULT_TOMBSTONE_DAYS,
            tombstones: false,
        }
    }
}

/// Default items per archive page.
pub const DEFAULT_ARCHIVE_PAGE: usize = 100;
/// Default largest document, in bytes.
pub const DEFAULT_MAX_BYTES: usize = 1_000_000;
/// The largest `max_bytes` allowed: the W3C Feed Validation Service checks nothing larger.
pub const MAX_MAX_BYTES: usize = 5_000_000;
/// The smallest `max_bytes` allowed: room for a document's own metadata and a few items.
pub const MIN_MAX_BYTES: usize = 10_000;
/// Default days a withdrawn item stays as a tombstone.
pub const DEFAULT_TOMBSTONE_DAYS: u32 = 30;

/// Every setting that shapes what an article file becomes (its item, or why there is none),
/// and nothing else: ingest and normalise read only these, and the cache keeps what they made
/// under a hash of them, so a setting added here can never be served stale from the cache.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ItemRules {
    /// Which URL is an article's link.
    pub link: LinkPreference,
    /// Largest article file read, in bytes.
    pub max_file_size: u64,
    /// Publish article bodies.
    pub full_content: bool,
    /// Prefix for site-relative image paths, without a trailing `/`.
    pub asset_base_url: Option<String>,
}

/// Default items per feed.
pub const DEFAULT_LIMIT: usize = 50;
/// Default largest article file.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 1024 * 1024;

impl Settings {
    /// Reads the config file (`--config`, else `newswire.yaml` in the current folder when it
    /// exists) and merges the flags over it.
    pub fn load(overrides: Overrides) -> Result<Settings, Error> {
        let (config, base) = match &overrides.config {
            Some(path) => (read_config(path)?, parent(path)),
            None => {
                let path = Path::new(DEFAULT_CONFIG);
                if path.is_file() {
                    (read_config(path)?, PathBuf::new())
                } else {
                    (Config::default(), PathBuf::new())
                }
            }
        };
        Settings::merge(config, &base, overrides)
    }

    /// Merges a parsed config (whose relative paths are relative to `base`) with the flags.
    pub fn merge(config: Config, base: &Path, overrides: Overrides) -> Result<Settings, Error> {
        let paging = paging(&config)?;
        let input = overrides
            .input
            .unwrap_or_else(|| base.join(config.input.unwrap_or_else(|| "content".into())));
        let output = overrides
            .output
            .unwrap_or_else(|| base.join(config.output.unwrap_or_else(|| "out".into())));
        let raw_base = overrides
            .base_url
            .or(config.base_url)
            .ok_or(Error::MissingBaseUrl)?;
        let base_url = parse_base_url(&raw_base)?;
        let title = non_empty(config.title).unwrap_or_else(|| "newswire".to_string());
        let description = non_empty(config.description).unwrap_or_else(|| title.clone());
        let author = non_empty(config.author).unwrap_or_else(|| title.clone());
        let language = non_empty(config.language);
        if let Some(lang) = &language
            && !is_language_tag(lang)
        {
            return Err(Error::InvalidSetting {
                key: "language",
                message: format!("`{lang}` is not a language tag like `en` or `en-us`"),
            });
        }
        let logo = match non_empty(config.logo) {
            Some(raw) => Some(parse_http("logo", &raw)?.to_string()),
            None => None,
        };
        let asset_base_url = match non_empty(config.asset_base_url) {
            Some(raw) => Some(
                parse_http("asset_base_url", &raw)?
                    .as_str()
                    .trim_end_matches('/')
                    .to_string(),
            ),
            None => None,
        };
        let cache_dir = (!overrides.no_cache).then(|| match config.cache_dir {
            Some(dir) => base.join(dir),
            None => {
                let name = output
                    .file_name()
                    .map_or_else(|| "out".into(), |n| n.to_os_string());
                let parent = output.parent().unwrap_or(Path::new(""));
                parent.join(".newswire-cache").join(name)
            }
        });
        let limit = overrides.limit.or(config.limit).unwrap_or(DEFAULT_LIMIT);
        if limit == 0 {
            return Err(Error::InvalidSetting {
                key: "limit",
                message: "must be at least 1".into(),
            });
        }
        let chosen = overrides.formats.or(config.formats);
        let formats: Vec<FeedFormat> = match &chosen {
            Some(list) => FeedFormat::ALL
                .into_iter()
                .filter(|f| list.contains(f))
                .collect(),
            None => FeedFormat::ALL.to_vec(),
        };
        if formats.is_empty() {
            return Err(Error::InvalidSetting {
                key: "formats",
                message: "name at least one of rss, atom, json".into(),
            });
        }
        let quiet = quiet_codes(config.quiet.unwrap_or_default())?;
        let now = overrides.now.unwrap_or_else(Utc::now);
        let headers = HostHeaders::parse(config.headers)?;
        let include = feeds::include(config.include, now)?;
        let definitions = feeds::definitions(config.feeds, now)?;
        let hubs = hubs(config.hubs)?;
        Ok(Settings {
            input,
            output,
            site: Site {
                title,
                description,
                base_url,
                language,
                author,
                logo,
                stylesheet: config.stylesheet.unwrap_or(false),
                formats,
                hubs: HubLinks(hubs.iter().map(|h| h.url.to_string()).collect()),
                headers,
            },
            limit,
            now,
            merge_related: config.merge_related.unwrap_or(true),
            cache_dir,
            quiet,
            items: ItemRules {
                link: config.link.unwrap_or_default(),
                max_file_size: config.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE),
                full_content: config.full_content.unwrap_or(false),
                asset_base_url,
            },
            facets: Facets::from_names(config.facets.as_deref()),
            include,
            feeds: definitions,
            hubs,
            force: overrides.force,
            paging,
        })
    }
}

/// The `hubs` list: absolute `http(s)` URLs without a fragment, each once (a hub listed twice
/// is one hub; with differing `batch`, the first entry's counts).
fn hubs(entries: Vec<HubConfig>) -> Result<Vec<Hub>, Error> {
    let mut hubs: Vec<Hub> = Vec::new();
    for entry in entries {
        let (raw, batch) = match entry {
            HubConfig::Url(url) => (url, false),
            HubConfig::Detailed { url, batch } => (url, batch),
        };
        let url = parse_http("hubs", &raw)?;
        if url.fragment().is_some() {
            return Err(Error::InvalidSetting {
                key: "hubs",
                message: format!("`{raw}` must not have a fragment"),
            });
        }
        if !hubs.iter().any(|h| h.url == url) {
            hubs.push(Hub { url, batch });
        }
    }
    Ok(hubs)
}

/// `archive`, `archive_page`, `max_bytes`, `tombstone_days` and `tombstones`, checked.
fn paging(config: &Config) -> Result<Paging, Error> {
    let defaults = Paging::default();
    let archive_page = config.archive_page.unwrap_or(defaults.archive_page);
    if archive_page == 0 {
        return Err(Error::InvalidSetting {
            key: "archive_page",
            message: "must be at least 1".into(),
        });
    }
    let max_bytes = config.max_bytes.unwrap_or(defaults.max_bytes);
    if !(MIN_MAX_BYTES..=MAX_MAX_BYTES).contains(&max_bytes) {
        return Err(Error::InvalidSetting {
            key: "max_bytes",
            message: format!(
                "{max_bytes} is outside {MIN_MAX_BYTES}..={MAX_MAX_BYTES} (the W3C Feed Validation Service checks no document over 5,000,000 bytes)"
            ),
        });
    }
    Ok(Paging {
        archive: config.archive.unwrap_or(false),
        archive_page,
        max_bytes,
        tombstone_days: config.tombstone_days.unwrap_or(defaults.tombstone_days),
        tombstones: config.tombstones.unwrap_or(false),
    })
}

/// The codes of the `quiet` list, each once; a name that is no code is refused by name.
fn quiet_codes(names: Vec<String>) -> Result<Vec<Code>, Error> {
    let mut codes = Vec::new();
    for name in names {
        let code = Code::from_name(name.trim()).ok_or_else(|| Error::InvalidSetting {
            key: "quiet",
            message: format!(
                "`{name}` is not a diagnostic code (the README's table lists them, e.g. `unknown-key`)"
            ),
        })?;
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    Ok(codes)
}

fn read_config(path: &Path) -> Result<Config, Error> {
    let text = fs::read_to_string(path).map_err(|source| Error::ConfigRead {
        path: path.to_path_buf(),
        source,
    })?;
    if text.trim().is_empty() {
        return Ok(Config::default());
    }
    serde_yaml::from_str(&text).map_err(|e| Error::Config {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

fn parent(path: &Path) -> PathBuf {
    path.parent().map(Path::to_path_buf).unwrap_or_default()
}

fn non_empty(value: Option<String>) -> Option<String> {
    value
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// An absolute `http(s)` URL setting.
fn parse_http(key: &'static str, raw: &str) -> Result<Url, Error> {
    let invalid = |message: String| Error::InvalidSetting { key, message };
    let url = Url::parse(raw.trim()).map_err(|e| invalid(format!("`{raw}`: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(invalid(format!("`{raw}` is not an absolute http(s) URL")));
    }
    Ok(url)
}

/// A base URL must be absolute `http(s)`, without query or fragment; a trailing `/` is added so
/// that feed paths join under it rather than replacing its last segment.
fn parse_base_url(raw: &str) -> Result<Url, Error> {
    let invalid = |message: String| Error::InvalidSetting {
        key: "base_url",
        message,
    };
    let mut url = parse_http("base_url", raw)?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(format!(
            "`{raw}` must not have a query or fragment"
        )));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

// RFC 5646 in its common shape: a 2–3 letter primary tag, then 1–8 alphanumeric subtags.
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()));
    primary_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_base(url: &str) -> Overrides {
        Overrides {
            base_url: Some(url.into()),
            ..Overrides::default()
        }
    }

    #[test]
    fn defaults_need_only_a_base_url() {
        let s = Settings::merge(
            Config::default(),
            Path::new(""),
            with_base("https://x.org/f"),
        )
        .unwrap();
        assert_eq!(s.site.base_url.as_str(), "https://x.org/f/");
        assert_eq!(s.limit, DEFAULT_LIMIT);
        assert_eq!(s.site.title, "newswire");
        assert_eq!(s.site.author, "newswire");
        assert_eq!(s.input, PathBuf::from("content"));
        assert_eq!(s.output, PathBuf::from("out"));
    }

    #[test]
    fn missing_base_url_says_how_to_set_it() {
        let err =
            Settings::merge(Config::default(), Path::new(""), Overrides::default()).unwrap_err();
        assert!(matches!(err, Error::MissingBaseUrl));
        assert!(err.to_string().contains("--base-url"));
    }

    #[test]
    fn relative_base_url_is_refused() {
        for bad in ["/feeds/", "ftp://x.org/", "https://x.org/?a=1", "not a url"] {
            assert!(
                Settings::merge(Config::default(), Path::new(""), with_base(bad)).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn unknown_key_is_named() {
        let err = serde_yaml::from_str::<Config>("title: x\nbase_ulr: y\n").unwrap_err();
        assert!(err.to_string().contains("base_ulr"), "{err}");
    }

    #[test]
    fn flags_override_config_and_paths_follow_the_config_file() {
        let config: Config = serde_yaml::from_str(
            "input: seeds\nlimit: 5\nbase_url: https://a.org/\nlink: original\n",
        )
        .unwrap();
        let overrides = Overrides {
            limit: Some(7),
            ..Overrides::default()
        };
        let s = Settings::merge(config, Path::new("site"), overrides).unwrap();
        assert_eq!(s.limit, 7);
        assert_eq!(s.input, PathBuf::from("site/seeds"));
        assert_eq!(s.output, PathBuf::from("site/out"));
        assert_eq!(s.items.link, LinkPreference::Original);
    }

    #[test]
    fn formats_are_kept_in_the_usual_order_once_each() {
        let merge = |yaml: &str| {
            let config: Config = serde_yaml::from_str(yaml).unwrap();
            Settings::merge(config, Path::new(""), with_base("https://x.org/"))
        };
        let s = merge("formats: [json, rss, rss]\n").unwrap();
        assert_eq!(s.site.formats, [FeedFormat::Rss, FeedFormat::Json]);
        let s = merge("title: x\n").unwrap();
        assert_eq!(s.site.formats, FeedFormat::ALL);
        assert!(matches!(
            merge("formats: []\n"),
            Err(Error::InvalidSetting { key: "formats", .. })
        ));
        let err = serde_yaml::from_str::<Config>("formats: [rss, html]\n").unwrap_err();
        assert!(err.to_string().contains("html"), "{err}");
    }

    #[test]
    fn quiet_names_codes_and_refuses_others_by_name() {
        let merge = |yaml: &str| {
            let config: Config = serde_yaml::from_str(yaml).unwrap();
            Settings::merge(config, Path::new(""), with_base("https://x.org/"))
        };
        let s = merge("quiet: [unknown-key, unknown-type, unknown-key]\n").unwrap();
        assert_eq!(s.quiet, [Code::UnknownKey, Code::UnknownType]);
        assert!(merge("title: x\n").unwrap().quiet.is_empty());
        let err = merge("quiet: [unknown-key, unknwon-type]\n").unwrap_err();
        assert!(matches!(err, Error::InvalidSetting { key: "quiet", .. }));
        assert!(err.to_string().contains("unknwon-type"), "{err}");
    }

    #[test]
    fn hubs_are_absolute_http_urls_in_config_order_once_each() {
        let merge = |yaml: &str| {
            let config: Config = serde_yaml::from_str(yaml).unwrap();
            Settings::merge(config, Path::new(""), with_base("https://x.org/"))
        };
        let s = merge(
            "hubs: [https://b.example/hub, {url: 'https://a.example/', batch: true}, https://b.example/hub]\n",
        )
        .unwrap();
        let urls: Vec<&str> = s.hubs.iter().map(|h| h.url.as_str()).collect();
        assert_eq!(urls, ["https://b.example/hub", "https://a.example/"]);
        assert_eq!(
            s.hubs.iter().map(|h| h.batch).collect::<Vec<_>>(),
            [false, true]
        );
        assert_eq!(s.site.hubs.0, urls);
        assert!(merge("title: x\n").unwrap().hubs.is_empty());
        for bad in [
            "hubs: [/hub]\n",
            "hubs: ['ftp://h.example/']\n",
            "hubs: ['https://h.example/#x']\n",
            "hubs: [{url: 'mailto:a@b.example'}]\n",
        ] {
            let err = merge(bad).unwrap_err();
            assert!(
                matches!(err, Error::InvalidSetting { key: "hubs", .. }),
                "{bad}: {err}"
            );
        }
        for (bad, named) in [
            ("hubs: [{url: 'https://h.example/', batc: true}]\n", "batc"),
            ("hubs: [{batch: true}]\n", "url"),
            ("hubs: [{url: 'https://h.example/', batch: 3}]\n", "boolean"),
            ("hubs: [[https://h.example/]]\n", "a hub's URL"),
            ("hubs: https://h.example/\n", "sequence"),
        ] {
            let err = serde_yaml::from_str::<Config>(bad).unwrap_err();
            assert!(err.to_string().contains(named), "{bad}: {err}");
        }
    }

    #[test]
    fn no_hubs_hash_as_before_hubs_existed() {
        use crate::model::stable_hash;
        assert_eq!(stable_hash(&(1u8, HubLinks::default())), stable_hash(&1u8));
        assert_ne!(
            stable_hash(&(1u8, HubLinks(vec!["https://h.example/".into()]))),
            stable_hash(&1u8)
        );
    }

    #[test]
    fn headers_names_its_one_host_and_refuses_others_by_key() {
        let merge = |yaml: &str| {
            let config: Config = serde_yaml::from_str(yaml).unwrap();
            Settings::merge(config, Path::new(""), with_base("https://x.org/"))
        };
        assert_eq!(
            merge("headers: netlify\n").unwrap().site.headers,
            HostHeaders::Netlify
        );
        assert_eq!(merge("title: x\n").unwrap().site.headers, HostHeaders::None);
        let err = merge("headers: nginx\n").unwrap_err();
        assert!(matches!(err, Error::InvalidSetting { key: "headers", .. }));
        assert!(err.to_string().contains("`headers`"), "{err}");
        assert!(err.to_string().contains("nginx"), "{err}");
        // The site hashes as it did before the key: fingerprints of earlier builds still hold.
        let on = merge("headers: netlify\n").unwrap().site;
        let off = merge("title: newswire\n").unwrap().site;
        assert_eq!(
            crate::model::stable_hash(&on),
            crate::model::stable_hash(&off)
        );
    }

    #[test]
    fn language_tags() {
        assert!(is_language_tag("en"));
        assert!(is_language_tag("en-US"));
        assert!(!is_language_tag("english language"));
        assert!(!is_language_tag("e"));
    }
}

//! The feeds a site has beyond the feed of everything: which facets are cut (`facets`), the
//! feeds the newsroom defines (`feeds:`), and the filter every feed applies (`include:`) — the
//! schema as written, and the resolved values grouping reads.
//!
//! Names are folded once here (topics with [`topic_key`], providers the same way, kinds with
//! [`Kind::from_name`]) and `max_age_days` becomes a cut-off date against `--now`, so grouping
//! only compares.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::error::Error;
use crate::model::{Kind, topic_key};

/// A facet of the catalogue: one feed per distinct value (config key `facets`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FacetName {
    /// `topics/<topic>/`
    Topics,
    /// `providers/<provider>/`
    Providers,
    /// `kinds/<kind>/`
    Kinds,
}

/// Which facets are cut into feeds (default: all three).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Facets {
    /// One feed per topic.
    pub topics: bool,
    /// One feed per provider.
    pub providers: bool,
    /// One feed per kind of item (profiles never).
    pub kinds: bool,
}

impl Default for Facets {
    fn default() -> Self {
        Facets {
            topics: true,
            providers: true,
            kinds: true,
        }
    }
}

impl Facets {
    /// The facets named in the config (`None`: the default, all three).
    pub fn from_names(names: Option<&[FacetName]>) -> Facets {
        match names {
            None => Facets::default(),
            Some(names) => Facets {
                topics: names.contains(&FacetName::Topics),
                providers: names.contains(&FacetName::Providers),
                kinds: names.contains(&FacetName::Kinds),
            },
        }
    }
}

/// The top-level folders of the built-in facet feeds, which a defined feed may not use.
pub const FACET_FOLDERS: [&str; 3] = ["topics", "providers", "kinds"];

/// The files at the top of the output folder (the feed of everything in each format, the site
/// files, the manifest), whose names a defined feed's folder may not take.
pub const TOP_FILES: [&str; 7] = [
    "rss.xml",
    "atom.xml",
    "feed.json",
    "feeds.opml",
    "index.html",
    "feed.xsl",
    "manifest.json",
];

/// `include:` as written: the filter keys of a feed definition.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FilterConfig {
    /// Kinds, any of (default: every kind but profile).
    pub kinds: Option<Vec<String>>,
    /// Topics, any of.
    pub topics: Vec<String>,
    /// Topics, every one of.
    pub all_topics: Vec<String>,
    /// Topics an item must not carry.
    pub exclude_topics: Vec<String>,
    /// Provider names or domains, any of.
    pub providers: Vec<String>,
    /// Lowest `quality`.
    pub min_quality: Option<i64>,
    /// Lowest `heat`.
    pub min_heat: Option<i64>,
    /// Oldest item, in days before `--now`.
    pub max_age_days: Option<u32>,
}

/// One entry of `feeds:` as written. (The filter keys are repeated rather than flattened from
/// [`FilterConfig`]: serde cannot refuse unknown keys of a flattened struct.)
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedConfig {
    /// Output folder below the output root, e.g. `top` for `out/top/rss.xml`.
    pub path: String,
    /// Feed title (default: the path); shown as `<site title> — <title>`.
    #[serde(default)]
    pub title: Option<String>,
    /// Channel description / Atom subtitle (default: the title and the site's).
    #[serde(default)]
    pub description: Option<String>,
    /// See [`FilterConfig::kinds`].
    #[serde(default)]
    pub kinds: Option<Vec<String>>,
    /// See [`FilterConfig::topics`].
    #[serde(default)]
    pub topics: Vec<String>,
    /// See [`FilterConfig::all_topics`].
    #[serde(default)]
    pub all_topics: Vec<String>,
    /// See [`FilterConfig::exclude_topics`].
    #[serde(default)]
    pub exclude_topics: Vec<String>,
    /// See [`FilterConfig::providers`].
    #[serde(default)]
    pub providers: Vec<String>,
    /// See [`FilterConfig::min_quality`].
    #[serde(default)]
    pub min_quality: Option<i64>,
    /// See [`FilterConfig::min_heat`].
    #[serde(default)]
    pub min_heat: Option<i64>,
    /// See [`FilterConfig::max_age_days`].
    #[serde(default)]
    pub max_age_days: Option<u32>,
    /// Item order (default `newest`).
    #[serde(default)]
    pub sort: Sort,
    /// Items in the feed (default: the site's `limit`).
    #[serde(default)]
    pub limit: Option<usize>,
    /// Archive pages behind this feed (default: the site's `archive`).
    #[serde(default)]
    pub archive: Option<bool>,
}

/// The order of a defined feed's items. Ties keep the newest first, then the smallest id.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Newest first (the default).
    #[default]
    Newest,
    /// Highest `heat` first.
    Heat,
    /// Highest `quality` first.
    Quality,
    /// Latest start first (events); items without a start last, newest first.
    Start,
}

/// A filter, resolved: names folded, the age a cut-off date. An item passes when it passes
/// every key that is set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Filter {
    /// Kinds, any of; `None`: every kind but profile.
    pub kinds: Option<Vec<Kind>>,
    /// Topic keys, any of (empty: no condition).
    pub topics: Vec<String>,
    /// Topic keys, every one of.
    pub all_topics: Vec<String>,
    /// Topic keys an item must not carry.
    pub exclude_topics: Vec<String>,
    /// Provider names (folded like topics) or domains (lower-case), any of.
    pub providers: Vec<String>,
    /// Lowest `quality`.
    pub min_quality: Option<i64>,
    /// Lowest `heat`.
    pub min_heat: Option<i64>,
    /// Oldest publication date (`--now` less `max_age_days`).
    pub since: Option<DateTime<Utc>>,
}

impl Filter {
    /// Whether `kind` passes the kinds key (profiles never do).
    pub fn accepts_kind(&self, kind: &Kind) -> bool {
        *kind != Kind::Profile && self.kinds.as_ref().is_none_or(|kinds| kinds.contains(kind))
    }

    /// Whether the filter lets everything through but profiles.
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }
}

/// A feed the newsroom defines, resolved.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Definition {
    /// Output folder, `/`-separated, without a trailing `/` (checked: relative, safe segments,
    /// clear of the built-in feeds and of the other definitions).
    pub path: String,
    /// Feed title.
    pub title: String,
    /// Its own description, if given.
    pub description: Option<String>,
    /// Which items.
    pub filter: Filter,
    /// In which order.
    pub sort: Sort,
    /// How many (`None`: the site's `limit`).
    pub limit: Option<usize>,
    /// Whether it has archive pages (`None`: as the site's `archive` says).
    pub archive: Option<bool>,
}

fn invalid(message: String) -> Error {
    Error::InvalidSetting {
        key: "feeds",
        message,
    }
}

/// Resolves a filter as written; `what` names it in errors (`include`, `feeds[2]`).
fn filter(raw: FilterConfig, now: DateTime<Utc>, what: &str) -> Result<Filter, Error> {
    let kinds = match raw.kinds {
        None => None,
        Some(names) => {
            let kinds: Vec<Kind> = names.iter().map(|n| Kind::from_name(n)).collect();
            if kinds.contains(&Kind::Profile) {
                return Err(Error::InvalidSetting {
                    key: if what == "include" {
                        "include"
                    } else {
                        "feeds"
                    },
                    message: format!(
                        "{what}: kinds names `profile`, but profiles (people, companies) are never feed items"
                    ),
                });
            }
            Some(kinds)
        }
    };
    let fold = |names: Vec<String>| -> Vec<String> {
        let mut keys: Vec<String> = names
            .iter()
            .map(|n| topic_key(n))
            .filter(|k| !k.is_empty())
            .collect();
        keys.sort();
        keys.dedup();
        keys
    };
    let since = raw.max_age_days.and_then(|days| {
        chrono::Duration::try_days(i64::from(days)).and_then(|age| now.checked_sub_signed(age))
    });
    Ok(Filter {
        kinds,
        topics: fold(raw.topics),
        all_topics: fold(raw.all_topics),
        exclude_topics: fold(raw.exclude_topics),
        providers: fold(raw.providers),
        min_quality: raw.min_quality,
        min_heat: raw.min_heat,
        since,
    })
}

/// Resolves `include:` (`None` when absent or when it lets everything through).
pub fn include(raw: Option<FilterConfig>, now: DateTime<Utc>) -> Result<Option<Filter>, Error> {
    let Some(raw) = raw else { return Ok(None) };
    let resolved = filter(raw, now, "include")?;
    Ok((!resolved.is_empty()).then_some(resolved))
}

/// Resolves and checks `feeds:`: every path safe and clear of the built-in feeds and of the
/// other definitions, every limit at least 1.
pub fn definitions(raw: Vec<FeedConfig>, now: DateTime<Utc>) -> Result<Vec<Definition>, Error> {
    let mut resolved: Vec<Definition> = Vec::with_capacity(raw.len());
    for (n, feed) in raw.into_iter().enumerate() {
        let what = format!("feeds[{n}]");
        let path = check_path(&feed.path)
            .map_err(|why| invalid(format!("{what}: path `{}` {why}", feed.path)))?;
        if let Some((m, other)) = resolved
            .iter()
            .enumerate()
            .find(|(_, d)| d.path.eq_ignore_ascii_case(&path))
        {
            return Err(invalid(format!(
                "{what}: path `{path}` is also the path of feeds[{m}] (`{}`)",
                other.path
            )));
        }
        if feed.limit == Some(0) {
            return Err(invalid(format!("{what}: limit must be at least 1")));
        }
        let title = feed
            .title
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| path.clone());
        let description = feed
            .description
            .map(|d| d.trim().to_string())
            .filter(|d| !d.is_empty());
        let filter = filter(
            FilterConfig {
                kinds: feed.kinds,
                topics: feed.topics,
                all_topics: feed.all_topics,
                exclude_topics: feed.exclude_topics,
                providers: feed.providers,
                min_quality: feed.min_quality,
                min_heat: feed.min_heat,
                max_age_days: feed.max_age_days,
            },
            now,
            &what,
        )?;
        resolved.push(Definition {
            path,
            title,
            description,
            filter,
            sort: feed.sort,
            limit: feed.limit,
            archive: feed.archive,
        });
    }
    Ok(resolved)
}

/// Longest segment of a defined feed's path.
const MAX_SEGMENT: usize = 64;

/// A defined feed's folder: relative, `/`-separated segments of ASCII letters, digits, `-`,
/// `_` and `.` that start with a letter or digit, no name Windows reserves, not below a
/// built-in facet folder and not a top-level file's name. Returns it without a trailing `/`,
/// or why it is refused.
fn check_path(raw: &str) -> Result<String, String> {
    let path = raw.trim();
    if path.starts_with('/') || path.contains('\\') {
        return Err("must be relative, `/`-separated (e.g. `top` or `best/videos`)".into());
    }
    let path = path.strip_suffix('/').unwrap_or(path);
    if path.is_empty() {
        return Err("is empty: the output root is the feed of everything".into());
    }
    for segment in path.split('/') {
        let safe = segment.len() <= MAX_SEGMENT
            && segment
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphanumeric())
            && segment
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if !safe {
            return Err(format!(
                "has the segment `{segment}`: use letters, digits, `-`, `_` and `.`, starting with a letter or digit, at most {MAX_SEGMENT} long"
            ));
        }
        if crate::model::FeedFormat::ALL
            .iter()
            .any(|f| f.file_name().eq_ignore_ascii_case(segment))
        {
            return Err(format!(
                "has the segment `{segment}`, the name of a feed file in the folder above"
            ));
        }
        let stem = segment.split('.').next().unwrap_or_default();
        if is_reserved(&stem.to_ascii_lowercase()) {
            return Err(format!(
                "has the segment `{segment}`, a name Windows reserves"
            ));
        }
    }
    let top = path
        .split('/')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if let Some(facet) = FACET_FOLDERS.iter().find(|f| **f == top) {
        return Err(format!(
            "clashes with the built-in {} feeds in `{facet}/`",
            facet.trim_end_matches('s')
        ));
    }
    if !path.contains('/')
        && let Some(file) = TOP_FILES.iter().find(|f| f.eq_ignore_ascii_case(path))
    {
        return Err(format!("clashes with the site's own `{file}`"));
    }
    Ok(path.to_string())
}

// Device names Windows refuses as file names (also with an extension).
fn is_reserved(stem: &str) -> bool {
    matches!(stem, "con" | "prn" | "aux" | "nul")
        || ((stem.starts_with("com") || stem.starts_with("lpt"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-01-10T00:00:00Z")
            .unwrap()
            .to_utc()
    }

    fn parse(yaml: &str) -> Result<Vec<Definition>, String> {
        let raw: Vec<FeedConfig> = serde_yaml::from_str(yaml).map_err(|e| e.to_string())?;
        definitions(raw, now()).map_err(|e| e.to_string())
    }

    #[test]
    fn a_definition_resolves_with_folded_names_and_a_cut_off() {
        let defs = parse(
            "- path: top/\n  title: Top stories\n  kinds: [Article, video]\n  topics: [' AI  Hardware', ai]\n  providers: [YouTube.com]\n  max_age_days: 7\n  sort: heat\n  limit: 3\n",
        )
        .unwrap();
        let d = &defs[0];
        assert_eq!(d.path, "top");
        assert_eq!(d.title, "Top stories");
        assert_eq!(d.filter.kinds, Some(vec![Kind::Article, Kind::Video]));
        assert_eq!(d.filter.topics, ["ai", "ai hardware"]);
        assert_eq!(d.filter.providers, ["youtube.com"]);
        assert_eq!(
            d.filter.since.unwrap().to_rfc3339(),
            "2026-01-03T00:00:00+00:00"
        );
        assert_eq!((d.sort, d.limit), (Sort::Heat, Some(3)));
        let untitled = parse("- path: a/b\n").unwrap();
        assert_eq!(untitled[0].title, "a/b");
        assert_eq!(untitled[0].sort, Sort::Newest);
    }

    #[test]
    fn unknown_keys_in_a_definition_are_named() {
        let err = parse("- path: top\n  min_qualty: 3\n").unwrap_err();
        assert!(err.contains("min_qualty"), "{err}");
        let err = parse("- path: top\n  sort: random\n").unwrap_err();
        assert!(err.contains("random"), "{err}");
        let err = serde_yaml::from_str::<FilterConfig>("path: x\n").unwrap_err();
        assert!(err.to_string().contains("path"), "{err}");
    }

    #[test]
    fn unsafe_or_clashing_paths_are_refused_naming_both() {
        for (yaml, says) in [
            ("- path: /top\n", "relative"),
            ("- path: ''\n", "empty"),
            ("- path: ../up\n", "`..`"),
            ("- path: a//b\n", "segment ``"),
            ("- path: top/.hidden\n", ".hidden"),
            ("- path: 'a b'\n", "segment `a b`"),
            ("- path: aux\n", "Windows"),
            ("- path: topics/ai\n", "built-in topic feeds in `topics/`"),
            ("- path: Kinds\n", "built-in kind feeds"),
            ("- path: providers\n", "provider"),
            ("- path: index.html\n", "`index.html`"),
            ("- path: top/RSS.xml\n", "a feed file"),
            (
                "- path: top\n- path: TOP/\n",
                "feeds[1]: path `TOP` is also the path of feeds[0] (`top`)",
            ),
            ("- path: top\n  limit: 0\n", "limit"),
            ("- path: top\n  kinds: [profile]\n", "profile"),
        ] {
            let err = parse(yaml).unwrap_err();
            assert!(err.contains(says), "{yaml}: {err}");
        }
        // Nesting is fine: the files do not clash.
        assert_eq!(parse("- path: top\n- path: top/ai\n").unwrap().len(), 2);
    }

    #[test]
    fn an_include_that_lets_everything_through_is_none() {
        assert_eq!(include(Some(FilterConfig::default()), now()).unwrap(), None);
        let f = include(
            Some(serde_yaml::from_str("min_quality: 5\n").unwrap()),
            now(),
        )
        .unwrap()
        .unwrap();
        assert_eq!(f.min_quality, Some(5));
        assert!(f.accepts_kind(&Kind::Video) && !f.accepts_kind(&Kind::Profile));
    }
}

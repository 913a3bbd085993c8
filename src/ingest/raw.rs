//! [`RawArticle`]: a lenient serde mirror of the article file format.
//!
//! Every field is optional and text fields accept any YAML scalar, because real files quote
//! inconsistently (`title: 2024` is a title, not an error). Structure is still checked: a list
//! where a mapping belongs is an error naming the field. Keys not listed here (`secured`,
//! `ampWebUrl`, …) are skipped by serde and never stored.

use std::fmt;

use serde::Deserialize;

use crate::diag::Code;
use serde::de::{self, Deserializer, Visitor};

/// The front matter of one article file, as written.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", expecting = "a mapping of article fields")]
pub struct RawArticle {
    /// Headline of an article.
    pub title: Option<Scalar>,
    /// Headline of an event.
    pub name: Option<Scalar>,
    /// Plain-text summary.
    pub excerpt: Option<Scalar>,
    /// Publication time of an article.
    pub published_date_time: Option<Scalar>,
    /// Start time of an event.
    pub start_date_time: Option<Scalar>,
    /// The article's page.
    pub web_url: Option<Scalar>,
    /// The source page.
    pub original_url: Option<Scalar>,
    /// An event's site.
    pub website: Option<Scalar>,
    /// `article`, `conference`, …
    #[serde(rename = "type")]
    pub kind: Option<Scalar>,
    /// `false` keeps the article out of every feed.
    pub published: Option<bool>,
    /// `true` marks a withdrawn article.
    pub removed: Option<bool>,
    /// Editorial score.
    #[serde(default, deserialize_with = "number")]
    pub quality: Option<i64>,
    /// Popularity.
    #[serde(default, deserialize_with = "number")]
    pub heat: Option<i64>,
    /// Who published it.
    pub provider: Option<RawProvider>,
    /// Topic names.
    pub topics: Option<Vec<Scalar>>,
    /// Pictures of the article.
    pub images: Option<Vec<RawImage>>,
    /// Other outlets' reports of the same story.
    pub related: Option<Vec<RawRelated>>,
    /// `news`, …: with `type` and the folder, decides the item's kind.
    #[serde(default, deserialize_with = "category")]
    pub category: Option<Category>,
    /// End time of an event.
    #[serde(default, deserialize_with = "lenient")]
    pub end_date_time: Option<Scalar>,
    /// Where an event takes place.
    #[serde(default, deserialize_with = "lenient")]
    pub location: Option<Scalar>,
    /// A video's ISO 8601 duration (`PT4M51S`) or a course's length as written (`10 Weeks`).
    #[serde(default, deserialize_with = "lenient")]
    pub length: Option<Scalar>,
    /// A video's embed: an `<iframe>` whose `src` is the player.
    #[serde(default, deserialize_with = "lenient")]
    pub featured_content: Option<Scalar>,
    /// A course's or book's price as written (`Free`, `$83.05`).
    #[serde(default, deserialize_with = "lenient")]
    pub price: Option<Scalar>,
    /// The levels a course or book is for.
    #[serde(default, deserialize_with = "lenient")]
    pub levels: Option<Vec<Scalar>>,
    /// A book's ratings.
    #[serde(default, deserialize_with = "lenient")]
    pub ratings: Option<RawRatings>,
    /// The items a collection names (paths below the learning folder, without extension).
    #[serde(default, deserialize_with = "lenient")]
    pub items: Option<Vec<Scalar>>,
    /// The file a download offers.
    #[serde(default, deserialize_with = "lenient")]
    pub download_url: Option<Scalar>,
}

/// `ratings:` of a book.
#[derive(Debug, Default, Deserialize)]
pub struct RawRatings {
    /// How many ratings.
    #[serde(default, deserialize_with = "lenient")]
    pub count: Option<Scalar>,
    /// Their average (`4.6`).
    #[serde(default, deserialize_with = "lenient")]
    pub average: Option<Scalar>,
}

/// `provider.authors[]` of a course or book.
#[derive(Debug, Default, Deserialize)]
pub struct RawAuthor {
    /// The author's or publisher's name.
    #[serde(default, deserialize_with = "lenient")]
    pub name: Option<Scalar>,
}

/// One entry of `related:`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawRelated {
    /// Headline.
    pub title: Option<Scalar>,
    /// The report's page.
    pub web_url: Option<Scalar>,
    /// The source page.
    pub original_url: Option<Scalar>,
    /// Who published it.
    pub provider: Option<RawProvider>,
}

/// `provider:` of an article.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawProvider {
    /// Display name.
    pub name: Option<Scalar>,
    /// Host name.
    pub domain: Option<Scalar>,
    /// Logos.
    pub images: Option<Vec<RawImage>>,
    /// The authors or publishers of a course or book.
    #[serde(default, deserialize_with = "lenient")]
    pub authors: Option<Vec<RawAuthor>>,
}

/// One entry of `images:`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawImage {
    /// Where the image is.
    pub url: Option<Scalar>,
    /// Width in pixels.
    #[serde(default, deserialize_with = "number")]
    pub width: Option<u32>,
    /// Height in pixels.
    #[serde(default, deserialize_with = "number")]
    pub height: Option<u32>,
}

/// Any YAML scalar (string, number, boolean, timestamp) as its text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scalar(pub String);

impl Scalar {
    /// The text, trimmed.
    pub fn as_str(&self) -> &str {
        self.0.trim()
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;
        impl Visitor<'_> for ScalarVisitor {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a single value (text, number or date)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar, E> {
                Ok(Scalar(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
        }
        deserializer.deserialize_any(ScalarVisitor)
    }
}

/// `category:` of an article. `news`, the value of nearly every news article, is read without
/// allocating, so the field costs nothing on the path every article takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Category {
    /// `news` (any case).
    News,
    /// Any other scalar, as written.
    Other(Scalar),
}

/// [`Category`], leniently: a list or mapping is ignored.
fn category<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Category>, D::Error> {
    struct CategoryVisitor;
    impl<'de> Visitor<'de> for CategoryVisitor {
        type Value = Option<Category>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a category")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(if v.trim().eq_ignore_ascii_case("news") {
                Category::News
            } else {
                Category::Other(Scalar(v.to_string()))
            }))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            self.visit_str(&v.to_string())
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            self.visit_str(&v.to_string())
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            self.visit_str(&v.to_string())
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            self.visit_str(&v.to_string())
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<de::IgnoredAny>()?.is_some() {}
            Ok(None)
        }
        fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map
                .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                .is_some()
            {}
            Ok(None)
        }
    }
    deserializer.deserialize_any(CategoryVisitor)
}

/// A field of the learning formats read leniently: a value of another shape than expected
/// (a list where text belongs) is ignored, not an error, because these fields only add to
/// what a feed shows of an item and real files vary in them.
fn lenient<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let value = serde_yaml::Value::deserialize(deserializer)?;
    Ok(T::deserialize(value).ok())
}

/// A whole number written plainly or quoted (`width: "1200"` is as good as `width: 1200`);
/// anything else (`quality: "high"`) is a `wrong-type` error at the value.
fn number<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i64> + std::str::FromStr,
{
    struct NumberVisitor<T>(std::marker::PhantomData<T>);
    impl<T: TryFrom<i64> + std::str::FromStr> Visitor<'_> for NumberVisitor<T> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a whole number")
        }
        fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<T>, E> {
            T::try_from(v)
                .map(Some)
                .map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<T>, E> {
            i64::try_from(v)
                .ok()
                .and_then(|v| T::try_from(v).ok())
                .map(Some)
                .ok_or_else(|| E::invalid_value(de::Unexpected::Unsigned(v), &self))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<T>, E> {
            v.trim()
                .parse::<T>()
                .map(Some)
                .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
        }
    }
    deserializer.deserialize_any(NumberVisitor(std::marker::PhantomData))
}

/// Why front matter did not parse; `line` is relative to the front matter.
#[derive(Debug)]
pub struct ParseError {
    /// 1-based line within the front matter.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
    /// `yaml-syntax`, `not-a-mapping`, `duplicate-key`, `wrong-type` or `too-deeply-nested`.
    pub code: Code,
    /// The parser's message, without its own location suffix.
    pub message: String,
}

/// Deepest flow-collection nesting (`[[[…`, `{{{…`) accepted. The YAML parser needs time
/// quadratic in this depth before serde's own recursion limit can act, so hostile files are
/// refused before parsing; real front matter nests two or three levels.
pub const MAX_FLOW_DEPTH: usize = 64;

/// Parses front matter text into a [`RawArticle`].
pub fn parse(front_matter: &str) -> Result<RawArticle, ParseError> {
    check_flow_depth(front_matter)?;
    serde_yaml::from_str(front_matter).map_err(|e| {
        let (line, col) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        let message = strip_locations(&e.to_string());
        let code = if message.contains("expected a mapping of article fields") {
            Code::NotAMapping
        } else if message.contains("duplicate field") {
            Code::DuplicateKey
        } else if is_data_error(&message) {
            Code::WrongType
        } else {
            Code::YamlSyntax
        };
        ParseError {
            line,
            col,
            code,
            message,
        }
    })
}

/// Refuses front matter whose `[`/`{` nesting (outside quotes and comments) exceeds
/// [`MAX_FLOW_DEPTH`].
fn check_flow_depth(text: &str) -> Result<(), ParseError> {
    // Fewer opening brackets than the limit cannot nest past it: the common case, decided by a
    // fast byte count instead of the scan below.
    let opening = memchr::memchr2_iter(b'[', b'{', text.as_bytes()).take(MAX_FLOW_DEPTH + 1);
    if opening.count() <= MAX_FLOW_DEPTH {
        return Ok(());
    }
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut previous = '\n';
    let (mut line, mut col) = (1, 0);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        col += 1;
        if c == '\n' {
            (line, col, comment) = (line + 1, 0, false);
        } else if comment {
            // Inside a comment: nothing counts until the end of the line.
        } else if let Some(q) = quote {
            let escape =
                (c == '\\' && q == '"') || (c == '\'' && q == '\'' && chars.peek() == Some(&'\''));
            if escape {
                // `\x` in double quotes, `''` in single quotes: skip the escaped character.
                chars.next();
                col += 1;
            } else if c == q {
                quote = None;
            }
        } else if (c == '"' || c == '\'')
            && (previous.is_whitespace() || matches!(previous, '[' | '{' | ',' | ':'))
        {
            // A quote opens a quoted scalar only where a scalar can start, not in `it's`.
            quote = Some(c);
        } else if c == '#' && previous.is_whitespace() {
            comment = true;
        } else if c == '[' || c == '{' {
            depth += 1;
            if depth > MAX_FLOW_DEPTH {
                return Err(ParseError {
                    line,
                    col,
                    code: Code::TooDeeplyNested,
                    message: format!("front matter nests deeper than {MAX_FLOW_DEPTH} levels"),
                });
            }
        } else if c == ']' || c == '}' {
            depth = depth.saturating_sub(1);
        }
        previous = c;
    }
    Ok(())
}

/// Removes the parser's own ` at line N column M` (relative to the front matter, so
/// misleading): the diagnostic carries the file position instead.
fn strip_locations(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let tail = &after[digits..];
        match tail.strip_prefix(" column ") {
            Some(col) if digits > 0 => {
                rest = col.trim_start_matches(|c: char| c.is_ascii_digit());
            }
            _ => {
                out.push_str(" at line ");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

// serde's data-model errors, as opposed to YAML syntax errors.
fn is_data_error(message: &str) -> bool {
    [
        "invalid type",
        "invalid value",
        "invalid length",
        "unknown variant",
    ]
    .iter()
    .any(|m| message.contains(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_of_any_kind_are_text() {
        let raw =
            parse("title: 2024\nexcerpt: true\npublishedDateTime: 2023-05-11T21:44:00Z\n").unwrap();
        assert_eq!(raw.title.unwrap().as_str(), "2024");
        assert_eq!(raw.excerpt.unwrap().as_str(), "true");
        assert_eq!(
            raw.published_date_time.unwrap().as_str(),
            "2023-05-11T21:44:00Z"
        );
    }

    #[test]
    fn structure_errors_are_classified() {
        assert_eq!(parse("- a\n- b\n").unwrap_err().code, "not-a-mapping");
        assert_eq!(parse("just text\n").unwrap_err().code, "not-a-mapping");
        assert_eq!(parse("topics: AI\n").unwrap_err().code, "wrong-type");
        assert_eq!(parse("images: {}\n").unwrap_err().code, "wrong-type");
        assert_eq!(
            parse("title: a\ntitle: b\n").unwrap_err().code,
            "duplicate-key"
        );
        assert_eq!(parse("title: \"open\n").unwrap_err().code, "yaml-syntax");
        assert_eq!(
            parse("title: a\n\tbad: tab\n").unwrap_err().code,
            "yaml-syntax"
        );
    }

    #[test]
    fn numbers_may_be_quoted_but_must_be_numbers() {
        let raw =
            parse("quality: \"85\"\nimages:\n  - {url: x, width: '1200', height: 675}\n").unwrap();
        assert_eq!(raw.quality, Some(85));
        let image = &raw.images.unwrap()[0];
        assert_eq!((image.width, image.height), (Some(1200), Some(675)));
        assert_eq!(parse("quality: high\n").unwrap_err().code, "wrong-type");
        assert_eq!(
            parse("images: [{width: -3}]\n").unwrap_err().code,
            "wrong-type"
        );
        assert_eq!(parse("quality: [1]\n").unwrap_err().code, "wrong-type");
    }

    #[test]
    fn learning_fields_of_another_shape_are_ignored() {
        let raw = parse("title: a\nlength: PT1M\nlevels: [Beginner]\nratings: {count: 3, average: 4.5}\nlocation: {city: x}\nitems: 7\nprovider: {name: P, authors: [{name: A}, {}]}\n").unwrap();
        assert_eq!(raw.length.unwrap().as_str(), "PT1M");
        assert_eq!(
            parse("category: News\n").unwrap().category,
            Some(Category::News)
        );
        assert_eq!(
            parse("category: video\n").unwrap().category,
            Some(Category::Other(Scalar("video".into())))
        );
        assert_eq!(parse("category: [a]\n").unwrap().category, None);
        assert_eq!(raw.levels.unwrap()[0].as_str(), "Beginner");
        assert_eq!(raw.ratings.unwrap().average.unwrap().as_str(), "4.5");
        assert!(raw.location.is_none());
        assert!(raw.items.is_none());
        let authors = raw.provider.unwrap().authors.unwrap();
        assert_eq!(authors[0].name.as_ref().unwrap().as_str(), "A");
        assert!(authors[1].name.is_none());
    }

    #[test]
    fn unknown_keys_are_ignored_and_secrets_not_kept() {
        let raw = parse("title: a\nsecured: \"c2VjcmV0;aXY=\"\nampWebUrl: x\n").unwrap();
        assert_eq!(raw.title.as_ref().unwrap().as_str(), "a");
        assert!(!format!("{raw:?}").contains("c2VjcmV0"));
    }

    #[test]
    fn locations_are_stripped_from_messages() {
        assert_eq!(
            strip_locations("found x at line 1 column 16, while parsing at line 2 column 3"),
            "found x, while parsing"
        );
        assert_eq!(
            strip_locations("look at line endings"),
            "look at line endings"
        );
    }

    #[test]
    fn alias_bombs_are_bounded() {
        let bomb = "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\ntitle: x\n";
        // Unknown keys are skipped, yet the parser still bounds alias expansion.
        let _ = parse(bomb);
        let nested = format!("title: {}x{}\n", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(parse(&nested).unwrap_err().code, "too-deeply-nested");
        let quoted = format!("title: \"{}\"\n# {}\n", "[".repeat(100), "{".repeat(100));
        assert_eq!(
            parse(&quoted).unwrap().title.unwrap().as_str(),
            "[".repeat(100)
        );
        let escaped = format!("title: 'it''s {}'\n", "[".repeat(100));
        assert!(parse(&escaped).is_ok());
        let apostrophe = format!("title: it's {}\n", "[".repeat(100));
        assert_eq!(parse(&apostrophe).unwrap_err().code, "too-deeply-nested");
        assert!(parse("topics: [[a, b], {c: d}]\n").is_err_and(|e| e.code == "wrong-type"));
    }
}

//! Slugs: safe path segments for feed folders — unique among topics (numbered in the order
//! names arrive), and for providers and kinds a function of the name alone, so a new provider
//! never renames another's feed.

use std::collections::BTreeSet;

/// Longest slug; longer names are cut at a word boundary.
pub const MAX_SLUG_LEN: usize = 64;

/// A path segment for `name`: lower-case ASCII letters, digits and `-` (non-ASCII
/// transliterated), never empty, never a name Windows reserves, at most [`MAX_SLUG_LEN`] long,
/// and not in `taken` (clashes get `-2`, `-3`, … in the order names arrive, which callers keep
/// sorted).
pub fn unique_slug(name: &str, taken: &mut BTreeSet<String>) -> String {
    let mut base = slug::slugify(name);
    if base.len() > MAX_SLUG_LEN {
        let cut = base[..MAX_SLUG_LEN].rfind('-').unwrap_or(MAX_SLUG_LEN);
        base.truncate(cut);
    }
    if base.is_empty() {
        base = "untitled".into();
    }
    if is_reserved(&base) {
        base.push_str("-feed");
    }
    let mut candidate = base.clone();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

/// A path segment for `key` that depends on `key` alone: [`unique_slug`]'s segment without
/// the numbering (callers treat keys with one slug as one), and a name longer than
/// [`MAX_SLUG_LEN`] is cut at a word boundary and ends in a short hash of the whole slug, so
/// long names that share a beginning stay apart.
pub fn stable_slug(key: &str) -> String {
    let mut base = slug::slugify(key);
    if base.len() > MAX_SLUG_LEN {
        let hash = crate::model::stable_hash(base.as_str()) as u32;
        let room = MAX_SLUG_LEN - 9;
        let cut = base[..room].rfind('-').unwrap_or(room);
        base.truncate(cut);
        base = format!("{base}-{hash:08x}");
    }
    if base.is_empty() {
        base = "untitled".into();
    }
    if is_reserved(&base) {
        base.push_str("-feed");
    }
    base
}

// Device names Windows refuses as file names, so a published tree can be copied anywhere.
fn is_reserved(slug: &str) -> bool {
    matches!(slug, "con" | "prn" | "aux" | "nul")
        || ((slug.starts_with("com") || slug.starts_with("lpt"))
            && slug.len() == 4
            && slug.as_bytes()[3].is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_and_unique() {
        let mut taken = BTreeSet::new();
        assert_eq!(unique_slug("AI Hardware", &mut taken), "ai-hardware");
        assert_eq!(unique_slug("ai  hardware!", &mut taken), "ai-hardware-2");
        assert_eq!(unique_slug("../../etc", &mut taken), "etc");
        assert_eq!(unique_slug("/", &mut taken), "untitled");
        assert_eq!(unique_slug(".", &mut taken), "untitled-2");
        assert_eq!(unique_slug("con", &mut taken), "con-feed");
        assert_eq!(
            unique_slug("Künstliche Intelligenz", &mut taken),
            "kunstliche-intelligenz"
        );
        assert_eq!(unique_slug("人工智能", &mut taken), "ren-gong-zhi-neng");
        let long = unique_slug(&"word ".repeat(100), &mut taken);
        assert!(long.len() <= MAX_SLUG_LEN && !long.ends_with('-'), "{long}");
    }

    #[test]
    fn stable_slugs_depend_on_the_key_alone() {
        assert_eq!(stable_slug("techspot.com"), "techspot-com");
        assert_eq!(
            stable_slug("youtube.com adrian-twarog"),
            "youtube-com-adrian-twarog"
        );
        assert_eq!(stable_slug("con"), "con-feed");
        assert_eq!(stable_slug("!!"), "untitled");
        let a = stable_slug(&format!("{} one", "word ".repeat(20)));
        let b = stable_slug(&format!("{} two", "word ".repeat(20)));
        assert!(
            a.len() <= MAX_SLUG_LEN && b.len() <= MAX_SLUG_LEN,
            "{a} {b}"
        );
        assert_ne!(a, b, "long keys that share a beginning stay apart");
        assert_eq!(a, stable_slug(&format!("{} one", "word ".repeat(20))));
    }
}

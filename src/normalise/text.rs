//! Plain-text hygiene for titles, summaries and names taken from scraped sources.

/// Turns scraped text into clean plain text: markup stripped, HTML entities decoded exactly
/// once, characters XML 1.0 forbids removed, whitespace (including no-break spaces) collapsed,
/// and Unicode in NFC, so names that differ only in normalisation compare equal.
///
/// Tags are stripped *before* entities are decoded, so `&lt;b&gt;` (escaped text) survives as
/// the literal `<b>` while a real `<b>` tag disappears, and `&amp;#8217;` becomes the literal
/// text `&#8217;`, not an apostrophe.
pub fn plain_text(input: &str) -> String {
    let stripped = strip_tags(input);
    let decoded = html_escape::decode_html_entities(&stripped);
    let decoded = icu_normalizer::ComposingNormalizerBorrowed::new_nfc().normalize(&decoded);
    let mut out = String::with_capacity(decoded.len());
    for word in decoded
        .split(|c: char| c.is_whitespace() || is_forbidden(c))
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().filter(|&c| !is_invisible_junk(c)));
    }
    out
}

/// Longest summary published, in characters; longer excerpts are cut at a word boundary.
pub const MAX_SUMMARY_CHARS: usize = 1000;

/// Finishes a plain-text excerpt for publication: an excerpt longer than
/// [`MAX_SUMMARY_CHARS`] is cut at a word boundary, and one that stops mid-sentence (cut by the
/// scraper, or trailing `...`) ends with a single `…`. Cuts fall between characters, never
/// inside one.
pub fn finish_excerpt(text: &str) -> String {
    let mut text = text.trim();
    let mut cut = false;
    if let Some((limit, _)) = text.char_indices().nth(MAX_SUMMARY_CHARS) {
        let head = &text[..limit];
        text = head.rfind(char::is_whitespace).map_or(head, |i| &head[..i]);
        cut = true;
    }
    let trimmed = text.trim_end_matches(['.', '…']).trim_end();
    let dotted = trimmed.len() < text.len() && (text.ends_with("...") || text.ends_with('…'));
    if cut || dotted {
        let body = trimmed
            .trim_end_matches([',', ';', ':', '-', '–', '—'])
            .trim_end();
        return format!("{body}…");
    }
    match text.chars().last() {
        Some(c) if c.is_alphanumeric() || matches!(c, ',' | ';' | ':' | '-' | '–' | '—') => {
            let body = text
                .trim_end_matches([',', ';', ':', '-', '–', '—'])
                .trim_end();
            format!("{body}…")
        }
        _ => text.to_string(),
    }
}

/// Characters XML 1.0 does not allow (§2.2), plus the C1 controls, which in scraped text are
/// always mis-decoded bytes. They are treated as whitespace.
fn is_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')
}

/// Characters dropped without a trace: the replacement character left by failed decoding.
fn is_invisible_junk(c: char) -> bool {
    c == '\u{fffd}'
}

/// Removes things that look like HTML tags or comments: `<` followed by a letter, `/`, `!` or
/// `?`, up to the next `>`. A `<` that starts no tag (`a < b`) is kept.
fn strip_tags(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut rest = input;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let starts_tag = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'));
        match (starts_tag, after.find('>')) {
            (true, Some(end)) => {
                // A tag separates words: `a<br>b` reads as `a b`.
                out.push(' ');
                rest = &after[end + 1..];
            }
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_entities_exactly_once() {
        assert_eq!(plain_text("Tom &amp; Jerry"), "Tom & Jerry");
        assert_eq!(plain_text("it&#8217;s"), "it\u{2019}s");
        assert_eq!(plain_text("&amp;#8217;"), "&#8217;");
        assert_eq!(plain_text("a&nbsp;b"), "a b");
    }

    #[test]
    fn strips_markup_keeps_comparisons() {
        assert_eq!(plain_text("<b>Bold</b> move"), "Bold move");
        assert_eq!(plain_text("<script>x</script>y"), "x y");
        assert_eq!(plain_text("a < b and c > d"), "a < b and c > d");
        assert_eq!(plain_text("&lt;b&gt;literal"), "<b>literal");
        assert_eq!(plain_text("line<br/>break"), "line break");
        assert_eq!(plain_text("unclosed <b tag"), "unclosed <b tag");
    }

    #[test]
    fn collapses_whitespace_and_drops_forbidden_characters() {
        assert_eq!(plain_text("  a \n\t b  "), "a b");
        assert_eq!(plain_text("bell\u{7}ring\u{0}"), "bell ring");
        assert_eq!(plain_text("x\u{fffd}y"), "xy");
        assert_eq!(plain_text("\u{200f}rtl 🎉"), "\u{200f}rtl 🎉");
    }

    #[test]
    fn excerpts_cut_mid_sentence_end_with_an_ellipsis() {
        assert_eq!(finish_excerpt("This move could"), "This move could…");
        assert_eq!(finish_excerpt("capable of ..."), "capable of…");
        assert_eq!(finish_excerpt("as well..."), "as well…");
        assert_eq!(finish_excerpt("already done…"), "already done…");
        assert_eq!(finish_excerpt("Complete sentence."), "Complete sentence.");
        assert_eq!(finish_excerpt("A question?"), "A question?");
        assert_eq!(finish_excerpt("He said “yes.”"), "He said “yes.”");
        assert_eq!(finish_excerpt("trailing comma,"), "trailing comma…");
    }

    #[test]
    fn long_excerpts_are_cut_between_words_and_characters() {
        let long = "é".repeat(600) + " " + &"日本".repeat(600);
        let out = finish_excerpt(&long);
        assert_eq!(out, "é".repeat(600) + "…");
        let words = "word ".repeat(400);
        let out = finish_excerpt(&words);
        assert!(out.chars().count() <= MAX_SUMMARY_CHARS + 1);
        assert!(out.ends_with("word…"), "{out}");
    }

    #[test]
    fn unicode_is_nfc() {
        assert_eq!(plain_text("Cafe\u{301}"), "Caf\u{e9}");
    }
}

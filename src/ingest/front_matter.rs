//! Splitting an article file into YAML front matter and body.
//!
//! The format: the first line is `---`, then YAML, then a line `---`, then an optional body.
//! A byte-order mark and CRLF line endings are accepted.

use crate::diag::Code;

/// An article file split into its parts; the slices borrow from the file's text.
#[derive(Debug, PartialEq, Eq)]
pub struct Document<'a> {
    /// The YAML between the two `---` lines.
    pub front_matter: &'a str,
    /// The file line (1-based) on which the front matter starts.
    pub front_matter_line: usize,
    /// Everything after the closing `---` line.
    pub body: &'a str,
}

/// Why a file could not be split.
#[derive(Debug, PartialEq, Eq)]
pub struct SplitError {
    /// File line to report.
    pub line: usize,
    /// Diagnostic code.
    pub code: Code,
    /// Message.
    pub message: String,
}

/// Splits `text` into front matter and body.
pub fn split(text: &str) -> Result<Document<'_>, SplitError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let error = |line, code, message: &str| SplitError {
        line,
        code,
        message: message.to_string(),
    };
    if text.trim().is_empty() {
        return Err(error(1, Code::EmptyFile, "file is empty"));
    }
    let mut lines = LineSpans::new(text);
    match lines.next() {
        Some((_, _, line)) if is_fence(line) => {}
        _ => {
            return Err(error(
                1,
                Code::NoFrontMatter,
                "file does not start with a `---` line opening the YAML front matter",
            ));
        }
    }
    let start = lines.offset;
    for (_, line_start, line) in lines {
        if is_fence(line) {
            let front_matter = &text[start..line_start];
            if front_matter.trim().is_empty() {
                return Err(error(2, Code::EmptyFrontMatter, "front matter is empty"));
            }
            return Ok(Document {
                front_matter,
                front_matter_line: 2,
                body: &text[lines_end(text, line_start)..],
            });
        }
    }
    Err(error(
        1,
        Code::UnterminatedFrontMatter,
        "front matter opened on line 1 is never closed by a `---` line",
    ))
}

fn is_fence(line: &str) -> bool {
    line.trim_end_matches(['\r', ' ', '\t']) == "---"
}

// The offset just past the line starting at `line_start` (after its newline, if any).
fn lines_end(text: &str, line_start: usize) -> usize {
    match text[line_start..].find('\n') {
        Some(i) => line_start + i + 1,
        None => text.len(),
    }
}

/// Iterates over lines as (1-based number, start offset, text without `\n`).
struct LineSpans<'a> {
    text: &'a str,
    offset: usize,
    number: usize,
}

impl<'a> LineSpans<'a> {
    fn new(text: &'a str) -> Self {
        LineSpans {
            text,
            offset: 0,
            number: 0,
        }
    }
}

impl<'a> Iterator for LineSpans<'a> {
    type Item = (usize, usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        if self.offset >= self.text.len() {
            return None;
        }
        let start = self.offset;
        let rest = &self.text[start..];
        let (line, advance) = match rest.find('\n') {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        self.offset += advance;
        self.number += 1;
        Some((self.number, start, line))
    }
}

/// Whether a quoted scalar (opened by `quote`) is still open at the end of `text`: `\"` escapes
/// a double quote, `''` a single one. (Both quotes and `\\` are ASCII, so bytes will do.)
fn still_open(text: &str, quote: char) -> Option<char> {
    let bytes = text.as_bytes();
    let mut at = 0;
    if quote == '"' {
        while let Some(found) = bytes
            .get(at..)
            .and_then(|rest| memchr::memchr2(b'"', b'\\', rest))
        {
            let i = at + found;
            if bytes[i] == b'"' {
                return None;
            }
            at = i + 2;
        }
    } else {
        while let Some(found) = bytes.get(at..).and_then(|rest| memchr::memchr(b'\'', rest)) {
            let i = at + found;
            if bytes.get(i + 1) != Some(&b'\'') {
                return None;
            }
            at = i + 2;
        }
    }
    Some(quote)
}

/// File line of each top-level key of the front matter, so that a problem with a field can be
/// reported where the field is written. The keys are kept in one string (a file has a dozen or
/// so, and most are never asked for): two allocations per file, not one per key.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct KeyLines {
    keys: String,
    /// Each key's end in `keys` (it starts where the one before ends) and its line.
    lines: Vec<(usize, usize)>,
}

impl KeyLines {
    /// Scans `front_matter` (which starts on file line `first_line`) for `key:` lines at
    /// column 1. It is a locator for messages only: the YAML parser decides what the keys mean.
    pub fn scan(front_matter: &str, first_line: usize) -> KeyLines {
        let mut lines = KeyLines::default();
        // A quoted value may continue on following lines, even from column 1: those lines are
        // part of the value, not keys.
        let mut open_quote: Option<char> = None;
        for (i, line) in front_matter.lines().enumerate() {
            if let Some(quote) = open_quote {
                open_quote = still_open(line, quote);
                continue;
            }
            let Some(first) = line.chars().next() else {
                continue;
            };
            if first.is_whitespace() || matches!(first, '-' | '#' | '{' | '[') {
                continue;
            }
            if let Some(colon) = line.find(':') {
                let key = line[..colon].trim().trim_matches(['"', '\'']);
                if lines.get(key).is_none() {
                    lines.keys.push_str(key);
                    lines.lines.push((lines.keys.len(), first_line + i));
                }
                let value = line[colon + 1..].trim_start();
                if let Some(quote) = value.chars().next().filter(|c| matches!(c, '"' | '\'')) {
                    open_quote = still_open(&value[1..], quote);
                }
            }
        }
        lines
    }

    /// The file line of `key`, if it was found.
    pub fn get(&self, key: &str) -> Option<usize> {
        self.iter().find(|&(k, _)| k == key).map(|(_, line)| line)
    }

    /// Every key found, once, in the order it is first written, with its line.
    pub fn iter(&self) -> impl Iterator<Item = (&str, usize)> {
        let starts = std::iter::once(0).chain(self.lines.iter().map(|&(end, _)| end));
        starts
            .zip(&self.lines)
            .map(|(start, &(end, line))| (&self.keys[start..end], line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let d = split("---\ntitle: a\n---\nbody\n").unwrap();
        assert_eq!(d.front_matter, "title: a\n");
        assert_eq!(d.front_matter_line, 2);
        assert_eq!(d.body, "body\n");
    }

    #[test]
    fn accepts_bom_crlf_and_no_final_newline() {
        let d = split("\u{feff}---\r\ntitle: a\r\n---").unwrap();
        assert_eq!(d.front_matter, "title: a\r\n");
        assert_eq!(d.body, "");
    }

    #[test]
    fn rejects_the_broken_shapes() {
        let code = |t: &str| split(t).unwrap_err().code;
        assert_eq!(code(""), "empty-file");
        assert_eq!(code("  \n"), "empty-file");
        assert_eq!(code("title: a\n"), "no-front-matter");
        assert_eq!(code("---\ntitle: a\n"), "unterminated-front-matter");
        assert_eq!(code("---"), "unterminated-front-matter");
        assert_eq!(code("---\n---\n"), "empty-front-matter");
    }

    #[test]
    fn quoted_continuation_lines_are_not_keys() {
        let text = "title: \"wraps\nwebUrl: not a key\"\nexcerpt: 'it''s\nnote: still text'\nwebUrl: real\nempty: \"\"\nnext: x\n";
        let lines = KeyLines::scan(text, 2);
        assert_eq!(lines.get("webUrl"), Some(6));
        assert_eq!(lines.get("note"), None);
        assert_eq!(lines.get("next"), Some(8));
        assert_eq!(lines.iter().count(), 5);
    }

    #[test]
    fn a_key_written_twice_is_found_where_it_is_first_written() {
        let lines = KeyLines::scan("title: a\nwebUrl: x\n\"title\": b\ntopic: c\n", 2);
        assert_eq!(lines.get("title"), Some(2));
        assert_eq!(lines.get("topic"), Some(5));
        assert_eq!(lines.get("tit"), None);
        assert_eq!(
            lines.iter().collect::<Vec<_>>(),
            [("title", 2), ("webUrl", 3), ("topic", 5)]
        );
    }

    #[test]
    fn still_open_agrees_with_a_char_by_char_reading() {
        fn reference(text: &str, quote: char) -> Option<char> {
            let mut chars = text.chars().peekable();
            while let Some(c) = chars.next() {
                if quote == '"' && c == '\\' {
                    chars.next();
                } else if c == quote {
                    if quote == '\'' && chars.peek() == Some(&'\'') {
                        chars.next();
                    } else {
                        return None;
                    }
                }
            }
            Some(quote)
        }
        let pieces = ["a", "\"", "'", "\\", "é", "''", "\\\"", "—", " "];
        // Every string of up to four pieces, in both quotes.
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}")))
                .collect();
            texts.extend(longer);
        }
        for text in &texts {
            for quote in ['"', '\''] {
                assert_eq!(
                    still_open(text, quote),
                    reference(text, quote),
                    "{text:?} {quote}"
                );
            }
        }
    }

    #[test]
    fn key_lines_are_file_lines() {
        let lines = KeyLines::scan("title: a\nprovider:\n  name: x\n\"webUrl\": u\n", 2);
        assert_eq!(lines.get("title"), Some(2));
        assert_eq!(lines.get("provider"), Some(3));
        assert_eq!(lines.get("name"), None);
        assert_eq!(lines.get("webUrl"), Some(5));
    }
}

//! The document as text: the character encodings a feed may come in, as the W3C service reads
//! them (a byte-order mark, the XML declaration's `encoding`, UTF-8 by default).

/// The document as text: UTF-8 (the default), UTF-16 with a byte-order mark, or the
/// single-byte encodings an XML declaration may name (ISO-8859-1, US-ASCII).
pub(crate) fn decode(bytes: &[u8]) -> Result<String, String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        if let Some(declared) = declared_encoding(rest)
            && !matches!(declared.to_ascii_lowercase().as_str(), "utf-8" | "utf8")
        {
            return Err(format!(
                "a UTF-8 byte-order mark, but the XML declaration says {declared}"
            ));
        }
        return String::from_utf8(rest.to_vec()).map_err(|e| utf8_error(rest, &e));
    }
    for (bom, big) in [(b"\xFE\xFF", true), (b"\xFF\xFE", false)] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let units = rest.chunks_exact(2).map(|p| {
                if big {
                    u16::from_be_bytes([p[0], p[1]])
                } else {
                    u16::from_le_bytes([p[0], p[1]])
                }
            });
            return char::decode_utf16(units)
                .collect::<Result<String, _>>()
                .map_err(|e| format!("invalid UTF-16: {e}"));
        }
    }
    let declared = declared_encoding(bytes).map(|e| e.to_ascii_lowercase());
    match declared.as_deref() {
        Some("iso-8859-1" | "latin1" | "latin-1" | "iso8859-1") => {
            Ok(bytes.iter().map(|&b| char::from(b)).collect())
        }
        Some("us-ascii" | "ascii") if !bytes.is_ascii() => {
            Err("a byte above 127 in a document declared US-ASCII".into())
        }
        None | Some("utf-8" | "utf8" | "us-ascii" | "ascii") => {
            String::from_utf8(bytes.to_vec()).map_err(|e| utf8_error(bytes, &e))
        }
        Some(other) => {
            // Any other encoding a browser knows (windows-1252, koi8-r, shift_jis, …).
            // Python's names for the Mac encodings (`mac-cyrillic`) are WHATWG's `x-mac-…`.
            let encoding = encoding_rs::Encoding::for_label(other.as_bytes())
                .or_else(|| encoding_rs::Encoding::for_label(format!("x-{other}").as_bytes()))
                .ok_or_else(|| format!("unknown encoding {other}"))?;
            encoding
                .decode_without_bom_handling_and_without_replacement(bytes)
                .map(std::borrow::Cow::into_owned)
                .ok_or_else(|| format!("a byte sequence that is not {other}"))
        }
    }
}

/// Whether the XML declaration names an encoding no browser knows (`UnknownEncoding`, where
/// a document that does not decode is `UnicodeError`).
pub(crate) fn unknown_encoding(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    declared_encoding(bytes).is_some_and(|declared| {
        let label = declared.to_ascii_lowercase();
        !matches!(
            label.as_str(),
            "iso-8859-1" | "latin1" | "latin-1" | "iso8859-1"
        ) && encoding_rs::Encoding::for_label(label.as_bytes()).is_none()
            && encoding_rs::Encoding::for_label(format!("x-{label}").as_bytes()).is_none()
    })
}

fn utf8_error(bytes: &[u8], e: &std::string::FromUtf8Error) -> String {
    let at = e.utf8_error().valid_up_to();
    let line = 1 + memchr::memchr_iter(b'\n', &bytes[..at]).count();
    format!("'utf-8' codec can't decode byte at offset {at} (line {line})")
}

/// The `encoding` of an XML declaration at the start of `bytes`.
pub(crate) fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = std::str::from_utf8(&bytes[..bytes.len().min(200)])
        .ok()
        .or_else(|| {
            let end = bytes.iter().position(|&b| b == b'>')?;
            std::str::from_utf8(&bytes[..=end]).ok()
        })?;
    let decl = head.strip_prefix("<?xml")?;
    let decl = &decl[..decl.find("?>")?];
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?;
    let rest = rest.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    Some(value[..value.find(quote)?].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        assert_eq!(decode(b"\xEF\xBB\xBF<a/>").unwrap(), "<a/>");
        assert!(decode(b"\xEF\xBB\xBF<?xml version='1.0' encoding='us-ascii'?><a/>").is_err());
        assert!(decode(b"\xEF\xBB\xBF<?xml version='1.0' encoding='UTF-8'?><a/>").is_ok());
        assert_eq!(decode(b"\xFF\xFE<\0a\0/\0>\0").unwrap(), "<a/>");
        assert_eq!(
            decode(b"<?xml version='1.0' encoding='ISO-8859-1'?><a>\xe9</a>").unwrap(),
            "<?xml version='1.0' encoding='ISO-8859-1'?><a>\u{e9}</a>"
        );
        assert!(decode(b"<a>\xe9</a>").is_err());
        assert!(decode(b"<?xml version='1.0' encoding='us-ascii'?><a>\xc3\xa9</a>").is_err());
        assert_eq!(
            decode(b"<?xml version='1.0' encoding='windows-1252'?><a>\x93</a>").unwrap(),
            "<?xml version='1.0' encoding='windows-1252'?><a>\u{201c}</a>"
        );
        assert!(decode(b"<?xml version='1.0' encoding='klingon'?><a/>").is_err());
        assert!(unknown_encoding(
            b"<?xml version='1.0' encoding='klingon'?><a/>"
        ));
        assert!(!unknown_encoding(
            b"<?xml version='1.0' encoding='Latin1'?><a/>"
        ));
        assert!(!unknown_encoding(
            b"<?xml version='1.0' encoding='mac-cyrillic'?><a/>"
        ));
        assert_eq!(
            decode(b"<?xml version='1.0' encoding='mac-cyrillic'?><a>\x80</a>").unwrap(),
            "<?xml version='1.0' encoding='mac-cyrillic'?><a>\u{410}</a>"
        );
    }
}

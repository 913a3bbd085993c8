//! Small values: e-mail addresses and the RSS contact form, MIME types, language tags and
//! integers.

use crate::Message;

/// Whether `value` is an `addr-spec` e-mail address (`local@domain`).
pub fn addr_spec(value: &str) -> bool {
    let Some((local, domain)) = value.rsplit_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-+.'!#$%&*/=?^`{|}~".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && labels
            .last()
            .is_some_and(|l| l.chars().next().is_some_and(|c| c.is_ascii_alphanumeric()));
    local_ok && domain_ok
}

/// Whether `value` is `local@name` with a domain of one label (`jane@example`), which the W3C
/// service looks up and, finding no such host, calls `UnknownHost` rather than invalid.
pub fn single_label_address(value: &str) -> bool {
    let Some((local, domain)) = value.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || "._%+-".contains(c))
        && domain.starts_with(|c: char| c.is_ascii_alphabetic())
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// The RSS e-mail field check (`managingEditor`, `webMaster`, item `author`).
pub fn contact(value: &str) -> Option<Message> {
    // A `mailto:` URL (RFC 2368) is read as the address it encodes.
    let decoded;
    let value = match value.strip_prefix("mailto:") {
        Some(url) => {
            decoded = percent_encoding::percent_decode_str(url)
                .decode_utf8_lossy()
                .into_owned();
            decoded.as_str()
        }
        None => value,
    };
    if value.find('@').is_some_and(|i| i > 0) && !value.ends_with(')') {
        let address_only = !value.contains(' ');
        // An address alone (even `a@b?subject=x`, RFC 2368) lacks only the name, as the W3C
        // service sees it.
        // An address alone (even `a@b?subject=x`, RFC 2368) lacks only the name; `Name <a@b>`
        // and other shapes are not the `a@b (Name)` form RSS asks for.
        return Some(if address_only {
            Message::MissingRealName
        } else {
            Message::EmailFormat
        });
    }
    let address = value.split(" (").next().unwrap_or(value).trim();
    (!addr_spec(address)).then_some(Message::InvalidContact)
}

/// Whether `value` is a MIME type (`type/subtype` with optional parameters).
pub fn mime_type(value: &str) -> bool {
    let token = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| !c.is_whitespace() && !"()<>,;:\\\"/[]?=".contains(c))
    };
    let mut parts = value.split(';');
    let Some((kind, sub)) = parts.next().and_then(|t| t.split_once('/')) else {
        return false;
    };
    token(kind)
        && token(sub)
        && parts.all(|p| {
            p.trim().split_once('=').is_some_and(|(k, v)| {
                token(k) && (token(v) || (v.starts_with('"') && v.ends_with('"') && v.len() >= 2))
            })
        })
}

/// Whether `value` is a language tag that starts with an ISO 639 code (`en`, `en-us`, `de-AT`,
/// `fre`), or a private-use `x-` tag.
pub fn language(value: &str) -> bool {
    let mut parts = value.split('-');
    let primary = parts.next().unwrap_or("");
    // `x-…` is a private-use tag (RFC 3066 §2.2); anything else starts with an ISO 639 code.
    (primary.eq_ignore_ascii_case("x") || super::languages::iso639(primary))
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Parses an integer the way the W3C service does (surrounding whitespace allowed).
pub fn integer(value: &str) -> Option<i64> {
    value.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_and_contacts() {
        assert!(addr_spec("a.b+c@example.co.uk"));
        assert!(!addr_spec("example.com"));
        assert!(!addr_spec("a@b"));
        assert_eq!(contact("a@example.com (Ann)"), None);
        assert_eq!(contact("a@example.com"), Some(Message::MissingRealName));
        assert_eq!(
            contact("mailto:a@example.com?subject=Hi"),
            Some(Message::MissingRealName)
        );
        assert_eq!(contact("mailto:user%40example.com%20%28name%29"), None);
        assert_eq!(contact("Ann"), Some(Message::InvalidContact));
        assert_eq!(contact("Ann <a@example.com>"), Some(Message::EmailFormat));
        assert_eq!(contact("Ann, a@example.com"), Some(Message::EmailFormat));
    }

    #[test]
    fn mime_languages_integers() {
        assert!(mime_type("image/jpeg"));
        assert!(mime_type("text/html; charset=utf-8"));
        assert!(!mime_type("jpeg"));
        assert!(language("en-us") && language("de"));
        assert!(!language("english") && !language("e"));
        assert!(language("UND") && language("fre-CA") && language("x-klingon"));
        assert!(!language("zz") && !language("qq-QQ") && !language("en_us"));
        assert_eq!(integer(" 5 "), Some(5));
        assert_eq!(integer("5x"), None);
    }
}

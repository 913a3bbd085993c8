//! The URI schemes registered with IANA, for `SchemeNotIANARegistered`.
//!
//! From IANA's "Uniform Resource Identifier (URI) Schemes" registry (RFC 7595): the schemes
//! whose status is *permanent* or *historical*. *Provisional* registrations (`feed`,
//! `javascript`, `irc`, …) are not registered schemes in the RFC 7595 sense, and a scheme that
//! was never registered (`doi`) is not either. Sorted, for a binary search.

const REGISTERED: &[&str] = &[
    "aaa",
    "aaas",
    "about",
    "acap",
    "acct",
    "afs",
    "cap",
    "cid",
    "coap",
    "coap+tcp",
    "coap+ws",
    "coaps",
    "coaps+tcp",
    "coaps+ws",
    "crid",
    "data",
    "dav",
    "dict",
    "dns",
    "dtn",
    "example",
    "fax",
    "file",
    "ftp",
    "geo",
    "go",
    "gopher",
    "h323",
    "http",
    "https",
    "iax",
    "icap",
    "im",
    "imap",
    "info",
    "ipn",
    "ipp",
    "ipps",
    "iris",
    "iris.beep",
    "iris.lwz",
    "iris.xpc",
    "iris.xpcs",
    "jabber",
    "ldap",
    "leaptofrogans",
    "mailserver",
    "mailto",
    "mid",
    "modem",
    "msrp",
    "msrps",
    "mt",
    "mtqp",
    "mupdate",
    "news",
    "nfs",
    "ni",
    "nih",
    "nntp",
    "opaquelocktoken",
    "pack",
    "pkcs11",
    "pop",
    "pres",
    "prospero",
    "reload",
    "rtsp",
    "rtsps",
    "rtspu",
    "service",
    "session",
    "shttp",
    "sieve",
    "sip",
    "sips",
    "sms",
    "snews",
    "snmp",
    "soap.beep",
    "soap.beeps",
    "stun",
    "stuns",
    "tag",
    "tel",
    "telnet",
    "tftp",
    "thismessage",
    "tip",
    "tn3270",
    "turn",
    "turns",
    "tv",
    "urn",
    "vemmi",
    "videotex",
    "vnc",
    "wais",
    "ws",
    "wss",
    "xcon",
    "xcon-userid",
    "xmlrpc.beep",
    "xmlrpc.beeps",
    "xmpp",
    "z39.50",
    "z39.50r",
    "z39.50s",
];

/// Whether `scheme` (lower case) is registered with IANA.
pub fn registered(scheme: &str) -> bool {
    REGISTERED.binary_search(&scheme).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_and_knows_the_common_schemes() {
        assert!(REGISTERED.windows(2).all(|w| w[0] < w[1]));
        for s in ["http", "https", "mailto", "urn", "tag", "data", "ftp"] {
            assert!(registered(s), "{s}");
        }
        for s in ["feed", "javascript", "doi", "itpc"] {
            assert!(!registered(s), "{s}");
        }
    }
}

//! ISO 639 language codes, for `InvalidLanguage`: the two-letter codes of ISO 639-1 and the
//! three-letter codes of ISO 639-2 (bibliographic and terminology forms alike, `fre` and
//! `fra`), which RSS's `language` (RFC 1766 / RFC 3066) and `xml:lang` (BCP 47) start with.
//!
//! Generated from SIL's ISO 639-3 code table (`iso-639-3.tab`, its Part1, Part2B and Part2T
//! columns), as shipped in the isolang crate 2.4.0; sorted, for a binary search. ISO 639-3-only
//! codes (`yue`, `cmn`) are left out, as the W3C service leaves them out.

const CODES: &[&str] = &[
    "aa", "aar", "ab", "abk", "ace", "ach", "ada", "ady", "ae", "af", "afh", "afr", "ain", "ak",
    "aka", "akk", "alb", "ale", "alt", "am", "amh", "an", "ang", "anp", "ar", "ara", "arc", "arg",
    "arm", "arn", "arp", "arw", "as", "asm", "ast", "av", "ava", "ave", "awa", "ay", "aym", "az",
    "aze", "ba", "bak", "bal", "bam", "ban", "baq", "bas", "be", "bej", "bel", "bem", "ben", "bg",
    "bho", "bi", "bik", "bin", "bis", "bla", "bm", "bn", "bo", "bod", "bos", "br", "bra", "bre",
    "bs", "bua", "bug", "bul", "bur", "byn", "ca", "cad", "car", "cat", "ce", "ceb", "ces", "ch",
    "cha", "chb", "che", "chg", "chi", "chk", "chm", "chn", "cho", "chp", "chr", "chu", "chv",
    "chy", "cnr", "co", "cop", "cor", "cos", "cr", "cre", "crh", "cs", "csb", "cu", "cv", "cy",
    "cym", "cze", "da", "dak", "dan", "dar", "de", "del", "den", "deu", "dgr", "din", "div", "doi",
    "dsb", "dua", "dum", "dut", "dv", "dyu", "dz", "dzo", "ee", "efi", "egy", "eka", "el", "ell",
    "elx", "en", "eng", "enm", "eo", "epo", "es", "est", "et", "eu", "eus", "ewe", "ewo", "fa",
    "fan", "fao", "fas", "fat", "ff", "fi", "fij", "fil", "fin", "fj", "fo", "fon", "fr", "fra",
    "fre", "frm", "fro", "frr", "frs", "fry", "ful", "fur", "fy", "ga", "gaa", "gay", "gba", "gd",
    "geo", "ger", "gez", "gil", "gl", "gla", "gle", "glg", "glv", "gmh", "gn", "goh", "gon", "gor",
    "got", "grb", "grc", "gre", "grn", "gsw", "gu", "guj", "gv", "gwi", "ha", "hai", "hat", "hau",
    "haw", "he", "heb", "her", "hi", "hil", "hin", "hit", "hmn", "hmo", "ho", "hr", "hrv", "hsb",
    "ht", "hu", "hun", "hup", "hy", "hye", "hz", "ia", "iba", "ibo", "ice", "id", "ido", "ie",
    "ig", "ii", "iii", "ik", "iku", "ile", "ilo", "ina", "ind", "inh", "io", "ipk", "is", "isl",
    "it", "ita", "iu", "ja", "jav", "jbo", "jpn", "jpr", "jrb", "jv", "ka", "kaa", "kab", "kac",
    "kal", "kam", "kan", "kas", "kat", "kau", "kaw", "kaz", "kbd", "kg", "kha", "khm", "kho", "ki",
    "kik", "kin", "kir", "kj", "kk", "kl", "km", "kmb", "kn", "ko", "kok", "kom", "kon", "kor",
    "kos", "kpe", "kr", "krc", "krl", "kru", "ks", "ku", "kua", "kum", "kur", "kut", "kv", "kw",
    "ky", "la", "lad", "lah", "lam", "lao", "lat", "lav", "lb", "lez", "lg", "li", "lim", "lin",
    "lit", "ln", "lo", "lol", "loz", "lt", "ltz", "lu", "lua", "lub", "lug", "lui", "lun", "luo",
    "lus", "lv", "mac", "mad", "mag", "mah", "mai", "mak", "mal", "man", "mao", "mar", "mas",
    "may", "mdf", "mdr", "men", "mg", "mga", "mh", "mi", "mic", "min", "mis", "mk", "mkd", "ml",
    "mlg", "mlt", "mn", "mnc", "mni", "moh", "mon", "mos", "mr", "mri", "ms", "msa", "mt", "mul",
    "mus", "mwl", "mwr", "my", "mya", "myv", "na", "nap", "nau", "nav", "nb", "nbl", "nd", "nde",
    "ndo", "nds", "ne", "nep", "new", "ng", "nia", "niu", "nl", "nld", "nn", "nno", "no", "nob",
    "nog", "non", "nor", "nqo", "nr", "nso", "nv", "nwc", "ny", "nya", "nym", "nyn", "nyo", "nzi",
    "oc", "oci", "oj", "oji", "om", "or", "ori", "orm", "os", "osa", "oss", "ota", "pa", "pag",
    "pal", "pam", "pan", "pap", "pau", "peo", "per", "phn", "pi", "pl", "pli", "pol", "pon", "por",
    "pro", "ps", "pt", "pus", "qu", "que", "raj", "rap", "rar", "rm", "rn", "ro", "roh", "rom",
    "ron", "ru", "rum", "run", "rup", "rus", "rw", "sa", "sad", "sag", "sah", "sam", "san", "sas",
    "sat", "sc", "scn", "sco", "sd", "se", "sel", "sg", "sga", "sh", "shn", "si", "sid", "sin",
    "sk", "sl", "slk", "slo", "slv", "sm", "sma", "sme", "smj", "smn", "smo", "sms", "sn", "sna",
    "snd", "snk", "so", "sog", "som", "sot", "spa", "sq", "sqi", "sr", "srd", "srn", "srp", "srr",
    "ss", "ssw", "st", "su", "suk", "sun", "sus", "sux", "sv", "sw", "swa", "swe", "syc", "syr",
    "ta", "tah", "tam", "tat", "te", "tel", "tem", "ter", "tet", "tg", "tgk", "tgl", "th", "tha",
    "ti", "tib", "tig", "tir", "tiv", "tk", "tkl", "tl", "tlh", "tli", "tmh", "tn", "to", "tog",
    "ton", "tpi", "tr", "ts", "tsi", "tsn", "tso", "tt", "tuk", "tum", "tur", "tvl", "tw", "twi",
    "ty", "tyv", "udm", "ug", "uga", "uig", "uk", "ukr", "umb", "und", "ur", "urd", "uz", "uzb",
    "vai", "ve", "ven", "vi", "vie", "vo", "vol", "vot", "wa", "wal", "war", "was", "wel", "wln",
    "wo", "wol", "xal", "xh", "xho", "yao", "yap", "yi", "yid", "yo", "yor", "za", "zap", "zbl",
    "zen", "zgh", "zh", "zha", "zho", "zu", "zul", "zun", "zxx", "zza",
];

/// Whether `code` (any case) is an ISO 639-1 or ISO 639-2 language code.
pub fn iso639(code: &str) -> bool {
    CODES
        .binary_search(&code.to_ascii_lowercase().as_str())
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_and_holds_both_parts() {
        assert!(CODES.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(CODES.len(), 624);
        for code in ["en", "EN", "de", "fre", "fra", "und", "mul"] {
            assert!(iso639(code), "{code}");
        }
        for code in ["zz", "qq", "eng-", "yue", ""] {
            assert!(!iso639(code), "{code}");
        }
    }
}

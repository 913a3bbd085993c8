//! Writes a deterministic synthetic corpus of seed-shaped article files, for benchmarks.
//!
//! `cargo run --release --bench gen_corpus -- COUNT DIR` (used by `scripts/bench`). The same
//! COUNT always gives the same bytes: a fixed-seed generator, no clock. Files are about 3.5 KB
//! like the seed: 300 topics, ~COUNT/33 providers (3,000 at 100,000), 1–5 topics, 0–3 images,
//! 0–5 related reports, a `secured` blob, non-ASCII text in a share of titles, 10% unpublished.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// SplitMix64: tiny, fast and good enough for picking words.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "model",
    "chip",
    "training",
    "inference",
    "cloud",
    "startup",
    "robot",
    "vision",
    "language",
    "data",
    "privacy",
    "regulators",
    "researchers",
    "benchmark",
    "accelerator",
    "agent",
    "open",
    "source",
    "funding",
    "launch",
    "update",
    "security",
    "health",
    "finance",
    "autonomous",
    "network",
    "edge",
    "quantum",
    "ethics",
    "policy",
    "market",
    "developers",
    "assistant",
    "search",
    "video",
    "speech",
    "translation",
    "energy",
    "datacenter",
    "GPU",
    "NPU",
    "latency",
];
const UNICODE: &[&str] = &[
    "Künstliche",
    "Intelligenz",
    "日本語",
    "données",
    "Ελλάδα",
    "naïve",
    "façade",
    "€",
    "—",
    "“quoted”",
];

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        if rng.below(40) == 0 {
            s.push_str(rng.pick(UNICODE));
        } else {
            s.push_str(rng.pick(WORDS));
        }
    }
    s
}

fn topic(n: usize) -> String {
    match n {
        0 => "AI".into(),
        1 => "AI Hardware".into(),
        2 => "Microsoft AI".into(),
        n => format!("Topic {n}"),
    }
}

fn article(rng: &mut Rng, i: usize, providers: usize) -> String {
    let p = rng.below(providers);
    let domain = format!("outlet{p}.example");
    let day = 1 + rng.below(28);
    let month = 1 + rng.below(12);
    let year = 2019 + rng.below(5);
    let (hour, minute) = (rng.below(24), rng.below(60));
    let slug = format!(
        "{i}-{}",
        sentence(rng, 5)
            .to_lowercase()
            .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
    );
    let url = format!("https://www.{domain}/news/{year}/{month:02}/{slug}.html");
    let mut s = String::with_capacity(4096);
    let _ = writeln!(s, "---\ncategory: news");
    let _ = writeln!(s, "title: \"{}\"", sentence(rng, 10).replace('"', "'"));
    let _ = writeln!(s, "excerpt: \"{}\"", sentence(rng, 60).replace('"', "'"));
    let _ = writeln!(
        s,
        "publishedDateTime: {year}-{month:02}-{day:02}T{hour:02}:{minute:02}:00Z"
    );
    if rng.below(3) > 0 {
        let _ = writeln!(s, "originalUrl: \"{url}\"");
    }
    let _ = writeln!(s, "webUrl: \"{url}\"");
    let _ = writeln!(
        s,
        "type: article\nquality: {}\nheat: {}",
        rng.below(150),
        rng.below(300)
    );
    let _ = writeln!(s, "published: {}", rng.below(10) != 0);
    let _ = writeln!(
        s,
        "\nprovider:\n  name: Outlet {p}\n  domain: {domain}\n  images:\n    - url: \"https://cdn.example/logos/{domain}-50x50.jpg\"\n      width: 50\n      height: 50"
    );
    let _ = writeln!(s, "\ntopics:\n  - AI");
    for _ in 0..rng.below(5) {
        let _ = writeln!(s, "  - {}", topic(1 + rng.below(299)));
    }
    let images = rng.below(4);
    if images > 0 {
        let _ = writeln!(s, "\nimages:");
        for k in 0..images {
            let _ = writeln!(
                s,
                "  - url: \"https://img.{domain}/{year}/{i}-{k}.jpg?width=1200&format=jpeg\"\n    width: {}\n    height: {}\n    isCached: true",
                600 + rng.below(1400),
                400 + rng.below(800)
            );
        }
    }
    let related = rng.below(7);
    if related > 0 {
        let _ = writeln!(s, "\nrelated:");
        for _ in 0..related {
            let q = rng.below(providers);
            let _ = writeln!(
                s,
                "  - title: \"{}\"\n    excerpt: \"{}\"\n    publishedDateTime: {year}-{month:02}-{day:02}T{hour:02}:{minute:02}:00Z\n    webUrl: \"https://www.outlet{q}.example/story/{}\"\n    type: article\n    provider:\n      name: Outlet {q}\n      domain: outlet{q}.example\n    quality: {}",
                sentence(rng, 9),
                sentence(rng, 25),
                rng.next() % 1_000_000,
                rng.below(100)
            );
        }
    }
    let mut secured = String::new();
    while secured.len() < 700 {
        let _ = write!(secured, "{:016x}", rng.next());
    }
    let _ = writeln!(
        s,
        "\nsecured: \"{secured};AAAAAAAAAAAAAAAAAAAAAA==\"\n---\n"
    );
    s
}

fn main() {
    // Cargo adds flags of its own (`--bench`); `cargo test --all-targets` runs benches with no
    // arguments at all, and then there is nothing to do.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if args.is_empty() {
        println!("gen_corpus: usage: gen_corpus COUNT DIR (see scripts/bench)");
        return;
    }
    let (Some(count), Some(dir)) = (
        args.first().and_then(|c| c.parse::<usize>().ok()),
        args.get(1),
    ) else {
        eprintln!("usage: gen_corpus COUNT DIR");
        std::process::exit(2);
    };
    let dir = Path::new(dir);
    let providers = (count / 33).max(1);
    let mut rng = Rng(0x6E65_7773_7769_7265); // "newswire"
    for i in 0..count {
        // Spread files over folders like a real archive (by year of the file number).
        let sub = dir.join(format!("{:03}", i / 1000));
        if i % 1000 == 0 {
            fs::create_dir_all(&sub).expect("create corpus folder");
        }
        let text = article(&mut rng, i, providers);
        fs::write(sub.join(format!("{i:06}.md")), text).expect("write article");
    }
}

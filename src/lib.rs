//! newswire turns a folder of article files into valid RSS 2.0, Atom 1.0 and JSON Feed 1.1
//! feeds, and checks feeds by the W3C Feed Validation Service's rules (`newswire validate`).
//!
//! ```text
//!  files ──ingest──▶ Parsed ──normalise──▶ Item ──article──▶ Record{Head} ──group──▶ Catalog
//!        (walk, split,      (validate, type,     (cache hit, or      (dedupe, order, stories,
//!         parse YAML)        clean)               item into store;    feeds per topic/provider)
//!                                                 then dating)
//!
//!  Catalog + item store ──render──▶ Rendered (fingerprinted plan) ──write──▶ out/
//!                        (rss, atom, json,                         (temp file + rename, skip
//!                         site files)                               unchanged, prune our own)
//! ```
//!
//! - [`pipeline`] is the only module that knows the order of the stages.
//! - [`model`], [`diag`] and [`error`] are the bottom layer: plain values every stage shares,
//!   importing no stage ([`progress`] and [`files`] are small helpers beside them).
//! - [`dating`] gives undated items their date after the cache: the input's git history, the
//!   first-seen dates the previous build recorded in `manifest.json`, or the build's `--now`.
//! - [`cache`] is the one home of storage: the index and journal of what each article file
//!   came to, and the item store render reads items from (through [`model::ItemSource`]).
//! - Per-article problems travel as [`diag::Diagnostic`]s and never stop a build; fatal
//!   problems are [`error::Error`]s. The library never prints: the binary does.
//! - [`serve`] previews the output folder. The feed validator is a crate of its own,
//!   [`newswire_validate`] (bytes in, findings out); [`validate`] is the publisher's side of it:
//!   finding and reading feed files, and turning findings into diagnostics.
//! - [`ping`] tells WebSub hubs which built feeds changed (`newswire ping`); nothing else in
//!   the library touches the network.

pub mod article;
pub mod cache;
pub mod config;
pub mod dating;
pub mod diag;
pub mod error;
pub mod fetch;
pub mod files;
pub mod group;
pub mod ingest;
pub mod model;
pub mod normalise;
pub mod ping;
pub mod pipeline;
pub mod progress;
pub mod render;
pub mod serve;
pub mod validate;
pub mod watch;
pub mod write;

//! newswire turns a folder of article files into valid RSS 2.0 and Atom 1.0 feeds.
//!
//! ```text
//!  files ──ingest──▶ Parsed ──normalise──▶ Item ──group──▶ Catalog ──render──▶ Rendered ──write──▶ out/
//!         (walk, split,       (validate,      (dedupe, order,  (rss, atom       (temp file + rename,
//!          parse YAML)         type, clean)    feeds per topic  crates)          skip unchanged, prune)
//!                                              and provider)
//! ```
//!
//! Per-article problems travel as [`diag::Diagnostic`]s and never stop a build; fatal problems
//! are [`error::Error`]s. [`pipeline`] is the only module that knows the order of the stages.

pub mod cache;
pub mod config;
pub mod diag;
pub mod error;
pub mod group;
pub mod ingest;
pub mod model;
pub mod normalise;
pub mod pipeline;
pub mod render;
pub mod serve;
pub mod store;
pub mod validate;
pub mod watch;
pub mod write;

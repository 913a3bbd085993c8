//! newswire's integration tests: one binary, modules by theme, a small harness in `util`.
//!
//! Golden files are rewritten only with `NEWSWIRE_BLESS=1 cargo test --test suite`; review the
//! diff before committing it. Tests that need the shared corpus (`../shared/corpus`) print a
//! reason and pass when it is absent.

mod build;
mod cli;
mod corpus;
mod golden;
mod hostile;
mod invalid;
mod kill;
mod more;
mod props;
mod readback;
mod serve;
mod util;
mod validate;
mod watch;

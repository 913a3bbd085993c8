//! newswire's integration tests: one binary, modules by theme, a small harness in `util`.
//!
//! Golden files are rewritten only with `NEWSWIRE_BLESS=1 cargo test --test suite`; review the
//! diff before committing it. A test that needs something outside the repo is reported as
//! ignored, with the reason, where that is missing: the shared corpus (`../shared/corpus`, seen
//! by `build.rs`), root to mount a tmpfs, the W3C validator's test cases (`.ci/run` runs the
//! last two with `--ignored` where it can, and says so where it cannot).

// The binary's allocator, so that what the tests time (the validator's time per byte) is what
// the binary does: with the system allocator, a document that grows past a threshold costs
// page faults out of proportion to its size, which a test of time per byte would take for
// super-linear work.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod archive;
mod build;
mod cli;
mod corpus;
mod dates;
mod determinism;
mod diagnostics;
mod feeds;
mod golden;
mod hostile;
mod invalid;
mod kill;
mod kinds;
mod layout;
mod props;
mod readback;
mod regressions;
mod release;
mod serve;
mod util;
mod validate;
mod validate_ext;
mod validate_http;
mod validate_linear;
mod validate_report;
mod watch;
mod websub;
mod write;

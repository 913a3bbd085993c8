//! A second set of build and write tests, with a richer harness of its own (`more::util`):
//! determinism over a tricky generated input, write-stage behaviour, and regression tests named
//! after the bugs they pin.

mod determinism;
mod regressions;
pub mod util;
mod write;

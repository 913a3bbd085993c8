//! How far a run has got, told to whoever drives it: the [`Progress`] trait the stages report
//! through, and [`Silent`], which listens to nothing. The library draws and prints nothing
//! itself; a front end (the `newswire` binary's progress bar) decides what to show.

use std::path::Path;

/// Told how far a run has got, so a front end can draw a progress bar. Called from worker
/// threads. The library draws nothing itself.
pub trait Progress: Sync {
    /// A stage with `total` steps begins.
    fn start(&self, stage: &'static str, total: usize);
    /// One more step of the current stage is done.
    fn step(&self);
    /// The run is over.
    fn finish(&self);
    /// Another build is writing to the output folder `output`, and this run waits for it to
    /// finish before it writes there. Ignored unless a front end cares.
    fn waiting_for_output(&self, output: &Path) {
        let _ = output;
    }
}

/// Progress that goes nowhere.
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _: &'static str, _: usize) {}
    fn step(&self) {}
    fn finish(&self) {}
}

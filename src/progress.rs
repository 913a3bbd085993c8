//! How far a run has got: the [`Progress`] a front end implements to draw a progress bar.
//! The library itself never prints.

/// Told how far a run has got, so a front end can draw a progress bar. Called from worker
/// threads.
pub trait Progress: Sync {
    /// A stage with `total` steps begins.
    fn start(&self, stage: &'static str, total: usize);
    /// One more step of the current stage is done.
    fn step(&self);
    /// The run is over.
    fn finish(&self);
}

/// Progress that goes nowhere.
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _: &'static str, _: usize) {}
    fn step(&self) {}
    fn finish(&self) {}
}

//! File-system helpers shared by the cache and the write stage.

pub use crate::write::remove_stale_temps;

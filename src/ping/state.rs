//! The ping state, `.newswire.pinged` in the output folder beside `manifest.json`: for each
//! hub, the bytes (XXH3-128) of each feed that hub last accepted a publish request for.
//!
//! Beside the manifest because it describes the same files: the output folder travels with
//! its manifest (committed, cached or uploaded by CI), and the state must travel with it, or a
//! fresh checkout would ping every feed again; the cache folder is safe to delete and often
//! not kept, so it is no home for it. A dotfile, like the build's `.newswire.writing`: static
//! hosts and their deploy tools (Jekyll, GitHub Pages) leave dotfiles out, and it holds
//! nothing that is not public anyway (feed URLs, hub URLs and hashes). It is `ping`'s alone:
//! no build lists it in the manifest, so no build prunes it or writes it, and `ping` drops
//! from it the hubs no longer configured and the feeds the manifest no longer lists. Written
//! to a temporary file and renamed into place, like every file newswire writes.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Topic;
use crate::config::Hub;
use crate::error::Error;
use crate::files::temp_name;

/// Name of the ping state in the output folder.
pub const STATE_FILE: &str = ".newswire.pinged";

/// Hub URL → feed URL → XXH3-128 of the feed's bytes that hub accepted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    /// Always `newswire`.
    generator: String,
    /// What each hub accepted.
    hubs: BTreeMap<String, BTreeMap<String, String>>,
}

impl State {
    /// The state kept in `output`: empty when there is none yet; an error when the file is
    /// there but cannot be read or understood (guessing could ping every feed again).
    pub fn load(output: &Path) -> Result<State, Error> {
        let path = output.join(STATE_FILE);
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(State::default()),
            Err(e) => {
                return Err(Error::PingState {
                    path,
                    message: e.to_string(),
                });
            }
        };
        serde_json::from_slice(&bytes).map_err(|e| Error::PingState {
            path,
            message: e.to_string(),
        })
    }

    /// Writes the state into `output`: a temporary file, renamed into place.
    pub fn save(&self, output: &Path) -> Result<(), Error> {
        let path = output.join(STATE_FILE);
        let temp = output.join(temp_name(STATE_FILE));
        let state = State {
            generator: "newswire".into(),
            hubs: self.hubs.clone(),
        };
        let mut bytes = serde_json::to_vec_pretty(&state).unwrap_or_default();
        bytes.push(b'\n');
        let written = fs::write(&temp, &bytes).and_then(|()| fs::rename(&temp, &path));
        written.map_err(|source| {
            let _ = fs::remove_file(&temp);
            Error::Write { path, source }
        })
    }

    /// Whether `hub` accepted the feed at `url` with these bytes.
    pub fn is_current(&self, hub: &str, url: &str, xxh3: &str) -> bool {
        (self.hubs.get(hub)).and_then(|feeds| feeds.get(url)) == Some(&xxh3.to_string())
    }

    /// Records that `hub` accepted the feed at `url` with these bytes.
    pub fn record(&mut self, hub: &str, url: &str, xxh3: &str) {
        (self.hubs.entry(hub.to_string()).or_default()).insert(url.to_string(), xxh3.to_string());
    }

    /// Keeps only the configured hubs and the feeds the manifest lists.
    pub fn retain(&mut self, hubs: &[Hub], topics: &[Topic]) {
        self.hubs
            .retain(|hub, _| hubs.iter().any(|h| h.url.as_str() == hub));
        for feeds in self.hubs.values_mut() {
            feeds.retain(|url, _| topics.iter().any(|t| &t.url == url));
        }
        self.hubs.retain(|_, feeds| !feeds.is_empty());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_forgets_what_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(State::load(dir.path()).unwrap(), State::default());
        let mut state = State::default();
        state.record("https://a.example/", "https://x.example/rss.xml", "h1");
        state.record("https://a.example/", "https://x.example/gone.xml", "h2");
        state.record("https://gone.example/", "https://x.example/rss.xml", "h1");
        let hubs = [Hub {
            url: url::Url::parse("https://a.example/").unwrap(),
            batch: false,
        }];
        let topics = [Topic {
            url: "https://x.example/rss.xml".into(),
            xxh3: "h3".into(),
        }];
        state.retain(&hubs, &topics);
        state.save(dir.path()).unwrap();
        let back = State::load(dir.path()).unwrap();
        assert!(back.is_current("https://a.example/", "https://x.example/rss.xml", "h1"));
        assert!(!back.is_current("https://a.example/", "https://x.example/gone.xml", "h2"));
        assert!(!back.is_current("https://gone.example/", "https://x.example/rss.xml", "h1"));
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [STATE_FILE], "no temporary file is left");
    }

    #[test]
    fn a_damaged_state_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(STATE_FILE), "{not json").unwrap();
        let err = State::load(dir.path()).unwrap_err();
        assert!(err.to_string().contains(STATE_FILE), "{err}");
    }
}

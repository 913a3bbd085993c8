//! Fatal errors: problems that stop a build before anything is written (or, for write errors,
//! stop it with everything already published intact). Each names the path it concerns.

use std::io;
use std::path::PathBuf;

/// A problem that ends the run with exit status 2.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The config file could not be read.
    #[error("cannot read config file {path}")]
    ConfigRead {
        /// The config file.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// The config file is not valid (bad YAML, unknown key, wrong type).
    #[error("{path}: invalid config: {message}")]
    Config {
        /// The config file.
        path: PathBuf,
        /// What is wrong, naming the key.
        message: String,
    },
    /// No base URL was configured.
    #[error(
        "no base_url configured: feeds need absolute self links. Set `base_url: https://example.org/feeds/` in newswire.yaml or pass --base-url"
    )]
    MissingBaseUrl,
    /// A setting has a value that cannot work.
    #[error("invalid setting `{key}`: {message}")]
    InvalidSetting {
        /// The config key or flag.
        key: &'static str,
        /// Why the value is refused.
        message: String,
    },
    /// The input folder cannot be read.
    #[error("cannot read input folder {path}")]
    Input {
        /// The folder or file.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// A file or folder given to `validate` cannot be read.
    #[error("cannot read {path}")]
    Read {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// The output folder is somewhere newswire refuses to write.
    #[error("refusing to write to {path}: {reason}")]
    UnsafeOutput {
        /// The output folder.
        path: PathBuf,
        /// Why it is refused.
        reason: &'static str,
    },
    /// A feed could not be rendered.
    #[error("cannot render {path}: {message}")]
    Render {
        /// The feed's output path.
        path: String,
        /// The renderer's message.
        message: String,
    },
    /// An item kept in the cache could not be read back (the build starts again without it).
    #[error("cannot render {path}: {source}")]
    Cache {
        /// The feed's output path.
        path: String,
        /// What went wrong.
        #[source]
        source: Damaged,
    },
    /// Writing the output failed; files already published are intact.
    #[error("cannot write {path}")]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// The preview server cannot listen on its address (`serve`).
    #[error("cannot listen on {addr}")]
    Listen {
        /// The address, e.g. `127.0.0.1:8000`.
        addr: String,
        /// Why (e.g. the address is in use).
        #[source]
        source: io::Error,
    },
    /// A folder cannot be watched for changes (`watch`, `serve`).
    #[error("cannot watch {path} for changes")]
    Watch {
        /// The folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// The preview server could not answer a request (`serve`).
    #[error("cannot answer the request for {target}")]
    Answer {
        /// The request target, e.g. `/rss.xml`.
        target: String,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// `ping` was asked to notify hubs, but none are configured.
    #[error(
        "no WebSub hubs configured: list them under `hubs:` in newswire.yaml (see the README's \"Push (WebSub)\")"
    )]
    NoHubs,
    /// `ping` found no manifest of a build in the output folder.
    #[error("no manifest at {path}: run `newswire build` first (ping tells hubs of built feeds)")]
    NoManifest {
        /// Where the manifest was looked for.
        path: PathBuf,
    },
    /// The ping state cannot be read or understood.
    #[error(
        "cannot read the ping state {path} ({message}); delete it to tell every hub of every feed again"
    )]
    PingState {
        /// The state file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The build would overwrite a file newswire did not write (one the output folder's
    /// manifest does not list); nothing was written.
    #[error("{}", foreign(path, *more))]
    Foreign {
        /// The first such file (in path order).
        path: PathBuf,
        /// How many more there are.
        more: usize,
    },
    /// A feed could not be fetched for `validate` (refused URL, network error, HTTP error
    /// status, too many redirects, time out).
    #[error("cannot fetch {url}: {reason}")]
    Fetch {
        /// The URL as given.
        url: String,
        /// Why, e.g. `HTTP 404 Not Found` or `more than 5 redirects`.
        reason: String,
    },
}

/// The message of [`Error::Foreign`].
fn foreign(path: &std::path::Path, more: usize) -> String {
    let (others, them) = match more {
        0 => (String::new(), "it"),
        1 => (" and 1 other file".to_string(), "them"),
        n => (format!(" and {n} other files"), "them"),
    };
    format!(
        "refusing to overwrite {}{others}: newswire did not write {them} (the output folder's \
         manifest.json does not list {them}); move {them} out of the output folder, or pass \
         --force to overwrite {them}",
        path.display()
    )
}

/// An item could not be read back from the cache's item store: its data file changed or went
/// away. A build that meets one starts again without the cache.
#[derive(Debug, thiserror::Error)]
#[error("the cache's item file is damaged ({0}); build again without it")]
pub struct Damaged(pub String);

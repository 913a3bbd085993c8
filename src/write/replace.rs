//! Replacing one file atomically: its bytes go to a temporary file in the same folder (named by
//! [`crate::files::temp_name`]), which is then renamed over it, so a reader, or a build killed
//! half-way, only ever sees the complete old or the complete new file. A file that already
//! holds the bytes is left alone, mtime and all.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use crate::error::Error;
use crate::files::temp_name;

/// How the bytes of a temporary file are put on disk; tests inject failures (a full disk) here.
pub(super) type Put<'a> = dyn Fn(&Path, &[u8]) -> io::Result<()> + Sync + 'a;

/// The real [`Put`]: creates the file and writes the bytes.
pub(super) fn create_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = fs::File::create(path)?;
    file.write_all(bytes)
}

/// Writes `bytes` to `path` through a temporary file (written by `put`) and a rename, unless
/// the file already holds exactly these bytes. Returns whether it wrote. On failure the
/// temporary file is removed and the old file is untouched.
pub(super) fn replace(path: &Path, bytes: &[u8], put: &Put<'_>) -> Result<bool, Error> {
    if fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    let error = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let name = path
        .file_name()
        .ok_or_else(|| error(io::Error::other("no file name")))?;
    let temp = path.with_file_name(temp_name(&name.to_string_lossy()));
    let result = put(&temp, bytes).and_then(|()| fs::rename(&temp, path));
    if let Err(source) = result {
        let _ = fs::remove_file(&temp);
        return Err(error(source));
    }
    Ok(true)
}

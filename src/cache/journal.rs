//! The journal (`journal.bin`): what each build changed since the full index, as framed,
//! checksummed records appended after a header naming the index they go with. Replaying it
//! applies every whole, valid record in order; the first torn or foreign one ends it.

use std::fs::{self, File};
use std::io::Write;
use std::path::Path;

use super::index::{Change, Changes, Entries, Header, Stored, take_entries, take_header};
use super::{Base, HEADER_LEN, JOURNAL, checksum, header_bytes};

/// The journal's first bytes, followed by the epoch of the full index it goes with.
const JOURNAL_MAGIC: &[u8; 8] = b"nwjournl";

/// A journal record's frame: payload length (u32) and its checksum (u64), little-endian.
const FRAME_LEN: usize = 12;

/// Applies a journal's changes to `entries` (sorted by path bytes).
fn apply(entries: &mut Entries, changes: Changes) {
    for (path, change) in changes {
        let at = entries.binary_search_by(|e| e.0.as_os_str().cmp(path.as_os_str()));
        match (at, change) {
            (Ok(i), Some((stamp, record))) => entries[i] = (path, stamp, record),
            (Ok(i), None) => {
                entries.remove(i);
            }
            (Err(i), Some((stamp, record))) => entries.insert(i, (path, stamp, record)),
            (Err(_), None) => {}
        }
    }
}

/// Applies the journal's whole, valid records that go with `header`'s index to `entries`,
/// in order; the first torn or foreign record ends it.
pub(super) fn replay(dir: &Path, header: &mut Header, base: &mut Base, entries: &mut Entries) {
    let Ok(bytes) = fs::read(dir.join(JOURNAL)) else {
        return;
    };
    if bytes.get(..HEADER_LEN as usize) != Some(&header_bytes(JOURNAL_MAGIC, base.epoch)[..]) {
        return;
    }
    let mut at = HEADER_LEN as usize;
    base.journal_len = at as u64;
    while let Some(frame) = bytes.get(at..at + FRAME_LEN) {
        let (len, check) = frame.split_at(4);
        let len = u32::from_le_bytes(len.try_into().unwrap_or_default()) as usize;
        let check = u64::from_le_bytes(check.try_into().unwrap_or_default());
        let Some(payload) = bytes.get(at + FRAME_LEN..at + FRAME_LEN + len) else {
            return;
        };
        if checksum(payload) != check {
            return;
        }
        let Some((record, rest)) = take_header(payload) else {
            return;
        };
        if record.epoch != base.epoch || record.generation != header.generation {
            return;
        }
        // The whole record, or none of it.
        let Some(changes) = take_entries(rest) else {
            return;
        };
        apply(entries, changes);
        header.data_len = record.data_len;
        at += FRAME_LEN + len;
        base.journal_len = at as u64;
    }
}

/// Appends one record of `changes` to the journal of `base`; false when the journal would
/// grow past a quarter of the full index (or cannot be written), so a full index is due.
pub(super) fn append<'a, I>(dir: &Path, base: Base, changes: Stored<'a, I>) -> bool
where
    I: Iterator<Item = Change<'a>> + Clone,
{
    let Ok(payload) = postcard::to_stdvec(&changes) else {
        return false;
    };
    let start = base.journal_len.max(HEADER_LEN);
    let end = start + (FRAME_LEN + payload.len()) as u64;
    if end > base.index_len / 4 {
        return false;
    }
    let mut frame = Vec::with_capacity(FRAME_LEN + payload.len());
    frame.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    frame.extend_from_slice(&checksum(&payload).to_le_bytes());
    frame.extend_from_slice(&payload);
    let written = || -> std::io::Result<()> {
        let mut file = File::options()
            .write(true)
            .create(true)
            .truncate(false)
            .open(dir.join(JOURNAL))?;
        if base.journal_len < HEADER_LEN {
            file.set_len(0)?;
            file.write_all(&header_bytes(JOURNAL_MAGIC, base.epoch))?;
        } else {
            // Whatever follows the last valid record is a torn write: overwrite it.
            file.set_len(start)?;
            std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(start))?;
        }
        file.write_all(&frame)
    };
    written().is_ok()
}

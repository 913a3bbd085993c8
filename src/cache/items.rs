//! The item store: every normalised [`Item`], encoded once (postcard), and read back only when
//! a feed that shows it is rendered.
//!
//! Grouping needs only each item's [`crate::model::Head`]; the rest of an item (summary, images,
//! related reports, body) waits here, so a build's memory does not grow with the size of its
//! items. A build with a cache keeps them in the cache's data file (see [`super`]), where
//! later builds find them again; `check` and `--no-cache` keep new items in memory, still
//! encoded.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::sync::Mutex;

use crate::error::Damaged;
use crate::model::{Item, ItemRef, ItemSource};

/// The items of one run.
#[derive(Default)]
pub struct Store {
    /// The cache's data file, when there is one: read at any offset.
    file: Option<File>,
    /// Appends to the data file, when this run may add to it.
    appender: Option<Mutex<Appender>>,
    /// Items kept in memory.
    memory: Mutex<Vec<u8>>,
}

struct Appender {
    out: BufWriter<File>,
    end: u64,
    /// A write failed: what reached the file is unknown, so nothing more goes there.
    broken: bool,
}

/// A checksum of `bytes`: their 64-bit XXH3. It guards items in the data file and the cache's
/// index and journal against bytes changed behind newswire's back, and confirms that an input
/// file whose mtime changed still has the same content. Not cryptographic, and need not be:
/// whoever could forge a collision writes the articles anyway.
pub fn checksum(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// A writer that computes the [`checksum`] of what passes through it.
pub struct Summed<W> {
    out: W,
    sum: xxhash_rust::xxh3::Xxh3Default,
}

impl<W: Write> Summed<W> {
    /// Sums what goes to `out`.
    pub fn new(out: W) -> Self {
        Summed {
            out,
            sum: xxhash_rust::xxh3::Xxh3Default::new(),
        }
    }

    /// The writer, and the checksum of everything written.
    pub fn finish(self) -> (W, u64) {
        (self.out, self.sum.digest())
    }
}

impl<W: Write> Write for Summed<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(bytes)?;
        self.sum.update(&bytes[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

impl Store {
    /// A store that keeps everything in memory.
    pub fn memory() -> Store {
        Store::default()
    }

    /// A store over a data file: `file` reads it; `append`, when given, adds to it from
    /// offset `end` (its current length).
    pub fn file(file: File, append: Option<(File, u64)>) -> Store {
        Store {
            file: Some(file),
            appender: append.map(|(file, end)| {
                Mutex::new(Appender {
                    out: BufWriter::with_capacity(1 << 16, file),
                    end,
                    broken: false,
                })
            }),
            memory: Mutex::default(),
        }
    }

    /// Keeps `item`, returning where it is.
    pub fn put(&self, item: &Item) -> ItemRef {
        // Encoding a plain struct into a Vec cannot fail; an empty record would only fail to
        // decode later, as `Damaged`.
        let bytes = postcard::to_stdvec(item).unwrap_or_default();
        self.put_bytes(&bytes)
    }

    fn put_bytes(&self, bytes: &[u8]) -> ItemRef {
        let check = checksum(bytes);
        let len = bytes.len() as u32;
        if let Some(appender) = &self.appender
            && let Ok(mut a) = appender.lock()
            && !a.broken
        {
            let offset = a.end;
            if a.out.write_all(bytes).is_ok() {
                a.end += bytes.len() as u64;
                return ItemRef {
                    offset,
                    len,
                    memory: false,
                    check,
                };
            }
            a.broken = true;
        }
        let mut memory = self.memory.lock().unwrap_or_else(|e| e.into_inner());
        let offset = memory.len() as u64;
        memory.extend_from_slice(bytes);
        ItemRef {
            offset,
            len,
            memory: true,
            check,
        }
    }

    /// Finishes adding to the data file: flushes it and returns its length, or `None` when
    /// this store does not add to a file (or the writes failed).
    pub fn seal(&self) -> Option<u64> {
        let mut a = self.appender.as_ref()?.lock().ok()?;
        if a.broken || a.out.flush().is_err() {
            a.broken = true;
            return None;
        }
        Some(a.end)
    }

    /// Whether this store adds new items to the data file.
    #[cfg(test)]
    pub fn appends(&self) -> bool {
        self.appender.is_some()
    }

    /// Reads the item at `at` back.
    pub fn get(&self, at: ItemRef) -> Result<Item, Damaged> {
        let mut bytes = vec![0; at.len as usize];
        if at.memory {
            let memory = self.memory.lock().unwrap_or_else(|e| e.into_inner());
            let start = usize::try_from(at.offset).unwrap_or(usize::MAX);
            let slice = start
                .checked_add(bytes.len())
                .and_then(|end| memory.get(start..end))
                .ok_or_else(|| Damaged("item out of range".into()))?;
            bytes.copy_from_slice(slice);
        } else {
            let file = self
                .file
                .as_ref()
                .ok_or_else(|| Damaged("no item file".into()))?;
            read_exact_at(file, &mut bytes, at.offset).map_err(|e| Damaged(e.to_string()))?;
        }
        if checksum(&bytes) != at.check {
            return Err(Damaged(format!("checksum mismatch at {}", at.offset)));
        }
        postcard::from_bytes(&bytes).map_err(|e| Damaged(e.to_string()))
    }
}

impl ItemSource for Store {
    fn item(&self, at: ItemRef) -> Result<Item, Damaged> {
        self.get(at)
    }
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, offset)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tests::sample_item;
    use std::io::Write;

    #[test]
    fn a_streamed_checksum_is_the_checksum_of_the_whole() {
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i * 7919 % 251) as u8).collect();
        let mut out = Summed::new(Vec::new());
        let mut rest = &bytes[..];
        for piece in [1, 65_535, 3, 70_000, 12_345].iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let (now, later) = rest.split_at((*piece).min(rest.len()));
            out.write_all(now).unwrap();
            rest = later;
        }
        let (written, sum) = out.finish();
        assert_eq!(written, bytes);
        assert_eq!(sum, checksum(&bytes));
        assert_ne!(sum, checksum(&bytes[1..]));
    }

    #[test]
    fn items_come_back_as_they_went_in() {
        let store = Store::memory();
        let a = sample_item("https://a.org/1");
        let b = sample_item("https://b.org/2");
        let (la, lb) = (store.put(&a), store.put(&b));
        assert_eq!(store.get(lb).unwrap(), b);
        assert_eq!(store.get(la).unwrap(), a);
        assert_eq!(store.seal(), None, "a memory store has no file to seal");
    }

    #[test]
    fn a_file_store_reads_what_it_appended_and_notices_damage() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("items");
        std::fs::write(&path, b"head").unwrap();
        let append = File::options().append(true).open(&path).unwrap();
        let store = Store::file(File::open(&path).unwrap(), Some((append, 4)));
        let a = sample_item("https://a.org/1");
        let loc = store.put(&a);
        assert_eq!((loc.offset, loc.memory), (4, false));
        assert_eq!(store.seal(), Some(4 + u64::from(loc.len)));
        assert_eq!(store.get(loc).unwrap(), a);

        let mut bytes = std::fs::read(&path).unwrap();
        bytes[6] ^= 1;
        std::fs::write(&path, bytes).unwrap();
        let reread = Store::file(File::open(&path).unwrap(), None);
        assert!(reread.get(loc).is_err(), "a flipped bit is noticed");
        let short = ItemRef { len: 10_000, ..loc };
        assert!(reread.get(short).is_err(), "a short file is noticed");
    }

    #[test]
    fn after_a_failed_write_items_stay_in_memory_and_nothing_is_sealed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("items");
        std::fs::write(&path, b"head").unwrap();
        // A handle that cannot write: every flush fails.
        let store = Store::file(
            File::open(&path).unwrap(),
            Some((File::open(&path).unwrap(), 4)),
        );
        let big = sample_item(&format!("https://a.org/{}", "x".repeat(70_000)));
        let lost = store.put(&big); // too big for the buffer: written at once, and refused
        assert!(lost.memory, "a refused write leaves the item in memory");
        let small = sample_item("https://b.org/");
        let after = store.put(&small);
        assert!(
            after.memory,
            "nothing more goes to a file that refused a write"
        );
        assert_eq!(store.get(after).unwrap(), small);
        assert_eq!(store.get(lost).unwrap(), big);
        assert_eq!(
            store.seal(),
            None,
            "a store whose file failed saves no cache"
        );
    }
}

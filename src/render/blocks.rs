//! Each item's entry rendered once per format and put into every document that shows it.
//!
//! An item's `<item>`, `<entry>` or JSON object is the same in every feed: it depends on the
//! item, the site and the catalogue, never on the feed. With archives on, an item is on four
//! or five archive pages (the feed of everything's, its topics', its kind's, its provider's)
//! and rendering it afresh for each was most of the archived build's cost. So a document is
//! rendered as its frame (the feed's own elements, no items) with the items' blocks spliced
//! in where the items go, and a block, once rendered, is kept ([`Shelf`]) until the last
//! document that shows it has taken it.
//!
//! The bytes are those the whole document rendered at once would have: a block is cut from a
//! document of that one item, written by the same crate at the same depth, and each format's
//! final pass (the hex escapes and UTC dates of RSS and Atom) changes nothing across an item's
//! edges. Tests compare both ways on every shape of item.

use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

use crate::model::{Entry, FeedFormat, Kind};

/// What a document's frame needs to know of the items it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frame {
    /// How many items.
    pub count: usize,
    /// Whether any item has images or is a video (RSS: the Media RSS namespace).
    pub media: bool,
    /// Whether any item has HTML content (RSS: the `content` namespace).
    pub content: bool,
    /// The newest `updated` among the items (Atom: the feed's `updated`).
    pub updated: Option<DateTime<Utc>>,
}

impl Frame {
    /// The frame of a document showing `items`.
    pub fn of<'a>(items: impl IntoIterator<Item = &'a Blocks>) -> Frame {
        let mut frame = Frame {
            count: 0,
            media: false,
            content: false,
            updated: None,
        };
        for item in items {
            frame.count += 1;
            frame.media |= item.media;
            frame.content |= item.content;
            frame.updated = frame.updated.max(Some(item.updated));
        }
        frame
    }
}

/// One item rendered in each format the site writes, with what its documents' frames need.
#[derive(Debug)]
pub struct Blocks {
    /// By format (RSS, Atom, JSON): the bytes the item takes in a document, as
    /// [`splice`] puts them in; `None` for a format the site does not write, or one whose
    /// block could not be cut out (the document is then rendered whole).
    pub bytes: [Option<Vec<u8>>; 3],
    /// See [`Frame::media`].
    pub media: bool,
    /// See [`Frame::content`].
    pub content: bool,
    /// Whether the item has a body (a document over its budget is cut to summaries).
    pub body: bool,
    /// [`Entry::updated`].
    pub updated: DateTime<Utc>,
}

impl Blocks {
    /// The facts of `item`, with the blocks `render` gives for each format in `formats`.
    pub fn new(
        item: &Entry,
        formats: &[FeedFormat],
        mut render: impl FnMut(FeedFormat) -> Option<Vec<u8>>,
    ) -> Blocks {
        Blocks {
            bytes: FeedFormat::ALL
                .map(|format| formats.contains(&format).then(|| render(format)).flatten()),
            media: !item.images.is_empty() || item.kind == Kind::Video,
            content: super::content::has_content(item),
            body: item.body_html.is_some(),
            updated: item.updated,
        }
    }

    /// The block of `format`.
    pub fn get(&self, format: FeedFormat) -> Option<&[u8]> {
        self.bytes[index(format)].as_deref()
    }

    fn size(&self) -> usize {
        self.bytes.iter().flatten().map(|b| b.len()).sum::<usize>() + size_of::<Blocks>()
    }
}

fn index(format: FeedFormat) -> usize {
    match format {
        FeedFormat::Rss => 0,
        FeedFormat::Atom => 1,
        FeedFormat::Json => 2,
    }
}

/// The blocks of the items that more archive pages will show, kept for the next of them
/// within a bound on the bytes kept. Pages are rendered about in the order their ranks say;
/// when the bound is reached, the blocks whose next page is furthest away are let go first
/// (and rendered again for it), which keeps as many renders as any choice could.
pub struct Shelf {
    slots: Vec<Mutex<Slot>>,
    /// Every item's pages, by rank, each item's in order: those of item `i` are
    /// `ranks[starts[i]..starts[i + 1]]`.
    ranks: Vec<u32>,
    starts: Vec<usize>,
    /// The kept items by the rank of the page that next takes them, furthest first; an entry
    /// whose item has since been taken again, or let go, is skipped when it comes up.
    waiting: Mutex<BinaryHeap<(u32, usize)>>,
    /// Bytes kept now.
    held: AtomicUsize,
    /// Most bytes kept at once.
    cap: usize,
}

#[derive(Default)]
struct Slot {
    /// How many of the item's pages have taken its blocks.
    taken: usize,
    blocks: Option<Arc<Blocks>>,
}

impl Shelf {
    /// A shelf for `items` items, which the pages of `uses` show (an item and the rank of a
    /// page that shows it), keeping at most `cap` bytes.
    pub fn new(items: usize, uses: &[(usize, u32)], cap: usize) -> Shelf {
        let mut starts = vec![0usize; items + 1];
        for &(i, _) in uses.iter().filter(|(i, _)| *i < items) {
            starts[i + 1] += 1;
        }
        for i in 0..items {
            starts[i + 1] += starts[i];
        }
        let mut ranks = vec![0u32; starts[items]];
        let mut filled = starts.clone();
        for &(i, rank) in uses.iter().filter(|(i, _)| *i < items) {
            ranks[filled[i]] = rank;
            filled[i] += 1;
        }
        for i in 0..items {
            ranks[starts[i]..starts[i + 1]].sort_unstable();
        }
        Shelf {
            slots: (0..items).map(|_| Mutex::default()).collect(),
            ranks,
            starts,
            waiting: Mutex::default(),
            held: AtomicUsize::new(0),
            cap,
        }
    }

    /// The rank of the page that next takes item `i`, once `taken` of its pages have.
    fn next(&self, i: usize, taken: usize) -> Option<u32> {
        let (start, end) = (self.starts[i], self.starts[i + 1]);
        self.ranks
            .get(start + taken)
            .filter(|_| start + taken < end)
            .copied()
    }

    /// The blocks of item `i`, for one page: the kept ones, or those `render` gives, kept
    /// when another page will take them. If another page is taking the item this moment,
    /// this one waits for it, unless `wait` is false: `None` then (never otherwise), and the
    /// page can take its other items first. Two pages that show the same items, rendered at
    /// once, so render about half of them each, instead of one waiting for the other's every
    /// render.
    pub fn take_if_free<E>(
        &self,
        i: usize,
        wait: bool,
        render: impl FnOnce() -> Result<Blocks, E>,
    ) -> Option<Result<Arc<Blocks>, E>> {
        let Some(slot) = self.slots.get(i) else {
            return Some(render().map(Arc::new));
        };
        let blocks = {
            let mut slot = match slot.try_lock() {
                Ok(slot) => slot,
                Err(std::sync::TryLockError::Poisoned(e)) => e.into_inner(),
                Err(std::sync::TryLockError::WouldBlock) if !wait => return None,
                Err(std::sync::TryLockError::WouldBlock) => {
                    slot.lock().unwrap_or_else(|e| e.into_inner())
                }
            };
            slot.taken += 1;
            let next = self.next(i, slot.taken);
            if let Some(blocks) = slot.blocks.clone() {
                match next {
                    Some(next) => self.wait(i, next),
                    None => {
                        slot.blocks = None;
                        self.held.fetch_sub(blocks.size(), Ordering::Relaxed);
                    }
                }
                return Some(Ok(blocks));
            }
            let blocks = match render() {
                Ok(blocks) => Arc::new(blocks),
                Err(e) => return Some(Err(e)),
            };
            let Some(next) = next else {
                return Some(Ok(blocks));
            };
            slot.blocks = Some(Arc::clone(&blocks));
            self.held.fetch_add(blocks.size(), Ordering::Relaxed);
            self.wait(i, next);
            blocks
        };
        self.make_room();
        Some(Ok(blocks))
    }

    fn wait(&self, i: usize, next: u32) {
        let mut waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        waiting.push((next, i));
    }

    /// Lets go of the kept blocks whose next page is furthest until the kept bytes are
    /// within the bound.
    fn make_room(&self) {
        while self.held.load(Ordering::Relaxed) > self.cap {
            let furthest = {
                let mut waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
                waiting.pop()
            };
            let Some((rank, j)) = furthest else {
                return;
            };
            let Some(slot) = self.slots.get(j) else {
                continue;
            };
            let mut slot = slot.lock().unwrap_or_else(|e| e.into_inner());
            // Still kept for that page (not taken since, nor let go)?
            if self.next(j, slot.taken) == Some(rank)
                && let Some(blocks) = slot.blocks.take()
            {
                self.held.fetch_sub(blocks.size(), Ordering::Relaxed);
            }
        }
    }

    /// The kept blocks of item `i`, if any, for a document that is not a page.
    pub fn get(&self, i: usize) -> Option<Arc<Blocks>> {
        let slot = self.slots.get(i)?.lock().unwrap_or_else(|e| e.into_inner());
        slot.blocks.clone()
    }

    /// Bytes kept now.
    #[cfg(test)]
    pub fn held(&self) -> usize {
        self.held.load(Ordering::Relaxed)
    }
}

/// The end of every RSS document: items go before it.
const RSS_END: &[u8] = b"\n  </channel>\n</rss>";
/// Where an item begins in an RSS document (the crate indents two spaces a level).
const RSS_ITEM: &[u8] = b"\n    <item>";
/// The end of every Atom document.
const ATOM_END: &[u8] = b"\n</feed>";
/// Where an entry begins in an Atom document.
const ATOM_ENTRY: &[u8] = b"\n  <entry>";
/// What surrounds the one item of [`json_block`]'s document.
const JSON_START: &[u8] = b"{\n  \"items\": [";
const JSON_END: &[u8] = b"\n  ]\n}";

/// The block of an RSS item from a document holding only it (its channel's own elements
/// written by us, so no `<item>` before the item's): `\n    <item>…</item>`.
pub fn rss_block(document: &[u8]) -> Option<&[u8]> {
    let end = document.len().checked_sub(RSS_END.len())?;
    let start = memchr::memmem::find(document, RSS_ITEM)?;
    (document.ends_with(RSS_END) && start <= end).then(|| &document[start..end])
}

/// The block of an Atom entry from a document holding only it: `\n  <entry>…</entry>`.
pub fn atom_block(document: &[u8]) -> Option<&[u8]> {
    let end = document.len().checked_sub(ATOM_END.len())?;
    let start = memchr::memmem::find(document, ATOM_ENTRY)?;
    (document.ends_with(ATOM_END) && start <= end).then(|| &document[start..end])
}

/// The block of a JSON Feed item from `{"items": [item]}` written pretty:
/// `\n    {…}`.
pub fn json_block(document: &[u8]) -> Option<&[u8]> {
    let inner = document.strip_prefix(JSON_START)?.strip_suffix(JSON_END)?;
    inner.starts_with(b"\n    {").then_some(inner)
}

/// The document `frame` (rendered without items, [`Frame`] telling it what they need) with
/// the items' blocks put where the items go, in order; `None` if a block is missing or the
/// frame is not as expected (the document is then rendered whole).
pub fn splice(frame: Vec<u8>, format: FeedFormat, items: &[Arc<Blocks>]) -> Option<Vec<u8>> {
    if items.is_empty() {
        return Some(frame);
    }
    let blocks: Vec<&[u8]> = items.iter().map(|b| b.get(format)).collect::<Option<_>>()?;
    let total = frame.len() + blocks.iter().map(|b| b.len() + 1).sum::<usize>() + 8;
    let mut out = Vec::with_capacity(total);
    match format {
        FeedFormat::Rss => {
            // `…</fh:archive>` `\n    <item>…</item>`… `\n  </channel>\n</rss>\n`
            let at = memchr::memmem::rfind(&frame, RSS_END)?;
            out.extend_from_slice(&frame[..at]);
            blocks.iter().for_each(|b| out.extend_from_slice(b));
            out.extend_from_slice(&frame[at..]);
        }
        FeedFormat::Atom => {
            // The marker or tombstones end in a line of their own before the first entry:
            // `…\n` `  <entry>…</entry>\n`… `</feed>\n`; each block is `\n  <entry>…</entry>`,
            // so its newline goes after it.
            let at = memchr::memmem::rfind(&frame, ATOM_END)? + 1;
            out.extend_from_slice(&frame[..at]);
            for block in blocks {
                out.extend_from_slice(block.get(1..)?);
                out.push(b'\n');
            }
            out.extend_from_slice(&frame[at..]);
        }
        FeedFormat::Json => {
            // `"items": []\n}\n` becomes `"items": [` `\n    {…}`,… `\n  ]\n}\n`.
            let at = memchr::memmem::rfind(&frame, b"[]\n}")?;
            out.extend_from_slice(&frame[..at]);
            out.push(b'[');
            for (n, block) in blocks.iter().enumerate() {
                if n > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(block);
            }
            out.extend_from_slice(b"\n  ]");
            out.extend_from_slice(&frame[at + 2..]);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(bytes: usize) -> Result<Blocks, ()> {
        Ok(Blocks {
            bytes: [Some(vec![b'x'; bytes]), None, None],
            media: false,
            content: false,
            body: false,
            updated: DateTime::<Utc>::MIN_UTC,
        })
    }

    fn size() -> usize {
        blocks(1000).map(|b| b.size()).unwrap_or(0)
    }

    #[test]
    fn blocks_wait_for_the_next_page_and_go_with_the_last() {
        // Item 0 on pages ranked 0, 1, 5; item 1 on page 0 only.
        let shelf = Shelf::new(2, &[(0, 5), (0, 0), (1, 0), (0, 1)], usize::MAX);
        let renders = std::cell::Cell::new(0);
        let take = |i| {
            shelf
                .take_if_free(i, true, || {
                    renders.set(renders.get() + 1);
                    blocks(1000)
                })
                .unwrap()
                .unwrap()
        };
        take(0);
        take(1);
        take(0);
        take(0);
        assert_eq!(renders.get(), 2);
        assert_eq!(shelf.held(), 0);
        // More pages than counted: rendered again, nothing kept.
        take(0);
        assert_eq!((renders.get(), shelf.held()), (3, 0));
    }

    #[test]
    fn past_the_bound_the_blocks_needed_furthest_away_go_first() {
        // Items 0, 1, 2 on page 0; next on pages 9, 3 and 5. Room for two.
        let uses = [(0, 0), (1, 0), (2, 0), (0, 9), (1, 3), (2, 5)];
        let shelf = Shelf::new(3, &uses, 2 * size());
        for i in 0..3 {
            shelf
                .take_if_free(i, true, || blocks(1000))
                .unwrap()
                .unwrap();
        }
        assert_eq!(shelf.held(), 2 * size());
        assert!(shelf.get(0).is_none());
        assert!(shelf.get(1).is_some() && shelf.get(2).is_some());
    }

    #[test]
    fn an_item_another_page_is_taking_can_be_left_for_later() {
        let shelf = Shelf::new(1, &[(0, 0), (0, 1)], usize::MAX);
        let held = shelf.slots[0].lock().unwrap();
        assert!(shelf.take_if_free(0, false, || blocks(10)).is_none());
        drop(held);
        assert!(shelf.take_if_free(0, false, || blocks(10)).is_some());
    }

    #[test]
    fn blocks_are_cut_only_from_documents_as_expected() {
        let rss = b"<rss><channel>\n    <title/>\n    <item>\n      <a/>\n    </item>\n  </channel>\n</rss>";
        assert_eq!(
            rss_block(rss),
            Some(&b"\n    <item>\n      <a/>\n    </item>"[..])
        );
        assert_eq!(rss_block(b"<rss><channel>\n  </channel>\n</rss>"), None);
        assert_eq!(
            atom_block(b"<feed>\n  <entry>\n  </entry>\n</feed>"),
            Some(&b"\n  <entry>\n  </entry>"[..])
        );
        assert_eq!(atom_block(b"<feed>\n  <entry>\n  </entry>"), None);
        assert_eq!(
            json_block(b"{\n  \"items\": [\n    {}\n  ]\n}"),
            Some(&b"\n    {}"[..])
        );
        assert_eq!(json_block(b"{\n  \"items\": []\n}"), None);
    }

    #[test]
    fn a_frame_not_as_expected_is_not_spliced() {
        let item = Arc::new(blocks(3).unwrap());
        assert!(splice(b"<rss/>".to_vec(), FeedFormat::Rss, &[Arc::clone(&item)]).is_none());
        // A block missing for the format.
        let frame = b"<feed>\n</feed>\n".to_vec();
        assert!(splice(frame.clone(), FeedFormat::Atom, &[item]).is_none());
        assert_eq!(splice(frame.clone(), FeedFormat::Atom, &[]), Some(frame));
    }
}

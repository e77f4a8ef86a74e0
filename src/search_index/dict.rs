//! Dictionary shards: the sorted surface words, front-coded, each pointing at its stem's row;
//! a row says where the stem's postings are: (file, offset, length) segments in `post/`, or,
//! for a stem in a document or two, the postings themselves ("inline"), so the browser finds a
//! rare word's documents (an id, a hash from a log) without fetching a postings file.

use super::format::{self, DICT_MAGIC, FxHashMap, put_varint};

/// A stem in at most this many documents keeps its postings in the dictionary row...
pub(super) const INLINE_DOCUMENTS: usize = 2;
/// ...if they take at most this many bytes (its forms included).
pub(super) const INLINE_MAX: usize = 48;

/// Where a stem's postings are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Stored {
    /// Segments: (postings file's hash, offset, length).
    Files(Vec<(u64, u32, u32)>),
    /// The segment's bytes themselves (see `inline_postings`).
    Inline(Vec<u8>),
}

/// A stem's postings as they go inline, if the stem is rare (`documents` postings) and they
/// are small enough: its record (the forms) and its one chunk, with the forms left out (a count
/// of 0) when the stem has only one, since that one is the dictionary word itself.
pub(super) fn inline_postings(
    record: &[u8],
    chunks: &[Vec<u8>],
    forms: usize,
    documents: usize,
) -> Option<Vec<u8>> {
    let [chunk] = chunks else { return None };
    if documents > INLINE_DOCUMENTS {
        return None;
    }
    let mut out = if forms == 1 { vec![0] } else { record.to_vec() };
    out.extend_from_slice(chunk);
    (out.len() <= INLINE_MAX).then_some(out)
}

/// One dictionary shard being assembled.
#[derive(Default)]
pub(super) struct DictShard {
    first: Option<String>,
    prev: String,
    entries: Vec<u8>,
    count: u64,
    /// Stem -> row in this shard.
    rows: FxHashMap<u32, u32>,
    row_postings: Vec<Stored>,
    /// Postings file (by hash) -> local index.
    files: FxHashMap<u64, u32>,
    file_hashes: Vec<u64>,
    rows_bytes: usize,
}

impl DictShard {
    pub(super) fn size(&self) -> usize {
        self.entries.len() + self.rows_bytes + self.file_hashes.len() * 8
    }

    pub(super) fn entries_empty(&self) -> bool {
        self.count == 0
    }

    /// Adds `word` (the shard's words come in sorted order), whose stem's postings are
    /// `postings`.
    pub(super) fn add(&mut self, word: &str, stem: u32, freq: u32, postings: &Stored) {
        if self.first.is_none() {
            self.first = Some(word.to_string());
        }
        let row = match self.rows.get(&stem) {
            Some(&r) => r,
            None => {
                let r = self.row_postings.len() as u32;
                self.rows.insert(stem, r);
                match postings {
                    Stored::Files(segments) => {
                        for &(file, _, _) in segments {
                            if !self.files.contains_key(&file) {
                                self.files.insert(file, self.file_hashes.len() as u32);
                                self.file_hashes.push(file);
                            }
                        }
                        self.rows_bytes += 4 + 8 * segments.len();
                    }
                    Stored::Inline(bytes) => self.rows_bytes += 2 + bytes.len(),
                }
                self.row_postings.push(postings.clone());
                r
            }
        };
        let shared = self
            .prev
            .bytes()
            .zip(word.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        put_varint(&mut self.entries, shared as u64);
        put_varint(&mut self.entries, (word.len() - shared) as u64);
        self.entries.extend_from_slice(&word.as_bytes()[shared..]);
        put_varint(&mut self.entries, u64::from(row));
        put_varint(&mut self.entries, u64::from(freq));
        self.prev.clear();
        self.prev.push_str(word);
        self.count += 1;
    }

    /// The shard's first word and its file. A row is `nseg` segments (file index, offset,
    /// length), or `0`, a length and the inline postings.
    pub(super) fn finish(self) -> (String, Vec<u8>) {
        let mut out = format::start_file(DICT_MAGIC);
        put_varint(&mut out, self.file_hashes.len() as u64);
        for &f in &self.file_hashes {
            out.extend_from_slice(&f.to_le_bytes());
        }
        put_varint(&mut out, self.row_postings.len() as u64);
        for postings in &self.row_postings {
            match postings {
                Stored::Files(segments) => {
                    put_varint(&mut out, segments.len() as u64);
                    for &(file, offset, len) in segments {
                        put_varint(&mut out, u64::from(self.files[&file]));
                        put_varint(&mut out, u64::from(offset));
                        put_varint(&mut out, u64::from(len));
                    }
                }
                Stored::Inline(bytes) => {
                    put_varint(&mut out, 0);
                    put_varint(&mut out, bytes.len() as u64);
                    out.extend_from_slice(bytes);
                }
            }
        }
        put_varint(&mut out, self.count);
        out.extend_from_slice(&self.entries);
        format::finish_file(&mut out);
        (self.first.unwrap_or_default(), out)
    }
}

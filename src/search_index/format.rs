//! The bytes of the index files: varints, the content hash that names each file, the binary
//! layouts' magic numbers, and a bounds-checked `Reader` that decodes them again (what
//! `search.js` does in the browser; the round-trip tests use it).
//!
//! Every binary file starts with a four-byte magic and its own total length (u32, little
//! endian), so a truncated or padded file is refused before anything in it is trusted.

use std::hash::{BuildHasherDefault, Hasher};

/// The manifest's `version`: 2 since dictionary rows may hold a rare stem's postings inline.
/// `search.js` refuses a manifest of another version ("search is unavailable").
pub const FORMAT_VERSION: u32 = 2;

/// Dictionary shard: sorted surface words -> stem rows -> postings segments.
pub const DICT_MAGIC: &[u8; 4] = b"OBD1";
/// Postings file: stem records (surface forms, then (document, impact) pairs).
pub const POSTINGS_MAGIC: &[u8; 4] = b"OBP1";
/// Facet chunk: each document's facet combination, for a range of documents.
pub const FACET_DOCS_MAGIC: &[u8; 4] = b"OBF1";

/// Appends `v` as a LEB128 varint (7 bits a byte, low bits first).
pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Appends a length-prefixed UTF-8 string.
pub fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// Starts a binary file: magic and a length placeholder that `finish_file` fills.
pub fn start_file(magic: &[u8; 4]) -> Vec<u8> {
    let mut out = Vec::with_capacity(4096);
    out.extend_from_slice(magic);
    out.extend_from_slice(&[0; 4]);
    out
}

/// Writes the file's total length into its header.
pub fn finish_file(out: &mut [u8]) {
    let len = (out.len() as u32).to_le_bytes();
    out[4..8].copy_from_slice(&len);
}

/// A 64-bit content hash (a multiply-xorshift over 8-byte words, then an avalanche). Not
/// cryptographic: it names files so that a changed file gets a new name and a CDN may cache
/// every name forever. Stable across platforms and Rust versions (unlike `DefaultHasher`).
pub fn content_hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h: u64 = 0xCBF2_9CE4_8422_2325 ^ (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h ^ u64::from_le_bytes(w)).wrapping_mul(K).rotate_left(29);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        h = (h ^ u64::from_le_bytes(w)).wrapping_mul(K).rotate_left(29);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^ (h >> 33)
}

/// The file name for `bytes` in folder `kind`: `dict/0123456789abcdef.bin`.
pub fn hashed_name(kind: &str, hash: u64, ext: &str) -> String {
    format!("{kind}/{hash:016x}.{ext}")
}

/// A bounds-checked reader over one index file. Every read past the end is an error, never a
/// panic: the same checks `search.js` makes before it trusts a file.
pub struct Reader<'a> {
    bytes: &'a [u8],
    pub pos: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError(pub String);

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "malformed search index file: {}", self.0)
    }
}

impl<'a> Reader<'a> {
    /// Checks the magic and the length in the header; the reader starts after it.
    pub fn open(bytes: &'a [u8], magic: &[u8; 4]) -> Result<Reader<'a>, DecodeError> {
        if bytes.len() < 8 || &bytes[..4] != magic {
            return Err(DecodeError("bad magic".into()));
        }
        let mut len = [0u8; 4];
        len.copy_from_slice(&bytes[4..8]);
        if u32::from_le_bytes(len) as usize != bytes.len() {
            return Err(DecodeError("length does not match the header".into()));
        }
        Ok(Reader { bytes, pos: 8 })
    }

    pub fn at(bytes: &'a [u8], pos: usize) -> Reader<'a> {
        Reader { bytes, pos }
    }

    pub fn varint(&mut self) -> Result<u64, DecodeError> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = *self
                .bytes
                .get(self.pos)
                .ok_or_else(|| DecodeError("varint past the end".into()))?;
            self.pos += 1;
            v |= u64::from(b & 0x7F) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(DecodeError("varint too long".into()))
    }

    pub fn usize(&mut self) -> Result<usize, DecodeError> {
        usize::try_from(self.varint()?).map_err(|_| DecodeError("number too large".into()))
    }

    pub fn u8(&mut self) -> Result<u8, DecodeError> {
        let b = *self
            .bytes
            .get(self.pos)
            .ok_or_else(|| DecodeError("byte past the end".into()))?;
        self.pos += 1;
        Ok(b)
    }

    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or_else(|| DecodeError("bytes past the end".into()))?;
        let out = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    pub fn hash(&mut self) -> Result<u64, DecodeError> {
        let b = self.bytes(8)?;
        let mut w = [0u8; 8];
        w.copy_from_slice(b);
        Ok(u64::from_le_bytes(w))
    }

    pub fn str(&mut self) -> Result<&'a str, DecodeError> {
        let n = self.usize()?;
        std::str::from_utf8(self.bytes(n)?).map_err(|_| DecodeError("invalid UTF-8".into()))
    }

    pub fn done(&self) -> bool {
        self.pos >= self.bytes.len()
    }
}

/// FxHash (rustc's hasher): a fast, non-keyed hash for the builder's own tables of words,
/// which come from the site's content, not from an adversary over the network.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

const FX_K: u64 = 0xf135_7aea_2e62_a9c5;

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 59));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

impl FxHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(FX_K);
    }
}

pub type FxBuild = BuildHasherDefault<FxHasher>;
pub type FxHashMap<K, V> = std::collections::HashMap<K, V, FxBuild>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_and_refuse_truncation() {
        for v in [
            0u64,
            1,
            127,
            128,
            300,
            16_383,
            16_384,
            u32::MAX as u64,
            u64::MAX,
        ] {
            let mut out = start_file(POSTINGS_MAGIC);
            put_varint(&mut out, v);
            finish_file(&mut out);
            let mut r = Reader::open(&out, POSTINGS_MAGIC).unwrap();
            assert_eq!(r.varint().unwrap(), v);
            assert!(r.done());
            if out.len() > 9 {
                assert!(Reader::open(&out[..out.len() - 1], POSTINGS_MAGIC).is_err());
                let mut r = Reader::at(&out[..out.len() - 1], 8);
                assert!(r.varint().is_err());
            }
        }
        assert!(Reader::open(b"OBD1\x08\0\0\0", POSTINGS_MAGIC).is_err());
    }

    #[test]
    fn content_hash_is_stable_and_sensitive() {
        // Names must not change between builds of the same bytes (CDN caching), on any host.
        assert_eq!(content_hash(b""), content_hash(b""));
        assert_ne!(content_hash(b"a"), content_hash(b"b"));
        assert_ne!(content_hash(b"abcdefgh1"), content_hash(b"abcdefgh2"));
        assert_ne!(content_hash(&[0; 8]), content_hash(&[0; 16]));
        assert_eq!(format!("{:016x}", content_hash(b"opsbook")).len(), 16);
    }
}

//! Reading an index back: the decoding `search.js` does in the browser, in Rust, with the same
//! checks (magic, length, bounds). The tests decode what the builder wrote through it, and its
//! `search` is a reference for the client's ranking: all words required, the last one as a
//! prefix, BM25 impacts times idf, the document whose id is the query first.

use std::collections::HashMap;

use serde::Deserialize;

use super::format::{DICT_MAGIC, DecodeError, FACET_DOCS_MAGIC, POSTINGS_MAGIC, Reader};
use super::tokenize::{MAX_TERM_CHARS, Scratch, TermKind, terms};

#[derive(Debug, Clone, Deserialize)]
pub struct Manifest {
    pub version: u32,
    pub documents: u64,
    pub language: String,
    pub stemmed: bool,
    pub impact_max: f32,
    pub dict: Vec<(String, String)>,
    pub frag_chunk: u32,
    pub frag_group: u32,
    pub frags: Vec<String>,
    pub facets: String,
    pub facet_chunk: u32,
    pub facet_docs: Vec<String>,
}

/// A dictionary entry: a surface word, how many documents hold it, and where its stem's
/// postings are, as (file name, offset, length) segments, or inline (a rare stem's postings
/// in the dictionary row itself; `segments` is then empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub word: String,
    pub freq: u64,
    pub segments: Vec<(String, usize, usize)>,
    pub inline: Option<Vec<u8>>,
}

impl Entry {
    /// Whether two entries share their stem's postings (two forms of one stem).
    pub fn same_postings(&self, other: &Entry) -> bool {
        self.segments == other.segments && self.inline == other.inline
    }
}

/// A decoded dictionary shard.
#[derive(Debug, Clone)]
pub struct Shard {
    pub entries: Vec<Entry>,
}

/// A stem's postings: its surface forms and (document, impact, exact id) triples.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StemPostings {
    pub forms: Vec<String>,
    pub postings: Vec<(u32, u8, bool)>,
}

fn err(m: &str) -> DecodeError {
    DecodeError(m.to_string())
}

fn name(hash: u64, kind: &str, ext: &str) -> String {
    super::format::hashed_name(kind, hash, ext)
}

pub fn decode_shard(bytes: &[u8]) -> Result<Shard, DecodeError> {
    let mut r = Reader::open(bytes, DICT_MAGIC)?;
    let nfiles = r.usize()?;
    let mut files = Vec::with_capacity(nfiles.min(1024));
    for _ in 0..nfiles {
        files.push(name(r.hash()?, "post", "bin"));
    }
    let nrows = r.usize()?;
    let mut rows = Vec::with_capacity(nrows.min(65536));
    for _ in 0..nrows {
        let nseg = r.usize()?;
        if nseg == 0 {
            let len = r.usize()?;
            rows.push((Vec::new(), Some(r.bytes(len)?.to_vec())));
            continue;
        }
        let mut segs = Vec::with_capacity(nseg.min(64));
        for _ in 0..nseg {
            let file = files
                .get(r.usize()?)
                .ok_or_else(|| err("file reference out of range"))?
                .clone();
            segs.push((file, r.usize()?, r.usize()?));
        }
        rows.push((segs, None));
    }
    let n = r.usize()?;
    let mut entries = Vec::with_capacity(n.min(65536));
    let mut prev: Vec<u8> = Vec::new();
    for _ in 0..n {
        let shared = r.usize()?;
        let len = r.usize()?;
        if shared > prev.len() {
            return Err(err("shared prefix longer than the previous word"));
        }
        prev.truncate(shared);
        prev.extend_from_slice(r.bytes(len)?);
        let word = String::from_utf8(prev.clone()).map_err(|_| err("invalid UTF-8"))?;
        let row = rows
            .get(r.usize()?)
            .ok_or_else(|| err("stem row out of range"))?;
        let freq = r.varint()?;
        entries.push(Entry {
            word,
            freq,
            segments: row.0.clone(),
            inline: row.1.clone(),
        });
    }
    if !r.done() {
        return Err(err("trailing bytes"));
    }
    Ok(Shard { entries })
}

/// Decodes an entry's stem postings: inline, or from its segments, given each file's bytes.
pub fn decode_postings(
    entry: &Entry,
    file: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Result<StemPostings, DecodeError> {
    let mut out = StemPostings {
        forms: Vec::new(),
        postings: Vec::new(),
    };
    if let Some(bytes) = &entry.inline {
        let mut r = Reader::at(bytes, 0);
        read_segment(&mut r, bytes.len(), true, &mut out)?;
        if out.forms.is_empty() {
            // Left out: the stem's one form is the word itself.
            out.forms.push(entry.word.clone());
        }
        return Ok(out);
    }
    for (i, (name, offset, len)) in entry.segments.iter().enumerate() {
        let bytes = file(name).ok_or_else(|| err("missing postings file"))?;
        Reader::open(&bytes, POSTINGS_MAGIC)?;
        let end = offset
            .checked_add(*len)
            .filter(|&e| e <= bytes.len())
            .ok_or_else(|| err("segment past the end of its file"))?;
        let mut r = Reader::at(&bytes[..end], *offset);
        read_segment(&mut r, end, i == 0, &mut out)?;
    }
    Ok(out)
}

/// One segment, ending at `end`: the forms (in the first), then (count, postings).
fn read_segment(
    r: &mut Reader<'_>,
    end: usize,
    first: bool,
    out: &mut StemPostings,
) -> Result<(), DecodeError> {
    if first {
        let n = r.usize()?;
        for _ in 0..n {
            out.forms.push(r.str()?.to_string());
        }
    }
    let n = r.usize()?;
    let mut doc = 0u64;
    for _ in 0..n {
        let v = r.varint()?;
        doc += v >> 1;
        let impact = r.u8()?;
        let doc = u32::try_from(doc).map_err(|_| err("document number too large"))?;
        out.postings.push((doc, impact, v & 1 == 1));
    }
    if r.pos != end {
        return Err(err("segment length does not match its postings"));
    }
    Ok(())
}

/// A facet chunk: (first document, combination id of each document).
pub fn decode_facet_docs(bytes: &[u8]) -> Result<(u64, Vec<u64>), DecodeError> {
    let mut r = Reader::open(bytes, FACET_DOCS_MAGIC)?;
    let first = r.varint()?;
    let n = r.usize()?;
    let mut combos = Vec::with_capacity(n.min(1 << 16));
    for _ in 0..n {
        combos.push(r.varint()?);
    }
    Ok((first, combos))
}

/// An index read from its files (a map of path under `search-index/` to bytes).
pub struct IndexReader {
    pub manifest: Manifest,
    files: HashMap<String, Vec<u8>>,
}

impl IndexReader {
    /// From files as the builder emits them (paths under the output root).
    pub fn new(files: &[(String, Vec<u8>)]) -> Result<IndexReader, DecodeError> {
        let files: HashMap<String, Vec<u8>> = files
            .iter()
            .filter_map(|(p, b)| {
                p.strip_prefix("search-index/")
                    .map(|p| (p.to_string(), b.clone()))
            })
            .collect();
        let manifest = files
            .get("manifest.json")
            .ok_or_else(|| err("no manifest"))?;
        let manifest: Manifest =
            serde_json::from_slice(manifest).map_err(|e| DecodeError(e.to_string()))?;
        if manifest.version != super::format::FORMAT_VERSION {
            return Err(err("an index of another format version"));
        }
        Ok(IndexReader { manifest, files })
    }

    pub fn file(&self, name: &str) -> Option<Vec<u8>> {
        self.files.get(name).cloned()
    }

    /// The shard whose range holds `word`.
    fn shard_for(&self, word: &str) -> Option<usize> {
        let i = self
            .manifest
            .dict
            .partition_point(|(first, _)| first.as_str() <= word);
        i.checked_sub(1)
    }

    pub fn shard(&self, i: usize) -> Result<Shard, DecodeError> {
        let (_, name) = self
            .manifest
            .dict
            .get(i)
            .ok_or_else(|| err("no such shard"))?;
        decode_shard(&self.file(name).ok_or_else(|| err("missing shard"))?)
    }

    pub fn lookup(&self, word: &str) -> Result<Option<Entry>, DecodeError> {
        let Some(i) = self.shard_for(word) else {
            return Ok(None);
        };
        Ok(self.shard(i)?.entries.into_iter().find(|e| e.word == word))
    }

    /// Words starting with `prefix`, most frequent first (over at most two shards).
    pub fn prefix(&self, prefix: &str, limit: usize) -> Result<Vec<Entry>, DecodeError> {
        let start = self.shard_for(prefix).unwrap_or(0);
        let mut found = Vec::new();
        for i in start..(start + 2).min(self.manifest.dict.len()) {
            found.extend(
                self.shard(i)?
                    .entries
                    .into_iter()
                    .filter(|e| e.word.starts_with(prefix)),
            );
        }
        found.sort_by(|a, b| b.freq.cmp(&a.freq).then(a.word.cmp(&b.word)));
        found.truncate(limit);
        Ok(found)
    }

    pub fn postings(&self, entry: &Entry) -> Result<StemPostings, DecodeError> {
        decode_postings(entry, &|n| self.file(n))
    }

    /// A document's fragment (JSON), from its group's file (`fragment_name`).
    pub fn fragment(&self, doc: u32) -> Result<serde_json::Value, DecodeError> {
        let name = self
            .fragment_name(doc)
            .ok_or_else(|| err("no such document"))?;
        let bytes = self.file(&name).ok_or_else(|| err("missing fragment"))?;
        let group: Vec<serde_json::Value> =
            serde_json::from_slice(&bytes).map_err(|e| DecodeError(e.to_string()))?;
        group
            .into_iter()
            .find(|v| v["n"].as_u64() == Some(u64::from(doc)))
            .ok_or_else(|| err("the fragment file does not hold the document"))
    }

    /// The facets document `doc` is filed under, as (facet, value) pairs.
    pub fn facets_of(&self, doc: u32) -> Result<Vec<(String, String)>, DecodeError> {
        #[derive(Deserialize)]
        struct Facet {
            name: String,
        }
        #[derive(Deserialize)]
        struct Table {
            facets: Vec<Facet>,
            /// (facet number, value, label, count)
            values: Vec<(usize, String, String, u64)>,
            combos: Vec<Vec<usize>>,
        }
        if self.manifest.facets.is_empty() {
            return Ok(Vec::new());
        }
        let bytes = self
            .file(&self.manifest.facets)
            .ok_or_else(|| err("missing facet table"))?;
        let table: Table =
            serde_json::from_slice(&bytes).map_err(|e| DecodeError(e.to_string()))?;
        let chunk = self
            .manifest
            .facet_docs
            .get((doc / self.manifest.facet_chunk.max(1)) as usize)
            .ok_or_else(|| err("no facet chunk for the document"))?;
        let (first, combos) =
            decode_facet_docs(&self.file(chunk).ok_or_else(|| err("missing facet chunk"))?)?;
        let combo = usize::try_from(u64::from(doc).saturating_sub(first))
            .ok()
            .and_then(|k| combos.get(k))
            .and_then(|&c| table.combos.get(usize::try_from(c).ok()?))
            .ok_or_else(|| err("no combination for the document"))?;
        combo
            .iter()
            .map(|&v| {
                let (facet, value, _, _) = table.values.get(v).ok_or_else(|| err("bad value"))?;
                let facet = table.facets.get(*facet).ok_or_else(|| err("bad facet"))?;
                Ok((facet.name.clone(), value.clone()))
            })
            .collect()
    }

    /// The document at `url` (site-relative, `/incidents/x/`), from the fragments.
    pub fn document_at(&self, url: &str) -> Option<u32> {
        (0..u32::try_from(self.manifest.documents).ok()?)
            .find(|&d| self.fragment(d).is_ok_and(|f| f["u"] == url))
    }

    pub fn fragment_name(&self, doc: u32) -> Option<String> {
        let folder = self
            .manifest
            .frags
            .get((doc / self.manifest.frag_chunk) as usize)?;
        Some(format!(
            "frag/{folder}/{}.json",
            doc / self.manifest.frag_group.max(1)
        ))
    }

    /// The reference ranking: every query word required (looked up whole, else by its parts),
    /// the last one also as a prefix (up to 5 most frequent words, or 3 more frequent than the
    /// word itself when it is in the dictionary), scores summed as
    /// idf x impact, the document whose id is the whole query first. Returns documents, best first.
    pub fn search(&self, query: &str) -> Result<Vec<u32>, DecodeError> {
        let n = self.manifest.documents as f32;
        let tokens = query_terms(query);
        let mut total: Option<HashMap<u32, f32>> = None;
        for (k, token) in tokens.iter().enumerate() {
            let last = k + 1 == tokens.len() && !query.ends_with(' ');
            let mut entries: Vec<Entry> = self.lookup(token)?.into_iter().collect();
            if last {
                // A word in the dictionary widens only to its more frequent continuations.
                let (floor, limit) = entries.first().map_or((0, 5), |e| (e.freq, 3));
                let wider = self
                    .prefix(token, 64)?
                    .into_iter()
                    .filter(|e| e.freq > floor);
                for e in wider.take(limit) {
                    if !entries.iter().any(|x| x.same_postings(&e)) {
                        entries.push(e);
                    }
                }
            }
            let mut scores: HashMap<u32, f32> = HashMap::new();
            for e in &entries {
                let p = self.postings(e)?;
                let df = p.postings.len() as f32;
                let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
                let weight = if e.word == *token { 1.0 } else { 0.8 };
                for &(doc, impact, exact) in &p.postings {
                    let boost = if exact && tokens.len() == 1 { 1e6 } else { 0.0 };
                    let s = idf * f32::from(impact) * weight + boost;
                    let slot = scores.entry(doc).or_insert(0.0);
                    *slot = slot.max(s);
                }
            }
            total = Some(match total {
                None => scores,
                Some(t) => t
                    .into_iter()
                    .filter_map(|(d, s)| scores.get(&d).map(|x| (d, s + x)))
                    .collect(),
            });
        }
        let mut ranked: Vec<(u32, f32)> = total.unwrap_or_default().into_iter().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        Ok(ranked.into_iter().map(|(d, _)| d).collect())
    }
}

impl IndexReader {
    /// What `search.js` shows for `query`, best first: `search` over its words (a quoted phrase's
    /// words too, none of them a prefix), only documents whose fragment holds every quoted
    /// phrase (any surface form of each word's stem, in order), and a document whose title or id
    /// is the whole query moved first.
    pub fn results(&self, query: &str) -> Result<Vec<u32>, DecodeError> {
        let mut words = String::new();
        let mut phrases: Vec<Vec<String>> = Vec::new();
        for (k, piece) in query.split('"').enumerate() {
            words.push_str(piece);
            words.push(' ');
            let quoted = k % 2 == 1 && query.split('"').count() > k + 1;
            let terms = query_terms(piece);
            if quoted && terms.len() > 1 {
                phrases.push(terms);
            }
        }
        let open_ended = !query.ends_with([' ', '"']);
        let words = if open_ended {
            words.trim_end().to_string()
        } else {
            words
        };
        let mut hits = self.search(&words)?;
        if !phrases.is_empty() {
            let forms: Vec<Vec<Vec<String>>> = phrases
                .iter()
                .map(|phrase| {
                    phrase
                        .iter()
                        .map(|word| {
                            let mut forms = vec![word.clone()];
                            if let Ok(Some(entry)) = self.lookup(word)
                                && let Ok(p) = self.postings(&entry)
                            {
                                forms.extend(p.forms);
                            }
                            forms
                        })
                        .collect()
                })
                .collect();
            let mut kept = Vec::new();
            for d in hits {
                let fragment = self.fragment(d)?;
                let mut texts = vec![fragment["t"].as_str().unwrap_or_default().to_string()];
                if let Some(sections) = fragment["x"].as_array() {
                    texts.extend(sections.iter().map(|s| {
                        format!(
                            "{} \n {}",
                            s[0].as_str().unwrap_or_default(),
                            s[2].as_str().unwrap_or_default()
                        )
                    }));
                }
                let holds = |phrase: &Vec<Vec<String>>| {
                    texts.iter().any(|text| {
                        let tokens = query_terms(text);
                        tokens
                            .windows(phrase.len())
                            .any(|w| w.iter().zip(phrase).all(|(t, forms)| forms.contains(t)))
                    })
                };
                if forms.iter().all(holds) {
                    kept.push(d);
                }
            }
            hits = kept;
        }
        let whole = query_terms(&query.replace('"', " ")).join(" ");
        let first = hits.iter().take(50).position(|&d| {
            self.fragment(d).is_ok_and(|f| {
                [&f["t"], &f["i"]]
                    .iter()
                    .any(|v| query_terms(v.as_str().unwrap_or_default()).join(" ") == whole)
            })
        });
        if let Some(at) = first {
            let d = hits.remove(at);
            hits.insert(0, d);
        }
        Ok(hits)
    }
}

/// Query words as the index spells them: each whitespace-separated token whole if it is a
/// compound or a word, lowercased (the client falls back to parts when the whole is unknown).
pub fn query_terms(query: &str) -> Vec<String> {
    let mut out = Vec::new();
    for chunk in query.split_whitespace() {
        let mut whole = None;
        let mut words = Vec::new();
        terms(chunk, &mut Scratch::default(), |t, kind| match kind {
            TermKind::Compound => whole = Some(t.to_string()),
            TermKind::Word => words.push(t.chars().take(MAX_TERM_CHARS).collect()),
            TermKind::Part => {}
        });
        match whole {
            Some(w) => out.push(w),
            None => out.extend(words),
        }
    }
    out
}

//! The index's three steps, shared by the streaming builder and the live index:
//!
//! 1. `prepare::prepare_batch` (in parallel, a batch of documents per task): tokenize, stem through a
//!    per-thread cache, count terms per document against a batch-local vocabulary, and encode
//!    each document's fragment;
//! 2. `Vocab` + `Inverted::add_doc` (in document order): intern the batch's words once, then
//!    append each document's (stem, counts) to compact per-stem posting buffers;
//! 3. `Inverted::finish`: impacts from the counts, then postings files, dictionary shards,
//!    facet tables and the manifest, each handed to the sink as soon as it is complete.
//!
//! Words: a *surface* term is a lowercased word, part or compound as it appears; its *stem* is
//! what the Snowball stemmer makes of it (or the surface itself). Postings are per stem.

use rayon::prelude::*;
use serde::Serialize;

use super::dict::{DictShard, Stored, inline_postings};
use super::format::{self, FACET_DOCS_MAGIC, FxHashMap, POSTINGS_MAGIC, put_str, put_varint};
pub use super::prepare::{Batch, new_generation, prepare_batch, release_thread_vocab};
use super::{FacetDef, INDEX_DIR, IndexOptions, IndexStats};

/// A dictionary shard is cut once it passes this many bytes.
pub const DICT_SHARD_BYTES: usize = 32 * 1024;
/// Postings of rare stems are packed into files of about this size.
pub const POSTINGS_PACK_BYTES: usize = 16 * 1024;
/// No postings file is larger than this: a longer list is split across files.
pub const POSTINGS_MAX_BYTES: usize = 48 * 1024;
/// Documents per fragment folder (`frag/<hash of the chunk>/<doc>.json`).
pub const FRAG_CHUNK: u32 = 512;
/// Documents per fragment file (`frag/<folder>/<doc / FRAG_GROUP>.json`): a file per document
/// would double the files a build writes (creating them was a sixth of a 10,000-page build),
/// and a small fixed group needs no lookup to find a document's file. (Two halved a result's
/// bytes but made a 10,000-page build 15-45% slower here: file creation is that costly.)
pub const FRAG_GROUP: u32 = 4;
/// Documents per `facetdocs/` chunk.
pub const FACET_CHUNK: u32 = 8192;
/// A document's fragment keeps at most this many bytes of section text; excerpts of a longer
/// document come from its first part.
pub const FRAGMENT_TEXT_BYTES: usize = 40_000;

/// Posting flags, kept in the low bits of a document's counts.
pub const IN_HEADING: u32 = 1;
pub const IN_TITLE: u32 = 2;
/// The term is the document's whole id (`inc-2026-004`): an id query puts it first.
pub const EXACT_ID: u32 = 4;
pub(super) const FLAG_BITS: u32 = 3;

/// BM25 parameters and the bonuses added to the body's weight (see `impact`).
const K1: f32 = 1.2;
const B: f32 = 0.75;
const HEADING_BONUS: f32 = 0.8;
const TITLE_BONUS: f32 = 2.5;
/// Impacts are quantized to one byte over [0, IMPACT_MAX].
pub const IMPACT_MAX: f32 = K1 + 1.0 + HEADING_BONUS + TITLE_BONUS;

/// A document's weight for a stem, before the query's idf: BM25's saturated, length-normalized
/// term frequency over the body, plus a bonus if the stem is in a heading and a larger one if
/// it is in the title, as one byte (1..=255).
pub fn impact(stats: u32, length: u32, avg_length: f32) -> u8 {
    let tf = (stats >> FLAG_BITS) as f32;
    let norm = 1.0 - B + B * (length as f32 / avg_length.max(1.0));
    let mut score = if tf > 0.0 {
        tf * (K1 + 1.0) / (tf + K1 * norm)
    } else {
        0.0
    };
    if stats & IN_HEADING != 0 {
        score += HEADING_BONUS;
    }
    if stats & IN_TITLE != 0 {
        score += TITLE_BONUS;
    }
    ((score / IMPACT_MAX * 255.0).round() as u32).clamp(1, 255) as u8
}

/// Every surface term and stem seen, interned.
#[derive(Default)]
pub struct Vocab {
    ids: FxHashMap<Box<str>, u32>,
    pub surfaces: Vec<Box<str>>,
    pub stem_of: Vec<u32>,
    stem_ids: FxHashMap<Box<str>, u32>,
    pub stems: Vec<Box<str>>,
    thread_maps: FxHashMap<u64, Vec<u32>>,
}

impl Vocab {
    pub fn intern(&mut self, surface: &str, stem: Option<&str>) -> u32 {
        if let Some(&id) = self.ids.get(surface) {
            return id;
        }
        let stem_str = stem.unwrap_or(surface);
        let stem_id = match self.stem_ids.get(stem_str) {
            Some(&s) => s,
            None => {
                let s = self.stems.len() as u32;
                self.stems.push(stem_str.into());
                self.stem_ids.insert(stem_str.into(), s);
                s
            }
        };
        let id = self.surfaces.len() as u32;
        self.surfaces.push(surface.into());
        self.stem_of.push(stem_id);
        self.ids.insert(surface.into(), id);
        id
    }

    /// Registers the words a batch's thread vocabulary gained; returns that vocabulary's
    /// thread id -> global id map.
    pub fn register(&mut self, batch: &mut Batch) -> &[u32] {
        let words = std::mem::take(&mut batch.new_words);
        let ids: Vec<u32> = words
            .iter()
            .map(|(w, s)| self.intern(w, s.as_deref()))
            .collect();
        let map = self.thread_maps.entry(batch.vocab).or_default();
        let end = batch.first_new as usize + ids.len();
        if map.len() < end {
            map.resize(end, u32::MAX);
        }
        map[batch.first_new as usize..end].copy_from_slice(&ids);
        map
    }

    /// The thread id -> global id map of a thread vocabulary.
    pub fn thread_map(&self, vocab: u64) -> &[u32] {
        self.thread_maps.get(&vocab).map_or(&[], Vec::as_slice)
    }
}

/// A stem's postings while documents are added: (doc delta, counts) varints.
#[derive(Default)]
struct RawList {
    next: u32,
    count: u32,
    bytes: Vec<u8>,
}

/// Facet values and combinations.
#[derive(Default)]
pub(super) struct Facets {
    names: Vec<String>,
    labels: Vec<String>,
    value_labels: Vec<FxHashMap<String, String>>,
    /// Global value id -> (facet, value, total documents).
    values: Vec<(u32, String, u32)>,
    value_ids: FxHashMap<(u32, String), u32>,
    combos: Vec<Vec<u32>>,
    combo_ids: FxHashMap<Vec<u32>, u32>,
}

impl Facets {
    /// The facet table: facet names and labels, values with their counts and labels, and the
    /// combinations.
    pub(super) fn json(&self) -> Vec<u8> {
        #[derive(Serialize)]
        struct Facet<'a> {
            name: &'a str,
            label: &'a str,
        }
        #[derive(Serialize)]
        struct Table<'a> {
            facets: Vec<Facet<'a>>,
            /// [facet, value, label, documents] by value id.
            values: Vec<(u32, &'a str, &'a str, u32)>,
            /// Value ids by combination id.
            combos: &'a [Vec<u32>],
        }
        let f = self;
        let table = Table {
            facets: f
                .names
                .iter()
                .zip(&f.labels)
                .map(|(name, label)| Facet { name, label })
                .collect(),
            values: f
                .values
                .iter()
                .map(|(facet, value, total)| {
                    let label = f.value_labels[*facet as usize]
                        .get(value)
                        .map_or(value.as_str(), String::as_str);
                    (*facet, value.as_str(), label, *total)
                })
                .collect(),
            combos: &f.combos,
        };
        serde_json::to_vec(&table).unwrap_or_default()
    }

    pub(super) fn new(defs: &[FacetDef]) -> Facets {
        let mut f = Facets::default();
        for d in defs {
            f.names.push(d.name.clone());
            f.labels.push(d.label.clone());
            f.value_labels
                .push(d.value_labels.iter().cloned().collect::<FxHashMap<_, _>>());
        }
        // Combination 0: no facet value.
        f.combos.push(Vec::new());
        f.combo_ids.insert(Vec::new(), 0);
        f
    }

    pub(super) fn combo(&mut self, facets: &[(String, Vec<String>)]) -> u32 {
        let mut combo = Vec::new();
        for (name, values) in facets {
            let facet = match self.names.iter().position(|n| n == name) {
                Some(i) => i as u32,
                None => {
                    self.names.push(name.clone());
                    self.labels.push(name.clone());
                    self.value_labels.push(FxHashMap::default());
                    (self.names.len() - 1) as u32
                }
            };
            for v in values {
                let key = (facet, v.clone());
                let id = match self.value_ids.get(&key) {
                    Some(&id) => id,
                    None => {
                        let id = self.values.len() as u32;
                        self.values.push((facet, v.clone(), 0));
                        self.value_ids.insert(key, id);
                        id
                    }
                };
                combo.push(id);
            }
        }
        combo.sort_unstable();
        combo.dedup();
        for &v in &combo {
            self.values[v as usize].2 += 1;
        }
        if let Some(&id) = self.combo_ids.get(&combo) {
            return id;
        }
        let id = self.combos.len() as u32;
        self.combo_ids.insert(combo.clone(), id);
        self.combos.push(combo);
        id
    }
}

/// What the sink receives: (path under the output root, bytes).
pub type Sink<'a, E> = dyn FnMut(&str, Vec<u8>) -> Result<(), E> + Send + 'a;

/// Fragments, `FRAG_GROUP` documents to a file, emitted a chunk of `FRAG_CHUNK` documents at a time
/// under a folder named by the chunk's content hash: `frag/<hash>/<doc>.json`. The manifest
/// lists the chunks' hashes, so a document's fragment is found with no lookup in between.
#[derive(Default)]
struct Fragments {
    chunk: Vec<Vec<u8>>,
    first: u32,
    hashes: Vec<String>,
    files: usize,
    bytes: u64,
}

impl Fragments {
    fn push<E>(&mut self, doc: u32, fragment: &[u8], sink: &mut Sink<'_, E>) -> Result<(), E> {
        if doc.is_multiple_of(FRAG_CHUNK) && doc > 0 {
            self.flush(sink)?;
        }
        self.chunk.push(numbered(doc, fragment));
        Ok(())
    }

    fn flush<E>(&mut self, sink: &mut Sink<'_, E>) -> Result<(), E> {
        if self.chunk.is_empty() {
            return Ok(());
        }
        let mut hash = self.chunk.len() as u64;
        for f in &self.chunk {
            hash = (hash ^ format::content_hash(f))
                .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                .rotate_left(31);
        }
        let folder = format!("{hash:016x}");
        let chunk = std::mem::take(&mut self.chunk);
        for (g, group) in chunk.chunks(FRAG_GROUP as usize).enumerate() {
            let file = json_array(group.iter().map(Vec::as_slice));
            self.files += 1;
            self.bytes += file.len() as u64;
            let number = self.first / FRAG_GROUP + g as u32;
            sink(&format!("{INDEX_DIR}/frag/{folder}/{number}.json"), file)?;
        }
        self.hashes.push(folder);
        self.first += FRAG_CHUNK;
        Ok(())
    }
}

/// Step 2's state: postings per stem, document lengths and facets, fragments on their way out.
pub struct Inverted {
    lists: Vec<RawList>,
    surface_df: Vec<u32>,
    doc_len: Vec<u32>,
    doc_combo: Vec<u32>,
    facets: Facets,
    fragments: Fragments,
    /// Per stem: the document it was last counted for (+1) and where, during `add_doc`.
    stamp: Vec<u32>,
    slot: Vec<u32>,
    scratch: Vec<(u32, u32)>,
    words: u64,
    postings: u64,
}

impl Inverted {
    pub fn new(options: &IndexOptions) -> Inverted {
        Inverted {
            lists: Vec::new(),
            surface_df: Vec::new(),
            doc_len: Vec::new(),
            doc_combo: Vec::new(),
            facets: Facets::new(&options.facets),
            fragments: Fragments::default(),
            stamp: Vec::new(),
            slot: Vec::new(),
            scratch: Vec::new(),
            words: 0,
            postings: 0,
        }
    }

    /// Adds the next document: its terms as (global surface id, counts), its fragment.
    pub fn add_doc<E>(
        &mut self,
        vocab: &Vocab,
        terms: impl Iterator<Item = (u32, u32)>,
        length: u32,
        fragment: &[u8],
        facets: &[(String, Vec<String>)],
        sink: &mut Sink<'_, E>,
    ) -> Result<(), E> {
        let doc = self.doc_len.len() as u32;
        let stems = vocab.stems.len();
        if self.lists.len() < stems {
            self.lists.resize_with(stems, RawList::default);
            self.stamp.resize(stems, 0);
            self.slot.resize(stems, 0);
        }
        if self.surface_df.len() < vocab.surfaces.len() {
            self.surface_df.resize(vocab.surfaces.len(), 0);
        }
        self.scratch.clear();
        for (surface, stats) in terms {
            self.surface_df[surface as usize] += 1;
            let stem = vocab.stem_of[surface as usize];
            let s = stem as usize;
            if self.stamp[s] == doc + 1 {
                let e = &mut self.scratch[self.slot[s] as usize];
                let tf = (e.1 >> FLAG_BITS) + (stats >> FLAG_BITS);
                e.1 = (tf << FLAG_BITS) | ((e.1 | stats) & ((1 << FLAG_BITS) - 1));
            } else {
                self.stamp[s] = doc + 1;
                self.slot[s] = self.scratch.len() as u32;
                self.scratch.push((stem, stats));
            }
        }
        for &(stem, stats) in &self.scratch {
            let list = &mut self.lists[stem as usize];
            put_varint(&mut list.bytes, u64::from(doc - list.next));
            put_varint(&mut list.bytes, u64::from(stats));
            list.next = doc;
            list.count += 1;
        }
        self.postings += self.scratch.len() as u64;
        self.words += u64::from(length);
        self.doc_len.push(length);
        let combo = self.facets.combo(facets);
        self.doc_combo.push(combo);
        self.fragments.push(doc, fragment, sink)
    }

    /// Step 3: writes everything that is left and the manifest.
    pub fn finish<E>(
        mut self,
        vocab: &Vocab,
        options: &IndexOptions,
        stemmed: bool,
        sink: &mut Sink<'_, E>,
    ) -> Result<IndexStats, E> {
        let documents = self.doc_len.len();
        self.fragments.flush(sink)?;
        let mut out = Emitter {
            sink,
            files: self.fragments.files,
            bytes: self.fragments.bytes,
        };

        // Postings, stem by stem in sorted order.
        let avg = if documents == 0 {
            1.0
        } else {
            self.words as f32 / documents as f32
        };
        let nstems = vocab.stems.len().min(self.lists.len());
        let mut order: Vec<u32> = (0..nstems as u32)
            .filter(|&s| self.lists[s as usize].count > 0)
            .collect();
        order.par_sort_unstable_by(|&a, &b| vocab.stems[a as usize].cmp(&vocab.stems[b as usize]));
        // Surface forms of each stem, most frequent first.
        let mut forms: Vec<(u32, u32)> = (0..self.surface_df.len() as u32)
            .filter(|&w| self.surface_df[w as usize] > 0)
            .map(|w| (vocab.stem_of[w as usize], w))
            .collect();
        forms.par_sort_unstable_by(|a, b| {
            a.0.cmp(&b.0)
                .then(self.surface_df[b.1 as usize].cmp(&self.surface_df[a.1 as usize]))
                .then(vocab.surfaces[a.1 as usize].cmp(&vocab.surfaces[b.1 as usize]))
        });
        let mut forms_start = vec![0u32; nstems + 1];
        for &(stem, _) in &forms {
            forms_start[stem as usize + 1] += 1;
        }
        for i in 0..nstems {
            forms_start[i + 1] += forms_start[i];
        }

        // Per stem: its segments, as indexes into `segments` (file, offset, length).
        let mut seg_start = vec![0u32; nstems + 1];
        let mut seg_of: Vec<(u32, u32)> = vec![(0, 0); nstems];
        let mut segments: Vec<(u32, u32, u32)> = Vec::with_capacity(order.len() + 64);
        let mut file_hashes: Vec<u64> = Vec::new();
        // Per stem: its postings when they go inline in the dictionary, as (start, length) in
        // `inline` (length 0: in postings files).
        let mut inline_of: Vec<(u32, u32)> = vec![(0, 0); nstems];
        let mut inline: Vec<u8> = Vec::new();
        let mut pack = format::start_file(POSTINGS_MAGIC);
        // Stems are encoded on every core a block at a time, then packed in order.
        const BLOCK: usize = 4096;
        for block in order.chunks(BLOCK) {
            let encoded: Vec<(Vec<u8>, Vec<Vec<u8>>)> = block
                .par_iter()
                .map(|&stem| {
                    let s = stem as usize;
                    let forms = &forms[forms_start[s] as usize..forms_start[s + 1] as usize];
                    encode_stem(
                        self.lists[s].iter(),
                        forms.iter().map(|&(_, w)| &*vocab.surfaces[w as usize]),
                        &self.doc_len,
                        avg,
                    )
                })
                .collect();
            for (&stem, (record, chunks)) in block.iter().zip(encoded) {
                let s = stem as usize;
                let documents = self.lists[s].count as usize;
                self.lists[s] = RawList::default();
                seg_start[s] = segments.len() as u32;
                let nforms = (forms_start[s + 1] - forms_start[s]) as usize;
                if let Some(bytes) = inline_postings(&record, &chunks, nforms, documents) {
                    inline_of[s] = (inline.len() as u32, bytes.len() as u32);
                    inline.extend_from_slice(&bytes);
                } else if chunks.len() == 1 && record.len() + chunks[0].len() <= POSTINGS_MAX_BYTES
                {
                    let size = record.len() + chunks[0].len();
                    if pack.len() > 8 && pack.len() + size > POSTINGS_PACK_BYTES {
                        flush_pack(&mut pack, &mut file_hashes, &mut out)?;
                    }
                    let offset = pack.len() as u32;
                    pack.extend_from_slice(&record);
                    pack.extend_from_slice(&chunks[0]);
                    segments.push((file_hashes.len() as u32, offset, size as u32));
                    if pack.len() >= POSTINGS_PACK_BYTES {
                        flush_pack(&mut pack, &mut file_hashes, &mut out)?;
                    }
                } else {
                    // A long list: each chunk in a file of its own (the first with the forms).
                    if pack.len() > 8 {
                        flush_pack(&mut pack, &mut file_hashes, &mut out)?;
                    }
                    for (i, c) in chunks.iter().enumerate() {
                        if i == 0 {
                            pack.extend_from_slice(&record);
                        }
                        pack.extend_from_slice(c);
                        let size = pack.len() - 8;
                        segments.push((file_hashes.len() as u32, 8, size as u32));
                        flush_pack(&mut pack, &mut file_hashes, &mut out)?;
                    }
                }
                seg_of[s] = (seg_start[s], segments.len() as u32 - seg_start[s]);
            }
        }
        if pack.len() > 8 {
            flush_pack(&mut pack, &mut file_hashes, &mut out)?;
        }
        drop(forms);
        self.lists = Vec::new();

        // Dictionary shards over the sorted surface terms that occur.
        let mut words: Vec<u32> = (0..self.surface_df.len() as u32)
            .filter(|&w| self.surface_df[w as usize] > 0)
            .collect();
        words.par_sort_unstable_by(|&a, &b| {
            vocab.surfaces[a as usize].cmp(&vocab.surfaces[b as usize])
        });
        let mut shards: Vec<(String, String)> = Vec::new();
        let mut shard = DictShard::default();
        for &w in &words {
            let word = &vocab.surfaces[w as usize];
            if shard.size() >= DICT_SHARD_BYTES {
                let (first, data) = shard.finish();
                let name = format::hashed_name("dict", format::content_hash(&data), "bin");
                shards.push((first, name.clone()));
                out.emit(name, data)?;
                shard = DictShard::default();
            }
            let stem = vocab.stem_of[w as usize];
            let postings = match inline_of[stem as usize] {
                (at, len) if len > 0 => {
                    Stored::Inline(inline[at as usize..(at + len) as usize].to_vec())
                }
                _ => {
                    let (start, n) = seg_of[stem as usize];
                    Stored::Files(
                        segments[start as usize..(start + n) as usize]
                            .iter()
                            .map(|&(file, offset, len)| (file_hashes[file as usize], offset, len))
                            .collect(),
                    )
                }
            };
            shard.add(word, stem, self.surface_df[w as usize], &postings);
        }
        if !shard.entries_empty() {
            let (first, data) = shard.finish();
            let name = format::hashed_name("dict", format::content_hash(&data), "bin");
            shards.push((first, name.clone()));
            out.emit(name, data)?;
        }

        // Facets: the table, then each document's combination in chunks.
        let facets_json = self.facets.json();
        let facets_name = format::hashed_name("facets", format::content_hash(&facets_json), "json");
        out.emit(facets_name.clone(), facets_json)?;
        let mut facet_chunks = Vec::new();
        for (k, combos) in self.doc_combo.chunks(FACET_CHUNK as usize).enumerate() {
            let data = facet_docs(k, combos);
            let name = format::hashed_name("facetdocs", format::content_hash(&data), "bin");
            facet_chunks.push(name.clone());
            out.emit(name, data)?;
        }

        let manifest = Manifest {
            version: format::FORMAT_VERSION,
            documents: documents as u64,
            language: &options.language,
            stemmed,
            impact_max: IMPACT_MAX,
            dict: shards,
            frag_chunk: FRAG_CHUNK,
            frag_group: FRAG_GROUP,
            frags: &self.fragments.hashes,
            facets: facets_name,
            facet_chunk: FACET_CHUNK,
            facet_docs: facet_chunks,
        };
        let data = serde_json::to_vec(&manifest).unwrap_or_default();
        out.files += 1;
        out.bytes += data.len() as u64;
        (out.sink)(super::MANIFEST, data)?;
        Ok(IndexStats {
            documents,
            words: self.words,
            terms: words.len(),
            stems: order.len(),
            postings: self.postings,
            files: out.files,
            bytes: out.bytes,
        })
    }
}

/// A stem's record: its surface forms (most frequent first, at most 32), then its postings with
/// impacts as (count, pairs) chunks of at most `POSTINGS_MAX_BYTES`, each counted from doc 0.
/// `postings` are (document, `tf << 3 | flags`), in document order.
pub(super) fn encode_stem<'w>(
    postings: impl Iterator<Item = (u32, u32)>,
    forms: impl Iterator<Item = &'w str>,
    doc_len: &[u32],
    avg: f32,
) -> (Vec<u8>, Vec<Vec<u8>>) {
    const MAX_FORMS: usize = 32;
    let forms: Vec<&str> = forms.take(MAX_FORMS).collect();
    let mut record = Vec::with_capacity(32);
    put_varint(&mut record, forms.len() as u64);
    for form in forms {
        put_str(&mut record, form);
    }
    let mut chunks = Vec::new();
    let mut chunk = Vec::new();
    let mut chunk_count = 0u64;
    let mut prev = 0u32;
    let budget_first = POSTINGS_MAX_BYTES.saturating_sub(record.len() + 16);
    let mut pair = Vec::with_capacity(8);
    for (doc, stats) in postings {
        let length = doc_len.get(doc as usize).copied().unwrap_or(0);
        let imp = impact(stats, length, avg);
        let exact = u64::from(stats & EXACT_ID != 0);
        pair.clear();
        put_varint(&mut pair, (u64::from(doc - prev) << 1) | exact);
        pair.push(imp);
        let budget = if chunks.is_empty() {
            budget_first
        } else {
            POSTINGS_MAX_BYTES - 16
        };
        if chunk_count > 0 && chunk.len() + pair.len() > budget {
            let mut done = Vec::with_capacity(chunk.len() + 5);
            put_varint(&mut done, chunk_count);
            done.extend_from_slice(&chunk);
            chunks.push(done);
            chunk.clear();
            chunk_count = 0;
            // A new chunk starts from document 0 again.
            pair.clear();
            put_varint(&mut pair, (u64::from(doc) << 1) | exact);
            pair.push(imp);
        }
        chunk.extend_from_slice(&pair);
        chunk_count += 1;
        prev = doc;
    }
    let mut done = Vec::with_capacity(chunk.len() + 5);
    put_varint(&mut done, chunk_count);
    done.extend_from_slice(&chunk);
    chunks.push(done);
    (record, chunks)
}

impl RawList {
    /// The postings as written: (document, counts), in document order.
    fn iter(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        let mut r = format::Reader::at(&self.bytes, 0);
        let mut doc = 0u32;
        (0..self.count).map(move |_| {
            // Our own encoding, just written: it decodes.
            doc += r.varint().unwrap_or(0) as u32;
            let stats = r.varint().unwrap_or(0) as u32;
            (doc, stats)
        })
    }
}

/// A document's fragment with its number in front, `{"n":<doc>,...}`: the client checks it got
/// the document it asked for.
pub(super) fn numbered(doc: u32, fragment: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(fragment.len() + 16);
    bytes.extend_from_slice(format!("{{\"n\":{doc},").as_bytes());
    bytes.extend_from_slice(fragment.get(1..).unwrap_or_default());
    bytes
}

/// A fragment file: a JSON array of a group's fragments, in document order.
pub(super) fn json_array<'a>(items: impl Iterator<Item = &'a [u8]>) -> Vec<u8> {
    let mut file = vec![b'['];
    for (k, item) in items.enumerate() {
        if k > 0 {
            file.push(b',');
        }
        file.extend_from_slice(item);
    }
    file.push(b']');
    file
}

/// The `k`th facet chunk: each of its documents' combination.
pub(super) fn facet_docs(k: usize, combos: &[u32]) -> Vec<u8> {
    let mut data = format::start_file(FACET_DOCS_MAGIC);
    put_varint(&mut data, k as u64 * u64::from(FACET_CHUNK));
    put_varint(&mut data, combos.len() as u64);
    for &c in combos {
        put_varint(&mut data, u64::from(c));
    }
    format::finish_file(&mut data);
    data
}

/// The sink, counting what passes through it.
struct Emitter<'s, 'a, E> {
    sink: &'s mut Sink<'a, E>,
    files: usize,
    bytes: u64,
}

impl<E> Emitter<'_, '_, E> {
    /// Writes `data` as `search-index/{name}`.
    fn emit(&mut self, name: String, data: Vec<u8>) -> Result<(), E> {
        self.files += 1;
        self.bytes += data.len() as u64;
        (self.sink)(&format!("{INDEX_DIR}/{name}"), data)
    }
}

/// Closes the postings file being packed and starts the next.
fn flush_pack<E>(
    pack: &mut Vec<u8>,
    file_hashes: &mut Vec<u64>,
    out: &mut Emitter<'_, '_, E>,
) -> Result<(), E> {
    let mut data = std::mem::replace(pack, format::start_file(POSTINGS_MAGIC));
    format::finish_file(&mut data);
    let hash = format::content_hash(&data);
    file_hashes.push(hash);
    out.emit(format::hashed_name("post", hash, "bin"), data)
}

#[derive(Serialize)]
pub(super) struct Manifest<'a> {
    pub(super) version: u32,
    pub(super) documents: u64,
    pub(super) language: &'a str,
    pub(super) stemmed: bool,
    pub(super) impact_max: f32,
    /// [first word, file] per dictionary shard, in order.
    pub(super) dict: Vec<(String, String)>,
    pub(super) frag_chunk: u32,
    /// Documents per fragment file.
    pub(super) frag_group: u32,
    /// Per chunk of `frag_chunk` documents, the folder of their fragments.
    pub(super) frags: &'a [String],
    pub(super) facets: String,
    pub(super) facet_chunk: u32,
    pub(super) facet_docs: Vec<String>,
}

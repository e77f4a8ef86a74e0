//! The index for `serve`: documents are added, replaced and removed one at a time, and the index
//! files are answered from memory, each encoded when first asked for and kept until something it
//! holds changes. An edit touches only what the edited document is in: the postings of its stems,
//! the dictionary shards that list its words (and its stems' other forms), its fragment chunk
//! and, when its facets changed, the facet files. Nothing is re-inverted, so an edit at 100,000
//! documents costs what the document costs.
//!
//! The files have the build's format (`search.js` reads both), with two differences that only
//! the server sees: every stem's postings are a file of their own, and files are named by what
//! they are and their version (not by a hash of their bytes, which would need them encoded
//! before the manifest could name them). Impacts use the average document length of the first
//! index, so that an edit does not change every posting of the archive.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::dict::{DictShard, Stored, inline_postings};
use super::format::{self, FxHasher, POSTINGS_MAGIC};
use super::invert::{
    DICT_SHARD_BYTES, FACET_CHUNK, FRAG_CHUNK, FRAG_GROUP, Facets, IMPACT_MAX, Manifest,
    POSTINGS_MAX_BYTES, Vocab, encode_stem, facet_docs, json_array, new_generation, numbered,
    prepare_batch, release_thread_vocab,
};
use super::prepare::Prepared;
use super::tokenize::Stemmer;
use super::{INDEX_DIR, IndexOptions, IndexStats, MANIFEST, SearchDoc};

/// One document as the live index keeps it.
struct LiveDoc {
    url: String,
    /// Its surface words (global ids), each once.
    surfaces: Vec<u32>,
    /// Its stems with their counts and flags (`tf << 3 | flags`), sorted by stem.
    stems: Vec<(u32, u32)>,
    length: u32,
    fragment: Vec<u8>,
    facets: Vec<(String, Vec<String>)>,
}

/// What a file name stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Shard(usize),
    /// A stem's postings, chunk `n`.
    Postings(u32, u32),
    /// Fragment chunk `k`, group `g` (a file of `FRAG_GROUP` documents).
    Fragments(u32, u32),
    FacetTable,
    FacetDocs(usize),
}

/// The facet table and each document chunk's combinations.
type FacetFiles = (Arc<[u8]>, Vec<Arc<[u8]>>);

/// Files encoded so far, until what they hold changes.
#[derive(Default)]
struct Encoded {
    files: HashMap<String, Arc<[u8]>>,
    /// Per stem: where its postings are (files, or inline in the dictionary), and the files'
    /// paths.
    stems: HashMap<u32, (Arc<Stored>, Vec<String>)>,
    manifest: Option<Arc<[u8]>>,
    /// Name (path under the output root) -> what it is, for the names handed out.
    names: HashMap<String, Target>,
    /// The facet table and each document's combination, made together.
    facets: Option<FacetFiles>,
}

/// An index held in memory and kept up to date document by document.
pub struct LiveIndex {
    options: IndexOptions,
    stemmer: Stemmer,
    vocab: Vocab,
    docs: Vec<LiveDoc>,
    /// Each document's length, for impacts.
    doc_len: Vec<u32>,
    by_url: HashMap<String, usize>,
    /// Per stem: (document, counts), in document order.
    postings: Vec<Vec<(u32, u32)>>,
    /// Per surface word: the documents that hold it.
    surface_df: Vec<u32>,
    /// Per stem: the surface words seen for it.
    stem_forms: Vec<Vec<u32>>,
    /// The words some document holds, sorted: the dictionary.
    words: BTreeMap<Box<str>, u32>,
    /// The first word of each dictionary shard; shard `i` holds the words from its first up to
    /// the next shard's. Fixed when the index is made: new words join the shard they sort into.
    shard_firsts: Vec<Box<str>>,
    avg_length: f32,
    stem_versions: Vec<u32>,
    shard_versions: Vec<u32>,
    frag_versions: Vec<u32>,
    facet_version: u32,
    /// Makes this index's names differ from an earlier one's (a restarted server).
    salt: u64,
    encoded: Mutex<Encoded>,
}

impl LiveIndex {
    pub fn new(options: IndexOptions) -> LiveIndex {
        LiveIndex::with_docs(Vec::new(), options)
    }

    /// An index of `docs`, tokenized on every core.
    pub fn with_docs(docs: Vec<SearchDoc>, options: IndexOptions) -> LiveIndex {
        let stemmer = Stemmer::for_language(&options.language);
        let mut index = LiveIndex {
            stemmer,
            options,
            vocab: Vocab::default(),
            docs: Vec::new(),
            doc_len: Vec::new(),
            by_url: HashMap::new(),
            postings: Vec::new(),
            surface_df: Vec::new(),
            stem_forms: Vec::new(),
            words: BTreeMap::new(),
            shard_firsts: Vec::new(),
            avg_length: 1.0,
            stem_versions: Vec::new(),
            shard_versions: Vec::new(),
            frag_versions: Vec::new(),
            facet_version: 0,
            salt: new_generation() ^ process_salt(),
            encoded: Mutex::new(Encoded::default()),
        };
        let language = index.options.language.clone();
        let generation = new_generation();
        let mut batches: Vec<_> = docs
            .par_chunks(64)
            .map(|chunk| prepare_batch(chunk, generation, &language, stemmer))
            .collect();
        rayon::broadcast(|_| release_thread_vocab());
        for batch in &mut batches {
            index.vocab.register(batch);
        }
        let urls = docs.into_iter().map(|d| d.url);
        let prepared = batches.into_iter().flat_map(|b| {
            let vocab = b.vocab;
            b.docs.into_iter().map(move |d| (vocab, d))
        });
        for ((vocab, doc), url) in prepared.zip(urls) {
            let ids = index.vocab.thread_map(vocab).to_vec();
            let live = index.live_doc(url, doc, &ids);
            index.append(live);
        }
        let words: u64 = index.docs.iter().map(|d| u64::from(d.length)).sum();
        if !index.docs.is_empty() {
            index.avg_length = words as f32 / index.docs.len() as f32;
        }
        index.cut_shards();
        index
    }

    /// Adds a document, or replaces the one with the same URL (which keeps its place).
    pub fn upsert(&mut self, doc: SearchDoc) {
        let mut batch = prepare_batch(
            std::slice::from_ref(&doc),
            new_generation(),
            &self.options.language,
            self.stemmer,
        );
        release_thread_vocab();
        let ids = self.vocab.register(&mut batch).to_vec();
        let Some(prepared) = batch.docs.into_iter().next() else {
            return;
        };
        let live = self.live_doc(doc.url, prepared, &ids);
        self.insert(live);
    }

    /// Removes the document at `url`; returns whether there was one. The documents after it
    /// move up one place, so the index is laid out afresh (removals are rare: a file deleted).
    pub fn remove(&mut self, url: &str) -> bool {
        let Some(i) = self.by_url.remove(url) else {
            return false;
        };
        let mut docs = std::mem::take(&mut self.docs);
        docs.remove(i);
        self.doc_len.clear();
        self.by_url.clear();
        self.postings.iter_mut().for_each(Vec::clear);
        self.surface_df.iter_mut().for_each(|df| *df = 0);
        self.words.clear();
        for doc in docs {
            self.append(doc);
        }
        self.frag_versions
            .resize(self.docs.len().div_ceil(FRAG_CHUNK as usize).max(1), 0);
        self.stem_versions.iter_mut().for_each(|v| *v += 1);
        self.shard_versions.iter_mut().for_each(|v| *v += 1);
        self.frag_versions.iter_mut().for_each(|v| *v += 1);
        self.facet_version += 1;
        *self.lock() = Encoded::default();
        true
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// One index file by its path under the output root (`search-index/manifest.json`),
    /// encoded on the first request after a change to what it holds.
    pub fn file(&self, path: &str) -> Option<Arc<[u8]>> {
        let mut encoded = self.lock();
        if path == MANIFEST {
            return Some(self.manifest(&mut encoded));
        }
        if let Some(bytes) = encoded.files.get(path) {
            return Some(Arc::clone(bytes));
        }
        if encoded.manifest.is_none() {
            // Names are handed out with the manifest: a request for one before it is stale.
            self.manifest(&mut encoded);
        }
        let target = *encoded.names.get(path)?;
        let bytes = match target {
            Target::Shard(i) => self.encode_shard(&mut encoded, i),
            Target::Postings(stem, _) => {
                self.stem_segments(&mut encoded, stem);
                return encoded.files.get(path).cloned();
            }
            Target::Fragments(k, g) => self.fragment_group(k, g),
            Target::FacetTable => self.facets(&mut encoded).0,
            Target::FacetDocs(k) => self.facets(&mut encoded).1.get(k)?.clone(),
        };
        encoded.files.insert(path.to_string(), Arc::clone(&bytes));
        Some(bytes)
    }

    /// What the current index holds.
    pub fn stats(&self) -> IndexStats {
        IndexStats {
            documents: self.docs.len(),
            words: self.docs.iter().map(|d| u64::from(d.length)).sum(),
            terms: self.words.len(),
            stems: self.postings.iter().filter(|p| !p.is_empty()).count(),
            postings: self.postings.iter().map(|p| p.len() as u64).sum(),
            files: self.lock().files.len(),
            bytes: 0,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Encoded> {
        // A poisoned lock only means an earlier encoding panicked; what it holds is dropped.
        self.encoded.lock().unwrap_or_else(|poisoned| {
            let mut guard = poisoned.into_inner();
            *guard = Encoded::default();
            guard
        })
    }

    /// A prepared document in global ids: its surfaces once each, its stems with summed counts.
    fn live_doc(&self, url: String, doc: Prepared, ids: &[u32]) -> LiveDoc {
        let mut stems: BTreeMap<u32, u32> = BTreeMap::new();
        let mut surfaces = Vec::with_capacity(doc.terms.len());
        for &(w, stats) in &doc.terms {
            let surface = ids[w as usize];
            surfaces.push(surface);
            let stem = self.vocab.stem_of[surface as usize];
            stems
                .entry(stem)
                .and_modify(|e| {
                    let tf = (*e >> 3) + (stats >> 3);
                    *e = (tf << 3) | ((*e | stats) & 0b111);
                })
                .or_insert(stats);
        }
        surfaces.sort_unstable();
        surfaces.dedup();
        LiveDoc {
            url,
            surfaces,
            stems: stems.into_iter().collect(),
            length: doc.length,
            fragment: doc.fragment,
            facets: doc.facets,
        }
    }

    /// Adds `doc` at the end, marking nothing: the index is being made (or laid out afresh).
    fn append(&mut self, doc: LiveDoc) {
        self.grow();
        let number = self.docs.len() as u32;
        for &(stem, stats) in &doc.stems {
            self.postings[stem as usize].push((number, stats));
        }
        for &w in &doc.surfaces {
            self.add_word(w);
        }
        self.by_url.insert(doc.url.clone(), self.docs.len());
        self.doc_len.push(doc.length);
        self.docs.push(doc);
    }

    /// Counts one more document holding word `w`.
    fn add_word(&mut self, w: u32) {
        let df = &mut self.surface_df[w as usize];
        if *df == 0 {
            self.words
                .insert(self.vocab.surfaces[w as usize].clone(), w);
            let stem = self.vocab.stem_of[w as usize] as usize;
            if !self.stem_forms[stem].contains(&w) {
                self.stem_forms[stem].push(w);
            }
        }
        *df += 1;
    }

    /// Puts `doc` in its place (the one its URL had, else a new one at the end) and marks what
    /// changed.
    fn insert(&mut self, doc: LiveDoc) {
        self.grow();
        let (n, old) = match self.by_url.get(&doc.url) {
            Some(&n) => {
                self.doc_len[n] = doc.length;
                (n, Some(std::mem::replace(&mut self.docs[n], doc)))
            }
            None => {
                let n = self.docs.len();
                self.by_url.insert(doc.url.clone(), n);
                self.doc_len.push(doc.length);
                self.docs.push(doc);
                (n, None)
            }
        };
        let number = n as u32;
        let mut changed_stems: BTreeSet<u32> = BTreeSet::new();
        let mut changed_words: BTreeSet<u32> = BTreeSet::new();
        if let Some(old) = &old {
            for &(stem, _) in &old.stems {
                let list = &mut self.postings[stem as usize];
                if let Ok(at) = list.binary_search_by_key(&number, |&(d, _)| d) {
                    list.remove(at);
                }
                changed_stems.insert(stem);
            }
            for &w in &old.surfaces {
                self.surface_df[w as usize] -= 1;
                changed_words.insert(w);
                if self.surface_df[w as usize] == 0 {
                    self.words.remove(&self.vocab.surfaces[w as usize]);
                }
            }
        }
        let new = &self.docs[n];
        for &(stem, stats) in &new.stems {
            let list = &mut self.postings[stem as usize];
            match list.binary_search_by_key(&number, |&(d, _)| d) {
                Ok(at) => list[at] = (number, stats),
                Err(at) => list.insert(at, (number, stats)),
            }
            changed_stems.insert(stem);
        }
        let surfaces = new.surfaces.clone();
        for w in surfaces {
            self.add_word(w);
            changed_words.insert(w);
        }
        // A stem's file holds its forms too: every shard that lists one of its forms changes.
        let mut shards: BTreeSet<usize> = changed_words
            .iter()
            .map(|&w| self.shard_of(&self.vocab.surfaces[w as usize]))
            .collect();
        for &stem in &changed_stems {
            self.stem_versions[stem as usize] += 1;
            for &w in &self.stem_forms[stem as usize] {
                shards.insert(self.shard_of(&self.vocab.surfaces[w as usize]));
            }
        }
        for &i in &shards {
            self.shard_versions[i] += 1;
        }
        let chunk = (number / FRAG_CHUNK) as usize;
        if self.frag_versions.len() <= chunk {
            self.frag_versions.resize(chunk + 1, 0);
        }
        self.frag_versions[chunk] += 1;
        let facets_changed = old.is_none_or(|o| o.facets != self.docs[n].facets);
        if facets_changed {
            self.facet_version += 1;
        }
        let mut encoded = self.lock();
        encoded.manifest = None;
        for stem in changed_stems {
            if let Some((_, paths)) = encoded.stems.remove(&stem) {
                for path in paths {
                    encoded.files.remove(&path);
                    encoded.names.remove(&path);
                }
            }
        }
        if facets_changed {
            encoded.facets = None;
        }
    }

    /// Makes room for words and stems the vocabulary gained.
    fn grow(&mut self) {
        let (surfaces, stems) = (self.vocab.surfaces.len(), self.vocab.stems.len());
        if self.surface_df.len() < surfaces {
            self.surface_df.resize(surfaces, 0);
        }
        if self.postings.len() < stems {
            self.postings.resize_with(stems, Vec::new);
            self.stem_forms.resize_with(stems, Vec::new);
            self.stem_versions.resize(stems, 0);
        }
    }

    /// Cuts the dictionary into shards of about `DICT_SHARD_BYTES` (estimated from the words).
    fn cut_shards(&mut self) {
        let mut firsts: Vec<Box<str>> = Vec::new();
        let mut size = usize::MAX;
        let mut stems = BTreeSet::new();
        for (word, &w) in &self.words {
            if size >= DICT_SHARD_BYTES {
                firsts.push(word.clone());
                size = 0;
                stems.clear();
            }
            size += word.len() + 6;
            if stems.insert(self.vocab.stem_of[w as usize]) {
                size += 12;
            }
        }
        if firsts.is_empty() {
            firsts.push("".into());
        }
        // The first shard holds everything before the second one's first word.
        firsts[0] = "".into();
        self.shard_versions = vec![0; firsts.len()];
        self.shard_firsts = firsts;
        self.frag_versions = vec![0; self.docs.len().div_ceil(FRAG_CHUNK as usize).max(1)];
    }

    fn shard_of(&self, word: &str) -> usize {
        self.shard_firsts
            .partition_point(|first| &**first <= word)
            .saturating_sub(1)
    }

    /// A name for something at a version: `hash(kind, id, version, salt)`.
    fn name_hash(&self, kind: u64, id: u64, version: u32) -> u64 {
        let mut h = FxHasher::default();
        for v in [kind, id, u64::from(version), self.salt] {
            std::hash::Hasher::write_u64(&mut h, v);
        }
        std::hash::Hasher::finish(&h)
    }

    fn manifest(&self, encoded: &mut Encoded) -> Arc<[u8]> {
        if let Some(m) = &encoded.manifest {
            return Arc::clone(m);
        }
        let mut names = HashMap::new();
        let mut dict = Vec::with_capacity(self.shard_firsts.len());
        for (i, first) in self.shard_firsts.iter().enumerate() {
            let name = format::hashed_name(
                "dict",
                self.name_hash(1, i as u64, self.shard_versions[i]),
                "bin",
            );
            names.insert(format!("{INDEX_DIR}/{name}"), Target::Shard(i));
            // The first shard starts with the first word there is.
            let shown = if i == 0 {
                self.words.keys().next().map_or("", |w| &**w)
            } else {
                &**first
            };
            dict.push((shown.to_string(), name));
        }
        let chunks = self.docs.len().div_ceil(FRAG_CHUNK as usize);
        let mut frags = Vec::with_capacity(chunks);
        for k in 0..chunks {
            let version = self.frag_versions.get(k).copied().unwrap_or(0);
            let folder = format!("{:016x}", self.name_hash(2, k as u64, version));
            let docs_in = (self.docs.len() - k * FRAG_CHUNK as usize).min(FRAG_CHUNK as usize);
            for g in 0..(docs_in as u32).div_ceil(FRAG_GROUP) {
                let number = k as u32 * (FRAG_CHUNK / FRAG_GROUP) + g;
                names.insert(
                    format!("{INDEX_DIR}/frag/{folder}/{number}.json"),
                    Target::Fragments(k as u32, number),
                );
            }
            frags.push(folder);
        }
        let facets =
            format::hashed_name("facets", self.name_hash(3, 0, self.facet_version), "json");
        names.insert(format!("{INDEX_DIR}/{facets}"), Target::FacetTable);
        let mut facet_docs = Vec::new();
        for k in 0..self.docs.len().div_ceil(FACET_CHUNK as usize) {
            let name = format::hashed_name(
                "facetdocs",
                self.name_hash(4, k as u64, self.facet_version),
                "bin",
            );
            names.insert(format!("{INDEX_DIR}/{name}"), Target::FacetDocs(k));
            facet_docs.push(name);
        }
        let manifest = Manifest {
            version: format::FORMAT_VERSION,
            documents: self.docs.len() as u64,
            language: &self.options.language,
            stemmed: self.stemmer.is_some(),
            impact_max: IMPACT_MAX,
            dict,
            frag_chunk: FRAG_CHUNK,
            frag_group: FRAG_GROUP,
            frags: &frags,
            facets,
            facet_chunk: FACET_CHUNK,
            facet_docs,
        };
        let bytes: Arc<[u8]> = serde_json::to_vec(&manifest).unwrap_or_default().into();
        // Shards, fragments and facets of earlier versions go with the manifest that named
        // them (postings go when their stem changes, in `insert`).
        encoded
            .files
            .retain(|path, _| names.contains_key(path) || path.contains("/post/"));
        encoded
            .names
            .retain(|_, t| matches!(t, Target::Postings(..)));
        encoded.names.extend(names);
        encoded.manifest = Some(Arc::clone(&bytes));
        bytes
    }

    /// Where the postings of `stem` are (its files encoded and named now if they are not).
    fn stem_segments(&self, encoded: &mut Encoded, stem: u32) -> Arc<Stored> {
        if let Some((stored, _)) = encoded.stems.get(&stem) {
            return Arc::clone(stored);
        }
        let s = stem as usize;
        let mut forms: Vec<u32> = self.stem_forms[s]
            .iter()
            .copied()
            .filter(|&w| self.surface_df[w as usize] > 0)
            .collect();
        forms.sort_by(|&a, &b| {
            self.surface_df[b as usize]
                .cmp(&self.surface_df[a as usize])
                .then(self.vocab.surfaces[a as usize].cmp(&self.vocab.surfaces[b as usize]))
        });
        let (record, chunks) = encode_stem(
            self.postings[s].iter().copied(),
            forms.iter().map(|&w| &*self.vocab.surfaces[w as usize]),
            &self.doc_len,
            self.avg_length,
        );
        if let Some(bytes) = inline_postings(&record, &chunks, forms.len(), self.postings[s].len())
        {
            let stored = Arc::new(Stored::Inline(bytes));
            encoded
                .stems
                .insert(stem, (Arc::clone(&stored), Vec::new()));
            return stored;
        }
        let mut segments = Vec::with_capacity(chunks.len());
        let mut paths = Vec::with_capacity(chunks.len());
        for (n, chunk) in chunks.iter().enumerate() {
            let mut data = format::start_file(POSTINGS_MAGIC);
            if n == 0 {
                data.extend_from_slice(&record);
            }
            data.extend_from_slice(chunk);
            debug_assert!(data.len() <= POSTINGS_MAX_BYTES + 64);
            let size = (data.len() - 8) as u32;
            format::finish_file(&mut data);
            let hash = self.name_hash(5, u64::from(stem) << 16 | n as u64, self.stem_versions[s]);
            let path = format!("{INDEX_DIR}/{}", format::hashed_name("post", hash, "bin"));
            encoded
                .names
                .insert(path.clone(), Target::Postings(stem, n as u32));
            encoded.files.insert(path.clone(), data.into());
            paths.push(path);
            segments.push((hash, 8, size));
        }
        let stored = Arc::new(Stored::Files(segments));
        encoded.stems.insert(stem, (Arc::clone(&stored), paths));
        stored
    }

    fn encode_shard(&self, encoded: &mut Encoded, i: usize) -> Arc<[u8]> {
        let start = self.shard_firsts.get(i).cloned().unwrap_or_default();
        let end = self.shard_firsts.get(i + 1).cloned();
        let range = self.words.range::<str, _>((
            std::ops::Bound::Included(&*start),
            match &end {
                Some(e) => std::ops::Bound::Excluded(&**e),
                None => std::ops::Bound::Unbounded,
            },
        ));
        let mut shard = DictShard::default();
        for (word, &w) in range {
            let stem = self.vocab.stem_of[w as usize];
            let postings = self.stem_segments(encoded, stem);
            shard.add(word, stem, self.surface_df[w as usize], &postings);
        }
        shard.finish().1.into()
    }

    /// Fragment file `number` (of chunk `_k`): `FRAG_GROUP` documents from `number * FRAG_GROUP`.
    fn fragment_group(&self, _k: u32, number: u32) -> Arc<[u8]> {
        let first = (number * FRAG_GROUP) as usize;
        let last = (first + FRAG_GROUP as usize).min(self.docs.len());
        let items: Vec<Vec<u8>> = (first..last)
            .map(|d| numbered(d as u32, &self.docs[d].fragment))
            .collect();
        json_array(items.iter().map(Vec::as_slice)).into()
    }

    /// The facet table and the combination chunks, made together from every document.
    fn facets(&self, encoded: &mut Encoded) -> FacetFiles {
        if let Some((table, chunks)) = &encoded.facets {
            return (Arc::clone(table), chunks.clone());
        }
        let mut facets = Facets::new(&self.options.facets);
        let combos: Vec<u32> = self.docs.iter().map(|d| facets.combo(&d.facets)).collect();
        let table: Arc<[u8]> = facets.json().into();
        let chunks: Vec<Arc<[u8]>> = combos
            .chunks(FACET_CHUNK as usize)
            .enumerate()
            .map(|(k, c)| facet_docs(k, c).into())
            .collect();
        encoded.facets = Some((Arc::clone(&table), chunks.clone()));
        (table, chunks)
    }
}

/// Differs between runs of the server, so a browser never mixes two runs' files.
fn process_salt() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

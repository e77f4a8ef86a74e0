//! The index for `serve`: documents are added, replaced and removed one at a time, and the
//! index files are answered from memory. Each document is tokenized once, when it changes;
//! its terms are kept as ids into a vocabulary that only grows, so re-encoding the index after
//! a change (on the first request for a file) is an inversion of ids, with no text to read again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::invert::{Inverted, Vocab, new_generation, prepare_batch, release_thread_vocab};
use super::tokenize::Stemmer;
use super::{IndexOptions, IndexStats, SearchDoc};

struct LiveDoc {
    url: String,
    /// (global surface id, counts).
    terms: Vec<(u32, u32)>,
    length: u32,
    fragment: Vec<u8>,
    facets: Vec<(String, Vec<String>)>,
}

type Files = HashMap<String, Arc<[u8]>>;

/// An index held in memory and kept up to date document by document.
pub struct LiveIndex {
    options: IndexOptions,
    stemmer: Stemmer,
    vocab: Vocab,
    docs: Vec<LiveDoc>,
    by_url: HashMap<String, usize>,
    /// The encoded files, until the next change.
    files: Mutex<Option<Arc<(Files, IndexStats)>>>,
}

impl LiveIndex {
    pub fn new(options: IndexOptions) -> LiveIndex {
        LiveIndex {
            stemmer: Stemmer::for_language(&options.language),
            options,
            vocab: Vocab::default(),
            docs: Vec::new(),
            by_url: HashMap::new(),
            files: Mutex::new(None),
        }
    }

    /// An index of `docs`, tokenized on every core.
    pub fn with_docs(docs: Vec<SearchDoc>, options: IndexOptions) -> LiveIndex {
        let mut index = LiveIndex::new(options);
        let language = index.options.language.clone();
        let stemmer = index.stemmer;
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
            let ids = index.vocab.thread_map(vocab);
            {
                let live = LiveDoc {
                    url,
                    terms: doc
                        .terms
                        .iter()
                        .map(|&(w, s)| (ids[w as usize], s))
                        .collect(),
                    length: doc.length,
                    fragment: doc.fragment,
                    facets: doc.facets,
                };
                index.put(live);
            }
        }
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
        self.put(LiveDoc {
            url: doc.url,
            terms: prepared
                .terms
                .iter()
                .map(|&(w, s)| (ids[w as usize], s))
                .collect(),
            length: prepared.length,
            fragment: prepared.fragment,
            facets: prepared.facets,
        });
    }

    fn put(&mut self, doc: LiveDoc) {
        match self.by_url.get(&doc.url) {
            Some(&i) => self.docs[i] = doc,
            None => {
                self.by_url.insert(doc.url.clone(), self.docs.len());
                self.docs.push(doc);
            }
        }
        self.invalidate();
    }

    /// Removes the document at `url`; returns whether there was one.
    pub fn remove(&mut self, url: &str) -> bool {
        let Some(i) = self.by_url.remove(url) else {
            return false;
        };
        self.docs.remove(i);
        for (n, d) in self.docs.iter().enumerate().skip(i) {
            self.by_url.insert(d.url.clone(), n);
        }
        self.invalidate();
        true
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    fn invalidate(&mut self) {
        if let Ok(mut files) = self.files.lock() {
            *files = None;
        }
    }

    /// One index file by its path under the output root (`search-index/manifest.json`),
    /// encoded on the first request after a change and kept until the next one.
    pub fn file(&self, path: &str) -> Option<Arc<[u8]>> {
        self.encoded().0.get(path).cloned()
    }

    /// What the current index holds.
    pub fn stats(&self) -> IndexStats {
        self.encoded().1.clone()
    }

    fn encoded(&self) -> Arc<(Files, IndexStats)> {
        // A poisoned lock only means an earlier encoding panicked; the cache is rebuilt.
        let mut cache = self
            .files
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(files) = cache.as_ref() {
            return Arc::clone(files);
        }
        let encoded = Arc::new(self.encode());
        *cache = Some(Arc::clone(&encoded));
        encoded
    }

    fn encode(&self) -> (Files, IndexStats) {
        let mut files = Files::new();
        let mut inverted = Inverted::new(&self.options);
        let mut sink = |path: &str, bytes: Vec<u8>| -> Result<(), std::convert::Infallible> {
            files.insert(path.to_string(), Arc::from(bytes));
            Ok(())
        };
        for d in &self.docs {
            let Ok(()) = inverted.add_doc(
                &self.vocab,
                d.terms.iter().copied(),
                d.length,
                &d.fragment,
                &d.facets,
                &mut sink,
            );
        }
        let Ok(stats) = inverted.finish(
            &self.vocab,
            &self.options,
            self.stemmer.is_some(),
            &mut sink,
        );
        (files, stats)
    }
}

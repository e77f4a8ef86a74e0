//! The streaming builder: documents are pulled from an iterator a wave at a time, prepared on
//! every core while the previous wave is merged, and every file goes to the sink as soon as it
//! is complete. What stays in memory to the end is the vocabulary, the compact postings
//! (a few bytes a posting) and a length and facet combination per document.

use rayon::prelude::*;

use super::invert::{
    Batch, Inverted, Sink, Vocab, new_generation, prepare_batch, release_thread_vocab,
};
use super::tokenize::Stemmer;
use super::{IndexOptions, IndexStats, SearchDoc};

/// Documents per task of step 1.
const BATCH: usize = 64;
/// Documents pulled from the iterator at a time.
const WAVE: usize = 1024;

/// Indexes `docs` and returns every file as (path under the output root, bytes). For large
/// sites prefer `build_with`, which hands each file over as it is made.
pub fn build(
    docs: impl IntoIterator<Item = SearchDoc>,
    options: &IndexOptions,
) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let result: Result<IndexStats, std::convert::Infallible> =
        build_with(docs, options, &mut |path: &str, bytes: Vec<u8>| {
            files.push((path.to_string(), bytes));
            Ok(())
        });
    match result {
        Ok(_) => files,
        Err(never) => match never {},
    }
}

/// Indexes `docs` (in the order results tie in), handing each file to `sink` as
/// (path under the output root, bytes) as soon as it is complete: fragments while documents
/// are indexed, the postings, dictionary and facet files at the end, `manifest.json` last.
/// Stops at the sink's first error.
pub fn build_with<E: Send>(
    docs: impl IntoIterator<Item = SearchDoc>,
    options: &IndexOptions,
    sink: &mut Sink<'_, E>,
) -> Result<IndexStats, E> {
    let stemmer = Stemmer::for_language(&options.language);
    let language = options.language.as_str();
    let generation = new_generation();
    let mut vocab = Vocab::default();
    let mut inverted = Inverted::new(options);
    let mut docs = docs.into_iter();
    let mut pending: Option<Vec<Batch>> = None;
    let result = loop {
        let wave: Vec<SearchDoc> = docs.by_ref().take(WAVE).collect();
        if wave.is_empty() && pending.is_none() {
            break Ok(());
        }
        // Merge the previous wave on one thread while this one is prepared on the others.
        let previous = pending.take();
        let (merged, prepared) = rayon::join(
            || match previous {
                Some(batches) => merge(batches, &mut vocab, &mut inverted, sink),
                None => Ok(()),
            },
            || {
                wave.par_chunks(BATCH)
                    .map(|chunk| prepare_batch(chunk, generation, language, stemmer))
                    .collect::<Vec<Batch>>()
            },
        );
        if let Err(e) = merged {
            break Err(e);
        }
        drop(wave);
        if !prepared.is_empty() {
            pending = Some(prepared);
        }
    };
    rayon::broadcast(|_| release_thread_vocab());
    result?;
    inverted.finish(&vocab, options, stemmer.is_some(), sink)
}

fn merge<E>(
    mut batches: Vec<Batch>,
    vocab: &mut Vocab,
    inverted: &mut Inverted,
    sink: &mut Sink<'_, E>,
) -> Result<(), E> {
    // Every word a batch of this wave uses was new in this wave's batches or an earlier one's.
    for batch in &mut batches {
        vocab.register(batch);
    }
    for batch in batches {
        let map = vocab.thread_map(batch.vocab);
        for doc in batch.docs {
            inverted.add_doc(
                vocab,
                doc.terms.iter().map(|&(w, stats)| (map[w as usize], stats)),
                doc.length,
                &doc.fragment,
                &doc.facets,
                sink,
            )?;
        }
    }
    Ok(())
}

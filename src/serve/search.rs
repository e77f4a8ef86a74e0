//! The preview server's search index, in memory (`search_index::LiveIndex`) and kept up to date
//! document by document: an edit re-indexes the documents it changed before open pages are told
//! to reload, so a word saved a moment ago is findable on the reloaded page. The first index of
//! a site is made on a thread of its own, so the first page does not wait for it; until it is
//! ready, requests for index files are answered "try again" (503).

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::LiveSite;
use crate::Made;
use crate::search_index::{IndexOptions, LiveIndex};
use crate::site::{DocId, Site};

/// What an index file request gets.
pub(crate) enum Answer {
    File(Arc<[u8]>),
    NotFound,
    /// The first index is still being made.
    NotReady,
}

#[derive(Default)]
pub(crate) struct LiveSearch {
    index: Option<LiveIndex>,
    /// The options the index was made with: when they change (a team renamed, a template's
    /// facets), it is made again.
    options: Option<IndexOptions>,
    /// Per URL, what the index holds: which parsed document (its address) and a hash of what
    /// the index takes from the rest of the site (kind, facets).
    keys: HashMap<String, (usize, u64)>,
    /// Whether a thread is making the whole index.
    making: bool,
}

impl LiveSearch {
    pub(crate) fn file(&self, path: &str) -> Answer {
        match &self.index {
            Some(index) => index.file(path).map_or(Answer::NotFound, Answer::File),
            None => Answer::NotReady,
        }
    }

    /// Brings the index up to date with `live`. Cheap when the build was incremental (the
    /// changed documents) or when the whole index has to be made anyway (that happens on a
    /// thread of its own: `true` is returned and the caller starts `make_in_background`).
    fn update(&mut self, live: &LiveSite) -> bool {
        let site = &live.validated.site;
        let options = crate::search::options(site);
        if self.making {
            // The thread making the index catches up with the latest build when it is done.
            return false;
        }
        if self.index.is_none() || self.options.as_ref() != Some(&options) {
            self.making = true;
            return true;
        }
        let Some(index) = self.index.as_mut() else {
            return false;
        };
        match &live.validated.made {
            Made::Incremental(changed) => {
                for &i in changed {
                    index.upsert(crate::search::document(site, i));
                    self.keys.insert(site[i].doc.url.clone(), key(site, i));
                }
            }
            Made::Full => sync(index, &mut self.keys, site),
        }
        false
    }
}

/// Re-indexes the documents of `site` that differ from what `keys` says the index holds, and
/// removes the ones that are gone.
fn sync(index: &mut LiveIndex, keys: &mut HashMap<String, (usize, u64)>, site: &Site) {
    let mut present = HashSet::with_capacity(site.records.len());
    for i in site.ids() {
        let url = &site[i].doc.url;
        present.insert(url.as_str());
        let now = key(site, i);
        if keys.get(url) != Some(&now) {
            index.upsert(crate::search::document(site, i));
            keys.insert(url.clone(), now);
        }
    }
    let gone: Vec<String> = keys
        .keys()
        .filter(|url| !present.contains(url.as_str()))
        .cloned()
        .collect();
    for url in gone {
        index.remove(&url);
        keys.remove(&url);
    }
}

/// What the index takes from document `i`: its parsed document (shared between builds while
/// its file is unchanged) and a hash of its kind and facets.
fn key(site: &Site, i: DocId) -> (usize, u64) {
    let record = &site[i];
    let mut hasher = DefaultHasher::new();
    site.kind_label(record).hash(&mut hasher);
    crate::search::facets(site, i).hash(&mut hasher);
    (Arc::as_ptr(&record.doc) as usize, hasher.finish())
}

/// Updates the served index after a successful build; when the whole index must be made, makes
/// it on a thread of its own and then catches up with whatever build is newest by then.
pub(super) fn updated(
    search: &Arc<Mutex<LiveSearch>>,
    live: &Arc<LiveSite>,
    latest: LatestSite,
    verbose: bool,
) {
    let start = lock(search).update(live);
    if !start {
        return;
    }
    let on_failure = Arc::clone(search);
    let (search, live) = (Arc::clone(search), Arc::clone(live));
    let spawned = std::thread::Builder::new()
        .name("opsbook-search".into())
        .spawn(move || {
            let started = Instant::now();
            let site = &live.validated.site;
            let options = crate::search::options(site);
            let order = crate::search::order(site);
            let docs = order
                .iter()
                .map(|&i| crate::search::document(site, i))
                .collect();
            let mut index = LiveIndex::with_docs(docs, options.clone());
            let mut keys: HashMap<String, (usize, u64)> = order
                .iter()
                .map(|&i| (site[i].doc.url.clone(), key(site, i)))
                .collect();
            // Builds that came in meanwhile skipped the index (`making`): catch up with the
            // newest, under the lock, so that no later build can slip in between.
            let mut state = lock(&search);
            if let Some(newest) = latest() {
                sync(&mut index, &mut keys, &newest.validated.site);
            }
            let took = started.elapsed();
            *state = LiveSearch {
                index: Some(index),
                options: Some(options),
                keys,
                making: false,
            };
            drop(state);
            if verbose {
                eprintln!(
                    "search index of {} documents ready in {:.0} ms",
                    order.len(),
                    took.as_secs_f64() * 1000.0
                );
            }
        });
    if let Err(e) = spawned {
        eprintln!("cannot start the search indexer: {e}");
        lock(&on_failure).making = false;
    }
}

/// The newest site being served, when the background indexer asks.
pub(super) type LatestSite = Box<dyn Fn() -> Option<Arc<LiveSite>> + Send>;

pub(super) fn lock(search: &Mutex<LiveSearch>) -> std::sync::MutexGuard<'_, LiveSearch> {
    search.lock().unwrap_or_else(|p| p.into_inner())
}

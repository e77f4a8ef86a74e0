//! The content's folder tree, worked out once per build: each folder's title, landing page and
//! entries in reading order (`weight`, then title), and each document's place in it. Page
//! builders read it for the section sidebar, the breadcrumbs and previous/next, so that a page
//! costs the same to render whatever the size of its section.
//!
//! Words: a *section* is a top-level folder (or the root, for pages directly under
//! `content/`); a folder's *landing* is its `_index.md`, or the listing generated for it; its
//! *entries* are its documents and subfolders; *reading order* is the sidebar's order (`weight`,
//! then title; an archive of dated pages newest first), folders opening where they sort, which
//! previous/next follow too.

use std::collections::HashMap;

use crate::document::Kind;
use crate::site::{DocId, PerDoc, Site};

/// A folder of the tree: its place in `Tree::folders`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct FolderId(u32);

impl FolderId {
    /// The root folder, `content/` itself.
    pub const ROOT: FolderId = FolderId(0);
}

/// One entry of a folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Entry {
    Doc(DocId),
    Folder(FolderId),
}

#[derive(Debug)]
pub(super) struct Folder {
    /// Path under `content/`: `` for the root, `reviews/ops`.
    pub path: String,
    pub title: String,
    /// Site-relative URL of its landing page (without the base path).
    pub url: String,
    /// Its `_index.md`, if it has one.
    pub index: Option<DocId>,
    pub weight: i64,
    pub parent: Option<FolderId>,
    /// Documents and subfolders, in reading order.
    pub entries: Vec<Entry>,
    /// Documents in it and below, landing pages left out.
    pub count: usize,
}

impl Folder {
    /// The documents directly in the folder (not in its subfolders), in reading order.
    pub fn documents(&self) -> impl Iterator<Item = DocId> + '_ {
        self.entries.iter().filter_map(|e| match *e {
            Entry::Doc(i) => Some(i),
            Entry::Folder(_) => None,
        })
    }
}

/// Where a document sits.
#[derive(Debug, Clone, Copy)]
struct Place {
    folder: FolderId,
    /// Its position among the folder's entries; `None` for a folder's own `_index.md`.
    entry: Option<u32>,
    /// Its position in `Tree::order`; `None` for the home page.
    order: Option<u32>,
}

#[derive(Debug)]
pub(super) struct Tree {
    pub folders: Vec<Folder>,
    by_path: HashMap<String, FolderId>,
    places: PerDoc<Place>,
    /// Every page in reading order, section after section: a folder stands for its landing
    /// page. Previous/next are neighbours here, within one section.
    order: Vec<Entry>,
    /// The section of each position of `order`.
    order_section: Vec<FolderId>,
    /// Each folder's position in `order`.
    folder_order: Vec<Option<u32>>,
}

impl Tree {
    /// `title_of`: what a folder without an `_index.md` is called.
    pub fn new(site: &Site, title_of: impl Fn(&str) -> String) -> Tree {
        let mut tree = Tree {
            folders: Vec::new(),
            by_path: HashMap::new(),
            places: PerDoc(Vec::with_capacity(site.records.len())),
            order: Vec::with_capacity(site.records.len()),
            order_section: Vec::with_capacity(site.records.len()),
            folder_order: Vec::new(),
        };
        tree.folder_id("", &title_of);
        for r in &site.records {
            tree.folder_id(&r.doc.folder, &title_of);
        }
        for (i, r) in site.iter() {
            let f = tree.by_path[r.doc.folder.as_str()];
            let index = r.doc.is_index();
            if index {
                let folder = &mut tree.folders[f.index()];
                folder.index = Some(i);
                folder.title = r.doc.title.clone();
                folder.url = r.doc.url.clone();
                folder.weight = r.doc.weight;
            } else {
                tree.folders[f.index()].entries.push(Entry::Doc(i));
                let mut up = Some(f);
                while let Some(u) = up {
                    tree.folders[u.index()].count += 1;
                    up = tree.folders[u.index()].parent;
                }
            }
            tree.places.0.push(Place {
                folder: f,
                entry: None,
                order: None,
            });
        }
        for n in 1..tree.folders.len() {
            if let Some(parent) = tree.folders[n].parent {
                tree.folders[parent.index()]
                    .entries
                    .push(Entry::Folder(FolderId(n as u32)));
            }
        }
        // Reading order: weight, then title as a reader sorts it. A folder whose every page is
        // dated is an archive: its subfolders first, then its pages newest first, as its listing
        // shows them.
        type Key = (bool, i64, std::cmp::Reverse<Option<time::Date>>, String);
        let key = |tree: &Tree, e: &Entry, dated: bool| -> Key {
            match *e {
                Entry::Doc(i) => {
                    let doc = &site[i].doc;
                    let date = dated.then_some(doc.date).flatten();
                    (
                        dated,
                        doc.weight,
                        std::cmp::Reverse(date),
                        doc.title.to_lowercase(),
                    )
                }
                Entry::Folder(f) => {
                    let folder = &tree.folders[f.index()];
                    let none = std::cmp::Reverse(None);
                    (false, folder.weight, none, folder.title.to_lowercase())
                }
            }
        };
        for n in 0..tree.folders.len() {
            let mut entries = std::mem::take(&mut tree.folders[n].entries);
            let docs = entries.iter().filter_map(|e| match *e {
                Entry::Doc(i) => Some(&site[i].doc),
                Entry::Folder(_) => None,
            });
            let dated = docs.clone().next().is_some() && docs.clone().all(|d| d.date.is_some());
            let mut keyed: Vec<(Key, Entry)> = entries
                .drain(..)
                .map(|e| (key(&tree, &e, dated), e))
                .collect();
            keyed.sort_by(|a, b| a.0.cmp(&b.0));
            tree.folders[n].entries = keyed.into_iter().map(|(_, e)| e).collect();
            for (pos, e) in tree.folders[n].entries.iter().enumerate() {
                if let Entry::Doc(i) = *e {
                    tree.places[i].entry = Some(pos as u32);
                }
            }
        }
        // The root's own pages, then each top-level folder, depth first.
        tree.folder_order = vec![None; tree.folders.len()];
        let root_pages: Vec<Entry> = tree.folders[0]
            .entries
            .iter()
            .copied()
            .filter(|e| matches!(e, Entry::Doc(_)))
            .collect();
        for e in root_pages {
            tree.push_order(site, e, FolderId::ROOT);
        }
        let sections: Vec<FolderId> = tree.folders[0]
            .entries
            .iter()
            .filter_map(|e| match *e {
                Entry::Folder(f) => Some(f),
                Entry::Doc(_) => None,
            })
            .collect();
        for s in sections {
            tree.walk_order(site, s, s);
        }
        tree
    }

    fn folder_id(&mut self, path: &str, title_of: &impl Fn(&str) -> String) -> FolderId {
        if let Some(&f) = self.by_path.get(path) {
            return f;
        }
        let parent = if path.is_empty() {
            None
        } else {
            let up = path.rsplit_once('/').map_or("", |(p, _)| p);
            Some(self.folder_id(up, title_of))
        };
        let id = FolderId(self.folders.len() as u32);
        self.folders.push(Folder {
            path: path.to_string(),
            title: title_of(path),
            url: super::catalog::folder_url(path),
            index: None,
            weight: 0,
            parent,
            entries: Vec::new(),
            count: 0,
        });
        self.by_path.insert(path.to_string(), id);
        id
    }

    fn walk_order(&mut self, site: &Site, f: FolderId, section: FolderId) {
        self.push_order(site, Entry::Folder(f), section);
        for n in 0..self.folders[f.index()].entries.len() {
            match self.folders[f.index()].entries[n] {
                Entry::Folder(sub) => self.walk_order(site, sub, section),
                doc => self.push_order(site, doc, section),
            }
        }
    }

    fn push_order(&mut self, site: &Site, e: Entry, section: FolderId) {
        let pos = self.order.len() as u32;
        match e {
            Entry::Doc(i) if site[i].kind == Kind::Home => return,
            Entry::Doc(i) => self.places[i].order = Some(pos),
            Entry::Folder(f) => {
                self.folder_order[f.index()] = Some(pos);
                if let Some(i) = self.folders[f.index()].index {
                    self.places[i].order = Some(pos);
                }
            }
        }
        self.order.push(e);
        self.order_section.push(section);
    }

    pub fn folder(&self, f: FolderId) -> &Folder {
        &self.folders[f.index()]
    }

    pub fn by_path(&self, path: &str) -> Option<FolderId> {
        self.by_path.get(path).copied()
    }

    /// The folder a document is in (for an `_index.md`, the folder it is the landing of).
    pub fn folder_of(&self, i: DocId) -> FolderId {
        self.places[i].folder
    }

    /// A document's position among its folder's entries; `None` for a landing page.
    pub fn entry_of(&self, i: DocId) -> Option<usize> {
        self.places[i].entry.map(|p| p as usize)
    }

    /// The folders from the top-level one down to `f`, `f` included (empty for the root).
    pub fn ancestry(&self, f: FolderId) -> Vec<FolderId> {
        let mut chain = Vec::new();
        let mut at = Some(f);
        while let Some(a) = at.filter(|a| *a != FolderId::ROOT) {
            chain.push(a);
            at = self.folder(a).parent;
        }
        chain.reverse();
        chain
    }

    /// The pages before and after `page` in reading order, within its section.
    pub fn neighbours(&self, page: Entry) -> (Option<Entry>, Option<Entry>) {
        let pos = match page {
            Entry::Doc(i) => self.places[i].order,
            Entry::Folder(f) => self.folder_order[f.index()],
        };
        let Some(pos) = pos.map(|p| p as usize) else {
            return (None, None);
        };
        let section = self.order_section[pos];
        let at = |p: usize| (self.order_section.get(p) == Some(&section)).then(|| self.order[p]);
        (pos.checked_sub(1).and_then(at), at(pos + 1))
    }
}

impl FolderId {
    /// The folder at position `n` of `Tree::folders`.
    pub fn at(n: usize) -> FolderId {
        FolderId(n as u32)
    }

    pub fn index(self) -> usize {
        self.0 as usize
    }
}

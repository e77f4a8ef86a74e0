//! The navigation of one page, from the folder tree (`tree`): breadcrumbs, the sidebar of its
//! section, and previous/next in the sidebar's order.
//!
//! A page's cost stays small whatever its section's size: a folder shows at most `OPEN_LIMIT`
//! of its entries (a window around the current page) and a closed subfolder at most
//! `CLOSED_LIMIT`, each followed by a link to the folder's listing, and closed subfolders stop
//! showing their contents once `CLOSED_BUDGET` links have been spent.

use super::tree::{Entry, FolderId};
use super::views::{Ctx, LinkView, MoreLink, NavItem, PageNav, Sidebar};

/// Entries shown of a folder on the current page's path.
const OPEN_LIMIT: usize = 50;
/// Entries shown of a closed subfolder.
const CLOSED_LIMIT: usize = 10;
/// Links spent on closed subfolders' contents, over the whole sidebar.
const CLOSED_BUDGET: usize = 100;

impl Ctx<'_> {
    /// The navigation of `page`: a document, or a folder's landing page.
    pub fn page_nav(&self, page: Entry) -> PageNav {
        let tree = &self.cat.tree;
        // A folder's `_index.md` is that folder's landing page.
        let page = match page {
            Entry::Doc(i) if self.site[i].doc.is_index() => Entry::Folder(tree.folder_of(i)),
            other => other,
        };
        let folder = match page {
            Entry::Doc(i) => tree.folder_of(i),
            Entry::Folder(f) => f,
        };
        let chain = tree.ancestry(folder);
        let mut crumbs = vec![LinkView {
            title: "Home".into(),
            url: self.url("/"),
        }];
        crumbs.extend(chain.iter().map(|&f| self.folder_link(f)));
        if let Entry::Doc(i) = page {
            crumbs.push(self.doc_link(i));
        }
        let (prev, next) = tree.neighbours(page);
        let mut budget = CLOSED_BUDGET;
        let sidebar = match chain.first() {
            Some(&section) => {
                let (items, more) = self.nav_items(section, &chain[1..], page, &mut budget, true);
                Sidebar {
                    current: page == Entry::Folder(section),
                    link: self.folder_link(section),
                    items,
                    more,
                }
            }
            // A page directly under content/: its sidebar is the root's pages and sections.
            None => {
                let (items, more) = self.nav_items(FolderId::ROOT, &[], page, &mut 0, true);
                Sidebar {
                    current: false,
                    link: LinkView {
                        title: "Home".into(),
                        url: self.url("/"),
                    },
                    items,
                    more,
                }
            }
        };
        PageNav {
            crumbs,
            sidebar: Some(sidebar),
            prev: prev.map(|e| self.entry_link(e)),
            next: next.map(|e| self.entry_link(e)),
        }
    }

    /// The entries of folder `f` as sidebar items. `path`: the folders below `f` down to the
    /// current page's, which open; `budget`: links closed subfolders may still show.
    fn nav_items(
        &self,
        f: FolderId,
        path: &[FolderId],
        page: Entry,
        budget: &mut usize,
        open: bool,
    ) -> (Vec<NavItem>, Option<MoreLink>) {
        let tree = &self.cat.tree;
        let folder = tree.folder(f);
        let entries = &folder.entries;
        let limit = if open { OPEN_LIMIT } else { CLOSED_LIMIT };
        let focus = match (path.first(), page) {
            (Some(&sub), _) => entries.iter().position(|e| *e == Entry::Folder(sub)),
            (None, Entry::Doc(i)) => tree.entry_of(i),
            (None, Entry::Folder(_)) => None,
        };
        let start = match focus {
            Some(at) if open && entries.len() > limit => {
                at.saturating_sub(limit / 2).min(entries.len() - limit)
            }
            _ => 0,
        };
        let shown = &entries[start..entries.len().min(start + limit)];
        let items = shown
            .iter()
            .map(|&e| match e {
                Entry::Doc(i) => NavItem {
                    current: page == e,
                    ..NavItem::link(self.doc_link(i))
                },
                Entry::Folder(sub) => {
                    let here = path.first() == Some(&sub);
                    let mut item = NavItem {
                        current: page == e,
                        folder: true,
                        open: here,
                        count: tree.folder(sub).count,
                        ..NavItem::link(self.folder_link(sub))
                    };
                    // The root's sidebar links its sections without opening them.
                    if f != FolderId::ROOT && (here || *budget > 0) {
                        let (children, more) = if here {
                            self.nav_items(sub, &path[1..], page, budget, true)
                        } else {
                            let shown = tree.folder(sub).entries.len().min(CLOSED_LIMIT);
                            *budget = budget.saturating_sub(shown);
                            self.nav_items(sub, &[], page, budget, false)
                        };
                        item.children = children;
                        item.more = more;
                    }
                    item
                }
            })
            .collect();
        let more = (shown.len() < entries.len()).then(|| MoreLink {
            url: self.url(&folder.url),
            title: folder.title.clone(),
            count: folder.count,
        });
        (items, more)
    }

    fn folder_link(&self, f: FolderId) -> LinkView {
        let folder = self.cat.tree.folder(f);
        LinkView {
            title: folder.title.clone(),
            url: self.url(&folder.url),
        }
    }

    fn entry_link(&self, e: Entry) -> LinkView {
        match e {
            Entry::Doc(i) => self.doc_link(i),
            Entry::Folder(f) => self.folder_link(f),
        }
    }
}

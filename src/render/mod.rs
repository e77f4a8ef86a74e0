//! Rendering: the validated site and its link graph become the site's files (HTML pages, the
//! sitemap, feeds, the theme's static files and the content's assets).
//!
//! - `plan`: every output file and the job that makes it; renders one file or all of them.
//! - `catalog`: facts that span pages (reviews per template, documents per team, incidents).
//! - `tree`: the folder tree in reading order, in the catalog; `nav`: a page's breadcrumbs,
//!   sidebar and previous/next from it.
//! - `views`: the view structs templates see, and `Ctx`, which builds them from the model.
//! - `document`, `listing`: page builders, for one document and for lists of documents;
//!   `tracker`: the action-item tracker's pages, one per filter; `paging`: long lists a page at
//!   a time (which lists, their pages' URLs, the pager, later pages of a document's list).
//! - `charts`: the archive's figures as charts with their data tables; `facts`: a plain page's
//!   own front matter as a list of facts; `format`: how numbers and spans of time read.
//! - `templates`: the compiled tera templates.

mod catalog;
mod charts;
mod document;
mod facts;
mod format;
mod listing;
mod nav;
mod paging;
mod plan;
mod templates;
mod tracker;
mod tree;
mod views;

pub use plan::Inputs;
pub use plan::render_site;
pub(crate) use plan::{Plan, Sink};
pub(crate) use templates::Renderer;

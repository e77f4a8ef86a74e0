//! Integration tests: build real fixture sites with the real binary into temp folders and check
//! what a user would see: pages, links, diagnostics and exit codes.

mod architecture;
mod archive;
mod build;
mod errors;
mod harness;
mod hostile;
mod import;
mod incremental;
mod links;
mod navigation;
mod paging;
mod scaffold;
mod search;
mod security;
mod serve;
mod server;

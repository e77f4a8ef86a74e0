//! The `opsbook` command: parse the arguments, run the command (`cmd/`), exit with its code:
//! 0 on success, 1 on content or build errors, 2 on usage errors (clap's own).

mod cmd;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    cmd::run(cmd::Cli::parse())
}

// glibc's allocator showed as a sixth of a build's CPU time in profiles (many small strings in
// markdown, templates and the search indexer); jemalloc does the same work in less, and unlike
// mimalloc it keeps the preview server's memory flat under a flood of short-lived request threads.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

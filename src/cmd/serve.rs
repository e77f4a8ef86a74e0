//! `opsbook serve`: the preview server with live reload.

use std::path::PathBuf;
use std::process::ExitCode;

use opsbook::serve::ServeOptions;
use opsbook::{Drafts, Error};

use super::Output;

#[derive(clap::Args)]
pub struct Args {
    /// The handbook's root folder (holds opsbook.toml and content/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Address to listen on. Anything but loopback exposes the handbook to the network.
    #[arg(long, default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Port to listen on; the next free one is used when it is busy.
    #[arg(long, default_value_t = 3000)]
    port: u16,
    /// Show drafts, with a banner (the default for serve).
    #[arg(long, overrides_with = "no_drafts")]
    drafts: bool,
    /// Hide drafts, as a published build does.
    #[arg(long)]
    no_drafts: bool,
    /// Open the site in a browser.
    #[arg(long)]
    open: bool,
}

pub fn run(args: Args, out: &Output) -> Result<ExitCode, Error> {
    opsbook::serve::serve(ServeOptions {
        root: args.root,
        bind: args.bind,
        port: args.port,
        drafts: if args.no_drafts {
            Drafts::Exclude
        } else {
            Drafts::Include
        },
        open: args.open,
        quiet: out.quiet,
        verbose: out.verbose,
        color: out.color,
    })?;
    Ok(ExitCode::SUCCESS)
}

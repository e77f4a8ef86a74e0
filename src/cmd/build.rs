//! `opsbook build`: the site into a folder, swapped in only when the whole build succeeds.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use opsbook::{BuildOptions, Drafts, Error, Search};

use super::Output;
use super::progress::Progress;

#[derive(clap::Args)]
pub struct Args {
    /// The handbook's root folder (holds opsbook.toml and content/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Where to write the site.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Include documents marked `draft = true`.
    #[arg(long)]
    drafts: bool,
    /// Leave out the search index (a quicker build, for link checks and previews).
    #[arg(long)]
    no_search: bool,
}

pub fn run(args: Args, out: &Output) -> Result<ExitCode, Error> {
    let started = Instant::now();
    let dest = args.out.unwrap_or_else(|| args.root.join("public"));
    let mut options = BuildOptions::new(&args.root);
    if args.no_search {
        options.search = Search::Skip;
    }
    options.drafts = if args.drafts {
        Drafts::Include
    } else {
        Drafts::Exclude
    };
    let progress = Progress::start(!out.quiet, format!("Building {}", args.root.display()));
    let result = opsbook::build_to(&options, &dest);
    progress.finish();
    let build = result?;
    out.diagnostics(&build.warnings);
    if out.verbose {
        for (stage, took) in &build.timings {
            eprintln!("  {stage:<14} {:>8.1} ms", took.as_secs_f64() * 1000.0);
        }
    }
    if !out.quiet {
        let drafts = match build.drafts_left_out {
            0 => String::new(),
            1 => ", 1 draft left out (--drafts includes it)".to_string(),
            n => format!(", {n} drafts left out (--drafts includes them)"),
        };
        eprintln!(
            "Built {} pages ({} files, {} warning(s){drafts}) into {} in {:.0} ms",
            build.pages,
            build.files,
            build.warnings.len(),
            dest.display(),
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    Ok(ExitCode::SUCCESS)
}
